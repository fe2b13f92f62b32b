package analytics

import (
	"math"
	"strings"
	"testing"
)

func TestDifferenceInterval(t *testing.T) {
	// Expected values, two independent sources that agree to 4 decimals:
	// Newcombe (1998), "Interval estimation for the difference between
	// independent proportions: comparison of eleven methods", Statistics in
	// Medicine 17:873-890, Table II, method 10 (score, no continuity
	// correction), examples (a) to (h), printed to 4 decimals; and
	// statsmodels 0.13.5 (Debian's python3-statsmodels)
	// confint_proportions_2indep(x1, n1, x2, n2, method='newcomb',
	// compare='diff'), whose full digits are below. The 99% and the
	// 154/198 v 134/210 rows are statsmodels' only (alpha=0.01 for 99%).
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		confidence     float64
		low, high      float64
	}{
		{"(a) 56/70 v 48/80", 56, 70, 48, 80, 0.95, 0.05243147240236498, 0.33387265403690614},
		{"(b) 9/10 v 3/10", 9, 10, 3, 10, 0.95, 0.1705227239345029, 0.809017973535488},
		{"(c) 6/7 v 2/7", 6, 7, 2, 7, 0.95, 0.05822792748231209, 0.8062496375242278},
		{"(d) 5/56 v 0/29", 5, 56, 0, 29, 0.95, -0.038137147903536936, 0.19256001385511165},
		{"(e) 0/10 v 0/20", 0, 10, 0, 20, 0.95, -0.1611251580528194, 0.27753279986288926},
		{"(f) 0/10 v 0/10", 0, 10, 0, 10, 0.95, -0.27753279986288926, 0.27753279986288926},
		{"(g) 10/10 v 0/20", 10, 10, 0, 20, 0.95, 0.6790860371419145, 1},
		{"(h) 10/10 v 10/10", 10, 10, 10, 10, 0.95, -0.27753279986288937, 0.27753279986288937},
		{"(a) at 99%", 56, 70, 48, 80, 0.99, 0.005370869250078403, 0.3718084317757736},
		{"154/198 v 134/210", 154, 198, 134, 210, 0, 0.05139137972232098, 0.2246350755378126},
		{"134/210 v 154/198", 134, 210, 154, 198, 0.95, -0.2246350755378126, -0.05139137972232098},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			low, high := DifferenceInterval(tt.x1, tt.n1, tt.x2, tt.n2, tt.confidence)
			near(t, "low", low, tt.low, 1e-9)
			near(t, "high", high, tt.high, 1e-9)
		})
	}
}

func TestDifferenceIntervalWithoutBase(t *testing.T) {
	for _, c := range []struct {
		name           string
		x1, n1, x2, n2 int64
	}{
		{"first empty", 0, 0, 3, 10}, {"second empty", 3, 10, 0, 0}, {"both empty", 0, 0, 0, 0},
		{"more positive than the base", 11, 10, 3, 10}, {"negative count", -1, 10, 3, 10},
	} {
		if low, high := DifferenceInterval(c.x1, c.n1, c.x2, c.n2, 0.95); !math.IsNaN(low) || !math.IsNaN(high) {
			t.Errorf("%s: interval %g to %g, want none (NaN)", c.name, low, high)
		}
	}
}

func TestTwoProportionZNewcombeExamples(t *testing.T) {
	// The pooled test the effect reports, on Newcombe's examples: expected
	// p from statsmodels 0.13.5 proportions_ztest([x1, x2], [n1, n2]) and,
	// independently, scipy 1.10.1 chi2_contingency([[x1, n1-x1], [x2,
	// n2-x2]], correction=False), which agree to 1e-15. (statsmodels gives
	// NaN where both shares are 0% or 100%; heard says p = 1 there, as
	// TestTwoProportionZ checks.)
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		z, p           float64
	}{
		{"56/70 v 48/80", 56, 70, 48, 80, 2.6501719512585336, 0.00804508136819656},
		{"9/10 v 3/10", 9, 10, 3, 10, 2.738612787525831, 0.006169899320544151},
		{"6/7 v 2/7", 6, 7, 2, 7, 2.160246899469287, 0.030753561259274524},
		{"5/56 v 0/29", 5, 56, 0, 29, 1.6586488692392285, 0.09718656817057973},
		{"154/198 v 134/210", 154, 198, 134, 210, 3.0947643105034905, 0.001969693486352736},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p := TwoProportionZ(tt.x1, tt.n1, tt.x2, tt.n2)
			near(t, "z", z, tt.z, 1e-12)
			near(t, "p", p, tt.p, 1e-14)
		})
	}
}

