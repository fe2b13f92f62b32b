package table

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
)

// sheetReader reads a worksheet's rows as excelize's Rows iterator does with
// RawCellValue: Next and Columns follow excelize's rules step by step (row
// numbers from r attributes or counted, cells placed by their r attribute
// or after the previous one, a value kept when it is not empty or the cell
// has a formula, shared and inline strings decoded as excelize decodes
// them), over xmlTokenizer instead of encoding/xml. The tests hold it to
// excelize cell by cell on every real workbook and on fuzzed ones.
type sheetReader struct {
	x      *xmlTokenizer
	sst    *sharedTable
	sstErr error // why the shared strings cannot be read; every row then fails

	curRow, seekRow int
	pending         bool // the start tag of the row at curRow was read but not its cells
	err             error
	cell            cellValue
}

// Excel's last row, past which excelize stops.
const excelTotalRows = excelMaxRows

var (
	errTooManyRows = errors.New("a row is numbered past Excel's last row")
	errCellName    = errors.New("a cell reference cannot be read")
)

func newSheetReader(r io.Reader, sst *sharedTable, sstErr error) *sheetReader {
	return &sheetReader{x: newXMLTokenizer(r), sst: sst, sstErr: sstErr}
}

// Next moves to the next row, counting rows the sheet leaves out, and
// reports whether there is one.
func (s *sheetReader) Next() bool {
	if s.err != nil {
		return false
	}
	s.seekRow++
	if s.curRow >= s.seekRow {
		return true
	}
	for {
		switch s.x.next() {
		case xmlNone:
			return false
		case xmlStart:
			if string(s.x.local) == "row" {
				s.curRow++
				n, _ := intAttr(s.x.attrs, "r")
				if n > excelTotalRows {
					s.err = errTooManyRows
					return false
				}
				if n != 0 {
					s.curRow = n
				}
				s.pending = true
				return true
			}
		case xmlEnd:
			if string(s.x.local) == "sheetData" {
				return false
			}
		}
	}
}

// Error returns what stopped Next early: a row numbered past Excel's last,
// or a failure to read the part (not malformed XML, after which excelize
// stops silently).
func (s *sheetReader) Error() error {
	if s.err != nil {
		return s.err
	}
	if e := s.x.err; e != nil && e != io.EOF && e != errXMLSyntax && e != errTagTooLong {
		return e
	}
	return nil
}

// Columns returns the values of the current row, nil for a row the sheet
// leaves out.
func (s *sheetReader) Columns() ([]string, error) {
	if s.curRow > s.seekRow {
		return nil, nil
	}
	if s.sstErr != nil {
		return nil, s.sstErr
	}
	var cells []string
	col := 0
	for {
		if s.pending {
			// The row's start tag, already read by Next.
		} else if s.x.next() == xmlNone {
			return cells, nil
		}
		switch s.x.kind {
		case xmlStart:
			var err error
			if string(s.x.local) == "row" {
				var n int
				n, err = intAttr(s.x.attrs, "r")
				switch {
				case n > excelTotalRows:
					s.err, s.pending = errTooManyRows, false
					return cells, s.err
				case n != 0:
					s.curRow = n
				case !s.pending:
					s.curRow++
				}
				s.pending = true
				if s.curRow > s.seekRow {
					s.pending = false
					return cells, err
				}
			}
			if string(s.x.local) == "c" {
				cells, col, err = s.readCell(cells, col)
			}
			if err != nil {
				s.pending = false
				return cells, err
			}
			s.pending = false
		case xmlEnd:
			if string(s.x.local) == "sheetData" {
				return cells, nil
			}
		}
	}
}

// readCell reads the cell whose start tag was just read, the col-th of the
// row, and adds its value to cells as excelize does.
func (s *sheetReader) readCell(cells []string, col int) ([]string, int, error) {
	col++
	c := &s.cell
	c.reset()
	var ref []byte
	badStyle := false
	for _, a := range s.x.attrs {
		switch string(a.local) {
		case "r":
			ref = append(c.ref[:0], a.value...)
			c.ref = ref
		case "s":
			if !isInt64(a.value) {
				badStyle = true
			}
		case "t":
			c.typ = cellTypeName(a.value)
		}
		if badStyle {
			// excelize stops at a style that is not a number and reads no further.
			break
		}
	}
	if !badStyle {
		s.readCellBody(c)
	}
	if len(ref) > 0 {
		n, err := cellColumn(ref)
		if err != nil {
			return cells, col, err
		}
		col = n
	}
	blank := col - len(cells)
	if v := s.value(c); v != "" || c.formula {
		for i := 1; i < blank; i++ {
			cells = append(cells, "")
		}
		cells = append(cells, v)
	}
	return cells, col, nil
}

