package dashboards

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// readBack opens a written workbook.
func readBack(tb testing.TB, b []byte) *excelize.File {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("open the workbook: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// startsSafe reports whether a text cell begins with a character that no
// spreadsheet reads as the start of a formula.
func startsSafe(s string) bool {
	return s == "" || SafeCell(s) == s && !strings.ContainsRune(formulaStarts, []rune(s)[0])
}

func TestWorkbookHostile(t *testing.T) {
	var tables []Table
	for _, c := range hostileCharts(t, true) {
		tables = append(tables, c.Table)
	}
	extra := Table{Name: "=cmd|' /C calc'!A0", Caption: "\t=1+1", Columns: []string{"@x", "-y"},
		Rows: [][]Cell{{textCell("+1"), textCell("ok\x01\x02 control"), {Text: "85.0%", Value: new(0.85), Format: Percent}},
			{textCell(strings.Repeat("x", 40000)), CountCell(new(int64(1234))), textCell("＝1")}},
		Notes: []string{"=note"}}
	tables = append(tables, extra)
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, tables); err != nil {
		t.Fatal(err)
	}
	f := readBack(t, buf.Bytes())
	sheets := f.GetSheetList()
	if len(sheets) != len(tables) {
		t.Fatalf("%d sheets for %d tables", len(sheets), len(tables))
	}
	seen := map[string]bool{}
	texts, numbers := 0, 0
	for _, name := range sheets {
		if len(utf16.Encode([]rune(name))) > 31 || strings.ContainsAny(name, `[]:*?/\`) || seen[strings.ToLower(name)] ||
			strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
			t.Errorf("bad sheet name %q", name)
		}
		seen[strings.ToLower(name)] = true
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, err := f.GetCellFormula(name, cell)
				if err != nil || formula != "" {
					t.Errorf("%s!%s has the formula %q (%v)", name, cell, formula, err)
				}
				kind, err := f.GetCellType(name, cell)
				if err != nil {
					t.Fatal(err)
				}
				v := row[c]
				switch kind {
				case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
					texts++
					if !startsSafe(v) {
						t.Errorf("%s!%s starts unsafely: %.40q", name, cell, v)
					}
				case excelize.CellTypeUnset, excelize.CellTypeNumber:
					if v == "" {
						continue
					}
					numbers++
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						t.Errorf("%s!%s is not a number: %q", name, cell, v)
					}
				default:
					t.Errorf("%s!%s has type %v", name, cell, kind)
				}
			}
		}
	}
	if texts < 100 || numbers < 100 {
		t.Errorf("only %d text and %d number cells read back", texts, numbers)
	}
	checkExtraSheet(t, f, sheets[len(sheets)-1])
}

// checkExtraSheet checks the hand-made table: values, formats and the
// quote that makes text safe.
func checkExtraSheet(t *testing.T, f *excelize.File, name string) {
	t.Helper()
	for cell, want := range map[string]string{
		"A1": "'\t=1+1", "A2": "'@x", "B2": "'-y", "A3": "'+1", "B3": "ok\uFFFD\uFFFD control", "C3": "85.0%",
		"B4": "1,234", "C4": "'＝1", "A6": "'=note",
	} {
		got, err := f.GetCellValue(name, cell)
		if err != nil || got != want {
			t.Errorf("%s!%s = %q (%v), want %q", name, cell, got, err, want)
		}
	}
	long, _ := f.GetCellValue(name, "A4")
	if len(long) != 32767 {
		t.Errorf("a 40,000-character cell came back with %d characters, want Excel's 32,767", len(long))
	}
	raw, _ := f.GetCellValue(name, "C3", excelize.Options{RawCellValue: true})
	if raw != "0.85" {
		t.Errorf("the share is stored as %q, want 0.85", raw)
	}
}

func TestSheetNames(t *testing.T) {
	tests := []struct {
		name   string
		tables []Table
		want   []string
	}{
		{"from names and captions", []Table{{Name: "Trend"}, {Caption: "By team: May 2024"}},
			[]string{"Trend", "By team May 2024"}},
		{"long and repeated", []Table{{Name: strings.Repeat("a", 40)}, {Name: strings.Repeat("a", 40)}, {Name: strings.Repeat("A", 35)}},
			[]string{strings.Repeat("a", 31), strings.Repeat("a", 27) + " (2)", strings.Repeat("A", 27) + " (3)"}},
		{"forbidden characters and quotes", []Table{{Name: "'[Q1]/*?\\:'"}, {Name: "  "}, {Name: "history"}},
			[]string{"Q1", "Table 2", "Table 3"}},
		{"emoji count twice", []Table{{Name: strings.Repeat("😀", 20)}}, []string{strings.Repeat("😀", 15)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sheetNames(tc.tables)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("sheet names %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWorkbookNeedsTables(t *testing.T) {
	if err := WriteWorkbook(&bytes.Buffer{}, nil); err == nil {
		t.Error("no error for a workbook without tables")
	}
}
