package dashboards

import (
	"testing"

	"github.com/heard-council/heard/analytics"
)

func published(v float64) *float64 { return &v }

func TestPublishedShare(t *testing.T) {
	// Kirklees, ASCOF 3A 2020-21: outcome 66.7, base 490, margin of error
	// 4.1 (as the workbook stores it, 4.0999999999999996).
	got := PublishedShare(analytics.Benchmark{Outcome: published(66.7), Base: published(490), MarginOfError: published(4.0999999999999996)})
	want := BenchmarkFigure{Shown: true, Value: "66.7%", Base: "490", Margin: "±4.1 points", Range: "62.6% to 70.8%"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := PublishedShare(analytics.Benchmark{Outcome: published(98.5), Base: published(1234), MarginOfError: published(3)}); got.Range != "95.5% to 100.0%" || got.Base != "1,234" {
		t.Errorf("the range stops at 100%%: %+v", got)
	}
	if got := PublishedShare(analytics.Benchmark{Base: published(490)}); got.Shown {
		t.Errorf("a suppressed outcome is shown: %+v", got)
	}
	for v, want := range map[float64]string{66.7: "66.7", 4235: "4,235", 0: "0", 0.031: "0.031"} {
		if got := Published(&v, "-"); got != want {
			t.Errorf("Published(%v) = %q, want %q", v, got, want)
		}
	}
	if Published(nil, "not published") != "not published" {
		t.Error("a missing value")
	}
}
