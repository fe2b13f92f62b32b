package dashboards

import (
	"slices"
	"testing"
	"time"

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

// TestFormat covers the one place figures are written for people. The
// rounding cases are ratios of counts whose exact value lies on a half
// (23/80 = 28.75%, 1/80 = 1.25%, 1/16 = 6.25%, 25/8 = 3.125): each rounds
// away from zero, though the binary value of 23/80 lies just below the
// half and fmt's "%.1f" of 1.25 rounds to even (1.2).
func TestFormat(t *testing.T) {
	share, nps, mean := analytics.MeasureShare, analytics.MeasureNPS, analytics.MeasureMean
	tests := []struct {
		name    string
		measure analytics.Measure
		v       float64
		forCSV  bool
		want    string
	}{
		{"share", share, 0.8504, false, "85.0%"},
		{"share to one decimal", share, 0.12345, false, "12.3%"},
		{"share at a half, just below in binary", share, 23.0 / 80, false, "28.8%"},
		{"share at a half, even below", share, 1.0 / 80, false, "1.3%"},
		{"share of none", share, 0, false, "0.0%"},
		{"share of all", share, 1, false, "100.0%"},
		{"share with no measure named", "", 0.5, false, "50.0%"},
		{"share for a CSV", share, 23.0 / 80, true, "28.8"},
		{"share of all for a CSV", share, 1, true, "100.0"},
		{"nps positive", nps, 0.125, false, "+12.5"},
		{"nps at a half", nps, 1.0 / 80, false, "+1.3"},
		{"nps at a half, just below in binary", nps, 23.0 / 80, false, "+28.8"},
		{"nps at a half, 1/16", nps, 1.0 / 16, false, "+6.3"},
		{"nps negative", nps, -0.3, false, "-30.0"},
		{"nps negative at a half", nps, -1.0 / 80, false, "-1.3"},
		{"nps negative at a half, just above in binary", nps, -23.0 / 80, false, "-28.8"},
		{"nps at the ends", nps, -1, false, "-100.0"},
		{"nps zero", nps, 0, false, "+0.0"},
		{"nps for a CSV keeps its sign", nps, 1.0 / 80, true, "+1.3"},
		{"mean", mean, 3.456, false, "3.46"},
		{"mean at a half", mean, 25.0 / 8, false, "3.13"},
		{"mean whole", mean, 4, false, "4.00"},
		{"mean for a CSV", mean, 25.0 / 8, true, "3.13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Value(tc.measure, tc.v, tc.forCSV); got != tc.want {
				t.Errorf("Value(%q, %v, %v) = %q, want %q", tc.measure, tc.v, tc.forCSV, got, tc.want)
			}
		})
	}
}

func TestInterval(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name      string
		measure   analytics.Measure
		low, high *float64
		want      string
	}{
		{"share", analytics.MeasureShare, f(0.8014), f(0.89), "80.1% to 89.0%"},
		{"share from 0 to 100%", analytics.MeasureShare, f(0), f(1), "0.0% to 100.0%"},
		{"nps across zero", analytics.MeasureNPS, f(-1.0 / 80), f(0.2), "-1.3 to +20.0"},
		{"mean", analytics.MeasureMean, f(3.1), f(25.0 / 8), "3.10 to 3.13"},
		{"no interval", analytics.MeasureShare, nil, nil, ""},
		{"one end only", analytics.MeasureShare, f(0.8), nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Interval(tc.measure, tc.low, tc.high); got != tc.want {
				t.Errorf("Interval = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNumbersInWords(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567",
		-4321: "-4,321", -999: "-999"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "0 groups", 1: "1 group", 2: "2 groups", 1204: "1,204 groups", -1: "-1 group"} {
		if got := Plural(n, "group"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{0: "problems", 1: "problem", 2: "problems", 1001: "problems"} {
		if got := Noun(n, "problem"); got != want {
			t.Errorf("Noun(%d) = %q, want %q", n, got, want)
		}
	}
	for c, want := range map[float64]string{0.95: "95%", 0.9: "90%", 0.995: "99.5%", 0.9995: "99.95%", 0: "95%", 1: "95%"} {
		if got := Confidence(c); got != want {
			t.Errorf("Confidence(%v) = %q, want %q", c, got, want)
		}
	}
	for _, tc := range []struct {
		m    analytics.Measure
		d    float64
		want string
	}{{analytics.MeasureShare, -23.0 / 80, "28.8 points"}, {analytics.MeasureNPS, 0.062, "6.2 points"},
		{analytics.MeasureMean, 3.62 - 3.5, "0.12"}} {
		if got := Difference(tc.m, tc.d); got != tc.want {
			t.Errorf("Difference(%q, %v) = %q, want %q", tc.m, tc.d, got, tc.want)
		}
	}
	for p, want := range map[float64]string{0.0004: "p<0.001", 0.02314: "p=0.0231", 0.5: "p=0.5"} {
		if got := PValue(p); got != want {
			t.Errorf("PValue(%v) = %q, want %q", p, got, want)
		}
	}
	for k, want := range map[analytics.PeriodKind]string{analytics.PeriodMonth: "month", analytics.PeriodYear: "calendar year",
		analytics.PeriodFYQuarter: "financial-year quarter", analytics.PeriodAll: "all periods together"} {
		if got := PeriodName(k); got != want {
			t.Errorf("PeriodName(%q) = %q, want %q", k, got, want)
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

// TestChangeWords checks that a change and a group's difference that
// chance could explain are said with the one phrase each, on the trend and
// breakdown tables alike.
func TestChangeWords(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	prev := analytics.ReportRow{Rate: f(0.80)}
	if got := change(analytics.ReportRow{Rate: f(0.82), ChangeP: f(0.4)}, &prev, "May 2024"); got != "No significant change" {
		t.Errorf("change not significant = %q", got)
	}
	if got := vsRest(analytics.ReportRow{Rate: f(0.82), VsRestP: f(0.4)}, prev); got != "No significant difference" {
		t.Errorf("difference not significant = %q", got)
	}
}

// TestDates checks the one form of a date and a moment on every page.
func TestDates(t *testing.T) {
	at := time.Date(2025, time.March, 31, 9, 5, 59, 0, time.UTC)
	if got := Date(at); got != "2025-03-31" {
		t.Errorf("Date = %q", got)
	}
	if got := DateTime(at); got != "2025-03-31 09:05" {
		t.Errorf("DateTime = %q", got)
	}
}
