package importers

import (
	"math"
	"strconv"
	"testing"
)

// TestParsePlainNumberSigns checks that turning strings away at a misplaced
// sign, before ParseFloat, changes no answer: every string of up to six
// characters made of digits, points, signs and exponents is read as
// ParseFloat reads it, when it has a digit and does not start with e.
func TestParsePlainNumberSigns(t *testing.T) {
	const alphabet = "019.-+eE"
	want := func(s string) (float64, bool) {
		if s == "" || s[0] == 'e' || s[0] == 'E' {
			return 0, false
		}
		digit := false
		for i := 0; i < len(s); i++ {
			digit = digit || s[i] >= '0' && s[i] <= '9'
		}
		f, err := strconv.ParseFloat(s, 64)
		if !digit || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, false
		}
		return f, true
	}
	buf := make([]byte, 0, 6)
	var walk func()
	checked := 0
	walk = func() {
		s := string(buf)
		gf, gok := parsePlainNumber(s)
		wf, wok := want(s)
		if gok != wok || gf != wf {
			t.Fatalf("parsePlainNumber(%q) = %v, %v; want %v, %v", s, gf, gok, wf, wok)
		}
		checked++
		if len(buf) == cap(buf) {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			buf = append(buf, alphabet[i])
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
	for _, s := range []string{"2024-03-05", "1e-5", "-1.5E+10", "+7", "12-", "3--4", "1e5-2"} {
		gf, gok := parsePlainNumber(s)
		wf, wok := want(s)
		if gok != wok || gf != wf {
			t.Errorf("parsePlainNumber(%q) = %v, %v; want %v, %v", s, gf, gok, wf, wok)
		}
	}
	if checked != 299_593 { // 8⁰ + 8¹ + ... + 8⁶
		t.Fatalf("checked only %d strings", checked)
	}
}
