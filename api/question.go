package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// questionsView lists a survey's questions and dimensions.
type questionsView struct {
	layout
	Survey     string
	Questions  []questionItem
	Dimensions []analytics.Dimension
}

type questionItem struct {
	Code, Text, Kind, Options, Link string
}

// questionList is the survey's list of questions.
func (s *Server) questionList(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	qs, ds, err := s.store.Questions(c.Request.Context(), v.survey.ID)
	if err != nil {
		return err
	}
	f := without(v.query.filters(), "question")
	out := questionsView{layout: s.surveyLayout(v, "Questions", "Questions"), Survey: v.survey.Name, Dimensions: ds}
	for _, q := range qs {
		options := optionWords(q, nil)
		if v.params.Board && !q.OptionsPublishable() {
			options = "" // written answers never reach the board
		}
		out.Questions = append(out.Questions, questionItem{Code: q.Code, Text: q.Text, Kind: kindName(q.Kind),
			Options: options, Link: link(v.base()+"/questions/"+url.PathEscape(q.Code), f)})
	}
	return s.render(c, http.StatusOK, "questions.html", &out)
}

// kindName says what a kind of question collects, in words.
func kindName(k analytics.Kind) string {
	switch k {
	case analytics.KindScale:
		return "scale"
	case analytics.KindSingle:
		return "one choice"
	case analytics.KindMulti:
		return "several choices"
	case analytics.KindText:
		return "free text"
	case analytics.KindNumber:
		return "number"
	case analytics.KindDate:
		return "date"
	}
	return string(k)
}

// optionWords lists a question's options with how each counts in the
// figure m (the question's default figure when m is nil): "Strongly agree
// (positive); ...; Don't know (left out of figures)". An option a scale
// leaves out that m keeps in its base, as the Friends and Family Test keeps
// "Don't know", says so.
func optionWords(q analytics.Question, m *analytics.Metric) string {
	if m == nil {
		if d, err := analytics.DefaultMetric(q); err == nil {
			m = &d
		}
	}
	parts := make([]string, len(q.Options))
	for i, o := range q.Options {
		parts[i] = o.Label
		switch o.Polarity {
		case analytics.Excluded:
			parts[i] += " (" + excludedWords(m, i) + ")"
		case "":
		default:
			parts[i] += " (" + string(o.Polarity) + ")"
		}
	}
	return strings.Join(parts, "; ")
}

// metricOf is a report's metric with the options it leaves out as
// indices of q's options, as optionWords reads it.
func metricOf(q analytics.Question, mj report.MetricJSON) analytics.Metric {
	m := analytics.Metric{Name: mj.Name, Preset: mj.Preset, Question: q.Code, Measure: mj.Measure, Excluded: []int{}}
	for i, o := range q.Options {
		if slices.Contains(mj.Excluded, o.Label) {
			m.Excluded = append(m.Excluded, i)
		}
	}
	return m
}

// excludedWords says how option i, which its scale leaves out of figures,
// counts in the figure m.
func excludedWords(m *analytics.Metric, i int) string {
	if m == nil || slices.Contains(m.Excluded, i) {
		return "left out of figures"
	}
	if m.Preset == analytics.PresetFFTPositive || m.Preset == analytics.PresetFFTNegative {
		return "counted in the base of the " + m.Name + ", as the NHS Friends and Family Test does"
	}
	return "counted in the base of the " + m.Name
}

// questionView is one question's page: the share of each answer, the
// trend of its figure and a breakdown by a dimension.
type questionView struct {
	layout
	Filters            filterForm
	Survey, Code, Text string
	Kind, Options      string
	Metric             string
	// NoCharts says why a question of this kind has no charts.
	NoCharts     string
	Distribution *dashboards.Chart
	// Choice is a multiple-choice question's chart; Numbers and Histogram
	// a number question's.
	Choice, Numbers, Histogram *dashboards.Chart
	Trend                      *dashboards.Chart
	// NoFigure says why the question has no trend or breakdown.
	NoFigure  string
	Breakdown *dashboards.Chart
	By        []choice
	ByName    string
	// ByAction and ByHidden are the breakdown's form: the page, with the
	// view's filters kept.
	ByAction string
	ByHidden []hidden
	XLSX     string
	// Comments links a text question's comments, outside the board view;
	// Themes the themes of its comments.
	Comments, Themes string
	// Statements are the framework statements the question is tagged
	// with; TagForm, for an account that may change the survey, tags it
	// with another or removes a tag.
	Statements []questionStatement
	TagForm    *tagForm
	tables     []dashboards.Table
}

