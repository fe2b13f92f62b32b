package table

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/heard-council/heard/importers/synthetic"
	"github.com/xuri/excelize/v2"
)

// benchWorkbook writes a generated survey of rows respondents as the
// benchmark generator does (inline strings), once per process.
func benchWorkbook(b *testing.B, rows int) string {
	b.Helper()
	if p := os.Getenv("HEARD_BENCH_XLSX"); p != "" {
		return p
	}
	p := filepath.Join(b.TempDir(), "survey.xlsx")
	if err := synthetic.WriteXLSX(p, rows, 1); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkXLSXScan reads a generated workbook through Open, as an import
// does (zip check included). HEARD_BENCH_XLSX names another workbook to
// read, such as one with shared strings.
func BenchmarkXLSXScan(b *testing.B) {
	p := benchWorkbook(b, 20_000)
	for b.Loop() {
		tab, _, err := Open(p, "bench.xlsx", Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, _, err := tab.Next()
			if err != nil {
				break
			}
			n++
		}
		tab.Close()
		if n == 0 {
			b.Fatal("no rows")
		}
	}
}

// BenchmarkXLSXExcelize reads the same workbook through excelize's
// streaming reader with raw values, the reader heard used before.
func BenchmarkXLSXExcelize(b *testing.B) {
	p := benchWorkbook(b, 20_000)
	for b.Loop() {
		f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: XLSXInMemory})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(f.GetSheetName(0))
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
		f.Close()
	}
}
