package analytics

import (
	"fmt"
	"math"
	"time"
)

// DifferenceInterval returns Newcombe's hybrid score interval for the
// difference p1 − p2 of two independent proportions p1 = x1/n1 and
// p2 = x2/n2, at the given confidence (0 means DefaultConfidence): method
// 10 of Newcombe (1998), "Interval estimation for the difference between
// independent proportions: comparison of eleven methods", Statistics in
// Medicine 17:873-890. With (l1, u1) and (l2, u2) the Wilson score
// intervals of each proportion at the same confidence,
//
//	low  = (p1 − p2) − sqrt((p1 − l1)² + (u2 − p2)²)
//	high = (p1 − p2) + sqrt((u1 − p1)² + (p2 − l2)²)
//
// Like Wilson's interval it behaves at 0% and 100% and stays inside
// [−1, 1]. Without a base (n1 or n2 of 0) there is no difference and so no
// interval: both ends are NaN, as they are for counts that cannot be
// proportions or a confidence outside (0, 1).
func DifferenceInterval(x1, n1, x2, n2 int64, confidence float64) (low, high float64) {
	if n1 <= 0 || n2 <= 0 {
		return math.NaN(), math.NaN()
	}
	l1, u1 := Wilson(x1, n1, confidence)
	l2, u2 := Wilson(x2, n2, confidence)
	if math.IsNaN(l1) || math.IsNaN(l2) {
		return math.NaN(), math.NaN()
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	d := p1 - p2
	low = d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	high = d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return math.Max(-1, low), math.Min(1, high)
}

// Window is a span of whole London days, From to To inclusive, written
// "2024-03-01" and "2024-08-31".
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Months is the number of calendar months the window touches: 6 for
// 2024-03-01 to 2024-08-31; 0 for a window that is not one.
func (w Window) Months() int {
	from, err1 := time.Parse(time.DateOnly, w.From)
	to, err2 := time.Parse(time.DateOnly, w.To)
	if err1 != nil || err2 != nil || to.Before(from) {
		return 0
	}
	return (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
}

// PeriodsWithin returns the keys of the periods of kind that lie wholly
// inside the window w of whole months, in time order, and the window they
// cover together (from the first day of the first to the last day of the
// last); none for PeriodAll, or when no period fits. A board publishes
// figures by one kind of period only, so an effect shown to the board is
// made of these periods' published figures and says nothing they do not.
func PeriodsWithin(kind PeriodKind, w Window) (keys []string, covered Window) {
	from, err1 := time.Parse(time.DateOnly, w.From)
	to, err2 := time.Parse(time.DateOnly, w.To)
	if kind == PeriodAll || err1 != nil || err2 != nil || to.Before(from) {
		return nil, Window{}
	}
	// Every period is at most 12 months long: look a year either side.
	first := time.Date(from.Year()-1, from.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(to.Year()+1, to.Month(), 1, 0, 0, 0, 0, time.UTC)
	inside := map[string]bool{}
	var order []string
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		key, err := PeriodOf(kind, m.Format("2006-01"))
		if err != nil {
			return nil, Window{}
		}
		in := !m.Before(from) && !m.AddDate(0, 1, -1).After(to)
		if was, seen := inside[key]; !seen {
			inside[key] = in
			order = append(order, key)
		} else {
			inside[key] = was && in
		}
	}
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		key, _ := PeriodOf(kind, m.Format("2006-01"))
		if !inside[key] {
			continue
		}
		if covered.From == "" {
			covered.From = m.Format(time.DateOnly)
		}
		covered.To = m.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	for _, k := range order {
		if inside[k] {
			keys = append(keys, k)
		}
	}
	return keys, covered
}

// DefaultEffectMonths and MaxEffectMonths are the months an action's
// effect compares before and after it, when none is chosen and at most.
const (
	DefaultEffectMonths = 6
	MaxEffectMonths     = 24
)

// EffectWindows returns the two windows an action's effect compares: the
// months whole London months before the month of the day done, and the
// months whole months after it. The month done itself is in neither: its
// responses may come before or after the change. Whole months are what the
// survey's figures are made of, so each window is a sum of monthly figures
// and never splits one; done "2024-09-15" with 6 months gives 2024-03-01
// to 2024-08-31 and 2024-10-01 to 2025-03-31.
func EffectWindows(done string, months int) (before, after Window, err error) {
	d, err := time.Parse(time.DateOnly, done)
	if err != nil || len(done) != len(time.DateOnly) {
		return Window{}, Window{}, fmt.Errorf("%q is not a date: write it as 2024-09-15", done)
	}
	if months < 1 || months > MaxEffectMonths {
		return Window{}, Window{}, fmt.Errorf("%d months: choose from 1 to %d", months, MaxEffectMonths)
	}
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	before = Window{From: day(first.AddDate(0, -months, 0)), To: day(first.AddDate(0, 0, -1))}
	after = Window{From: day(first.AddDate(0, 1, 0)), To: day(first.AddDate(0, months+1, -1))}
	return before, after, nil
}

// EffectResult is what an action's measured effect comes to.
type EffectResult string

// The results. The first three are measured; the others say why there is
// no verdict.
const (
	// EffectRose and EffectFell are a change larger than chance would
	// easily explain: p under 1 − the confidence level (0.05).
	EffectRose EffectResult = "rose"
	EffectFell EffectResult = "fell"
	// EffectNoClearChange is a change chance could explain.
	EffectNoClearChange EffectResult = "no-clear-change"
	// EffectTooEarly is an after window that has not ended yet.
	EffectTooEarly EffectResult = "too-early"
	// EffectTooFew is a before or after base under the minimum base.
	EffectTooFew EffectResult = "too-few"
	// EffectNotShown is an effect the board may not see: a before or after
	// figure its disclosure policy hides.
	EffectNotShown EffectResult = "not-shown"
	// EffectNoQuestion is an action linked to no question, so with no
	// figure to compare.
	EffectNoQuestion EffectResult = "no-question"
	// EffectNotDone is an action not done yet.
	EffectNotDone EffectResult = "not-done"
	// EffectNotShare is a question whose figure is not a share (a mean
	// score or a Net Promoter Score), which the two-proportion test and
	// Newcombe's interval do not fit.
	EffectNotShare EffectResult = "not-a-share"
)

// Measured reports whether the result is a verdict on figures.
func (r EffectResult) Measured() bool {
	return r == EffectRose || r == EffectFell || r == EffectNoClearChange
}

// Effect is an action's measured effect: the tagged question's rate in the
// months before the action was done and in the months after, the
// difference after − before with Newcombe's interval, and the pooled
// two-proportion z test's two-sided p. Values not computed are NaN.
type Effect struct {
	Months        int
	Before, After Window
	// BeforeRate and AfterRate are the question's figure in each window;
	// N = 0 when nobody answered, or when the figure is hidden from the
	// board, which BeforeHidden and AfterHidden say.
	BeforeRate, AfterRate     Rate
	BeforeHidden, AfterHidden bool
	Difference, Low, High     float64
	P                         float64
	Confidence                float64
	// MinBase is the smallest base on which a change is tested.
	MinBase int64
	Result  EffectResult
}

// NoEffect is an effect with nothing measured, for result r (which says
// why).
func NoEffect(r EffectResult, months int) Effect {
	nan := math.NaN()
	return Effect{Months: months, Difference: nan, Low: nan, High: nan, P: nan, Result: r}
}

// CompareRates measures the change from before to after: the difference
// after − before with Newcombe's interval (DifferenceInterval) whenever
// both windows have answers, and the two-proportion z test's p
// (TwoProportionZ) when both bases are at least minBase, as reports compute
// no p-value on a smaller base. The result is EffectTooEarly while the
// after window has not ended, EffectTooFew under minBase, and otherwise
// EffectRose or EffectFell when p is under 1 − confidence (0.05 at the
// default 95%), else EffectNoClearChange. Figures come with the verdict
// whatever it is, so that staff can see what there is so far.
func CompareRates(before, after Rate, ended bool, minBase int64, confidence float64) Effect {
	if confidence == 0 {
		confidence = DefaultConfidence
	}
	e := NoEffect(EffectNoClearChange, 0)
	e.BeforeRate, e.AfterRate, e.Confidence, e.MinBase = before, after, confidence, minBase
	if before.Valid() && after.Valid() {
		e.Difference = after.Rate - before.Rate
		e.Low, e.High = DifferenceInterval(after.Positive, after.N, before.Positive, before.N, confidence)
		if before.N >= minBase && after.N >= minBase {
			_, e.P = TwoProportionZ(after.Positive, after.N, before.Positive, before.N)
		}
	}
	switch {
	case !ended:
		e.Result = EffectTooEarly
	case !before.Valid() || !after.Valid() || before.N < minBase || after.N < minBase:
		e.Result = EffectTooFew
	case e.P < 1-confidence && e.Difference > 0:
		e.Result = EffectRose
	case e.P < 1-confidence && e.Difference < 0:
		e.Result = EffectFell
	}
	return e
}
