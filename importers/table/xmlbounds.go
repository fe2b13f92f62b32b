package table

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// What the zip check refuses because reading it would cost far more than
// its size: XML nested too deep (maxXMLDepth, in xmlscan.go), shared text
// repeated in cells past the unzipped limit (scanSheet) and shared-strings
// entries past it (scanSharedStrings). Finding 6 of issue 8.

// cellError is a reason to refuse a workbook found at one cell of a sheet.
type cellError struct {
	row, col int // col is 0 outside a cell
	err      error
}

func (e *cellError) Error() string {
	return fmt.Sprintf("cell %s%d: %v", columnName(e.col), e.row, e.err)
}

func (e *cellError) Unwrap() error { return e.err }

// errSharedTextBudget means the text that shared-string references expand
// to, with the bytes unzipped, comes to more than Limits.MaxUnzippedBytes.
var errSharedTextBudget = errors.New("shared text repeated in cells expands to more than the limit")

// refuseAtCell explains a reason to refuse the workbook found at a cell of
// sheet; any other error is returned as it is.
func (p *zipPackage) refuseAtCell(sheet string, ce *cellError) error {
	e := &analytics.ImportError{File: p.name, Sheet: sheet, Row: ce.row, Column: columnName(ce.col)}
	where := "the sheet"
	if ce.col > 0 {
		where = "cell " + columnName(ce.col) + fmt.Sprint(ce.row)
	}
	switch {
	case errors.Is(ce.err, errXMLTooDeep):
		e.Message = fmt.Sprintf("%s (%s nests XML elements more than %d deep, the most allowed; "+
			"Excel nests them at most about 15 deep); %s", msgUnusualPrefix, where, maxXMLDepth, msgDamagedAdvice)
	case errors.Is(ce.err, errSharedTextBudget):
		e.Message = fmt.Sprintf("%s: its cells repeat shared text that, with the rest of the workbook, "+
			"comes to more than %s when unzipped, the limit (reached at cell %s%d); "+
			"split it into smaller files (for example one per quarter) and upload them one at a time",
			msgTooBigPrefix, byteSize(p.lim.MaxUnzippedBytes), columnName(ce.col), ce.row)
	default:
		return ce.err
	}
	return e
}

// otherPartScan checks the nesting of a part that is neither a worksheet nor
// the shared strings but that excelize may parse (the workbook, styles,
// relationships, drawings...): nil for parts that are not XML, which are only
// read to their end.
func otherPartScan(f *zip.File) func(io.Reader) error {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".xml", ".rels", ".vml":
		return func(r io.Reader) error { return checkNesting(r, f.UncompressedSize64) }
	}
	return nil
}

// checkNesting reads an XML part to its end and refuses it only when its
// elements nest more than maxXMLDepth deep, a tag is longer than
// maxTagBytes (a tag of millions of attributes costs encoding/xml as much
// as millions of elements), or it cannot be read: anything else about a
// part heard does not read is excelize's business.
func checkNesting(r io.Reader, size uint64) error {
	sc := newXMLScanner(r, size)
	for {
		_, _, err := sc.next()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, errXMLTooDeep), err == errTagTooLong:
			return err
		case err == io.ErrUnexpectedEOF && sc.err == io.EOF:
			// Not XML as heard scans it; only check the rest unzips.
			return sc.drain()
		case err != nil:
			return err
		}
	}
}
