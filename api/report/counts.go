package report

import (
	"context"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// Answers is how many responses gave each answer to a question,
// by month, under a view's filters, with the options a chart of them uses.
type Answers struct {
	Question analytics.Question
	Counts   []analytics.Count
	Options  analytics.ReportOptions
}

// Counts counts the answers to the question p names, with p's
// filters checked as a report checks them; p's breakdown is left out.
func Counts(ctx context.Context, st *store.Store, p Params) (Answers, error) {
	p.By = nil
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return Answers{}, err
	}
	q, err := r.cols.findQuestion("question", strings.TrimSpace(p.Question))
	if err != nil {
		return Answers{}, err
	}
	if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
		return Answers{}, usageErrorf("question %q is a %s question: only scale and single-choice answers are counted", q.Code, q.Kind)
	}
	query := r.query
	query.Question = q.ID
	counts, err := st.Counts(ctx, r.cols.survey.ID, query)
	if err != nil {
		return Answers{}, err
	}
	return Answers{Question: q, Counts: counts, Options: r.opts}, nil
}

// Ticks is how many responses answered a multiple-choice question and
// ticked each option, by month, under a view's filters.
type Ticks struct {
	Question analytics.Question
	Ticks    []analytics.TickCount
	Options  analytics.ReportOptions
}

// CountTicks counts the ticks of the multiple-choice question p names, with
// p's filters checked as a report checks them; p's breakdown is left out.
func CountTicks(ctx context.Context, st *store.Store, p Params) (Ticks, error) {
	p.By = nil
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return Ticks{}, err
	}
	q, err := r.cols.findQuestion("question", strings.TrimSpace(p.Question))
	if err != nil {
		return Ticks{}, err
	}
	if q.Kind != analytics.KindMulti {
		return Ticks{}, usageErrorf("question %q is a %s question, not a multiple-choice one", q.Code, q.Kind)
	}
	query := r.query
	query.Question = q.ID
	ticks, err := st.Ticks(ctx, r.cols.survey.ID, query)
	if err != nil {
		return Ticks{}, err
	}
	return Ticks{Question: q, Ticks: ticks, Options: r.opts}, nil
}

// Numbers are the answers to a number question under a view's filters.
type Numbers struct {
	Question analytics.Question
	Values   []float64
	Options  analytics.ReportOptions
}

// ReadNumbers reads the answers to the number question p names, with p's
// filters checked as a report checks them; p's breakdown is left out.
func ReadNumbers(ctx context.Context, st *store.Store, p Params) (Numbers, error) {
	p.By = nil
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return Numbers{}, err
	}
	q, err := r.cols.findQuestion("question", strings.TrimSpace(p.Question))
	if err != nil {
		return Numbers{}, err
	}
	if q.Kind != analytics.KindNumber {
		return Numbers{}, usageErrorf("question %q is a %s question, not a number one", q.Code, q.Kind)
	}
	query := r.query
	query.Question = q.ID
	values, err := st.Numbers(ctx, r.cols.survey.ID, query)
	if err != nil {
		return Numbers{}, err
	}
	return Numbers{Question: q, Values: values, Options: r.opts}, nil
}