// readCellBody reads the cell's elements up to its end tag: excelize looks
// for v, f and is at any depth, and stops at the first end tag with the
// cell's name and namespace, its own or a nested one's.
func (s *sheetReader) readCellBody(c *cellValue) {
	x := s.x
	depth := x.depth
	prefix := append(c.prefix[:0], x.prefix...)
	c.prefix = prefix
	local := "c"
	for {
		switch x.next() {
		case xmlNone:
			return
		case xmlStart:
			var ok bool
			switch string(x.local) {
			case "v":
				// A later v replaces an earlier one; one cut short leaves it.
				var v []byte
				if v, ok = s.elementText(c.scratch[:0]); ok {
					c.scratch, c.v = c.v, v
				} else {
					c.scratch = v
				}
			case "f":
				c.formula = true
				ok = s.readFormula()
			case "is":
				c.hasIS = true
				ok = readStringItem(s.x, &c.is)
			default:
				ok = true
			}
			if !ok {
				return
			}
		case xmlEnd:
			if string(x.local) == local && s.sameSpace(prefix, depth) {
				return
			}
		}
	}
}

// sameSpace says whether the end tag just read is in the namespace of the
// cell, which has prefix and is at depth: with the same prefix and no
// namespace declared inside the cell, it is, without looking it up.
func (s *sheetReader) sameSpace(prefix []byte, depth int) bool {
	x := s.x
	if bytes.Equal(x.prefix, prefix) && (len(x.ns) == 0 || x.ns[len(x.ns)-1].depth <= depth) {
		return true
	}
	return x.space(x.prefix, true, x.depth) == x.space(prefix, true, depth)
}

// value is the cell's value as excelize gives it with RawCellValue.
func (s *sheetReader) value(c *cellValue) string {
	switch c.typ {
	case "s":
		if len(c.v) == 0 {
			return ""
		}
		i, ok := parseDigits(c.v)
		if !ok {
			i, _ = strconv.Atoi(strings.TrimSpace(string(c.v)))
		}
		v, _ := s.sst.get(i)
		return v
	case "inlineStr":
		if c.hasIS {
			return c.is.String()
		}
	}
	return string(c.v)
}

// cellValue is what readCell learns of one cell; its buffers are reused.
type cellValue struct {
	typ     string
	ref     []byte
	prefix  []byte
	v       []byte
	scratch []byte
	formula bool
	hasIS   bool
	is      stringItem
}

func (c *cellValue) reset() {
	c.typ, c.ref, c.v, c.formula, c.hasIS = "", c.ref[:0], c.v[:0], false, false
	c.is.reset()
}

// intAttr reads the last attribute called name as strconv.Atoi does,
// stopping at the first that is not a number, as excelize's attrValToInt.
func intAttr(attrs []xmlAttr, name string) (int, error) {
	val := 0
	for _, a := range attrs {
		if string(a.local) != name {
			continue
		}
		if n, ok := parseDigits(a.value); ok {
			val = n
			continue
		}
		n, err := strconv.Atoi(string(a.value))
		if err != nil {
			return n, err
		}
		val = n
	}
	return val, nil
}

// parseDigits reads 1 to 18 ASCII digits, the common case, without
// allocating; anything else is left to strconv.
func parseDigits(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// isInt64 says whether strconv.ParseInt(b, 10, 64) succeeds.
func isInt64(b []byte) bool {
	if _, ok := parseDigits(b); ok {
		return true
	}
	_, err := strconv.ParseInt(string(b), 10, 64)
	return err == nil
}

// cellColumn returns the column of a cell reference as excelize's
// CellNameToCoordinates does, refusing what it refuses.
func cellColumn(ref []byte) (int, error) {
	// The common case: letters then a row number of at most 7 digits.
	i := 0
	for i < len(ref) && (ref[i]|0x20 >= 'a' && ref[i]|0x20 <= 'z') {
		i++
	}
	if i > 0 && i < len(ref) && len(ref)-i <= 7 {
		if row, ok := parseDigits(ref[i:]); ok {
			col := 0
			for _, c := range ref[:i] {
				col = col*26 + int(c|0x20-'a'+1)
				if col > excelMaxColumns {
					break
				}
			}
			switch {
			case row < 1:
				return 0, errCellName
			case row > excelTotalRows:
				return 0, errTooManyRows
			case col > excelMaxColumns:
				return 0, errCellName
			}
			return col, nil
		}
	}
	return cellColumnSlow(string(ref))
}

// cellColumnSlow follows excelize's SplitCellName and ColumnNameToNumber
// for any other reference, such as one with '$' or a sign.
func cellColumnSlow(cell string) (int, error) {
	alpha := func(r rune) bool { return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || r == '$' }
	if strings.IndexFunc(cell, alpha) != 0 {
		return 0, errCellName
	}
	i := strings.LastIndexFunc(cell, alpha)
	if i < 0 || i >= len(cell)-1 {
		return 0, errCellName
	}
	name := strings.ReplaceAll(cell[:i+1], "$", "")
	row, err := strconv.Atoi(cell[i+1:])
	if err != nil || row <= 0 {
		return 0, errCellName
	}
	if row > excelTotalRows {
		return 0, errTooManyRows
	}
	if name == "" {
		return 0, errCellName
	}
	col, multi := 0, 1
	for j := len(name) - 1; j >= 0; j-- {
		c := name[j]
		switch {
		case c >= 'A' && c <= 'Z':
			col += int(c-'A'+1) * multi
		case c >= 'a' && c <= 'z':
			col += int(c-'a'+1) * multi
		default:
			return 0, errCellName
		}
		if col > excelMaxColumns {
			return 0, errCellName
		}
		multi *= 26
	}
	return col, nil
}
