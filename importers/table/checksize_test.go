package table

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sparseFile makes a file of size bytes that takes no disk space.
func sparseFile(tb testing.TB, name string, size int64) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestCheckSize(t *testing.T) {
	big := sparseFile(t, "million.csv", 357<<20)
	err := CheckSize(big, "million.csv", Limits{})
	ie := importError(t, err)
	if ie.File != "million.csv" || !strings.HasPrefix(ie.Message, msgTooBigPrefix) ||
		!strings.Contains(ie.Message, "it is 357 MB and at most 200 MB can be imported") || strings.Contains(ie.Message, "raises") {
		t.Errorf("without a flag: %+v", ie)
	}
	// Open refuses the same file with the same words.
	if _, _, oerr := Open(big, "million.csv", Options{}); oerr == nil || oerr.Error() != err.Error() {
		t.Errorf("Open says %v, CheckSize %v", oerr, err)
	}

	ie = importError(t, CheckSize(big, "million.csv", Limits{MaxFileFlag: "--max-file-mb"}))
	if !strings.Contains(ie.Message, "357 MB and at most 200 MB can be imported (--max-file-mb 357 or more raises the limit)") {
		t.Errorf("with the flag: %q", ie.Message)
	}
	odd := sparseFile(t, "odd.csv", 300<<20+1)
	ie = importError(t, CheckSize(odd, "odd.csv", Limits{MaxFileBytes: 100 << 20, MaxFileFlag: "--max-file-mb"}))
	if !strings.Contains(ie.Message, "at most 100 MB") || !strings.Contains(ie.Message, "--max-file-mb 301 or more") {
		t.Errorf("a file one byte over 300 MB: %q", ie.Message)
	}

	if err := CheckSize(big, "million.csv", Limits{MaxFileBytes: 357 << 20}); err != nil {
		t.Errorf("a file exactly at the limit: %v", err)
	}
	if err := CheckSize(filepath.Join(t.TempDir(), "nope.csv"), "nope.csv", Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v, want a wrapped not-exist error", err)
	}
}
