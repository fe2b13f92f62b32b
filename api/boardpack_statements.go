package api

import (
	"context"
	"slices"

	"github.com/heard-council/heard/api/report"
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

// packStatementsOf makes the results by statement for period key from the
// board's figures: nothing when no question or theme of the survey is
// tagged with a statement.
func (s *Server) packStatementsOf(ctx context.Context, v surveyView, fig boardFigures, key string) (packStatements, error) {
	tags, err := s.store.StatementTags(ctx, v.survey.ID)
	if err != nil || len(tags) == 0 {
		return packStatements{}, err
	}
	frameworks, err := s.store.Frameworks(ctx)
	if err != nil {
		return packStatements{}, err
	}
	qs, _, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return packStatements{}, err
	}
	reports := map[string]report.JSON{}
	for _, rep := range fig.all.Reports {
		reports[rep.Question] = rep
	}
	skipped := map[string]string{}
	for _, sk := range fig.all.Skipped {
		skipped[sk.Question] = sentence(sk.Reason)
	}
	var used []string // the frameworks the tags use, in the tags' order
	for _, t := range tags {
		if !slices.Contains(used, t.Statement.Framework) {
			used = append(used, t.Statement.Framework)
		}
	}
	var out packStatements
	for _, fw := range frameworks {
		if !slices.Contains(used, fw.Name) {
			continue
		}
		pf := packFramework{Title: fw.Title}
		for _, st := range fw.Statements {
			r := statementResult(fw.Name, st, frameworks, tags, qs, reports, skipped, key)
			if len(r.Questions) == 0 && len(r.CommentThemes) == 0 {
				continue
			}
			ps := packStatement{Theme: st.Theme, Text: st.Text}
			for _, q := range r.Questions {
				ps.Questions = append(ps.Questions, packStatementQuestionOf(q))
			}
			for _, th := range r.CommentThemes {
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