func TestEffectWindows(t *testing.T) {
	tests := []struct {
		done          string
		months        int
		before, after Window
	}{
		{"2024-09-15", 6, Window{"2024-03-01", "2024-08-31"}, Window{"2024-10-01", "2025-03-31"}},
		{"2024-01-01", 3, Window{"2023-10-01", "2023-12-31"}, Window{"2024-02-01", "2024-04-30"}},
		{"2024-12-31", 1, Window{"2024-11-01", "2024-11-30"}, Window{"2025-01-01", "2025-01-31"}},
		{"2024-03-31", 12, Window{"2023-03-01", "2024-02-29"}, Window{"2024-04-01", "2025-03-31"}},
		{"2023-02-28", 24, Window{"2021-02-01", "2023-01-31"}, Window{"2023-03-01", "2025-02-28"}},
	}
	for _, tt := range tests {
		before, after, err := EffectWindows(tt.done, tt.months)
		if err != nil || before != tt.before || after != tt.after {
			t.Errorf("EffectWindows(%s, %d) = %v, %v, %v; want %v, %v", tt.done, tt.months, before, after, err, tt.before, tt.after)
		}
	}
	for _, bad := range []struct {
		done   string
		months int
	}{{"2024-9-15", 6}, {"15/09/2024", 6}, {"2024-02-30", 6}, {"", 6}, {"2024-09-15", 0}, {"2024-09-15", 25}} {
		if _, _, err := EffectWindows(bad.done, bad.months); err == nil {
			t.Errorf("EffectWindows(%q, %d): no error", bad.done, bad.months)
		}
	}
}

func TestCompareRates(t *testing.T) {
	rate := func(x, n int64) Rate { return NewRate(x, n, 0) }
	tests := []struct {
		name          string
		before, after Rate
		ended         bool
		want          EffectResult
		tested        bool // a p-value is computed
		interval      bool
	}{
		{"rose", rate(134, 210), rate(154, 198), true, EffectRose, true, true},
		{"fell", rate(154, 198), rate(134, 210), true, EffectFell, true, true},
		{"no clear change", rate(60, 100), rate(65, 100), true, EffectNoClearChange, true, true},
		{"after window not ended", rate(134, 210), rate(154, 198), false, EffectTooEarly, true, true},
		{"small after base", rate(134, 210), rate(8, 9), true, EffectTooFew, false, true},
		{"nobody after", rate(134, 210), rate(0, 0), true, EffectTooFew, false, false},
		{"nobody before or after", rate(0, 0), rate(0, 0), true, EffectTooFew, false, false},
		{"0% and 100%", rate(0, 30), rate(30, 30), true, EffectRose, true, true},
		{"100% both", rate(30, 30), rate(40, 40), true, EffectNoClearChange, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := CompareRates(tt.before, tt.after, tt.ended, 10, 0)
			if e.Result != tt.want {
				t.Errorf("result %q, want %q", e.Result, tt.want)
			}
			if math.IsNaN(e.P) == tt.tested {
				t.Errorf("p = %g, want tested = %v", e.P, tt.tested)
			}
			if math.IsNaN(e.Low) == tt.interval || math.IsNaN(e.Difference) == tt.interval {
				t.Errorf("difference %g (%g to %g), want interval = %v", e.Difference, e.Low, e.High, tt.interval)
			}
			if tt.interval {
				near(t, "difference", e.Difference, tt.after.Rate-tt.before.Rate, 1e-15)
				low, high := DifferenceInterval(tt.after.Positive, tt.after.N, tt.before.Positive, tt.before.N, 0.95)
				near(t, "low", e.Low, low, 0)
				near(t, "high", e.High, high, 0)
			}
		})
	}
	// The brief's own example: 64% of 210 to 78% of 198, p = 0.002.
	e := CompareRates(rate(134, 210), rate(154, 198), true, 10, 0.95)
	near(t, "p", e.P, 0.001969693486352736, 1e-14)
	near(t, "low", e.Low, 0.05139137972232098, 1e-9)
}

