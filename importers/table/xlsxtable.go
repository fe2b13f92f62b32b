package table

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// XLSXInMemory is how large a shared-strings part heard keeps in memory
// while reading a workbook; a larger one is written to a temporary file
// (removed when the table is closed) and read back an entry at a time, so
// that an import's memory stays bounded whatever the workbook holds. Sheets
// are never held whole: they are read as they are unzipped.
const XLSXInMemory = 32 << 20

// xlsxTable streams one worksheet through sheetReader and checks at the end
// that it yielded every row and cell the zip check counted.
type xlsxTable struct {
	zip   *zip.ReadCloser
	part  io.ReadCloser
	sst   *sharedTable
	rows  *sheetReader
	name  string
	sheet string
	lim   Limits
	want  sheetCounts

	row      int // sheet row number of the last row read
	gotRows  int // rows with a non-empty cell, as the zip check counts them
	gotCells int // non-empty cells
	returned int // rows returned by Next
	err      error
}

// openXLSX checks the workbook at path, chooses the sheet and starts
// streaming it.
func openXLSX(path, name, sheet string, lim Limits) (Table, Info, error) {
	wb, err := checkWorkbookZip(path, name, lim)
	if err != nil {
		return nil, Info{}, err
	}
	chosen, err := chooseSheet(wb, name, sheet)
	if err != nil {
		return nil, Info{}, err
	}
	switch {
	case chosen.counts.problem != "":
		return nil, Info{}, unusualError(name, chosen.name, chosen.counts.problemRow, chosen.counts.problem)
	case chosen.counts.overLimit != nil:
		e := *chosen.counts.overLimit
		e.File, e.Sheet = name, chosen.name
		return nil, Info{}, &e
	case !wb.propsOK:
		return nil, Info{}, unusualError(name, chosen.name, 0, msgReaderCannotOpen)
	}
	t, err := openSheet(path, name, chosen, lim)
	if err != nil {
		return nil, Info{}, err
	}
	info := Info{Container: "xlsx", Sheet: chosen.name, Date1904: wb.date1904}
	for _, s := range wb.sheets {
		if s.worksheet {
			info.Sheets = append(info.Sheets, s.name)
		}
	}
	return t, info, nil
}

// msgReaderCannotOpen says the workbook passed the checks but cannot be read.
const msgReaderCannotOpen = "the workbook cannot be opened by the reader"

