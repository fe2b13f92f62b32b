package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// statementResults is a survey's results by statement and the reports
// they come from, by question code, for the page's sparklines.
type statementResults struct {
	json    StatementsJSON
	reports map[string]report.JSON
}

// statementResults works out the results of framework (the one the
// survey's tags use first, else CQC's, when "") for the view v: each
// statement with its tagged questions' figures for period (a key of the
// view's kind of period, such as "2025-03"; "" for the period a dashboard
// of the same view leads with), and its tagged comment themes.
func (s *Server) statementResults(ctx context.Context, v surveyView, framework, period string) (statementResults, error) {
	frameworks, err := s.store.Frameworks(ctx)
	if err != nil {
		return statementResults{}, err
	}
	tags, err := s.store.StatementTags(ctx, v.survey.ID)
	if err != nil {
		return statementResults{}, err
	}
	fw, err := chooseFramework(frameworks, tags, framework)
	if err != nil {
		return statementResults{}, err
	}
	qs, _, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return statementResults{}, err
	}
	p := v.params
	p.Question, p.By = "", nil
	_, lastDay, err := s.surveyDays(ctx, v.survey)
	if err != nil {
		return statementResults{}, err
	}
	if lastDay == "" && strings.TrimSpace(v.query.Period) == "" && !p.Board {
		p.Period = string(analytics.PeriodAll) // undated: every response together, as the dashboard does
	}
	all, err := s.surveyReports(ctx, v.survey, p)
	if err != nil {
		return statementResults{}, err
	}
	out := statementResults{reports: map[string]report.JSON{}, json: StatementsJSON{Survey: v.survey.Name, Slug: v.survey.Slug,
		Framework: FrameworkJSON{Name: fw.Name, Title: fw.Title, BuiltIn: fw.BuiltIn}, Board: p.Board, Statements: []StatementResultJSON{}}}
	for _, rep := range all.Reports {
		out.reports[rep.Question] = rep
	}
	if err := s.statementsPeriod(ctx, v, lastDay, all, &out.json); err != nil {
		return statementResults{}, err
	}
	if period != "" && len(all.Reports) > 0 {
		out.json.PeriodKey, out.json.PeriodNote = period, ""
		out.json.PeriodLabel = dashboards.PeriodLabel(out.json.Period, period)
	}
	skipped := map[string]string{}
	for _, sk := range all.Skipped {
		skipped[sk.Question] = sentence(sk.Reason)
	}
	for _, st := range fw.Statements {
		out.json.Statements = append(out.json.Statements, statementResult(fw.Name, st, frameworks, tags, qs, out.reports, skipped, out.json.PeriodKey))
	}
	return out, s.addStatementActions(ctx, v, &out.json)
}

// addStatementActions fills each statement's Actions: the "you said, we
// did" actions linked to the statement itself, or to a question tagged
// with it, as the view's reader may see them (the board's redacted, with
// effects made of its published figures; never an owner or a quote).
func (s *Server) addStatementActions(ctx context.Context, v surveyView, out *StatementsJSON) error {
	list, err := action.List(ctx, s.store, v.survey.Name, markAudience(v), time.Now())
	if err != nil {
		return err
	}
	for i := range out.Statements {
		st := &out.Statements[i]
		ref := out.Framework.Name + ":" + st.ID
		tagged := map[string]bool{}
		for _, q := range st.Questions {
			tagged[q.Code] = true
		}
		st.Actions = []StatementActionJSON{}
		for _, a := range list {
			if strings.EqualFold(a.Statement, ref) || (a.Question != "" && tagged[a.Question]) {
				st.Actions = append(st.Actions, StatementActionJSON{ID: a.ID, Question: a.Question, Said: a.Said, Did: a.Did,
					Done: a.Done, Status: a.Status, Effect: a.Effect, EffectSentence: a.EffectSentence})
			}
		}
	}
	return nil
}

// statementsPeriod sets the period of the results: the one the survey's
// dashboard leads with for the same view.
func (s *Server) statementsPeriod(ctx context.Context, v surveyView, lastDay string, all report.SurveyReports, out *StatementsJSON) error {
	if len(all.Reports) == 0 {
		return nil
	}
	saved, err := s.store.HeadlineQuestion(ctx, v.survey.ID)
	if err != nil {
		return err
	}
	h, err := pickHeadline(all.Reports, headlineCode(all.Reports, "", saved))
	if err != nil {
		return err
	}
	top := all.Reports[h]
	period := chooseHeadlinePeriod(top, dataEnd(lastDay, v.query.To), top.Disclosure.WithDefaults().MinBase)
	out.Period, out.PeriodKey, out.PeriodNote, out.Confidence = top.Period, period.Key, period.Note, top.Confidence
	if period.Key != "" {
		out.PeriodLabel = dashboards.PeriodLabel(top.Period, period.Key)
	}
	if top.Board {
		d := top.Disclosure
		out.Disclosure = &d
	}
	return nil
}

