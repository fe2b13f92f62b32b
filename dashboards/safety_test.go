package dashboards

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
)

// decoded is the part of a chart's JSON the tests read back.
type decoded struct {
	Option struct {
		Title struct{ Text, Subtext string }
		Aria  struct {
			Enabled bool
			Label   struct{ Description string }
		}
		Legend struct{ Data []string }
		XAxis  []struct{ Data []string }
		YAxis  []struct{ Data []string }
		Series []struct {
			Name, Type string
			RenderItem any `json:"renderItem"`
		}
	}
	Tooltips [][]string
	Download string
	Title    string
}

// decode reads a chart's JSON back.
func decode(tb testing.TB, c Chart) decoded {
	tb.Helper()
	var d decoded
	if err := json.Unmarshal([]byte(c.JSON), &d); err != nil {
		tb.Fatalf("chart %s: JSON does not parse: %v", c.ID, err)
	}
	return d
}

// hostileCharts builds every kind of chart with the hostile texts as the
// subject, the option labels, the group names, the breakdown's name, the
// metric's name and the chart ids.
func hostileCharts(tb testing.TB, board bool) []Chart {
	tb.Helper()
	subject := strings.Join(hostile, " ")
	q := question(tb, subject, hostile...)
	groups := append(slices.Clone(hostile), "Reablement team")
	counts := countsFor(6, groups, 4, 4, 4, 4, 4)
	ro := analytics.ReportOptions{Board: board}
	rep := report(tb, q, counts, ro)
	rep.Metric.Name = hostile[3] // a saved metric is named by an analyst
	var charts []Chart
	for i, h := range hostile {
		l := Labels{ID: h + string(rune('a'+i)), Subject: h, By: h}
		charts = append(charts,
			must(tb)(TrendChart(rep, "", l)),
			must(tb)(TrendChart(rep, h, Labels{ID: "group-" + h, Subject: subject})),
			must(tb)(Sparkline(rep, h, Labels{ID: "spark" + h, Subject: h})),
			must(tb)(BreakdownChart(rep, "", l)),
			must(tb)(DistributionChart(q, counts, ro, Labels{ID: "dist" + h, Subject: h})),
		)
	}
	// A council's own theme model names its themes as its file did.
	cells := []analytics.ThemeCell{{Month: "2023-01", Total: 40, Themes: []int64{12, 8, 20, 5}},
		{Month: "2023-02", Total: 50, Themes: []int64{30, 6, 10, 25}}}
	reps := analytics.ThemeShares(q, hostile, cells, analytics.ReportOptions{Board: board})
	_, shares := ThemeSharesAt(reps, hostile, "", analytics.AllGroup)
	charts = append(charts, must(tb)(ThemeChart(shares, analytics.PeriodMonth, "2023-02", 0.95, analytics.Disclosure{},
		Labels{ID: "themes", Subject: subject, Source: hostile[0]})), must(tb)(ThemeTrendChart(reps[0], Labels{ID: "theme-trend", Subject: hostile[2]})))
	return charts
}

func TestHostileTextStaysText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		board bool
	}{{"staff", false}, {"board", true}} {
		t.Run(tc.name, func(t *testing.T) {
			charts := hostileCharts(t, tc.board)
			doc := page(t, charts...)
			checkMarkup(t, doc, len(charts))
			for _, p := range []string{"</script><script>", "<script>alert", "<img", "onerror=alert(1)>"} {
				if strings.Contains(doc, p) {
					t.Errorf("the page contains %q unescaped", p)
				}
			}
			for _, c := range charts {
				checkChartJSON(t, c)
			}
		})
	}
}

