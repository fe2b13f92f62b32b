package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// SurveyName is the form a survey's name is stored and compared in: Unicode
// normalised (NFKC, so a fullwidth or ligature letter is the plain one),
// without zero-width and bidirectional control characters, which do not
// show, and with its spaces trimmed and collapsed to one. Two names with
// the same SurveyName are one survey: "People feedback survey" with a
// zero-width space in it opens, and imports into, "People feedback
// survey".
func SurveyName(name string) string {
	name = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(name))
	return strings.Join(strings.Fields(name), " ")
}

// invisible reports whether r is a zero-width character (U+200B..U+200D,
// U+2060, U+FEFF) or a bidirectional control (U+200E, U+200F, U+061C,
// U+202A..U+202E, U+2066..U+2069).
func invisible(r rune) bool {
	switch {
	case r >= '\u200b' && r <= '\u200f', r == '\u2060', r == '\ufeff', r == '\u061c':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// findSurveyByName returns the survey whose name is name once both are in
// SurveyName's form, or ErrNotFound. Names stored by this version are in
// that form already and found by the unique index; a name stored before
// it (with an invisible character, say) is found by comparing every
// survey's name, which is cheap at a council's few dozen surveys and
// needs no migration.
func findSurveyByName(ctx context.Context, db *gorm.DB, name string) (surveyRow, error) {
	key := SurveyName(name)
	row, err := findSurvey(ctx, db, "name = ?", key)
	if !errors.Is(err, ErrNotFound) {
		return row, err
	}
	rows, err := gorm.G[surveyRow](db).Select("id", "name").Order("id").Find(ctx)
	if err != nil {
		return surveyRow{}, fmt.Errorf("read surveys: %w", err)
	}
	for _, r := range rows {
		if SurveyName(r.Name) == key {
			return findSurvey(ctx, db, "id = ?", r.ID)
		}
	}
	return surveyRow{}, ErrNotFound
}
