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