// checkMarkup tokenises the page: only the expected elements, no event
// handler attributes, and every script element either a static asset or a
// JSON block that parses and holds no '<'. Each hostile text must show up
// as text (in the tables).
func checkMarkup(t *testing.T, doc string, charts int) {
	t.Helper()
	allowed := map[string]bool{"html": true, "head": true, "title": true, "link": true, "body": true, "figure": true,
		"div": true, "script": true, "table": true, "caption": true, "thead": true, "tbody": true, "tr": true,
		"th": true, "td": true, "p": true, "span": true}
	z := html.NewTokenizer(strings.NewReader(doc))
	var text strings.Builder
	blocks, srcs := 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			text.WriteString(tok.Data)
		case html.StartTagToken, html.SelfClosingTagToken:
			if !allowed[tok.Data] {
				t.Errorf("the page has a <%s> element", tok.Data)
			}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = a.Val
				if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("<%s> has the attribute %s=%q", tok.Data, a.Key, a.Val)
				}
			}
			if tok.Data != "script" {
				continue
			}
			switch {
			case strings.HasPrefix(attrs["src"], "/assets/") && len(attrs) == 2:
				srcs++
			case attrs["type"] == "application/json" && attrs["data-chart-for"] != "" && len(attrs) == 2:
				blocks++
				if z.Next() != html.TextToken {
					t.Fatalf("JSON block %s is empty", attrs["data-chart-for"])
				}
				raw := string(z.Raw())
				if strings.Contains(raw, "<") || !json.Valid([]byte(raw)) {
					t.Errorf("JSON block %s holds '<' or does not parse: %.200s", attrs["data-chart-for"], raw)
				}
			default:
				t.Errorf("unexpected script element %v", tok.Attr)
			}
		}
	}
	if blocks != charts || srcs != 2 {
		t.Errorf("the page has %d JSON blocks and %d script files, want %d and 2", blocks, srcs, charts)
	}
	for _, h := range hostile {
		if !strings.Contains(text.String(), h) {
			t.Errorf("%q is not shown as text on the page", h)
		}
	}
}

// checkChartJSON reads a chart's JSON back and checks that the texts are
// exactly the originals where the chart shows them.
func checkChartJSON(t *testing.T, c Chart) {
	t.Helper()
	d := decode(t, c)
	if !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`).MatchString(c.ID) {
		t.Errorf("unsafe id %q", c.ID)
	}
	if c.Kind != KindSparkline && !regexp.MustCompile(`^heard-[A-Za-z0-9_-]+\.png$`).MatchString(d.Download) {
		t.Errorf("chart %s: unsafe download name %q", c.ID, d.Download)
	}
	if !d.Option.Aria.Enabled || d.Option.Aria.Label.Description != c.Description {
		t.Errorf("chart %s: aria %+v, want enabled with the description", c.ID, d.Option.Aria)
	}
	canvas := strings.ReplaceAll(d.Option.Title.Text+" — "+d.Option.Title.Subtext, "\n", " ")
	if c.Kind != KindSparkline && canvas != c.Title {
		t.Errorf("chart %s: canvas title %q / %q, want %q", c.ID, d.Option.Title.Text, d.Option.Title.Subtext, c.Title)
	}
	if c.Table.Caption != c.Title || len(d.Tooltips) != len(c.Table.Rows)-boolInt(c.Kind == KindBreakdown) {
		t.Errorf("chart %s: caption %q, %d tooltips for %d rows", c.ID, c.Table.Caption, len(d.Tooltips), len(c.Table.Rows))
	}
	switch c.Kind {
	case KindBreakdown:
		for i, name := range d.Option.YAxis[0].Data {
			if name != c.Table.Rows[i+1][0].Text || d.Tooltips[i][0] != name {
				t.Errorf("chart %s: group %d is %q in the axis, %q in the table, %q in the tooltip",
					c.ID, i, name, c.Table.Rows[i+1][0].Text, d.Tooltips[i][0])
			}
		}
		for _, h := range hostile {
			if !slices.Contains(d.Option.YAxis[0].Data, h) {
				t.Errorf("chart %s: group %q missing from the axis %q", c.ID, h, d.Option.YAxis[0].Data)
			}
		}
	case KindDistribution:
		if want := append(slices.Clone(hostile), "Very dissatisfied", "Don't know"); !slices.Equal(d.Option.Legend.Data, want) {
			t.Errorf("chart %s: legend %q, want the option labels", c.ID, d.Option.Legend.Data)
		}
		for i, h := range hostile {
			if d.Option.Series[i].Name != h || c.Table.Columns[i+1] != h {
				t.Errorf("chart %s: option %d is %q in the series, %q in the table, want %q", c.ID, i,
					d.Option.Series[i].Name, c.Table.Columns[i+1], h)
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestChartJSONEscapesForHTML(t *testing.T) {
	for _, c := range hostileCharts(t, false) {
		s := string(c.JSON)
		for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
			if strings.Contains(s, bad) {
				t.Errorf("chart %s: JSON holds %q unescaped", c.ID, bad)
			}
		}
	}
}
