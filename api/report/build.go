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

// Params are what a report asks for, as `heard report` flags and the
// API's query parameters give them. Every text is matched against the
// survey here; the zero values take the defaults.
type Params struct {
	// Survey is the survey's name.
	Survey string
	// Question is a question's code or text (case ignored); "" reports every
	// scale question, or the question of a saved Metric.
	Question string
	// Metric is a preset (top-box, ascof, fft-positive...) or the name of a
	// metric saved with the survey; "" is each question's default metric.
	Metric string
	// Period is month (default), quarter, year, fy, fyq or all.
	Period string
	// By are the dimensions or single-choice questions to break the
	// figures down by (code or header text); several give one group per
	// combination of their values, named "value / value".
	By []string
	// From and To keep the responses submitted from and to these London
	// dates ("2024-04-01", or a month "2024-04"), inclusive.
	From, To string
	// Where keeps the responses whose column has a value: "COLUMN=VALUE".
	// Several values of one column are alternatives; different columns
	// must all match.
	Where []string
	// Confidence of the intervals, such as 0.95 (default) or 95.
	Confidence float64
	// MinBase is the smallest base a board figure is shown on and a
	// p-value is computed on (default 10).
	MinBase int64
	// Board applies disclosure control, for figures that leave staff.
	Board bool
	// IncludePartial counts partial responses too.
	IncludePartial bool
}

// JSON is one question's report: the object `heard report --format
// json` prints and the API returns. Rows run through the periods in time
// order; in each, the overall row (group "") comes first, then the groups.
type JSON struct {
	Survey         string               `json:"survey"`
	Question       string               `json:"question"`
	QuestionText   string               `json:"question_text"`
	Metric         MetricJSON           `json:"metric"`
	Period         analytics.PeriodKind `json:"period"`
	By             []string             `json:"by"`
	From           string               `json:"from,omitempty"`
	To             string               `json:"to,omitempty"`
	Where          []string             `json:"where"`
	IncludePartial bool                 `json:"include_partial"`
	Confidence     float64              `json:"confidence"`
	Board          bool                 `json:"board"`
	Disclosure     analytics.Disclosure `json:"disclosure"`
	// Undated counts the responses without a date, which only the period
	// "all" includes (0 in a board report).
	Undated int64                 `json:"undated"`
	Rows    []analytics.ReportRow `json:"rows"`
}

// MetricJSON says what a report's figure counts, by option label.
type MetricJSON struct {
	Name string `json:"name"`
	// Preset is the preset's name; "" for a saved metric.
	Preset   string            `json:"preset,omitempty"`
	Saved    bool              `json:"saved"`
	Measure  analytics.Measure `json:"measure"`
	Positive []string          `json:"positive"`
	Negative []string          `json:"negative,omitempty"`
	Excluded []string          `json:"excluded"`
}

// SurveyReports is the report of every scale question of a survey.
type SurveyReports struct {
	Survey  string `json:"survey"`
	Reports []JSON `json:"reports"`
	// Skipped lists the scale questions the metric asked for does not fit.
	Skipped []SkippedJSON `json:"skipped"`
}

// SkippedJSON is a question left out of a survey's report, and why.
type SkippedJSON struct {
	Question string `json:"question"`
	Reason   string `json:"reason"`
}

// Build makes the report of one question that p asks for: the
// question named, or the question of the saved metric named. Parameters
// that do not fit the survey give a *analytics.ParamError saying what to use
// instead; an unknown survey gives an error wrapping store.ErrNotFound.
func Build(ctx context.Context, st *store.Store, p Params) (JSON, error) {
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return JSON{}, err
	}
	q, m, err := r.single(ctx)
	if err != nil {
		return JSON{}, err
	}
	return r.report(ctx, q, m)
}

