package api

import (
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
)

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

// shareRow is a report row of x positive answers out of n, with a change
// p-value against the period before.
func shareRow(period string, x, n int64, low, high float64, changeP *float64) analytics.ReportRow {
	return analytics.ReportRow{Period: period, N: i64(n), Positive: i64(x), Rate: f64(float64(x) / float64(n)),
		CILow: f64(low), CIHigh: f64(high), ChangeP: changeP}
}

func TestChangeInWords(t *testing.T) {
	share := report.MetricJSON{Name: "% satisfied", Measure: analytics.MeasureShare}
	mean := report.MetricJSON{Name: "mean score", Measure: analytics.MeasureMean}
	cases := []struct {
		name            string
		metric          report.MetricJSON
		rows            []analytics.ReportRow
		sentence, short string
	}{
		{"up, significant", share, []analytics.ReportRow{shareRow("2025-02", 331, 380, .83, .9, nil), shareRow("2025-03", 384, 412, .9, .95, f64(0.004))},
			"Up 6.1 points from February 2025 (87.1%, n = 380), significant at 95%.", "▲ up 6.1 points"},
		{"down, significant", share, []analytics.ReportRow{shareRow("2025-02", 384, 412, .9, .95, nil), shareRow("2025-03", 331, 380, .83, .9, f64(0.01))},
			"Down 6.1 points from February 2025 (93.2%, n = 412), significant at 95%.", "▼ down 6.1 points"},
		{"no significant change", share, []analytics.ReportRow{shareRow("2025-02", 90, 100, .8, .95, nil), shareRow("2025-03", 92, 100, .85, .96, f64(0.6))},
			"No significant change from February 2025 (90.0%, n = 100) at 95%.", "No significant change"},
		{"not tested", share, []analytics.ReportRow{shareRow("2025-02", 4, 5, .4, .9, nil), shareRow("2025-03", 5, 6, .4, .95, nil)},
			"Compared with February 2025 (80.0%, n = 5): too few answers to test the change.", "not tested"},
		{"no period before", share, []analytics.ReportRow{shareRow("2025-01", 90, 100, .8, .95, nil), shareRow("2025-03", 92, 100, .85, .96, nil)},
			"There is no figure for February 2025 to compare with.", ""},
		{"mean", mean, []analytics.ReportRow{
			{Period: "2025-02", N: i64(50), Rate: f64(3.5)}, {Period: "2025-03", N: i64(60), Rate: f64(3.62), ChangeP: f64(0.01)}},
			"Up 0.12 from February 2025 (3.50, n = 50), significant at 95%.", "▲ up 0.12"},
		{"no rows", share, nil, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := report.JSON{Metric: c.metric, Period: analytics.PeriodMonth, Confidence: 0.95, Rows: c.rows}
			sentence, short := change(rep)
			if sentence != c.sentence || short != c.short {
				t.Errorf("change = %q, %q\nwant     %q, %q", sentence, short, c.sentence, c.short)
			}
		})
	}
}

func TestFigureOf(t *testing.T) {
	rep := report.JSON{Metric: report.MetricJSON{Measure: analytics.MeasureShare}, Period: analytics.PeriodMonth, Confidence: 0.95}
	for _, c := range []struct {
		name string
		row  analytics.ReportRow
		want figureView
	}{
		{"shown", shareRow("2025-03", 384, 412, 0.902, 0.952, nil), figureView{Shown: true, Value: "93.2%", Interval: "90.2% to 95.2%",
			Base: "412", Period: "March 2025", Summary: "93.2% (n = 412, 95% CI 90.2% to 95.2%)"}},
		{"suppressed", analytics.ReportRow{Period: "2025-03", Suppressed: true}, figureView{Period: "March 2025",
			Note: "not shown: too few answers to publish"}},
		{"no answers", analytics.ReportRow{Period: "2025-03", N: i64(0)}, figureView{Period: "March 2025", Note: "no answers"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := figureOf(rep, c.row); got != c.want {
				t.Errorf("figureOf = %+v\nwant       %+v", got, c.want)
			}
		})
	}
}

func TestPickHeadline(t *testing.T) {
	reports := []report.JSON{{Question: "disability", QuestionText: "Do you consider yourself to have a disability?"},
		{Question: "listened", QuestionText: "I was listened to"},
		{Question: "sat_support", QuestionText: "How satisfied are you with your support?"},
		{Question: "sat_overall", QuestionText: "Overall, how satisfied are you with the assessment?"},
		{Question: "sat_overall_2", QuestionText: "Overall, how satisfied are you with the care?"}}
	for _, c := range []struct {
		name, code string
		want       int
		err        string
	}{
		{"overall satisfaction first, first of equals", "", 3, ""},
		{"chosen by code, case ignored", "LISTENED", 1, ""},
		{"unknown code", "shoe_size", 0, "use one of: disability, listened"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := pickHeadline(reports, c.code)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("pickHeadline = %d, %v; want %d", got, err, c.want)
			}
		})
	}
	if got, _ := pickHeadline(reports[:2], ""); got != 0 {
		t.Errorf("without a satisfaction question the first is the headline, got %d", got)
	}
}

// errorRecorder is a testing.TB that records errors instead of failing.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Errorf(format string, args ...any) { r.errs = append(r.errs, format) }
func (r *errorRecorder) Helper()                           {}

// TestCheckPageCatches checks the page checker of the tests itself: each
// kind of unsafe markup is reported, and a clean page is not.
func TestCheckPageCatches(t *testing.T) {
	for _, c := range []struct {
		name, page string
		bad        bool
	}{
		{"clean", `<p>a &lt;img src=x onerror=alert(1)&gt; b</p><a href="/x?y=1">x</a><script src="/assets/a.js" defer></script>` +
			`<script type="application/json" data-chart-for="c">{"a":"\u003c/script\u003e"}</script>`, false},
		{"img", `<p><img src=x onerror=alert(1)></p>`, true},
		{"inline script", `<script>alert(1)</script>`, true},
		{"other host", `<a href="http://x">x</a>`, true},
		{"protocol-relative", `<link rel="stylesheet" href="//x/a.css">`, true},
		{"event handler", `<p onclick="alert(1)">x</p>`, true},
		{"json block with markup", `<script type="application/json" data-chart-for="c">{"a":"</b>"}</script>`, true},
		{"json block not JSON", `<script type="application/json" data-chart-for="c">alert(1)</script>`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &errorRecorder{TB: t}
			checkPage(r, c.name, c.page)
			if got := len(r.errs) > 0; got != c.bad {
				t.Errorf("reported %v (%q), want %v", got, r.errs, c.bad)
			}
		})
	}
}
