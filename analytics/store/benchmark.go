package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// The audit log's actions for benchmarks.
const (
	AuditBenchmarkImport  analytics.AuditAction = "benchmark-import"
	AuditBenchmarkCouncil analytics.AuditAction = "benchmark-council"
)

// BenchmarkRequest is one benchmark file to store.
type BenchmarkRequest struct {
	// File is the file's name as people know it; SHA256 its digest; Sheet
	// the worksheet read, if a workbook.
	File, SHA256, Sheet string
	By                  analytics.Actor
}

// BenchmarkYear is one financial year of benchmarks as stored: the file it
// came from, its rows, and how many of them the file marks as not
// published.
type BenchmarkYear struct {
	Year, File, SHA256, Sheet string
	Rows, Missing             int
	By                        string
	At                        time.Time
	// Replaced is the number of this year's values stored before the
	// import that replaced them (0 on a first import); set by
	// ImportBenchmarks only.
	Replaced int
}

// ImportBenchmarks stores a benchmark file in one transaction: each year
// the file holds replaces every value stored before for that year, and a
// failure (or a killed process) leaves the years as they were. next
// returns the file's values one at a time with their row numbers, then
// io.EOF; an error from it is returned as it is. A value repeated in the
// file (the same year, measure, disaggregation, area and type) is an
// *analytics.ImportError naming its row. progress, when not nil, is
// called about every 1,000 rows with the number stored so far.
func (s *Store) ImportBenchmarks(ctx context.Context, req BenchmarkRequest,
	next func() (analytics.BenchmarkValue, int, error), progress func(done int)) ([]BenchmarkYear, error) {
	if next == nil {
		return nil, errors.New("import benchmarks: no values given")
	}
	var years []BenchmarkYear
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		w := &benchmarkWriter{ctx: ctx, tx: tx, pool: tx.Statement.ConnPool, req: req, now: tx.NowFunc(),
			years: map[string]*yearWriting{}}
		defer w.close()
		var err error
		years, err = w.write(next, progress)
		return err
	})
	if err != nil {
		var src sourceError
		var bad *analytics.ImportError
		switch {
		case errors.As(err, &src):
			return nil, src.err
		case errors.As(err, &bad):
			return nil, bad
		}
		return nil, fmt.Errorf("import benchmarks from %s: %w", req.File, err)
	}
	return years, nil
}

// benchmarkWriter is one benchmark import inside its transaction.
type benchmarkWriter struct {
	ctx    context.Context
	tx     *gorm.DB
	pool   gorm.ConnPool
	req    BenchmarkRequest
	now    time.Time
	insert *sql.Stmt
	// years are the years met so far, in the order met.
	years map[string]*yearWriting
	order []string
}

// yearWriting is what an import has written of one year.
type yearWriting struct {
	stored   BenchmarkYear
	areas    map[string]bool
	measures map[string]bool
}

func (w *benchmarkWriter) close() {
	if w.insert != nil {
		w.insert.Close()
	}
}

// write stores every value next gives and then each year's record.
func (w *benchmarkWriter) write(next func() (analytics.BenchmarkValue, int, error), progress func(int)) ([]BenchmarkYear, error) {
	var err error
	w.insert, err = w.pool.PrepareContext(w.ctx,
		"INSERT INTO benchmark_values (year, measure, disaggregation, area, kind, value) VALUES (?, ?, ?, ?, ?, ?)")
	if err != nil {
		return nil, fmt.Errorf("prepare the insert of benchmark values: %w", err)
	}
	done := 0
	for {
		v, row, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, sourceError{err}
		}
		if err := w.value(v, row); err != nil {
			return nil, err
		}
		if done++; progress != nil && done%1000 == 0 {
			progress(done)
		}
	}
	if len(w.order) == 0 {
		return nil, &analytics.ImportError{File: w.req.File, Sheet: w.req.Sheet,
			Message: "the file has column headings but no values; download NHS Digital's ASCOF open data file again"}
	}
	var out []BenchmarkYear
	for _, y := range w.order {
		st := w.years[y].stored
		err := w.tx.WithContext(w.ctx).Exec("UPDATE benchmark_years SET rows_read = ?, missing = ? WHERE year = ?",
			st.Rows, st.Missing, y).Error
		if err != nil {
			return nil, fmt.Errorf("record benchmark year %s: %w", y, err)
		}
		detail := fmt.Sprintf("%s: %d values, %d not published", w.req.File, st.Rows, st.Missing)
		if st.Replaced > 0 {
			detail += fmt.Sprintf("; replaced %d values imported before", st.Replaced)
		}
		if err := writeAudit(w.ctx, w.tx, analytics.NewAuditEvent(w.req.By, AuditBenchmarkImport, "benchmarks "+y,
			analytics.OutcomeOK, detail)); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// value stores one value, starting its year, area and measure when they are
// new to this import.
func (w *benchmarkWriter) value(v analytics.BenchmarkValue, row int) error {
	y, err := w.year(v.Year)
	if err != nil {
		return err
	}
	if !y.areas[v.Area.Code] {
		err := w.tx.WithContext(w.ctx).Exec("INSERT INTO benchmark_areas (year, code, name, level, ons_code) VALUES (?, ?, ?, ?, ?)",
			v.Year, v.Area.Code, v.Area.Name, string(v.Area.Level), v.Area.ONSCode).Error
		if err != nil {
			return fmt.Errorf("store benchmark area %s of %s: %w", v.Area.Code, v.Year, err)
		}
		y.areas[v.Area.Code] = true
	}
	if !y.measures[v.Measure] {
		err := w.tx.WithContext(w.ctx).Exec("INSERT INTO benchmark_measures (year, measure, grp, description) VALUES (?, ?, ?, ?)",
			v.Year, v.Measure, v.Group, v.GroupDescription).Error
		if err != nil {
			return fmt.Errorf("store benchmark measure %s of %s: %w", v.Measure, v.Year, err)
		}
		y.measures[v.Measure] = true
	}
	var value any
	if v.Value != nil {
		value = *v.Value
	} else {
		y.stored.Missing++
	}
	if _, err := w.insert.ExecContext(w.ctx, v.Year, v.Measure, v.Disaggregation, v.Area.Code, string(v.Type), value); err != nil {
		var sqlErr sqlite3.Error
		if errors.As(err, &sqlErr) && sqlErr.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
			return &analytics.ImportError{File: w.req.File, Sheet: w.req.Sheet, Row: row,
				Message: fmt.Sprintf("this row repeats a value given on an earlier row (%s, measure %s, %s, %s, %s); "+
					"each value may be given once: remove one of the two rows", v.Year, v.Measure, v.Disaggregation, v.Area.Name, v.Type)}
		}
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return fmt.Errorf("insert benchmark values: %w", ctxErr)
		}
		return fmt.Errorf("insert benchmark value of row %d: %w", row, err)
	}
	y.stored.Rows++
	return nil
}