// BuildAll makes the report of every scale question of the
// survey, each with p.Metric where it fits (else it is skipped) or with its
// default metric; or the one report of the question p names or of the
// saved metric p names.
func BuildAll(ctx context.Context, st *store.Store, p Params) (SurveyReports, error) {
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return SurveyReports{}, err
	}
	out := SurveyReports{Survey: r.cols.survey.Name, Reports: []JSON{}, Skipped: []SkippedJSON{}}
	saved, err := r.saved(ctx)
	if err != nil {
		return SurveyReports{}, err
	}
	if p.Question != "" || saved != nil {
		q, m, err := r.single(ctx)
		if err != nil {
			return SurveyReports{}, err
		}
		rep, err := r.report(ctx, q, m)
		if err != nil {
			return SurveyReports{}, err
		}
		out.Reports = append(out.Reports, rep)
		return out, nil
	}
	for _, q := range r.cols.questions {
		if q.Kind != analytics.KindScale {
			continue
		}
		m, err := r.metric(ctx, q)
		var ue *analytics.ParamError
		if errors.As(err, &ue) {
			out.Skipped = append(out.Skipped, SkippedJSON{Question: q.Code, Reason: ue.Query()})
			continue
		}
		if err != nil {
			return SurveyReports{}, err
		}
		rep, err := r.report(ctx, q, m)
		if err != nil {
			return SurveyReports{}, err
		}
		out.Reports = append(out.Reports, rep)
	}
	return out, nil
}

// reporter holds report parameters checked against their survey.
type reporter struct {
	st     *store.Store
	params Params
	cols   surveyColumns
	query  store.CountQuery
	opts   analytics.ReportOptions
	// byCodes and where are the breakdown and filters as reported back.
	byCodes, where []string
	// publication is the survey's board publication, for a board report.
	publication analytics.Publication
}

// newReporter reads the survey and checks every parameter but the
// question and metric.
func newReporter(ctx context.Context, st *store.Store, p Params) (*reporter, error) {
	sv, err := st.SurveyByName(ctx, p.Survey)
	if errors.Is(err, store.ErrNotFound) {
		return nil, analytics.NotFound(fmt.Sprintf("there is no survey called %q; `heard surveys` lists them", p.Survey))
	}
	if err != nil {
		return nil, err
	}
	m, err := st.SurveyMapping(ctx, sv.Name)
	if err != nil {
		return nil, err
	}
	r := &reporter{st: st, params: p, byCodes: []string{}, where: []string{},
		cols: surveyColumns{survey: sv, questions: m.Questions, dimensions: m.Dimensions, headers: map[string][]string{}}}
	for _, c := range m.Columns {
		if c.Code != "" && (c.Role == analytics.RoleQuestion || c.Role == analytics.RoleDimension) {
			r.cols.headers[c.Code] = append(r.cols.headers[c.Code], c.Header)
		}
	}
	if p.Board {
		pub, err := st.Publication(ctx, sv.ID)
		if err != nil {
			return nil, err
		}
		r.params = BoardParams(p, pub)
		r.publication = pub
	}
	if err := r.parse(); err != nil {
		return nil, err
	}
	return r, nil
}

// BoardParams reduces the parameters of a board report to what the survey
// publishes to its board: its one period kind, every date, every group,
// complete responses, each question's default metric, and one breakdown by
// a dimension at most, under the survey's disclosure policy whatever the
// request asked. Every board output is then a part of one fixed set of
// tables, in which disclosure control is applied once and alike, so that
// no two board requests can be subtracted to work out a hidden figure: no
// date range or filter leaves a group out, no second period kind or
// breakdown nests in another, and no threshold can be lowered. Confidence
// stays the request's: an interval says nothing its base and count do not.
func BoardParams(p Params, pub analytics.Publication) Params {
	p.Period, p.From, p.To, p.Where, p.MinBase, p.IncludePartial = string(pub.Period), "", "", nil, 0, false
	p.Metric = ""
	return p
}

