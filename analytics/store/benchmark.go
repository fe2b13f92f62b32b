package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// BenchmarkYears lists the years of benchmarks stored, the latest first.
func (s *Store) BenchmarkYears(ctx context.Context) ([]BenchmarkYear, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT year, file, sha256, sheet, rows_read, missing, imported_by, imported_at
		FROM benchmark_years ORDER BY year DESC`).Rows()
	if err != nil {
		return nil, fmt.Errorf("list benchmark years: %w", err)
	}
	defer rows.Close()
	var out []BenchmarkYear
	for rows.Next() {
		var y BenchmarkYear
		var at string
		if err := rows.Scan(&y.Year, &y.File, &y.SHA256, &y.Sheet, &y.Rows, &y.Missing, &y.By, &at); err != nil {
			return nil, fmt.Errorf("list benchmark years: %w", err)
		}
		y.At = parseTime(at)
		out = append(out, y)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list benchmark years: %w", err)
	}
	return out, nil
}

// BenchmarkQuery chooses published figures: one measure of one year,
// optionally of one level of area, one disaggregation or one area.
type BenchmarkQuery struct {
	Year, Measure  string
	Level          analytics.BenchmarkLevel
	Disaggregation string
	// Area is an area key: its ONS code or NHS Digital's code.
	Area string
}

// Benchmarks returns the figures q chooses, one per area and
// disaggregation, councils first, then regions, council types and England,
// each by name. Measure, disaggregation and area are matched ignoring case.
func (s *Store) Benchmarks(ctx context.Context, q BenchmarkQuery) ([]analytics.Benchmark, error) {
	// Measure codes are stored in capitals (the reader writes them so),
	// which lets the primary key find a measure's rows.
	where := []string{"v.year = ?", "v.measure = ?"}
	args := []any{q.Year, strings.ToUpper(q.Measure)}
	if q.Level != "" {
		where, args = append(where, "a.level = ?"), append(args, string(q.Level))
	}
	if q.Disaggregation != "" {
		where, args = append(where, "UPPER(v.disaggregation) = UPPER(?)"), append(args, q.Disaggregation)
	}
	if q.Area != "" {
		where, args = append(where, "(UPPER(a.ons_code) = UPPER(?) OR UPPER(a.code) = UPPER(?))"), append(args, q.Area, q.Area)
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT v.year, v.measure, v.disaggregation, a.code, a.name, a.level, a.ons_code, v.kind, v.value
		FROM benchmark_values v JOIN benchmark_areas a ON a.year = v.year AND a.code = v.area
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY CASE a.level WHEN 'council' THEN 1 WHEN 'region' THEN 2 WHEN 'council-type' THEN 3 ELSE 4 END,
			a.name, a.code, v.disaggregation`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read benchmarks %s of %s: %w", q.Measure, q.Year, err)
	}
	defer rows.Close()
	var out []analytics.Benchmark
	for rows.Next() {
		var b analytics.Benchmark
		var level, kind string
		var value sql.NullFloat64
		if err := rows.Scan(&b.Year, &b.Measure, &b.Disaggregation, &b.Area.Code, &b.Area.Name, &level, &b.Area.ONSCode, &kind, &value); err != nil {
			return nil, fmt.Errorf("read benchmarks %s of %s: %w", q.Measure, q.Year, err)
		}
		b.Area.Level = analytics.BenchmarkLevel(level)
		if n := len(out); n == 0 || out[n-1].Area.Code != b.Area.Code || out[n-1].Disaggregation != b.Disaggregation {
			out = append(out, b)
		}
		if value.Valid {
			v := value.Float64
			out[len(out)-1].Set(analytics.BenchmarkType(kind), &v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read benchmarks %s of %s: %w", q.Measure, q.Year, err)
	}
	return out, nil
}

// LatestBenchmarkYear is the latest year with figures of measure
// (matched ignoring case), or ErrNotFound.
func (s *Store) LatestBenchmarkYear(ctx context.Context, measure string) (string, error) {
	var year sql.NullString
	err := s.db.WithContext(ctx).Raw("SELECT MAX(year) FROM benchmark_measures WHERE measure = ?", strings.ToUpper(measure)).Row().Scan(&year)
	if err != nil {
		return "", fmt.Errorf("find the latest benchmarks of %s: %w", measure, err)
	}
	if !year.Valid {
		return "", fmt.Errorf("benchmark measure %s: %w", measure, ErrNotFound)
	}
	return year.String, nil
}

// BenchmarkMeasures lists the measure codes of a year, in order.
func (s *Store) BenchmarkMeasures(ctx context.Context, year string) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Raw("SELECT measure FROM benchmark_measures WHERE year = ? ORDER BY measure", year).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list the benchmark measures of %s: %w", year, err)
	}
	return out, nil
}

