package table

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// externalDir is where the real export files live; tests that need them skip
// when the shared data is not checked out next to the repository.
func externalDir(tb testing.TB) string {
	tb.Helper()
	dir, err := findExternalDir()
	if err != nil {
		tb.Skipf("real sample files are not available: %v", err)
	}
	return dir
}

// findExternalDir finds the real sample files: shared/ inside the checkout,
// or beside it, where CI and the developers' worktrees have it.
func findExternalDir() (string, error) {
	var err error
	for _, up := range []string{filepath.Join("..", ".."), filepath.Join("..", "..", "..")} {
		dir := filepath.Join(up, "shared", "data", "external")
		if _, err = os.Stat(dir); err == nil {
			return dir, nil
		}
	}
	return "", err
}

// writeTemp writes data to a file called name in a fresh temporary folder.
func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatalf("write %s: %v", p, err)
	}
	return p
}

// tableRows is everything a Table gave.
type tableRows struct {
	info  Info
	cells [][]string
	rows  []int
}

// readTable opens path and drains it; err is the first error other than io.EOF.
func readTable(tb testing.TB, path string, opts Options) (tableRows, error) {
	tb.Helper()
	t, info, err := Open(path, filepath.Base(path), opts)
	if err != nil {
		return tableRows{}, err
	}
	defer func() {
		if err := t.Close(); err != nil {
			tb.Errorf("close %s: %v", path, err)
		}
	}()
	out := tableRows{info: info}
	for {
		cells, row, err := t.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out.cells = append(out.cells, cells)
		out.rows = append(out.rows, row)
	}
}

// mustRead is readTable for files that must read without error.
func mustRead(tb testing.TB, path string, opts Options) tableRows {
	tb.Helper()
	got, err := readTable(tb, path, opts)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return got
}

// importError returns err as an *analytics.ImportError, failing the test if
// it is not one.
func importError(tb testing.TB, err error) *analytics.ImportError {
	tb.Helper()
	var ie *analytics.ImportError
	if !errors.As(err, &ie) {
		tb.Fatalf("want an *analytics.ImportError, got %T: %v", err, err)
	}
	return ie
}

// cell returns row r, column c of rows, or "" when the row is shorter.
func (tr tableRows) cell(r, c int) string {
	if r >= len(tr.cells) || c >= len(tr.cells[r]) {
		return ""
	}
	return tr.cells[r][c]
}

// zipPart is one entry of a zip built by a test.
type zipPart struct {
	name, body string
}

// buildZip writes parts, deflated, into a zip archive.
func buildZip(tb testing.TB, parts []zipPart) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatalf("zip %s: %v", p.name, err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			tb.Fatalf("zip %s: %v", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatalf("close zip: %v", err)
	}
	return buf.Bytes()
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relDoc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// workbookParts is a minimal workbook with one sheet, "Responses", whose
// <sheetData> holds sheetData; sst, when not "", is the shared-strings part.
func workbookParts(sheetData, sst string) []zipPart {
	parts := []zipPart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relDoc + `officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + nsMain + ` ` + nsRel + `>` +
			`<sheets><sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relDoc + `worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relDoc + `sharedStrings" Target="sharedStrings.xml"/>` +
			`</Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + nsMain + `>` +
			`<sheetData>` + sheetData + `</sheetData></worksheet>`},
	}
	if sst != "" {
		parts = append(parts, zipPart{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?>` + sst})
	}
	return parts
}

// sstOf builds a shared-strings part holding texts.
func sstOf(texts ...string) string {
	var b strings.Builder
	b.WriteString(`<sst ` + nsMain + `>`)
	for _, t := range texts {
		b.WriteString("<si><t>" + t + "</t></si>")
	}
	b.WriteString("</sst>")
	return b.String()
}

func TestDefaultLimits(t *testing.T) {
	d := DefaultLimits()
	want := Limits{MaxFileBytes: 200 << 20, MaxUnzippedBytes: 1 << 30, MaxRows: 2_000_000,
		MaxColumns: 5_000, MaxCellBytes: 1 << 20}
	if d != want {
		t.Errorf("DefaultLimits() = %+v, want %+v", d, want)
	}
	if got := (Limits{}).orDefaults(); got != want {
		t.Errorf("zero Limits = %+v, want the defaults", got)
	}
	if got := (Limits{MaxRows: 10}).orDefaults(); got.MaxRows != 10 || got.MaxColumns != want.MaxColumns {
		t.Errorf("Limits{MaxRows: 10} = %+v, want MaxRows 10 and the other defaults", got)
	}
}

func TestColumnName(t *testing.T) {
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA", 16384: "XFD"} {
		if got := columnName(n); got != want {
			t.Errorf("columnName(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestOpenTableMissingFile(t *testing.T) {
	_, _, err := Open(filepath.Join(t.TempDir(), "nope.csv"), "nope.csv", Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want a wrapped os.ErrNotExist", err)
	}
}

func TestOpenTableFileTooBig(t *testing.T) {
	p := writeTemp(t, "big.csv", []byte(strings.Repeat("a,b\n", 1000)))
	_, err := readTable(t, p, Options{Limits: Limits{MaxFileBytes: 1000}})
	ie := importError(t, err)
	if !strings.HasPrefix(ie.Message, msgTooBigPrefix) || ie.File != "big.csv" {
		t.Errorf("got %+v, want a too-large message naming big.csv", ie)
	}
}
