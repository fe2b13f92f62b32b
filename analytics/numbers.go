package analytics

import (
	"math"
	"slices"
)

// NumberSummary describes the answers to a number question: how many, the
// mean and the median, each with its interval, and the range. Figures that
// cannot be computed (no answers; an interval on too few) are NaN.
type NumberSummary struct {
	N int64
	// Mean with the Student t interval (MeanInterval).
	Mean, MeanLow, MeanHigh float64
	// Median with the distribution-free interval of MedianInterval.
	Median, MedianLow, MedianHigh float64
	Min, Max                      float64
}

// SummariseNumbers summarises values at the given confidence (0 means
// DefaultConfidence). NaN and infinite values are left out.
func SummariseNumbers(values []float64, confidence float64) NumberSummary {
	xs := finiteSorted(values)
	s := NumberSummary{N: int64(len(xs))}
	var sum, sumSq float64
	for _, x := range xs {
		sum, sumSq = sum+x, sumSq+x*x
	}
	s.Mean, s.MeanLow, s.MeanHigh = MeanInterval(sum, sumSq, s.N, confidence)
	s.Median, s.MedianLow, s.MedianHigh = MedianInterval(xs, confidence)
	s.Min, s.Max = math.NaN(), math.NaN()
	if len(xs) > 0 {
		s.Min, s.Max = xs[0], xs[len(xs)-1]
	}
	return s
}

// finiteSorted returns the finite values, sorted.
func finiteSorted(values []float64) []float64 {
	xs := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs = append(xs, v)
		}
	}
	slices.Sort(xs)
	return xs
}

// MedianInterval returns the median of sorted values and its
// distribution-free (order statistic) interval at the given confidence (0
// means DefaultConfidence): the values of ranks l and n+1−l, where l is the
// largest rank with P(B ≤ l−1) ≤ α/2 for B ~ Binomial(n, ½), so that the
// interval covers the population median with probability at least
// 1 − α whatever the distribution (Conover, Practical Nonparametric
// Statistics, 3rd ed., §3.2). With too few values for that coverage (fewer
// than 6 at 95%) the interval's ends are NaN; with none, everything is NaN.
func MedianInterval(sorted []float64, confidence float64) (median, low, high float64) {
	n := len(sorted)
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	if n%2 == 1 {
		median = sorted[n/2]
	} else {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	if confidence == 0 {
		confidence = DefaultConfidence
	}
	if !(confidence > 0 && confidence < 1) {
		return median, math.NaN(), math.NaN()
	}
	tail := (1 - confidence) / 2
	// cdf accumulates P(B ≤ k) term by term in log space, which neither
	// underflows nor loses the small terms for large n.
	l, cdf := 0, 0.0
	for k := 0; k <= n/2; k++ {
		cdf += math.Exp(logChoose(n, k) - float64(n)*math.Ln2)
		if cdf > tail {
			break
		}
		l = k + 1
	}
	if l < 1 {
		return median, math.NaN(), math.NaN()
	}
	return median, sorted[l-1], sorted[n-l]
}

// logChoose is ln C(n, k).
func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// Bin is one bar of a histogram: the values from Low up to but not
// including High (the last bin includes its High), and how many there are.
type Bin struct {
	Low, High float64
	N         int64
}

// Histogram counts values into bins of equal, round width (1, 2, 2.5 or 5
// times a power of ten) starting at a multiple of the width, about
// Sturges' number of them (⌈log₂ n⌉ + 1, from 5 to 20). NaN and infinite
// values are left out; no values give no bins.
func Histogram(values []float64) []Bin {
	xs := finiteSorted(values)
	if len(xs) == 0 {
		return nil
	}
	lo, hi := xs[0], xs[len(xs)-1]
	k := min(20, max(5, int(math.Ceil(math.Log2(float64(len(xs)))))+1))
	width := niceWidth((hi - lo) / float64(k))
	start := math.Floor(lo/width) * width
	count := max(1, int(math.Ceil((hi-start)/width-1e-9)))
	bins := make([]Bin, count)
	for i := range bins {
		bins[i].Low, bins[i].High = start+float64(i)*width, start+float64(i+1)*width
	}
	for _, x := range xs {
		i := min(count-1, int(math.Floor((x-start)/width)))
		bins[i].N++
	}
	return bins
}

// niceWidth rounds w up to 1, 2, 2.5 or 5 times a power of ten (1 for a
// width of 0).
func niceWidth(w float64) float64 {
	if !(w > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(w)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if w <= m*p*(1+1e-12) {
			return m * p
		}
	}
	return 10 * p
}
