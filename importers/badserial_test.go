package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics"
)

// TestInvalidSerialDatesInSubmittedColumn is finding 9 (in issue 8) part
// 2: a submitted-date column of numbers that cannot be Excel serial dates
// (9999999, -5, 3e10) was silently read as a number question. The import
// now fails naming the column and the first bad row; good serials in a
// workbook still read as dates.
func TestInvalidSerialDatesInSubmittedColumn(t *testing.T) {
	tests := []struct {
		name, header string
		xlsx         bool
		dates        []any
		badRow       int // 0: imports
	}{
		{"csv date submitted", "Date submitted", false, []any{"45000", "9999999", "-5", "3e10"}, 3},
		{"csv first row bad", "Date submitted", false, []any{"-5", "45000", "45001", "45002"}, 2},
		{"xlsx completion time", "Completion time", true, []any{45000.5, 9999999, -5, 3e10}, 3},
		{"xlsx good serials", "Completion time", true, []any{45000.5, 45001.25, 45002, 45003.75}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := [][]any{{"ID", tt.header, "Do you feel safe?"}}
			for i, d := range tt.dates {
				rows = append(rows, []any{i + 1, d, []string{"Yes", "No"}[i%2]})
			}
			path := writeTable(t, rows, tt.xlsx)
			p, err := Prepare(context.Background(), path, filepath.Base(path), nil, Options{}, nil)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			defer p.Close()
			next, err := p.Responses()
			if err != nil {
				t.Fatal(err)
			}
			var rerr error
			n := 0
			for {
				r, err := next()
				if err != nil {
					rerr = err
					break
				}
				if tt.badRow == 0 && r.Submitted.IsZero() {
					t.Errorf("row %d has no date", r.Row)
				}
				n++
			}
			if tt.badRow == 0 {
				if !errors.Is(rerr, io.EOF) || n != len(tt.dates) {
					t.Fatalf("%d responses, then %v", n, rerr)
				}
				return
			}
			var list ErrorList
			if !errors.As(rerr, &list) || len(list) == 0 {
				t.Fatalf("%d responses, then %v; want the bad dates refused (mapping %+v)", n, rerr, p.Mapping.Columns)
			}
			first := list[0]
			if first.File != filepath.Base(path) || first.Row != tt.badRow || first.Column != tt.header ||
				!strings.Contains(first.Message, "Excel date") {
				t.Errorf("first problem %q; want one naming %s, row %d, column %q", first.Error(), filepath.Base(path), tt.badRow, tt.header)
			}
			for _, q := range p.Mapping.Questions {
				if q.Text == tt.header && q.Kind == analytics.KindNumber {
					t.Errorf("%q read as a number question", tt.header)
				}
			}
		})
	}
}

// writeTable writes rows as a CSV file or a one-sheet workbook.
func writeTable(tb testing.TB, rows [][]any, xlsx bool) string {
	tb.Helper()
	dir := tb.TempDir()
	if !xlsx {
		var b strings.Builder
		for _, r := range rows {
			for j, v := range r {
				if j > 0 {
					b.WriteByte(',')
				}
				fmt.Fprint(&b, v)
			}
			b.WriteString("\r\n")
		}
		path := filepath.Join(dir, "dates.csv")
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			tb.Fatal(err)
		}
		return path
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(dir, "dates.xlsx")
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}
