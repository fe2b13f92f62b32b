package dashboards

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// optionJSON is the part of a chart's spec these tests read.
type optionJSON struct {
	Option struct {
		Title *struct {
			Text    string `json:"text"`
			Subtext string `json:"subtext"`
		} `json:"title"`
		Legend *struct {
			Type string   `json:"type"`
			Data []string `json:"data"`
		} `json:"legend"`
		YAxis []struct {
			Min any `json:"min"`
			Max any `json:"max"`
		} `json:"yAxis"`
		Graphic []struct {
			ID    string `json:"id"`
			Style struct {
				Text string `json:"text"`
			} `json:"style"`
		} `json:"graphic"`
		Series []struct {
			Name  string            `json:"name"`
			Type  string            `json:"type"`
			Stack string            `json:"stack"`
			Data  []json.RawMessage `json:"data"`
		} `json:"series"`
	} `json:"option"`
	Layout *struct {
		Title, Subtitle, Footer string
	} `json:"layout"`
}

func readOption(t *testing.T, c Chart) optionJSON {
	t.Helper()
	var o optionJSON
	if err := json.Unmarshal([]byte(c.JSON), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// numbers decodes series data items that are numbers or null.
func numbers(t *testing.T, data []json.RawMessage) []*float64 {
	t.Helper()
	out := make([]*float64, len(data))
	for i, d := range data {
		if err := json.Unmarshal(d, &out[i]); err != nil {
			t.Fatalf("item %d %s: %v", i, d, err)
		}
	}
	return out
}

// intervals decodes the items [low, high, index] of an interval series.
func intervals(t *testing.T, data []json.RawMessage) [][3]*float64 {
	t.Helper()
	out := make([][3]*float64, len(data))
	for i, d := range data {
		if err := json.Unmarshal(d, &out[i]); err != nil {
			t.Fatalf("item %d %s: %v", i, d, err)
		}
	}
	return out
}

var made = time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC)

// manyOptionQuestion is a single-choice question with 12 options.
func manyOptionQuestion() (analytics.Question, []analytics.Count) {
	q := analytics.Question{Code: "brand", Text: "Which brand?", Kind: analytics.KindSingle}
	var counts []analytics.Count
	for i := range 12 {
		q.Options = append(q.Options, analytics.Option{Label: "Brand " + string(rune('A'+i))})
		for _, m := range []string{"2024-01", "2024-02"} {
			counts = append(counts, analytics.Count{Month: m, Option: i, N: int64(5 + 3*i)})
		}
	}
	return q, counts
}

// TestChartsRead checks what makes every chart with a heading readable
// and its PNG self-explaining: a plain legend (never paged), the title in
// the canvas, a footer with the source, "heard" and the date made, and at
// most one series of intervals, with one interval per bar.
func TestChartsRead(t *testing.T) {
	q := question(t, "Overall satisfaction")
	counts := countsFor(6, []string{"North", "South", "East"})
	rep := report(t, q, counts, analytics.ReportOptions{})
	many, manyCounts := manyOptionQuestion()
	l := Labels{Subject: "Overall satisfaction", Source: "People feedback survey", Made: made}
	summary, hist, err := NumberCharts(analytics.Question{Code: "n", Text: "How many visits?", Kind: analytics.KindNumber},
		[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, analytics.ReportOptions{}, l)
	if err != nil || hist == nil {
		t.Fatalf("number charts: %v, histogram %v", err, hist)
	}
	charts := []Chart{
		must(t)(TrendChart(rep, "", l)), must(t)(BreakdownChart(rep, "", l)),
		must(t)(DistributionChart(q, counts, analytics.ReportOptions{}, l)),
		must(t)(DistributionChart(many, manyCounts, analytics.ReportOptions{}, l)),
		must(t)(ChoiceChart(multiQuestion(), multiTicks(), analytics.ReportOptions{}, l)),
		summary, *hist,
	}
	for _, c := range charts {
		t.Run(string(c.Kind), func(t *testing.T) {
			o := readOption(t, c)
			if lg := o.Option.Legend; lg != nil && lg.Type != "plain" {
				t.Errorf("legend type %q, want plain", lg.Type)
			}
			if o.Option.Title == nil || !strings.Contains(o.Option.Title.Text, "Overall satisfaction") {
				t.Errorf("title %+v, want the subject in the canvas", o.Option.Title)
			}
			footer := ""
			for _, g := range o.Option.Graphic {
				if g.ID == "heard-footer" {
					footer = g.Style.Text
				}
			}
			if footer != "Source: People feedback survey · made with heard · 2025-03-31" {
				t.Errorf("footer %q", footer)
			}
			if o.Layout == nil || o.Layout.Footer != footer || o.Layout.Title != "Overall satisfaction" {
				t.Errorf("layout %+v", o.Layout)
			}
			custom, bars := 0, 0
			var ivs [][3]*float64
			for _, s := range o.Option.Series {
				switch {
				case s.Type == "custom":
					custom++
					ivs = intervals(t, s.Data)
				case s.Type == "bar" && s.Stack == "":
					bars = len(s.Data)
				}
			}
			if custom > 1 {
				t.Errorf("%d interval series, want one: each interval drawn once", custom)
			}
			if custom == 1 && bars > 0 && len(ivs) != bars {
				t.Errorf("%d intervals for %d bars", len(ivs), bars)
			}
		})
	}
	// More options than colours can tell apart: one bar per option, not
	// a stacked bar of twelve colours with a legend to match.
	o := readOption(t, charts[3])
	if len(o.Option.Series) != 2 || o.Option.Series[0].Type != "bar" || o.Option.Series[0].Stack != "" ||
		len(o.Option.Series[0].Data) != 12 {
		t.Errorf("12 options: series %+v, want one unstacked bar per option and the intervals", o.Option.Series)
	}
	if len(o.Option.Legend.Data) > 2 {
		t.Errorf("12 options: a legend of %d entries", len(o.Option.Legend.Data))
	}
	// Brand A has 10 of the 516 answers (2 months × Σ(5 + 3i) for i < 12
	// = 2 × 258): 1.94%, drawn as 1.9.
	if v := numbers(t, o.Option.Series[0].Data)[0]; v == nil || *v != 1.9 {
		t.Errorf("Brand A drawn as %v, want 1.9 (10 of 516)", v)
	}
}

func multiQuestion() analytics.Question {
	return analytics.Question{Code: "helped", Text: "What helped?", Kind: analytics.KindMulti,
		Options: []analytics.Option{{Label: "Staff"}, {Label: "Advice"}, {Label: "Equipment"}}}
}

func multiTicks() []analytics.TickCount {
	return []analytics.TickCount{{Month: "2024-01", Answered: 60, Ticked: []int64{45, 12, 30}},
		{Month: "2024-02", Answered: 40, Ticked: []int64{35, 8, 10}}}
}

// TestChoiceChart: each option's bar is the share of the 100 people
// answering who ticked it (80, 20 and 40), with its Wilson interval
// around it, and the table says the same.
func TestChoiceChart(t *testing.T) {
	c := must(t)(ChoiceChart(multiQuestion(), multiTicks(), analytics.ReportOptions{}, Labels{Subject: "What helped?"}))
	o := readOption(t, c)
	values := numbers(t, o.Option.Series[0].Data)
	ivs := intervals(t, o.Option.Series[1].Data)
	for i, want := range []float64{80, 20, 40} {
		if values[i] == nil || *values[i] != want {
			t.Errorf("option %d drawn as %v, want %v", i, values[i], want)
			continue
		}
		lo, hi := analytics.Wilson(int64(want), 100, 0.95)
		if ivs[i][0] == nil || ivs[i][1] == nil || math.Abs(*ivs[i][0]-100*lo) > 0.05 || math.Abs(*ivs[i][1]-100*hi) > 0.05 {
			t.Errorf("option %d interval %v to %v, want %.1f to %.1f", i, ivs[i][0], ivs[i][1], 100*lo, 100*hi)
		}
	}
	if !strings.Contains(c.Title, "n = 100") || len(c.Table.Rows) != 3 || c.Table.Rows[0][1].Text != "80.0%" {
		t.Errorf("title %q, table %+v", c.Title, c.Table.Rows)
	}
	if _, err := ChoiceChart(question(t, "Q"), nil, analytics.ReportOptions{}, Labels{}); err == nil {
		t.Error("a scale question charted as multiple choice")
	}
}

// TestNumberCharts: the values 2, 4, 4, 4, 5, 5, 7, 9 have mean 5 with
// the 95% interval 3.21 to 6.79 (worked by hand in analytics) and median
// 4.5 with the interval 2 to 9 (the 1st and 8th values); the histogram's
// bars add up to the 8 answers. A board sees no histogram, and no figure
// on a base under the minimum.
func TestNumberCharts(t *testing.T) {
	q := analytics.Question{Code: "visits", Text: "How many visits?", Kind: analytics.KindNumber}
	values := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	summary, hist, err := NumberCharts(q, values, analytics.ReportOptions{}, Labels{ID: "n"})
	if err != nil {
		t.Fatal(err)
	}
	o := readOption(t, summary)
	points := numbers(t, o.Option.Series[0].Data)
	ivs := intervals(t, o.Option.Series[1].Data)
	want := [][3]float64{{5, 3.21, 6.79}, {4.5, 2, 9}}
	for i, w := range want {
		if points[i] == nil || *points[i] != w[0] || ivs[i][0] == nil || *ivs[i][0] != w[1] || *ivs[i][1] != w[2] {
			t.Errorf("figure %d: %v (%v to %v), want %v", i, points[i], ivs[i][0], ivs[i][1], w)
		}
	}
	if hist == nil || hist.ID != "n-histogram" {
		t.Fatalf("histogram %+v", hist)
	}
	var total float64
	for _, v := range numbers(t, readOption(t, *hist).Option.Series[0].Data) {
		total += *v
	}
	if total != 8 {
		t.Errorf("the histogram counts %v answers, want 8", total)
	}
	board, bhist, err := NumberCharts(q, values, analytics.ReportOptions{Board: true}, Labels{})
	if err != nil || bhist != nil {
		t.Fatalf("board: %v, histogram %v", err, bhist)
	}
	if p := numbers(t, readOption(t, board).Option.Series[0].Data); p[0] != nil || p[1] != nil {
		t.Errorf("the board sees a mean or median of 8 answers: %v %v", p[0], p[1])
	}
}

// TestSparklineRange: a sparkline's y axis runs from its lowest to its
// highest figure, and both are written beside the line.
func TestSparklineRange(t *testing.T) {
	q := question(t, "Q")
	rep := report(t, q, countsFor(6, []string{""}), analytics.ReportOptions{})
	c := must(t)(Sparkline(rep, "", Labels{}))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Rows {
		lo, hi = math.Min(lo, Round(*r.Rate*100, 1)), math.Max(hi, Round(*r.Rate*100, 1))
	}
	o := readOption(t, c)
	if y := o.Option.YAxis[0]; y.Min != lo || y.Max != hi {
		t.Errorf("y axis %v to %v, want %v to %v", y.Min, y.Max, lo, hi)
	}
	texts := map[string]string{}
	for _, g := range o.Option.Graphic {
		texts[g.ID] = g.Style.Text
	}
	wantMax, wantMin := "max "+Value(analytics.MeasureShare, hi/100, false), "min "+Value(analytics.MeasureShare, lo/100, false)
	if texts["heard-range-max"] != wantMax || texts["heard-range-min"] != wantMin {
		t.Errorf("range texts %v, want %q and %q", texts, wantMax, wantMin)
	}
	if c.Range == "" || lo == hi {
		t.Errorf("range %q over %v to %v", c.Range, lo, hi)
	}
}
