package table

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// messageKind names the kind of problem a message reports, so tests can say
// which kind they expect without repeating the wording.
func messageKind(msg string) string {
	switch {
	case msg == msgEmpty, msg == msgEmptyWorkbook:
		return "empty"
	case msg == msgEncrypted:
		return "encrypted"
	case msg == msgXLS:
		return "xls"
	case msg == msgODS:
		return "ods"
	case strings.HasPrefix(msg, msgNotWorkbook):
		return "not-workbook"
	case strings.HasPrefix(msg, msgNotTable):
		return "not-table"
	case strings.HasPrefix(msg, msgDamagedPrefix):
		return "damaged"
	case strings.HasPrefix(msg, msgUnusualPrefix):
		return "unusual"
	case strings.HasPrefix(msg, msgTooBigPrefix):
		return "too-big"
	case strings.HasPrefix(msg, msgMixedEncodingPrefix):
		return "mixed-encoding"
	}
	return "other: " + msg
}

// wantKind opens path and checks it is refused with a message of kind.
func wantKind(t *testing.T, path, kind string) {
	t.Helper()
	_, err := readTable(t, path, Options{})
	if err == nil {
		t.Fatalf("%s opened without error, want a %q message", path, kind)
	}
	ie := importError(t, err)
	if got := messageKind(ie.Message); got != kind {
		t.Errorf("%s: message kind %q, want %q; message: %s", filepath.Base(path), got, kind, ie.Message)
	}
	if ie.File != filepath.Base(path) {
		t.Errorf("%s: File = %q, want the upload's name", path, ie.File)
	}
}

func TestBrokenRealFiles(t *testing.T) {
	dir := externalDir(t)
	tests := []struct{ file, kind string }{
		{"calamine-testfiles/pass_protected.xlsx", "encrypted"},
		{"excelize-testfiles/encryptAES.xlsx", "encrypted"},
		{"calamine-testfiles/date.xls", "xls"},
		{"calamine-testfiles/too_small.xls", "not-table"},
		{"calamine-testfiles/date.ods", "ods"},
		{"tealeg-xlsx-testdocs/badfile_noWorkbookRels.xlsx", "damaged"},
		{"tealeg-xlsx-testdocs/badfile_noWorksheets.xlsx", "damaged"},
		{"excelize-testfiles/BadWorkbook.xlsx", "damaged"},
		{"calamine-testfiles/empty_sheet.xlsx", "empty"},
		// excelize drops every cell whose style attribute is s="": refused, not read as empty.
		{"calamine-testfiles/empty_s_attribute.xlsx", "unusual"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			wantKind(t, filepath.Join(dir, tt.file), tt.kind)
		})
	}
}

func TestBrokenGeneratedFiles(t *testing.T) {
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i * 7919 % 251)
	}
	tests := []struct {
		name string
		data []byte
		kind string
	}{
		{"zero bytes", nil, "empty"},
		{"utf-8 byte order mark only", []byte("\xef\xbb\xbf"), "empty"},
		{"whitespace only", []byte("  \r\n\n\t \r\n"), "empty"},
		{"utf-16 byte order mark and newlines", []byte("\xff\xfe\r\x00\n\x00"), "empty"},
		{"only blank records", []byte(",,,\n , ,\n\n"), "empty"},
		{"binary junk with NUL bytes", junk, "not-table"},
		{"control characters", []byte("a\x01b\x02c\x03d\x04e\x05\n"), "not-table"},
		{"web page", []byte("<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>\n"), "not-table"},
		{"one line of text", []byte("Attachment not found!\n"), "not-table"},
		{"utf-8 mixed with windows-1252", []byte("name,town\nJosé,Zürich\nRen\xe9,Paris\n"), "mixed-encoding"},
		{"zip of a word document", buildZip(t, []zipPart{{"word/document.xml", "<document/>"},
			{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="` + relDoc + `officeDocument" Target="word/document.xml"/></Relationships>`}}),
			"not-workbook"},
		{"zip of a text file", buildZip(t, []zipPart{{"survey.csv", "a,b\n1,2\n"}}), "not-workbook"},
		{"empty zip", buildZip(t, nil), "not-workbook"},
		{"opendocument text", buildZip(t, []zipPart{{"mimetype", "application/vnd.oasis.opendocument.text"}}),
			"not-workbook"},
		{"excel binary workbook", buildZip(t, []zipPart{{"xl/workbook.bin", "\x00\x01"},
			{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="` + relDoc + `officeDocument" Target="xl/workbook.bin"/></Relationships>`}}),
			"not-workbook"},
		{"workbook with no sheets", buildZip(t, []zipPart{workbookParts("", "")[1],
			{"xl/workbook.xml", `<workbook ` + nsMain + `><sheets/></workbook>`}, workbookParts("", "")[3]}),
			"damaged"},
		{"workbook whose XML is cut short", buildZip(t, []zipPart{workbookParts("", "")[1],
			{"xl/workbook.xml", `<workbook ` + nsMain + `><sheets><sheet name="A"`}}), "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKind(t, writeTemp(t, "upload.dat", tt.data), tt.kind)
		})
	}
}

func TestTruncatedWorkbook(t *testing.T) {
	whole, err := os.ReadFile(filepath.Join(externalDir(t), "msforms-phonebrandpred", "surveyEng.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []int{len(whole) / 2, len(whole) - 30, 100} {
		p := writeTemp(t, "surveyEng.xlsx", whole[:keep])
		wantKind(t, p, "damaged")
	}
}

// storedWorkbook is a workbook whose parts are stored uncompressed, so a
// test can change bytes inside a part without breaking the compression.
func storedWorkbook(t *testing.T, sheetData, sst string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range workbookParts(sheetData, sst) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestChecksumDamage(t *testing.T) {
	data := storedWorkbook(t, `<row r="1"><c r="A1"><v>12345</v></c></row>`, "")
	if got := mustRead(t, writeTemp(t, "ok.xlsx", data), Options{}); got.cell(0, 0) != "12345" {
		t.Fatalf("intact workbook reads %q, want 12345", got.cells)
	}
	i := bytes.Index(data, []byte("<v>12345</v>"))
	if i < 0 {
		t.Fatal("value not found in the stored workbook")
	}
	data[i+3] = '9' // "92345": excelize alone would return this without complaint
	wantKind(t, writeTemp(t, "crc.xlsx", data), "damaged")
}

func TestSniffContainer(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want container
	}{
		{"zip", []byte("PK\x03\x04rest"), containerZip},
		{"empty zip", []byte("PK\x05\x06"), containerZip},
		{"csv", []byte("a,b,c\n"), containerText},
		{"short", []byte("a"), containerText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sniffContainer(bytes.NewReader(tt.head), int64(len(tt.head)), "f")
			if err != nil || got != tt.want {
				t.Errorf("sniffContainer(%q) = %v, %v; want %v", tt.head, got, err, tt.want)
			}
		})
	}
}

func TestOLEWithoutDirectoryIsDamaged(t *testing.T) {
	data := append(append([]byte{}, oleMagic...), bytes.Repeat([]byte{0xff}, 600)...)
	wantKind(t, writeTemp(t, "old.xls", data), "damaged")
}
