package dashboards

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// WriteWorkbook writes tables as an XLSX workbook, one sheet per table.
// Each sheet has the caption in A1, the header row in row 2 (frozen) and
// the rows below it, then the notes. Numbers are stored as numbers with
// their format (shares as percentages such as 85.1%, counts with
// thousands separators); every text cell, the caption and headers
// included, goes through SafeCell, and no cell holds a formula. Sheet names
// come from Table.Name (or the caption), made valid: at most 31
// characters, none of []:*?/\, unique.
func WriteWorkbook(w io.Writer, tables []Table) (err error) {
	if len(tables) == 0 {
		return errors.New("write workbook: there are no tables to write")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write workbook: %w", cerr)
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	for i, name := range sheetNames(tables) {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = writeSheet(f, name, tables[i], st)
		}
		if err != nil {
			return fmt.Errorf("write workbook sheet %q: %w", name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// styles are the style ids of a workbook's cells.
type styles struct {
	caption, header int
	number          map[Format]int
}

// newStyles adds the workbook's styles.
func newStyles(f *excelize.File) (styles, error) {
	percent, net := "0.0%", "+0.0;-0.0;0.0"
	defs := map[Format]*excelize.Style{
		Count:    {NumFmt: 3}, // #,##0
		Percent:  {CustomNumFmt: &percent},
		Score:    {NumFmt: 2}, // 0.00
		NetScore: {CustomNumFmt: &net},
	}
	st := styles{number: make(map[Format]int, len(defs))}
	var err error
	if st.caption, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return st, err
	}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return st, err
	}
	for format, def := range defs {
		if st.number[format], err = f.NewStyle(def); err != nil {
			return st, err
		}
	}
	return st, nil
}

// writeSheet streams one table into the sheet name.
func writeSheet(f *excelize.File, name string, t Table, st styles) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	width := len(t.Columns)
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	if err := sw.SetColWidth(1, 1, 28); err != nil {
		return err
	}
	if width > 1 {
		if err := sw.SetColWidth(2, width, 16); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	rows := [][]any{{excelize.Cell{StyleID: st.caption, Value: SafeCell(t.Caption)}}}
	header := make([]any, len(t.Columns))
	for i, h := range t.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: SafeCell(h)}
	}
	rows = append(rows, header)
	for _, r := range t.Rows {
		line := make([]any, len(r))
		for i, c := range r {
			line[i] = workbookCell(c, st)
		}
		rows = append(rows, line)
	}
	if len(t.Notes) > 0 {
		rows = append(rows, nil)
		for _, n := range t.Notes {
			rows = append(rows, []any{SafeCell(n)})
		}
	}
	for i, line := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err == nil {
			err = sw.SetRow(cell, line)
		}
		if err != nil {
			return err
		}
	}
	return sw.Flush()
}

// workbookCell is a cell's value for the stream writer: a number with its
// style, made-safe text, or nil for an empty cell.
func workbookCell(c Cell, st styles) any {
	if c.Value != nil {
		if id, ok := st.number[c.Format]; ok {
			return excelize.Cell{StyleID: id, Value: *c.Value}
		}
		return *c.Value
	}
	if c.Text == "" {
		return nil
	}
	return SafeCell(c.Text)
}

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// sheetNames makes a valid, unique sheet name for each table.
func sheetNames(tables []Table) []string {
	names := make([]string, len(tables))
	used := make(map[string]bool, len(tables))
	for i, t := range tables {
		base := t.Name
		if strings.TrimSpace(base) == "" {
			base = t.Caption
		}
		base = cleanSheetName(base, maxSheetName)
		if base == "" || strings.EqualFold(base, "History") { // Excel keeps "History" for itself
			base = fmt.Sprintf("Table %d", i+1)
		}
		name := base
		for k := 2; used[strings.ToLower(name)]; k++ {
			suffix := fmt.Sprintf(" (%d)", k)
			name = cleanSheetName(base, maxSheetName-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// cleanSheetName drops the characters Excel refuses in a sheet name
// ([]:*?/\ and control characters), folds runs of spaces, cuts it to limit
// UTF-16 units, and trims the spaces and apostrophes it may not start or
// end with.
func cleanSheetName(s string, limit int) string {
	var b strings.Builder
	units := 0
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if strings.ContainsRune(`[]:*?/\`, r) || unicode.IsControl(r) || r == utf8RuneError {
			continue
		}
		if units += utf16.RuneLen(r); units > limit {
			break
		}
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), " '")
}

// utf8RuneError is what ranging over invalid UTF-8 gives.
const utf8RuneError = '\uFFFD'
