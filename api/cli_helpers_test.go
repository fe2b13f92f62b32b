package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/cli"
)

// fixture is the path of a file in the repository's testdata folder.
func fixture(name string) string { return filepath.Join("..", "testdata", name) }

// runCLI runs a command of heard's command line the way main does and
// returns its exit status and output, for tests that compare it with the
// service.
func runCLI(t testing.TB, cmd func(context.Context, cli.Env, []string) int, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := cli.Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, OpenStore: store.Open}
	code := cmd(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

// readCSV parses a CSV download.
func readCSV(t testing.TB, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, text)
	}
	return recs
}
