package dashboards

import (
	"slices"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestPeriodLabel(t *testing.T) {
	tests := []struct {
		kind      analytics.PeriodKind
		key, want string
	}{
		{analytics.PeriodMonth, "2024-05", "May 2024"},
		{"", "2024-12", "December 2024"},
		{analytics.PeriodQuarter, "2024-Q2", "2024 Q2"},
		{analytics.PeriodYear, "2024", "2024"},
		{analytics.PeriodFY, "2024-25", "2024-25"},
		{analytics.PeriodFYQuarter, "2024-25 Q1", "2024-25 Q1"},
		{analytics.PeriodAll, "all", "All periods"},
		{analytics.PeriodMonth, "<b>", "<b>"},
	}
	for _, tc := range tests {
		if got := PeriodLabel(tc.kind, tc.key); got != tc.want {
			t.Errorf("PeriodLabel(%q, %q) = %q, want %q", tc.kind, tc.key, got, tc.want)
		}
	}
	if got := axisPeriod(analytics.PeriodMonth, "2024-05"); got != "May 2024" {
		t.Errorf("axisPeriod = %q", got)
	}
	if got := axisPeriod(analytics.PeriodMonth, "2024-09"); got != "Sep 2024" {
		t.Errorf("axisPeriod = %q", got)
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		name    string
		measure analytics.Measure
		v       float64
		want    string
	}{
		{"share", analytics.MeasureShare, 0.8504, "85.0%"},
		{"share to one decimal", analytics.MeasureShare, 0.12345, "12.3%"},
		{"nps positive", analytics.MeasureNPS, 0.125, "+12.5"},
		{"nps negative", analytics.MeasureNPS, -0.3, "-30.0"},
		{"mean", analytics.MeasureMean, 3.456, "3.46"},
	}
	for _, tc := range tests {
		if got := figure(tc.measure, tc.v); got != tc.want {
			t.Errorf("%s: figure(%v) = %q, want %q", tc.name, tc.v, got, tc.want)
		}
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for c, want := range map[float64]string{0.95: "95%", 0.9: "90%", 0.995: "99.5%", 0: "95%"} {
		if got := confidence(c); got != want {
			t.Errorf("confidence(%v) = %q, want %q", c, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		width int
		lines int
		want  []string
	}{
		{"short", "Overall satisfaction", 30, 2, []string{"Overall satisfaction"}},
		{"two lines", "one two three four", 9, 2, []string{"one two", "three…"}},
		{"empty", "", 10, 2, []string{""}},
		{"long word", "abcdefghij", 4, 3, []string{"abcd", "efgh", "ij"}},
		{"cut", "aaa bbb ccc ddd", 3, 2, []string{"aaa", "bb…"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wrap(tc.s, tc.width, tc.lines); !slices.Equal(got, tc.want) {
				t.Errorf("wrap(%q, %d, %d) = %q, want %q", tc.s, tc.width, tc.lines, got, tc.want)
			}
		})
	}
}