// year returns what this import has written of year, replacing what was
// stored of it before on first meeting it.
func (w *benchmarkWriter) year(year string) (*yearWriting, error) {
	if y, ok := w.years[year]; ok {
		return y, nil
	}
	y := &yearWriting{areas: map[string]bool{}, measures: map[string]bool{},
		stored: BenchmarkYear{Year: year, File: w.req.File, SHA256: w.req.SHA256, Sheet: w.req.Sheet, By: w.req.By.Who, At: w.now}}
	var replaced int64
	db := w.tx.WithContext(w.ctx)
	if err := db.Raw("SELECT COUNT(*) FROM benchmark_values WHERE year = ?", year).Row().Scan(&replaced); err != nil {
		return nil, fmt.Errorf("count the benchmarks of %s: %w", year, err)
	}
	y.stored.Replaced = int(replaced)
	// The areas, measures and values of the year go with it (ON DELETE
	// CASCADE); deleting them first keeps the cascade's work small.
	for _, table := range []string{"benchmark_values", "benchmark_areas", "benchmark_measures", "benchmark_years"} {
		if err := db.Exec("DELETE FROM "+table+" WHERE year = ?", year).Error; err != nil {
			return nil, fmt.Errorf("replace the benchmarks of %s: %w", year, err)
		}
	}
	err := db.Exec(`INSERT INTO benchmark_years (year, file, sha256, sheet, rows_read, missing, imported_by, imported_at)
		VALUES (?, ?, ?, ?, 0, 0, ?, ?)`, year, w.req.File, w.req.SHA256, w.req.Sheet, w.req.By.Who, formatTime(w.now)).Error
	if err != nil {
		return nil, fmt.Errorf("record benchmark year %s: %w", year, err)
	}
	w.years[year] = y
	w.order = append(w.order, year)
	return y, nil
}

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

// SetBenchmarkCouncil records the council this deployment serves and its
// region (area keys), or forgets them when c.Council is "", and records
// the change in the audit log.
func (s *Store) SetBenchmarkCouncil(ctx context.Context, c analytics.BenchmarkCouncil, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		if err := db.Exec("DELETE FROM benchmark_council").Error; err != nil {
			return fmt.Errorf("set the council: %w", err)
		}
		detail := "none"
		if c.Council != "" {
			err := db.Exec("INSERT INTO benchmark_council (id, council, region, set_by, set_at) VALUES (1, ?, ?, ?, ?)",
				c.Council, c.Region, by.Who, formatTime(tx.NowFunc())).Error
			if err != nil {
				return fmt.Errorf("set the council: %w", err)
			}
			detail = "council " + c.Council + ", region " + c.Region
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditBenchmarkCouncil, "benchmark council", analytics.OutcomeOK, detail))
	})
}

// BenchmarkCouncil returns the council this deployment serves, as an admin
// chose it, and whether one was chosen.
func (s *Store) BenchmarkCouncil(ctx context.Context) (analytics.BenchmarkCouncil, bool, error) {
	var rows []struct {
		Council, Region, SetBy, SetAt string
	}
	err := s.db.WithContext(ctx).Raw("SELECT council, region, set_by, set_at FROM benchmark_council WHERE id = 1").Scan(&rows).Error
	if err != nil {
		return analytics.BenchmarkCouncil{}, false, fmt.Errorf("read the council: %w", err)
	}
	if len(rows) == 0 {
		return analytics.BenchmarkCouncil{}, false, nil
	}
	r := rows[0]
	return analytics.BenchmarkCouncil{Council: r.Council, Region: r.Region, SetBy: r.SetBy, SetAt: r.SetAt}, true, nil
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
