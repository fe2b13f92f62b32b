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
// For staff each window's figure is the report's own: report.Build for
// the question with its default metric, over all periods together, from
// the window's first day to its last, complete responses only, so that it
// equals what `heard report --question Q --period all --from F --to T`
// prints. The minimum base is the survey's board policy's (10 under
// heard's rule), for staff too. The board's effect is made of the board's
// own published figures (see analytics.PublishedWithin).
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
	ended := l.today > after.To
	if l.aud == Board {
		return l.boardEffect(ctx, a.Question, before, after, ended)
	}
	b, positive, err := l.windowRate(ctx, a.Question, before)
	if notShare(err) {
		return analytics.NoEffect(analytics.EffectNotShare, a.Months), nil, nil
	}
	if err != nil {
		return analytics.Effect{}, nil, err
	}
	f, _, err := l.windowRate(ctx, a.Question, after)
	if err != nil {
		return analytics.Effect{}, nil, err
	}
	e := analytics.CompareRates(b, f, ended, l.publish.MinBase, 0)
	e.Before, e.After = before, after
	return e, positive, nil
}

// errNotShare is a question whose default figure is not a share.
var errNotShare = errors.New("the figure is not a share")

// notShare reports whether err says the question has no share to compare:
// a figure that is a mean or a net score, or none at all (free text).
func notShare(err error) bool {
	var pe *analytics.ParamError
	return errors.As(err, &pe) || errors.Is(err, errNotShare)
}

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

// boardEffect is the effect the board may see, made of the survey's board
// publication of the question (report.Build with Board): its overall
// figures by the board's period, under the survey's disclosure policy.
func (l *lister) boardEffect(ctx context.Context, question string, before, after analytics.Window, ended bool) (
	analytics.Effect, []string, error) {
	rep, err := report.Build(ctx, l.st, report.Params{Survey: l.r.Survey().Name, Question: question, Board: true})
	if notShare(err) {
		return analytics.NoEffect(analytics.EffectNotShare, 0), nil, nil
	}
	if err != nil {
		return analytics.Effect{}, nil, err
	}
	if m := rep.Metric.Measure; m != "" && m != analytics.MeasureShare {
		return analytics.NoEffect(analytics.EffectNotShare, 0), nil, nil
	}
	return publishedEffect(rep.Rows, rep.Period, before, after, ended, rep.Disclosure.WithDefaults()), rep.Metric.Positive, nil
}

// publishedEffect is an effect made only of published figures: rows are
// a board report's rows by period kind, each window's figure is the sum of
// the overall figures of the periods lying wholly inside it (the window
// the board is told is the one they cover), and it is shown only when none
// of those periods is hidden and the sum itself passes the policy d. Every
// number the board gets is then a sum of figures it is already shown, so
// it cannot give a hidden figure away, however actions' days are chosen.
// Without both figures there is no verdict (EffectNotShown), but the one
// published is shown. While the after window fills, only the before
// figure is shown, with the verdict "too early".
func publishedEffect(rows []analytics.ReportRow, kind analytics.PeriodKind, before, after analytics.Window, ended bool,
	d analytics.Disclosure) analytics.Effect {
	b, bw, okBefore := analytics.PublishedWithin(rows, kind, before, d)
	f, fw, okAfter := analytics.PublishedWithin(rows, kind, after, d)
	var e analytics.Effect
	switch {
	case !ended:
		e = analytics.CompareRates(b, analytics.Rate{}, false, d.MinBase, 0)
		e.BeforeHidden, e.AfterHidden = !okBefore, true
	case !okBefore || !okAfter:
		// No verdict; a window that is published is still shown.
		e = analytics.NoEffect(analytics.EffectNotShown, 0)
		e.BeforeRate, e.AfterRate, e.BeforeHidden, e.AfterHidden = b, f, !okBefore, !okAfter
	default:
		e = analytics.CompareRates(b, f, true, d.MinBase, 0)
	}
	e.Before, e.After = before, after
	if okBefore {
		e.Before = bw
	}
	if okAfter && ended {
		e.After = fw
	}
	return e
}
