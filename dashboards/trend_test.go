package dashboards

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// monthly makes counts of the options of question() by month, in one
// group ("" for none).
func monthly(group string, byMonth map[string][6]int64) []analytics.Count {
	var counts []analytics.Count
	for month, ns := range byMonth {
		for o, n := range ns {
			if n > 0 {
				counts = append(counts, analytics.Count{Month: month, Group: group, Option: o, N: n})
			}
		}
	}
	return counts
}

// trendData is the decoded series data of a trend: lower limit, interval
// width, figure.
func trendData(tb testing.TB, c Chart) [3][]*float64 {
	tb.Helper()
	var d struct {
		Option struct {
			Series []struct{ Data []*float64 }
			XAxis  []struct{ Data []string }
		}
	}
	if err := jsonUnmarshal(c.JSON, &d); err != nil {
		tb.Fatal(err)
	}
	if len(d.Option.Series) != 3 {
		tb.Fatalf("%d series, want 3", len(d.Option.Series))
	}
	return [3][]*float64{d.Option.Series[0].Data, d.Option.Series[1].Data, d.Option.Series[2].Data}
}

func TestTrendChart(t *testing.T) {
	q := question(t, "Overall satisfaction")
	counts := monthly("", map[string][6]int64{
		"2024-01": {40, 30, 10, 10, 10, 5}, // base 100 (Don't know excluded), 70 positive
		"2024-02": {2, 1, 1, 0, 0, 0},      // base 4: suppressed on the board
		"2024-04": {100, 60, 20, 10, 10, 0},
		"2024-05": {50, 40, 12, 5, 5, 3},
	})
	tests := []struct {
		name      string
		board     bool
		title     string
		values    []*float64
		notes     []string
		hasChange string
	}{
		{"staff", false, "Overall satisfaction — % satisfied by month (n = 416)",
			[]*float64{new(70.0), new(75.0), nil, new(80.0), new(80.4)},
			[]string{"", "", "No answers", "", ""}, ""},
		{"board", true, "Overall satisfaction — % satisfied by month (n = 412)",
			[]*float64{new(70.0), nil, nil, new(80.0), new(80.4)},
			[]string{"", "Suppressed: too few answers to publish", "No answers", "", ""}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := report(t, q, counts, analytics.ReportOptions{Board: tc.board})
			rep.Metric.Name = "% satisfied"
			c := must(t)(TrendChart(rep, "", Labels{ID: "trend", Subject: q.Text}))
			if c.Title != tc.title || c.Table.Caption != tc.title {
				t.Errorf("title %q, caption %q, want %q", c.Title, c.Table.Caption, tc.title)
			}
			data := trendData(t, c)
			if !equalPtrs(data[2], tc.values) {
				t.Errorf("figures %v, want %v", deref(data[2]), deref(tc.values))
			}
			for i, v := range data[2] { // the band is where the figure is
				if (v == nil) != (data[0][i] == nil) || (v == nil) != (data[1][i] == nil) ||
					v != nil && (*data[0][i] > *v || *data[0][i]+*data[1][i] < *v) {
					t.Errorf("period %d: band %v + %v around %v", i, deref(data[0][i:i+1]), deref(data[1][i:i+1]), deref(data[2][i:i+1]))
				}
			}
			var periods, notes []string
			for _, r := range c.Table.Rows {
				periods, notes = append(periods, r[0].Text), append(notes, r[len(r)-1].Text)
			}
			if want := []string{"January 2024", "February 2024", "March 2024", "April 2024", "May 2024"}; !slices.Equal(periods, want) {
				t.Errorf("periods %q, want %q", periods, want)
			}
			if !slices.Equal(notes, tc.notes) {
				t.Errorf("notes %q, want %q", notes, tc.notes)
			}
			if tc.board != (len(c.Table.Notes) == 1) {
				t.Errorf("table notes %q", c.Table.Notes)
			}
		})
	}
}

func TestTrendTableMatchesReport(t *testing.T) {
	q := question(t, "Overall satisfaction")
	rep := report(t, q, countsFor(6, []string{"A"}), analytics.ReportOptions{})
	c := must(t)(TrendChart(rep, "", Labels{Subject: q.Text}))
	want := []string{"Period", "Top 2 box", "Lower 95% limit", "Upper 95% limit", "Base (n)", "Positive answers",
		"Change since the period before", "Note"}
	if !slices.Equal(c.Table.Columns, want) {
		t.Fatalf("columns %q, want %q", c.Table.Columns, want)
	}
	var overall []analytics.ReportRow
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup {
			overall = append(overall, r)
		}
	}
	for i, r := range overall {
		cells := c.Table.Rows[i]
		if *cells[1].Value != Round(*r.Rate, 3) || *cells[2].Value != Round(*r.CILow, 3) ||
			*cells[3].Value != Round(*r.CIHigh, 3) || *cells[4].Value != float64(*r.N) || *cells[5].Value != float64(*r.Positive) {
			t.Errorf("row %d: %+v does not match the report row %+v", i, cells, r)
		}
		if cells[1].Format != Percent || cells[4].Format != Count || cells[1].Text != Value(analytics.MeasureShare, *r.Rate, false) {
			t.Errorf("row %d: formats %v %v, text %q", i, cells[1].Format, cells[4].Format, cells[1].Text)
		}
	}
	if c.ID != "chart-trend" || !strings.HasPrefix(c.Description, "Line chart: Overall satisfaction — Top 2 box by month") {
		t.Errorf("id %q, description %q", c.ID, c.Description)
	}
}

