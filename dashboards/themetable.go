package dashboards

import (
	"cmp"
	"slices"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// ThemeTable is every theme's figure in every period and group of reps
// (one report per theme, from analytics.ThemeShares), one row each: the
// long table of the themes download, as the JSON API and the CSV give it.
func ThemeTable(reps []analytics.Report, themes []string, conf float64, d analytics.Disclosure) Table {
	t := Table{Name: "Themes", Caption: "The share of comments mentioning each theme, by period and group",
		Columns: []string{"Period", "Group", "Theme", "Comments mentioning it", "Comments (base)", "% of comments",
			"Lower " + Confidence(conf) + " limit", "Upper " + Confidence(conf) + " limit", "Change since the period before", "Note"}}
	var all []analytics.ReportRow
	for _, r := range ThemeRows(reps, themes) {
		all = append(all, r.Row)
		m := analytics.MeasureShare
		t.Rows = append(t.Rows, []Cell{periodCell(PeriodLabel(r.Kind, r.Row.Period)), textCell(GroupLabel(r.Row.Group)),
			textCell(r.Theme), CountCell(r.Row.Positive), CountCell(r.Row.N), ValueCell(m, r.Row.Rate), ValueCell(m, r.Row.CILow),
			ValueCell(m, r.Row.CIHigh), {Text: r.Change(), NoWrap: true}, textCell(rowNote(r.Row))})
	}
	t.Notes = suppressionNote(all, d)
	return t
}

// ThemeRow is one row of the long table of themes.
type ThemeRow struct {
	ThemeShare
	Kind analytics.PeriodKind
}

// ThemeRows lists every row of reps, one report per theme, in the order
// of the long table: by period, then group (all responses first), then
// theme in the model's order.
func ThemeRows(reps []analytics.Report, themes []string) []ThemeRow {
	var out []ThemeRow
	for i, rep := range reps {
		if i >= len(themes) {
			break
		}
		index := make(map[[2]string]int, len(rep.Rows))
		for j, r := range rep.Rows {
			index[[2]string{r.Period, r.Group}] = j
		}
		for _, r := range rep.Rows {
			s := ThemeShare{Theme: themes[i], Row: r}
			if prev, err := analytics.Previous(rep.Period, r.Period); err == nil {
				if j, ok := index[[2]string{prev, r.Group}]; ok {
					s.Prev, s.PrevLabel = &rep.Rows[j], PeriodLabel(rep.Period, prev)
				}
			}
			out = append(out, ThemeRow{ThemeShare: s, Kind: rep.Period})
		}
	}
	order := make(map[string]int, len(themes))
	for i, th := range themes {
		order[th] = i
	}
	slices.SortStableFunc(out, func(a, b ThemeRow) int {
		if c := strings.Compare(a.Row.Period, b.Row.Period); c != 0 {
			return c
		}
		if c := strings.Compare(a.Row.Group, b.Row.Group); c != 0 {
			return c
		}
		return cmp.Compare(order[a.Theme], order[b.Theme])
	})
	return out
}

// ThemeTrendChart is TrendChart of one theme's report (from
// analytics.ThemeShares) over its periods, its table counting comments.
func ThemeTrendChart(rep analytics.Report, l Labels) (Chart, error) {
	c, err := TrendChart(rep, analytics.AllGroup, l)
	c.Table = commentColumns(c.Table)
	return c, err
}

// ThemeBreakdownChart is BreakdownChart of one theme's report in period,
// its table counting comments.
func ThemeBreakdownChart(rep analytics.Report, period string, l Labels) (Chart, error) {
	c, err := BreakdownChart(rep, period, l)
	c.Table = commentColumns(c.Table)
	return c, err
}

// commentColumns names a table's base and count columns for comments.
func commentColumns(t Table) Table {
	t.Columns = slices.Clone(t.Columns)
	for i, col := range t.Columns {
		switch col {
		case "Base (n)":
			t.Columns[i] = "Comments (base)"
		case "Positive answers":
			t.Columns[i] = "Comments mentioning it"
		}
	}
	return t
}
