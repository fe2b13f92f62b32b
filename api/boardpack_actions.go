package api

import (
	"context"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/dashboards"
)

// packActions is the pack's "you said, we did": the survey's actions as
// the board reads them (action.List for action.Board: no owner, no names,
// each effect under the survey's disclosure policy), those agreed or done
// by the end of the pack's period. The staff-chosen quote is left out: the
// pack shows no words anyone wrote in a comment, even redacted.
type packActions struct {
	Rows []packAction
}

// packAction is one action: what people said, what the council did and
// when, and its measured effect in words.
type packAction struct {
	Said, Did, Question, Status, Done, Effect string
}

// packActionsOf lists the actions for period key of kind, the most
// recently done first; nothing when the survey has none.
func (s *Server) packActionsOf(ctx context.Context, v surveyView, kind analytics.PeriodKind, key string, now time.Time) (packActions, error) {
	list, err := action.List(ctx, s.store, v.survey.Name, action.Board, now)
	if err != nil {
		return packActions{}, err
	}
	var out packActions
	for _, a := range list {
		when := a.Done
		if when == "" {
			when = a.Agreed
		}
		if !byPeriodEnd(kind, key, when) {
			continue
		}
		out.Rows = append(out.Rows, packAction{Said: a.Said, Did: a.Did, Question: a.QuestionText, Status: a.Status,
			Done: a.Done, Effect: a.EffectSentence})
	}
	return out, nil
}

// byPeriodEnd reports whether the day ("2024-05-03") falls in period key
// of kind or before it; a day that is not given or not read is kept.
func byPeriodEnd(kind analytics.PeriodKind, key, day string) bool {
	if len(day) < 7 || kind == analytics.PeriodAll {
		return true
	}
	p, err := analytics.PeriodOf(kind, day[:7])
	return err != nil || p <= key
}

// packMarks are the marks of the actions done by the end of period key of
// kind on the trend of question (a code).
func (s *Server) packMarks(ctx context.Context, v surveyView, kind analytics.PeriodKind, key, question string) ([]dashboards.Mark, error) {
	marks, err := action.Marks(ctx, s.store, v.survey.ID, question, action.Board)
	if err != nil {
		return nil, err
	}
	var out []dashboards.Mark
	for _, m := range marks {
		if byPeriodEnd(kind, key, m.Month) {
			out = append(out, m)
		}
	}
	return out, nil
}
