package analytics

import (
	"math"
	"sort"
)

// NormalCDF returns P(Z ≤ x) for a standard normal Z.
func NormalCDF(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// NormalQuantile returns x such that P(Z ≤ x) = p for a standard normal Z:
// -Inf at 0, +Inf at 1, NaN outside [0, 1]. It starts from the inverse
// complementary error function, which is only good to about 1e-9 in the far
// tails, and polishes it with Newton steps on the lower tail, where erfc
// keeps its relative precision.
func NormalQuantile(p float64) float64 {
	switch {
	case p < 0 || p > 1 || math.IsNaN(p):
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p > 0.5:
		return -NormalQuantile(1 - p) // 1 − p is exact here
	}
	x := -math.Sqrt2 * math.Erfcinv(2*p)
	for range 2 {
		step := (NormalCDF(x) - p) / (math.Exp(-x*x/2) / math.Sqrt(2*math.Pi))
		if math.IsNaN(step) || math.IsInf(step, 0) {
			break
		}
		x -= step
	}
	return x
}

// TCDF returns P(T ≤ t) for Student's t distribution with df degrees of
// freedom (df > 0, not necessarily whole; +Inf gives the normal), through the
// regularized incomplete beta function:
// P(T > t) = ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0.
func TCDF(t, df float64) float64 {
	switch {
	case math.IsNaN(t) || math.IsNaN(df) || df <= 0:
		return math.NaN()
	case math.IsInf(df, 1):
		return NormalCDF(t)
	case t >= 0:
		return 1 - tTail(t, df)
	default:
		return tTail(-t, df)
	}
}

// tTail is P(T > t) for t ≥ 0.
func tTail(t, df float64) float64 {
	if math.IsInf(t, 1) {
		return 0
	}
	return 0.5 * RegIncBeta(df/(df+t*t), df/2, 0.5)
}

// tDensity is the density of Student's t with df degrees of freedom.
func tDensity(t, df float64) float64 {
	lg1, _ := math.Lgamma((df + 1) / 2)
	lg2, _ := math.Lgamma(df / 2)
	return math.Exp(lg1 - lg2 - 0.5*math.Log(df*math.Pi) - (df+1)/2*math.Log1p(t*t/df))
}

// TQuantile returns t such that P(T ≤ t) = p for Student's t distribution
// with df degrees of freedom: the value t.test uses for its interval is
// TQuantile(0.975, n−1). It solves for the upper tail by Newton's method,
// kept inside a bracket by bisection, to about 1e-12 relative precision.
func TQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1 || math.IsNaN(df) || df <= 0:
		return math.NaN()
	case math.IsInf(df, 1):
		return NormalQuantile(p)
	case p == 0.5:
		return 0
	case p < 0.5:
		return -TQuantile(1-p, df)
	case p == 1:
		return math.Inf(1)
	}
	q := 1 - p // the upper tail to reach
	lo, hi := 0.0, math.Max(1, NormalQuantile(p))
	for tTail(hi, df) > q {
		lo, hi = hi, hi*2
	}
	t := (lo + hi) / 2
	for range 200 {
		diff := tTail(t, df) - q // decreasing in t
		if diff > 0 {
			lo = t
		} else {
			hi = t
		}
		next := t + diff/tDensity(t, df)
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-t) <= 1e-13*math.Max(1, t) {
			return next
		}
		t = next
	}
	return t
}

// RegIncBeta returns the regularized incomplete beta function I_x(a, b) for
// 0 ≤ x ≤ 1 and a, b > 0, from its continued fraction (DLMF 8.17.22),
// evaluated by the modified Lentz method on whichever of I_x(a, b) and
// 1 − I_{1−x}(b, a) converges faster.
func RegIncBeta(x, a, b float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0 || x > 1 || !(a > 0) || !(b > 0):
		return math.NaN()
	case x == 0:
		return 0
	case x == 1:
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - RegIncBeta(1-x, b, a)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(a*math.Log(x) + b*math.Log1p(-x) - (la + lb - lab))
	return front * betaFraction(x, a, b) / a
}

