package dashboards

import (
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// teams are counts of two months in which "High" is clearly above the
// rest, "Low" clearly below, "Mid" like the rest (and the smallest team
// left, so the one a board report hides too) and "Tiny" too small to show.
func teams() []analytics.Count {
	var counts []analytics.Count
	for _, m := range []string{"2024-04", "2024-05"} {
		counts = append(counts, monthly("High", map[string][6]int64{m: {60, 30, 5, 3, 2, 0}})...)
		counts = append(counts, monthly("Mid", map[string][6]int64{m: {27, 27, 18, 9, 9, 0}})...)
		counts = append(counts, monthly("Low", map[string][6]int64{m: {5, 10, 25, 30, 30, 0}})...)
		counts = append(counts, monthly("Tiny", map[string][6]int64{m: {2, 1, 0, 0, 1, 0}})...)
	}
	return counts
}

func TestBreakdownChart(t *testing.T) {
	q := question(t, "Overall satisfaction")
	tests := []struct {
		name   string
		board  bool
		period string
		marks  []string
		cmp    []string
		title  string
	}{
		{"staff latest", false, "", []string{"90.0%  ▲ above", "15.0%  ▼ below", "60.0%", "75.0%"},
			[]string{"", "▲ above the rest", "▼ below the rest", "No significant difference", ""},
			"Overall satisfaction — Top 2 box by team, May 2024 (n = 294)"},
		{"board April", true, "2024-04", []string{"90.0%  ▲ above", "15.0%  ▼ below", "–", "–"},
			[]string{"", "▲ above the rest", "▼ below the rest", "", ""},
			"Overall satisfaction — Top 2 box by team, April 2024 (n = 294)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := report(t, q, teams(), analytics.ReportOptions{Board: tc.board})
			c := must(t)(BreakdownChart(rep, tc.period, Labels{ID: "by-team", Subject: q.Text, By: "team"}))
			if c.Title != tc.title {
				t.Errorf("title %q, want %q", c.Title, tc.title)
			}
			d := decode(t, c)
			if want := []string{"High", "Low", "Mid", "Tiny"}; !slices.Equal(d.Option.YAxis[0].Data, want) {
				t.Errorf("groups %q, want %q", d.Option.YAxis[0].Data, want)
			}
			if !slices.Equal(d.Option.YAxis[1].Data, tc.marks) {
				t.Errorf("marks %q, want %q", d.Option.YAxis[1].Data, tc.marks)
			}
			var names, cmp []string
			for _, r := range c.Table.Rows {
				names, cmp = append(names, r[0].Text), append(cmp, r[len(r)-2].Text)
			}
			if want := []string{"All responses", "High", "Low", "Mid", "Tiny"}; !slices.Equal(names, want) {
				t.Errorf("table rows %q, want %q", names, want)
			}
			if !slices.Equal(cmp, tc.cmp) || c.Table.Columns[0] != "team" || c.Table.Name != "By team" {
				t.Errorf("comparisons %q (want %q), first column %q, name %q", cmp, tc.cmp, c.Table.Columns[0], c.Table.Name)
			}
			if !strings.Contains(c.Description, "Clearly above the rest: High. Clearly below the rest: Low.") {
				t.Errorf("description %q", c.Description)
			}
			if tc.board != strings.Contains(c.Description, "2 groups not published") {
				t.Errorf("description %q", c.Description)
			}
		})
	}
}

func TestBreakdownWithoutGroups(t *testing.T) {
	q := question(t, "Q")
	rep := report(t, q, monthly("", map[string][6]int64{"2024-01": {5, 5, 5, 5, 5, 0}}), analytics.ReportOptions{})
	c := must(t)(BreakdownChart(rep, "", Labels{}))
	d := decode(t, c)
	if !slices.Equal(d.Option.YAxis[0].Data, []string{"All responses"}) || len(c.Table.Rows) != 1 ||
		!strings.HasPrefix(c.Title, "Question q1 — Top 2 box by group, January 2024 (n = 25)") {
		t.Errorf("axis %q, %d rows, title %q", d.Option.YAxis[0].Data, len(c.Table.Rows), c.Title)
	}
}
