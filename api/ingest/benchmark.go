package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers"
	"github.com/heard-council/heard/importers/table"
)

// BenchmarkParams say how to import a benchmark file.
type BenchmarkParams struct {
	// Year is the financial year ("2020-21"); "" takes it from the file.
	Year   string
	Sheet  string
	Limits table.Limits
	By     analytics.Actor
	// Progress, if not nil, is told how many rows are stored so far (the
	// total is not known before the end: 0).
	Progress func(phase string, done, total int)
}

// BenchmarkReport is what became of one benchmark file: the object `heard
// benchmark import --json` prints.
type BenchmarkReport struct {
	File       string `json:"file"`
	Format     string `json:"format"`
	Sheet      string `json:"sheet,omitempty"`
	FileSHA256 string `json:"file_sha256"`
	// Years are the financial years the file held, each replacing what
	// was stored of it before.
	Years    []BenchmarkYearReport   `json:"years"`
	Warnings []string                `json:"warnings"`
	Errors   []analytics.ImportError `json:"errors"`
}

// BenchmarkYearReport is one year of a benchmark file as stored.
type BenchmarkYearReport struct {
	Year string `json:"year"`
	// Rows is the number of values stored; Missing how many of them the
	// file marks as not published (stored as missing, not zero).
	Rows    int `json:"rows"`
	Missing int `json:"missing"`
	// Replaced is the number of values of the year stored before and
	// replaced by this file.
	Replaced int `json:"replaced"`
}

// Refused reports whether the file was refused (nothing of it stored).
func (r *BenchmarkReport) Refused() bool { return len(r.Errors) > 0 }

// ImportBenchmarkFile imports NHS Digital's ASCOF open data from the file at
// path (a CSV file or a workbook), shown to people as name, replacing the
// year it holds, all in one transaction. A file that cannot be imported is
// not an error here: the report carries its problems and nothing is
// stored. The error is for failures of heard itself (the database, the
// disk).
func ImportBenchmarkFile(ctx context.Context, st *store.Store, path, name string, p BenchmarkParams) (*BenchmarkReport, error) {
	rep := &BenchmarkReport{File: name, Years: []BenchmarkYearReport{}, Warnings: []string{}, Errors: []analytics.ImportError{}}
	sum, err := importers.FileSHA256(path, nil)
	if err != nil {
		return refuseBenchmark(rep, &analytics.ImportError{File: name,
			Message: "heard cannot open this file: check the name and that you may read it (" + err.Error() + ")"})
	}
	rep.FileSHA256 = sum
	r, err := importers.OpenBenchmark(path, name, importers.BenchmarkOptions{Year: p.Year, Sheet: p.Sheet, Limits: p.Limits})
	if err != nil {
		return refuseBenchmark(rep, err)
	}
	defer r.Close()
	info := r.Info()
	rep.Format, rep.Sheet = info.Container, info.Sheet
	if p.Year != "" && r.NameYear() != "" && r.NameYear() != p.Year {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the file's name suggests %s, but it was imported as %s, as asked", r.NameYear(), p.Year))
	}
	var progress func(int)
	if p.Progress != nil {
		progress = func(done int) { p.Progress("storing", done, 0) }
	}
	years, err := st.ImportBenchmarks(ctx, store.BenchmarkRequest{File: name, SHA256: sum, Sheet: info.Sheet, By: p.By}, r.Next, progress)
	if err != nil {
		return refuseBenchmark(rep, err)
	}
	for _, y := range years {
		rep.Years = append(rep.Years, BenchmarkYearReport{Year: y.Year, Rows: y.Rows, Missing: y.Missing, Replaced: y.Replaced})
	}
	return rep, nil
}

// refuseBenchmark puts a problem with the file into the report, or returns
// a failure of heard itself as an error.
func refuseBenchmark(rep *BenchmarkReport, err error) (*BenchmarkReport, error) {
	var one *analytics.ImportError
	if errors.As(err, &one) {
		rep.Errors = append(rep.Errors, *one)
		rep.Years = []BenchmarkYearReport{}
		return rep, nil
	}
	return nil, fmt.Errorf("import benchmarks from %s: %w", rep.File, err)
}

// BenchmarkAuditEvent is the audit log's record of a refused or failed
// benchmark import (a stored one is recorded by the store itself).
func BenchmarkAuditEvent(who analytics.Actor, rep *BenchmarkReport, err error) analytics.AuditEvent {
	object, detail := "a benchmark file", "heard could not import it"
	outcome := analytics.OutcomeFailed
	if rep != nil {
		object = "benchmark file " + rep.File
		if err == nil && rep.Refused() {
			outcome, detail = analytics.OutcomeRefused, dashboards.Plural(len(rep.Errors), "problem")+" found"
		}
	}
	return analytics.NewAuditEvent(who, store.AuditBenchmarkImport, object, outcome, detail)
}
