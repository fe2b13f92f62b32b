package importers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// normHeader is the form in which headers are compared between files:
// case, non-breaking spaces and runs of white space do not matter.
func normHeader(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(h, "\u00a0", " ")), " "))
}

// mergeMapping matches a file's columns to a survey's saved mapping by
// header text. Matched columns keep their saved role and code; unmatched
// ones take the inferred role; the differences are reported, never guessed
// silently: new columns, saved columns missing from the file, and new
// answers to choice questions.
func mergeMapping(saved, inferred analytics.Mapping, stats []*ColumnStats) (analytics.Mapping, []string) {
	savedCols := make(map[string]analytics.Column, len(saved.Columns))
	for _, c := range saved.Columns {
		savedCols[normHeader(c.Header)] = c
	}
	savedQ := make(map[string]analytics.Question, len(saved.Questions))
	for _, q := range saved.Questions {
		savedQ[q.Code] = q
	}
	savedD := make(map[string]analytics.Dimension, len(saved.Dimensions))
	for _, d := range saved.Dimensions {
		savedD[d.Code] = d
	}
	inferredQ := make(map[string]analytics.Question, len(inferred.Questions))
	for _, q := range inferred.Questions {
		inferredQ[q.Code] = q
	}
	inferredD := make(map[string]analytics.Dimension, len(inferred.Dimensions))
	for _, d := range inferred.Dimensions {
		inferredD[d.Code] = d
	}

	out := analytics.Mapping{Format: inferred.Format, HeaderRows: inferred.HeaderRows, DateOrder: inferred.DateOrder}
	used := codesOf(saved)
	seen := make(map[string]bool)
	var changes, added []string
	for _, col := range inferred.Columns {
		key := normHeader(col.Header)
		if sc, ok := savedCols[key]; ok && !seen[key] {
			seen[key] = true
			col.Role, col.Code = sc.Role, sc.Code
			switch col.Role {
			case analytics.RoleQuestion:
				q := savedQ[col.Code]
				q.Options = append([]analytics.Option(nil), q.Options...)
				if note := addNewOptions(&q, stats, col.Index); note != "" {
					changes = append(changes, fmt.Sprintf("column %q: %s", col.Header, note))
				}
				out.Questions = append(out.Questions, q)
			case analytics.RoleDimension:
				out.Dimensions = append(out.Dimensions, savedD[col.Code])
			}
			out.Columns = append(out.Columns, col)
			continue
		}
		old := col.Code
		if col.Code != "" {
			col.Code = uniqueCode(col.Code, used)
		}
		switch col.Role {
		case analytics.RoleQuestion:
			q := inferredQ[old]
			q.Code = col.Code
			out.Questions = append(out.Questions, q)
			added = append(added, fmt.Sprintf("new column %q: added as a %s question", col.Header, q.Kind))
		case analytics.RoleDimension:
			d := inferredD[old]
			d.Code = col.Code
			out.Dimensions = append(out.Dimensions, d)
			added = append(added, fmt.Sprintf("new column %q: added as a dimension (%s)", col.Header, d.Kind))
		default:
			added = append(added, fmt.Sprintf("new column %q: read as %s", col.Header, strings.ReplaceAll(string(col.Role), "_", " ")))
		}
		out.Columns = append(out.Columns, col)
	}
	var missing []string
	for _, c := range saved.Columns {
		if !seen[normHeader(c.Header)] && c.Role != analytics.RoleIgnore {
			missing = append(missing, fmt.Sprintf("column %q from earlier files is not in this file: its answers are left blank for these responses", c.Header))
		}
	}
	if len(added) > 0 && len(missing) > 0 {
		changes = append(changes, "some columns are new and some are missing: if a column was renamed, rename it back in the file so its answers join the earlier ones")
	}
	return out, append(append(changes, added...), missing...)
}

func codesOf(m analytics.Mapping) map[string]bool {
	used := make(map[string]bool)
	for _, q := range m.Questions {
		used[q.Code] = true
	}
	for _, d := range m.Dimensions {
		used[d.Code] = true
	}
	return used
}

// uniqueCode returns code, or code with a numeric suffix when it is taken,
// and marks the result as used.
func uniqueCode(code string, used map[string]bool) string {
	c := code
	for i := 2; used[c]; i++ {
		c = code + "_" + strconv.Itoa(i)
	}
	used[c] = true
	return c
}

// addNewOptions appends to a choice question the answers seen in this file
// that it does not have yet, and says which. Scale questions keep their
// scale: an answer outside it is reported per row when the file is read.
func addNewOptions(q *analytics.Question, stats []*ColumnStats, col int) string {
	if (q.Kind != analytics.KindSingle && q.Kind != analytics.KindMulti) || col >= len(stats) {
		return ""
	}
	m := NewOptionMatcher(q)
	var added []string
	for _, v := range stats[col].Distinct() {
		parts := []string{v}
		if q.Kind == analytics.KindMulti {
			parts = splitMulti(v, q.Separator)
		}
		for _, p := range parts {
			if p == "" || m.Match(p) >= 0 {
				continue
			}
			q.Options = append(q.Options, analytics.Option{Label: p, Score: float64(len(q.Options))})
			m = NewOptionMatcher(q)
			added = append(added, fmt.Sprintf("%q", p))
		}
	}
	if len(added) == 0 {
		return ""
	}
	return "new answers added to the question: " + strings.Join(added, ", ")
}
