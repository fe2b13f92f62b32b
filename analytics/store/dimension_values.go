package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// MaxDimensionValues is the most values of one dimension DimensionValues
// returns: a column with more is not one people choose a value of from a
// list.
const MaxDimensionValues = 200

// DimensionValues returns the values each dimension of survey surveyID
// holds in its responses, by dimension code, sorted and without blanks;
// values that differ only in ASCII case (which filters do not tell apart)
// are given once. A dimension with more than MaxDimensionValues values
// gives its first MaxDimensionValues. The query names columns by ids only
// and groups in SQL, one query for every dimension.
func (s *Store) DimensionValues(ctx context.Context, surveyID int64) (map[string][]string, error) {
	_, dims, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	if len(dims) == 0 {
		return out, nil
	}
	var rows []dimValueRow
	kept, err := s.keptValues(ctx, surveyID, len(dims))
	if err != nil {
		return nil, fmt.Errorf("read the dimension values of survey %d: %w", surveyID, err)
	}
	table := quote(responseTable(surveyID))
	parts := make([]string, len(dims))
	for i, d := range dims {
		col := quote(dimensionColumn(d.ID))
		parts[i] = fmt.Sprintf("SELECT %d AS dim, %s AS value FROM %s WHERE %s IS NOT NULL AND %s <> '' GROUP BY %s",
			i, col, table, col, col, col)
		if kept {
			// The values the imports kept, in the same order (binary, as
			// GROUP BY sorts text).
			parts[i] = fmt.Sprintf("SELECT * FROM (SELECT %d AS dim, value FROM dimension_values WHERE dimension_id = %d "+
				"AND value <> '' GROUP BY value ORDER BY value) AS kept_values", i, d.ID)
		}
	}
	if err := s.db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL ")).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read the dimension values of survey %d: %w", surveyID, err)
	}
	// In byte order, as SQLite's GROUP BY gives them: PostgreSQL's GROUP BY
	// gives no order and its ORDER BY follows the database's collation, and
	// which spelling of a value is shown ("North" or "north") must not
	// depend on the database.
	slices.SortStableFunc(rows, func(a, b dimValueRow) int {
		return cmp.Or(cmp.Compare(a.Dim, b.Dim), strings.Compare(a.Value, b.Value))
	})
	seen := map[string]bool{}
	for _, r := range rows {
		code := dims[r.Dim].Code
		key := code + "\x00" + lowerASCII(strings.TrimSpace(r.Value))
		if seen[key] || len(out[code]) >= MaxDimensionValues {
			continue
		}
		seen[key] = true
		out[code] = append(out[code], strings.TrimSpace(r.Value))
	}
	for _, vs := range out {
		sort.Strings(vs)
	}
	return out, nil
}

// keptValues reports whether the values of every dimension of the survey
// (it has dims) are kept for every one of its imports (see
// migrations/0012_import_purged.sql).
func (s *Store) keptValues(ctx context.Context, surveyID int64, dims int) (bool, error) {
	var imports, kept int64
	err := s.db.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM imports WHERE survey_id = ?),
		(SELECT COUNT(*) FROM dimension_values_kept k JOIN imports i ON i.id = k.import_id WHERE i.survey_id = ?)`,
		surveyID, surveyID).Row().Scan(&imports, &kept)
	if err != nil {
		return false, err
	}
	return imports > 0 && kept == imports*int64(dims), nil
}

// lowerASCII lowers the ASCII letters of s only, as filters compare.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// dimValueRow is one value of the dimension at position Dim.
type dimValueRow struct {
	Dim   int    `gorm:"column:dim"`
	Value string `gorm:"column:value"`
}