func TestTrendChange(t *testing.T) {
	q := question(t, "Q")
	counts := monthly("", map[string][6]int64{
		"2024-01": {20, 20, 20, 20, 20, 0}, // 40%
		"2024-02": {45, 45, 5, 3, 2, 0},    // 90%: clearly up
		"2024-03": {44, 44, 6, 3, 3, 0},    // 88%: no clear change
		"2024-04": {10, 10, 30, 25, 25, 0}, // 20%: clearly down
	})
	rep := report(t, q, counts, analytics.ReportOptions{})
	c := must(t)(TrendChart(rep, "", Labels{Subject: "Q"}))
	var got []string
	for _, r := range c.Table.Rows {
		got = append(got, r[len(r)-2].Text)
	}
	want := []string{"", "▲ up on January 2024", "No significant change", "▼ down on March 2024"}
	if !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	d := decode(t, c)
	if !slices.Contains(d.Tooltips[1], "▲ up on January 2024") {
		t.Errorf("tooltip %q lacks the change", d.Tooltips[1])
	}
}

func TestTrendMeasures(t *testing.T) {
	q := analytics.Question{Code: "nps", Text: "Recommend", Kind: analytics.KindScale, Scale: "0-10"}
	for i := 10; i >= 0; i-- {
		q.Options = append(q.Options, analytics.Option{Label: strconv.Itoa(i), Score: float64(i)})
	}
	var counts []analytics.Count
	for o := range 11 {
		counts = append(counts, analytics.Count{Month: "2024-01", Option: o, N: int64((11 - o) * (11 - o))}) // NPS +16.0
	}
	for _, tc := range []struct {
		preset string
		min    any
		text   string
	}{{analytics.PresetNPS, -100.0, "+"}, {analytics.PresetMean, nil, "."}} {
		t.Run(tc.preset, func(t *testing.T) {
			m, err := analytics.MetricPreset(tc.preset, q)
			if err != nil {
				t.Fatal(err)
			}
			rep := analytics.BuildReport(q, m, counts, analytics.ReportOptions{})
			c := must(t)(TrendChart(rep, "", Labels{Subject: q.Text}))
			var d struct {
				Option struct{ YAxis []struct{ Min any } }
			}
			if err := jsonUnmarshal(c.JSON, &d); err != nil {
				t.Fatal(err)
			}
			if d.Option.YAxis[0].Min != tc.min {
				t.Errorf("axis minimum %v, want %v", d.Option.YAxis[0].Min, tc.min)
			}
			cell := c.Table.Rows[0][1]
			want := map[string]Format{analytics.PresetNPS: NetScore, analytics.PresetMean: Score}[tc.preset]
			if cell.Format != want || !strings.Contains(cell.Text, tc.text) {
				t.Errorf("figure cell %+v", cell)
			}
		})
	}
}

func TestSparkline(t *testing.T) {
	q := question(t, "Q")
	rep := report(t, q, countsFor(12, []string{"A", "B"}), analytics.ReportOptions{})
	c := must(t)(Sparkline(rep, "B", Labels{ID: "spark-b", Subject: "Q"}))
	d := decode(t, c)
	if d.Download != "" || d.Option.Title.Text != "" || len(d.Option.Series) != 1 || len(d.Tooltips) != 12 {
		t.Errorf("sparkline: download %q, title %q, %d series, %d tooltips", d.Download, d.Option.Title.Text,
			len(d.Option.Series), len(d.Tooltips))
	}
	if !strings.Contains(c.Title, ", B (n = ") || len(c.Table.Rows) != 12 {
		t.Errorf("title %q, %d rows", c.Title, len(c.Table.Rows))
	}
}

func equalPtrs(a, b []*float64) bool {
	return slices.EqualFunc(a, b, func(x, y *float64) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y })
}

func deref(v []*float64) []any {
	out := make([]any, len(v))
	for i, p := range v {
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

// TestPrintCharts: a chart made for paper (Labels.Print) asks
// heard-charts.js for ECharts' SVG renderer and has no PNG download; the
// same chart for the screen names no renderer (the canvas) and keeps its
// download. Its figures are the same.
func TestPrintCharts(t *testing.T) {
	q := question(t, "Q")
	rep := report(t, q, countsFor(12, []string{"A", "B"}), analytics.ReportOptions{})
	for _, tt := range []struct {
		name string
		make func(l Labels) (Chart, error)
	}{
		{"trend", func(l Labels) (Chart, error) { return TrendChart(rep, analytics.AllGroup, l) }},
		{"sparkline", func(l Labels) (Chart, error) { return Sparkline(rep, analytics.AllGroup, l) }},
	} {
		screen := must(t)(tt.make(Labels{ID: "c", Subject: "Q"}))
		paper := must(t)(tt.make(Labels{ID: "c", Subject: "Q", Print: true}))
		var s, p struct {
			Renderer, Download string
			Option             struct{ Series []struct{ Data []*float64 } }
		}
		if err := jsonUnmarshal(screen.JSON, &s); err != nil {
			t.Fatal(err)
		}
		if err := jsonUnmarshal(paper.JSON, &p); err != nil {
			t.Fatal(err)
		}
		if s.Renderer != "" || p.Renderer != "svg" || p.Download != "" || (tt.name == "trend") != (s.Download != "") {
			t.Errorf("%s: screen renderer %q download %q; paper renderer %q download %q", tt.name, s.Renderer, s.Download, p.Renderer, p.Download)
		}
		if len(s.Option.Series) != len(p.Option.Series) || !equalPtrs(s.Option.Series[len(s.Option.Series)-1].Data, p.Option.Series[len(p.Option.Series)-1].Data) {
			t.Errorf("%s: the paper chart draws other figures", tt.name)
		}
	}
}
