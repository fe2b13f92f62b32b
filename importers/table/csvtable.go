package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// csvTable reads the rows of a CSV file, decoded to UTF-8, through encoding/csv.
type csvTable struct {
	file   *os.File
	name   string
	lim    Limits
	delim  byte
	guard  *csvGuard
	r      *csv.Reader
	width  int         // cells in the heading row; every row is made this wide
	queued []queuedRow // rows read ahead while opening
	rows   int         // rows returned so far
	err    error       // a failure, returned again by every later Next
}

// queuedRow is a row read while opening the file, not yet returned.
type queuedRow struct {
	cells []string
	row   int
}

// openCSV opens f (size bytes, not a zip) as a CSV table. It keeps f open
// until Close.
func openCSV(f *os.File, size int64, name string, lim Limits) (Table, Info, error) {
	enc, text, err := detectEncoding(f, size, name)
	if err != nil {
		return nil, Info{}, err
	}
	delim := detectDelimiter(text, size > sniffBytes)
	src, err := enc.open(f)
	if err != nil {
		return nil, Info{}, fmt.Errorf("read upload %q: %w", name, err)
	}
	t := &csvTable{file: f, name: name, lim: lim, delim: delim}
	t.guard = newCSVGuard(src, name, delim, lim)
	t.r = csv.NewReader(bufio.NewReaderSize(t.guard, int(min(max(size, 4<<10), 64<<10))))
	t.r.Comma = rune(delim)
	t.r.FieldsPerRecord = -1
	t.r.LazyQuotes = false
	if err := t.readHeading(); err != nil {
		return nil, Info{}, err
	}
	info := Info{Container: "csv", Encoding: enc.name, Delimiter: rune(delim)}
	return t, info, nil
}

// readHeading reads the first row that is not blank, which sets the width of
// every row. A file with no such row is empty; a file that is one line of
// text with no delimiter is not a table at all.
func (t *csvTable) readHeading() error {
	cells, row, err := t.read()
	if errors.Is(err, io.EOF) {
		return fileError(t.name, msgEmpty)
	}
	if err != nil {
		return err
	}
	t.width = len(cells)
	if lastValue(cells) > t.lim.MaxColumns {
		return columnLimitError(t.name, "", row, t.lim.MaxColumns)
	}
	heading, err := t.shape(cells, row)
	if err != nil {
		return err
	}
	t.queued = append(t.queued, queuedRow{heading, row})
	if t.width > 1 {
		return nil
	}
	cells, row, err = t.read()
	switch {
	case errors.Is(err, io.EOF):
		return fileError(t.name, msgNotTable+
			" (it holds a single line of text and no table of responses)")
	case err != nil:
		return err
	}
	next, err := t.shape(cells, row)
	if err != nil {
		return err
	}
	t.queued = append(t.queued, queuedRow{next, row})
	return nil
}

// Next implements Table.
func (t *csvTable) Next() ([]string, int, error) {
	if len(t.queued) > 0 {
		q := t.queued[0]
		t.queued = t.queued[1:]
		return q.cells, q.row, nil
	}
	if t.err != nil {
		return nil, 0, t.err
	}
	cells, row, err := t.read()
	if err == nil {
		cells, err = t.shape(cells, row)
	}
	if err != nil {
		t.err = err
		return nil, 0, err
	}
	return cells, row, nil
}

// Close implements Table.
func (t *csvTable) Close() error {
	if err := t.file.Close(); err != nil {
		return fmt.Errorf("close upload %q: %w", t.name, err)
	}
	return nil
}

// read returns the next record that has a value in at least one cell, and
// the line it starts on.
func (t *csvTable) read() ([]string, int, error) {
	for {
		rec, err := t.r.Read()
		if t.guard.err != nil {
			return nil, 0, t.guard.err
		}
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, t.parseError(err)
		}
		if lastValue(rec) == 0 {
			continue
		}
		line, _ := t.r.FieldPos(0)
		return rec, line, nil
	}
}

// shape checks a record against the limits and the heading row's width, and
// pads or trims it to that width.
func (t *csvTable) shape(cells []string, row int) ([]string, error) {
	if n := lastNonEmpty(cells); n > t.width {
		return nil, &analytics.ImportError{File: t.name, Row: row, Message: fmt.Sprintf(
			"this row has %d cells but the heading row has %d; check that every cell containing a %s "+
				"is in quotes, or remove the extra cells, and upload the file again",
			n, t.width, delimiterName(t.delim))}
	}
	for i, c := range cells {
		if len(c) > t.lim.MaxCellBytes {
			return nil, cellLimitError(t.name, "", row, i+1, t.lim.MaxCellBytes)
		}
	}
	t.rows++
	if t.rows > t.lim.MaxRows {
		return nil, rowLimitError(t.name, "", row, t.lim.MaxRows)
	}
	if len(cells) > t.width {
		return cells[:t.width:t.width], nil
	}
	for len(cells) < t.width {
		cells = append(cells, "")
	}
	return cells, nil
}

// parseError turns an encoding/csv error into a message for the analyst.
func (t *csvTable) parseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &analytics.ImportError{File: t.name,
			Message: "the file could not be read to the end; upload it again"}
	}
	switch {
	case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
		return &analytics.ImportError{File: t.name, Row: pe.StartLine, Message: fmt.Sprintf(
			"a cell on this line opens a quotation mark (\") that is never closed, so everything up to "+
				"line %d would run into one cell; add the missing quotation mark, or save the file from "+
				"Excel again as CSV, and upload it again", pe.Line)}
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		return &analytics.ImportError{File: t.name, Row: pe.Line, Message: fmt.Sprintf(
			"character %d of this line is a quotation mark (\") in the wrong place; a cell that contains "+
				"quotation marks must itself be in quotes, with each inner quotation mark doubled (\"\"). "+
				"Correct the line, or save the file from Excel again as CSV, and upload it again", pe.Column)}
	}
	return &analytics.ImportError{File: t.name, Row: pe.Line,
		Message: "this line cannot be read as CSV (" + pe.Err.Error() + "); save the file from Excel again as CSV"}
}

// lastValue returns the number of cells up to the last one that is not
// blank (spaces count as blank); 0 means the record is blank.
func lastValue(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// lastNonEmpty returns the number of cells up to the last non-empty one.
func lastNonEmpty(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if cells[i] != "" {
			return i + 1
		}
	}
	return 0
}

// delimiterName names a delimiter in a message.
func delimiterName(d byte) string {
	switch d {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}
