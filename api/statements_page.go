package api

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// statementsView is the page of a survey's results by statement for one
// framework: the statements by theme, each with its tagged questions'
// figures and its tagged comment themes.
type statementsView struct {
	layout
	// Filters is the filter form, nil in the board's view.
	Filters *filterForm
	Survey  string
	// Frameworks link to the page of each framework; Current marks the one
	// shown.
	Frameworks []navLink
	Framework  FrameworkJSON
	// PeriodLabel names the period of the figures; PeriodNote says why it
	// is not the latest.
	PeriodLabel, PeriodNote string
	Themes                  []statementTheme
	// Tagged counts the statements with a question or comment theme.
	Tagged int
	// CanTag says that the account may tag the survey's questions.
	CanTag          bool
	XLSX, CSV, JSON string
	tables          []dashboards.Table
}

// statementTheme is a theme of the framework and its statements.
type statementTheme struct {
	Name       string
	Statements []statementBlock
}

// statementBlock is one statement on the page.
type statementBlock struct {
	// Anchor is the statement's id on the page.
	Anchor            string
	Ref, Text, Parent string
	Rows              []statementRow
	Themes            []StatementThemeJSON
	Actions           []StatementActionJSON
	Change, Trend     bool
}

// statementRow is a tagged question's row: its figure, change and trend.
type statementRow struct {
	Code, Text, Link, Metric, Via, Note string
	Figure                              figureView
	Change                              string
	Spark                               *dashboards.Chart
}

// statementsPage is the builder of the page.
func (s *Server) statementsPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	sv, err := s.buildStatements(c, v)
	return &sv, sv.tables, v.survey.Slug + "-statements-" + sv.Framework.Name + ".xlsx", err
}

// buildStatements makes the page from the results of the framework the
// query names.
func (s *Server) buildStatements(c *gin.Context, v surveyView) (statementsView, error) {
	ctx := c.Request.Context()
	res, err := s.statementResults(ctx, v, c.Query("framework"), "")
	if err != nil {
		return statementsView{}, err
	}
	r := res.json
	f := v.query.filters()
	fq := without(f, "question")
	fq.Set("framework", r.Framework.Name)
	api := "/api/v1/surveys/" + url.PathEscape(v.survey.Slug)
	out := statementsView{layout: s.surveyLayout(v, "Results by statement", "Statements"), Survey: v.survey.Name,
		Framework: r.Framework, PeriodLabel: r.PeriodLabel, PeriodNote: r.PeriodNote,
		XLSX: link(v.base()+"/statements.xlsx", fq), CSV: link(api+"/statements.csv", fq), JSON: link(api+"/statements", fq)}
	out.Charts = true
	frameworks, err := s.store.Frameworks(ctx)
	if err != nil {
		return statementsView{}, err
	}
	for _, fw := range frameworks {
		q := without(fq)
		q.Set("framework", fw.Name)
		out.Frameworks = append(out.Frameworks, navLink{Label: fw.Title, Href: link(v.base()+"/statements", q), Current: fw.Name == r.Framework.Name})
	}
	if !v.params.Board {
		form := newFilterForm(v, v.base()+"/statements", nil)
		form.Hidden = append(form.Hidden, hidden{"framework", r.Framework.Name})
		if err := s.completeFilters(ctx, v, &form, ""); err != nil {
			return statementsView{}, err
		}
		out.Filters = &form
		if out.CanTag, err = s.canChangeSurvey(c, v.survey.ID); err != nil {
			return statementsView{}, err
		}
	}
	questionLink := func(code string) string {
		return link(v.base()+"/questions/"+url.PathEscape(code), without(f, "question"))
	}
	for i, st := range r.Statements {
		b := statementBlock{Anchor: "statement-" + strconv.Itoa(i+1), Ref: r.Framework.Name + ":" + st.ID, Text: st.Statement,
			Parent: st.Parent, Themes: st.CommentThemes, Actions: st.Actions}
		for j, q := range st.Questions {
			row := statementRow{Code: q.Code, Text: q.Text, Link: questionLink(q.Code), Metric: q.Metric, Via: q.Via, Note: q.Note, Change: q.Change}
			if rep, ok := res.reports[q.Code]; ok {
				if latest, ok := rowAt(rep, r.PeriodKey); ok {
					row.Figure, row.Note = figureOf(rep, latest), ""
				}
				if len(rep.Rows) > 0 {
					spark, err := dashboards.Sparkline(rep.Domain(), analytics.AllGroup,
						dashboards.Labels{ID: fmt.Sprintf("spark-%d-%d", i+1, j+1), Subject: rep.QuestionText})
					if err != nil {
						return statementsView{}, err
					}
					row.Spark = &spark
				}
			}
			b.Change = b.Change || row.Change != ""
			b.Trend = b.Trend || row.Spark != nil
			b.Rows = append(b.Rows, row)
		}
		if len(b.Rows) > 0 || len(b.Themes) > 0 || len(b.Actions) > 0 {
			out.Tagged++
		}
		if n := len(out.Themes); n == 0 || out.Themes[n-1].Name != st.Theme {
			out.Themes = append(out.Themes, statementTheme{Name: st.Theme})
		}
		t := &out.Themes[len(out.Themes)-1]
		t.Statements = append(t.Statements, b)
	}
	out.tables = statementTables(r)
	return out, nil
}

