package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// Ticks returns, month by month, how many responses of a survey answered a
// multiple-choice question and how many ticked each of its options, under
// the query's dates and filters (its By is ignored), aggregated in SQL. A
// multiple-choice answer is stored as ";0;3;", so an option is ticked when
// the column holds ";k;"; the patterns are bound parameters.
func (s *Store) Ticks(ctx context.Context, surveyID int64, q CountQuery) ([]analytics.TickCount, error) {
	qs, ds, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	q.By = nil
	p, err := planQuery(surveyID, qs, ds, q, "multiple-choice", analytics.KindMulti)
	if err != nil {
		return nil, fmt.Errorf("count ticks of survey %d: %w", surveyID, err)
	}
	question, _ := findQuestion(qs, q.Question)
	if !s.db.WithContext(ctx).Migrator().HasTable(p.table) {
		return nil, nil
	}
	cols := []string{"month", "COUNT(*)"}
	var args []any
	for k := range question.Options {
		cols = append(cols, fmt.Sprintf("SUM(CASE WHEN %s LIKE ? THEN 1 ELSE 0 END)", p.question))
		args = append(args, "%;"+strconv.Itoa(k)+";%")
	}
	where := append([]string{p.question + " IS NOT NULL"}, p.where...)
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s GROUP BY month ORDER BY month",
		strings.Join(cols, ", "), quote(p.table), strings.Join(where, " AND "))
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, append(args, p.args...)...)
	if err != nil {
		return nil, fmt.Errorf("count ticks of survey %d: %w", surveyID, err)
	}
	defer rows.Close()
	var out []analytics.TickCount
	for rows.Next() {
		var month sql.NullString
		t := analytics.TickCount{Ticked: make([]int64, len(question.Options))}
		dest := []any{&month, &t.Answered}
		for k := range t.Ticked {
			dest = append(dest, &t.Ticked[k])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("count ticks of survey %d: %w", surveyID, err)
		}
		t.Month = month.String
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count ticks of survey %d: %w", surveyID, err)
	}
	return out, nil
}

// Numbers returns the answers to a number question of a survey, under the
// query's dates and filters (its By is ignored), in no particular order. A
// median needs every value, so they are read, not aggregated: 100,000
// answers are 800 kB.
func (s *Store) Numbers(ctx context.Context, surveyID int64, q CountQuery) ([]float64, error) {
	qs, ds, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	q.By = nil
	p, err := planQuery(surveyID, qs, ds, q, "number", analytics.KindNumber)
	if err != nil {
		return nil, fmt.Errorf("read numbers of survey %d: %w", surveyID, err)
	}
	if !s.db.WithContext(ctx).Migrator().HasTable(p.table) {
		return nil, nil
	}
	where := append([]string{p.question + " IS NOT NULL"}, p.where...)
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s", p.question, quote(p.table), strings.Join(where, " AND "))
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, p.args...)
	if err != nil {
		return nil, fmt.Errorf("read numbers of survey %d: %w", surveyID, err)
	}
	defer rows.Close()
	var out []float64
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read numbers of survey %d: %w", surveyID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read numbers of survey %d: %w", surveyID, err)
	}
	return out, nil
}
