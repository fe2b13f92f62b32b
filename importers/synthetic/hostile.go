package synthetic

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Nest says where WriteNestedXLSX nests its elements.
type Nest int

// Where a crafted workbook nests its elements.
const (
	NestCell          Nest = iota // unknown elements inside a cell: <c><x><x>...
	NestInlineString              // inline-string elements inside a cell: <c t="inlineStr"><is><t><is><t>...
	NestRichText                  // rich-text runs of an inline string: <is><r><t><r><t>...
	NestBetweenRows               // unknown elements in <sheetData>, outside any row
	NestSharedStrings             // inside an entry of xl/sharedStrings.xml
	NestWorkbook                  // inside xl/workbook.xml
	NestStyles                    // inside xl/styles.xml
)

// String names the place, for test and benchmark names.
func (n Nest) String() string {
	return [...]string{"cell", "inline-string", "rich-text", "between-rows", "shared-strings", "workbook",
		"styles"}[n]
}

const (
	xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain  = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel   = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	pkgRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
)

// hostilePart is one part of a crafted workbook; body writes its XML.
type hostilePart struct {
	name string
	body func(w *bufio.Writer)
}

func fixed(s string) func(w *bufio.Writer) { return func(w *bufio.Writer) { w.WriteString(s) } }

// nested writes depth copies of open, then depth copies of close.
func nested(w *bufio.Writer, open, close string, depth int) {
	for range depth {
		w.WriteString(open)
	}
	for range depth {
		w.WriteString(close)
	}
}

// writeHostile zips a one-sheet workbook ("Responses") whose sheet data,
// shared strings and workbook body the callers write; styles is written as
// xl/styles.xml.
func writeHostile(out io.Writer, sheetData, sst, workbookExtra, styles func(w *bufio.Writer)) error {
	parts := []hostilePart{
		{"[Content_Types].xml", fixed(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`)},
		{"_rels/.rels", fixed(xmlHead + pkgRels +
			`<Relationship Id="rId1" Type="` + relDoc + `officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", func(w *bufio.Writer) {
			w.WriteString(xmlHead + `<workbook ` + nsMain + ` ` + nsRel + `>`)
			if workbookExtra != nil {
				workbookExtra(w)
			}
			w.WriteString(`<sheets><sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>`)
		}},
		{"xl/_rels/workbook.xml.rels", fixed(xmlHead + pkgRels +
			`<Relationship Id="rId1" Type="` + relDoc + `worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relDoc + `sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId3" Type="` + relDoc + `styles" Target="styles.xml"/>` +
			`</Relationships>`)},
		{"xl/styles.xml", func(w *bufio.Writer) {
			w.WriteString(xmlHead + `<styleSheet ` + nsMain + `>`)
			if styles != nil {
				styles(w)
			}
			w.WriteString(`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>`)
		}},
		{"xl/worksheets/sheet1.xml", func(w *bufio.Writer) {
			w.WriteString(xmlHead + `<worksheet ` + nsMain + `><sheetData>`)
			sheetData(w)
			w.WriteString(`</sheetData></worksheet>`)
		}},
		{"xl/sharedStrings.xml", func(w *bufio.Writer) {
			w.WriteString(xmlHead + `<sst ` + nsMain + `>`)
			sst(w)
			w.WriteString(`</sst>`)
		}},
	}
	zw := zip.NewWriter(out)
	for _, p := range parts {
		pw, err := zw.Create(p.name)
		if err != nil {
			return fmt.Errorf("zip %s: %w", p.name, err)
		}
		bw := bufio.NewWriterSize(pw, 64<<10)
		p.body(bw)
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("zip %s: %w", p.name, err)
		}
	}
	return zw.Close()
}

// headerRow is row 1 of a crafted sheet: "Respondent", "Comment" (shared
// strings 0 and 1).
const headerRow = `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`

