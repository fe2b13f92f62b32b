package table

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRows and benchColumns size the generated benchmark files: a large
// month of survey responses.
const (
	benchRows    = 20_000
	benchColumns = 25
)

var benchAnswers = []string{"Very satisfied", "Quite satisfied", "Neither satisfied nor dissatisfied",
	"Quite dissatisfied", "Very dissatisfied", "Don't know"}

// benchRow is row r of the generated survey: an id, a date serial, a team
// and answers.
func benchRow(r int) []any {
	row := make([]any, benchColumns)
	row[0] = r
	row[1] = 45292 + float64(r%365) + 0.5
	row[2] = fmt.Sprintf("Team %d", r%12)
	for c := 3; c < benchColumns; c++ {
		row[c] = benchAnswers[(r*c)%len(benchAnswers)]
	}
	return row
}

// benchXLSX writes the benchmark workbook with excelize's StreamWriter.
func benchXLSX(b *testing.B) string {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	head := make([]any, benchColumns)
	for c := range head {
		head[c] = fmt.Sprintf("Question %d", c+1)
	}
	if err := sw.SetRow("A1", head); err != nil {
		b.Fatal(err)
	}
	for r := 1; r <= benchRows; r++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", r+1), benchRow(r)); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "bench.xlsx")
	if err := f.SaveAs(p); err != nil {
		b.Fatal(err)
	}
	return p
}

// benchCSV writes the same survey as CSV.
func benchCSV(b *testing.B) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	rec := make([]string, benchColumns)
	for r := 0; r <= benchRows; r++ {
		for c, v := range benchRow(r) {
			rec[c] = fmt.Sprint(v)
		}
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return p
}

// drainTable opens path and reads every row, returning the count.
func drainTable(b *testing.B, path string) int {
	t, _, err := Open(path, "bench", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	n := 0
	for {
		_, _, err := t.Next()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

func BenchmarkOpenTableXLSX(b *testing.B) {
	p := benchXLSX(b)
	for b.Loop() {
		if n := drainTable(b, p); n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
}

// BenchmarkExcelizeRows is the floor Open's XLSX reading is compared with:
// excelize streaming the same sheet with no checks.
func BenchmarkExcelizeRows(b *testing.B) {
	p := benchXLSX(b)
	for b.Loop() {
		f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 128 << 20})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := errors.Join(rows.Close(), f.Close()); err != nil || n != benchRows+1 {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
}

// BenchmarkCheckWorkbookZip is the extra cost Open adds before excelize.
func BenchmarkCheckWorkbookZip(b *testing.B) {
	p := benchXLSX(b)
	for b.Loop() {
		wb, err := checkWorkbookZip(p, "bench", DefaultLimits())
		if err != nil || wb.sheets[0].counts.rows != benchRows+1 {
			b.Fatalf("%+v, %v", wb, err)
		}
	}
}

func BenchmarkOpenTableCSV(b *testing.B) {
	p := benchCSV(b)
	for b.Loop() {
		if n := drainTable(b, p); n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
}

// BenchmarkEncodingCSV is the floor for CSV: encoding/csv on the raw file.
func BenchmarkEncodingCSV(b *testing.B) {
	p := benchCSV(b)
	for b.Loop() {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(string(data)))
		n := 0
		for {
			_, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
}
