package analytics

import (
	"cmp"
	"slices"
)

// ThemeCell is how many classified comments of one month and group say
// something, and how many of those have each theme, as the store
// aggregates them in SQL. A comment may have several themes, so the theme
// counts of a cell add up to Total or more.
type ThemeCell struct {
	// Month is the London month key ("2024-05"), "" for comments of
	// responses without a date.
	Month string
	// Group is the breakdown's value, "" when the counts are not broken
	// down or the value is blank (as Count.Group).
	Group string
	// Total is the base of every theme's share: the classified comments
	// that say something.
	Total int64
	// Themes holds the comments with each theme, by the index of the theme
	// in the list ThemeShares is given.
	Themes []int64
}

// ThemeShares builds, for each theme, the report of the share of the
// comments answering q that mention it, by period and group, with Wilson
// intervals, the change from the period before (two-proportion z test) and,
// with opts.Board, disclosure control. Each theme's share has the same base
// in a cell (the comments that say something), like the options of a
// multiple-choice question (see TickShares), and the shares add up to 100%
// or more.
//
// In a board report each theme's rows are suppressed as Suppress does, the
// theme's count being the positive answers and the cell's comments the base,
// with secondary suppression across the groups of a period. Themes share
// their base, so a hidden count could also be narrowed down from the base and
// the other themes of its cell when comments mostly have one theme each:
// wherever a cell hides exactly one theme's count, the next smallest shown
// count of that cell is hidden too, and the per-theme suppression runs again,
// until neither hides anything more. A period's overall cell is judged on the
// overall cells alone, so that it is hidden or shown alike whatever
// breakdown is asked for. PolicyNHSDigital rounds instead (see Suppress).
func ThemeShares(q Question, themes []string, cells []ThemeCell, opts ReportOptions) []Report {
	yesNo := Question{Code: q.Code, Text: q.Text, Kind: KindSingle,
		Options: []Option{{Label: "Mentioned"}, {Label: "Not mentioned"}}}
	counts := make([][]Count, len(themes))
	for i := range themes {
		for _, c := range cells {
			var n int64
			if i < len(c.Themes) {
				n = c.Themes[i]
			}
			counts[i] = append(counts[i], Count{Month: c.Month, Group: c.Group, Option: 0, N: n},
				Count{Month: c.Month, Group: c.Group, Option: 1, N: max(0, c.Total-n)})
		}
	}
	conceal := make([]map[cellKey]bool, len(themes))
	out := make([]Report, len(themes))
	build := func(i int) {
		m := Metric{Name: "% of comments mentioning " + themes[i], Question: q.Code, Measure: MeasureShare, Positive: []int{0}}
		out[i] = buildReport(yesNo, m, counts[i], opts, conceal[i])
	}
	for i := range themes {
		conceal[i] = map[cellKey]bool{}
		build(i)
	}
	if !opts.Board || opts.withDefaults().Disclosure.Policy == PolicyNHSDigital {
		return out
	}
	for {
		changed := concealLoneThemes(out, conceal)
		if len(changed) == 0 {
			return out
		}
		for _, i := range changed {
			build(i)
		}
	}
}

// concealLoneThemes finds the cells of the board reports reps (one per
// theme) that hide exactly one theme's count while showing others, adds the
// smallest shown count of each to conceal, and returns the themes whose
// reports must be built again.
func concealLoneThemes(reps []Report, conceal []map[cellKey]bool) []int {
	type entry struct {
		theme int
		row   ReportRow
	}
	cells := map[cellKey][]entry{}
	var order []cellKey
	for i, rep := range reps {
		for _, r := range rep.Rows {
			k := cellKey{r.Period, r.Group}
			if _, ok := cells[k]; !ok {
				order = append(order, k)
			}
			cells[k] = append(cells[k], entry{i, r})
		}
	}
	changed := map[int]bool{}
	for _, k := range order {
		var hidden int
		var shown []entry
		for _, e := range cells[k] {
			switch {
			case e.row.Suppressed:
				hidden++
			case value(e.row.N) > 0:
				shown = append(shown, e)
			}
		}
		if hidden != 1 || len(shown) == 0 {
			continue
		}
		next := slices.MinFunc(shown, func(a, b entry) int {
			if c := cmp.Compare(value(a.row.Positive), value(b.row.Positive)); c != 0 {
				return c
			}
			return cmp.Compare(a.theme, b.theme)
		})
		conceal[next.theme][k] = true
		changed[next.theme] = true
	}
	out := make([]int, 0, len(changed))
	for i := range changed {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}