// canChangeSurvey reports whether the request's account may change survey
// surveyID (tag its questions): an admin, or an analyst who is a member.
// Unlike mayWriteSurvey it records nothing: it decides what a page offers.
func (s *Server) canChangeSurvey(c *gin.Context, surveyID int64) (bool, error) {
	u, ok := requestUser(c)
	if !ok || !u.Role.Can(analytics.PermUpload) {
		return false, nil
	}
	if !needsMembership(u.Role, analytics.PermUpload) {
		return true, nil
	}
	return s.store.IsSurveyMember(c.Request.Context(), surveyID, u.ID)
}

// statementTables are the results as the workbook's tables: one row per
// tagged question, and the comment themes.
func statementTables(r StatementsJSON) []dashboards.Table {
	t := dashboards.Table{Name: "By statement",
		Caption: "Each statement of " + r.Framework.Title + " with the figure of each question tagged with it, its interval, base and change from the period before",
		Columns: []string{"Statement", "Id", "Theme", "Question", "Code", "Figure", "Period", "Value", "Lower limit", "Upper limit", "Base (n)", "Change", "Tagged through"}}
	themes := dashboards.Table{Name: "Comment themes", Caption: "The comment themes tagged with each statement",
		Columns: []string{"Statement", "Id", "Theme model", "Comment theme"}}
	for _, st := range r.Statements {
		head := []dashboards.Cell{textCell(st.Statement), textCell(st.ID), textCell(st.Theme)}
		if len(st.Questions) == 0 {
			t.Rows = append(t.Rows, append(head, textCell("no question tagged")))
		}
		for _, q := range st.Questions {
			row := append(append([]dashboards.Cell{}, head...), textCell(q.Text), textCell(q.Code), textCell(q.Metric))
			period := ""
			if q.Period != "" {
				period = dashboards.PeriodLabel(r.Period, q.Period)
			}
			row = append(row, dashboards.Cell{Text: period, NoWrap: true})
			switch {
			case q.Suppressed:
				row = append(row, textCell("–"), textCell("–"), textCell("–"), textCell("–"))
			case q.Rate == nil:
				row = append(row, textCell(q.Note), textCell(""), textCell(""), textCell(""))
			default:
				row = append(row, dashboards.ValueCell(q.Measure, q.Rate), dashboards.ValueCell(q.Measure, q.CILow),
					dashboards.ValueCell(q.Measure, q.CIHigh), dashboards.CountCell(q.N))
			}
			t.Rows = append(t.Rows, append(row, textCell(q.Change), textCell(q.Via)))
		}
		for _, th := range st.CommentThemes {
			themes.Rows = append(themes.Rows, []dashboards.Cell{textCell(st.Statement), textCell(st.ID), textCell(th.Model), textCell(th.Theme)})
		}
	}
	t.Notes = []string{"– means the figure is not shown: too few answers to publish.",
		"Each question keeps its own figure: heard does not add them up into a score for the statement."}
	out := []dashboards.Table{t}
	if len(themes.Rows) > 0 {
		out = append(out, themes)
	}
	return out
}

// statementsFor is the results of framework for the survey view v and
// period (a key of the view's kind of period; "" for the dashboard's), for
// other pages, such as the board pack.
func (s *Server) statementsFor(ctx context.Context, v surveyView, framework, period string) (StatementsJSON, error) {
	res, err := s.statementResults(ctx, v, framework, period)
	return res.json, err
}
