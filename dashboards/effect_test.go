package dashboards

import (
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestEffectSentence(t *testing.T) {
	rate := func(x, n int64) analytics.Rate { return analytics.NewRate(x, n, 0) }
	measured := func(before, after analytics.Rate, ended bool) analytics.Effect {
		e := analytics.CompareRates(before, after, ended, 10, 0)
		e.Months = 6
		e.Before = analytics.Window{From: "2024-03-01", To: "2024-08-31"}
		e.After = analytics.Window{From: "2024-10-01", To: "2025-03-31"}
		return e
	}
	agree := []string{"Strongly agree", "Agree"}
	tests := []struct {
		name string
		e    analytics.Effect
		want string
	}{
		{"rose", measured(rate(134, 210), rate(154, 198), true),
			"The share of people who agreed rose from 63.8% (210 answers) in the six months before to 77.8% (198 answers) in the six months after; unlikely to be chance (p=0.00197)."},
		{"fell", measured(rate(154, 198), rate(134, 210), true),
			"The share of people who agreed fell from 77.8% (198 answers) in the six months before to 63.8% (210 answers) in the six months after; unlikely to be chance (p=0.00197)."},
		{"no clear change", measured(rate(60, 100), rate(65, 100), true),
			"The share of people who agreed went from 60.0% (100 answers) in the six months before to 65.0% (100 answers) in the six months after: no clear change, a difference this size could be chance (p=0.465)."},
		{"too early", measured(rate(60, 100), rate(20, 30), false),
			"Too early to say: the six months after end on 2025-03-31. So far: 66.7% (30 answers) in the six months after, against 60.0% (100 answers) in the six months before."},
		{"too few", measured(rate(60, 100), rate(1, 1), true),
			"Too few answers to say: 60.0% (100 answers) in the six months before, and 100.0% (1 answer) in the six months after; heard needs at least 10 answers in each."},
		{"nobody after", measured(rate(60, 100), rate(0, 0), true),
			"Too few answers to say: 60.0% (100 answers) in the six months before, and no answers in the six months after; heard needs at least 10 answers in each."},
		{"not shown", analytics.NoEffect(analytics.EffectNotShown, 6), "No verdict: too few people answered before or after the action to publish both figures without pointing at someone."},
		{"no question", analytics.NoEffect(analytics.EffectNoQuestion, 6), "No question is linked to this action, so there is no figure to compare."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectSentence(tt.e, agree); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if got := MonthsWords(1) + ", " + MonthsWords(12) + ", " + MonthsWords(18); got != "one month, twelve months, 18 months" {
		t.Errorf("MonthsWords: %s", got)
	}
}

func TestTrendChartMarks(t *testing.T) {
	q := question(t, "Overall satisfaction")
	counts := monthly("", map[string][6]int64{
		"2024-01": {40, 30, 10, 10, 10, 5}, "2024-02": {20, 10, 5, 5, 5, 0},
		"2024-03": {30, 20, 5, 5, 5, 0}, "2024-04": {100, 60, 20, 10, 10, 0},
	})
	marks := []Mark{
		{Month: "2024-02", Label: "Action: </script><b>new leaflet</b>"},
		{Month: "2024-02", Label: "Action: named worker"},
		{Month: "2024-04", Label: "Action: phone line"},
		{Month: "2023-06", Label: "Action: before the first period"},
	}
	type markData struct {
		Silent bool
		Data   []struct{ Name, XAxis string }
	}
	decode := func(c Chart) *markData {
		var d struct {
			Option struct {
				Series []struct {
					MarkLine *markData
				}
			}
		}
		if err := jsonUnmarshal(c.JSON, &d); err != nil {
			t.Fatal(err)
		}
		return d.Option.Series[2].MarkLine
	}
	rep := report(t, q, counts, analytics.ReportOptions{})
	c := must(t)(TrendChart(rep, "", Labels{ID: "trend", Subject: q.Text, Marks: marks}))
	ml := decode(c)
	if ml == nil || !ml.Silent || len(ml.Data) != 2 ||
		ml.Data[0].XAxis != "Feb 2024" || ml.Data[0].Name != "Action: </script><b>new leaflet…" ||
		ml.Data[1].XAxis != "Apr 2024" || ml.Data[1].Name != "Action: phone line" {
		t.Fatalf("markLine %+v, want Feb 2024 (two actions, cut short) and Apr 2024", ml)
	}
	if strings.Contains(string(c.JSON), "</script>") {
		t.Errorf("the chart's JSON holds </script> unescaped")
	}
	if note := c.Table.Rows[1][len(c.Table.Rows[1])-1].Text; note != "Marked: Action: </script><b>new leaflet</b>; Marked: Action: named worker" {
		t.Errorf("February's note %q", note)
	}
	if !strings.Contains(c.Description, "Marked: February 2024, Action: </script><b>new leaflet</b>; Action: named worker; April 2024, Action: phone line.") {
		t.Errorf("description %q does not say what is marked", c.Description)
	}

	// By quarter the marks fall in the quarter holding their month.
	byQuarter := report(t, q, counts, analytics.ReportOptions{Period: analytics.PeriodQuarter})
	ml = decode(must(t)(TrendChart(byQuarter, "", Labels{ID: "trend", Marks: marks})))
	if ml == nil || len(ml.Data) != 2 || ml.Data[0].XAxis != "2024 Q1" || ml.Data[1].XAxis != "2024 Q2" {
		t.Fatalf("by quarter: markLine %+v", ml)
	}
	if ml := decode(must(t)(TrendChart(rep, "", Labels{ID: "trend"}))); ml != nil {
		t.Errorf("no marks given, yet a markLine %+v", ml)
	}
}
