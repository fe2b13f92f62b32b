package report

import (
	"context"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// Resolved is report parameters checked against their survey's mapping:
// the survey, its questions and dimensions, and the count query the
// parameters' dates and filters make, for a use case that reads responses
// the way a report would (the comments, a saved metric).
type Resolved struct{ r *reporter }

// Resolve reads the survey p names and checks every parameter but the
// question and metric.
func Resolve(ctx context.Context, st *store.Store, p Params) (*Resolved, error) {
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return nil, err
	}
	return &Resolved{r: r}, nil
}

// Survey is the survey the parameters name.
func (x *Resolved) Survey() analytics.Survey { return x.r.cols.survey }

// Questions are the survey's questions, in stored order.
func (x *Resolved) Questions() []analytics.Question { return x.r.cols.questions }

// Dimensions are the survey's dimensions, in stored order.
func (x *Resolved) Dimensions() []analytics.Dimension { return x.r.cols.dimensions }

// Query is the count query of the parameters' dates and filters.
func (x *Resolved) Query() store.CountQuery { return x.r.query }

// Question finds a question by code or heading; param names the parameter
// that gave it, for the error.
func (x *Resolved) Question(param, name string) (analytics.Question, error) {
	return x.r.cols.findQuestion(param, name)
}
