package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// xmlScanner cuts an XML part into tags and text without building anything,
// fast enough to run over every worksheet while the zip is checked. It is not
// a validating parser: it only has to agree with excelize on well-formed
// workbooks, and anything it does not understand makes the workbook refused.
type xmlScanner struct {
	src   io.Reader
	buf   []byte
	r, w  int   // unread bytes are buf[r:w]
	err   error // the error that ended src, once it has
	inTag bool  // a '<' was consumed; the tag comes next
	depth int   // elements open
}

// xmlToken is the kind of the token xmlScanner.next returns.
type xmlToken uint8

const (
	tokText    xmlToken = iota // character data, possibly in several pieces; CDATA included
	tokStart                   // a start tag: name and attributes, ending in '/' if self-closing
	tokEnd                     // an end tag: the name
	tokDoctype                 // a document type declaration, which workbooks never have
)

// maxTagBytes bounds one tag; Excel's longest are a few hundred bytes.
const maxTagBytes = 1 << 20

// errTagTooLong means a tag was longer than maxTagBytes.
var errTagTooLong = errors.New("an XML tag is longer than 1 MB")

// maxXMLDepth bounds how deeply the elements of one part may nest. The
// deepest parts of real workbooks (charts) nest 13 deep; encoding/xml, which
// excelize reads with, keeps every open element on a stack, so a cell
// nesting 10 million tags (70 KB zipped) cost it 1.5 GB.
const maxXMLDepth = 128

// errXMLTooDeep means elements nest more than maxXMLDepth deep.
var errXMLTooDeep = fmt.Errorf("XML elements nest more than %d deep", maxXMLDepth)

// newXMLScanner scans r, which holds about size bytes.
func newXMLScanner(r io.Reader, size uint64) *xmlScanner {
	return &xmlScanner{src: r, buf: make([]byte, min(max(size+1, 512), 64<<10))}
}

// fill moves the unread bytes to the front of the buffer, growing it when
// full, and reads more from src. Slices returned earlier become invalid.
func (s *xmlScanner) fill() {
	if s.r > 0 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	if s.w == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := s.src.Read(s.buf[s.w:])
	s.w += n
	if err != nil {
		s.err = err
	}
}

// next returns the next token. The bytes are valid until the next call.
// It returns io.EOF at the end of the part.
func (s *xmlScanner) next() (xmlToken, []byte, error) {
	for {
		if !s.inTag {
			i := bytes.IndexByte(s.buf[s.r:s.w], '<')
			switch {
			case i > 0:
				text := s.buf[s.r : s.r+i]
				s.r, s.inTag = s.r+i+1, true
				return tokText, text, nil
			case i == 0:
				s.r, s.inTag = s.r+1, true
			case s.r < s.w:
				text := s.buf[s.r:s.w]
				s.r = s.w
				return tokText, text, nil
			case s.err != nil:
				return 0, nil, s.err
			default:
				s.fill()
				continue
			}
		}
		tag, err := s.readTag()
		if err != nil {
			return 0, nil, err
		}
		s.inTag = false
		if len(tag) == 0 {
			continue
		}
		switch tag[0] {
		case '/':
			s.depth = max(s.depth-1, 0)
			return tokEnd, tag[1:], nil
		case '?':
			// a processing instruction: nothing to count
		case '!':
			switch {
			case bytes.HasPrefix(tag, []byte("![CDATA[")):
				return tokText, tag[len("![CDATA[") : len(tag)-2], nil
			case bytes.HasPrefix(tag, []byte("!DOCTYPE")), bytes.HasPrefix(tag, []byte("!ENTITY")):
				return tokDoctype, tag, nil
			}
			// a comment: nothing to count
		default:
			if tag[len(tag)-1] != '/' {
				if s.depth++; s.depth > maxXMLDepth {
					return 0, nil, errXMLTooDeep
				}
			}
			return tokStart, tag, nil
		}
	}
}

