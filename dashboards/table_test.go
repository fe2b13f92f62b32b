package dashboards

import (
	"slices"
	"testing"
)

// TestWithoutEmptyColumns checks that a page's table leaves out the
// columns empty in every row, and only those: the first column stays
// whatever it holds, a column with one cell filled stays, "–" counts as
// filled, white space does not.
func TestWithoutEmptyColumns(t *testing.T) {
	one := 1.0
	tests := []struct {
		name string
		in   Table
		cols []string
		rows [][]string
	}{
		{"note empty in every row",
			Table{Columns: []string{"Period", "Share", "Note"}, Rows: [][]Cell{
				{textCell("May 2024"), {Text: "85.0%", Value: &one}, textCell("")},
				{textCell("June 2024"), {Text: "–"}, textCell(" ")}}},
			[]string{"Period", "Share"}, [][]string{{"May 2024", "85.0%"}, {"June 2024", "–"}}},
		{"note in one row",
			Table{Columns: []string{"Period", "Share", "Note"}, Rows: [][]Cell{
				{textCell("May 2024"), {Text: "85.0%", Value: &one}, textCell("")},
				{textCell("June 2024"), {Text: "–"}, textCell("No answers")}}},
			[]string{"Period", "Share", "Note"}, [][]string{{"May 2024", "85.0%", ""}, {"June 2024", "–", "No answers"}}},
		{"first and middle columns",
			Table{Columns: []string{"", "Change", "Share"}, Rows: [][]Cell{{textCell(""), textCell(""), textCell("1")}}},
			[]string{"", "Share"}, [][]string{{"", "1"}}},
		{"no rows", Table{Columns: []string{"Period", "Note"}}, []string{"Period", "Note"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.in.Columns)
			got := tc.in.WithoutEmptyColumns()
			if !slices.Equal(got.Columns, tc.cols) {
				t.Errorf("columns %q, want %q", got.Columns, tc.cols)
			}
			var rows [][]string
			for _, r := range got.Rows {
				var texts []string
				for _, c := range r {
					texts = append(texts, c.Text)
				}
				rows = append(rows, texts)
			}
			if !slices.EqualFunc(rows, tc.rows, slices.Equal) {
				t.Errorf("rows %q, want %q", rows, tc.rows)
			}
			if !slices.Equal(tc.in.Columns, before) {
				t.Errorf("the table itself changed: %q", tc.in.Columns)
			}
		})
	}
}
