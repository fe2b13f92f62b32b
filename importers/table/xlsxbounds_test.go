package table

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	crafted "github.com/heard-council/heard/importers/synthetic"
)

// nestedXLSX writes crafted.WriteNestedXLSX to a temporary file.
func nestedXLSX(tb testing.TB, where crafted.Nest, depth int) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := crafted.WriteNestedXLSX(&buf, where, depth); err != nil {
		tb.Fatal(err)
	}
	return writeTemp(tb, "nested-"+where.String()+".xlsx", buf.Bytes())
}

// repeatedTextXLSX writes crafted.WriteRepeatedTextXLSX to a temporary file.
func repeatedTextXLSX(tb testing.TB, texts, textBytes, refs int) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := crafted.WriteRepeatedTextXLSX(&buf, texts, textBytes, refs); err != nil {
		tb.Fatal(err)
	}
	return writeTemp(tb, fmt.Sprintf("repeated-%dx%d.xlsx", texts, refs), buf.Bytes())
}

// TestXLSXDeeplyNestedCellIsRefused: finding 6 of issue 8. A cell nesting
// 10 million elements (a 70 KB file) made excelize's reader use 1.5 GB; the
// zip check now refuses any part nesting more than maxXMLDepth deep, naming
// the file, and the sheet and cell when the nesting is in a worksheet.
func TestXLSXDeeplyNestedCellIsRefused(t *testing.T) {
	tests := []struct {
		where crafted.Nest
		depth int
		sheet string // "" when the nesting is not in a worksheet
		row   int
		cell  string // "" outside a cell
		says  string
	}{
		{crafted.NestCell, 10_000_000, "Responses", 2, "B", "cell B2 nests XML elements more than 128 deep"},
		{crafted.NestInlineString, 1_000_000, "Responses", 2, "B", "cell B2 nests"},
		{crafted.NestRichText, 1_000_000, "Responses", 2, "B", "cell B2 nests"},
		{crafted.NestBetweenRows, 1_000_000, "Responses", 2, "", "the sheet nests"},
		{crafted.NestSharedStrings, 1_000_000, "", 0, "", `the part "xl/sharedStrings.xml" nests`},
		{crafted.NestWorkbook, 1_000_000, "", 0, "", `the part "xl/workbook.xml" nests`},
		{crafted.NestStyles, 1_000_000, "", 0, "", `the part "xl/styles.xml" nests`},
		// Just over the limit.
		{crafted.NestCell, maxXMLDepth, "Responses", 2, "B", "cell B2 nests"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.where, tt.depth), func(t *testing.T) {
			p := nestedXLSX(t, tt.where, tt.depth)
			_, err := readTable(t, p, Options{})
			if err == nil {
				t.Fatal("a workbook nesting elements too deep was read")
			}
			ie := importError(t, err)
			if k := messageKind(ie.Message); k != "unusual" {
				t.Errorf("kind %q, want unusual: %v", k, err)
			}
			if ie.File != filepath.Base(p) || ie.Sheet != tt.sheet || ie.Row != tt.row || ie.Column != tt.cell {
				t.Errorf("refused at file %q sheet %q row %d column %q, want %q %q %d %q", ie.File, ie.Sheet, ie.Row,
					ie.Column, filepath.Base(p), tt.sheet, tt.row, tt.cell)
			}
			if !strings.Contains(ie.Message, tt.says) || !strings.Contains(ie.Message, "128 deep") {
				t.Errorf("message %q does not say %q and the limit", ie.Message, tt.says)
			}
		})
	}
}

// TestXLSXNestingWithinTheLimitReads: nesting up to maxXMLDepth is not
// refused by the check (a workbook nesting unknown elements, or rich-text
// runs, a little is read as it was before).
func TestXLSXNestingWithinTheLimitReads(t *testing.T) {
	// The sheet's own elements (worksheet, sheetData, row, c) take four levels.
	for _, where := range []crafted.Nest{crafted.NestCell, crafted.NestStyles, crafted.NestWorkbook} {
		t.Run(where.String(), func(t *testing.T) {
			got := mustRead(t, nestedXLSX(t, where, maxXMLDepth-4), Options{})
			if len(got.cells) != 2 || got.cell(0, 1) != "Comment" {
				t.Errorf("read %q, want the heading row and one response", got.cells)
			}
		})
	}
}

