package table

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// wantCell is one cell a test checks: 1-based sheet row and column letters.
type wantCell struct {
	row   int
	col   string
	value string
}

// cellAt finds the cell at sheet row row, column col in what a table gave.
func (tr tableRows) cellAt(row int, col string) (string, bool) {
	for i, r := range tr.rows {
		if r != row {
			continue
		}
		for c := range tr.cells[i] {
			if columnName(c+1) == col {
				return tr.cells[i][c], true
			}
		}
		return "", true
	}
	return "", false
}

func TestRealWorkbooks(t *testing.T) {
	dir := externalDir(t)
	// Values were read independently from the sheet XML and shared strings with Python's zipfile and
	// ElementTree; row counts match PROVENANCE.md (heading row + responses).
	tests := []struct {
		file     string
		sheet    string // option; "" = the first with data
		wantName string
		sheets   []string
		date1904 bool
		rows     int
		cells    []wantCell
	}{
		{"ascof-nhs-digital/meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx", "", "in", []string{"in"}, false,
			48971, []wantCell{{1, "A", "Geographical Code"}, {1, "H", "Measure Value"}, {2, "H", "[x]"},
				{32847, "B", "Kirklees"}, {32847, "E", "3A"}, {32847, "G", "Outcome"}, {32847, "H", "66.7"},
				{48971, "A", "YH"}}},
		{"msforms-phonebrandpred/surveyEng.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 29,
			[]wantCell{{1, "A", "ID"}, {2, "B", "44314.4734606481"}, {2, "F", "Apple"}, {29, "I", "Somewhat satisfied"}}},
		{"googleforms-uvads-hotdog/fa25_Is_hotdog_a_sandwich_Responses.xlsx", "", "Form Responses 1",
			[]string{"Form Responses 1"}, false, 208,
			[]wantCell{{1, "A", "Timestamp"}, {2, "A", "45898.72079423611"}, {2, "C", "Yes"}, {208, "C", "Yes"}}},
		{"limesurvey-artifact-survey/results-survey54231.xlsx", "", "Artifact Evaluation Survey",
			[]string{"Artifact Evaluation Survey"}, false, 258,
			[]wantCell{{1, "A", "id"}, {2, "A", "4"}, {2, "B", "2019-06-28 09:05:58"}, {258, "A", "273"}}},
		{"kobotoolbox-kobocruncher/data.xlsx", "", "Sample Dataset KoboloadeR",
			[]string{"Sample Dataset KoboloadeR", "members"}, false, 6, []wantCell{{1, "A", "start"}}},
		{"kobotoolbox-kobocruncher/data.xlsx", "members", "members",
			[]string{"Sample Dataset KoboloadeR", "members"}, false, 13,
			[]wantCell{{1, "A", "members.age"}, {1, "C", "_index"}}},
		{"kobotoolbox-kobocruncher/data.xlsx", "MEMBERS", "members",
			[]string{"Sample Dataset KoboloadeR", "members"}, false, 13, nil},
		{"kobotoolbox-kobocruncher/data_likert.xlsx", "", "test_likert", []string{"test_likert"}, false, 121,
			[]wantCell{{1, "A", "group_pm0cj55.return_ven"}, {2, "A", "unlikely"}, {121, "R", "likely"}}},
		{"calamine-testfiles/date.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 3,
			[]wantCell{{1, "A", "44197"}, {1, "B", "15"}}},
		// The same dates as date.xlsx, 1462 days lower in the 1904 system.
		{"calamine-testfiles/date_1904.xlsx", "", "Sheet1", []string{"Sheet1"}, true, 3,
			[]wantCell{{1, "A", "42735"}, {1, "B", "15"}}},
		{"tealeg-xlsx-testdocs/empty_rows.xlsx", "", "EmptyRows", []string{"EmptyRows", "EmptyCols", "EmptyRowsAndCols"},
			true, 2, []wantCell{{3, "A", "A3"}, {3, "B", "B3"}}},
		{"tealeg-xlsx-testdocs/testcelltypes.xlsx", "", "Sheet1", []string{"Sheet1"}, true, 8,
			[]wantCell{{1, "A", "hello world"}}},
		{"tealeg-xlsx-testdocs/testFileToSliceValueOnly.xlsx", "", "data", []string{"data", "data2", "data3"}, false, 2,
			[]wantCell{{1, "A", "Foo"}, {1, "B", "Bar"}}},
		{"tealeg-xlsx-testdocs/testchartsheet.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 5,
			[]wantCell{{1, "A", "Value"}}},
		{"calamine-testfiles/any_sheets.xlsx", "", "Visible", []string{"Visible", "Hidden", "VeryHidden"}, false, 4, nil},
		{"tealeg-xlsx-testdocs/namespaced.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 2, nil},
		{"calamine-testfiles/strict_iso_paths.xlsx", "", "ml_out", []string{"ml_out"}, false, 76,
			[]wantCell{{1, "A", "Item"}, {1, "B", "Thickness"}}},
		{"calamine-testfiles/has_x000D_.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 1,
			[]wantCell{{1, "A", "ABC\r\nDEF"}}},
		{"calamine-testfiles/inlineStr_cdata.xlsx", "", "Sheet1", []string{"Sheet1"}, false, 2,
			[]wantCell{{1, "A", "Hello CDATA"}}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file)+"/"+tt.sheet, func(t *testing.T) {
			got := mustRead(t, filepath.Join(dir, tt.file), Options{Sheet: tt.sheet})
			if got.info.Container != "xlsx" || got.info.Sheet != tt.wantName || got.info.Date1904 != tt.date1904 ||
				!reflect.DeepEqual(got.info.Sheets, tt.sheets) {
				t.Errorf("info = %+v, want sheet %q of %q, Date1904 %v", got.info, tt.wantName, tt.sheets, tt.date1904)
			}
			if len(got.cells) != tt.rows {
				t.Errorf("%d rows, want %d", len(got.cells), tt.rows)
			}
			for _, w := range tt.cells {
				if v, ok := got.cellAt(w.row, w.col); !ok || v != w.value {
					t.Errorf("%s%d = %q (row found: %v), want %q", w.col, w.row, v, ok, w.value)
				}
			}
		})
	}
}

