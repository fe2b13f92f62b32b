package action

import (
	"context"
	"errors"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
)

// effect measures action a's effect on its question's figure for the
// lister's audience, with the labels of the answers the figure counts.
//
// Each window's figure is the report's own: report.Build for the question
// with its default metric, over all periods together, from the window's
// first day to its last, complete responses only, so that it equals what
// `heard report --question Q --period all --from F --to T` prints. The
// minimum base is the survey's board policy's (10 under heard's rule),
// for staff too. The board sees a window's figure only when the policy
// would publish it (see boardEffect).
func (l *lister) effect(ctx context.Context, a analytics.Action) (analytics.Effect, []string, error) {
	e, positive, err := l.measure(ctx, a)
	e.Months, e.MinBase = a.Months, l.publish.MinBase
	return e, positive, err
}

// measure is effect without the months and minimum base filled in.
func (l *lister) measure(ctx context.Context, a analytics.Action) (analytics.Effect, []string, error) {
	switch {
	case a.Question == "":
		return analytics.NoEffect(analytics.EffectNoQuestion, a.Months), nil, nil
	case !a.Effective():
		return analytics.NoEffect(analytics.EffectNotDone, a.Months), nil, nil
	}
	before, after, err := analytics.EffectWindows(a.Done, a.Months)
	if err != nil {
		return analytics.Effect{}, nil, err
	}
	b, positive, err := l.windowRate(ctx, a.Question, before)
	var pe *analytics.ParamError
	if errors.As(err, &pe) || errors.Is(err, errNotShare) {
		// A question without a share to count (free text, a mean score):
		// there is nothing to compare.
		return analytics.NoEffect(analytics.EffectNotShare, a.Months), nil, nil
	}
	if err != nil {
		return analytics.Effect{}, nil, err
	}
	ended := l.today > after.To
	var f analytics.Rate
	if ended || l.aud != Board { // the board sees no figure of a window still filling
		if f, _, err = l.windowRate(ctx, a.Question, after); err != nil {
			return analytics.Effect{}, nil, err
		}
	}
	var e analytics.Effect
	if l.aud == Board {
		e = boardEffect(b, f, ended, l.publish)
	} else {
		e = analytics.CompareRates(b, f, ended, l.publish.MinBase, 0)
	}
	e.Before, e.After = before, after
	return e, positive, nil
}

// errNotShare is a question whose default figure is not a share.
var errNotShare = errors.New("the figure is not a share")

// windowRate is the question's figure over window w, as a report makes
// it, with the labels of the answers it counts as positive.
func (l *lister) windowRate(ctx context.Context, question string, w analytics.Window) (analytics.Rate, []string, error) {
	rep, err := report.Build(ctx, l.st, report.Params{Survey: l.r.Survey().Name, Question: question,
		Period: string(analytics.PeriodAll), From: w.From, To: w.To})
	if err != nil {
		return analytics.Rate{}, nil, err
	}
	if m := rep.Metric.Measure; m != "" && m != analytics.MeasureShare {
		return analytics.Rate{}, nil, errNotShare
	}
	var n, pos int64
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup && r.N != nil && r.Positive != nil {
			n, pos = *r.N, *r.Positive
		}
	}
	return analytics.NewRate(pos, n, rep.Confidence), rep.Metric.Positive, nil
}

// boardEffect is the effect the board may see: each window's figure put
// through the survey's disclosure policy as a period of its own
// (analytics.Suppress: a base under the minimum, a small count, 0% or
// 100% on a small base are hidden; under a rounding policy the counts are
// rounded), and compared only when both are shown. An after window that
// has not ended is not shown at all: its figure grows day by day, and two
// days' figures would give away the answers in between.
func boardEffect(before, after analytics.Rate, ended bool, d analytics.Disclosure) analytics.Effect {
	rows := []analytics.ReportRow{rowOf("before", before), rowOf("after", after)}
	analytics.Suppress(rows, d)
	shown := func(r analytics.ReportRow) (analytics.Rate, bool) {
		if r.Suppressed || r.N == nil || r.Positive == nil {
			return analytics.Rate{}, false
		}
		return analytics.NewRate(*r.Positive, *r.N, 0), true
	}
	b, okBefore := shown(rows[0])
	if !ended {
		e := analytics.CompareRates(b, analytics.Rate{}, false, d.MinBase, 0)
		e.BeforeHidden, e.AfterHidden = !okBefore, true
		return e
	}
	f, okAfter := shown(rows[1])
	if !okBefore || !okAfter {
		e := analytics.NoEffect(analytics.EffectNotShown, 0)
		e.BeforeHidden, e.AfterHidden = true, true
		return e
	}
	return analytics.CompareRates(b, f, true, d.MinBase, 0)
}

// rowOf is a window's figure as a report row of its own period.
func rowOf(period string, r analytics.Rate) analytics.ReportRow {
	n, pos := r.N, r.Positive
	return analytics.ReportRow{Period: period, N: &n, Positive: &pos}
}
