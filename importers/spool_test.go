package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestSpoolRoundTrip checks that rows come back from the spool as written,
// with their row numbers, including cells that CSV would have quoted, and
// with CR LF read as LF as the CSV spool did.
func TestSpoolRoundTrip(t *testing.T) {
	sp, err := newSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	long := strings.Repeat("x", 200_000)
	in := [][]string{
		{"a", "", "c"},
		{"", "", ""},
		{`quote " and, comma`, " leading space", "line\nbreak"},
		{"crlf\r\nhere\r\n", "bare\rcr", long},
		{"é ü 😀", "\x00\xff", `\.`},
		{},
	}
	want := [][]string{
		in[0], in[1], in[2],
		{"crlf\nhere\n", "bare\rcr", long},
		in[4], {},
	}
	rows := []int{2, 3, 10, 11, 1_000_000_000, 12}
	for i, cells := range in {
		if err := sp.add(rows[i], cells); err != nil {
			t.Fatal(err)
		}
	}
	if in[3][0] != "crlf\r\nhere\r\n" {
		t.Errorf("add changed the caller's cell to %q", in[3][0])
	}
	for pass := range 2 {
		rd, err := sp.reader()
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for i := range want {
			row, cells, err := rd.next()
			if err != nil {
				t.Fatalf("pass %d row %d: %v", pass, i, err)
			}
			if row != rows[i] {
				t.Errorf("pass %d: row number %d, want %d", pass, row, rows[i])
			}
			if len(cells) != len(want[i]) || (len(cells) > 0 && !reflect.DeepEqual(cells, want[i])) {
				t.Errorf("pass %d row %d: cells %q, want %q", pass, i, cells, want[i])
			}
			kept = append(kept, cells...)
		}
		if _, _, err := rd.next(); !errors.Is(err, io.EOF) {
			t.Errorf("pass %d: after the last row got %v, want io.EOF", pass, err)
		}
		var all []string
		for _, w := range want {
			all = append(all, w...)
		}
		if !reflect.DeepEqual(kept, all) {
			t.Errorf("pass %d: cells kept across calls changed", pass)
		}
	}
}

// FuzzSpoolAsCSV checks that the spool gives back what the CSV spool it
// replaced gave back (encoding/csv written and read again) for any cells.
func FuzzSpoolAsCSV(f *testing.F) {
	f.Add("a", "", "line\r\nbreak", 7)
	f.Add(`"quoted"`, " space", "\r", 1)
	f.Add("\n", "\r\r\n", "x,y", 1<<40)
	f.Fuzz(func(t *testing.T, a, b, c string, row int) {
		if row < 0 {
			row = -row
		}
		if row < 0 {
			row = 0
		}
		cells := []string{a, b, c}
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		if err := cw.Write(append([]string{strconv.Itoa(row)}, cells...)); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		cr := csv.NewReader(&buf)
		cr.FieldsPerRecord = -1
		rec, err := cr.Read()
		if err != nil {
			t.Skip("not CSV the old spool could read back:", err)
		}
		sp, err := newSpool()
		if err != nil {
			t.Fatal(err)
		}
		defer sp.close()
		if err := sp.add(row, cells); err != nil {
			t.Fatal(err)
		}
		rd, err := sp.reader()
		if err != nil {
			t.Fatal(err)
		}
		gotRow, got, err := rd.next()
		if err != nil {
			t.Fatal(err)
		}
		if strconv.Itoa(gotRow) != rec[0] || !reflect.DeepEqual(got, rec[1:]) {
			t.Errorf("spool gave row %d %q, CSV gave %q", gotRow, got, rec)
		}
	})
}