// betaFraction evaluates 1/(1+ d1/(1+ d2/(1+ ...))) with
// d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d(2m) = m(b−m)x / ((a+2m−1)(a+2m)).
func betaFraction(x, a, b float64) float64 {
	const tiny, eps = 1e-300, 1e-16
	guard := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c := 1.0
	d := 1 / guard(1-(a+b)*x/(a+1))
	h := d
	for m := 1.0; m <= 1000; m++ {
		even := m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		d = 1 / guard(1+even*d)
		c = guard(1 + even/c)
		h *= d * c
		odd := -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		d = 1 / guard(1+odd*d)
		c = guard(1 + odd/c)
		step := d * c
		h *= step
		if math.Abs(step-1) < eps {
			break
		}
	}
	return h
}

// TwoProportionZ compares x1/n1 with x2/n2 by the pooled two-proportion z
// test and returns z (positive when the first proportion is higher) and the
// two-sided p-value. z² is the Pearson chi-square of the 2×2 table without
// continuity correction, so p equals R's prop.test(correct = FALSE). When
// both proportions are 0% or both 100% there is no difference to test: z is 0
// and p is 1. An empty group or impossible counts give NaN.
func TwoProportionZ(x1, n1, x2, n2 int64) (z, p float64) {
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
		return math.NaN(), math.NaN()
	}
	f1, f2 := float64(n1), float64(n2)
	pooled := float64(x1+x2) / (f1 + f2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/f1 + 1/f2))
	if se == 0 {
		return 0, 1
	}
	z = (float64(x1)/f1 - float64(x2)/f2) / se
	return z, normalTwoSided(z)
}

// normalTwoSided is the two-sided p-value of a standard normal statistic.
func normalTwoSided(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// Holm returns Holm's step-down adjustment of the p-values p, in the same
// order, as R's p.adjust(p, "holm"): the i-th smallest of m p-values is
// multiplied by m−i+1, made non-decreasing along the sorted order and capped
// at 1. NaN entries stay NaN and do not count in m, as R treats NA.
func Holm(p []float64) []float64 {
	out := make([]float64, len(p))
	order := make([]int, 0, len(p))
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] < p[order[b]] })
	m, running := len(order), 0.0
	for rank, i := range order {
		running = math.Max(running, math.Min(1, float64(m-rank)*p[i]))
		out[i] = running
	}
	return out
}

// MeanInterval returns the mean of n values, given their sum and sum of
// squares, with the Student t interval at the given confidence (0 means
// DefaultConfidence), as R's t.test: mean ± t(1−α/2, n−1)·s/√n. With n = 1
// the mean has no interval (NaN ends); with n < 1 everything is NaN.
func MeanInterval(sum, sumSq float64, n int64, confidence float64) (mean, low, high float64) {
	if n < 1 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	nf := float64(n)
	mean = sum / nf
	variance := math.NaN()
	if n > 1 {
		variance = math.Max(0, (sumSq-sum*sum/nf)/(nf-1))
	}
	low, high = tInterval(mean, variance, n, confidence)
	return mean, low, high
}

// tInterval is mean ± t·sqrt(variance/n) with n−1 degrees of freedom.
func tInterval(mean, variance float64, n int64, confidence float64) (low, high float64) {
	if confidence == 0 {
		confidence = DefaultConfidence
	}
	if n < 2 || math.IsNaN(variance) || !(confidence > 0 && confidence < 1) {
		return math.NaN(), math.NaN()
	}
	half := TQuantile(1-(1-confidence)/2, float64(n-1)) * math.Sqrt(variance/float64(n))
	return mean - half, mean + half
}

// welchP is the two-sided p-value of Welch's unequal-variances t test of
// two means, each given with its sample variance and size; NaN when it
// cannot be computed (a size below 2, or no spread in either group).
func welchP(m1, v1 float64, n1 int64, m2, v2 float64, n2 int64) float64 {
	if n1 < 2 || n2 < 2 {
		return math.NaN()
	}
	s1, s2 := v1/float64(n1), v2/float64(n2)
	if s1+s2 == 0 {
		return math.NaN()
	}
	t := (m1 - m2) / math.Sqrt(s1+s2)
	df := (s1 + s2) * (s1 + s2) / (s1*s1/float64(n1-1) + s2*s2/float64(n2-1))
	return 2 * tTail(math.Abs(t), df)
}
