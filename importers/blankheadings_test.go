package importers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// TestBlankHeadingRowIsRefused is finding 9 (in issue 8) part 1: a file
// whose heading row is blank (",,," then responses) was read with its first
// response as the column headings. It is refused, naming the file and
// row; blank rows or a title above real headings still import.
func TestBlankHeadingRowIsRefused(t *testing.T) {
	data := "1,2024-05-01,Yes,Good\r\n2,2024-05-02,No,Bad\r\n3,2024-05-03,Yes,Good\r\n"
	headings := "ID,Date submitted,Do you feel safe?,Comments\r\n"
	tests := []struct {
		name, csv string
		refused   bool
		row       int
		headers   string
	}{
		{"blank heading row", ",,,\r\n" + data, true, 1, ""},
		{"two blank rows then responses", ",,,\r\n,,,\r\n" + data, true, 1, ""},
		{"blank row above headings", ",,,\r\n" + headings + data, false, 0, "ID|Date submitted|Do you feel safe?|Comments"},
		{"title and blank row above headings", "Feedback for May,,,\r\n,,,\r\n" + headings + data, false, 0, "ID|Date submitted|Do you feel safe?|Comments"},
		{"title right above headings", "Feedback for May,,,\r\n" + headings + data, false, 0, "ID|Date submitted|Do you feel safe?|Comments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "may.csv")
			if err := os.WriteFile(path, []byte(tt.csv), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := Prepare(context.Background(), path, "may.csv", nil, Options{}, nil)
			if !tt.refused {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				defer p.Close()
				if got := strings.Join(p.Layout.Headers, "|"); got != tt.headers || p.RowsRead != 3 {
					t.Errorf("headings %q and %d rows; want %q and 3", got, p.RowsRead, tt.headers)
				}
				return
			}
			var ie *analytics.ImportError
			if !errors.As(err, &ie) {
				if err == nil {
					p.Close()
				}
				t.Fatalf("err = %v; want an *analytics.ImportError (headings read: %q)", err, p.Layout.Headers)
			}
			if ie.File != "may.csv" || ie.Row != tt.row || !strings.Contains(ie.Message, "column headings") {
				t.Errorf("error %q; want one naming may.csv, row %d and the column headings", ie.Error(), tt.row)
			}
		})
	}
}
