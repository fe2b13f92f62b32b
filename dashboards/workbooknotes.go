package dashboards

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Creator is the name a workbook heard writes gives as its creator.
const Creator = "heard"

// NotesSheet is the name of the sheet that says what a workbook holds.
const NotesSheet = "About these figures"

// WorkbookNotes is what a workbook says about itself, on its last sheet
// (NotesSheet) and in its document properties: what it is, when it was
// made, what its figures are, and what was left out and under which rule.
type WorkbookNotes struct {
	// Title names the workbook: "People feedback survey: dashboard".
	Title string
	// Made is when the workbook was made.
	Made time.Time
	// Scope says what the figures cover, in a sentence or two: the board's
	// publication, or the staff view with its filters.
	Scope string
	// Policy names the disclosure policy the figures obey and Rule says it
	// in words; both are empty in a staff view, which hides nothing.
	Policy, Rule string
	// Confidence is the level of the intervals, such as 0.95.
	Confidence float64
}

// WriteNotedWorkbook writes tables as WriteWorkbook does, then a last
// sheet, NotesSheet, saying what the workbook is, when it was made, what
// each sheet and each kind of column holds, and how many figures each
// sheet leaves out ("–") and why; and it sets the workbook's document
// properties: heard as its creator, its title, and when it was made.
func WriteNotedWorkbook(w io.Writer, tables []Table, notes WorkbookNotes) error {
	if len(tables) == 0 {
		return fmt.Errorf("write workbook: there are no tables to write")
	}
	all := append(append([]Table(nil), tables...), notesTable(tables, notes))
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, all); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return fmt.Errorf("write workbook: reopen it to set its properties: %w", err)
	}
	defer f.Close()
	made := notes.Made.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: Creator, LastModifiedBy: Creator, Created: made,
		Modified: made, Title: notes.Title, Description: notes.Scope, Language: "en-GB"}); err != nil {
		return fmt.Errorf("write workbook: set its properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// notesTable is the table of the workbook's notes sheet.
func notesTable(tables []Table, n WorkbookNotes) Table {
	t := Table{Name: NotesSheet, Caption: "About these figures: " + n.Title, Columns: []string{"What", "Detail"}}
	add := func(what, detail string) { t.Rows = append(t.Rows, []Cell{textCell(what), textCell(detail)}) }
	add("Made by", Creator)
	add("Made on", n.Made.UTC().Format("2006-01-02 15:04")+" UTC")
	if n.Scope != "" {
		add("What the figures cover", n.Scope)
	}
	if n.Policy != "" {
		add("What was left out", "Figures on too few answers to publish are not shown (–), under the "+n.Policy+" policy: "+n.Rule)
	} else {
		add("What was left out", "Nothing: this is the staff view, with every figure. Do not pass it on outside the service; "+
			"the board's view hides figures on too few answers.")
	}
	names := sheetNames(tables)
	for i, tb := range tables {
		hidden := 0
		for _, r := range tb.Rows {
			for _, c := range r[1:] {
				if c.Text == noFigure {
					hidden++
				}
			}
		}
		detail := tb.Caption
		if hidden > 0 {
			detail += ". " + Plural(hidden, "figure") + " not shown (–)"
		}
		add("Sheet “"+names[i]+"”", detail)
	}
	level := Confidence(n.Confidence)
	add("Figure", "The share of people who gave the answers the figure counts, of everyone who answered the question (a Net "+
		"Promoter Score or a mean score where the sheet says so).")
	add("Base (n)", "The number of answers a figure is worked out from.")
	add("Lower and upper limits, interval", "The "+level+" confidence interval: the range the true figure very likely lies in, "+
		"had everyone been asked. The fewer the answers, the wider it is.")
	add("Change, ▲ and ▼, significant", "A change or difference is called significant when it is larger than chance "+
		"alone would explain at "+level+"; otherwise the figures may differ only because different people answered.")
	add("–", "A figure not shown: too few answers to publish, or a figure that would give one of those away.")
	return t
}
