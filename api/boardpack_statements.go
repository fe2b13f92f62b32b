package api

import (
	"context"
	"slices"

	"github.com/heard-council/heard/dashboards"
)

// packStatements is the pack's results by statement: for each framework
// the survey's tags use, each statement something speaks to, with its
// tagged questions' figures for the period (each its own figure, never a
// composite) and its tagged comment themes. The figures are the board's,
// from the same reports as the rest of the pack.
type packStatements struct {
	Frameworks []packFramework
}

// packFramework is one framework's statements.
type packFramework struct {
	Title      string
	Statements []packStatement
}

// packStatement is one statement with what speaks to it.
type packStatement struct {
	Theme, Text string
	Questions   []packStatementQuestion
	// Themes are the comment themes tagged with it.
	Themes []string
}

// packStatementQuestion is a tagged question's figure: value, base,
// interval and change, or a note saying why there is none. Via names the
// statement of another framework it is tagged with, when it is tagged
// through one that refines this statement.
type packStatementQuestion struct {
	Text, Via                     string
	Value, Base, Interval, Change string
	Note                          string
}

// packStatementsOf makes the results by statement for period key: the
// board's results by statement (statementResults, under the view's
// publication) of each framework the survey's tags use, keeping the
// statements something speaks to; nothing when nothing is tagged.
func (s *Server) packStatementsOf(ctx context.Context, v surveyView, key string) (packStatements, error) {
	tags, err := s.store.StatementTags(ctx, v.survey.ID)
	if err != nil || len(tags) == 0 {
		return packStatements{}, err
	}
	var used []string // the frameworks the tags use, in the tags' order
	for _, t := range tags {
		if !slices.Contains(used, t.Statement.Framework) {
			used = append(used, t.Statement.Framework)
		}
	}
	var out packStatements
	for _, name := range used {
		r, err := s.statementResults(ctx, v, name, key)
		if err != nil {
			return packStatements{}, err
		}
		pf := packFramework{Title: r.json.Framework.Title}
		for _, st := range r.json.Statements {
			if len(st.Questions) == 0 && len(st.CommentThemes) == 0 {
				continue
			}
			ps := packStatement{Theme: st.Theme, Text: st.Statement}
			for _, q := range st.Questions {
				ps.Questions = append(ps.Questions, packStatementQuestionOf(q))
			}
			for _, th := range st.CommentThemes {
				ps.Themes = append(ps.Themes, th.Theme)
			}
			pf.Statements = append(pf.Statements, ps)
		}
		if len(pf.Statements) > 0 {
			out.Frameworks = append(out.Frameworks, pf)
		}
	}
	return out, nil
}

// packStatementQuestionOf writes a tagged question's figure as the pack
// shows it.
func packStatementQuestionOf(q StatementQuestionJSON) packStatementQuestion {
	out := packStatementQuestion{Text: q.Text, Via: q.Via, Note: q.Note, Change: q.Change}
	if q.Rate != nil && q.N != nil && !q.Suppressed {
		out.Value = dashboards.Value(q.Measure, *q.Rate, false)
		out.Base = dashboards.Thousands(*q.N)
		out.Interval = dashboards.Interval(q.Measure, q.CILow, q.CIHigh)
	}
	if out.Value == "" && out.Note == "" {
		out.Note = "No answers."
	}
	return out
}
