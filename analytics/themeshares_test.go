package analytics

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// themeCells are two months of comments in two teams: 40 and 60 in March
// (North, South), 50 and 30 in April, with three themes.
func themeCells() []ThemeCell {
	return []ThemeCell{
		{Month: "2025-03", Group: "North", Total: 40, Themes: []int64{20, 3, 30}},
		{Month: "2025-03", Group: "South", Total: 60, Themes: []int64{25, 12, 45}},
		{Month: "2025-04", Group: "North", Total: 50, Themes: []int64{40, 10, 30}},
		{Month: "2025-04", Group: "South", Total: 30, Themes: []int64{24, 9, 20}},
	}
}

func TestThemeSharesStaff(t *testing.T) {
	themes := []string{"Staff manner", "Waiting", "Communication"}
	reps := ThemeShares(Question{Code: "comments"}, themes, themeCells(), ReportOptions{Period: PeriodMonth})
	if len(reps) != 3 {
		t.Fatalf("%d reports for 3 themes", len(reps))
	}
	// Staff manner overall: March 45 of 100, April 64 of 80.
	rows := reps[0].Rows
	if len(rows) != 6 {
		t.Fatalf("rows %+v: want March and April, each overall, North and South", rows)
	}
	march, april := rows[0], rows[3]
	if march.Group != AllGroup || *march.N != 100 || *march.Positive != 45 || april.Group != AllGroup || *april.N != 80 || *april.Positive != 64 {
		t.Fatalf("overall rows %+v %+v", march, april)
	}
	low, high := Wilson(64, 80, DefaultConfidence)
	if math.Abs(*april.Rate-0.8) > 1e-12 || *april.CILow != low || *april.CIHigh != high {
		t.Errorf("April's share %v [%v, %v], want 0.8 with Wilson [%v, %v]", *april.Rate, *april.CILow, *april.CIHigh, low, high)
	}
	_, p := TwoProportionZ(64, 80, 45, 100)
	if april.ChangeP == nil || math.Abs(*april.ChangeP-p) > 1e-12 || p >= 0.05 {
		t.Errorf("April's change p = %v, want the two-proportion z test's %v (under 0.05)", april.ChangeP, p)
	}
	if reps[0].Metric.Name != "% of comments mentioning Staff manner" {
		t.Errorf("metric %q", reps[0].Metric.Name)
	}
	// Staff see every count, however small.
	if r := reps[1].Rows[1]; r.Suppressed || *r.Positive != 3 {
		t.Errorf("staff row of Waiting in North, March: %+v", r)
	}
}

func TestThemeSharesBoard(t *testing.T) {
	themes := []string{"Staff manner", "Waiting", "Communication"}
	reps := ThemeShares(Question{Code: "comments"}, themes, themeCells(), ReportOptions{Period: PeriodMonth, Board: true})
	at := func(theme int, period, group string) ReportRow {
		for _, r := range reps[theme].Rows {
			if r.Period == period && r.Group == group {
				return r
			}
		}
		t.Fatalf("no row %s %q of theme %d", period, group, theme)
		return ReportRow{}
	}
	// Waiting in North, March: 3 of 40, hidden; South beside it too, or
	// the overall 15 would give it away.
	if !at(1, "2025-03", "North").Suppressed || !at(1, "2025-03", "South").Suppressed {
		t.Errorf("Waiting, March: the count of 3 and its sibling are not both hidden")
	}
	if r := at(1, "2025-03", ""); r.Suppressed || *r.Positive != 15 {
		t.Errorf("Waiting's overall March row %+v: 15 of 100 is publishable", r)
	}
	// Each of those cells now hides one theme of three: the smallest shown
	// count beside it (Staff manner, 20 in North and 25 in South) goes too.
	if !at(0, "2025-03", "North").Suppressed || !at(0, "2025-03", "South").Suppressed {
		t.Errorf("Staff manner in March is shown beside the one hidden theme of its cells")
	}
	if at(2, "2025-03", "North").Suppressed || at(2, "2025-03", "South").Suppressed {
		t.Errorf("Communication in March is hidden though two themes are hidden beside it")
	}
	checkThemeBoardRules(t, reps)
}