// openSheet opens the zip again, loads its shared strings and starts
// reading the chosen sheet's part as it unzips.
func openSheet(path, name string, chosen *sheetEntry, lim Limits) (*xlsxTable, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("reopen workbook %q: %w", name, err)
	}
	var part, sstFile *zip.File
	for _, f := range zr.File {
		n := strings.ReplaceAll(f.Name, `\`, "/")
		switch {
		case n == chosen.part:
			part = f
		case strings.ToLower(n) == "xl/sharedstrings.xml":
			sstFile = f
		}
	}
	if part == nil {
		zr.Close()
		return nil, unusualError(name, chosen.name, 0, msgReaderCannotOpen)
	}
	sst, sstErr, err := loadSharedStrings(sstFile, min(XLSXInMemory, lim.MaxUnzippedBytes))
	if err != nil {
		zr.Close()
		return nil, fmt.Errorf("workbook %q: %w", name, err)
	}
	rc, err := part.Open()
	if err != nil {
		sst.Close()
		zr.Close()
		return nil, fmt.Errorf("workbook %q: open sheet %q: %w", name, chosen.name, err)
	}
	return &xlsxTable{zip: zr, part: rc, sst: sst, rows: newSheetReader(rc, sst, sstErr), name: name,
		sheet: chosen.name, lim: lim, want: chosen.counts}, nil
}

// chooseSheet returns the sheet called want, or, when want is "", the first
// visible worksheet with data (then the first hidden one).
func chooseSheet(wb *workbookCheck, name, want string) (*sheetEntry, error) {
	var names []string
	for _, s := range wb.sheets {
		if s.worksheet {
			names = append(names, s.name)
		}
	}
	if want != "" {
		for _, match := range []func(string) bool{
			func(s string) bool { return s == want },
			func(s string) bool { return strings.EqualFold(s, want) },
		} {
			for i := range wb.sheets {
				if s := &wb.sheets[i]; match(s.name) {
					if !s.worksheet {
						return nil, fileError(name, fmt.Sprintf("the sheet %q is a chart, not a table; "+
							"choose one of the sheets %s", s.name, sheetList(names)))
					}
					return s, nil
				}
			}
		}
		return nil, fileError(name, fmt.Sprintf("the workbook has no sheet called %q; its sheets are %s",
			want, sheetList(names)))
	}
	for _, hidden := range []bool{false, true} {
		for i := range wb.sheets {
			s := &wb.sheets[i]
			c := s.counts
			if s.worksheet && s.hidden == hidden && (c.cells > 0 || c.problem != "" || c.overLimit != nil) {
				return s, nil
			}
		}
	}
	return nil, fileError(name, msgEmptyWorkbook)
}

// msgEmptyWorkbook is the message for a workbook none of whose worksheets has a value.
const msgEmptyWorkbook = "the workbook is empty: none of its sheets has any data; " +
	"export the survey's responses again and upload that file"

// Next implements Table.
func (t *xlsxTable) Next() ([]string, int, error) {
	if t.err != nil {
		return nil, 0, t.err
	}
	cells, row, err := t.next()
	if err != nil {
		t.err = err
		return nil, 0, err
	}
	return cells, row, nil
}

func (t *xlsxTable) next() ([]string, int, error) {
	for {
		var (
			more  bool
			cells []string
		)
		err := safely(func() (err error) {
			if more = t.rows.Next(); more {
				cells, err = t.rows.Columns()
			}
			return err
		})
		if err != nil {
			return nil, 0, unusualError(t.name, t.sheet, t.row+1, "a row cannot be read")
		}
		if !more {
			break
		}
		t.row++
		n := lastNonEmpty(cells)
		for _, c := range cells[:n] {
			if c != "" {
				t.gotCells++
			}
		}
		if n == 0 {
			continue
		}
		t.gotRows++
		if lastValue(cells) == 0 {
			continue
		}
		return t.check(cells[:n:n])
	}
	if err := t.rows.Error(); err != nil {
		return nil, 0, unusualError(t.name, t.sheet, t.row+1, "a row cannot be read")
	}
	if t.gotRows != t.want.rows || t.gotCells != t.want.cells {
		return nil, 0, &analytics.ImportError{File: t.name, Sheet: t.sheet, Message: fmt.Sprintf(
			"%s (the sheet holds %d values in %d rows, but %d values in %d rows were read); %s",
			msgUnusualPrefix, t.want.cells, t.want.rows, t.gotCells, t.gotRows, msgDamagedAdvice)}
	}
	return nil, 0, io.EOF
}

// check applies the limits to a row about to be returned.
func (t *xlsxTable) check(cells []string) ([]string, int, error) {
	if len(cells) > t.lim.MaxColumns {
		return nil, 0, columnLimitError(t.name, t.sheet, t.row, t.lim.MaxColumns)
	}
	for i, c := range cells {
		if len(c) > t.lim.MaxCellBytes {
			return nil, 0, cellLimitError(t.name, t.sheet, t.row, i+1, t.lim.MaxCellBytes)
		}
	}
	t.returned++
	if t.returned > t.lim.MaxRows {
		return nil, 0, rowLimitError(t.name, t.sheet, t.row, t.lim.MaxRows)
	}
	return cells, t.row, nil
}

// safely runs fn, which reads the sheet, and turns a panic into an error:
// a crafted workbook must not bring the server down.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading the sheet panicked: %v", r)
		}
	}()
	return fn()
}

// Close implements Table.
func (t *xlsxTable) Close() error {
	partErr := t.part.Close()
	sstErr := t.sst.Close()
	if err := t.zip.Close(); err != nil {
		return fmt.Errorf("close workbook %q: %w", t.name, err)
	}
	if partErr != nil {
		return fmt.Errorf("close sheet %q of %q: %w", t.sheet, t.name, partErr)
	}
	if sstErr != nil {
		return fmt.Errorf("close shared strings of %q: %w", t.name, sstErr)
	}
	return nil
}
