package importers

import (
	"fmt"
	"slices"

	"github.com/heard-council/heard/analytics"
)

// The kinds a person may choose for a column of a file before it is
// stored, as Override takes them.
const (
	KindQuestion  = "question"
	KindDimension = "dimension"
	KindText      = "text"
	KindIgnore    = "ignore"
)

// Override changes what columns of the file become, by their index, as a
// person corrected the preview: "question" (a single choice of the
// column's answers, unless it is a question already), "dimension", "text"
// (free text) or "ignore". Call it after Remap and before Responses. A
// column whose answers cannot be what was chosen (free text as options, a
// column of too many answers) is refused with an *analytics.ImportError,
// and the mapping is left as it was.
func (p *Prepared) Override(kinds map[int]string) error {
	m := p.Mapping
	m.Columns = slices.Clone(m.Columns)
	m.Questions, m.Dimensions = slices.Clone(m.Questions), slices.Clone(m.Dimensions)
	used := codesOf(m)
	for i := range m.Columns {
		col := &m.Columns[i]
		kind, ok := kinds[col.Index]
		if !ok || kind == currentKind(m, *col) {
			continue
		}
		var old *analytics.Question
		if col.Role == analytics.RoleQuestion {
			if k := slices.IndexFunc(m.Questions, func(q analytics.Question) bool { return q.Code == col.Code }); k >= 0 {
				q := m.Questions[k]
				old = &q
				m.Questions = slices.Delete(m.Questions, k, k+1)
			}
		}
		if col.Role == analytics.RoleDimension {
			m.Dimensions = slices.DeleteFunc(m.Dimensions, func(d analytics.Dimension) bool { return d.Code == col.Code })
		}
		code := col.Code
		if code == "" {
			code = uniqueCode(cmpOr(slug(col.Header), fmt.Sprintf("col_%d", col.Index+1)), used)
		}
		text := col.Header
		if old != nil && old.Text != "" {
			text = old.Text
		}
		switch kind {
		case KindIgnore:
			col.Role, col.Code = analytics.RoleIgnore, ""
		case KindDimension, KindQuestion:
			var values []string
			if col.Index < len(p.stats) {
				values = p.stats[col.Index].Distinct()
				if p.stats[col.Index].Overflow || len(values) > 60 {
					return &analytics.ImportError{File: p.File, Column: col.Header, Message: fmt.Sprintf(
						"this column has too many different answers to be a %s: keep it as free text", kind)}
				}
			}
			for _, v := range values {
				if analytics.ReadsAsWritten(v) {
					return &analytics.ImportError{File: p.File, Column: col.Header, Message: fmt.Sprintf(
						"the answers in this column read like sentences people wrote (%q), so it stays free text", shorten(v, 40))}
				}
			}
			col.Code = code
			if kind == KindDimension {
				col.Role = analytics.RoleDimension
				m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: code, Name: text, Kind: "other"})
			} else {
				col.Role = analytics.RoleQuestion
				m.Questions = append(m.Questions, analytics.Question{Code: code, Text: text, Kind: analytics.KindSingle,
					Options: choiceOptions(values, p.stats[col.Index].Values)})
			}
		case KindText:
			col.Role, col.Code = analytics.RoleQuestion, code
			m.Questions = append(m.Questions, analytics.Question{Code: code, Text: text, Kind: analytics.KindText})
		default:
			return fmt.Errorf("column %q: %q is not a kind of column", col.Header, kind)
		}
	}
	p.Mapping = m
	return nil
}

// currentKind is what a column of mapping m is now, in Override's words.
func currentKind(m analytics.Mapping, col analytics.Column) string {
	switch col.Role {
	case analytics.RoleDimension:
		return KindDimension
	case analytics.RoleQuestion:
		for _, q := range m.Questions {
			if q.Code == col.Code && q.Kind == analytics.KindText {
				return KindText
			}
		}
		return KindQuestion
	case analytics.RoleIgnore:
		return KindIgnore
	}
	return string(col.Role)
}

// cmpOr returns a unless it is empty, else b.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// shorten cuts s to n characters.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
