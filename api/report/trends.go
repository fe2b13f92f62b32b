package report

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// Trends makes the reports of the board's trend CSV: the survey's
// board publication (see BoardParams), every scale question with its
// default metric, or the question p names. A board file breaks the figures
// down by one dimension at most, so that no two of its cells nest.
func Trends(ctx context.Context, st *store.Store, p Params) ([]JSON, error) {
	p.Board, p.IncludePartial, p.From, p.To, p.Where = true, false, "", "", nil
	var by []string
	for _, b := range p.By {
		for _, c := range strings.Split(b, ",") {
			if strings.TrimSpace(c) != "" {
				by = append(by, strings.TrimSpace(c))
			}
		}
	}
	if len(by) > 1 {
		return nil, usageErrorf("a trend CSV for the board breaks the figures down by one column at most ({by} %s)",
			strings.Join(by, ","))
	}
	all, err := BuildAll(ctx, st, p)
	if err != nil {
		return nil, err
	}
	return all.Reports, nil
}

// WriteTrendCSV writes reports as the board's trend CSV, in a long layout:
// survey, metric, question, period, group, numerator, denominator, rate,
// ci_low, ci_high, suppressed, disclosure_policy, disclosure_rule (the
// survey's board policy by name and in words, on every line). Rates and intervals are percentages with
// one decimal (an NPS from −100 to 100, a mean as its score with two); the
// overall row's group is "All responses". Text cells are made safe to open
// in a spreadsheet.
func WriteTrendCSV(w io.Writer, reports []JSON) error {
	cw := dashboards.NewCSV(w)
	cw.Header("survey", "metric", "question", "period", "group", "numerator", "denominator", "rate",
		"ci_low", "ci_high", "suppressed", "disclosure_policy", "disclosure_rule")
	for _, rep := range reports {
		m := rep.Metric.Measure
		policy, rule := string(rep.Disclosure.Policy), rep.Disclosure.Rule
		for _, r := range rep.Rows {
			cw.Text(rep.Survey, rep.Metric.Name, rep.Question, r.Period, dashboards.GroupLabel(r.Group))
			if r.Suppressed || r.Rate == nil {
				cw.Num("", dashboards.IntCell(r.N), "", "", "", strconv.FormatBool(r.Suppressed))
			} else {
				numerator := ""
				if m != analytics.MeasureMean {
					numerator = dashboards.IntCell(r.Positive)
				}
				cw.Num(numerator, dashboards.IntCell(r.N), dashboards.Value(m, *r.Rate, true), boundCell(m, r.CILow),
					boundCell(m, r.CIHigh), "false")
			}
			cw.Num(policy, rule)
			cw.End()
		}
	}
	return cw.Flush()
}

// boundCell writes an end of an interval as the trend CSV's rate, or ""
// for none.
func boundCell(m analytics.Measure, v *float64) string {
	if v == nil {
		return ""
	}
	return dashboards.Value(m, *v, true)
}