// TestXLSXSharedStringExpansionCountsAgainstUnzippedLimit: finding 6 of
// issue 8. One 900 KB shared string referred to by 20,000 rows (279 KB
// zipped) made excelize copy out 18 GB of text (130 s, 2.7 GB). Every
// reference now charges its string's length to the unzipped limit, so the
// file is refused during the zip check, at the cell where the limit is
// reached.
func TestXLSXSharedStringExpansionCountsAgainstUnzippedLimit(t *testing.T) {
	tests := []struct {
		name                   string
		texts, textBytes, refs int
		lim                    Limits
		minRow, maxRow         int // the limit is reached in one of these rows
	}{
		// 1 GB is 1,193 references to 900,002 bytes (row 1 is the heading);
		// the parts read before the sheet's rows take a little of it.
		{"one 900 KB string in 20,000 rows", 1, 900_000, 20_000, Limits{}, 1_150, 1_194},
		// 500 strings of 100 KB, each referred to 30 times: 1.5 GB of text.
		{"500 strings of 100 KB in 15,000 rows", 500, 100_000, 15_000, Limits{}, 10_000, 10_740},
		// With the limit lowered to 8 MB, 100 references to 100 KB are over it.
		{"100 KB in 100 rows over an 8 MB limit", 1, 100_000, 100, Limits{MaxUnzippedBytes: 8 << 20}, 2, 85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := repeatedTextXLSX(t, tt.texts, tt.textBytes, tt.refs)
			_, err := readTable(t, p, Options{Limits: tt.lim})
			if err == nil {
				t.Fatal("a workbook whose shared text expands past the limit was read")
			}
			ie := importError(t, err)
			if k := messageKind(ie.Message); k != "too-big" {
				t.Errorf("kind %q, want too-big: %v", k, err)
			}
			limit := byteSize(tt.lim.orDefaults().MaxUnzippedBytes)
			if ie.File != filepath.Base(p) || ie.Sheet != "Responses" || ie.Column != "B" ||
				!strings.Contains(ie.Message, "more than "+limit+" when unzipped") ||
				!strings.Contains(ie.Message, fmt.Sprintf("cell B%d", ie.Row)) {
				t.Errorf("refused as %v; want the file, sheet, cell and the %s limit named", err, limit)
			}
			if ie.Row < tt.minRow || ie.Row > tt.maxRow {
				t.Errorf("refused at row %d, want a row from %d to %d", ie.Row, tt.minRow, tt.maxRow)
			}
		})
	}
	t.Run("under the limit reads", func(t *testing.T) {
		// 100 references to 50 KB: 5 MB of text, under an 8 MB limit.
		got := mustRead(t, repeatedTextXLSX(t, 1, 50_000, 100), Options{Limits: Limits{MaxUnzippedBytes: 8 << 20}})
		if len(got.cells) != 101 || len(got.cell(100, 1)) != 50_002 || !strings.HasPrefix(got.cell(100, 1), "0 The service") {
			t.Errorf("read %d rows, last comment %d bytes; want 101 rows and 50,002 bytes", len(got.cells),
				len(got.cell(100, 1)))
		}
	})
}

// TestXLSXSharedTextChargedAsExcelizeExpandsIt: the length charged for a
// shared string is its text as excelize joins it (plain text and rich-text
// runs, not phonetic runs), and shared strings referred to from a sheet
// that is not imported are charged too.
func TestXLSXSharedTextChargedAsExcelizeExpandsIt(t *testing.T) {
	kb := strings.Repeat("x", 1000)
	rich := `<si><r><t>` + kb + `</t></r><r><rPr><b/></rPr><t>` + kb + `</t></r><rPh><t>` +
		strings.Repeat(kb, 50) + `</t></rPh></si>`
	sst := `<sst ` + nsMain + `><si><t>Respondent</t></si>` + rich + `</sst>`
	var rows strings.Builder
	rows.WriteString(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
	for r := 2; r <= 1001; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="s"><v>1</v></c></row>`, r, r)
	}
	// 1,000 references to 2,000 bytes of runs: 2 MB, plus the parts'
	// own bytes (about 100 KB); the phonetic text (50 KB an entry) is not
	// counted, or the total would be 50 MB.
	p := writeTemp(t, "rich.xlsx", buildZip(t, workbookParts(rows.String(), sst)))
	if _, err := readTable(t, p, Options{Limits: Limits{MaxUnzippedBytes: 3 << 20}}); err != nil {
		t.Errorf("2 MB of rich text under a 3 MB limit: %v", err)
	}
	_, err := readTable(t, p, Options{Limits: Limits{MaxUnzippedBytes: 2 << 20}})
	if err == nil || messageKind(importError(t, err).Message) != "too-big" {
		t.Errorf("2 MB of rich text over a 2 MB limit: %v, want too big", err)
	}
}

// TestXLSXSharedStringIndexOutOfRangeIsRefused: a reference past the end of
// the shared strings is refused, never charged or read as empty.
func TestXLSXSharedStringIndexOutOfRangeIsRefused(t *testing.T) {
	for _, idx := range []string{"2", "-1", "99999999999"} {
		t.Run(idx, func(t *testing.T) {
			rows := `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>` + idx + `</v></c></row>`
			p := writeTemp(t, "range.xlsx", buildZip(t, workbookParts(rows, sstOf("Respondent", "x"))))
			wantKind(t, p, "unusual")
		})
	}
}

// TestXLSXInlineStringsCountedAsUnzipped: inline strings are text the
// sheet itself holds, so the unzipped limit already counts them.
func TestXLSXInlineStringsCountedAsUnzipped(t *testing.T) {
	var rows strings.Builder
	text := strings.Repeat("y", 100_000)
	for r := 1; r <= 100; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>`, r, r, text)
	}
	p := writeTemp(t, "inline.xlsx", buildZip(t, workbookParts(rows.String(), "")))
	_, err := readTable(t, p, Options{Limits: Limits{MaxUnzippedBytes: 8 << 20}})
	if err == nil || messageKind(importError(t, err).Message) != "too-big" {
		t.Errorf("10 MB of inline strings over an 8 MB limit: %v, want too big", err)
	}
}

