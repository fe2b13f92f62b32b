package table

import (
	"fmt"
	"io"

	"github.com/heard-council/heard/analytics"
	"github.com/xuri/excelize/v2"
)

// excelizeTable is the XLSX reader heard used before sheetReader, kept as
// the reference the new one is tested against: it streams one worksheet through excelize and checks at the end
// that it yielded every row and cell the zip check counted.
type excelizeTable struct {
	file  *excelize.File
	rows  *excelize.Rows
	name  string
	sheet string
	lim   Limits
	want  sheetCounts

	row      int // sheet row number of the last row excelize gave
	gotRows  int // rows with a non-empty cell, as the zip check counts them
	gotCells int // non-empty cells
	returned int // rows returned by Next
	err      error
}

// openXLSX checks the workbook at path, chooses the sheet and starts
// streaming it.
func openXLSXByExcelize(path, name, sheet string, lim Limits) (Table, Info, error) {
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
	}
	var (
		f     *excelize.File
		props excelize.WorkbookPropsOptions
		rows  *excelize.Rows
	)
	err = safely(func() (err error) {
		f, err = excelize.OpenFile(path, excelize.Options{
			UnzipSizeLimit:    lim.MaxUnzippedBytes,
			UnzipXMLSizeLimit: min(XLSXInMemory, lim.MaxUnzippedBytes),
		})
		if err != nil {
			return err
		}
		if props, err = f.GetWorkbookProps(); err != nil {
			return err
		}
		rows, err = f.Rows(chosen.name)
		return err
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, Info{}, unusualError(name, chosen.name, 0, "the workbook cannot be opened by the reader")
	}
	info := Info{Container: "xlsx", Sheet: chosen.name, Date1904: props.Date1904 != nil && *props.Date1904}
	for _, s := range wb.sheets {
		if s.worksheet {
			info.Sheets = append(info.Sheets, s.name)
		}
	}
	t := &excelizeTable{file: f, rows: rows, name: name, sheet: chosen.name, lim: lim, want: chosen.counts}
	return t, info, nil
}

// Next implements Table.
func (t *excelizeTable) Next() ([]string, int, error) {
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

func (t *excelizeTable) next() ([]string, int, error) {
	for {
		var (
			more  bool
			cells []string
		)
		err := safely(func() (err error) {
			if more = t.rows.Next(); more {
				cells, err = t.rows.Columns(excelize.Options{RawCellValue: true})
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
func (t *excelizeTable) check(cells []string) ([]string, int, error) {
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

// Close implements Table.
func (t *excelizeTable) Close() error {
	rowsErr := t.rows.Close()
	if err := t.file.Close(); err != nil {
		return fmt.Errorf("close workbook %q: %w", t.name, err)
	}
	if rowsErr != nil {
		return fmt.Errorf("close sheet %q of %q: %w", t.sheet, t.name, rowsErr)
	}
	return nil
}
