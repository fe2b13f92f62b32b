package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/heard-council/heard/analytics"
)

// Excel's own bounds on a sheet.
const (
	excelMaxRows    = 1_048_576
	excelMaxColumns = 16_384
)

// sheetCounts is what the zip check learns of one worksheet: the rows and
// cells that hold a value (as excelize will read them), and the first thing
// that would make excelize read the sheet wrongly.
type sheetCounts struct {
	rows, cells int
	problem     string // "" when the sheet reads as written
	problemRow  int
	overLimit   *analytics.ImportError // a limit the sheet is over, File and Sheet not yet set
}

// sheetScan holds the state of scanSheet between tokens.
type sheetScan struct {
	sst    *sharedStrings
	lim    Limits
	budget *unzipBudget // charged the text each shared-string reference expands to
	counts sheetCounts
	err    error // a reason to refuse the whole workbook, found in a cell

	inData, inCell, inV, inIS, inT, inRPh bool

	row, col      int  // current row and last column, 1-based
	rowHasValue   bool // the current row has a cell with a value
	cellType      string
	hasIS, isText bool
	vLen          int
	vHead         []byte // first bytes of <v>
}

// scanSheet reads a worksheet part to its end and counts what it holds.
// Each cell that refers to a shared string is charged that string's length
// against budget: excelize copies the text out for every such cell, so one
// 900 KB string referred to by 20,000 cells is 18 GB of work.
func scanSheet(r io.Reader, size uint64, sst *sharedStrings, lim Limits, budget *unzipBudget) (sheetCounts, error) {
	s := &sheetScan{sst: sst, lim: lim, budget: budget}
	sc := newXMLScanner(r, size)
	for {
		tok, b, err := sc.next()
		if err == io.EOF {
			return s.counts, nil
		}
		if errors.Is(err, errXMLTooDeep) {
			err = &cellError{row: s.row, col: s.cellCol(), err: err}
		}
		if err != nil {
			return s.counts, err
		}
		switch tok {
		case tokDoctype:
			return s.counts, errDoctype
		case tokText:
			s.text(b)
		case tokStart:
			s.start(b)
		case tokEnd:
			s.end(b)
		}
		if s.err != nil {
			return s.counts, s.err
		}
		if s.counts.problem != "" || s.counts.overLimit != nil || !s.inData && s.row > 0 {
			// Nothing more to learn; read the rest only to check it unzips
			// and does not nest too deep (excelize may decode it whole).
			if err := sc.skip(); errors.Is(err, errXMLTooDeep) {
				return s.counts, &cellError{row: s.row, err: err}
			} else if err != nil {
				return s.counts, err
			}
			return s.counts, nil
		}
	}
}

// cellCol is the column of the cell being read, or 0 outside a cell.
func (s *sheetScan) cellCol() int {
	if s.inCell {
		return s.col
	}
	return 0
}

func (s *sheetScan) text(b []byte) {
	if s.inV {
		s.vLen += len(b)
		if len(s.vHead) < 32 {
			s.vHead = append(s.vHead, b[:min(len(b), 32-len(s.vHead))]...)
		}
	}
	if s.inT && !s.inRPh && len(b) > 0 {
		s.isText = true
	}
}

func (s *sheetScan) start(tag []byte) {
	name, closed := tagName(tag)
	switch string(name) {
	case "sheetData":
		s.inData = !closed
	case "row":
		if s.inData {
			s.startRow(tag)
			if closed {
				s.endRow()
			}
		}
	case "c":
		if s.inData {
			s.startCell(tag)
			if closed {
				s.endCell()
			}
		}
	case "v":
		if s.inCell {
			s.inV, s.vLen, s.vHead = !closed, 0, s.vHead[:0]
		}
	case "is":
		if s.inCell {
			s.hasIS, s.inIS = true, !closed
		}
	case "t":
		s.inT = s.inIS && !closed
	case "rPh":
		s.inRPh = s.inIS && !closed
	}
}

func (s *sheetScan) end(tag []byte) {
	name, _ := tagName(tag)
	switch string(name) {
	case "sheetData":
		s.inData = false
		s.row = max(s.row, 1)
	case "row":
		if s.inData {
			s.endRow()
		}
	case "c":
		if s.inCell {
			s.endCell()
		}
	case "v":
		s.inV = false
	case "is":
		s.inIS = false
	case "t":
		s.inT = false
	case "rPh":
		s.inRPh = false
	}
}

func (s *sheetScan) fail(row int, format string, args ...any) {
	if s.counts.problem == "" {
		s.counts.problem, s.counts.problemRow = fmt.Sprintf(format, args...), row
	}
}