// TestXLSXNestingAfterTheRowsIsRefused: the part of a worksheet after its
// rows (or after a problem that ends the scan) is still checked for depth,
// since excelize may decode the worksheet whole.
func TestXLSXNestingAfterTheRowsIsRefused(t *testing.T) {
	deep := strings.Repeat("<x>", 10_000) + strings.Repeat("</x>", 10_000)
	for name, rows := range map[string]string{
		"after sheetData":          `<row r="1"><c r="A1"><v>1</v></c></row></sheetData>` + deep + `<sheetData>`,
		"after cells out of order": `<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>` + deep,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readTable(t, writeTemp(t, "tail.xlsx", buildZip(t, workbookParts(rows, ""))), Options{})
			if err == nil || !strings.Contains(importError(t, err).Message, "more than 128 deep") {
				t.Errorf("got %v, want the nesting refused", err)
			}
		})
	}
}

// TestXLSXManySharedStringsCountAgainstUnzippedLimit: a shared-strings part
// of millions of empty entries (45 KB zipped) took excelize 1.4 GB, however
// little text they hold; each entry is now charged what excelize spends on
// it, so the file is refused while the part is scanned.
func TestXLSXManySharedStringsCountAgainstUnzippedLimit(t *testing.T) {
	write := func(n int) string {
		var buf bytes.Buffer
		if err := crafted.WriteManySharedStringsXLSX(&buf, n); err != nil {
			t.Fatal(err)
		}
		return writeTemp(t, fmt.Sprintf("entries-%d.xlsx", n), buf.Bytes())
	}
	p := write(6_000_000)
	_, err := readTable(t, p, Options{})
	if err == nil {
		t.Fatal("6 million shared strings were read")
	}
	ie := importError(t, err)
	if messageKind(ie.Message) != "too-big" || ie.File != filepath.Base(p) ||
		!strings.Contains(ie.Message, "table of shared text has so many entries") ||
		!strings.Contains(ie.Message, "more than 1 GB when unzipped") {
		t.Errorf("refused as %v; want too big, naming the file, the entries and the 1 GB limit", err)
	}
	// 10,000 entries are 2.5 MB, under an 8 MB limit.
	got := mustRead(t, write(10_000), Options{Limits: Limits{MaxUnzippedBytes: 8 << 20}})
	if len(got.cells) != 2 || got.cell(1, 1) != "Fine" {
		t.Errorf("read %q, want the heading row and one response", got.cells)
	}
}

// TestXLSXHugeTagInAnyPartIsRefused: a tag of a million attributes in a
// part heard does not read itself (styles) would cost excelize's decoder
// as much as a million elements; any tag over 1 MB is refused.
func TestXLSXHugeTagInAnyPartIsRefused(t *testing.T) {
	parts := workbookParts(`<row r="1"><c r="A1"><v>1</v></c></row>`, "")
	parts = append(parts, zipPart{"xl/styles.xml", `<styleSheet ` + nsMain + `><x` +
		strings.Repeat(` a="b"`, 1_000_000) + `/></styleSheet>`})
	_, err := readTable(t, writeTemp(t, "attrs.xlsx", buildZip(t, parts)), Options{})
	if err == nil || !strings.Contains(importError(t, err).Message, `the part "xl/styles.xml" has an XML tag longer than 1 MB`) {
		t.Errorf("got %v, want the styles part refused for its tag", err)
	}
}
