package analytics

import (
	"math"
	"testing"
)

// The expected intervals below were worked out by hand from the binomial
// distribution with p = ½, not with this package's code: for n = 10,
// P(B ≤ 1) = 11/1024 = 0.0107 ≤ 0.025 < P(B ≤ 2) = 56/1024 = 0.0547, so
// the 95% interval runs from the 2nd to the 9th value; for n = 6,
// P(B ≤ 0) = 1/64 ≤ 0.025 < P(B ≤ 1) = 7/64, so from the 1st to the 6th;
// for n = 5, P(B ≤ 0) = 1/32 > 0.025, so there is none. For n = 100 the
// ranks 40 and 61 are the standard table's (P(B ≤ 39) = 0.0176,
// P(B ≤ 40) = 0.0284).
func TestMedianInterval(t *testing.T) {
	seq := func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(10 * (i + 1))
		}
		return xs
	}
	tests := []struct {
		name              string
		xs                []float64
		median, low, high float64
	}{
		{"ten", seq(10), 55, 20, 90},
		{"six", seq(6), 35, 10, 60},
		{"five: too few", seq(5), 30, math.NaN(), math.NaN()},
		{"a hundred", seq(100), 505, 400, 610},
		{"one", []float64{7}, 7, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, lo, hi := MedianInterval(tt.xs, 0.95)
			if !same(m, tt.median) || !same(lo, tt.low) || !same(hi, tt.high) {
				t.Errorf("got median %v (%v to %v), want %v (%v to %v)", m, lo, hi, tt.median, tt.low, tt.high)
			}
		})
	}
	if m, lo, hi := MedianInterval(nil, 0.95); !math.IsNaN(m) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no values gave %v (%v to %v), want NaN", m, lo, hi)
	}
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// The mean's interval is worked out by hand: the values 2, 4, 4, 4, 5, 5,
// 7, 9 have mean 5 and squared deviations summing to 32, so s² = 32/7; with
// t(0.975, 7) = 2.364624 from the standard table, the half-width is
// 2.364624·√(32/7/8) = 1.787488: 3.212512 to 6.787488.
func TestSummariseNumbers(t *testing.T) {
	s := SummariseNumbers([]float64{9, 4, 2, 4, 5, 7, 4, 5, math.NaN(), math.Inf(1)}, 0.95)
	if s.N != 8 || s.Mean != 5 || s.Min != 2 || s.Max != 9 || s.Median != 4.5 {
		t.Errorf("got %+v, want n 8, mean 5, median 4.5, range 2 to 9", s)
	}
	if math.Abs(s.MeanLow-3.212512) > 1e-6 || math.Abs(s.MeanHigh-6.787488) > 1e-6 {
		t.Errorf("mean interval %v to %v, want 3.212512 to 6.787488", s.MeanLow, s.MeanHigh)
	}
	// n = 8: P(B ≤ 0) = 1/256 ≤ 0.025 < P(B ≤ 1) = 9/256: the 1st and 8th.
	if s.MedianLow != 2 || s.MedianHigh != 9 {
		t.Errorf("median interval %v to %v, want 2 to 9", s.MedianLow, s.MedianHigh)
	}
}

func TestHistogram(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want []Bin
	}{
		// 10 values: 5 bins of 1.8, rounded to 2, from 0; 10 falls in the
		// last bin, which includes its upper edge.
		{"one to ten", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			[]Bin{{0, 2, 1}, {2, 4, 2}, {4, 6, 2}, {6, 8, 2}, {8, 10, 3}}},
		{"all equal", []float64{3, 3, 3}, []Bin{{3, 4, 3}}},
		// Range 1,000 over 5 bins is 200.
		{"prices", []float64{0, 150, 199, 200, 999, 1000},
			[]Bin{{0, 200, 3}, {200, 400, 1}, {400, 600, 0}, {600, 800, 0}, {800, 1000, 2}}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Histogram(tt.xs)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("bin %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
