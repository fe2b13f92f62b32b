package api

import (
	"context"
	"fmt"

	"github.com/heard-council/heard/analytics"
)

// demoTags are the statements the demo survey's questions speak to, by the
// question's words: the CQC quality statement and the Making It Real theme
// each question is evidence for.
var demoTags = []struct {
	question   string
	statements []string
}{
	{"Overall, how satisfied or dissatisfied are you with the assessment and care planning process?", []string{"cqc:assessing-needs"}},
	{"Overall, how satisfied or dissatisfied are you with the care and support you receive?", []string{"cqc:care-provision", "mir:flexible-care"}},
	{"I was listened to", []string{"cqc:assessing-needs"}},
	{"I was treated with dignity and respect", []string{"cqc:equity"}},
	{"I had enough information to make decisions", []string{"cqc:assessing-needs", "mir:information"}},
	{"My views were included in my care plan", []string{"cqc:assessing-needs", "mir:flexible-care"}},
	{"I know who to contact if my needs change", []string{"cqc:safe-pathways", "mir:change"}},
	{"Overall, how was your experience of our service?", []string{"cqc:care-provision"}},
	{"How easy was it to contact us?", []string{"mir:information"}},
	{"How easy was it to find information about support?", []string{"cqc:healthier-lives", "mir:information"}},
	{"Were you offered a copy of your care plan?", []string{"cqc:assessing-needs"}},
	{"Were you involved as much as you wanted to be?", []string{"cqc:assessing-needs", "mir:flexible-care"}},
	{"Did the support help you stay independent?", []string{"cqc:healthier-lives", "mir:wellbeing"}},
}

// tagDemo tags the demo survey's questions with the statements they speak
// to, as an analyst would, so that its results by statement have
// something to show.
func (s *Server) tagDemo(ctx context.Context, survey analytics.Survey, by analytics.Actor) error {
	qs, _, err := s.store.Questions(ctx, survey.ID)
	if err != nil {
		return err
	}
	codes := map[string]string{}
	for _, q := range qs {
		codes[q.Text] = q.Code
	}
	for _, d := range demoTags {
		code, ok := codes[d.question]
		if !ok {
			return fmt.Errorf("tag the demo survey: it has no question %q", d.question)
		}
		for _, st := range d.statements {
			ref, err := analytics.ParseStatementRef(st)
			if err != nil {
				return fmt.Errorf("tag the demo survey: %w", err)
			}
			if _, err := s.store.Tag(ctx, survey.ID, analytics.StatementTag{Question: code, Statement: ref}, by); err != nil {
				return fmt.Errorf("tag the demo survey: %w", err)
			}
		}
	}
	return nil
}