// buildQuestion makes a question's page: three reports, one per chart.
func (s *Server) buildQuestion(ctx context.Context, v surveyView, code string) (questionView, error) {
	qs, ds, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return questionView{}, err
	}
	i := slices.IndexFunc(qs, func(q analytics.Question) bool { return q.Code == code })
	if i < 0 {
		return questionView{}, store.ErrNotFound
	}
	q := qs[i]
	qv := s.newQuestionView(v, q)
	if err := s.completeFilters(ctx, v, &qv.Filters, q.Code); err != nil {
		return questionView{}, err
	}
	switch {
	case q.Kind == analytics.KindText:
		qv.NoCharts = "The answers to this question are free text, which may hold personal details: heard does not show them on its dashboards."
		if !v.params.Board {
			f := commentFilters(v.query.filters())
			f.Set("question", q.Code)
			qv.Comments = link(v.base()+"/comments", f)
		}
		tf := without(v.query.filters(), "metric")
		tf.Set("question", q.Code)
		qv.Themes = link(v.base()+"/themes", tf)
		return qv, nil
	case v.params.Board && !q.OptionsPublishable():
		qv.Options = ""
		qv.NoCharts = "The answers to this question are written in people's own words, which may hold personal details: the board does not see them."
		return qv, nil
	case q.Kind == analytics.KindMulti && len(q.Options) > 0:
		return qv, s.addChoice(ctx, v, &qv, q)
	case q.Kind == analytics.KindNumber:
		return qv, s.addNumbers(ctx, v, &qv, q)
	case q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle:
		qv.NoCharts = "heard charts the answers of scale, single-choice, multiple-choice and number questions only."
		return qv, nil
	case len(q.Options) == 0:
		qv.NoCharts = "No one has given an answer to this question yet, so there is nothing to chart."
		return qv, nil
	}
	qv.Charts = true
	p := v.params
	p.Question, p.By = q.Code, nil
	ans, err := s.answerCounts(ctx, v.survey, p)
	if err != nil {
		return questionView{}, err
	}
	rep, err := s.surveyReport(ctx, v.survey, p)
	ro := ans.Options
	if err == nil && v.params.Board {
		// A period whose figure the board cannot see shows no answer
		// shares either: they would give the figure back.
		for _, r := range rep.Rows {
			if r.Group == analytics.AllGroup && r.Suppressed {
				ro.Withheld = append(ro.Withheld, r.Period)
			}
		}
	}
	dist, derr := dashboards.DistributionChart(ans.Question, ans.Counts, ro, qv.labels("chart-distribution", ""))
	if derr != nil {
		return questionView{}, derr
	}
	qv.Distribution = &dist
	qv.tables = append(qv.tables, dist.Table)
	var ue *analytics.ParamError
	if errors.As(err, &ue) {
		qv.NoFigure = plainMessage(ue)
		return qv, nil
	}
	if err != nil {
		return questionView{}, err
	}
	qv.Metric = rep.Metric.Name
	if qv.Options != "" {
		m := metricOf(q, rep.Metric)
		qv.Options = optionWords(q, &m)
	}
	tl := qv.labels("chart-trend", "")
	if tl.Marks, err = action.Marks(ctx, s.store, v.survey.ID, q.Code, markAudience(v)); err != nil {
		return questionView{}, err
	}
	trend, err := dashboards.TrendChart(rep.Domain(), analytics.AllGroup, tl)
	if err != nil {
		return questionView{}, err
	}
	qv.Trend = &trend
	qv.tables = append(qv.tables, trend.Table)
	return qv, s.addBreakdown(ctx, v, &qv, q, qs, ds)
}

// labels are the labels of a chart of the question's page: its id, the
// question's text, the breakdown's name, the survey and today.
func (qv *questionView) labels(id, by string) dashboards.Labels {
	return dashboards.Labels{ID: id, Subject: qv.Text, By: by, Source: qv.Survey, Made: time.Now()}
}

// addChoice charts a multiple-choice question: the share of the people
// answering who ticked each option.
func (s *Server) addChoice(ctx context.Context, v surveyView, qv *questionView, q analytics.Question) error {
	p := v.params
	p.Question, p.By = q.Code, nil
	t, err := report.CountTicks(ctx, s.store, p)
	var ue *analytics.ParamError
	if errors.As(err, &ue) {
		qv.NoCharts = sentence(ue.Query())
		return nil
	}
	if err != nil {
		return err
	}
	chart, err := dashboards.ChoiceChart(t.Question, t.Ticks, t.Options, qv.labels("chart-choice", ""))
	if err != nil {
		return err
	}
	qv.Charts, qv.NoFigure, qv.Choice = true, "", &chart
	qv.tables = append(qv.tables, chart.Table)
	return nil
}

