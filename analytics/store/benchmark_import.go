package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

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
		if isPrimaryKeyConflict(err) {
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
