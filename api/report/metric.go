package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// single resolves the one question and metric of a report: the question
// named, or the question of the saved metric named.
func (r *reporter) single(ctx context.Context) (analytics.Question, analytics.Metric, error) {
	name := strings.TrimSpace(r.params.Question)
	if name == "" {
		saved, err := r.saved(ctx)
		if err != nil {
			return analytics.Question{}, analytics.Metric{}, err
		}
		if saved == nil {
			return analytics.Question{}, analytics.Metric{}, usageErrorf(
				"name the question with {question} (code or text): survey %q has %s", r.cols.survey.Name, r.scaleList())
		}
		name = saved.Question
	}
	q, err := r.cols.findQuestion("question", name)
	if err != nil {
		return analytics.Question{}, analytics.Metric{}, err
	}
	if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
		return analytics.Question{}, analytics.Metric{}, usageErrorf(
			"question %q is a %s question, and reports count the answers of scale and single-choice questions: survey %q has %s",
			q.Code, q.Kind, r.cols.survey.Name, r.scaleList())
	}
	if r.params.Board && !q.OptionsPublishable() {
		return analytics.Question{}, analytics.Metric{}, usageErrorf(
			"question %q has answers written in people's own words, which the board never sees", q.Code)
	}
	m, err := r.metric(ctx, q)
	return q, m, err
}

// scaleList describes the survey's scale questions for a message.
func (r *reporter) scaleList() string {
	var cols []column
	for i, q := range r.cols.questions {
		if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle {
			cols = append(cols, column{question: &r.cols.questions[i]})
		}
	}
	if len(cols) == 0 {
		return "no scale or single-choice questions"
	}
	return "these questions: " + r.cols.describe(cols)
}

// saved returns the survey's saved metric that the Metric parameter names,
// or nil when it names none (a preset, or nothing).
func (r *reporter) saved(ctx context.Context) (*analytics.Metric, error) {
	name := strings.TrimSpace(r.params.Metric)
	if name == "" || slices.Contains(analytics.MetricPresets(), strings.ToLower(name)) {
		return nil, nil
	}
	m, err := r.st.Metric(ctx, r.cols.survey.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, r.unknownMetric(ctx, name)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// unknownMetric is the error for a metric that is neither a preset nor
// saved with the survey.
func (r *reporter) unknownMetric(ctx context.Context, name string) error {
	list, err := r.st.Metrics(ctx, r.cols.survey.ID)
	if err != nil {
		return err
	}
	names := make([]string, len(list))
	for i, m := range list {
		names[i] = fmt.Sprintf("%q", m.Name)
	}
	saved := "none saved (see `heard metric save`)"
	if len(names) > 0 {
		saved = strings.Join(names, ", ")
	}
	return usageErrorf("{metric} %q is neither a preset (%s) nor a metric saved with survey %q (%s)",
		name, strings.Join(analytics.MetricPresets(), ", "), r.cols.survey.Name, saved)
}

// metric resolves the Metric parameter for question q. A metric that does
// not fit q is a *analytics.ParamError saying why.
func (r *reporter) metric(ctx context.Context, q analytics.Question) (analytics.Metric, error) {
	name := strings.TrimSpace(r.params.Metric)
	var m analytics.Metric
	var err error
	switch {
	case name == "":
		m, err = analytics.DefaultMetric(q)
		if err != nil {
			err = fmt.Errorf("%w; or pick a preset with {metric}", err)
		}
	case slices.Contains(analytics.MetricPresets(), strings.ToLower(name)):
		m, err = analytics.MetricPreset(strings.ToLower(name), q)
	default:
		saved, serr := r.saved(ctx)
		if serr != nil {
			return analytics.Metric{}, serr
		}
		if saved.Question != q.Code {
			return analytics.Metric{}, usageErrorf("metric %q counts question %q, not %q", saved.Name, saved.Question, q.Code)
		}
		m, err = *saved, saved.Validate(q)
	}
	if errors.Is(err, analytics.ErrMetricMisfit) {
		return analytics.Metric{}, &analytics.ParamError{Msg: err.Error()}
	}
	return m, err
}

// report counts q's answers and computes metric m from them.
func (r *reporter) report(ctx context.Context, q analytics.Question, m analytics.Metric) (JSON, error) {
	query := r.query
	query.Question = q.ID
	counts, err := r.st.Counts(ctx, r.cols.survey.ID, query)
	if err != nil {
		return JSON{}, fmt.Errorf("report of question %q: %w", q.Code, err)
	}
	rep := analytics.BuildReport(q, m, counts, r.opts)
	if r.params.Board {
		for _, row := range rep.Rows {
			if analytics.ReadsAsWritten(row.Group) {
				// A group's name is shown even when its figure is hidden:
				// written answers never reach the board.
				return JSON{}, usageErrorf("column %q holds answers written in people's own words, "+
					"which the board never sees: break the figures down by another column", strings.Join(r.byCodes, ", "))
			}
		}
	}
	rows := rep.Rows
	if rows == nil {
		rows = []analytics.ReportRow{}
	}
	return JSON{
		Survey: r.cols.survey.Name, Question: q.Code, QuestionText: q.Text, Metric: MetricJSONOf(q, m),
		Period: rep.Period, By: r.byCodes, From: query.From, To: query.To, Where: r.where,
		IncludePartial: query.IncludePartial, Confidence: rep.Confidence, Board: rep.Board,
		Disclosure: rep.Disclosure, Undated: rep.Undated, Rows: rows,
	}, nil
}

// MetricJSONOf describes m by the labels of q's options.
func MetricJSONOf(q analytics.Question, m analytics.Metric) MetricJSON {
	labels := func(idx []int) []string {
		out := []string{}
		for _, i := range idx {
			if i >= 0 && i < len(q.Options) {
				out = append(out, q.Options[i].Label)
			}
		}
		return out
	}
	measure := m.Measure
	if measure == "" {
		measure = analytics.MeasureShare
	}
	out := MetricJSON{Name: m.Name, Preset: m.Preset, Saved: m.Preset == "", Measure: measure,
		Positive: labels(m.Positive), Excluded: labels(m.Excluded)}
	if len(m.Negative) > 0 {
		out.Negative = labels(m.Negative)
	}
	return out
}

// IsPreset reports whether a --metric value is empty or a preset's name.
func IsPreset(metric string) bool {
	m := strings.ToLower(strings.TrimSpace(metric))
	return m == "" || slices.Contains(analytics.MetricPresets(), m)
}
