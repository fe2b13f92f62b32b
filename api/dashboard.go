package api

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// dashboardView is a survey's dashboard: the headline figure with its
// trend and the change from the period before, then every scale question.
type dashboardView struct {
	layout
	Filters  filterForm
	Survey   string
	Headline *headlineView
	Rows     []questionRow
	Skipped  []skippedRow
	// Empty says why there is nothing to show.
	Empty string
	// PeriodNote says why the figures are not for the latest period, or
	// cover all responses together.
	PeriodNote string
	// HeadlineForm lets an analyst choose the question the dashboard leads
	// with; nil in the board's view.
	HeadlineForm *headlineForm
	// Beside puts the headline beside the national figures, when a council
	// is chosen and they are loaded.
	Beside     *besideView
	XLSX, JSON string
	// Pack is the address of the survey's board pack, to print.
	Pack string
	// tables are the view's tables, for its workbook.
	tables []dashboards.Table
}

// headlineView is the dashboard's main figure.
type headlineView struct {
	Code, Text, Link, Metric string
	Figure                   figureView
	// Change compares the latest period with the one before, in words.
	Change string
	Trend  *dashboards.Chart
}

// questionRow is one scale question of the dashboard.
type questionRow struct {
	Code, Text, Link, Metric string
	Figure                   figureView
	Change                   string
	Spark                    *dashboards.Chart
}

// questionColumns says which optional columns of the questions table hold
// something in some row; a column empty in every row (no period for a
// survey without dates, no change with one period) is left out.
type questionColumns struct{ Period, Change, Trend bool }

// Columns returns the optional columns the questions table shows.
func (d dashboardView) Columns() questionColumns {
	var c questionColumns
	for _, r := range d.Rows {
		c.Period = c.Period || r.Figure.Period != ""
		c.Change = c.Change || r.Change != ""
		c.Trend = c.Trend || r.Spark != nil
	}
	return c
}

// skippedRow is a scale question without a figure, and why.
type skippedRow struct{ Text, Link, Reason string }

// buildDashboard makes the dashboard from one report per scale question:
// the headline's trend and every row's sparkline are drawn from them.
func (s *Server) buildDashboard(ctx context.Context, v surveyView) (dashboardView, error) {
	p := v.params
	p.Question, p.By = "", nil
	_, lastDay, err := s.surveyDays(ctx, v.survey)
	if err != nil {
		return dashboardView{}, err
	}
	undated := lastDay == "" && strings.TrimSpace(v.query.Period) == "" && !p.Board
	if undated { // months would show nothing: every response together instead
		p.Period, v.query.Period = string(analytics.PeriodAll), string(analytics.PeriodAll)
	}
	all, err := s.surveyReports(ctx, v.survey, p)
	if err != nil {
		return dashboardView{}, err
	}
	saved, err := s.store.HeadlineQuestion(ctx, v.survey.ID)
	if err != nil {
		return dashboardView{}, err
	}
	qs, _, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return dashboardView{}, err
	}
	f := v.query.filters()
	d := dashboardView{layout: s.surveyLayout(v, "Dashboard", "Dashboard"), Survey: v.survey.Name,
		XLSX: link(v.base()+"/dashboard.xlsx", f),
		JSON: link("/api/v1/surveys/"+url.PathEscape(v.survey.Slug)+"/report", without(f, "question")),
		Pack: v.base() + "/board-pack"}
	d.Charts = true
	if undated {
		d.PeriodNote = "These responses have no dates, so the figures cover all responses together, not month by month."
	}
	questionLink := func(code string) string {
		return link(v.base()+"/questions/"+url.PathEscape(code), without(f, "question"))
	}
	texts := map[string]string{}
	for _, q := range qs {
		texts[q.Code] = q.Text
	}
	for _, sk := range all.Skipped {
		d.Skipped = append(d.Skipped, skippedRow{Text: texts[sk.Question], Link: questionLink(sk.Question), Reason: skippedReason(v.query.Metric)})
	}
	if len(all.Reports) == 0 {
		d.Filters = newFilterForm(v, v.base(), nil)
		if err := s.completeFilters(ctx, v, &d.Filters, ""); err != nil {
			return dashboardView{}, err
		}
		d.Empty = "This survey has no scale question that heard can work out a figure for with these choices."
		return d, nil
	}
	h, err := pickHeadline(all.Reports, headlineCode(all.Reports, v.query.Question, saved))
	if err != nil {
		return dashboardView{}, err
	}
	top := all.Reports[h]
	period := chooseHeadlinePeriod(top, dataEnd(lastDay, v.query.To), top.Disclosure.WithDefaults().MinBase)
	if period.Note != "" {
		d.PeriodNote = period.Note
	}
	var choices []choice
	for i, rep := range all.Reports {
		choices = append(choices, choice{Value: rep.Question, Label: dashboards.OneLine(rep.QuestionText, 80), Selected: i == h})
		row, err := dashboardRow(rep, questionLink(rep.Question), period.Key)
		if err != nil {
			return dashboardView{}, err
		}
		d.Rows = append(d.Rows, row)
	}
	d.Filters = newFilterForm(v, v.base(), choices)
	if err := s.completeFilters(ctx, v, &d.Filters, top.Question); err != nil {
		return dashboardView{}, err
	}
	if !p.Board {
		d.HeadlineForm = newHeadlineForm(v, all.Reports, saved)
	}
	marks, err := action.Marks(ctx, s.store, v.survey.ID, top.Question, markAudience(v))
	if err != nil {
		return dashboardView{}, err
	}
	if d.Headline, err = headline(top, questionLink(top.Question), period.Key, marks); err != nil {
		return dashboardView{}, err
	}
	if d.Headline.Trend != nil {
		d.tables = append(d.tables, d.Headline.Trend.Table)
	}
	d.tables = append(d.tables, questionsTable(all.Reports, period.Key))
	beside, ok, err := s.besideHeadline(ctx, d.Headline.Figure, top)
	if err != nil {
		return dashboardView{}, err
	}
	if ok {
		d.Beside = &beside
		d.tables = append(d.tables, beside.Table())
	}
	return d, nil
}