// brokenWorkbooks are the files in the sample folders that must be refused;
// TestBrokenRealFiles checks their messages.
var brokenWorkbooks = map[string]bool{
	"pass_protected.xlsx": true, "encryptAES.xlsx": true, "BadWorkbook.xlsx": true,
	"badfile_noWorkbookRels.xlsx": true, "badfile_noWorksheets.xlsx": true,
	"empty_sheet.xlsx": true, "empty_s_attribute.xlsx": true,
}

func TestEveryRealWorkbookReads(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(externalDir(t), "*", "*.xlsx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workbooks found: %v", err)
	}
	for _, p := range files {
		// The large ASCOF workbook is read in full by TestRealWorkbooks already.
		if brokenWorkbooks[filepath.Base(p)] || strings.HasPrefix(filepath.Base(p), "meas-from-asc-of-eng") {
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			got := mustRead(t, p, Options{})
			if len(got.cells) == 0 {
				t.Fatal("no rows")
			}
			for i := 1; i < len(got.rows); i++ {
				if got.rows[i] <= got.rows[i-1] {
					t.Fatalf("row numbers not increasing: %v", got.rows)
				}
			}
		})
	}
}

func TestGeneratedWorkbooks(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		sst   string
		want  [][]string
		rows  []int
		fault string // "" = reads; else the message kind
		row   int
	}{
		{"shared, inline and numbers", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Ann</t></is></c><c r="B3"><v>4.5</v></c>` +
			`<c r="D3" t="str"><f>1+1</f><v>2</v></c></row>`,
			sstOf("name", "score"), [][]string{{"name", "score"}, {"Ann", "4.5", "", "2"}}, []int{1, 3}, "", 0},
		{"cells without references", `<row><c t="s"><v>0</v></c><c><v>7</v></c></row><row><c/><c><v>8</v></c></row>`,
			sstOf("a"), [][]string{{"a", "7"}, {"", "8"}}, []int{1, 2}, "", 0},
		{"empty and blank rows skipped", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" s="3"/></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>  </t></is></c></row><row r="4"><c r="B4" t="s"><v>1</v></c></row>`,
			sstOf("x", "y"), [][]string{{"1"}, {"", "y"}}, []int{1, 4}, "", 0},
		{"empty shared string", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
			sstOf("", "b"), [][]string{{"", "b"}}, []int{1}, "", 0},
		{"prefixed elements", `<row r="1"><c r="A1"><v>1</v></c></row>`, "", [][]string{{"1"}}, []int{1}, "", 0},
		{"shared string index out of range", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>5</v></c></row>`, sstOf("a"), nil, nil, "unusual", 2},
		{"shared string index not a number", `<row r="1"><c r="A1" t="s"><v>x</v></c></row>`, sstOf("a"),
			nil, nil, "unusual", 1},
		{"shared strings part missing", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, "", nil, nil, "unusual", 1},
		{"cells out of order", `<row r="1"><c r="B1"><v>2</v></c><c r="A1"><v>1</v></c></row>`, "",
			nil, nil, "unusual", 1},
		{"rows out of order", `<row r="2"><c r="A2"><v>2</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>`, "",
			nil, nil, "unusual", 1},
		{"cell in the wrong row", `<row r="1"><c r="A5"><v>2</v></c></row>`, "", nil, nil, "unusual", 1},
		{"column past XFD", `<row r="1"><c r="XFE1"><v>2</v></c></row>`, "", nil, nil, "unusual", 1},
		{"empty style number", `<row r="1"><c r="A1" s=""><v>2</v></c></row>`, "", nil, nil, "unusual", 1},
		{"shared strings bomb", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
			`<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
				`<sst ` + nsMain + `><si><t>&b;</t></si></sst>`, nil, nil, "unusual", 0},
		{"shared strings cut short", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
			`<sst ` + nsMain + `><si><t>a</t></si><si><t>b</t>`, nil, nil, "unusual", 1},
		{"sheet bomb", `<row r="1"><c r="A1"><v>1</v></c></row>`, "", nil, nil, "unusual", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := workbookParts(tt.data, tt.sst)
			switch tt.name {
			case "prefixed elements":
				parts[4].body = `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
					`<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`
			case "sheet bomb":
				parts[4].body = `<!DOCTYPE worksheet [<!ENTITY a "1">]>` + parts[4].body
			}
			p := writeTemp(t, "made.xlsx", buildZip(t, parts))
			got, err := readTable(t, p, Options{})
			if tt.fault != "" {
				if err == nil {
					t.Fatalf("read %q without error", got.cells)
				}
				ie := importError(t, err)
				if k := messageKind(ie.Message); k != tt.fault || ie.Row != tt.row {
					t.Errorf("kind %q row %d (%s); want %q row %d", k, ie.Row, ie.Message, tt.fault, tt.row)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.cells, tt.want) || !reflect.DeepEqual(got.rows, tt.rows) {
				t.Errorf("got %q at rows %v, want %q at rows %v", got.cells, got.rows, tt.want, tt.rows)
			}
		})
	}
}

func TestSheetOption(t *testing.T) {
	dir := externalDir(t)
	tests := []struct {
		file, sheet, message string
	}{
		{"kobotoolbox-kobocruncher/data.xlsx", "Households",
			`the workbook has no sheet called "Households"; its sheets are "Sample Dataset KoboloadeR", "members"`},
		{"tealeg-xlsx-testdocs/testchartsheet.xlsx", "Chart1", `the sheet "Chart1" is a chart, not a table`},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			_, err := readTable(t, filepath.Join(dir, tt.file), Options{Sheet: tt.sheet})
			if ie := importError(t, err); !strings.HasPrefix(ie.Message, tt.message) {
				t.Errorf("message %q, want it to start %q", ie.Message, tt.message)
			}
		})
	}
}

func TestWorkbookLimits(t *testing.T) {
	var rows strings.Builder
	for r := 1; r <= 5; r++ {
		rows.WriteString(`<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c t="inlineStr"><is><t>` +
			strings.Repeat("z", 20) + `</t></is></c></row>`)
	}
	p := writeTemp(t, "limits.xlsx", buildZip(t, workbookParts(rows.String(), "")))
	tests := []struct {
		name    string
		lim     Limits
		row     int
		column  string
		message string
	}{
		{"rows", Limits{MaxRows: 3}, 4, "", "more than 3 rows"},
		{"columns", Limits{MaxColumns: 3}, 1, "", "more than 3 columns"},
		{"cell", Limits{MaxCellBytes: 10}, 1, "D", "more than 10 bytes"},
		{"unzipped size", Limits{MaxUnzippedBytes: 500}, 0, "", "expands to more than 500 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTable(t, p, Options{Limits: tt.lim})
			ie := importError(t, err)
			if messageKind(ie.Message) != "too-big" || ie.Row != tt.row || ie.Column != tt.column ||
				!strings.Contains(ie.Message, tt.message) {
				t.Errorf("got row %d column %q %q; want row %d column %q and %q",
					ie.Row, ie.Column, ie.Message, tt.row, tt.column, tt.message)
			}
		})
	}
	if got := mustRead(t, p, Options{Limits: Limits{MaxRows: 5, MaxColumns: 4, MaxCellBytes: 20}}); len(got.cells) != 5 {
		t.Errorf("at the limits: %d rows, want 5", len(got.cells))
	}
}

// TestCountMismatchIsRefused checks the last line of defence: when excelize
// yields fewer values than the zip check counted, the table fails at the end
// instead of returning a short sheet.
func TestCountMismatchIsRefused(t *testing.T) {
	p := filepath.Join(externalDir(t), "calamine-testfiles", "date.xlsx")
	tab, _, err := Open(p, "date.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	tab.(*xlsxTable).want.cells++
	for {
		_, _, err = tab.Next()
		if err != nil {
			break
		}
	}
	if errors.Is(err, io.EOF) || messageKind(importError(t, err).Message) != "unusual" {
		t.Fatalf("err = %v, want an unusual-workbook error", err)
	}
	if _, _, again := tab.Next(); again != err {
		t.Errorf("Next after the failure = %v, want the same error", again)
	}
}

func TestRealWorkbookCountsMatchScan(t *testing.T) {
	// Counted independently from the sheet XML (cells with a non-empty value).
	p := filepath.Join(externalDir(t), "ascof-nhs-digital", "meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx")
	wb, err := checkWorkbookZip(p, "ascof.xlsx", DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if c := wb.sheets[0].counts; c.rows != 48971 || c.cells != 488235 || c.problem != "" {
		t.Errorf("counts = %+v, want 48971 rows and 488235 cells", c)
	}
}

func TestHiddenSheetIsNotChosenFirst(t *testing.T) {
	parts := workbookParts(`<row r="1"><c r="A1"><v>1</v></c></row>`, "")
	parts[2].body = `<workbook ` + nsMain + ` ` + nsRel + `><sheets>` +
		`<sheet name="Lookups" sheetId="1" state="hidden" r:id="rId1"/>` +
		`<sheet name="Responses" sheetId="2" r:id="rId3"/></sheets></workbook>`
	parts[3].body = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relDoc + `worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId3" Type="` + relDoc + `worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>`
	parts = append(parts, zipPart{"xl/worksheets/sheet2.xml", `<worksheet ` + nsMain + `><sheetData>` +
		`<row r="2"><c r="B2" t="inlineStr"><is><t>answer</t></is></c></row></sheetData></worksheet>`})
	got := mustRead(t, writeTemp(t, "two.xlsx", buildZip(t, parts)), Options{})
	if got.info.Sheet != "Responses" || !reflect.DeepEqual(got.info.Sheets, []string{"Lookups", "Responses"}) ||
		!reflect.DeepEqual(got.cells, [][]string{{"", "answer"}}) || got.rows[0] != 2 {
		t.Errorf("got %+v %q at rows %v; want the visible sheet Responses, B2 = answer", got.info, got.cells, got.rows)
	}
	hidden := mustRead(t, writeTemp(t, "two.xlsx", buildZip(t, parts)), Options{Sheet: "Lookups"})
	if hidden.info.Sheet != "Lookups" || !reflect.DeepEqual(hidden.cells, [][]string{{"1"}}) {
		t.Errorf("asking for the hidden sheet gave %+v %q", hidden.info, hidden.cells)
	}
}
