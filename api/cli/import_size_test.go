package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// bytesRead is how many bytes this process has read through read system
// calls so far (rchar in /proc/self/io), page cache included.
func bytesRead(t testing.TB) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Skipf("no /proc/self/io to count the bytes read: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("/proc/self/io has no rchar line")
	return 0
}

// A file over the default 200 MB limit, the size of the 1,000,000-row
// export of issue 13 (357 MB), is refused from its size: the message names
// the file, its size, the limit and the flag that raises it, and the
// import reads (hashes) none of it. The file is sparse, so it costs no disk.
func TestImportRefusesLargeFileBeforeReadingIt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts bytes read through /proc/self/io")
	}
	dir := t.TempDir()
	db, big := filepath.Join(dir, "heard.db"), filepath.Join(dir, "million.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(357 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()

	before := bytesRead(t)
	code, out, errOut := cli(t, RunImport, "--db", db, big)
	read := bytesRead(t) - before
	if code != ExitRefused {
		t.Fatalf("exit %d, want %d: %s %s", code, ExitRefused, out, errOut)
	}
	for _, want := range []string{big, "357 MB", "at most 200 MB", "--max-file-mb 357 or more", "refused, nothing was stored"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	if read > 32<<20 {
		t.Errorf("the import read %d MB before refusing the file; want it refused from its size alone", read>>20)
	}

	// The same file with the limit raised as the message says gets past the
	// size check (and is then refused as the zeros it holds, not for its size).
	_, out, _ = cli(t, RunImport, "--db", db, "--max-file-mb", "357", "--dry-run", big)
	if strings.Contains(out, "too large") || !strings.Contains(out, "refused") {
		t.Errorf("with --max-file-mb 357: %s", out)
	}
	if code, out, _ := cli(t, RunSurveys, "--db", db, "--json"); code != ExitOK || !bytes.Equal(bytes.TrimSpace([]byte(out)), []byte("[]")) {
		t.Errorf("a refused file stored something: %q", out)
	}
}
