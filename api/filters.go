package api

import (
	"slices"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// filterForm is the form of a view's filters; it sends them back to the
// same page as its query.
type filterForm struct {
	Action    string
	Questions []choice
	Periods   []choice
	From, To  string
	// MinDate and MaxDate bound the date fields: the survey's first and
	// last dated responses.
	MinDate, MaxDate string
	// Dimensions are the lists of each dimension's values to filter by.
	Dimensions []dimensionFilter
	// Where are the filters no list of Dimensions holds, kept as ticked
	// boxes.
	Where       []string
	Metrics     []choice
	Confidences []choice
	Board       bool
	Partial     bool
	// NoPartial leaves out the choice of counting partial responses, on a
	// page that counts them always (the comments' themes).
	NoPartial bool
	// Hidden keeps the query parameters the form has no field for.
	Hidden []hidden
	// Clear is the page without filters.
	Clear string
}

// choice is an option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

type hidden struct{ Name, Value string }

// periodChoices are the filter form's periods, in words.
func periodChoices() [][2]string {
	return [][2]string{{"month", "Month"}, {"quarter", "Quarter (calendar)"}, {"year", "Calendar year"},
		{"fy", "Financial year (April to March)"}, {"fyq", "Financial-year quarter"}, {"all", "All periods together"}}
}

// metricChoices are the filter form's metrics, in words.
func metricChoices() [][2]string {
	return [][2]string{{"", "Each question's usual figure"}, {"top-box", "Top box (best 1 to 3 answers)"},
		{"ascof", "ASCOF: extremely or very satisfied"}, {"fft-positive", "Friends and Family Test: % positive"},
		{"fft-negative", "Friends and Family Test: % negative"}, {"agree", "% agree"}, {"yes", "% yes"},
		{"positive", "% positive (every positive answer)"}, {"nps", "Net Promoter Score"}, {"mean", "Mean score"}}
}

// newFilterForm is the filter form of a survey's page at action; questions,
// when not nil, offer a choice of question.
func newFilterForm(v surveyView, action string, questions []choice) filterForm {
	q := v.query
	f := filterForm{Action: action, Questions: questions, From: q.From, To: q.To, Where: q.Where,
		Board: v.params.Board, Partial: v.params.IncludePartial, Clear: action}
	period := strings.ToLower(strings.TrimSpace(q.Period))
	if period == "" {
		period = "month"
	}
	for _, p := range periodChoices() {
		f.Periods = append(f.Periods, choice{Value: p[0], Label: p[1], Selected: p[0] == period})
	}
	metric, found := strings.TrimSpace(q.Metric), false
	for _, m := range metricChoices() {
		sel := strings.EqualFold(m[0], metric)
		found = found || sel
		f.Metrics = append(f.Metrics, choice{Value: m[0], Label: m[1], Selected: sel})
	}
	if !found {
		f.Metrics = append(f.Metrics, choice{Value: metric, Label: "Saved metric: " + metric, Selected: true})
	}
	conf := v.params.Confidence
	if conf >= 50 && conf < 100 {
		conf /= 100
	}
	if conf == 0 {
		conf = analytics.DefaultConfidence
	}
	levels := []float64{0.9, 0.95, 0.99}
	if !slices.Contains(levels, conf) {
		levels = append(levels, conf)
	}
	for _, l := range levels {
		f.Confidences = append(f.Confidences, choice{Value: strconv.FormatFloat(l, 'f', -1, 64),
			Label: dashboards.Confidence(l), Selected: l == conf})
	}
	if s := strings.TrimSpace(q.MinBase); s != "" {
		f.Hidden = append(f.Hidden, hidden{"min_base", s})
	}
	return f
}
