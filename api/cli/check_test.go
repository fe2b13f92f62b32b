package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store"
)

// TestCheckCommand: `heard check` passes a sound database, and refuses
// one whose last page is damaged (which a report after a clean close does
// not read) with an error naming the file, changing nothing; --full runs
// the integrity check.
func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "heard.db")
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	for _, args := range [][]string{{"--db", db}, {"--db", db, "--full"}} {
		code, out, errOut := cli(t, RunCheck, args...)
		if code != ExitOK || !strings.Contains(out, "passes") {
			t.Fatalf("heard check %v on a sound file: exit %d, %q %q", args, code, out, errOut)
		}
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	at := (len(data)/page - 1) * page
	copy(data[at:at+page], bytes.Repeat([]byte("junk!"), page))
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, RunCheck, "--db", db)
	if code != ExitRefused || !strings.Contains(errOut, db) || !strings.Contains(errOut, "damaged") {
		t.Fatalf("heard check on a damaged file: exit %d, %q %q; want %d naming the file as damaged", code, out, errOut, ExitRefused)
	}
	if after, err := os.ReadFile(db); err != nil || !bytes.Equal(after, data) {
		t.Fatalf("heard check changed the damaged file (%v)", err)
	}
	missing := filepath.Join(dir, "none.db")
	if code, _, errOut := cli(t, RunCheck, "--db", missing); code != ExitRefused || !strings.Contains(errOut, missing) {
		t.Fatalf("heard check of a missing file: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatalf("heard check created %s", missing)
	}
}
