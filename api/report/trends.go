package report

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

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
// survey's board policy by name and in words, on every line), and last
// question_text, the question as people read it (after the columns older
// files had, so that a reader of those finds its columns where they were). Rates and intervals are percentages with
// one decimal (an NPS from −100 to 100, a mean as its score with two); the
// overall row's group is "All responses". Text cells are made safe to open
// in a spreadsheet.
func WriteTrendCSV(w io.Writer, reports []JSON) error {
	cw := dashboards.NewCSV(w)
	cw.Header("survey", "metric", "question", "period", "group", "numerator", "denominator", "rate",
		"ci_low", "ci_high", "suppressed", "disclosure_policy", "disclosure_rule", "question_text")
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
			cw.Text(rep.QuestionText)
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

// TrendReadme is what the README.txt beside a trend CSV says.
type TrendReadme struct {
	Survey string
	// CSV is the name of the CSV file the readme describes.
	CSV string
	// Made is when the file was made.
	Made time.Time
	// Disclosure is the survey's board policy, which every figure obeys;
	// Period is the board's period kind and By names the breakdown, if any.
	Disclosure analytics.Disclosure
	Period     analytics.PeriodKind
	By         string
	// Reports are the CSV's reports, for the list of its questions.
	Reports []JSON
}

// WriteTrendReadme writes the README.txt that goes with a trend CSV: what
// the file holds, what each column means, the disclosure rule its figures
// obey, and when it was made, in plain words for a reader without heard.
func WriteTrendReadme(w io.Writer, r TrendReadme) error {
	by := "for all responses together, with no breakdown"
	if r.By != "" {
		by = "for all responses together, then for each group of " + r.By
	}
	var b strings.Builder
	line := func(s ...string) {
		b.WriteString(strings.Join(s, ""))
		b.WriteString("\r\n")
	}
	line("About ", r.CSV)
	line("")
	line("What this is: the figures of the survey \"", r.Survey, "\" as published to its board, by ",
		dashboards.PeriodName(r.Period), ", ", by, ". One line per question, period and group.")
	line("Made by heard on ", r.Made.UTC().Format("2006-01-02 15:04"), " UTC. Figures change when more responses are imported.")
	line("")
	line("What was left out (the disclosure rule):")
	line("  Policy \"", string(r.Disclosure.Policy), "\". ", r.Disclosure.Rule)
	line("  A figure left out has suppressed = true and empty numbers. Free-text comments are never in this file.")
	line("")
	line("Columns:")
	level := analytics.DefaultConfidence
	if len(r.Reports) > 0 {
		level = r.Reports[0].Confidence
	}
	for _, c := range trendColumns(dashboards.Confidence(level)) {
		line("  ", c[0], ": ", c[1])
	}
	if len(r.Reports) > 0 {
		line("")
		line("Questions in this file, with the figure given for each:")
		for _, rep := range r.Reports {
			line("  ", dashboards.OneLine(rep.QuestionText, 200), " (", rep.Metric.Name, ")")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// trendColumns are the trend CSV's columns, each with what it means; level
// is the intervals' confidence level, such as 95%.
func trendColumns(level string) [][2]string {
	return [][2]string{
		{"survey", "the survey's name"},
		{"metric", "the figure given for the question, such as the share of people satisfied"},
		{"question", "the question's short code in heard"},
		{"period", "the period the figure covers: 2025-03 is March 2025, 2024-Q2 a calendar quarter, 2024-25 a financial year (April to March)"},
		{"group", "the group the figure is for, or All responses"},
		{"numerator", "the number of people who gave the answers the figure counts (empty for a mean score)"},
		{"denominator", "the number of people who answered the question, the base the figure is worked out from"},
		{"rate", "the figure: a percentage with one decimal (a Net Promoter Score from -100 to 100, or a mean score)"},
		{"ci_low", "the lower end of the " + level + " confidence interval: the range the true figure very likely lies in, had everyone been asked"},
		{"ci_high", "the upper end of that interval"},
		{"suppressed", "true when the figure is left out under the disclosure rule above"},
		{"disclosure_policy", "the name of the disclosure rule the figures obey"},
		{"disclosure_rule", "that rule in words"},
		{"question_text", "the question as people read it"},
	}
}
