package api

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"mime/multipart"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/heard-council/heard/analytics"
)

// The generators of the hostile corpus (hostile_test.go): every input is
// built here in code, workbooks entry by entry with archive/zip.

const (
	xlsxNS   = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	xlsxRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	xlsxDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	xmlDecl  = `<?xml version="1.0" encoding="UTF-8"?>`
	scaleQ   = "Overall, how satisfied are you with your support?"
	comments = "Any other comments"
)

// zipEntry is one part of a hand-made zip. A stored entry (store true) is
// written raw, which lets a test flip one of its bytes after the CRC was
// computed; declared, when not 0, is the uncompressed size the headers
// claim instead of the real one.
type zipEntry struct {
	name     string
	body     []byte
	store    bool
	declared uint64
	flipByte bool
	// deflated, when not nil, is written as the entry's compressed data
	// as is, with the CRC and size given by body's length and crc fields.
	deflated []byte
	crc      uint32
}

// buildZip writes entries into a zip archive.
func buildTestZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.deflated != nil {
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
				CompressedSize64: uint64(len(e.deflated)), UncompressedSize64: e.declared}
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.deflated)
			continue
		}
		if !e.store && e.declared == 0 && !e.flipByte {
			w, err := zw.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.body)
			continue
		}
		body := bytes.Clone(e.body)
		size := uint64(len(body))
		if e.declared != 0 {
			size = e.declared
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: size}
		if e.declared != 0 {
			// A stored entry's data is its size: keep the lie readable.
			h.CompressedSize64 = size
			body = body[:min(uint64(len(body)), size)]
			h.CRC32 = crc32.ChecksumIEEE(body)
		}
		if e.flipByte {
			body[len(body)/2] ^= 0x20
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbookEntries are the parts of a one-sheet workbook whose sheet holds
// sheetData (row elements) and, when sst is not "", a shared-strings part.
func workbookEntries(sheetData, sst string) []zipEntry {
	e := []zipEntry{
		{name: "[Content_Types].xml", body: []byte(xmlDecl +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`)},
		{name: "_rels/.rels", body: []byte(xmlDecl +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + xlsxDoc + `officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", body: []byte(xmlDecl + `<workbook ` + xlsxNS + ` ` + xlsxRel + `>` +
			`<sheets><sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", body: []byte(xmlDecl +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + xlsxDoc + `worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + xlsxDoc + `sharedStrings" Target="sharedStrings.xml"/>` +
			`</Relationships>`)},
		{name: "xl/worksheets/sheet1.xml", body: []byte(xmlDecl + `<worksheet ` + xlsxNS + `><sheetData>` +
			sheetData + `</sheetData></worksheet>`)},
	}
	if sst != "" {
		e = append(e, zipEntry{name: "xl/sharedStrings.xml", body: []byte(xmlDecl + sst)})
	}
	return e
}

// colName is the letters of 1-based column n.
func hostileCol(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// inlineRow is a sheet row of inline-string cells.
func inlineRow(row int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, row)
	for i, v := range cells {
		fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, hostileCol(i+1), row, v)
	}
	b.WriteString("</row>")
	return b.String()
}

// surveyRecords are the header and n rows of a small valid survey: an id,
// a date, a team, a satisfaction scale and a comment. tag makes the file
// (and so its checksum) unique to a case.
func surveyRecords(n int, tag string) [][]string {
	scale := []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	teams := []string{"North Team", "South Team", "Reablement"}
	recs := [][]string{{"Response ID", "Date submitted", "Team", scaleQ, comments}}
	for i := range n {
		recs = append(recs, []string{fmt.Sprintf("%s-%d", tag, i), fmt.Sprintf("%02d/%02d/2024", 1+i%28, 1+i%12),
			teams[i%3], scale[i%5], "comment " + tag})
	}
	return recs
}

// sheetOf is the sheet data of records, as inline strings.
func sheetOf(recs [][]string) string {
	var b strings.Builder
	for i, r := range recs {
		b.WriteString(inlineRow(i+1, r...))
	}
	return b.String()
}

// validXLSX is a small valid workbook, its sheet data and entries
// editable by the caller.
func validXLSX(t testing.TB, tag string, edit func(sheet string, e []zipEntry) []zipEntry) []byte {
	sheet := sheetOf(surveyRecords(6, tag))
	e := workbookEntries(sheet, "")
	if edit != nil {
		e = edit(sheet, e)
	}
	return buildTestZip(t, e)
}

