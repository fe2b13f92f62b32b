package table

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// textClass sorts the bytes of character data: 0 for bytes copied as they
// are, and otherwise what needs a closer look.
var textClass = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = classBad
	}
	t['\t'], t['\n'] = 0, 0
	t['\r'] = classCR
	t['<'], t['&'], t[']'], t['>'] = classLT, classAmp, classBracket, classGT
	for c := 0x80; c < 0x100; c++ {
		t[c] = classHigh
	}
	return t
}()

const (
	classBad = 1 + iota // a control character XML does not allow
	classCR
	classLT
	classAmp
	classBracket
	classGT
	classHigh // part of a multi-byte character, checked once decoded
)

// readText reads character data up to the next '<' or the end of input,
// decoding entities and turning "\r\n" and a lone "\r" into "\n" as
// encoding/xml does; "]]>" outside a CDATA section is an error.
func (s *xmlTokenizer) readText() xmlKind {
	s.text = s.text[:0]
	brackets := 0    // literal ']' just before the current byte
	afterCR := false // the last byte was a literal '\r'
	high := false
	for {
		b := s.buf[s.r:s.w]
		i := 0
		for i < len(b) {
			c := b[i]
			cl := textClass[c]
			if cl == 0 || cl == classHigh {
				j := i
				for j < len(b) {
					if k := textClass[b[j]]; k == classHigh {
						high = true
					} else if k != 0 {
						break
					}
					j++
				}
				if afterCR && c == '\n' {
					i++
				}
				s.text = append(s.text, b[i:j]...)
				i, brackets, afterCR = j, 0, false
				continue
			}
			switch cl {
			case classBad:
				return s.fail()
			case classCR:
				s.text = append(s.text, '\n')
				i, brackets, afterCR = i+1, 0, true
			case classBracket:
				s.text = append(s.text, ']')
				i, brackets, afterCR = i+1, brackets+1, false
			case classGT:
				if brackets >= 2 {
					return s.fail()
				}
				s.text = append(s.text, '>')
				i, brackets, afterCR = i+1, 0, false
			case classLT:
				s.r += i
				return s.endText(high)
			case classAmp:
				var n, res int
				s.text, n, res = appendEntity(s.text, b[i:])
				if res == parseBad {
					return s.fail()
				}
				if res == parseMore {
					s.r += i
					if !s.more() {
						return s.fail()
					}
					b = s.buf[s.r:s.w]
					i = 0
					continue
				}
				i, brackets, afterCR = i+n, 0, false
			}
		}
		s.r += len(b)
		if !s.more() {
			if s.srcErr != nil && s.srcErr != io.EOF {
				return s.fail()
			}
			return s.endText(high)
		}
	}
}

// endText checks the decoded text holds only characters XML allows.
func (s *xmlTokenizer) endText(high bool) xmlKind {
	if high && !validXMLChars(s.text) {
		return s.fail()
	}
	s.kind = xmlText
	return xmlText
}

// validXMLChars says whether b is UTF-8 holding only characters in XML's
// Char production (control characters were refused as they were read).
func validXMLChars(b []byte) bool {
	for len(b) > 0 {
		if b[0] < 0x80 {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		b = b[n:]
	}
	return true
}

// appendEntity decodes the entity or character reference at the start of
// b (which begins '&') onto dst as encoding/xml does in strict mode: only
// the five predefined entities and references to characters XML allows.
func appendEntity(dst, b []byte) ([]byte, int, int) {
	if len(b) < 2 {
		return dst, 0, parseMore
	}
	if b[1] == '#' {
		i, base := 2, 10
		if i < len(b) && b[i] == 'x' {
			i, base = 3, 16
		}
		start := i
		for i < len(b) && (b[i] >= '0' && b[i] <= '9' || base == 16 && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'f')) {
			i++
		}
		if i >= len(b) {
			if i > maxTagBytes {
				return dst, 0, parseBad
			}
			return dst, 0, parseMore
		}
		if b[i] != ';' {
			return dst, 0, parseBad
		}
		n, err := strconv.ParseUint(string(b[start:i]), base, 64)
		if err != nil || n > utf8.MaxRune {
			return dst, 0, parseBad
		}
		r := rune(n)
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return dst, 0, parseBad
		}
		// A surrogate becomes U+FFFD, as string(rune(n)) makes it.
		return utf8.AppendRune(dst, r), i + 1, parseOK
	}
	i := 1
	for i < len(b) && (b[i] >= 0x80 || isNameByte(b[i])) {
		i++
	}
	if i >= len(b) {
		if i > maxTagBytes {
			return dst, 0, parseBad
		}
		return dst, 0, parseMore
	}
	if b[i] != ';' {
		return dst, 0, parseBad
	}
	var c byte
	switch string(b[1:i]) {
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "amp":
		c = '&'
	case "apos":
		c = '\''
	case "quot":
		c = '"'
	default:
		return dst, 0, parseBad
	}
	return append(dst, c), i + 1, parseOK
}

