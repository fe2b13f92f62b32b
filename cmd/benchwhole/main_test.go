package main

import "testing"

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
