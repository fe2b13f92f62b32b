package importers

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// hostileComments makes n cells of a comments column where most people
// wrote "No", "None", "N/A", "-" or "nothing" and the last written of them
// wrote sentences of their own, some of them short.
func hostileComments(n, written int) []string {
	nothing := []string{"No", "None", "N/A", "-", "nothing", "no", "NONE", "n/a", "No comment"}
	sentences := []string{"Staff were kind.", "Thank you!", "My carer Jane Smith at 4 Elm Road has been wonderful to me",
		"The assessment took far too long, I waited six weeks.", "Could not get through on the phone at all",
		"More visits please. Mum is lonely", "Please ring before you come.", "Very happy.",
		"I was never told when the carer would arrive or who it would be"}
	cells := make([]string, n)
	for i := range cells {
		if i >= n-written {
			k := i - (n - written)
			cells[i] = sentences[k%len(sentences)]
			if k >= len(sentences) {
				cells[i] = fmt.Sprintf("%s (visit %d)", sentences[k%len(sentences)], k)
			}
			continue
		}
		cells[i] = nothing[i%len(nothing)]
	}
	return cells
}

// TestFreeTextNeverBecomesAnOption is finding 1 of issue 8: a comments
// column where most people wrote "No" and a few wrote sentences was read as
// a single choice, each sentence an option shown to the board. Text is
// decided from the values as a person would; real choices stay choices.
func TestFreeTextNeverBecomesAnOption(t *testing.T) {
	names := []string{"Jane Smith", "Bob", "Mrs Patel", "Ahmed", "J. Brown", "Tom O'Neill", "Sue", "Priya K",
		"Dave", "Helen Wood", "Gary", "Ann Lee", "Mo", "Lucy Grey", "Raj", "Kate", "Bill Hart", "Zoe", "Sam T",
		"Ruth", "Olu", "Nina", "Carl", "Amy P", "Ian"}
	long := []string{"I have as much control over my daily life as I want",
		"I have adequate control over my daily life", "I have some control over my daily life, but not enough",
		"I have no control over my daily life"}
	yesBecause := repeat(200, "Yes", "No", "Yes", "No", "Yes")
	for i, s := range []string{"Yes, because the carer helped me a lot", "Yes, they came on time.",
		"Yes but only sometimes, it depends who comes", "No, nobody rang me back."} {
		yesBecause[i*40] = s
	}
	tests := []struct {
		name  string
		cells []string
		kind  analytics.Kind
		opts  int // options of a choice
		note  bool
	}{
		{"170 say no, 30 write sentences", hostileComments(200, 30), analytics.KindText, 0, true},
		{"195 say no, 5 write sentences", hostileComments(200, 5), analytics.KindText, 0, true},
		{"one sentence among nothing", hostileComments(200, 1), analytics.KindText, 0, true},
		{"short distinct names", repeat(30, names...), analytics.KindText, 0, false},
		{"names among no", append(hostileComments(170, 0), names...), analytics.KindText, 0, true},
		{"yes or no with a few reasons", yesBecause, analytics.KindText, 0, true},
		{"short-label single choice", repeat(200, "Phone", "Email", "Letter", "In person", "Phone", "Email"), analytics.KindSingle, 4, false},
		{"short-label choice, small file", repeat(12, "Phone", "Email", "Letter", "In person"), analytics.KindSingle, 4, false},
		{"long option labels chosen often", repeat(200, long...), analytics.KindSingle, 4, false},
		{"yes no and none", repeat(200, "Yes", "No", "None", "Yes"), analytics.KindSingle, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := "Any other comments?"
			rows := synthetic([]string{"Response ID", "Date Started", header},
				numbered(len(tt.cells)), repeat(len(tt.cells), "03/05/2024"), tt.cells)
			p := prepareRows(t, rows)
			q := question(t, p.Mapping, header)
			if q.Kind != tt.kind || len(q.Options) != tt.opts {
				t.Fatalf("read as %s with %d options %q, want %s with %d", q.Kind, len(q.Options), optionLabels(q.Options), tt.kind, tt.opts)
			}
			noted := strings.Contains(strings.Join(p.Warnings(), "\n"), fmt.Sprintf("column %q was read as free text", header))
			if noted != tt.note {
				t.Errorf("the import summary says %q; want a free-text note: %v", p.Warnings(), tt.note)
			}
			for _, w := range p.Warnings() {
				if strings.Contains(w, "Jane Smith") || strings.Contains(w, "Staff were kind") {
					t.Errorf("the summary quotes what a respondent wrote: %q", w)
				}
			}
		})
	}
}

// numbered is n respondent ids, "1" to n.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(i + 1)
	}
	return out
}

// optionLabels are the labels of options.
func optionLabels(opts []analytics.Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Label
	}
	return out
}

// prepareRows writes rows to a CSV file and prepares it as an upload would
// be, for a new survey.
func prepareRows(tb testing.TB, rows [][]string) *Prepared {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "hostile.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	p, err := Prepare(context.Background(), path, "hostile.csv", nil, Options{}, nil)
	if err != nil {
		tb.Fatalf("Prepare: %v", err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}
