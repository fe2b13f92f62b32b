package synthetic

import (
	"archive/zip"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestSharedStringsWorkbook checks that the shared-string workbook holds
// the same cells as the inline one excelize writes, read back by excelize,
// and that each really is of its kind.
func TestSharedStringsWorkbook(t *testing.T) {
	dir := t.TempDir()
	for _, order := range []bool{false, true} {
		inline, shared := filepath.Join(dir, "inline.xlsx"), filepath.Join(dir, "shared.xlsx")
		if err := WriteXLSXWith(inline, 500, 3, Options{DateOrder: order}); err != nil {
			t.Fatal(err)
		}
		if err := WriteXLSXWith(shared, 500, 3, Options{DateOrder: order, SharedStrings: true}); err != nil {
			t.Fatal(err)
		}
		want, got := readRows(t, inline), readRows(t, shared)
		if len(want) != 501 || len(got) != len(want) {
			t.Fatalf("rows: inline %d, shared %d, want 501 both", len(want), len(got))
		}
		for r := range want {
			if !slices.Equal(got[r], want[r]) {
				t.Fatalf("row %d: shared %q, inline %q", r+1, got[r], want[r])
			}
		}
		if sheet := part(t, inline, "xl/worksheets/sheet1.xml"); !strings.Contains(sheet, `t="inlineStr"`) {
			t.Error("the inline workbook has no inline strings")
		}
		sheet := part(t, shared, "xl/worksheets/sheet1.xml")
		if strings.Contains(sheet, "inlineStr") || !strings.Contains(sheet, `t="s"`) {
			t.Error("the shared workbook's sheet does not point into the shared string table")
		}
		if sst := part(t, shared, "xl/sharedStrings.xml"); !strings.Contains(sst, "<si><t>Very good</t></si>") {
			t.Error("the shared string table lacks an answer")
		}
	}
}

// TestDateOrder checks that date order changes only the dates, which then
// rise over the two years.
func TestDateOrder(t *testing.T) {
	collect := func(opt Options) [][]string {
		var rows [][]string
		if err := RowsWith(2000, 5, opt, func(row []string) error {
			rows = append(rows, slices.Clone(row))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	random, ordered := collect(Options{}), collect(Options{DateOrder: true})
	var prev, first time.Time
	falls := 0
	for i := range ordered {
		a, b := slices.Clone(random[i]), slices.Clone(ordered[i])
		a[1], b[1] = "", ""
		if !slices.Equal(a, b) {
			t.Fatalf("row %d differs beyond its date: %q against %q", i, ordered[i], random[i])
		}
		at, err := time.Parse("02/01/2006 15:04", ordered[i][1])
		if err != nil {
			t.Fatal(err)
		}
		if at.Before(prev) {
			t.Fatalf("row %d: %s before the row above's %s", i, at, prev)
		}
		if i == 0 {
			first = at
		}
		prev = at
		r, _ := time.Parse("02/01/2006 15:04", random[i][1])
		if i > 0 {
			p, _ := time.Parse("02/01/2006 15:04", random[i-1][1])
			if r.Before(p) {
				falls++
			}
		}
	}
	if span := prev.Sub(first); span < 700*24*time.Hour {
		t.Errorf("ordered dates span %s, want about two years", span)
	}
	if falls < 500 {
		t.Errorf("random order: only %d of 2000 dates fall below the one above", falls)
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func part(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
