package dashboards

import (
	"encoding/json"
	"math"
	"regexp"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes 4.5:1
		{"#777777", "#ffffff", 4.48},
		{"#1f5a96", "#ffffff", 7.09},
	}
	for _, tc := range tests {
		got, err := contrast(tc.a, tc.b)
		if err != nil || math.Abs(got-tc.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, %v; want %.2f", tc.a, tc.b, got, err, tc.want)
		}
	}
	if _, err := contrast("red", "#ffffff"); err == nil {
		t.Error("contrast accepted a colour name")
	}
}

// TestPaletteContrast checks WCAG 2.2 AA: text 4.5:1 against white, marks
// 3:1 (every mark colour here also reaches 4.5:1, so white text on it
// would pass too).
func TestPaletteContrast(t *testing.T) {
	text := map[string]string{"text": colourText, "muted text": colourTextMuted}
	marks := map[string]string{"main": colourMain, "axis": colourAxis, "neutral": colourNeutral, "excluded": colourExcluded}
	for i, c := range append(append(categorical(), positiveShades()...), negativeShades()...) {
		marks["palette "+string(rune('a'+i))] = c
	}
	for name, c := range text {
		if r, _ := contrast(c, colourBackground); r < 4.5 {
			t.Errorf("%s colour %s has contrast %.2f against white, want at least 4.5", name, c, r)
		}
	}
	for name, c := range marks {
		if r, _ := contrast(c, colourBackground); r < 4.5 {
			t.Errorf("%s colour %s has contrast %.2f against white, want at least 4.5", name, c, r)
		}
	}
}

// TestChartColoursContrast reads every colour out of the charts' JSON:
// each "#rrggbb" colour, other than the background and the grid lines
// (decoration: the figures are in labels, tooltips and the table), meets
// 3:1 against white. rgba() colours are the interval band's fill, whose
// edges are drawn as dashed lines in the main colour; colourBarFill is the
// fill of bars whose border is the main colour.
func TestChartColoursContrast(t *testing.T) {
	q := question(t, "Q")
	counts := countsFor(6, []string{"A", "B"})
	rep := report(t, q, counts, analytics.ReportOptions{})
	charts := []Chart{
		must(t)(TrendChart(rep, "", Labels{})), must(t)(Sparkline(rep, "", Labels{})),
		must(t)(BreakdownChart(rep, "", Labels{})), must(t)(DistributionChart(q, counts, analytics.ReportOptions{}, Labels{})),
	}
	hex := regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	for _, c := range charts {
		var v any
		if err := json.Unmarshal([]byte(c.JSON), &v); err != nil {
			t.Fatal(err)
		}
		seen := 0
		walkStrings(v, "", func(key, s string) {
			if key != "color" && key != "borderColor" && key != "backgroundColor" {
				return
			}
			seen++
			switch {
			case s == colourBackground || s == colourGridLine || s == colourBand || s == colourBarFill:
			case !hex.MatchString(s):
				t.Errorf("%s: colour %q is not #rrggbb", c.Kind, s)
			default:
				if r, _ := contrast(s, colourBackground); r < 3 {
					t.Errorf("%s: colour %s has contrast %.2f against white, want at least 3", c.Kind, s, r)
				}
			}
		})
		if seen == 0 {
			t.Errorf("%s: no colours found", c.Kind)
		}
	}
}

// walkStrings calls f with each string in v and the key it is under.
func walkStrings(v any, key string, f func(key, s string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walkStrings(e, k, f)
		}
	case []any:
		for _, e := range v {
			walkStrings(e, key, f)
		}
	case string:
		f(key, v)
	}
}
