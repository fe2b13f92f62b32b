package table

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
)

// fuzzLimits keep each fuzz input quick to refuse.
var fuzzLimits = Limits{MaxFileBytes: 1 << 20, MaxUnzippedBytes: 16 << 20, MaxRows: 20_000,
	MaxColumns: 1_000, MaxCellBytes: 64 << 10}

// addFileSeeds adds the first max bytes of sample files to the corpus, when
// the sample folder is there.
func addFileSeeds(f *testing.F, max int, files ...string) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "external")
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Logf("seed %s not added: %v", name, err)
			continue
		}
		f.Add(data[:min(len(data), max)])
	}
}

// drainFuzzInput writes data to a file and reads it as a table, checking
// what must hold for any input: no panic, every failure an ImportError
// naming the file, row numbers rising, CSV text valid UTF-8 in rows of one
// width.
func drainFuzzInput(t *testing.T, dir string, data []byte) {
	p := filepath.Join(dir, "upload")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tab, info, err := Open(p, "upload", Options{Limits: fuzzLimits})
	if err != nil {
		checkFuzzError(t, err)
		return
	}
	defer func() {
		if err := tab.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	last, width := 0, -1
	for {
		cells, row, err := tab.Next()
		if errors.Is(err, io.EOF) {
			if _, _, again := tab.Next(); !errors.Is(again, io.EOF) {
				t.Errorf("Next after io.EOF = %v", again)
			}
			return
		}
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if row <= last {
			t.Fatalf("row %d after row %d", row, last)
		}
		last = row
		if lastValue(cells) == 0 {
			t.Fatalf("blank row %d returned: %q", row, cells)
		}
		if info.Container != "csv" {
			continue
		}
		if width >= 0 && len(cells) != width {
			t.Fatalf("row %d has %d cells, earlier rows %d", row, len(cells), width)
		}
		width = len(cells)
		for _, c := range cells {
			if !utf8.ValidString(c) {
				t.Fatalf("row %d: cell %q is not valid UTF-8", row, c)
			}
		}
	}
}

func checkFuzzError(t *testing.T, err error) {
	var ie *analytics.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error is %T, not an ImportError: %v", err, err)
	}
	if ie.File != "upload" || ie.Message == "" {
		t.Fatalf("error does not name the file or says nothing: %+v", ie)
	}
}

func FuzzCSVTable(f *testing.F) {
	addFileSeeds(f, 1024,
		"qualtrics-qualtRics/sample_legacy.csv",
		"surveymonkey-fivethirtyeight/StarWars.csv",
		"msforms-phonebrandpred/surveyEng.csv",
		"googleforms-uvads-hotdog/sp25_Form_Responses_1.csv",
		"nhs-fft-pxtextmining/v6framework_230831.csv")
	for _, s := range []string{
		"a,b\n1,2\n", "a;b\r1;2\r", "a\tb\r\n\"x\ny\"\t2\r\n", "\xef\xbb\xbfV1,V2,\nR1,5,\n",
		"\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00", "caf\xe9,th\x8e\n1,2\n", "a,\"open\n1,2\n",
		"a,b\n1,2,3\n", "", "\n\n", "x",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		drainFuzzInput(t, dir, data)
	})
}

func FuzzXLSXTable(f *testing.F) {
	addFileSeeds(f, 1<<20,
		"calamine-testfiles/date.xlsx",
		"calamine-testfiles/inlineStr_cdata.xlsx",
		"calamine-testfiles/empty_shared_string_value.xlsx")
	f.Add(buildZip(f, workbookParts(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>`,
		sstOf("name"))))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		drainFuzzInput(t, dir, data)
	})
}

// FuzzXLSXSheetXML puts arbitrary XML in the worksheet of an otherwise sound
// workbook, so inputs get past the zip's checksums to the sheet scan, the
// count cross-check and excelize itself.
func FuzzXLSXSheetXML(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>`,
		`<row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row><row r="3"><c r="C3"><v>1</v></c></row>`,
		`<row r="1"><c r="B1"><v>2</v></c><c r="A1"><v>1</v></c></row>`,
		`<row r="1"><c r="A1" t="s" s="1"><v> 1 </v></c><c r="C1" t="str"><f>A1</f><v></v></c></row>`,
		`<row r="2"><c r="A2"><v><![CDATA[5]]></v></c><!-- note --></row>`,
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, sheetData string) {
		drainFuzzInput(t, dir, buildZip(t, workbookParts(sheetData, sstOf("name", "", "score"))))
	})
}
