package wholeproc

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// The test binary is its own measuring child, as a harness is.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "measure" {
		if err := Child(os.Stdout, os.Args[2:]); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestChild(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	measure := func(args ...string) Sample {
		t.Helper()
		var buf bytes.Buffer
		if err := Child(&buf, args); err != nil {
			t.Fatal(err)
		}
		var s Sample
		if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		return s
	}
	s := measure("-out", out, "--", "sh", "-c", "echo 42; exit 3")
	if s.Exit != 3 || s.TimedOut || s.PeakKB <= 0 || s.Seconds <= 0 {
		t.Errorf("exit 3: got %+v", s)
	}
	if b, _ := os.ReadFile(out); string(b) != "42\n" {
		t.Errorf("standard output %q, want 42", b)
	}
	// The timeout ends the command's children too: sh's sleep would
	// otherwise keep the output open.
	s = measure("-timeout", "200ms", "-out", out, "--", "sh", "-c", "sleep 30; echo late")
	if !s.TimedOut || s.Seconds > 10 {
		t.Errorf("timeout: got %+v", s)
	}
}

// A process that has held 300 MB starts a small command: the command's
// own rusage reports the starter's peak, Launch reports the command's.
func TestLaunchIgnoresTheHarnessPeak(t *testing.T) {
	held := make([]byte, 300<<20)
	for i := range held {
		held[i] = 1
	}
	direct := exec.Command("sh", "-c", "exit 0")
	if err := direct.Run(); err != nil {
		t.Fatal(err)
	}
	inherited := direct.ProcessState.SysUsage().(*syscall.Rusage).Maxrss / 1024
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Launch(context.Background(), self, Options{}, []string{"sh", "-c", "exit 0"})
	if err != nil {
		t.Fatal(err)
	}
	held[len(held)-1] = 2 // held until both ran
	t.Logf("sh started here reports %d MB, through Launch %.1f MB", inherited, s.PeakMB())
	if s.Exit != 0 || s.PeakMB() > 50 {
		t.Errorf("through Launch: %+v, want exit 0 and a peak of a few MB", s)
	}
}
