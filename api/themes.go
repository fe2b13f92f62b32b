package api

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// themesView is a survey's themes page: the share of comments mentioning
// each theme in a period, with intervals and changes from the period
// before, and one theme followed over time and across groups.
type themesView struct {
	layout
	Filters      filterForm
	Survey       string
	Question     string
	Model        string
	QuestionLink []questionLink
	// Empty says why there is no chart; Progress how far the themes have
	// been worked out, while some comments wait.
	Empty, Progress string
	// Period is the label of the period shown; Periods the choice of
	// another (staff); Sentences the most mentioned themes in words and
	// Changes the clear changes from the period before.
	Period     string
	PeriodNote string
	Periods    []choice
	Sentences  []string
	Changes    []string
	Chart      *dashboards.Chart
	Theme      string
	Themes     []choice
	Trend      *dashboards.Chart
	Breakdown  *dashboards.Chart
	By         []choice
	ByName     string
	FormAction string
	// FormHidden keeps the view's query in the page's small forms, but the
	// field each form sets.
	FormHidden      map[string][]hidden
	XLSX, CSV, JSON string
	ByLinks         []questionLink
	tables          []dashboards.Table
}

// questionLink is a link with a label, marked when it is the page shown.
type questionLink struct {
	Label, Href string
	Current     bool
}

// Hidden are the view's query fields but name, for a form that sets name.
func (v *themesView) Hidden(name string) []hidden { return v.FormHidden[name] }

// themesPage is the builder of the themes page and its workbook.
func (s *Server) themesPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	tv, err := s.buildThemes(c, v)
	return &tv, tv.tables, v.survey.Slug + "-themes.xlsx", err
}

// themeParams are the report parameters of a themes view: the question
// and breakdown from the address, no metric.
func themeParams(v surveyView) report.Params {
	p := v.params
	p.Metric = ""
	return p
}

// buildThemes makes the themes page from the request: ?question= (a text
// question, every one by default), period, dates and filters as on every
// page, by (one dimension), at (the period shown, the latest by default)
// and theme (the theme followed, the most mentioned by default).
func (s *Server) buildThemes(c *gin.Context, v surveyView) (themesView, error) {
	ctx := c.Request.Context()
	figs, err := report.Themes(ctx, s.store, themeParams(v))
	if err != nil {
		return themesView{}, err
	}
	j := figs.JSON
	f := v.query.filters()
	api := "/api/v1/surveys/" + url.PathEscape(v.survey.Slug)
	query := byQuery(f, j.By)
	nav := v
	nav.query.Question = "" // a text question, which no other page takes
	tv := themesView{layout: s.surveyLayout(nav, "Themes", "Themes"), Survey: v.survey.Name, Model: j.Model,
		Question: j.QuestionText, FormAction: v.base() + "/themes",
		XLSX: link(v.base()+"/themes.xlsx", query), CSV: link(api+"/themes.csv", query), JSON: link(api+"/themes", query)}
	tv.Charts = true
	if tv.Question == "" {
		tv.Question = "Every free-text question"
	}
	tv.Filters = newFilterForm(v, v.base()+"/themes", themeQuestionChoices(figs.Texts, j.Question, v.params.Board))
	tv.Filters.Metrics, tv.Filters.NoPartial = nil, true
	for _, b := range j.By {
		tv.Filters.Hidden = append(tv.Filters.Hidden, hidden{"by", b})
	}
	if err := s.completeFilters(ctx, v, &tv.Filters, ""); err != nil {
		return themesView{}, err
	}
	tv.formHidden(c.Request.URL.Query())
	tv.links(v, figs)
	if j.Classified != nil && j.Comments != nil {
		tv.Progress = progressText(*j.Classified, *j.Comments)
	}
	tv.tables = []dashboards.Table{dashboards.ThemeTable(figs.Reports, j.Themes, j.Confidence, j.Disclosure)}
	switch {
	case len(figs.Texts) == 0:
		tv.Empty = "This survey has no free-text questions, so there are no comments to find themes in."
		return tv, nil
	case len(j.Rows) == 0:
		tv.Empty = "No comment under these choices has had its themes worked out yet."
		return tv, nil
	}
	return tv, s.themeCharts(ctx, v, figs, &tv, c.Query("at"), c.Query("theme"))
}