// WriteNestedXLSX writes a workbook that nests depth elements inside one
// another at where: 10 million of them zip to about 70 KB, and cost a
// reader that keeps a stack of open elements (encoding/xml, so excelize)
// more than a gigabyte.
func WriteNestedXLSX(w io.Writer, where Nest, depth int) error {
	sst := func(w *bufio.Writer) { w.WriteString(`<si><t>Respondent</t></si><si><t>Comment</t></si>`) }
	var workbook, styles func(w *bufio.Writer)
	rows := func(w *bufio.Writer) {
		w.WriteString(headerRow)
		w.WriteString(`<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>`)
	}
	cell := func(attrs, open, close string) func(w *bufio.Writer) {
		return func(w *bufio.Writer) {
			w.WriteString(headerRow + `<row r="2"><c r="A2"><v>1</v></c><c r="B2"` + attrs + `>`)
			nested(w, open, close, depth)
			w.WriteString(`</c></row>`)
		}
	}
	sheet := rows
	switch where {
	case NestCell:
		sheet = cell(` t="s"`, `<x>`, `</x>`)
	case NestInlineString:
		sheet = cell(` t="inlineStr"`, `<is><t>`, `</t></is>`)
	case NestRichText:
		sheet = cell(` t="inlineStr"`, `<is><r><t>a`, `</t></r></is>`)
	case NestBetweenRows:
		sheet = func(w *bufio.Writer) {
			rows(w)
			nested(w, `<x>`, `</x>`, depth)
		}
	case NestSharedStrings:
		sst = func(w *bufio.Writer) {
			w.WriteString(`<si><t>Respondent</t></si><si><t>Comment</t></si><si>`)
			nested(w, `<r><t>`, `</t></r>`, depth)
			w.WriteString(`</si>`)
		}
	case NestWorkbook:
		workbook = func(w *bufio.Writer) { nested(w, `<x>`, `</x>`, depth) }
	case NestStyles:
		styles = func(w *bufio.Writer) { nested(w, `<x>`, `</x>`, depth) }
	}
	if where != NestSharedStrings {
		sst = func(w *bufio.Writer) {
			w.WriteString(`<si><t>Respondent</t></si><si><t>Comment</t></si><si><t>Fine</t></si>`)
		}
	}
	return writeHostile(w, sheet, sst, workbook, styles)
}

// WriteRepeatedTextXLSX writes a workbook whose shared-strings part holds
// texts distinct strings of textBytes bytes each, and whose sheet has refs
// rows that refer to them in turn (row r to string r mod texts). One string
// of 900 KB referred to by 20,000 rows zips to about 280 KB and expands to
// 18 GB of text: a reader copies the string out for every cell.
func WriteRepeatedTextXLSX(w io.Writer, texts, textBytes, refs int) error {
	sst := func(w *bufio.Writer) {
		w.WriteString(`<si><t>Respondent</t></si><si><t>Comment</t></si>`)
		line := "The service was slow to answer the phone and nobody called back. "
		for i := range texts {
			fmt.Fprintf(w, `<si><t>%d `, i)
			w.WriteString(strings.Repeat(line, textBytes/len(line)))
			w.WriteString(line[:textBytes%len(line)])
			w.WriteString(`</t></si>`)
		}
	}
	sheet := func(w *bufio.Writer) {
		w.WriteString(headerRow)
		for r := range refs {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`,
				r+2, r+2, r+1, r+2, 2+r%texts)
		}
	}
	return writeHostile(w, sheet, sst, nil, nil)
}

// WriteManySharedStringsXLSX writes a workbook whose shared-strings part
// holds n empty entries (<si/>) besides the three its one sheet uses: 6
// million zip to 45 KB, and excelize, which keeps every entry whatever its
// text, read that file in 7.7 s and 1.4 GB (100 million: 186 s, 9.9 GB).
func WriteManySharedStringsXLSX(w io.Writer, n int) error {
	sst := func(w *bufio.Writer) {
		w.WriteString(`<si><t>Respondent</t></si><si><t>Comment</t></si><si><t>Fine</t></si>`)
		for range n {
			w.WriteString(`<si/>`)
		}
	}
	sheet := func(w *bufio.Writer) {
		w.WriteString(headerRow + `<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>`)
	}
	return writeHostile(w, sheet, sst, nil, nil)
}
