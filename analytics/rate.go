package analytics

import "math"

// DefaultConfidence is the confidence level of intervals when none is given.
const DefaultConfidence = 0.95

// Rate is a share with everything needed to read it honestly: the base N
// (every valid answer minus the excluded options), the Positive count, the
// Rate itself (Positive/N, from 0 to 1) and its Wilson score interval.
//
// A Rate with N = 0 has no value: Rate is 0, the interval is the whole range
// [0, 1] (it says nothing), and Valid reports false. Show it as "no
// answers", never as 0%.
type Rate struct {
	N        int64   `json:"n"`
	Positive int64   `json:"positive"`
	Rate     float64 `json:"rate"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

// NewRate returns the rate positive/n with its Wilson score interval at the
// given confidence (0 means DefaultConfidence). Counts that cannot be a rate
// (negative, or positive > n) give NaN values, like the math package does.
func NewRate(positive, n int64, confidence float64) Rate {
	r := Rate{N: n, Positive: positive}
	r.Low, r.High = Wilson(positive, n, confidence)
	switch {
	case positive < 0 || positive > n:
		r.Rate = math.NaN()
	case n > 0:
		r.Rate = float64(positive) / float64(n)
	}
	return r
}

// Valid reports whether the rate has a base, and so a value.
func (r Rate) Valid() bool { return r.N > 0 && r.Positive >= 0 && r.Positive <= r.N }

// Wilson returns the Wilson score interval of the proportion positive/n at
// the given confidence (0 means DefaultConfidence):
//
//	centre ± half-width = (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)
//
// with p = positive/n and z the normal quantile at 1 − (1 − confidence)/2
// (Wilson 1927; Newcombe 1998, method 3). Unlike the Wald interval it stays
// inside [0, 1] and behaves at 0% and 100%; the ends are exactly 0 and 1 there.
// With n = 0 there is no information and the interval is [0, 1]. Counts that
// cannot be a proportion, or a confidence outside (0, 1), give NaN.
func Wilson(positive, n int64, confidence float64) (low, high float64) {
	if confidence == 0 {
		confidence = DefaultConfidence
	}
	if positive < 0 || positive > n || !(confidence > 0 && confidence < 1) {
		return math.NaN(), math.NaN()
	}
	if n == 0 {
		return 0, 1
	}
	z := NormalQuantile(1 - (1-confidence)/2)
	nf := float64(n)
	p := float64(positive) / nf
	z2 := z * z
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	low, high = math.Max(0, centre-half), math.Min(1, centre+half)
	if positive == 0 {
		low = 0
	}
	if positive == n {
		high = 1
	}
	return low, high
}

// optionRole is what an option counts as in a metric.
type optionRole int

const (
	roleBase     optionRole = iota // in the base only
	roleExcluded                   // out of the base
	rolePositive
	roleNegative
)

// calculator computes a metric's figure from the counts of each option.
type calculator struct {
	measure    Measure
	roles      []optionRole
	scores     []float64
	confidence float64
}

// newCalculator prepares metric m of question q. Option indexes of m
// outside q's options are ignored (Metric.Validate reports them).
func newCalculator(q Question, m Metric, confidence float64) calculator {
	c := calculator{measure: m.Measure, roles: make([]optionRole, len(q.Options)),
		scores: make([]float64, len(q.Options)), confidence: confidence}
	if c.measure == "" {
		c.measure = MeasureShare
	}
	for i, o := range q.Options {
		c.scores[i] = o.Score
	}
	for role, idx := range [][]int{roleExcluded: m.Excluded, rolePositive: m.Positive, roleNegative: m.Negative} {
		for _, i := range idx {
			if i >= 0 && i < len(c.roles) {
				c.roles[i] = optionRole(role)
			}
		}
	}
	return c
}

// stat is a figure before it becomes a ReportRow. NaN marks no value.
type stat struct {
	n, pos, neg      int64
	value, low, high float64
	// variance is the variance of one answer's score (+1/0/−1 for NPS),
	// used to compare NPS and means.
	variance float64
}

// summarise computes the figure from the count of each option.
func (c calculator) summarise(counts []int64) stat {
	s := stat{value: math.NaN(), low: math.NaN(), high: math.NaN(), variance: math.NaN()}
	var sum float64
	for i, k := range counts {
		switch c.roles[i] {
		case roleExcluded:
			continue
		case rolePositive:
			s.pos += k
		case roleNegative:
			s.neg += k
		}
		s.n += k
		sum += float64(k) * c.scores[i]
	}
	if s.n == 0 {
		return s
	}
	n := float64(s.n)
	switch c.measure {
	case MeasureShare, MeasureNPS:
		c.fromCounts(&s)
	case MeasureMean:
		s.value = sum / n
		if s.n > 1 {
			var ss float64 // squares about the mean: steadier than Σx² − (Σx)²/n
			for i, k := range counts {
				if c.roles[i] != roleExcluded {
					ss += float64(k) * (c.scores[i] - s.value) * (c.scores[i] - s.value)
				}
			}
			s.variance = ss / (n - 1)
		}
		s.low, s.high = tInterval(s.value, s.variance, s.n, c.confidence)
	}
	return s
}

// fromCounts works a share's or an NPS's value, variance and interval out
// of s's base, positive and negative counts.
func (c calculator) fromCounts(s *stat) {
	n := float64(s.n)
	if c.measure == MeasureNPS {
		p, d := float64(s.pos)/n, float64(s.neg)/n
		s.value, s.variance = p-d, math.Max(0, p+d-(p-d)*(p-d))
		half := NormalQuantile(1-(1-c.confidence)/2) * math.Sqrt(s.variance/n)
		s.low, s.high = math.Max(-1, s.value-half), math.Min(1, s.value+half)
		return
	}
	s.value = float64(s.pos) / n
	s.low, s.high = Wilson(s.pos, s.n, c.confidence)
}

// compare returns the two-sided p-value of the difference between a and b
// (NaN when it cannot be computed): the pooled two-proportion z test for a
// share, a z test on the two variances for NPS, Welch's t test for a mean.
// Two figures with no spread at all differ by nothing (p = 1) or certainly,
// which no test measures (NaN).
func (c calculator) compare(a, b stat) float64 {
	if c.measure == MeasureShare {
		_, p := TwoProportionZ(a.pos, a.n, b.pos, b.n)
		return p
	}
	if a.n < 1 || b.n < 1 {
		return math.NaN()
	}
	if a.variance == 0 && b.variance == 0 {
		if a.value == b.value {
			return 1
		}
		return math.NaN()
	}
	if c.measure == MeasureMean {
		return welchP(a.value, a.variance, a.n, b.value, b.variance, b.n)
	}
	se := math.Sqrt(a.variance/float64(a.n) + b.variance/float64(b.n))
	return normalTwoSided((a.value - b.value) / se)
}

// row turns the figure into the report row of cell k.
func (s stat) row(k cellKey, measure Measure) ReportRow {
	r := ReportRow{Period: k.period, Group: k.group, N: &s.n,
		Rate: finite(s.value), CILow: finite(s.low), CIHigh: finite(s.high)}
	switch measure {
	case MeasureMean:
	case MeasureNPS:
		r.Positive, r.Negative = &s.pos, &s.neg
	default:
		r.Positive = &s.pos
	}
	return r
}
