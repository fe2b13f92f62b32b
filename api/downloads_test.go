package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/dashboards"
)

// workbook is what a downloaded workbook holds.
type workbook struct {
	sheets []string
	// texts are the text cells; numbers counts the number cells.
	texts   []string
	numbers int
}

// readWorkbook opens a downloaded workbook and asserts that no cell is a
// formula and every text cell is safe to open (dashboards.SafeCell leaves
// it as it is).
func readWorkbook(t testing.TB, body []byte) workbook {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	var wb workbook
	wb.sheets = f.GetSheetList()
	for _, sheet := range wb.sheets {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("sheet %q: %v", sheet, err)
		}
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s!%s is a formula: %q", sheet, cell, fm)
				}
				typ, err := f.GetCellType(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				switch typ {
				case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
					wb.texts = append(wb.texts, v)
					if dashboards.SafeCell(v) != v {
						t.Errorf("%s!%s: %q could run as a formula", sheet, cell, v)
					}
				case excelize.CellTypeNumber, excelize.CellTypeUnset:
					if v != "" {
						if _, err := strconv.ParseFloat(v, 64); err != nil {
							t.Errorf("%s!%s: %q is not a number", sheet, cell, v)
						}
						wb.numbers++
					}
				}
			}
		}
	}
	return wb
}

// readSafeCSV parses a CSV download and asserts that every cell that is
// not a number is safe to open in a spreadsheet.
func readSafeCSV(t testing.TB, body []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	for i, rec := range recs {
		for j, cell := range rec {
			if _, err := strconv.ParseFloat(cell, 64); err == nil {
				continue
			}
			if dashboards.SafeCell(cell) != cell {
				t.Errorf("line %d column %d: %q could run as a formula", i+1, j+1, cell)
			}
		}
	}
	return recs
}

// TestTrendsCSV checks the board's trend CSV: a download, a header and a
// line per metric, period and group, with disclosure control on.
func TestTrendsCSV(t *testing.T) {
	f := newPagesFixture(t)
	rec := get(t, f.h, "/api/v1/surveys/"+f.real+"/trends.csv?by=team&min_base=5")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != "attachment; filename="+f.real+"-trends.csv" {
		t.Errorf("Content-Disposition %q", cd)
	}
	recs := readSafeCSV(t, rec.Body.Bytes())
	if len(recs) < 3 || strings.Join(recs[0], ",") != "survey,metric,question,period,group,numerator,denominator,rate,ci_low,ci_high,suppressed,disclosure_policy,disclosure_rule,question_text" {
		t.Fatalf("header or lines: %q", recs)
	}
	suppressed := 0
	for _, r := range recs[1:] {
		if r[10] == "true" {
			suppressed++
			if r[5] != "" || r[7] != "" {
				t.Errorf("a suppressed line shows figures: %q", r)
			}
		}
	}
	if suppressed == 0 {
		t.Error("no line of a 40-response survey broken down by team is suppressed: is disclosure control on?")
	}
}