// checkThemeBoardRules checks what the board sees of theme reports: no
// count from 1 to 4 shown, no base under 10, no cell hiding one theme
// alone, no period with one hidden group alone.
func checkThemeBoardRules(t *testing.T, reps []Report) {
	t.Helper()
	type key struct{ period, group string }
	hiddenIn := map[key]int{}
	shownIn := map[key]int{}
	for _, rep := range reps {
		groupsHidden := map[string]int{}
		for _, r := range rep.Rows {
			k := key{r.Period, r.Group}
			if r.Suppressed {
				hiddenIn[k]++
				if r.Group != AllGroup {
					groupsHidden[r.Period]++
				}
				continue
			}
			if *r.N == 0 {
				continue
			}
			shownIn[k]++
			if *r.N < 10 || *r.Positive > 0 && *r.Positive < 5 || *r.N-*r.Positive > 0 && *r.N-*r.Positive < 5 {
				t.Errorf("%s %s %q shows %d of %d", rep.Metric.Name, r.Period, r.Group, *r.Positive, *r.N)
			}
		}
		for period, n := range groupsHidden {
			parentShown := false
			for _, r := range rep.Rows {
				parentShown = parentShown || r.Period == period && r.Group == AllGroup && !r.Suppressed
			}
			if n == 1 && parentShown {
				t.Errorf("%s, %s: one group hidden alone under a shown total", rep.Metric.Name, period)
			}
		}
	}
	for k, n := range hiddenIn {
		if n == 1 && shownIn[k] > 0 {
			t.Errorf("%s %q hides one theme alone beside %d shown", k.period, k.group, shownIn[k])
		}
	}
}

// TestThemeSharesBoardRandom checks the board's rules on random cells, and
// that a period's overall rows are the same whatever the breakdown.
func TestThemeSharesBoardRandom(t *testing.T) {
	themes := []string{"A", "B", "C", "D", "E"}
	for trial := range 40 {
		rng := rand.New(rand.NewPCG(7, uint64(trial)))
		var cells, merged []ThemeCell
		for _, month := range []string{"2024-01", "2024-02", "2024-03"} {
			all := ThemeCell{Month: month, Themes: make([]int64, len(themes))}
			for _, g := range []string{"North", "South", "East", ""} {
				c := ThemeCell{Month: month, Group: g, Total: int64(rng.IntN(40)), Themes: make([]int64, len(themes))}
				for i := range themes {
					if c.Total > 0 {
						c.Themes[i] = int64(rng.IntN(int(c.Total) + 1))
					}
					all.Themes[i] += c.Themes[i]
				}
				all.Total += c.Total
				cells = append(cells, c)
			}
			merged = append(merged, all)
		}
		for _, policy := range []Policy{PolicyHeard, PolicyNHSFFT} {
			opts := ReportOptions{Period: PeriodMonth, Board: true, Disclosure: policy.Disclosure()}
			grouped := ThemeShares(Question{}, themes, cells, opts)
			whole := ThemeShares(Question{}, themes, merged, opts)
			if policy == PolicyHeard {
				checkThemeBoardRules(t, grouped)
			}
			for i := range themes {
				var parents []ReportRow
				for _, r := range grouped[i].Rows {
					if r.Group == AllGroup {
						parents = append(parents, r)
					}
				}
				if !reflect.DeepEqual(parents, stripTests(whole[i].Rows)) && !reflect.DeepEqual(stripTests(parents), stripTests(whole[i].Rows)) {
					t.Fatalf("trial %d, %s, theme %s: the overall rows differ with a breakdown:\n%+v\n%+v", trial, policy, themes[i], parents, whole[i].Rows)
				}
			}
		}
	}
}

// stripTests drops the p-values of rows, which a breakdown changes (the
// test against the rest) while the figures stay.
func stripTests(rows []ReportRow) []ReportRow {
	out := make([]ReportRow, len(rows))
	for i, r := range rows {
		r.VsRestP = nil
		out[i] = r
	}
	return out
}

func TestThemeSharesRounded(t *testing.T) {
	opts := ReportOptions{Period: PeriodAll, Board: true, Disclosure: PolicyNHSDigital.Disclosure()}
	reps := ThemeShares(Question{}, []string{"A", "B"}, []ThemeCell{{Month: "2024-01", Total: 103, Themes: []int64{52, 6}}}, opts)
	a, b := reps[0].Rows[0], reps[1].Rows[0]
	if a.Suppressed || *a.N != 105 || *a.Positive != 50 || math.Abs(*a.Rate-50.0/105) > 1e-12 {
		t.Errorf("A under NHS Digital's rule: %+v, want 50 of 105 (rounded to 5)", a)
	}
	if !b.Suppressed {
		t.Errorf("B's count of 6 is shown under NHS Digital's rule: %+v", b)
	}
}
