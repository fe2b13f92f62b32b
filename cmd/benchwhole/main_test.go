package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestMeasureChild(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	measure := func(args ...string) sample {
		t.Helper()
		var buf bytes.Buffer
		if err := measureChild(&buf, args); err != nil {
			t.Fatal(err)
		}
		var s sample
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

func TestFigures(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median of 3 = %v", got)
	}
	if got := median([]float64{4, 1, 2, 3}); got != 2.5 {
		t.Errorf("median of 4 = %v", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1000000: "1,000,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	b := &bench{dir: "/tmp/heard-whole-1", heard: "/tmp/heard-whole-1/heard"}
	got := b.shown([]string{b.heard, "import", "--db", "/tmp/heard-whole-1/a.db", "-c", "import sys; x"}, "printf 'x'")
	if want := "printf 'x' | heard import --db $TMP/a.db -c 'import sys; x'"; got != want {
		t.Errorf("shown %q, want %q", got, want)
	}
	if got := cell("a | b"); got != `a \| b` {
		t.Errorf("cell %q", got)
	}
}