// readTag reads up to the '>' that ends the tag begun by the last '<', and
// returns what lies between them. A '>' inside a quoted attribute value, a
// comment or a CDATA section does not end the tag.
func (s *xmlScanner) readTag() ([]byte, error) {
	from := s.r
	for {
		if end := tagEnd(s.buf[s.r:s.w], from-s.r); end >= 0 {
			t := s.buf[s.r : s.r+end]
			s.r += end + 1
			return t, nil
		}
		switch {
		case s.err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		case s.err != nil:
			return nil, s.err
		case s.w-s.r > maxTagBytes:
			return nil, errTagTooLong
		}
		off := s.w - s.r
		s.fill()
		from = s.r + off
	}
}

// tagEnd returns the index in b of the '>' that ends the tag b starts, or -1
// when b holds no complete tag. b[:from] is known to hold no end.
func tagEnd(b []byte, from int) int {
	if len(b) > 0 && b[0] == '!' {
		switch {
		case bytes.HasPrefix(b, []byte("!--")):
			return closingAfter(b, from, "-->")
		case bytes.HasPrefix(b, []byte("![CDATA[")):
			return closingAfter(b, from, "]]>")
		}
	}
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

// closingAfter returns the index of the '>' of the first end marker in b that
// lies past its start marker, or -1.
func closingAfter(b []byte, from int, end string) int {
	start := 3
	if end == "]]>" {
		start = len("![CDATA[")
	}
	i := bytes.Index(b[max(start, from-len(end)):], []byte(end))
	if i < 0 {
		return -1
	}
	return max(start, from-len(end)) + i + len(end) - 1
}

// skip reads the rest of the part, checking only that it nests no more
// than maxXMLDepth deep and can be read.
func (s *xmlScanner) skip() error {
	for {
		_, _, err := s.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// drain reads the rest of the part without looking at it, so that a damaged
// end of the part is still found.
func (s *xmlScanner) drain() error {
	s.r = s.w
	if s.err != nil {
		if s.err == io.EOF {
			return nil
		}
		return s.err
	}
	_, err := io.Copy(io.Discard, s.src)
	return err
}

// tagName returns the local name of a start or end tag (the part after any
// namespace prefix) and whether a start tag closes itself.
func tagName(tag []byte) (local []byte, selfClosing bool) {
	selfClosing = len(tag) > 0 && tag[len(tag)-1] == '/'
	start, end := 0, len(tag)
	for i, b := range tag {
		if b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '/' {
			end = i
			break
		}
		if b == ':' {
			start = i + 1
		}
	}
	return tag[start:end], selfClosing
}

// attrIter walks the attributes of a start tag.
type attrIter struct{ rest []byte }

// newAttrIter starts after the tag's name.
func newAttrIter(tag []byte) attrIter {
	for i, b := range tag {
		if isXMLSpace(b) {
			return attrIter{tag[i:]}
		}
	}
	return attrIter{}
}

func isXMLSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// next returns the next attribute's name (with any prefix) and raw value.
func (it *attrIter) next() (key, val []byte, ok bool) {
	r := it.rest
	i := 0
	for i < len(r) && isXMLSpace(r[i]) {
		i++
	}
	k := i
	for i < len(r) && r[i] != '=' && !isXMLSpace(r[i]) {
		i++
	}
	key = r[k:i]
	for i < len(r) && isXMLSpace(r[i]) {
		i++
	}
	if i >= len(r) || r[i] != '=' {
		return nil, nil, false
	}
	i++
	for i < len(r) && isXMLSpace(r[i]) {
		i++
	}
	if i >= len(r) || r[i] != '"' && r[i] != '\'' {
		return nil, nil, false
	}
	end := bytes.IndexByte(r[i+1:], r[i])
	if end < 0 {
		return nil, nil, false
	}
	val = r[i+1 : i+1+end]
	it.rest = r[i+2+end:]
	return key, val, true
}

// tagAttr returns the raw value of the attribute called name in a start tag,
// and whether it is there.
func tagAttr(tag []byte, name string) ([]byte, bool) {
	it := newAttrIter(tag)
	for {
		k, v, ok := it.next()
		if !ok {
			return nil, false
		}
		if string(k) == name {
			return v, true
		}
	}
}
