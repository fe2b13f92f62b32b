package importers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/table"
)

// processBytesRead is how many bytes this process has read through read
// system calls so far (rchar in /proc/self/io).
func processBytesRead(tb testing.TB) int64 {
	tb.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		tb.Skipf("no /proc/self/io to count the bytes read: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatal("/proc/self/io has no rchar line")
	return 0
}

// Prepare, asked to hash the file itself, refuses a file over the size
// limit before hashing it: nothing of a sparse 357 MB file is read.
func TestPrepareRefusesLargeFileBeforeHashing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts bytes read through /proc/self/io")
	}
	path := filepath.Join(t.TempDir(), "million.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(357 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := processBytesRead(t)
	_, err = Prepare(context.Background(), path, "million.csv", nil,
		Options{Limits: table.Limits{MaxFileFlag: "--max-file-mb"}}, nil)
	read := processBytesRead(t) - before
	var ie *analytics.ImportError
	if !errors.As(err, &ie) || ie.File != "million.csv" || !strings.Contains(ie.Message, "357 MB") ||
		!strings.Contains(ie.Message, "200 MB") || !strings.Contains(ie.Message, "--max-file-mb 357") {
		t.Fatalf("err = %v, want a too-large refusal naming the file, its size, the limit and the flag", err)
	}
	if read > 16<<20 {
		t.Errorf("Prepare read %d MB before refusing the file", read>>20)
	}
}