// addNumbers charts a number question: its mean and median with their
// intervals, and a histogram (not for the board).
func (s *Server) addNumbers(ctx context.Context, v surveyView, qv *questionView, q analytics.Question) error {
	p := v.params
	p.Question, p.By = q.Code, nil
	n, err := report.ReadNumbers(ctx, s.store, p)
	var ue *analytics.ParamError
	if errors.As(err, &ue) {
		qv.NoCharts = sentence(ue.Query())
		return nil
	}
	if err != nil {
		return err
	}
	summary, hist, err := dashboards.NumberCharts(n.Question, n.Values, n.Options, qv.labels("chart-number", ""))
	if err != nil {
		return err
	}
	qv.Charts, qv.Numbers, qv.Histogram = true, &summary, hist
	qv.tables = append(qv.tables, summary.Table)
	if hist != nil {
		qv.tables = append(qv.tables, hist.Table)
	}
	return nil
}

// newQuestionView starts a question's page: its words, the filter form
// (keeping the breakdown) and the breakdown's form (keeping the filters).
func (s *Server) newQuestionView(v surveyView, q analytics.Question) questionView {
	f := without(v.query.filters(), "question")
	base := v.base() + "/questions/" + url.PathEscape(q.Code)
	qv := questionView{layout: s.surveyLayout(v, q.Text, "Questions"), Survey: v.survey.Name, Code: q.Code,
		Text: q.Text, Kind: kindName(q.Kind), Options: optionWords(q, nil), XLSX: link(base+"/tables.xlsx", byQuery(f, v.query.By)),
		Filters: newFilterForm(v, base, nil), ByAction: base}
	for _, b := range v.query.By {
		qv.Filters.Hidden = append(qv.Filters.Hidden, hidden{"by", b})
	}
	for k, vs := range f {
		for _, val := range vs {
			qv.ByHidden = append(qv.ByHidden, hidden{k, val})
		}
	}
	slices.SortFunc(qv.ByHidden, func(a, b hidden) int { return strings.Compare(a.Name+"\x00"+a.Value, b.Name+"\x00"+b.Value) })
	return qv
}

// addBreakdown adds the breakdown of the question's figure by the
// dimension (or other question) the query's by names, the survey's first
// dimension by default, over the whole of the chosen dates.
func (s *Server) addBreakdown(ctx context.Context, v surveyView, qv *questionView, q analytics.Question,
	qs []analytics.Question, ds []analytics.Dimension) error {
	by := ""
	if len(v.query.By) > 0 {
		by = v.query.By[0]
	}
	for _, d := range ds {
		if by == "" {
			by = d.Code
		}
		qv.By = append(qv.By, choice{Value: d.Code, Label: d.Name, Selected: d.Code == by})
		if d.Code == by {
			qv.ByName = d.Name
		}
	}
	for _, o := range qs {
		if v.params.Board {
			break // the board's figures break down by dimensions only
		}
		if o.Code != q.Code && (o.Kind == analytics.KindScale || o.Kind == analytics.KindSingle) {
			qv.By = append(qv.By, choice{Value: o.Code, Label: "Answer to: " + dashboards.OneLine(o.Text, 70), Selected: o.Code == by})
			if o.Code == by {
				qv.ByName = dashboards.OneLine(o.Text, 70)
			}
		}
	}
	if by == "" {
		return nil
	}
	if qv.ByName == "" {
		qv.ByName = by
	}
	p := v.params
	p.Question, p.By, p.Period = q.Code, []string{by}, string(analytics.PeriodAll)
	rep, err := s.surveyReport(ctx, v.survey, p)
	var ue *analytics.ParamError
	if v.params.Board && errors.As(err, &ue) {
		return nil // a column the board does not see broken down
	}
	if err != nil {
		return err
	}
	chart, err := dashboards.BreakdownChart(rep.Domain(), "", qv.labels("chart-breakdown", qv.ByName))
	if err != nil {
		return err
	}
	qv.Breakdown = &chart
	qv.tables = append(qv.tables, chart.Table)
	return nil
}

// byQuery adds the breakdown to a query.
func byQuery(v url.Values, by []string) url.Values {
	out := without(v)
	for _, b := range by {
		out.Add("by", b)
	}
	return out
}
