package analytics

import (
	"math"
	"testing"
)

// near fails the test when got is not within tol of want.
func near(t testing.TB, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) != math.IsNaN(want) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

func TestWilson(t *testing.T) {
	// Expected values: the n=10 ends are R binom::binom.confint(x, 10,
	// method = "wilson") and statsmodels proportion_confint(x, 10,
	// method = "wilson") as quoted in the issue. The others were computed
	// independently in python3 with the math module only, from Wilson's
	// formula (Wilson 1927; Newcombe 1998, method 3)
	//   (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n),
	// with z found by bisection on 0.5·erfc(−z/√2): z(0.975) =
	// 1.9599639845400532, z(0.995) = 2.575829303548897.
	tests := []struct {
		name       string
		x, n       int64
		confidence float64
		low, high  float64
	}{
		{"none of 10", 0, 10, 0.95, 0, 0.2775328},
		{"all of 10", 10, 10, 0.95, 0.7224672, 1},
		{"384 of 412", 384, 412, 0.95, 0.9035309498, 0.9525645464},
		{"81 of 263", 81, 263, 0.95, 0.2552885199, 0.3662095770},
		{"81 of 263 at 99%", 81, 263, 0.99, 0.2401369027, 0.3852825023},
		{"half of 10", 5, 10, 0.95, 0.2365930905, 0.7634069095},
		{"one of one", 1, 1, 0.95, 0.2065493144, 1},
		{"default confidence", 81, 263, 0, 0.2552885199, 0.3662095770},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			low, high := Wilson(tt.x, tt.n, tt.confidence)
			near(t, "low", low, tt.low, 5e-8)
			near(t, "high", high, tt.high, 5e-8)
		})
	}
}

func TestWilsonEnds(t *testing.T) {
	// At 0% and 100% the ends are exactly 0 and 1, not 1e-17 away.
	if low, _ := Wilson(0, 37, 0.95); low != 0 {
		t.Errorf("Wilson(0, 37) low = %g, want exactly 0", low)
	}
	if _, high := Wilson(37, 37, 0.95); high != 1 {
		t.Errorf("Wilson(37, 37) high = %g, want exactly 1", high)
	}
}

func TestWilsonNoBaseAndBadInput(t *testing.T) {
	if low, high := Wilson(0, 0, 0.95); low != 0 || high != 1 {
		t.Errorf("Wilson(0, 0) = [%g, %g], want [0, 1]", low, high)
	}
	for _, tt := range []struct {
		name       string
		x, n       int64
		confidence float64
	}{
		{"positive above n", 11, 10, 0.95},
		{"negative count", -1, 10, 0.95},
		{"confidence 1", 5, 10, 1},
		{"confidence above 1", 5, 10, 95},
	} {
		t.Run(tt.name, func(t *testing.T) {
			low, high := Wilson(tt.x, tt.n, tt.confidence)
			if !math.IsNaN(low) || !math.IsNaN(high) {
				t.Errorf("Wilson = [%g, %g], want NaN", low, high)
			}
		})
	}
}

func TestNewRate(t *testing.T) {
	r := NewRate(81, 263, 0.95)
	if !r.Valid() || r.N != 263 || r.Positive != 81 {
		t.Fatalf("NewRate(81, 263) = %+v", r)
	}
	near(t, "rate", r.Rate, 81.0/263, 1e-15)
	low, high := Wilson(81, 263, 0.95)
	if r.Low != low || r.High != high {
		t.Errorf("interval [%g, %g], want Wilson's [%g, %g]", r.Low, r.High, low, high)
	}
	empty := NewRate(0, 0, 0.95)
	if empty.Valid() || empty.Rate != 0 || empty.Low != 0 || empty.High != 1 {
		t.Errorf("NewRate(0, 0) = %+v, want invalid with rate 0 and interval [0, 1]", empty)
	}
	if bad := NewRate(3, 2, 0.95); bad.Valid() || !math.IsNaN(bad.Rate) {
		t.Errorf("NewRate(3, 2) = %+v, want invalid with NaN rate", bad)
	}
}

func TestCalculatorNPS(t *testing.T) {
	// 0-10 scale: 50 promoters (9-10), 30 passives, 20 detractors.
	q := zeroToTen()
	m, err := MetricPreset(PresetNPS, q)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int64, len(q.Options))
	counts[optionScored(t, q, 10)] = 30
	counts[optionScored(t, q, 9)] = 20
	counts[optionScored(t, q, 8)] = 30
	counts[optionScored(t, q, 3)] = 20
	counts[len(q.Options)-1] = 7 // "Don't know" is out of the base
	s := newCalculator(q, m, 0.95).summarise(counts)
	if s.n != 100 || s.pos != 50 || s.neg != 20 {
		t.Fatalf("n, promoters, detractors = %d, %d, %d, want 100, 50, 20", s.n, s.pos, s.neg)
	}
	// By hand: NPS = 0.5 − 0.2 = 0.3; variance of the +1/0/−1 scores =
	// 0.5 + 0.2 − 0.3² = 0.61; half-width = 1.959963985·sqrt(0.61/100).
	half := 1.959963985 * math.Sqrt(0.0061)
	near(t, "nps", s.value, 0.3, 1e-12)
	near(t, "low", s.low, 0.3-half, 1e-9)
	near(t, "high", s.high, 0.3+half, 1e-9)
}

func TestCalculatorMean(t *testing.T) {
	// Scores 1..10 once each, the same data as R's t.test(1:10):
	// mean 5.5, 95% CI 3.334149 7.665851.
	q := Question{Code: "Q", Kind: KindScale}
	for s := 10; s >= 1; s-- {
		q.Options = append(q.Options, Option{Label: string(rune('A' + 10 - s)), Score: float64(s)})
	}
	q.Options = append(q.Options, Option{Label: "Not applicable", Polarity: Excluded})
	m, err := MetricPreset(PresetMean, q)
	if err != nil {
		t.Fatal(err)
	}
	counts := []int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 40}
	s := newCalculator(q, m, 0.95).summarise(counts)
	near(t, "mean", s.value, 5.5, 1e-12)
	near(t, "low", s.low, 3.334149, 5e-7)
	near(t, "high", s.high, 7.665851, 5e-7)
}
