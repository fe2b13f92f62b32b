package report

import (
	"context"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// Headline is question q's figure over all complete responses of survey
// surveyID, with its metric and base ("81.8% positive (11 answers)"), or
// a sentence saying why it has none. The set-up page and `heard survey`
// show it before and after a change to the question, which q may hold
// before it is saved: its stored answers are counted by q.ID.
func Headline(ctx context.Context, st *store.Store, surveyID int64, q analytics.Question) (string, error) {
	m, err := analytics.DefaultMetric(q)
	if err != nil {
		return "no figure: no answer counts as positive yet", nil
	}
	counts, err := st.Counts(ctx, surveyID, store.CountQuery{Question: q.ID})
	if err != nil {
		return "", fmt.Errorf("figure of question %q: %w", q.Code, err)
	}
	rep := analytics.BuildReport(q, m, counts, analytics.ReportOptions{Period: analytics.PeriodAll})
	for _, r := range rep.Rows {
		if r.Group != analytics.AllGroup || r.Rate == nil || r.N == nil {
			continue
		}
		value, base := dashboards.Value(m.Measure, *r.Rate, false), dashboards.Plural(int(*r.N), "answer")
		if rest, ok := strings.CutPrefix(m.Name, "% "); ok {
			return fmt.Sprintf("%s %s (%s)", value, rest, base), nil
		}
		return fmt.Sprintf("%s (%s, %s)", value, m.Name, base), nil
	}
	return "no figure: no answers yet", nil
}
