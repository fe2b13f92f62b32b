package api

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
)

// dimensionFilter is one dimension's list in the filter form: its real
// values, any number of them chosen. Its options' values are the where
// query parameter's COLUMN=VALUE, so a link, the JSON API and the form
// speak alike.
type dimensionFilter struct {
	// ID is the select's id: "f-dim-0".
	ID, Label string
	Options   []choice
	// Size is the number of rows the list shows.
	Size int
}

// completeFilters fills the parts of the filter form f of view v that need
// the store: each dimension's values as a list (the current where filters
// of a dimension chosen in it, the others left as ticked boxes), the
// dates' range, and only the figures (metrics) that fit the question of
// code (every figure when "" or not found). A board view has none of them.
func (s *Server) completeFilters(ctx context.Context, v surveyView, f *filterForm, code string) error {
	if v.params.Board {
		return nil
	}
	qs, ds, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return err
	}
	values, err := s.dimensionValues(ctx, v.survey)
	if err != nil {
		return err
	}
	if f.MinDate, f.MaxDate, err = s.surveyDays(ctx, v.survey); err != nil {
		return err
	}
	f.From, f.To = dayValue("from", f.From, false), dayValue("to", f.To, true)
	f.Dimensions, f.Where = dimensionFilters(ds, values, f.Where)
	for _, q := range qs {
		if code != "" && q.Code == code {
			f.Metrics = fittingMetrics(f.Metrics, q)
		}
	}
	return nil
}

// dimensionFilters are the lists of the dimensions ds with their values,
// the where filters among where chosen in them; rest are the filters no
// list holds (on a question, or a value no response has).
func dimensionFilters(ds []analytics.Dimension, values map[string][]string, where []string) (lists []dimensionFilter, rest []string) {
	used := make([]bool, len(where))
	for _, d := range ds {
		vs := values[d.Code]
		if len(vs) == 0 {
			continue
		}
		l := dimensionFilter{ID: "f-dim-" + strconv.Itoa(len(lists)), Label: d.Name, Size: min(len(vs), 5)}
		for _, val := range vs {
			on := false
			for i, w := range where {
				name, wv, _ := strings.Cut(w, "=")
				if (report.Fold(name) == report.Fold(d.Code) || report.Fold(name) == report.Fold(d.Name)) &&
					strings.EqualFold(strings.TrimSpace(wv), val) {
					on, used[i] = true, true
				}
			}
			l.Options = append(l.Options, choice{Value: d.Code + "=" + val, Label: val, Selected: on})
		}
		lists = append(lists, l)
	}
	for i, w := range where {
		if !used[i] {
			rest = append(rest, w)
		}
	}
	return lists, rest
}

// fittingMetrics keeps the figures that fit question q (and the one chosen,
// whatever it is, so the form says what the page shows).
func fittingMetrics(all []choice, q analytics.Question) []choice {
	var out []choice
	for _, m := range all {
		if m.Value == "" || m.Selected || !report.IsPreset(m.Value) {
			out = append(out, m)
			continue
		}
		if _, err := analytics.MetricPreset(m.Value, q); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// dayValue is a from or to date as a date field holds it ("2024-04-01"): a
// month becomes its first day (from) or last day (to); text that is not a
// date is kept, for the page to say so.
func dayValue(name, s string, end bool) string {
	if day, err := report.ParseDay(name, s, end); err == nil {
		return day
	}
	return s
}

// paramWords are the parameters of a *analytics.ParamError as a page names
// them: the labels of the filter form's fields.
var paramWords = map[string]string{
	"from": "the “From” date", "to": "the “To” date", "where": "the filter", "by": "the breakdown",
	"period": "“Figures by”", "metric": "the figure", "question": "the question", "confidence": "the confidence level",
	"min-base": "the smallest base", "board": "the board view", "include-partial": "“Count partial responses too”",
}

var paramRef = regexp.MustCompile(`\{([a-z][a-z0-9-]*)\}`)

// plainMessage is a *analytics.ParamError's message for a page: each
// parameter named by its field's label, never by its query name.
func plainMessage(e *analytics.ParamError) string {
	return sentence(paramRef.ReplaceAllStringFunc(e.Msg, func(s string) string {
		if w, ok := paramWords[strings.Trim(s, "{}")]; ok {
			return w
		}
		return strings.ReplaceAll(strings.Trim(s, "{}"), "-", " ")
	}))
}

// skippedReason says in words why a scale question has no figure on the
// dashboard with the figure (metric) chosen: the API's reason names the
// preset and the question by their codes.
func skippedReason(metric string) string {
	metric = strings.TrimSpace(metric)
	if metric == "" {
		return "heard has no usual figure for its answers: open it to see them, or choose a figure that fits it"
	}
	for _, m := range metricChoices() {
		if strings.EqualFold(m[0], metric) {
			return "the figure “" + m[1] + "” does not fit its answers: choose another figure, or each question's usual figure"
		}
	}
	return "the saved figure “" + metric + "” counts another question: choose each question's usual figure to see this one"
}

// dimensionValues is store.DimensionValues through the report cache, which
// a new import or a purge renews: the values change only with the data.
// The map is shared: read it only.
func (s *Server) dimensionValues(ctx context.Context, survey analytics.Survey) (map[string][]string, error) {
	return cached(ctx, s, "dimension-values", survey, report.Params{Survey: survey.Name},
		func(ctx context.Context) (map[string][]string, error) { return s.store.DimensionValues(ctx, survey.ID) })
}

// surveyDays is store.SurveyDays through the report cache.
func (s *Server) surveyDays(ctx context.Context, survey analytics.Survey) (first, last string, err error) {
	days, err := cached(ctx, s, "days", survey, report.Params{Survey: survey.Name},
		func(ctx context.Context) ([2]string, error) {
			first, last, err := s.store.SurveyDays(ctx, survey.ID)
			return [2]string{first, last}, err
		})
	return days[0], days[1], err
}
