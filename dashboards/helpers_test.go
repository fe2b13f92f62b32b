package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// hostile are texts from uploads that must stay text everywhere.
var hostile = []string{
	`</script><script>alert(1)</script>`,
	`__f__alert(1)__f__`,
	`<img src=x onerror=alert(1)>`,
	`=HYPERLINK("http://x","y")`,
}

// question returns a 5-point satisfaction question with a "Don't know",
// whose text and option labels are the given texts when any are given.
func question(tb testing.TB, text string, labels ...string) analytics.Question {
	tb.Helper()
	pol := []analytics.Polarity{analytics.Positive, analytics.Positive, analytics.Neutral, analytics.Negative,
		analytics.Negative, analytics.Excluded}
	std := []string{"Very satisfied", "Satisfied", "Neither", "Dissatisfied", "Very dissatisfied", "Don't know"}
	q := analytics.Question{Code: "q1", Text: text, Kind: analytics.KindScale}
	for i, p := range pol {
		label := std[i]
		if i < len(labels) {
			label = labels[i]
		}
		q.Options = append(q.Options, analytics.Option{Label: label, Polarity: p, Score: float64(5 - i)})
	}
	return q
}

// countsFor makes answer counts for months consecutive months from
// January 2023, in each group, varying by month, group and option; group i
// has about scale[i] times the answers (1 when scale is short).
func countsFor(months int, groups []string, scale ...int64) []analytics.Count {
	var counts []analytics.Count
	for m := range months {
		month := fmt.Sprintf("%04d-%02d", 2023+m/12, m%12+1)
		for g, name := range groups {
			k := int64(1)
			if g < len(scale) {
				k = scale[g]
			}
			for o := range 6 {
				n := k * int64(2+(m*7+g*3+o*5)%9)
				if o < 2 && g%3 == 1 { // every third group rather more satisfied
					n += 6 * k
				}
				counts = append(counts, analytics.Count{Month: month, Group: name, Option: o, N: n})
			}
		}
	}
	return counts
}

// report builds the top-box report of q from counts.
func report(tb testing.TB, q analytics.Question, counts []analytics.Count, ro analytics.ReportOptions) analytics.Report {
	tb.Helper()
	m, err := analytics.MetricPreset(analytics.PresetTopBox, q)
	if err != nil {
		tb.Fatalf("metric: %v", err)
	}
	return analytics.BuildReport(q, m, counts, ro)
}

// pageTemplate is a page that loads the assets and places charts with the
// package's templates, as the api layer will.
func pageTemplate(tb testing.TB) *template.Template {
	tb.Helper()
	t, err := template.New("page").Parse(`<!doctype html><html lang="en"><head><title>Test</title>
<link rel="stylesheet" href="/assets/heard.css"></head><body>
{{range .}}{{if eq .Kind "sparkline"}}{{template "heard-chart-canvas" .}}{{template "heard-table" .Table}}{{else}}{{template "heard-chart" .}}{{end}}{{end}}
<script src="/assets/vendor/echarts/echarts.min.js" defer></script>
<script src="/assets/heard-charts.js" defer></script>
</body></html>`)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := t.ParseFS(Templates(), "*.html"); err != nil {
		tb.Fatalf("parse the package's templates: %v", err)
	}
	return t
}

// render executes a page template with charts.
func render(tb testing.TB, t *template.Template, charts ...Chart) string {
	tb.Helper()
	var b bytes.Buffer
	if err := t.Execute(&b, charts); err != nil {
		tb.Fatalf("render: %v", err)
	}
	return b.String()
}

// page renders charts on a page.
func page(tb testing.TB, charts ...Chart) string {
	tb.Helper()
	return render(tb, pageTemplate(tb), charts...)
}

// jsonUnmarshal reads a chart's JSON into v.
func jsonUnmarshal(js template.JS, v any) error { return json.Unmarshal([]byte(js), v) }

// must returns a function that fails the test on an error from a builder
// and returns the chart: must(t)(TrendChart(...)).
func must(tb testing.TB) func(Chart, error) Chart {
	return func(c Chart, err error) Chart {
		tb.Helper()
		if err != nil {
			tb.Fatalf("build chart: %v", err)
		}
		return c
	}
}