// chooseFramework returns the framework called name, or, for "", the
// first framework the tags use, or CQC's.
func chooseFramework(frameworks []analytics.Framework, tags []analytics.StatementTag, name string) (analytics.Framework, error) {
	name = strings.TrimSpace(name)
	if name == "" && len(tags) > 0 {
		name = tags[0].Statement.Framework
	}
	if name == "" {
		name = analytics.FrameworkCQC
	}
	names := make([]string, len(frameworks))
	for i, f := range frameworks {
		if f.Name == name {
			return f, nil
		}
		names[i] = f.Name
	}
	return analytics.Framework{}, analytics.ParamErrorf(fmt.Sprintf("{framework} %q is not a framework heard knows; use one of: %s",
		name, strings.Join(names, ", ")))
}

// statementResult is statement st of framework fw with the questions and
// comment themes tagged with it, or with a statement that refines it.
func statementResult(fw string, st analytics.Statement, frameworks []analytics.Framework, tags []analytics.StatementTag,
	qs []analytics.Question, reports map[string]report.JSON, skipped map[string]string, period string) StatementResultJSON {
	ref := analytics.StatementRef{Framework: fw, ID: st.ID}
	out := StatementResultJSON{ID: st.ID, Theme: st.Theme, Statement: st.Text, Parent: st.Parent,
		Questions: []StatementQuestionJSON{}, CommentThemes: []StatementThemeJSON{}}
	via := map[string]string{} // question code -> the refining statement it is tagged with
	var codes []string
	for _, t := range tags {
		switch speaks, through := speaksTo(t.Statement, ref, frameworks); {
		case !speaks:
		case t.Question != "":
			if old, seen := via[t.Question]; !seen || (old != "" && through == "") {
				if !seen {
					codes = append(codes, t.Question)
				}
				via[t.Question] = through
			}
		case !slices.Contains(out.CommentThemes, StatementThemeJSON{Model: t.ThemeModel, Theme: t.Theme}):
			out.CommentThemes = append(out.CommentThemes, StatementThemeJSON{Model: t.ThemeModel, Theme: t.Theme})
		}
	}
	for _, q := range qs {
		if slices.Contains(codes, q.Code) {
			out.Questions = append(out.Questions, questionResult(q, via[q.Code], reports, skipped, period))
		}
	}
	return out
}

// speaksTo reports whether a tag's statement tagged speaks to statement
// ref: it is ref, or a statement of another framework whose parent is ref
// (through names it then).
func speaksTo(tagged, ref analytics.StatementRef, frameworks []analytics.Framework) (speaks bool, through string) {
	if tagged == ref {
		return true, ""
	}
	st, err := analytics.FindStatement(frameworks, tagged)
	if err == nil && st.Parent == ref.String() {
		return true, tagged.String()
	}
	return false, ""
}

// questionResult is question q's figure for period (its latest when "")
// from its report, or why it has none.
func questionResult(q analytics.Question, via string, reports map[string]report.JSON, skipped map[string]string, period string) StatementQuestionJSON {
	out := StatementQuestionJSON{Code: q.Code, Text: q.Text, Via: via}
	rep, ok := reports[q.Code]
	if !ok {
		switch {
		case skipped[q.Code] != "":
			out.Note = skipped[q.Code]
		case q.Kind == analytics.KindText:
			out.Note = "Its answers are free text, which has no figure: see the comment themes."
		default:
			out.Note = "heard works out a figure for scale questions only; this is a " + kindName(q.Kind) + " question."
		}
		return out
	}
	out.Metric, out.Measure = rep.Metric.Name, rep.Metric.Measure
	row, ok := rowAt(rep, period)
	if !ok {
		out.Note = "No one answered it"
		if period != "" {
			out.Period = period
			out.Note += " in " + dashboards.PeriodLabel(rep.Period, period)
		}
		out.Note += "."
		return out
	}
	out.Period, out.Suppressed = row.Period, row.Suppressed
	_, out.Change = changeOf(rep, row)
	if row.Suppressed {
		out.Note = "Not shown: too few answers to publish."
		return out
	}
	out.N, out.Positive, out.Rate, out.CILow, out.CIHigh = row.N, row.Positive, row.Rate, row.CILow, row.CIHigh
	if row.Rate == nil {
		out.Note = "No answers."
		return out
	}
	if prevKey, err := analytics.Previous(rep.Period, row.Period); err == nil {
		if prev, ok := overallRow(rep, prevKey); ok && !prev.Suppressed && prev.Rate != nil {
			out.Previous = &PreviousFigure{Period: prev.Period, N: prev.N, Rate: prev.Rate}
			out.ChangeP = row.ChangeP
			if row.ChangeP != nil {
				sig := *row.ChangeP < 1-rep.Confidence
				out.Significant = &sig
			}
		}
	}
	return out
}