// attrValue decodes the attribute value starting at b[i], just past its
// opening quote q, and returns it and the index past its closing quote.
// A value with nothing to decode is returned as a slice of b.
func (s *xmlTokenizer) attrValue(b []byte, i int, q byte) ([]byte, int, int) {
	plain, high := true, false
	j := i
	for ; j < len(b) && b[j] != q; j++ {
		switch textClass[b[j]] {
		case 0, classBracket, classGT:
		case classHigh:
			high = true
		case classBad, classLT:
			return nil, 0, parseBad
		default:
			plain = false
		}
	}
	if j >= len(b) {
		return nil, 0, parseMore
	}
	if plain {
		if high && !validXMLChars(b[i:j]) {
			return nil, 0, parseBad
		}
		return b[i:j], j + 1, parseOK
	}
	start := len(s.attrBuf)
	afterCR := false
	for k := i; k < j; {
		c := b[k]
		switch {
		case c == '&':
			var n, res int
			s.attrBuf, n, res = appendEntity(s.attrBuf, b[k:j+1])
			if res != parseOK {
				// The value ends at the quote, so an entity running into it is malformed.
				return nil, 0, parseBad
			}
			k, afterCR = k+n, false
			continue
		case c == '\r':
			s.attrBuf = append(s.attrBuf, '\n')
			afterCR = true
		case c == '\n' && afterCR:
			afterCR = false
		default:
			s.attrBuf = append(s.attrBuf, c)
			afterCR = false
		}
		k++
	}
	v := s.attrBuf[start:len(s.attrBuf):len(s.attrBuf)]
	if high && !validXMLChars(v) {
		return nil, 0, parseBad
	}
	return v, j + 1, parseOK
}

// readBang reads what follows "<!": a comment, a CDATA section (returned as
// text) or a directive such as a document type, as encoding/xml reads them.
func (s *xmlTokenizer) readBang() xmlKind {
	b, ok := s.getc()
	if !ok {
		return s.fail()
	}
	switch b {
	case '-':
		if b, ok = s.getc(); !ok || b != '-' {
			return s.fail()
		}
		var b0, b1 byte
		for {
			if b, ok = s.getc(); !ok {
				return s.fail()
			}
			if b0 == '-' && b1 == '-' {
				if b != '>' {
					return s.fail()
				}
				s.kind = xmlOther
				return xmlOther
			}
			b0, b1 = b1, b
		}
	case '[':
		for i := range len("CDATA[") {
			if b, ok = s.getc(); !ok || b != "CDATA["[i] {
				return s.fail()
			}
		}
		return s.readCDATA()
	}
	return s.readDirective()
}

// readCDATA reads a CDATA section's text up to "]]>".
func (s *xmlTokenizer) readCDATA() xmlKind {
	s.text = s.text[:0]
	var b0, b1 byte
	for {
		b, ok := s.getc()
		if !ok {
			return s.fail()
		}
		if b0 == ']' && b1 == ']' && b == '>' {
			s.text = s.text[:len(s.text)-2]
			break
		}
		switch {
		case b == '\r':
			s.text = append(s.text, '\n')
		case b1 == '\r' && b == '\n':
		default:
			s.text = append(s.text, b)
		}
		b0, b1 = b1, b
	}
	for _, c := range s.text {
		if textClass[c] == classBad {
			return s.fail()
		}
	}
	return s.endText(true)
}

// readDirective skips a directive (<!DOCTYPE ...>) the way encoding/xml
// finds its end: quoted '>' and nested <...> and comments do not end it.
func (s *xmlTokenizer) readDirective() xmlKind {
	var inquote byte
	depth := 0
	for {
		b, ok := s.getc()
		if !ok {
			return s.fail()
		}
		if inquote == 0 && b == '>' && depth == 0 {
			s.kind = xmlOther
			return xmlOther
		}
	handle:
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>':
			depth--
		case b == '<':
			for i := range len("!--") {
				if b, ok = s.getc(); !ok {
					return s.fail()
				}
				if b != "!--"[i] {
					depth++
					goto handle
				}
			}
			var b0, b1 byte
			for {
				if b, ok = s.getc(); !ok {
					return s.fail()
				}
				if b0 == '-' && b1 == '-' && b == '>' {
					break
				}
				b0, b1 = b1, b
			}
		}
	}
}

// xmlAcceptsName asks encoding/xml whether name, which has non-ASCII
// letters, is a valid XML name.
func xmlAcceptsName(name string) bool {
	d := xml.NewDecoder(strings.NewReader("<?" + name + " ?>"))
	tok, err := d.RawToken()
	pi, ok := tok.(xml.ProcInst)
	return err == nil && ok && pi.Target == name
}
