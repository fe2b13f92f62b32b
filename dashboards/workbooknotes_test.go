package dashboards

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestNotedWorkbook: the notes sheet comes last and says who made the
// workbook and when, what each sheet holds and how many figures it leaves
// out under which policy; the document properties name heard and the
// date; text from an upload stays data.
func TestNotedWorkbook(t *testing.T) {
	made := time.Date(2025, 4, 2, 9, 30, 0, 0, time.UTC)
	tables := []Table{
		{Name: "Trend", Caption: "=Overall satisfaction by month", Columns: []string{"Month", "Figure", "Base (n)"},
			Rows: [][]Cell{{textCell("March 2025"), {Text: "77.3%", Value: new(0.773), Format: Percent}, CountCell(new(int64(207)))},
				{textCell("April 2025"), textCell("–"), textCell("–")}}},
		{Name: "By team", Caption: "Overall satisfaction by team", Columns: []string{"Team", "Figure"},
			Rows: [][]Cell{{textCell("North"), {Text: "80.0%", Value: new(0.8), Format: Percent}}}},
	}
	notes := WorkbookNotes{Title: "=People feedback: dashboard", Made: made, Scope: "The board's publication, by month.",
		Policy: "heard", Rule: "heard's rule: a figure on fewer than 10 answers is hidden.", Confidence: 0.95}
	var buf bytes.Buffer
	if err := WriteNotedWorkbook(&buf, tables, notes); err != nil {
		t.Fatal(err)
	}
	f := readBack(t, buf.Bytes())
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "Trend" || sheets[2] != NotesSheet {
		t.Fatalf("sheets %q, want the tables then %q", sheets, NotesSheet)
	}
	rows, err := f.GetRows(NotesSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	detail := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			detail[r[0]] = r[1]
		}
		for _, c := range r {
			if !startsSafe(c) {
				t.Errorf("notes cell %q could be read as a formula", c)
			}
		}
	}
	want := map[string]string{
		"Made by":           "heard",
		"Made on":           "2025-04-02 09:30 UTC",
		"Sheet “Trend”":     "Overall satisfaction by month. 2 figures not shown (–)",
		"Sheet “By team”":   "Overall satisfaction by team",
		"What was left out": "Figures on too few answers to publish are not shown (–), under the heard policy: heard's rule: a figure on fewer than 10 answers is hidden.",
	}
	for k, v := range want {
		if got := strings.TrimPrefix(detail[k], "'"); !strings.HasSuffix(got, v) {
			t.Errorf("notes %q = %q, want %q", k, detail[k], v)
		}
	}
	if !strings.Contains(detail["Lower and upper limits, interval"], "95% confidence interval") ||
		!strings.Contains(detail["Change, ▲ and ▼, significant"], "larger than chance") {
		t.Errorf("the notes do not explain the interval and significance: %q", detail)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "heard" || props.Created != "2025-04-02T09:30:00Z" || props.Title != notes.Title {
		t.Errorf("document properties %+v", props)
	}

	// A staff workbook says that nothing was left out.
	buf.Reset()
	notes.Policy, notes.Rule = "", ""
	if err := WriteNotedWorkbook(&buf, tables[1:], notes); err != nil {
		t.Fatal(err)
	}
	rows, _ = readBack(t, buf.Bytes()).GetRows(NotesSheet)
	found := false
	for _, r := range rows {
		found = found || len(r) == 2 && r[0] == "What was left out" && strings.HasPrefix(r[1], "Nothing: this is the staff view")
	}
	if !found {
		t.Errorf("the staff workbook's notes do not say nothing was left out: %q", rows)
	}
	if err := WriteNotedWorkbook(&bytes.Buffer{}, nil, notes); err == nil {
		t.Error("a workbook of no tables was written")
	}
}