// parse checks the period, dates, confidence, base, breakdown and filters.
func (r *reporter) parse() error {
	p := r.params
	kind := analytics.PeriodMonth
	if strings.TrimSpace(p.Period) != "" {
		k, err := analytics.ParsePeriodKind(p.Period)
		if err != nil {
			return analytics.ParamErrorf("{period}: " + err.Error())
		}
		kind = k
	}
	conf := p.Confidence
	if conf >= 50 && conf < 100 {
		conf /= 100 // written as a percentage
	}
	if conf != 0 && !(conf >= 0.5 && conf < 1) {
		return usageErrorf("{confidence} %v: give a level from 0.5 to below 1, such as 0.95 (or 95)", p.Confidence)
	}
	if p.MinBase < 0 {
		return usageErrorf("{min-base} %d: give a number of responses, 1 or more", p.MinBase)
	}
	r.opts = analytics.ReportOptions{Period: kind, Confidence: conf, Board: p.Board,
		Disclosure: analytics.Disclosure{MinBase: p.MinBase}}
	if p.Board {
		r.opts.Disclosure = r.publication.Policy.Disclosure().WithDefaults()
	}
	r.query = store.CountQuery{IncludePartial: p.IncludePartial}
	var err error
	if r.query.From, err = ParseDay("from", p.From, false); err != nil {
		return err
	}
	if r.query.To, err = ParseDay("to", p.To, true); err != nil {
		return err
	}
	if r.query.From != "" && r.query.To != "" && r.query.From > r.query.To {
		return usageErrorf("{from} %s is after {to} %s", r.query.From, r.query.To)
	}
	if err := r.parseBy(); err != nil {
		return err
	}
	return r.parseWhere()
}

// parseBy resolves the breakdown's columns. Each --by value is a column,
// or a comma-separated list of them.
func (r *reporter) parseBy() error {
	for _, by := range r.params.By {
		if strings.TrimSpace(by) == "" {
			continue
		}
		names := []string{by}
		if _, err := r.cols.findGroupColumn("by", by); err != nil && strings.Contains(by, ",") {
			names = strings.Split(by, ",")
		}
		for _, name := range names {
			c, err := r.cols.findGroupColumn("by", strings.TrimSpace(name))
			if err != nil {
				return err
			}
			if slices.Contains(r.byCodes, c.code()) {
				return usageErrorf("{by} names %q twice", c.code())
			}
			if r.params.Board && (len(r.byCodes) > 0 || c.question != nil) {
				continue // the board's figures break down by one dimension at most
			}
			r.query.By, r.byCodes = append(r.query.By, c.field()), append(r.byCodes, c.code())
		}
	}
	return nil
}

// parseWhere resolves the filters: values of one column are alternatives.
func (r *reporter) parseWhere() error {
	index := map[string]int{}
	for _, w := range r.params.Where {
		name, value, ok := strings.Cut(w, "=")
		if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(value) == "" {
			return usageErrorf("{where} %q: write it as COLUMN=VALUE, such as {where} \"Team=North team\"", w)
		}
		c, err := r.cols.findGroupColumn("where", strings.TrimSpace(name))
		if err != nil {
			return err
		}
		value = strings.TrimSpace(value)
		i, seen := index[c.code()]
		if !seen {
			i = len(r.query.Where)
			index[c.code()] = i
			r.query.Where = append(r.query.Where, store.Filter{Field: c.field()})
		}
		f := &r.query.Where[i]
		if c.question != nil {
			o := optionIndex(*c.question, value)
			if o < 0 {
				return usageErrorf("{where} %q: %q is not an option of question %q; its options are %s",
					w, value, c.code(), optionList(*c.question))
			}
			f.Options = append(f.Options, o)
		} else {
			f.Values = append(f.Values, value)
		}
		r.where = append(r.where, c.code()+"="+value)
	}
	return nil
}

// Domain is the report as the domain's analytics.Report, which the chart
// builders draw: they read the metric's name and measure only.
func (rep JSON) Domain() analytics.Report {
	return analytics.Report{
		Question: rep.Question,
		Metric: analytics.Metric{Name: rep.Metric.Name, Preset: rep.Metric.Preset, Question: rep.Question,
			Measure: rep.Metric.Measure},
		Period: rep.Period, Confidence: rep.Confidence, Board: rep.Board, Disclosure: rep.Disclosure,
		Undated: rep.Undated, Rows: rep.Rows,
	}
}
