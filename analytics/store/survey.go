package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// surveyRow is a row of surveys.
type surveyRow struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	Name        string `gorm:"column:name"`
	Slug        string `gorm:"column:slug"`
	Created     string `gorm:"column:created_at"`
	MappingJSON string `gorm:"column:mapping_json"`
}

// TableName tells gorm the table.
func (surveyRow) TableName() string { return "surveys" }

func (r surveyRow) survey() analytics.Survey {
	return analytics.Survey{ID: r.ID, Name: r.Name, Slug: r.Slug, CreatedAt: parseTime(r.Created)}
}

// SurveyByName returns the survey with this name, compared in SurveyName's
// form, or ErrNotFound.
func (s *Store) SurveyByName(ctx context.Context, name string) (analytics.Survey, error) {
	row, err := findSurveyByName(ctx, s.db, name)
	if err != nil {
		return analytics.Survey{}, fmt.Errorf("survey %q: %w", name, err)
	}
	return row.survey(), nil
}

// SurveyBySlug returns the survey with this slug, or ErrNotFound.
func (s *Store) SurveyBySlug(ctx context.Context, slug string) (analytics.Survey, error) {
	row, err := findSurvey(ctx, s.db, "slug = ?", slug)
	if err != nil {
		return analytics.Survey{}, fmt.Errorf("survey %q: %w", slug, err)
	}
	return row.survey(), nil
}

// findSurvey returns the one survey matching where, or ErrNotFound.
func findSurvey(ctx context.Context, db *gorm.DB, where string, arg any) (surveyRow, error) {
	row, err := gorm.G[surveyRow](db).Where(where, arg).Take(ctx)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return surveyRow{}, ErrNotFound
	}
	if err != nil {
		return surveyRow{}, fmt.Errorf("read surveys: %w", err)
	}
	return row, nil
}

// SurveyMapping returns a survey's saved mapping: its format and columns as
// last imported, and all its questions (with their options) and dimensions
// in stored order. It returns ErrNotFound for an unknown survey.
func (s *Store) SurveyMapping(ctx context.Context, survey string) (analytics.Mapping, error) {
	return surveyMapping(ctx, s.db, survey)
}

// surveyMapping reads a survey's saved mapping through db, which may be a
// transaction.
func surveyMapping(ctx context.Context, db *gorm.DB, survey string) (analytics.Mapping, error) {
	row, err := findSurveyByName(ctx, db, survey)
	if err != nil {
		return analytics.Mapping{}, fmt.Errorf("survey %q: %w", survey, err)
	}
	var m analytics.Mapping
	if err := json.Unmarshal([]byte(row.MappingJSON), &m); err != nil {
		return analytics.Mapping{}, fmt.Errorf("survey %q: read saved mapping: %w", survey, err)
	}
	m.Questions, m.Dimensions, err = loadQuestions(ctx, db, row.ID)
	if err != nil {
		return analytics.Mapping{}, fmt.Errorf("survey %q: %w", survey, err)
	}
	return m, nil
}

// summaryRow is a survey with the counts kept in the static tables.
type summaryRow struct {
	ID        int64  `gorm:"column:id"`
	Name      string `gorm:"column:name"`
	Slug      string `gorm:"column:slug"`
	Created   string `gorm:"column:created_at"`
	Questions int    `gorm:"column:questions"`
	Imports   int    `gorm:"column:imports"`
}

// Surveys lists the surveys by name, with their counts of responses,
// questions and imports and the London dates of their first and last
// submitted responses.
func (s *Store) Surveys(ctx context.Context) ([]analytics.SurveySummary, error) {
	var rows []summaryRow
	err := s.db.WithContext(ctx).Raw(`SELECT s.id, s.name, s.slug, s.created_at,
		(SELECT COUNT(*) FROM questions q WHERE q.survey_id = s.id) AS questions,
		(SELECT COUNT(*) FROM imports i WHERE i.survey_id = s.id) AS imports
		FROM surveys s ORDER BY s.name, s.id`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	// A survey's response table is created by its first import.
	var ids []int64
	for _, r := range rows {
		if r.Imports > 0 {
			ids = append(ids, r.ID)
		}
	}
	stats, err := s.responseStats(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	list := make([]analytics.SurveySummary, len(rows))
	for i, r := range rows {
		st := stats[r.ID]
		list[i] = analytics.SurveySummary{
			Survey:    surveyRow{ID: r.ID, Name: r.Name, Slug: r.Slug, Created: r.Created}.survey(),
			Responses: st.Responses,
			Questions: r.Questions,
			Imports:   r.Imports,
			FirstDate: st.First.String,
			LastDate:  st.Last.String,
		}
	}
	return list, nil
}

// responseStat is a survey's count of responses and the London dates of
// its first and last.
type responseStat struct {
	SurveyID  int64          `gorm:"column:survey_id"`
	Responses int64          `gorm:"column:responses"`
	First     sql.NullString `gorm:"column:first_day"`
	Last      sql.NullString `gorm:"column:last_day"`
}

// responseStats counts the responses of the surveys ids in one query per
// 400 surveys (SQLite allows 500 SELECTs in a UNION).
func (s *Store) responseStats(ctx context.Context, ids []int64) (map[int64]responseStat, error) {
	stats := make(map[int64]responseStat, len(ids))
	for chunk := range slices.Chunk(ids, 400) {
		parts := make([]string, len(chunk))
		for i, id := range chunk {
			// The count from the imports, and MIN and MAX each alone, which
			// SQLite answers from the day index at once: together in one
			// SELECT they read every response.
			parts[i] = fmt.Sprintf("SELECT %d AS survey_id, (SELECT COALESCE(SUM(added - purged), 0) FROM imports WHERE survey_id = %d) AS responses, "+
				"(SELECT MIN(day) FROM %s) AS first_day, (SELECT MAX(day) FROM %s) AS last_day",
				id, id, quote(responseTable(id)), quote(responseTable(id)))
		}
		var rows []responseStat
		if err := s.db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL ")).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("count responses: %w", err)
		}
		for _, r := range rows {
			stats[r.SurveyID] = r
		}
	}
	return stats, nil
}

// surveyForImport returns the survey called name (in SurveyName's form),
// creating it with that form of the name and a unique slug when it does not
// exist yet. created says which.
func surveyForImport(ctx context.Context, tx *gorm.DB, name string) (surveyRow, bool, error) {
	name = SurveyName(name)
	if name == "" {
		return surveyRow{}, false, errors.New("no survey name given: choose the survey the file belongs to")
	}
	row, err := findSurveyByName(ctx, tx, name)
	if err == nil {
		return row, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return surveyRow{}, false, err
	}
	slug, err := uniqueSlug(ctx, tx, slugify(name))
	if err != nil {
		return surveyRow{}, false, err
	}
	row = surveyRow{Name: name, Slug: slug, Created: formatTime(tx.NowFunc()), MappingJSON: "{}"}
	if err := gorm.G[surveyRow](tx).Create(ctx, &row); err != nil {
		return surveyRow{}, false, fmt.Errorf("create survey %q: %w", name, err)
	}
	return row, true, nil
}

// uniqueSlug returns base, or base-2, base-3... whichever is free.
func uniqueSlug(ctx context.Context, tx *gorm.DB, base string) (string, error) {
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		_, err := findSurvey(ctx, tx, "slug = ?", slug)
		if errors.Is(err, ErrNotFound) {
			return slug, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// slugify turns a survey name into lower-case ASCII words joined by
// hyphens: "People feedback — assessment & care" becomes
// "people-feedback-assessment-care". Accents are dropped (é -> e).
func slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "survey"
	}
	return b.String()
}