// themeQuestionChoices are the text questions to choose from: every one
// together first, but in a board view (whose figures never add up across
// questions).
func themeQuestionChoices(texts []analytics.Question, code string, board bool) []choice {
	var out []choice
	if !board {
		out = append(out, choice{Value: "", Label: "Every free-text question", Selected: code == ""})
	}
	for _, q := range texts {
		out = append(out, choice{Value: q.Code, Label: dashboards.OneLine(q.Text, 80), Selected: q.Code == code})
	}
	return out
}

// formHidden keeps the request's query in the page's small forms (the
// period shown, the theme followed, the breakdown), each without the
// field it sets.
func (tv *themesView) formHidden(query url.Values) {
	tv.FormHidden = map[string][]hidden{}
	for _, name := range []string{"at", "theme", "by"} {
		q := without(query, name)
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, val := range q[k] {
				tv.FormHidden[name] = append(tv.FormHidden[name], hidden{k, val})
			}
		}
	}
}

// links adds the board's links to each text question and each
// breakdown, since a board page has no forms.
func (tv *themesView) links(v surveyView, figs report.ThemeFigures) {
	if !v.params.Board {
		return
	}
	for _, q := range figs.Texts {
		tv.QuestionLink = append(tv.QuestionLink, questionLink{Label: dashboards.OneLine(q.Text, 80),
			Href: link(tv.FormAction, url.Values{"question": {q.Code}}), Current: q.Code == figs.JSON.Question})
	}
	by := ""
	if len(figs.JSON.By) > 0 {
		by = figs.JSON.By[0]
	}
	tv.ByLinks = append(tv.ByLinks, questionLink{Label: "No breakdown", Href: link(tv.FormAction, url.Values{"question": {figs.JSON.Question}}), Current: by == ""})
	for _, d := range figs.Dimensions {
		tv.ByLinks = append(tv.ByLinks, questionLink{Label: d.Name, Current: d.Code == by,
			Href: link(tv.FormAction, url.Values{"question": {figs.JSON.Question}, "by": {d.Code}})})
	}
}

// themeCharts adds the chart of every theme in the period at (the latest
// when ""), the sentences, and the trend and breakdown of one theme (the
// most mentioned when "").
func (s *Server) themeCharts(ctx context.Context, v surveyView, figs report.ThemeFigures, tv *themesView, at, theme string) error {
	j := figs.JSON
	periods := themePeriods(figs.Reports)
	at = strings.TrimSpace(at)
	if at != "" && !slices.Contains(periods, at) {
		return usageErrorf("at=%q is not a period with comments under these choices: choose one from the list", at)
	}
	if at == "" {
		// As the dashboard chooses its headline's period: the latest
		// complete one with enough comments, saying why when it is not
		// the latest.
		_, lastDay, err := s.surveyDays(ctx, v.survey)
		if err != nil {
			return err
		}
		bases := report.JSON{Period: j.Period}
		for _, p := range periods {
			n := themeBase(figs.Reports, p)
			bases.Rows = append(bases.Rows, analytics.ReportRow{Period: p, N: &n})
		}
		chosen := chooseHeadlinePeriod(bases, dataEnd(lastDay, v.query.To), j.Disclosure.WithDefaults().MinBase)
		at, tv.PeriodNote = chosen.Key, chosen.Note
	}
	for _, p := range slices.Backward(periods) {
		tv.Periods = append(tv.Periods, choice{Value: p, Label: dashboards.PeriodLabel(j.Period, p), Selected: p == at})
	}
	tv.Period = dashboards.PeriodLabel(j.Period, at)
	_, shares := dashboards.ThemeSharesAt(figs.Reports, j.Themes, at, analytics.AllGroup)
	for i := range shares {
		// Staff go to the theme's comments; the board, which never reads
		// a comment, to the theme's trend on this page.
		q := commentFilters(v.query.filters())
		to := v.base() + "/comments"
		if v.params.Board {
			q, to = url.Values{}, tv.FormAction
			for _, h := range tv.Hidden("theme") {
				q.Add(h.Name, h.Value)
			}
		} else if j.Question != "" {
			q.Set("question", j.Question)
		}
		q.Set("theme", shares[i].Theme)
		shares[i].Link = link(to, q)
		if v.params.Board {
			shares[i].Link += "#theme-detail"
		}
	}
	labels := dashboards.Labels{ID: "chart-themes", Subject: tv.Question, Source: v.survey.Name, Made: time.Now()}
	chart, err := dashboards.ThemeChart(shares, j.Period, at, j.Confidence, j.Disclosure, labels)
	if err != nil {
		return err
	}
	tv.Chart = &chart
	tv.tables = append(tv.tables, chart.Table)
	ranked := dashboards.RankThemes(shares)
	for i, sh := range ranked {
		if i < 3 && !sh.Row.Suppressed {
			tv.Sentences = append(tv.Sentences, dashboards.ThemeSentence(sh))
		}
		if ch := dashboards.ChangeSentence(sh); ch != "" {
			tv.Changes = append(tv.Changes, ch)
		}
	}
	return followTheme(v, figs, tv, ranked, at, theme)
}

