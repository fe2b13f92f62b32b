package table

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// xmlTokenizer reads XML as encoding/xml's Decoder.Token does in its default
// strict mode, which is what excelize reads worksheets with: the same
// elements, the same text once entities and line endings are decoded, and a
// failure, after which it yields nothing more, on the same malformed input.
// Unlike encoding/xml it allocates nothing per token, which makes reading a
// 100,000-row sheet ten times faster. Tokens are valid until the next call.
type xmlTokenizer struct {
	src    io.Reader
	buf    []byte
	r, w   int
	srcErr error // what ended src: io.EOF or a read error
	err    error // io.EOF at a clean end, errXMLSyntax or a read error otherwise

	kind   xmlKind
	prefix []byte    // start and end tags: the namespace prefix, "" when none
	local  []byte    // start and end tags: the name after the prefix
	depth  int       // start and end tags: how deep the element is (the root is 1)
	attrs  []xmlAttr // start tags
	text   []byte    // character data, decoded

	attrBuf   []byte   // decoded attribute values that differ from their bytes
	needClose bool     // the last start tag closed itself: its end comes next
	popNext   bool     // the last token was an end tag: its element closes at the next call
	stopAt    int      // when not 0, input ends once the element at this depth closes
	open      []byte   // the raw names of the open elements, end to end
	openEnds  []int    // where each name in open ends
	ns        []nsBind // namespace declarations in force
	names     map[string]bool
}

// xmlKind is what xmlTokenizer.next returned.
type xmlKind uint8

const (
	xmlNone  xmlKind = iota // no more tokens: see err
	xmlStart                // a start tag
	xmlEnd                  // an end tag, or the end of a self-closing tag
	xmlText                 // character data or a CDATA section
	xmlOther                // a comment, processing instruction or directive
)

// xmlAttr is one attribute of a start tag.
type xmlAttr struct {
	prefix, local []byte
	value         []byte // decoded
}

// nsBind is a namespace prefix declared by the element at depth.
type nsBind struct {
	prefix, url string
	depth       int
}

// errXMLSyntax stands for every error encoding/xml reports on malformed
// input: excelize stops reading at any of them, whatever it says.
var errXMLSyntax = errors.New("the XML is malformed")

// newXMLTokenizer reads r.
func newXMLTokenizer(r io.Reader) *xmlTokenizer {
	return &xmlTokenizer{src: r, buf: make([]byte, 64<<10)}
}

