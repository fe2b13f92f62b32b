package api

import (
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// overallRow returns the overall row of a period of rep.
func overallRow(rep report.JSON, period string) (analytics.ReportRow, bool) {
	for _, r := range rep.Rows {
		if r.Period == period && r.Group == analytics.AllGroup {
			return r, true
		}
	}
	return analytics.ReportRow{}, false
}

// latestRow returns the overall row of rep's latest period.
func latestRow(rep report.JSON) (analytics.ReportRow, bool) {
	for i := len(rep.Rows) - 1; i >= 0; i-- {
		if rep.Rows[i].Group == analytics.AllGroup {
			return rep.Rows[i], true
		}
	}
	return analytics.ReportRow{}, false
}

// figureView is one figure as a page shows it, always with its base and
// interval, or the reason it has none.
type figureView struct {
	Shown bool
	// Value is "93.1%", "+12.5" (NPS) or "3.45" (mean).
	Value    string
	Interval string
	Base     string
	// Period is the period's label: "March 2025".
	Period string
	// Summary is the figure in one line: "93.1% (n = 412, 95% CI
	// 90.2% to 95.2%)".
	Summary string
	// Note says why there is no figure.
	Note string
}

// figureOf describes a row of rep.
func figureOf(rep report.JSON, r analytics.ReportRow) figureView {
	f := figureView{Period: dashboards.PeriodLabel(rep.Period, r.Period)}
	switch {
	case r.Suppressed:
		f.Note = "not shown: too few answers to publish"
		return f
	case r.Rate == nil || r.N == nil:
		f.Note = "no answers"
		return f
	}
	m := rep.Metric.Measure
	f.Shown, f.Value, f.Base = true, dashboards.Value(m, *r.Rate, false), dashboards.Thousands(*r.N)
	f.Interval = dashboards.Interval(m, r.CILow, r.CIHigh)
	f.Summary = f.Value + " (n = " + f.Base
	if f.Interval != "" {
		f.Summary += ", " + dashboards.Confidence(rep.Confidence) + " CI " + f.Interval
	}
	f.Summary += ")"
	return f
}

// change compares the latest period of rep with the period before, in
// words: the sentence for a headline ("Up 6.2 points from February 2025
// (86.9%, n = 380), significant at 95%.") and a short form for a table
// ("▲ up 6.2 points", dashboards.NoChange). Both are "" when there is
// no period before.
func change(rep report.JSON) (sentence, short string) {
	latest, ok := latestRow(rep)
	if !ok {
		return "", ""
	}
	return changeOf(rep, latest)
}

// changeOf is change for the overall row latest of rep.
func changeOf(rep report.JSON, latest analytics.ReportRow) (sentence, short string) {
	prevKey, err := analytics.Previous(rep.Period, latest.Period)
	if err != nil {
		return "", ""
	}
	label := dashboards.PeriodLabel(rep.Period, prevKey)
	prev, ok := overallRow(rep, prevKey)
	if !ok || prev.Rate == nil || latest.Rate == nil || prev.Suppressed || latest.Suppressed {
		return "There is no figure for " + label + " to compare with.", ""
	}
	was := label + " (" + dashboards.Value(rep.Metric.Measure, *prev.Rate, false) + ", n = " + dashboards.Thousands(*prev.N) + ")"
	if latest.ChangeP == nil {
		return "Compared with " + was + ": too few answers to test the change.", "not tested"
	}
	level := dashboards.Confidence(rep.Confidence)
	if *latest.ChangeP >= 1-rep.Confidence {
		return dashboards.NoChange + " from " + was + " at " + level + ".", dashboards.NoChange
	}
	diff := dashboards.Difference(rep.Metric.Measure, *latest.Rate-*prev.Rate)
	if *latest.Rate >= *prev.Rate {
		return "Up " + diff + " from " + was + ", significant at " + level + ".", "▲ up " + diff
	}
	return "Down " + diff + " from " + was + ", significant at " + level + ".", "▼ down " + diff
}

// headlinePreference ranks a question as a survey's headline: overall
// satisfaction first, then any satisfaction question, then any overall
// question.
func headlinePreference(text string) int {
	t := strings.ToLower(text)
	switch overall, satisfied := strings.Contains(t, "overall"), strings.Contains(t, "satisf"); {
	case overall && satisfied:
		return 3
	case satisfied:
		return 2
	case overall:
		return 1
	}
	return 0
}

// pickHeadline returns the index of the headline report: the one of the
// question code when given, else the most preferred, first first.
func pickHeadline(reports []report.JSON, code string) (int, error) {
	if code = strings.TrimSpace(code); code != "" {
		for i, r := range reports {
			if report.Fold(r.Question) == report.Fold(code) {
				return i, nil
			}
		}
		codes := make([]string, len(reports))
		for i, r := range reports {
			codes[i] = r.Question
		}
		return 0, usageErrorf("question %q is not one of the survey's scale questions with a figure; use one of: %s",
			code, strings.Join(codes, ", "))
	}
	best := 0
	for i, r := range reports {
		if headlinePreference(r.QuestionText) > headlinePreference(reports[best].QuestionText) {
			best = i
		}
	}
	return best, nil
}

// textCell is a cell of text.
func textCell(s string) dashboards.Cell { return dashboards.Cell{Text: s} }