// themeBase is the number of comments that say something in period, as
// the theme reports show it (0 when every theme's figure is hidden).
func themeBase(reps []analytics.Report, period string) int64 {
	var n int64
	for _, rep := range reps {
		for _, r := range rep.Rows {
			if r.Period == period && r.Group == analytics.AllGroup && !r.Suppressed && r.N != nil {
				n = max(n, *r.N)
			}
		}
	}
	return n
}

// themePeriods are the periods of the theme reports, in time order.
func themePeriods(reps []analytics.Report) []string {
	var out []string
	for _, rep := range reps {
		for _, r := range rep.Rows {
			if !slices.Contains(out, r.Period) {
				out = append(out, r.Period)
			}
		}
	}
	slices.Sort(out)
	return out
}

// followTheme adds the trend of one theme (theme, or the most mentioned)
// and, with a breakdown, its figure in each group in period at.
func followTheme(v surveyView, figs report.ThemeFigures, tv *themesView, ranked []dashboards.ThemeShare, at, theme string) error {
	j := figs.JSON
	theme = strings.TrimSpace(theme)
	if theme == "" && len(ranked) > 0 {
		theme = ranked[0].Theme
	}
	i := slices.IndexFunc(j.Themes, func(t string) bool { return strings.EqualFold(t, theme) })
	if theme != "" && i < 0 {
		return usageErrorf("theme=%q is not one of the themes of this survey's model (%s): choose a theme from the list", theme, j.Model)
	}
	for _, th := range j.Themes {
		tv.Themes = append(tv.Themes, choice{Value: th, Label: th, Selected: i >= 0 && th == j.Themes[i]})
	}
	if i < 0 || i >= len(figs.Reports) {
		return nil
	}
	tv.Theme = j.Themes[i]
	rep := figs.Reports[i]
	l := dashboards.Labels{ID: "chart-theme-trend", Subject: tv.Theme, Source: v.survey.Name, Made: time.Now()}
	trend, err := dashboards.ThemeTrendChart(rep, l)
	if err != nil {
		return err
	}
	tv.Trend = &trend
	tv.tables = append(tv.tables, trend.Table)
	by := ""
	if len(j.By) > 0 {
		by = j.By[0]
	}
	tv.By = []choice{{Value: "", Label: "No breakdown", Selected: by == ""}}
	for _, d := range figs.Dimensions {
		tv.By = append(tv.By, choice{Value: d.Code, Label: d.Name, Selected: d.Code == by})
		if d.Code == by {
			tv.ByName = d.Name
		}
	}
	if by == "" {
		return nil
	}
	l.ID, l.By = "chart-theme-breakdown", strings.ToLower(tv.ByName)
	breakdown, err := dashboards.ThemeBreakdownChart(rep, at, l)
	if err != nil {
		return err
	}
	tv.Breakdown = &breakdown
	tv.tables = append(tv.tables, breakdown.Table)
	return nil
}