// withSheet replaces the worksheet of entries with one holding sheetData
// (after a prefix such as a DOCTYPE, when given).
func withSheet(e []zipEntry, prefix, sheetData string) []zipEntry {
	for i := range e {
		if e[i].name == "xl/worksheets/sheet1.xml" {
			e[i].body = []byte(xmlDecl + prefix + `<worksheet ` + xlsxNS + `><sheetData>` + sheetData + `</sheetData></worksheet>`)
		}
	}
	return e
}

// zerosDeflate is a deflate stream of mb megabytes of zeros, about a
// kilobyte a megabyte, made by repeating one flushed block.
func zerosDeflate(t testing.TB, mb int) []byte {
	t.Helper()
	var block bytes.Buffer
	fw, err := flate.NewWriter(&block, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(make([]byte, 1<<20))
	fw.Flush()
	var out bytes.Buffer
	for range mb {
		out.Write(block.Bytes())
	}
	var end bytes.Buffer
	fe, _ := flate.NewWriter(&end, flate.BestCompression)
	fe.Close()
	out.Write(end.Bytes())
	return out.Bytes()
}

// zerosCRC is the CRC-32 of mb megabytes of zeros.
func zerosCRC(mb int) uint32 {
	c, zero := uint32(0), make([]byte, 1<<20)
	for range mb {
		c = crc32.Update(c, crc32.IEEETable, zero)
	}
	return c
}

// csvOf writes records as CSV text with sep and line ending eol, quoting
// fields that need it.
func csvOf(recs [][]string, sep, eol string) string {
	var b strings.Builder
	for _, r := range recs {
		for i, f := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(f, sep+"\"\r\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			b.WriteString(f)
		}
		b.WriteString(eol)
	}
	return b.String()
}

// validCSV is a small valid survey as CSV, unique to tag.
func validCSV(tag string) []byte { return []byte(csvOf(surveyRecords(6, tag), ",", "\r\n")) }

// utf16LE encodes s as UTF-16 little-endian with a byte-order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// windows1252 encodes s, whose runes must all be in Windows-1252, byte for
// byte: Latin-1 plus the few letters of 0x80-0x9F used here.
func windows1252(s string) []byte {
	special := map[rune]byte{'€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96}
	var out []byte
	for _, r := range s {
		if b, ok := special[r]; ok {
			out = append(out, b)
			continue
		}
		out = append(out, byte(r))
	}
	return out
}

// editRecords applies edit to every data row of a small survey.
func editRecords(tag string, edit func(i int, r []string) []string) [][]string {
	recs := surveyRecords(6, tag)
	for i := 1; i < len(recs); i++ {
		recs[i] = edit(i, recs[i])
	}
	return recs
}

// injections are the script, markup, formula and SQL payloads sent in
// every text field.
var injections = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`=HYPERLINK("http://evil.example","click")`,
	`+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	`'); DROP TABLE surveys;--`,
	`Robert'); DELETE FROM responses_1;--`,
}

// sendOversized streams a file part one megabyte past the upload limit.
func sendOversized(t *testing.T, e *hostileEnv) (int, []byte) {
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		part, _ := w.CreateFormFile("file", "big.csv")
		io.Copy(part, io.LimitReader(hostileZeros{}, maxUpload+2<<20))
		w.Close()
		pw.Close()
	}()
	code, body := e.request(t, "POST", "/api/v1/imports", pr, w.FormDataContentType(), e.tokens[analytics.RoleAnalyst])
	pr.CloseWithError(io.ErrClosedPipe)
	return code, body
}

type hostileZeros struct{}

func (hostileZeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// sendManyParts sends 5,000 form fields before the file.
func sendManyParts(t *testing.T, e *hostileEnv) (int, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := range 5000 {
		w.WriteField(fmt.Sprintf("f%d", i), "x")
	}
	part, _ := w.CreateFormFile("file", "parts.csv")
	part.Write(validCSV(t.Name()))
	w.Close()
	return e.request(t, "POST", "/api/v1/imports", &buf, w.FormDataContentType(), e.tokens[analytics.RoleAnalyst])
}
