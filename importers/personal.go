package importers

import (
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// Personal data in a file. InferMapping marks every column that names a
// person or where to find them as analytics.RolePersonal, and such a column
// is never stored. A survey may opt in to keeping a respondent's name and
// email address (store.SetKeepPersonal, `heard personal --keep`): then, and
// only then, those columns become free-text questions, stored like any
// other comment and shown only where comments are (staff, never the board).
//
// The rule for which personal columns may be kept goes by the column's
// header, as InferMapping's does: a header that contains "email" or "e-mail",
// or one naming a person ("Name", "Full name", "First name", "Surname",
// "Client name"... up to three words ending in "name"). Everything else
// InferMapping marks personal stays unstored whatever the survey chooses:
// IP addresses, locations (latitude, longitude, geolocation), telephone
// numbers, postal addresses and postcodes, dates of birth, NHS numbers and
// tool account names (user name, submitted by).

// personNameKeys are squashed headers that name a person.
func personNameKeys() []string {
	return []string{"name", "fullname", "yourname", "firstname", "lastname", "surname", "forename", "forenames",
		"givenname", "familyname", "recipientfirstname", "recipientlastname", "姓名"}
}

// NameOrEmail reports whether a column with this header holds people's
// names or email addresses: the personal columns a survey may keep, as
// free-text questions (see KeepPersonal). Pages withhold such a question's
// answers whole from accounts without the personal-data right, since a
// bare name is not something a comment's redaction can recognise.
func NameOrEmail(header string) bool { return keepable(header) }

// keepable reports whether a personal column with this header is a name or
// an email address, the only personal data a survey may keep.
func keepable(header string) bool {
	k := squash(header)
	if strings.Contains(k, "email") {
		return true
	}
	for _, name := range personNameKeys() {
		if k == name {
			return true
		}
	}
	words := strings.Fields(strings.ToLower(header))
	if len(words) < 2 || len(words) > 3 || words[len(words)-1] != "name" {
		return false
	}
	switch squash(strings.Join(words[:len(words)-1], "")) {
	case "user", "account", "login", "screen", "team", "service", "file", "device":
		return false
	}
	return true
}

// KeepPersonal returns m with its personal name and email columns made
// free-text questions, for a survey that keeps personal data. A kept
// column's code is the slug of its header ("email", "full_name"), made
// unique within m, so that the same file gives the same codes each time.
// Other personal columns (IP addresses, locations...) stay unstored. m
// itself is not changed.
func KeepPersonal(m analytics.Mapping) analytics.Mapping {
	out := m
	out.Columns = append([]analytics.Column(nil), m.Columns...)
	used := codesOf(m)
	kept := map[string]analytics.Question{}
	for i, c := range out.Columns {
		if c.Role != analytics.RolePersonal || !keepable(c.Header) {
			continue
		}
		base := slug(c.Header)
		if base == "" {
			base = "personal_" + strings.ToLower(columnLetters(c.Index))
		}
		code := uniqueCode(base, used)
		out.Columns[i].Role, out.Columns[i].Code = analytics.RoleQuestion, code
		kept[code] = analytics.Question{Code: code, Text: c.Header, Kind: analytics.KindText}
	}
	if len(kept) == 0 {
		return out
	}
	out.Questions = questionsInColumnOrder(out, kept)
	return out
}

// questionsInColumnOrder lists m's questions, with extra ones added, in the
// order of their columns; questions without a column come last.
func questionsInColumnOrder(m analytics.Mapping, extra map[string]analytics.Question) []analytics.Question {
	byCode := make(map[string]analytics.Question, len(m.Questions)+len(extra))
	for _, q := range m.Questions {
		byCode[q.Code] = q
	}
	for code, q := range extra {
		byCode[code] = q
	}
	out := make([]analytics.Question, 0, len(byCode))
	placed := map[string]bool{}
	for _, c := range m.Columns {
		if q, ok := byCode[c.Code]; ok && c.Role == analytics.RoleQuestion && !placed[c.Code] {
			out = append(out, q)
			placed[c.Code] = true
		}
	}
	for _, q := range m.Questions {
		if !placed[q.Code] {
			out = append(out, q)
			placed[q.Code] = true
		}
	}
	return out
}

// settlePersonal applies a survey's choice about personal data to m, the
// mapping of a file whose inferred mapping is inferred (same columns, same
// order), and says in plain English what became of each personal column.
// A personal column the survey may not keep is not stored even if the
// survey's saved mapping has it as a question (the survey kept personal data
// once and no longer does).
func settlePersonal(m, inferred analytics.Mapping, keep bool) (analytics.Mapping, []string) {
	personal := make(map[int]bool)
	for _, c := range inferred.Columns {
		if c.Role == analytics.RolePersonal {
			personal[c.Index] = true
		}
	}
	if len(personal) == 0 {
		return m, nil
	}
	drop := make(map[int]bool, len(personal))
	for _, c := range inferred.Columns {
		if personal[c.Index] && !(keep && keepable(c.Header)) {
			drop[c.Index] = true
		}
	}
	m = dropPersonal(m, drop)
	if keep {
		m = KeepPersonal(m)
	}
	var notes []string
	for _, c := range m.Columns {
		if !personal[c.Index] {
			continue
		}
		if c.Role == analytics.RoleQuestion {
			notes = append(notes, fmt.Sprintf("column %q: personal data, stored as a text question (staff only) because this survey keeps personal data", c.Header))
		} else {
			notes = append(notes, fmt.Sprintf("column %q: personal data, not stored", c.Header))
		}
	}
	return m, notes
}

// dropPersonal returns m with the columns at the drop indexes not stored,
// and the questions they fed left out of this file's mapping.
func dropPersonal(m analytics.Mapping, drop map[int]bool) analytics.Mapping {
	out := m
	out.Columns = append([]analytics.Column(nil), m.Columns...)
	dropped := map[string]bool{}
	for i, c := range out.Columns {
		if drop[c.Index] && c.Role != analytics.RolePersonal {
			if c.Code != "" {
				dropped[c.Code] = true
			}
			out.Columns[i].Role, out.Columns[i].Code = analytics.RolePersonal, ""
		}
	}
	if len(dropped) == 0 {
		return out
	}
	out.Questions = make([]analytics.Question, 0, len(m.Questions))
	for _, q := range m.Questions {
		if !dropped[q.Code] {
			out.Questions = append(out.Questions, q)
		}
	}
	out.Dimensions = make([]analytics.Dimension, 0, len(m.Dimensions))
	for _, d := range m.Dimensions {
		if !dropped[d.Code] {
			out.Dimensions = append(out.Dimensions, d)
		}
	}
	return out
}