// more reads more input, keeping buf[r:w]; it reports whether any arrived.
func (s *xmlTokenizer) more() bool {
	if s.srcErr != nil {
		return false
	}
	if s.r > 0 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	if s.w == len(s.buf) {
		if len(s.buf) >= 2*maxTagBytes {
			s.srcErr = errTagTooLong
			return false
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			s.srcErr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
}

// fail records why tokens stop: a read error as it is, anything else as a
// syntax error.
func (s *xmlTokenizer) fail() xmlKind {
	if s.err == nil {
		s.err = errXMLSyntax
		if s.srcErr != nil && s.srcErr != io.EOF {
			s.err = s.srcErr
		}
	}
	s.kind = xmlNone
	return xmlNone
}

// getc returns the next byte, reading more when needed.
func (s *xmlTokenizer) getc() (byte, bool) {
	if s.r == s.w && !s.more() {
		return 0, false
	}
	s.r++
	return s.buf[s.r-1], true
}

// next reads the next token.
func (s *xmlTokenizer) next() xmlKind {
	if s.err != nil {
		s.kind = xmlNone
		return xmlNone
	}
	if s.popNext {
		// The element of the last end tag closes only now, so that its
		// namespaces still applied while its end tag was looked at.
		s.popNext = false
		s.popElement()
	}
	if s.stopAt > 0 && len(s.openEnds) < s.stopAt {
		s.err = io.EOF
		s.kind = xmlNone
		return xmlNone
	}
	if s.needClose {
		s.needClose = false
		s.setEndFromTop()
		s.popNext = true
		s.kind = xmlEnd
		return xmlEnd
	}
	if s.r == s.w && !s.more() {
		if s.srcErr == io.EOF && len(s.openEnds) == 0 {
			s.err = io.EOF
			s.kind = xmlNone
			return xmlNone
		}
		return s.fail()
	}
	if s.buf[s.r] != '<' {
		return s.readText()
	}
	for s.w-s.r < 2 {
		if !s.more() {
			return s.fail()
		}
	}
	switch s.buf[s.r+1] {
	case '/':
		return s.readEndTag()
	case '?':
		s.r += 2
		return s.readProcInst()
	case '!':
		s.r += 2
		return s.readBang()
	}
	return s.readStartTag()
}

// setEndFromTop points prefix and local at the innermost open element.
func (s *xmlTokenizer) setEndFromTop() {
	n := len(s.openEnds)
	from := 0
	if n > 1 {
		from = s.openEnds[n-2]
	}
	s.prefix, s.local = splitXMLName(s.open[from:s.openEnds[n-1]])
	s.depth = n
}

// popElement closes the innermost element and the namespaces it declared.
func (s *xmlTokenizer) popElement() {
	n := len(s.openEnds)
	for len(s.ns) > 0 && s.ns[len(s.ns)-1].depth == n {
		s.ns = s.ns[:len(s.ns)-1]
	}
	s.openEnds = s.openEnds[:n-1]
	if n > 1 {
		s.open = s.open[:s.openEnds[n-2]]
	} else {
		s.open = s.open[:0]
	}
}

// readEndTag reads "</name>" and checks it closes the innermost element.
func (s *xmlTokenizer) readEndTag() xmlKind {
	for {
		b := s.buf[s.r:s.w]
		n, ok, done := scanName(b, 2)
		if done {
			if !ok {
				return s.fail()
			}
			i := skipXMLSpace(b, n)
			if i < len(b) {
				if b[i] != '>' {
					return s.fail()
				}
				raw := b[2:n]
				if !s.checkName(raw, true) || len(s.openEnds) == 0 {
					return s.fail()
				}
				top := len(s.openEnds)
				from := 0
				if top > 1 {
					from = s.openEnds[top-2]
				}
				if !bytes.Equal(s.open[from:s.openEnds[top-1]], raw) {
					return s.fail()
				}
				s.prefix, s.local = splitXMLName(raw)
				s.depth = top
				s.popNext = true
				s.r += i + 1
				s.kind = xmlEnd
				return xmlEnd
			}
		}
		if !s.more() {
			return s.fail()
		}
	}
}

// readStartTag reads "<name attr='value'...>" or "<name.../>".
func (s *xmlTokenizer) readStartTag() xmlKind {
	for {
		n, res := s.parseStartTag(s.buf[s.r:s.w])
		switch res {
		case parseBad:
			return s.fail()
		case parseMore:
			if !s.more() {
				return s.fail()
			}
			continue
		}
		s.r += n
		return s.pushStart()
	}
}

// pushStart records the start tag just parsed as open, with the namespaces
// it declares, as Decoder.Token does before translating names.
func (s *xmlTokenizer) pushStart() xmlKind {
	depth := len(s.openEnds) + 1
	for _, a := range s.attrs {
		switch {
		case string(a.prefix) == "xmlns":
			s.ns = append(s.ns, nsBind{prefix: string(a.local), url: string(a.value), depth: depth})
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			s.ns = append(s.ns, nsBind{url: string(a.value), depth: depth})
		}
	}
	if len(s.prefix) > 0 {
		s.open = append(s.open, s.prefix...)
		s.open = append(s.open, ':')
	}
	s.open = append(s.open, s.local...)
	s.openEnds = append(s.openEnds, len(s.open))
	s.depth = depth
	s.kind = xmlStart
	return xmlStart
}

// Results of parsing a construct from the bytes buffered so far.
const (
	parseOK   = iota
	parseMore // it runs past the buffered bytes
	parseBad  // it is malformed
)

// parseStartTag parses the start tag at the start of b, which begins "<",
// into s.prefix, s.local, s.attrs and s.needClose, returning its length.
func (s *xmlTokenizer) parseStartTag(b []byte) (int, int) {
	s.attrs, s.attrBuf = s.attrs[:0], s.attrBuf[:0]
	n, ok, done := scanName(b, 1)
	if !done {
		return 0, parseMore
	}
	if !ok || !s.checkName(b[1:n], true) {
		return 0, parseBad
	}
	s.prefix, s.local = splitXMLName(b[1:n])
	i := n
	for {
		i = skipXMLSpace(b, i)
		if i >= len(b) {
			return 0, parseMore
		}
		switch b[i] {
		case '/':
			if i+1 >= len(b) {
				return 0, parseMore
			}
			if b[i+1] != '>' {
				return 0, parseBad
			}
			s.needClose = true
			return i + 2, parseOK
		case '>':
			s.needClose = false
			return i + 1, parseOK
		}
		end, ok, done := scanName(b, i)
		if !done {
			return 0, parseMore
		}
		if !ok || !s.checkName(b[i:end], true) {
			return 0, parseBad
		}
		a := xmlAttr{}
		a.prefix, a.local = splitXMLName(b[i:end])
		i = skipXMLSpace(b, end)
		if i >= len(b) {
			return 0, parseMore
		}
		if b[i] != '=' {
			return 0, parseBad
		}
		i = skipXMLSpace(b, i+1)
		if i >= len(b) {
			return 0, parseMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, parseBad
		}
		var res int
		a.value, i, res = s.attrValue(b, i+1, q)
		if res != parseOK {
			return 0, res
		}
		s.attrs = append(s.attrs, a)
	}
}

// scanName returns the end of the name starting at b[i]: the run of bytes
// encoding/xml reads as a name (ASCII name bytes and any non-ASCII byte).
// ok is false when there is no name there; done is false when the name may
// go on past the buffered bytes.
func scanName(b []byte, i int) (end int, ok, done bool) {
	j := i
	for j < len(b) && (b[j] >= 0x80 || isNameByte(b[j])) {
		j++
	}
	if j == len(b) {
		return j, false, false
	}
	return j, j > i, true
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func skipXMLSpace(b []byte, i int) int {
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	return i
}

// checkName says whether raw is a name encoding/xml accepts: element and
// attribute names (ns) may hold at most one colon. Names with non-ASCII
// letters are rare; they are checked by encoding/xml itself, once each.
func (s *xmlTokenizer) checkName(raw []byte, ns bool) bool {
	colons, ascii := 0, true
	for _, c := range raw {
		if c == ':' {
			colons++
		} else if c >= 0x80 {
			ascii = false
		}
	}
	if ns && colons > 1 {
		return false
	}
	if ascii {
		c := raw[0]
		return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
	}
	if ok, seen := s.names[string(raw)]; seen {
		return ok
	}
	ok := xmlAcceptsName(string(raw))
	if s.names == nil {
		s.names = make(map[string]bool)
	}
	if len(s.names) < 1024 {
		s.names[string(raw)] = ok
	}
	return ok
}

// splitXMLName splits a name at its colon as encoding/xml does: a colon at
// either end, or none, leaves the whole name local.
func splitXMLName(raw []byte) (prefix, local []byte) {
	i := bytes.IndexByte(raw, ':')
	if i <= 0 || i == len(raw)-1 {
		return raw[:0], raw
	}
	return raw[:i], raw[i+1:]
}

// space returns the namespace a prefix stands for, as Decoder.Token
// translates it, using only the declarations of elements at most maxDepth
// deep. Elements without a prefix take the default namespace; attributes
// without one have none.
func (s *xmlTokenizer) space(prefix []byte, element bool, maxDepth int) string {
	p := string(prefix)
	switch {
	case p == "xmlns":
		return p
	case p == "" && !element:
		return ""
	case p == "xml":
		p = "http://www.w3.org/XML/1998/namespace"
	}
	for i := len(s.ns) - 1; i >= 0; i-- {
		if b := s.ns[i]; b.depth <= maxDepth && b.prefix == p {
			return b.url
		}
	}
	return p
}

// readProcInst reads "<?target ...?>" after its "<?". An XML declaration
// must say version 1.0, and one naming another encoding than UTF-8 switches
// the rest of the input to it, as excelize's CharsetReader does.
func (s *xmlTokenizer) readProcInst() xmlKind {
	var target []byte
	for {
		end, ok, done := scanName(s.buf[s.r:s.w], 0)
		if done {
			if !ok || !s.checkName(s.buf[s.r:s.r+end], false) {
				return s.fail()
			}
			target = append(target, s.buf[s.r:s.r+end]...)
			s.r += end
			break
		}
		if !s.more() {
			return s.fail()
		}
	}
	for {
		b, ok := s.getc()
		if !ok {
			return s.fail()
		}
		if !isXMLSpace(b) {
			s.r--
			break
		}
	}
	var data []byte
	var b0 byte
	for {
		b, ok := s.getc()
		if !ok {
			return s.fail()
		}
		if string(target) == "xml" {
			if len(data) > maxTagBytes {
				return s.fail()
			}
			data = append(data, b)
		}
		if b0 == '?' && b == '>' {
			break
		}
		b0 = b
	}
	if string(target) == "xml" {
		content := string(data[:len(data)-2])
		if v := procInstParam("version", content); v != "" && v != "1.0" {
			return s.fail()
		}
		if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			rest := append([]byte(nil), s.buf[s.r:s.w]...)
			r, err := charset.NewReaderLabel(enc, io.MultiReader(bytes.NewReader(rest), s.src))
			if err != nil {
				return s.fail()
			}
			s.src, s.r, s.w = r, 0, 0
			if s.srcErr == io.EOF {
				s.srcErr = nil
			}
		}
	}
	s.kind = xmlOther
	return xmlOther
}

// procInstParam finds param="value" or param='value' in the content of a
// processing instruction the way encoding/xml does, "" when it is not there.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