// dashboardRow is a question's row: its figure for period (its latest
// when ""), change and trend.
func dashboardRow(rep report.JSON, href, period string) (questionRow, error) {
	row := questionRow{Code: rep.Question, Text: rep.QuestionText, Link: href, Metric: rep.Metric.Name}
	row.Figure, row.Change = figureFor(rep, period)
	if len(rep.Rows) == 0 {
		return row, nil
	}
	spark, err := dashboards.Sparkline(rep.Domain(), analytics.AllGroup,
		dashboards.Labels{ID: "spark-" + rep.Question, Subject: rep.QuestionText})
	row.Spark = &spark
	return row, err
}

// headline is the dashboard's main figure for period (the latest when
// ""), with its trend chart.
func headline(rep report.JSON, href, period string, marks []dashboards.Mark) (*headlineView, error) {
	hv := &headlineView{Code: rep.Question, Text: rep.QuestionText, Link: href, Metric: rep.Metric.Name}
	hv.Figure, _ = figureFor(rep, period)
	if r, ok := rowAt(rep, period); ok {
		hv.Change, _ = changeOf(rep, r)
	}
	if len(rep.Rows) == 0 {
		return hv, nil
	}
	trend, err := dashboards.TrendChart(rep.Domain(), analytics.AllGroup,
		dashboards.Labels{ID: "chart-trend", Subject: rep.QuestionText, Source: rep.Survey, Made: time.Now(), Marks: marks})
	hv.Trend = &trend
	return hv, err
}

// latestFigure is a report's figure for its latest period, with the short
// form of its change.
func latestFigure(rep report.JSON) (figureView, string) { return figureFor(rep, "") }

// figureFor is a report's figure for period (its latest when ""), with
// the short form of its change.
func figureFor(rep report.JSON, period string) (figureView, string) {
	latest, ok := rowAt(rep, period)
	if !ok {
		f := figureView{Note: "no answers match these choices"}
		if period != "" {
			f.Period = dashboards.PeriodLabel(rep.Period, period)
		}
		return f, ""
	}
	_, short := changeOf(rep, latest)
	return figureOf(rep, latest), short
}

// questionsTable is the dashboard's table of questions, for the workbook:
// numbers as numbers.
func questionsTable(reports []report.JSON, period string) dashboards.Table {
	t := dashboards.Table{Name: "Questions",
		Caption: "Each scale question's figure for the same period as the headline, with its interval, base and change from the period before",
		Columns: []string{"Question", "Code", "Metric", "Period", "Figure", "Lower limit", "Upper limit", "Base (n)", "Change"}}
	for _, rep := range reports {
		row := []dashboards.Cell{textCell(rep.QuestionText), textCell(rep.Question), textCell(rep.Metric.Name)}
		latest, ok := rowAt(rep, period)
		if !ok {
			t.Rows = append(t.Rows, append(row, textCell(""), textCell("no answers")))
			continue
		}
		m := rep.Metric.Measure
		_, short := changeOf(rep, latest)
		row = append(row, textCell(dashboards.PeriodLabel(rep.Period, latest.Period)))
		if latest.Suppressed {
			row = append(row, textCell("–"), textCell("–"), textCell("–"), textCell("–"), textCell(short))
		} else {
			row = append(row, dashboards.ValueCell(m, latest.Rate), dashboards.ValueCell(m, latest.CILow), dashboards.ValueCell(m, latest.CIHigh),
				dashboards.CountCell(latest.N), textCell(short))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
