package table

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetTrace is what a row iterator gave, call by call: the result of each
// Columns call that was not an empty row left out, and whether Error
// reported something at the end.
type sheetTrace struct {
	calls    []traceCall
	nexts    int  // rows Next moved to
	final    bool // Error() != nil after the last Next
	panicked bool // excelize panicked: nothing to compare
}

type traceCall struct {
	row   int // 1-based Next count
	cells []string
	err   bool
}

// rowIterator is what excelize's Rows and sheetReader both offer.
type rowIterator interface {
	Next() bool
	Error() error
}

// traceRows drains it, with columns giving each row's cells.
func traceRows(it rowIterator, columns func() ([]string, error)) sheetTrace {
	var tr sheetTrace
	for it.Next() {
		tr.nexts++
		cells, err := columns()
		if cells != nil || err != nil {
			tr.calls = append(tr.calls, traceCall{row: tr.nexts, cells: cells, err: err != nil})
		}
	}
	tr.final = it.Error() != nil
	return tr
}

// excelizeTrace reads sheet through excelize's streaming reader with raw
// values; parts over spillAt bytes are spilled to temporary files.
func excelizeTrace(path, sheet string, spillAt int64) (tr sheetTrace, err error) {
	defer func() {
		if r := recover(); r != nil {
			tr, err = sheetTrace{panicked: true}, nil
		}
	}()
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: spillAt})
	if err != nil {
		return tr, err
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		return tr, err
	}
	defer rows.Close()
	return traceRows(rows, func() ([]string, error) { return rows.Columns(excelize.Options{RawCellValue: true}) }), nil
}