// BenchmarkAreas lists the areas of one level in the latest year that has
// any, by name, with that year; none (and "") when no benchmarks are
// stored.
func (s *Store) BenchmarkAreas(ctx context.Context, level analytics.BenchmarkLevel) ([]analytics.BenchmarkArea, string, error) {
	var year sql.NullString
	db := s.db.WithContext(ctx)
	if err := db.Raw("SELECT MAX(year) FROM benchmark_areas WHERE level = ?", string(level)).Row().Scan(&year); err != nil {
		return nil, "", fmt.Errorf("list benchmark areas: %w", err)
	}
	if !year.Valid {
		return nil, "", nil
	}
	rows, err := db.Raw("SELECT code, name, level, ons_code FROM benchmark_areas WHERE year = ? AND level = ? ORDER BY name, code",
		year.String, string(level)).Rows()
	if err != nil {
		return nil, "", fmt.Errorf("list benchmark areas: %w", err)
	}
	defer rows.Close()
	var out []analytics.BenchmarkArea
	for rows.Next() {
		var a analytics.BenchmarkArea
		var lv string
		if err := rows.Scan(&a.Code, &a.Name, &lv, &a.ONSCode); err != nil {
			return nil, "", fmt.Errorf("list benchmark areas: %w", err)
		}
		a.Level = analytics.BenchmarkLevel(lv)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list benchmark areas: %w", err)
	}
	return out, year.String, nil
}

// FindBenchmarkArea finds an area of level by its ONS code, NHS Digital's
// code or its name (ignoring case), in the latest year that has it; it
// returns ErrNotFound when no stored year has it.
func (s *Store) FindBenchmarkArea(ctx context.Context, level analytics.BenchmarkLevel, text string) (analytics.BenchmarkArea, error) {
	t := strings.TrimSpace(text)
	var found []struct {
		Code, Name, ONSCode string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT code, name, ons_code AS ons_code FROM benchmark_areas
		WHERE level = ? AND (UPPER(ons_code) = UPPER(?) OR UPPER(code) = UPPER(?) OR UPPER(name) = UPPER(?))
		ORDER BY year DESC LIMIT 1`, string(level), t, t, t).Scan(&found).Error
	if err != nil {
		return analytics.BenchmarkArea{}, fmt.Errorf("find benchmark area %q: %w", t, err)
	}
	if len(found) == 0 || t == "" {
		return analytics.BenchmarkArea{}, fmt.Errorf("benchmark area %q: %w", t, ErrNotFound)
	}
	return analytics.BenchmarkArea{Code: found[0].Code, Name: found[0].Name, Level: level, ONSCode: found[0].ONSCode}, nil
}

// BenchmarkDescription is the description of a measure's group in a year
// ("Overall satisfaction of people who use services with their care and
// support"), or "" when the file gave none.
func (s *Store) BenchmarkDescription(ctx context.Context, year, measure string) (string, error) {
	var out []string
	err := s.db.WithContext(ctx).Raw("SELECT description FROM benchmark_measures WHERE year = ? AND measure = ?",
		year, strings.ToUpper(measure)).Scan(&out).Error
	if err != nil {
		return "", fmt.Errorf("read the description of benchmark measure %s of %s: %w", measure, year, err)
	}
	if len(out) == 0 {
		return "", nil
	}
	return out[0], nil
}
