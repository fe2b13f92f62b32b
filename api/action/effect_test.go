package action

import (
	"fmt"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// monthRows are a board report's overall rows, one a month from
// 2024-01, with the counts given (positive, base) and hidden where base
// is -1.
func monthRows(counts ...[2]int64) []analytics.ReportRow {
	var rows []analytics.ReportRow
	for i, c := range counts {
		r := analytics.ReportRow{Period: fmt.Sprintf("2024-%02d", i+1)}
		if c[1] < 0 {
			r.Suppressed = true
		} else {
			pos, n := c[0], c[1]
			r.Positive, r.N = &pos, &n
		}
		rows = append(rows, r)
	}
	return rows
}

func TestPublishedEffect(t *testing.T) {
	heard := analytics.PolicyHeard.Disclosure()
	before := analytics.Window{From: "2024-01-01", To: "2024-03-31"}
	after := analytics.Window{From: "2024-05-01", To: "2024-07-31"}
	shown := monthRows([2]int64{40, 60}, [2]int64{45, 60}, [2]int64{49, 70}, [2]int64{0, 0}, [2]int64{50, 60},
		[2]int64{52, 60}, [2]int64{55, 60})
	hiddenMarch := monthRows([2]int64{40, 60}, [2]int64{45, 60}, [2]int64{0, -1}, [2]int64{0, 0}, [2]int64{50, 60},
		[2]int64{52, 60}, [2]int64{55, 60})
	quarters := []analytics.ReportRow{{Period: "2024-Q1", N: new(int64(190)), Positive: new(int64(134))},
		{Period: "2024-Q2", N: new(int64(120)), Positive: new(int64(102))}, {Period: "2024-Q3", N: new(int64(120)), Positive: new(int64(107))}}
	tests := []struct {
		name          string
		rows          []analytics.ReportRow
		kind          analytics.PeriodKind
		ended         bool
		d             analytics.Disclosure
		want          analytics.EffectResult
		before, after [2]int64 // positive, base shown
		hidden        [2]bool
		beforeWindow  analytics.Window
	}{
		{"every month shown", shown, analytics.PeriodMonth, true, heard, analytics.EffectRose,
			[2]int64{134, 190}, [2]int64{157, 180}, [2]bool{}, before},
		// March is hidden: January to March less January and February would give it away.
		{"a month hidden", hiddenMarch, analytics.PeriodMonth, true, heard, analytics.EffectNotShown,
			[2]int64{}, [2]int64{157, 180}, [2]bool{true, false}, before},
		{"a month hidden, too early", hiddenMarch, analytics.PeriodMonth, false, heard, analytics.EffectTooEarly,
			[2]int64{}, [2]int64{}, [2]bool{true, true}, before},
		{"too early", shown, analytics.PeriodMonth, false, heard, analytics.EffectTooEarly,
			[2]int64{134, 190}, [2]int64{}, [2]bool{false, true}, before},
		// By quarter, only the quarters wholly inside a window count: Q1
		// before; none after (May to July holds no whole quarter).
		{"by quarter", quarters, analytics.PeriodQuarter, true, heard, analytics.EffectNotShown,
			[2]int64{134, 190}, [2]int64{}, [2]bool{false, true}, before},
		{"all periods together", shown, analytics.PeriodAll, true, heard, analytics.EffectNotShown,
			[2]int64{}, [2]int64{}, [2]bool{true, true}, before},
		{"a small sum", monthRows([2]int64{3, 3}, [2]int64{2, 3}, [2]int64{1, 3}, [2]int64{}, [2]int64{50, 60}, [2]int64{52, 60}, [2]int64{55, 60}),
			analytics.PeriodMonth, true, heard, analytics.EffectNotShown, [2]int64{}, [2]int64{157, 180}, [2]bool{true, false}, before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := publishedEffect(tt.rows, tt.kind, before, after, tt.ended, tt.d.WithDefaults())
			got := [2][2]int64{{e.BeforeRate.Positive, e.BeforeRate.N}, {e.AfterRate.Positive, e.AfterRate.N}}
			if e.Result != tt.want || got != [2][2]int64{tt.before, tt.after} || [2]bool{e.BeforeHidden, e.AfterHidden} != tt.hidden ||
				e.Before != tt.beforeWindow {
				t.Errorf("%s, figures %v, hidden %v, before %v; want %s, %v %v, hidden %v, before %v", e.Result, got,
					[2]bool{e.BeforeHidden, e.AfterHidden}, e.Before, tt.want, tt.before, tt.after, tt.hidden, tt.beforeWindow)
			}
		})
	}
	// By quarter, with windows that hold whole quarters, the board is told
	// the quarters' days (Q4 has no answers yet, so no row, and adds none).
	e := publishedEffect(quarters, analytics.PeriodQuarter, analytics.Window{From: "2023-12-01", To: "2024-05-31"},
		analytics.Window{From: "2024-07-01", To: "2024-12-31"}, true, heard.WithDefaults())
	if e.Result != analytics.EffectRose || e.Before != (analytics.Window{From: "2024-01-01", To: "2024-03-31"}) ||
		e.After != (analytics.Window{From: "2024-07-01", To: "2024-12-31"}) || e.BeforeRate.N != 190 || e.AfterRate.Positive != 107 {
		t.Errorf("by quarter: %+v", e)
	}
}