// scanTrace reads the worksheet part through sheetReader, keeping shared
// strings over spillAt bytes in a temporary file.
func scanTrace(path, part string, spillAt int64) (sheetTrace, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return sheetTrace{}, err
	}
	defer zr.Close()
	var sheet, sstFile *zip.File
	for _, f := range zr.File {
		n := strings.ReplaceAll(f.Name, `\`, "/")
		switch {
		case n == part:
			sheet = f
		case strings.ToLower(n) == "xl/sharedstrings.xml":
			sstFile = f
		}
	}
	if sheet == nil {
		return sheetTrace{}, fmt.Errorf("no part %q", part)
	}
	sst, sstErr, err := loadSharedStrings(sstFile, spillAt)
	if err != nil {
		return sheetTrace{}, err
	}
	defer sst.Close()
	rc, err := sheet.Open()
	if err != nil {
		return sheetTrace{}, err
	}
	defer rc.Close()
	r := newSheetReader(rc, sst, sstErr)
	return traceRows(r, r.Columns), nil
}

// diffTraces describes the first difference between two traces, "" when
// they are the same, trailing empty cells aside.
func diffTraces(got, want sheetTrace) string {
	for i := range max(len(got.calls), len(want.calls)) {
		if i >= len(got.calls) {
			return fmt.Sprintf("row %d: excelize gave %q, the scanner nothing", want.calls[i].row, want.calls[i].cells)
		}
		if i >= len(want.calls) {
			return fmt.Sprintf("row %d: the scanner gave %q, excelize nothing", got.calls[i].row, got.calls[i].cells)
		}
		g, w := got.calls[i], want.calls[i]
		if g.row != w.row || g.err != w.err {
			return fmt.Sprintf("call %d: scanner row %d (error %v), excelize row %d (error %v)", i, g.row, g.err, w.row, w.err)
		}
		gc, wc := g.cells[:lastNonEmpty(g.cells)], w.cells[:lastNonEmpty(w.cells)]
		for c := range max(len(gc), len(wc)) {
			var a, b string
			if c < len(gc) {
				a = gc[c]
			}
			if c < len(wc) {
				b = wc[c]
			}
			if a != b {
				return fmt.Sprintf("row %d column %s: scanner %q, excelize %q", g.row, columnName(c+1), a, b)
			}
		}
	}
	if got.nexts != want.nexts || got.final != want.final {
		return fmt.Sprintf("scanner moved to %d rows (error at the end %v), excelize %d (%v)",
			got.nexts, got.final, want.nexts, want.final)
	}
	return ""
}

// workbooksToCompare lists the workbooks in testdata and the real samples.
func workbooksToCompare(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.xlsx"))
	ext, err := findExternalDir()
	if err != nil {
		t.Logf("real sample workbooks are not available: %v", err)
		return files
	}
	more, _ := filepath.Glob(filepath.Join(ext, "*", "*.xlsx"))
	return append(files, more...)
}

// worksheetParts returns each worksheet's name and part, as the zip check
// finds them.
func worksheetParts(path string) ([]sheetEntry, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	pkg, err := newZipPackage(zr.File, filepath.Base(path), DefaultLimits())
	if err != nil {
		return nil, err
	}
	wb, err := pkg.readStructure()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(wb.sheets, func(s sheetEntry) bool { return !s.worksheet }), nil
}

// TestXLSXScanAgreesWithExcelize reads every worksheet of every workbook in
// the test data and the real samples with both readers, with shared strings
// in memory and spilled to a file, and compares them cell by cell.
func TestXLSXScanAgreesWithExcelize(t *testing.T) {
	compared := 0
	for _, p := range workbooksToCompare(t) {
		sheets, err := worksheetParts(p)
		if err != nil {
			t.Logf("%s: not a workbook the zip check reads (%v)", filepath.Base(p), err)
			continue
		}
		for _, s := range sheets {
			for _, spillAt := range []int64{XLSXInMemory, 1} {
				want, err := excelizeTrace(p, s.name, spillAt)
				if err != nil || want.panicked {
					t.Logf("%s, sheet %q: excelize cannot read it (%v)", filepath.Base(p), s.name, err)
					continue
				}
				got, err := scanTrace(p, s.part, spillAt)
				if err != nil {
					t.Errorf("%s, sheet %q: %v", filepath.Base(p), s.name, err)
					continue
				}
				if d := diffTraces(got, want); d != "" {
					t.Errorf("%s, sheet %q (shared strings spilled past %d bytes): %s", filepath.Base(p), s.name, spillAt, d)
				}
				compared++
			}
		}
	}
	t.Logf("%d sheet readings compared", compared)
}

// TestXLSXScanSamples checks cases the readers must agree on, each against
// excelize and against the value it must give.
func TestXLSXScanSamples(t *testing.T) {
	tests := []struct {
		name, data, sst string
		want            [][]string
	}{
		{"entities and references", `<row r="1"><c t="inlineStr"><is><t>a&amp;b &lt;&#65;&#x42;&quot;</t></is></c></row>`,
			"", [][]string{{`a&b <AB"`}}},
		{"line endings", "<row r=\"1\"><c t=\"str\"><v>a\r\nb\rc</v></c></row>", "", [][]string{{"a\nb\nc"}}},
		{"escapes in shared text", `<row r="1"><c t="s"><v>0</v></c><c t="str"><v>_x000D_</v></c></row>`,
			sstOf("x_x000D_y_x005F_x0041_"), [][]string{{"x\ry_x0041_", "_x000D_"}}},
		{"rich text and phonetic runs", `<row r="1"><c t="s"><v> 0 </v></c></row>`,
			`<sst ` + nsMain + `><si><r><t>ab</t></r><r><rPr><b/></rPr><t xml:space="preserve"> cd</t></r>` +
				`<rPh sb="0" eb="1"><t>zz</t></rPh></si></sst>`, [][]string{{"ab cd"}}},
		{"direct text before runs", `<row r="1"><c t="s"><v>0</v></c></row>`,
			`<sst ` + nsMain + `><si><r><t>run</t></r><t>first</t><t>last</t></si></sst>`, [][]string{{"lastrun"}}},
		{"booleans errors formulas", `<row r="1"><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c>` +
			`<c><f>1+1</f><v>2</v></c><c t="d"><v>2024-01-02</v></c></row>`, "",
			[][]string{{"1", "#DIV/0!", "2", "2024-01-02"}}},
		{"CDATA and comments", `<row r="1"><c t="inlineStr"><is><t><![CDATA[<x>]]><!-- c -->y</t></is></c></row>`,
			"", [][]string{{"<x>y"}}},
		{"missing references", `<row><c><v>1</v></c><c r="C1"><v>3</v></c><c><v>4</v></c></row><row><c/><c><v>8</v></c></row>`,
			"", [][]string{{"1", "", "3", "4"}, {"", "8"}}},
		{"bad run property stops the shared strings", `<row r="1"><c><v>1</v></c></row>`,
			`<sst ` + nsMain + `><si><r><rPr><b val="maybe"/></rPr><t>x</t></r></si></sst>`, nil},
		{"bad run property keeps what an inline string read", `<row r="1"><c t="inlineStr"><is><t>a</t>` +
			`<r><rPr><sz val="big"/></rPr><t>b</t></r></is></c><c><v>2</v></c></row>`, "", [][]string{{"a", "2"}}},
		{"boolean run properties are read untrimmed and hold no elements", `<row r="1"><c t="inlineStr"><is>` +
			`<r><rPr><b val=" 1"/></rPr><t>x</t></r></is></c><c t="inlineStr"><is><r><rPr><i><u/></i></rPr>` +
			`<t>y</t></r></is></c><c t="inlineStr"><is><r><rPr><sz val=" 11 "/><b val="0"/></rPr><t>z</t></r></is></c></row>`,
			"", nil},
		{"a bad boolean run property stops only its string", `<row r="1"><c t="inlineStr"><is>` +
			`<r><rPr><b val=" 1"/></rPr><t>x</t></r></is></c><c t="inlineStr"><is><r><rPr><sz val=" 11 "/>` +
			`<b val="0"/></rPr><t>z</t></r></is></c></row>`, "", [][]string{{"", "z"}}},
		{"shared strings without their namespace fail every row", `<row r="2"><c><v>1</v></c></row>`,
			`<sst><si><t>a</t></si></sst>`, nil},
		{"a shared strings count that is not a number fails every row", `<row r="1"><c><v>1</v></c></row>`,
			`<sst ` + nsMain + ` count="many"><si><t>a</t></si></sst>`, nil},
		{"malformed XML ends the sheet", `<row r="1"><c><v>1</v></c></row><row r="2"><c><v>2&bad;</v></c></row>`,
			"", [][]string{{"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "made.xlsx", buildZip(t, workbookParts(tt.data, tt.sst)))
			want, err := excelizeTrace(p, "Responses", XLSXInMemory)
			if err != nil {
				t.Fatal(err)
			}
			got, err := scanTrace(p, "xl/worksheets/sheet1.xml", XLSXInMemory)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffTraces(got, want); d != "" {
				t.Errorf("readers differ: %s", d)
			}
			var cells [][]string
			for _, c := range got.calls {
				if !c.err {
					cells = append(cells, c.cells[:lastNonEmpty(c.cells)])
				}
			}
			if !reflect.DeepEqual(cells, tt.want) {
				t.Errorf("got %q, want %q", cells, tt.want)
			}
		})
	}
}