func TestActionValidate(t *testing.T) {
	ok := Action{Question: "Q1", Said: "Information was hard to find", Did: "New leaflet", Done: "2024-09-15"}
	ok.Normalise()
	if ok.Status != ActionDone || ok.Months != DefaultEffectMonths {
		t.Fatalf("normalised %+v: want status done and %d months", ok, DefaultEffectMonths)
	}
	if err := ok.Validate("2025-01-01"); err != nil {
		t.Fatalf("valid action refused: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(a *Action)
		param string
	}{
		{"no said", func(a *Action) { a.Said = "" }, "said"},
		{"no did", func(a *Action) { a.Did = "  " }, "did"},
		{"no link", func(a *Action) { a.Question = "" }, "question"},
		{"bad statement", func(a *Action) { a.Statement = "cqc" }, "statement"},
		{"bad day", func(a *Action) { a.Done = "2024-02-30" }, "done"},
		{"day written otherwise", func(a *Action) { a.Done = "15/09/2024" }, "done"},
		{"bad agreed", func(a *Action) { a.Agreed = "soon" }, "agreed"},
		{"agreed after done", func(a *Action) { a.Agreed = "2024-10-01" }, "agreed"},
		{"done in the future", func(a *Action) { a.Done = "2025-06-01" }, "done"},
		{"done without a day", func(a *Action) { a.Done = "" }, "done"},
		{"bad status", func(a *Action) { a.Status = "finished" }, "status"},
		{"too many months", func(a *Action) { a.Months = 25 }, "months"},
		{"owner on two lines", func(a *Action) { a.Owner = "Jo\nSmith" }, "owner"},
		{"long quote", func(a *Action) { a.Quote = string(make([]rune, 2001)) }, "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			a.Normalise()
			err := a.Validate("2025-01-01")
			pe, isParam := err.(*ParamError)
			if !isParam || pe.Param != tt.param && tt.param != "" {
				t.Fatalf("error %v, want a ParamError naming %q", err, tt.param)
			}
		})
	}
	planned := Action{Theme: "Information", Said: "x", Did: "y", Done: "2026-01-01", Status: ActionPlanned}
	planned.Normalise()
	if err := planned.Validate("2025-01-01"); err != nil || planned.Effective() {
		t.Errorf("a planned action with a future day: %v, effective %v; want accepted, not measured", err, planned.Effective())
	}
	for _, s := range []string{"In progress", "in-progress", "IN_PROGRESS"} {
		if st, err := ParseActionStatus(s); err != nil || st != ActionInProgress {
			t.Errorf("ParseActionStatus(%q) = %q, %v", s, st, err)
		}
	}
}

func TestPeriodsWithin(t *testing.T) {
	w := Window{"2024-03-01", "2024-08-31"}
	tests := []struct {
		kind    PeriodKind
		w       Window
		keys    string
		covered Window
	}{
		{PeriodMonth, w, "2024-03 2024-04 2024-05 2024-06 2024-07 2024-08", w},
		{PeriodQuarter, w, "2024-Q2", Window{"2024-04-01", "2024-06-30"}},
		{PeriodFYQuarter, w, "2024-25 Q1", Window{"2024-04-01", "2024-06-30"}},
		{PeriodFYQuarter, Window{"2024-10-01", "2025-03-31"}, "2024-25 Q3 2024-25 Q4", Window{"2024-10-01", "2025-03-31"}},
		{PeriodFY, Window{"2023-04-01", "2025-03-31"}, "2023-24 2024-25", Window{"2023-04-01", "2025-03-31"}},
		{PeriodYear, w, "", Window{}},
		{PeriodAll, w, "", Window{}},
	}
	for _, tt := range tests {
		keys, covered := PeriodsWithin(tt.kind, tt.w)
		if strings.Join(keys, " ") != tt.keys || covered != tt.covered {
			t.Errorf("PeriodsWithin(%s, %v) = %q, %v; want %q, %v", tt.kind, tt.w, keys, covered, tt.keys, tt.covered)
		}
	}
	if n := (Window{"2024-03-01", "2024-08-31"}).Months(); n != 6 {
		t.Errorf("Months = %d, want 6", n)
	}
}
