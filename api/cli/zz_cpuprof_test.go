package cli

import (
	"bytes"
	"context"
	"os"
	"runtime/pprof"
	"testing"

	"github.com/heard-council/heard/analytics/store"
)

func TestZZCPUProfile(t *testing.T) {
	path := os.Getenv("CPUPROF_FILE")
	if path == "" {
		t.Skip("CPUPROF_FILE")
	}
	f, _ := os.Create(os.Getenv("CPUPROF_OUT"))
	pprof.StartCPUProfile(f)
	var stdout, stderr bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, OpenStore: store.Open}
	code := RunImport(context.Background(), env, []string{"--db", os.Getenv("CPUPROF_DB"), "--survey", "bench", "--max-file-mb", "2000", path})
	pprof.StopCPUProfile()
	f.Close()
	t.Logf("exit %d %s %s", code, stdout.String(), stderr.String())
}