// FuzzXLSXScanAgrees builds a workbook from a fuzzed worksheet and shared
// strings part and checks that sheetReader gives what excelize gives, call
// by call, with shared strings in memory and spilled; and that the whole
// table reader agrees with the excelize-based one heard used before: the
// same rows, or both refuse the file.
func FuzzXLSXScanAgrees(f *testing.F) {
	for _, seed := range [][2]string{
		{`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>`, sstOf("a", "b")},
		{`<row><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c><f>A1</f><v>3.5</v></c></row>`, ""},
		{`<row r="2"><c r="B2" s="1" t="str"><v>a&amp;b&#10;c</v></c></row><row r="5"><c r="C5"><v>1</v></c></row>`, ""},
		{`<row r="1"><c t="s"><v>0</v></c></row>`, `<sst ` + nsMain + `><si><r><rPr><b val="1"/><sz val="11"/>` +
			`</rPr><t>rich</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh><phoneticPr fontId="1"/></si></sst>`},
		{`<row r="1"><c r="A1" t="inlineStr"><is><t>_x000D_</t><r><t xml:space="preserve"> y </t></r></is></c></row>`, ""},
		{`<row r="1"><c r="A1"><v><![CDATA[7]]></v></c></row><!-- note -->`, ""},
		{`<row r="3"><x:c xmlns:x="` + sstMainSpace + `" r="$B$3"><x:v>1</x:v><c/></x:c><c r="c3"><v>2</v></c></row>` +
			`<row r="1048576"><c><v>9</v></c></row>`, ""},
		{`<row r="1"><c t="inlineStr"><is><r><rPr><b val="true"/><i><x/></i></rPr><t>a</t></r></is></c></row>` +
			`<row r="2"><c><v>2</v></c></row>`, ""},
		{`<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>`, `<?xml version="1.0" encoding="ISO-8859-1"?>` +
			`<sst xmlns="` + sstMainSpace + `" count="2"><si><t>caf` + "\xe9" + `</t></si><!DOCTYPE x><si><t>&#xD800;</t></si></sst>`},
		{"<row r=\"1\"><c t=\"str\"><v>a\r\n]]&gt;b&#9;</v></c><?pi data?></row>", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, data, sst string) {
		if len(data)+len(sst) > 4096 {
			return
		}
		parts := workbookParts(data, sst)
		p := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if err := os.WriteFile(p, buildZip(t, parts), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, spillAt := range []int64{XLSXInMemory, 1} {
			want, err := excelizeTrace(p, "Responses", spillAt)
			if err != nil || want.panicked {
				continue
			}
			got, err := scanTrace(p, "xl/worksheets/sheet1.xml", spillAt)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffTraces(got, want); d != "" {
				t.Fatalf("shared strings spilled past %d bytes: %s", spillAt, d)
			}
		}
		compareTables(t, p)
	})
}

// compareTables reads p with Open and with the excelize-based reader.
func compareTables(t *testing.T, p string) {
	t.Helper()
	drain := func(open func() (Table, Info, error)) (Info, [][]string, []int, error) {
		tab, info, err := open()
		if err != nil {
			return info, nil, nil, err
		}
		defer tab.Close()
		var rows [][]string
		var nums []int
		for {
			cells, n, err := tab.Next()
			if errors.Is(err, io.EOF) {
				return info, rows, nums, nil
			}
			if err != nil {
				return info, rows, nums, err
			}
			rows, nums = append(rows, cells), append(nums, n)
		}
	}
	gi, gr, gn, gerr := drain(func() (Table, Info, error) { return Open(p, "fuzz.xlsx", Options{Limits: fuzzLimits}) })
	wi, wr, wn, werr := drain(func() (Table, Info, error) {
		return openXLSXByExcelize(p, "fuzz.xlsx", "", fuzzLimits.orDefaults())
	})
	switch {
	case gerr != nil && werr != nil:
	case gerr != nil || werr != nil:
		t.Fatalf("one refused: scanner %v, excelize %v", gerr, werr)
	case !reflect.DeepEqual(gi, wi) || !reflect.DeepEqual(gr, wr) || !reflect.DeepEqual(gn, wn):
		t.Fatalf("tables differ: scanner %+v %q at %v, excelize %+v %q at %v", gi, gr, gn, wi, wr, wn)
	}
}

// TestSharedStringsSpill checks that a shared strings part over the
// in-memory bound is read back from a temporary file, which Close removes.
func TestSharedStringsSpill(t *testing.T) {
	p := writeTemp(t, "sst.xlsx", buildZip(t, workbookParts(
		`<row r="1"><c t="s"><v>1</v></c><c t="s"><v>0</v></c><c t="s"><v>2</v></c></row>`, sstOf("a", "bb", "ccc"))))
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "xl/sharedStrings.xml" {
			f = zf
		}
	}
	sst, decodeErr, err := loadSharedStrings(f, 16)
	if err != nil || decodeErr != nil || sst.file == nil {
		t.Fatalf("load: %v %v; spilled %v", err, decodeErr, sst != nil && sst.file != nil)
	}
	name := sst.file.Name()
	for _, i := range []int{0, 1, 2, 1} {
		if got, ok := sst.get(i); !ok || got != []string{"a", "bb", "ccc"}[i] {
			t.Errorf("entry %d = %q, %v", i, got, ok)
		}
	}
	if _, ok := sst.get(3); ok {
		t.Error("entry 3 exists")
	}
	if err := sst.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the spilled table %s is still there: %v", name, err)
	}
}