func (s *sheetScan) startRow(tag []byte) {
	next := s.row + 1
	if v, ok := tagAttr(tag, "r"); ok {
		n, ok := parseInt(v)
		switch {
		case !ok || n < 1 || n > excelMaxRows:
			s.fail(s.row+1, "a row is numbered %q", v)
			return
		case n <= s.row:
			s.fail(n, "row %d comes after row %d in the file", n, s.row)
			return
		}
		next = n
	}
	s.row, s.col, s.rowHasValue = next, 0, false
}

func (s *sheetScan) endRow() {
	if !s.rowHasValue {
		return
	}
	s.rowHasValue = false
	s.counts.rows++
	if s.counts.rows > s.lim.MaxRows && s.counts.overLimit == nil {
		s.counts.overLimit = rowLimitError("", "", s.row, s.lim.MaxRows)
	}
}

func (s *sheetScan) startCell(tag []byte) {
	s.inCell, s.hasIS, s.isText, s.vLen, s.vHead = true, false, false, 0, s.vHead[:0]
	s.cellType = ""
	col := s.col + 1
	it := newAttrIter(tag)
	for {
		k, v, ok := it.next()
		if !ok {
			break
		}
		switch string(k) {
		case "t":
			s.cellType = cellTypeName(v)
		case "s":
			if _, isNum := parseInt(v); !isNum {
				// excelize stops reading a cell whose style is not a number and drops its value.
				s.fail(s.row, "a cell in row %d has the style number %q", s.row, v)
				return
			}
		case "r":
			c, row := splitCellRef(v)
			if c < 1 || row != s.row {
				s.fail(s.row, "cell %q is in row %d", v, s.row)
				return
			}
			col = c
		}
	}
	switch {
	case col <= s.col:
		s.fail(s.row, "cell %s%d comes after cell %s%d in the file", columnName(col), s.row,
			columnName(s.col), s.row)
	case col > excelMaxColumns:
		s.fail(s.row, "a cell is beyond Excel's last column")
	}
	s.col = col
}

// cellTypeName interns the few cell types, so a cell costs no allocation.
func cellTypeName(t []byte) string {
	for _, n := range []string{"s", "inlineStr", "n", "str", "b", "e", "d"} {
		if string(t) == n {
			return n
		}
	}
	return string(t)
}

func (s *sheetScan) endCell() {
	s.inCell, s.inV, s.inIS, s.inT = false, false, false, false
	if !s.cellHasValue() {
		return
	}
	s.counts.cells++
	s.rowHasValue = true
	if s.col > s.lim.MaxColumns && s.counts.overLimit == nil {
		s.counts.overLimit = columnLimitError("", "", s.row, s.lim.MaxColumns)
	}
}

// cellHasValue says whether excelize will return a non-empty value for the
// cell just read, and notes a shared-string reference it would get wrong.
func (s *sheetScan) cellHasValue() bool {
	switch s.cellType {
	case "s":
		if s.vLen == 0 {
			return false
		}
		i, ok := parseInt(bytes.TrimSpace(s.vHead))
		if !ok || s.vLen > len(s.vHead) {
			s.fail(s.row, "cell %s%d refers to shared text %q, which is not a number", columnName(s.col), s.row, s.vHead)
			return false
		}
		if i < 0 || i >= s.sst.count {
			s.fail(s.row, "cell %s%d refers to shared text number %d, but the workbook has only %d",
				columnName(s.col), s.row, i, s.sst.count)
			return false
		}
		if s.budget.left -= s.sst.length(i); s.budget.left < 0 && s.err == nil {
			s.err = &cellError{row: s.row, col: s.col, err: errSharedTextBudget}
		}
		return !s.sst.isEmpty(i)
	case "inlineStr":
		if s.hasIS {
			return s.isText
		}
	}
	return s.vLen > 0
}

// splitCellRef splits a reference such as "AB12" into its column number and
// row number; either is 0 when missing or malformed.
func splitCellRef(ref []byte) (col, row int) {
	i := 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || i == len(ref) || i == 4 && ref[i]|0x20 >= 'a' && ref[i]|0x20 <= 'z' {
		return 0, 0
	}
	n, ok := parseInt(ref[i:])
	if !ok || n < 1 {
		return col, 0
	}
	return col, n
}

// parseInt reads a decimal integer with an optional sign, as strconv.Atoi
// does, without allocating; it refuses more than 18 digits.
func parseInt(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg, b = b[0] == '-', b[1:]
	}
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
	if neg {
		n = -n
	}
	return n, true
}
