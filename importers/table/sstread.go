package table

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// sharedTable is the text of each entry of a workbook's shared strings, as
// excelize gives it for a cell that refers to it. A table up to
// XLSXInMemory of XML is kept in memory as one string; a larger one is
// written to a temporary file and read back an entry at a time, so that
// memory stays bounded whatever the table's size (excelize does the same).
type sharedTable struct {
	text  string   // in memory: every entry's text, end to end
	ends  []uint32 // where each entry's text ends, in text or in file
	file  *os.File // the spilled table, removed on Close
	cache [512]sharedCached
}

type sharedCached struct {
	i  int
	ok bool
	s  string
}

// errSharedStrings means the shared strings part cannot be decoded as
// excelize decodes it, so that every row of every sheet fails to read.
var errSharedStrings = errors.New("the shared strings cannot be read")

// sstMainSpace is the namespace excelize requires of the shared strings'
// root element.
const sstMainSpace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

// get returns entry i, or false when there is none.
func (t *sharedTable) get(i int) (string, bool) {
	if t == nil || i < 0 || i >= len(t.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	if t.file == nil {
		return t.text[start:t.ends[i]], true
	}
	c := &t.cache[i%len(t.cache)]
	if c.ok && c.i == i {
		return c.s, true
	}
	b := make([]byte, t.ends[i]-start)
	if _, err := t.file.ReadAt(b, int64(start)); err != nil {
		return "", false
	}
	*c = sharedCached{i: i, ok: true, s: string(b)}
	return c.s, true
}

// Close removes the spilled table's file.
func (t *sharedTable) Close() error {
	if t == nil || t.file == nil {
		return nil
	}
	name := t.file.Name()
	err := t.file.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	return err
}

// loadSharedStrings reads the shared strings part f (nil when the workbook
// has none). A part of at most inMemory bytes is decoded whole as excelize
// decodes it in memory: any fault gives decodeErr (errSharedStrings). A
// larger one is read as excelize reads the one it spills to a file: entry
// by entry, keeping what was read before a fault. err is for failures of
// the machine, not of the file.
func loadSharedStrings(f *zip.File, inMemory int64) (t *sharedTable, decodeErr, err error) {
	t = &sharedTable{}
	if f == nil {
		return t, nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("open shared strings: %w", err)
	}
	defer rc.Close()
	if f.UncompressedSize64 > uint64(inMemory) {
		if err := t.spill(rc); err != nil {
			t.Close()
			return nil, nil, err
		}
		return t, nil, nil
	}
	raw, err := io.ReadAll(io.LimitReader(rc, inMemory+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read shared strings: %w", err)
	}
	// The decoded text is never longer than the XML, so the builder never
	// grows, and its String does not copy: the table costs at most the
	// part's size once the XML is dropped.
	var text strings.Builder
	text.Grow(len(raw))
	ok := decodeSharedStrings(newXMLTokenizer(bytes.NewReader(strictToTransitional(raw))), func(s string) bool {
		text.WriteString(s)
		t.ends = append(t.ends, uint32(text.Len()))
		return true
	})
	if !ok {
		return nil, errSharedStrings, nil
	}
	t.text = text.String()
	return t, nil, nil
}

// decodeSharedStrings decodes a shared strings part as encoding/xml decodes
// it into excelize's xlsxSST, calling add with each entry's text.
func decodeSharedStrings(x *xmlTokenizer, add func(string) bool) bool {
	for {
		k := x.next()
		if k == xmlNone {
			return x.err == io.EOF // no root element: an empty table
		}
		if k == xmlStart {
			break
		}
	}
	if string(x.local) != "sst" || x.space(x.prefix, true, x.depth) != sstMainSpace || !attrsParse(x.attrs, sstAttrs) {
		return false
	}
	var it stringItem
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlEnd:
			return true
		case xmlStart:
			if string(x.local) != "si" {
				if !skipElement(x) {
					return false
				}
				continue
			}
			it.reset()
			if !readStringItem(x, &it) || !add(it.String()) {
				return false
			}
		}
	}
}

// spill writes each entry's text to a temporary file, reading the part as
// excelize reads a spilled one: every si element wherever it is, until the
// XML goes wrong.
func (t *sharedTable) spill(r io.Reader) error {
	f, err := os.CreateTemp("", "heard-sst-*")
	if err != nil {
		return fmt.Errorf("spill shared strings: %w", err)
	}
	t.file = f
	w := bufio.NewWriterSize(f, 64<<10)
	var size uint64
	x := newXMLTokenizer(r)
	var it stringItem
	for x.next() != xmlNone {
		if x.kind != xmlStart || string(x.local) != "si" {
			continue
		}
		it.reset()
		readStringItem(x, &it)
		s := it.String()
		if size += uint64(len(s)); size > math.MaxUint32 {
			return fmt.Errorf("spill shared strings: more than 4 GB of text")
		}
		if _, err := w.WriteString(s); err != nil {
			return fmt.Errorf("spill shared strings: %w", err)
		}
		t.ends = append(t.ends, uint32(size))
	}
	if e := x.err; e != nil && e != io.EOF && e != errXMLSyntax && e != errTagTooLong {
		return fmt.Errorf("read shared strings: %w", e)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spill shared strings: %w", err)
	}
	return nil
}

// strictToTransitional rewrites Strict OOXML namespaces as excelize does
// before decoding the shared strings (the longer names first).
func strictToTransitional(b []byte) []byte {
	if !bytes.Contains(b, []byte("purl.oclc.org")) {
		return b
	}
	const strict, transitional = "http://purl.oclc.org/ooxml/", "http://schemas.openxmlformats.org/"
	for _, p := range [][2]string{
		{"officeDocument/relationships/extendedProperties", "officeDocument/2006/relationships/extended-properties"},
		{"officeDocument/relationships/officeDocument", "officeDocument/2006/relationships/officeDocument"},
		{"officeDocument/relationships/comments", "officeDocument/2006/relationships/comments"},
		{"officeDocument/relationships/chart", "officeDocument/2006/relationships/chart"},
		{"officeDocument/relationships/image", "officeDocument/2006/relationships/image"},
		{"officeDocument/relationships", "officeDocument/2006/relationships"},
		{"officeDocument/extendedProperties", "officeDocument/2006/extended-properties"},
		{"officeDocument/docPropsVTypes", "officeDocument/2006/docPropsVTypes"},
		{"drawingml/main", "drawingml/2006/main"},
		{"spreadsheetml/main", "spreadsheetml/2006/main"},
	} {
		b = bytes.ReplaceAll(b, []byte(strict+p[0]), []byte(transitional+p[1]))
	}
	return b
}
