package dashboards

import (
	"fmt"
	"io"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// benchReport is a board report of 24 months by 40 teams, with its question
// and counts.
func benchReport(b *testing.B) (analytics.Question, []analytics.Count, analytics.Report) {
	b.Helper()
	q := question(b, "Overall, how satisfied or dissatisfied are you with the care and support you receive?")
	groups := make([]string, 40)
	for i := range groups {
		groups[i] = fmt.Sprintf("Team %02d", i+1)
	}
	counts := countsFor(24, groups)
	return q, counts, report(b, q, counts, analytics.ReportOptions{Board: true})
}

// dashboard builds the charts of a dashboard page: the overall trend, the
// breakdown of the latest month, the distribution and a sparkline per
// group.
func dashboard(q analytics.Question, counts []analytics.Count, rep analytics.Report) ([]Chart, error) {
	var charts []Chart
	add := func(c Chart, err error) error {
		charts = append(charts, c)
		return err
	}
	if err := add(TrendChart(rep, "", Labels{ID: "trend", Subject: q.Text})); err != nil {
		return nil, err
	}
	if err := add(BreakdownChart(rep, "", Labels{ID: "teams", Subject: q.Text, By: "team"})); err != nil {
		return nil, err
	}
	if err := add(DistributionChart(q, counts, analytics.ReportOptions{Board: true}, Labels{ID: "answers", Subject: q.Text})); err != nil {
		return nil, err
	}
	for i := range 40 {
		g := fmt.Sprintf("Team %02d", i+1)
		if err := add(Sparkline(rep, g, Labels{ID: "spark-" + g, Subject: q.Text})); err != nil {
			return nil, err
		}
	}
	return charts, nil
}

func BenchmarkDashboardCharts(b *testing.B) {
	q, counts, rep := benchReport(b)
	for b.Loop() {
		if _, err := dashboard(q, counts, rep); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDashboardPage(b *testing.B) {
	q, counts, rep := benchReport(b)
	charts, err := dashboard(q, counts, rep)
	if err != nil {
		b.Fatal(err)
	}
	t := pageTemplate(b)
	for b.Loop() {
		_ = render(b, t, charts...)
	}
}

func BenchmarkWorkbook(b *testing.B) {
	q, counts, rep := benchReport(b)
	charts, err := dashboard(q, counts, rep)
	if err != nil {
		b.Fatal(err)
	}
	tables := make([]Table, len(charts))
	for i, c := range charts {
		tables[i] = c.Table
	}
	for b.Loop() {
		if err := WriteWorkbook(io.Discard, tables); err != nil {
			b.Fatal(err)
		}
	}
}
