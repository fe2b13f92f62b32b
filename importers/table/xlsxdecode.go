package table

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The functions here read one element, whose start tag was just read, to
// its end as encoding/xml decodes it into excelize's structures (xlsxC's v,
// f and is, xlsxSI and what it holds): text is an element's own character
// data with its children skipped, a repeated element replaces the earlier
// one, and an attribute excelize's structure types as a number or a
// boolean that does not parse stops the decoding there (false), leaving
// what was read before it. Attributes excelize has no field for, and
// elements it does not know, are skipped.

// elementText appends the element's own text to dst.
func elementText(x *xmlTokenizer, dst []byte) ([]byte, bool) {
	depth := 0
	for {
		switch x.next() {
		case xmlNone:
			return dst, false
		case xmlStart:
			depth++
		case xmlEnd:
			if depth == 0 {
				return dst, true
			}
			depth--
		case xmlText:
			if depth == 0 {
				dst = append(dst, x.text...)
			}
		}
	}
}

// skipElement reads past the element's end.
func skipElement(x *xmlTokenizer) bool {
	depth := 0
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlStart:
			depth++
		case xmlEnd:
			if depth == 0 {
				return true
			}
			depth--
		}
	}
}

func (s *sheetReader) elementText(dst []byte) ([]byte, bool) { return elementText(s.x, dst) }

// readFormula reads an f element: excelize keeps only that there is one,
// but its typed attributes must parse.
func (s *sheetReader) readFormula() bool {
	return attrsParse(s.x.attrs, formulaAttrs) && skipElement(s.x)
}

// Attribute types of excelize's structures that can fail to parse.
const (
	attrBool = iota + 1
	attrInt
	attrUint32
	attrFloat
)

var (
	formulaAttrs = map[string]int{"aca": attrBool, "dt2D": attrBool, "dtr": attrBool, "del1": attrBool,
		"del2": attrBool, "ca": attrBool, "bx": attrBool, "si": attrInt}
	colorAttrs    = map[string]int{"auto": attrBool, "indexed": attrInt, "theme": attrInt, "tint": attrFloat}
	phoneticAttrs = map[string]int{"sb": attrUint32, "eb": attrUint32}
	fontIDAttrs   = map[string]int{"fontId": attrInt}
	sstAttrs      = map[string]int{"count": attrInt, "uniqueCount": attrInt}
	// runProps maps each element of a rich-text run's rPr to the type of
	// its val attribute; color has attributes of its own.
	runProps = map[string]int{"rFont": 0, "charset": attrInt, "family": attrInt, "b": attrBool, "i": attrBool,
		"strike": attrBool, "outline": attrBool, "shadow": attrBool, "condense": attrBool, "extend": attrBool,
		"sz": attrFloat, "u": 0, "vertAlign": 0, "scheme": 0}
)

// attrsParse says whether every attribute of types parses as encoding/xml
// parses it (an empty value is zero).
func attrsParse(attrs []xmlAttr, types map[string]int) bool {
	for _, a := range attrs {
		if t := types[string(a.local)]; t != 0 && len(a.value) > 0 && !valueParses(a.value, t) {
			return false
		}
	}
	return true
}

// parseBoolTrim is strconv.ParseBool after trimming space, false on error.
func parseBoolTrim(s string) bool {
	v, _ := strconv.ParseBool(strings.TrimSpace(s))
	return v
}

func valueParses(b []byte, t int) bool {
	v := strings.TrimSpace(string(b))
	var err error
	switch t {
	case attrBool:
		_, err = strconv.ParseBool(v)
	case attrInt:
		_, err = strconv.ParseInt(v, 10, 64)
	case attrUint32:
		_, err = strconv.ParseUint(v, 10, 32)
	case attrFloat:
		_, err = strconv.ParseFloat(v, 64)
	}
	return err == nil
}

// stringItem is an inline string (is) or shared string (si) as excelize's
// xlsxSI holds it; its buffers are reused.
type stringItem struct {
	t    []byte // the text of its last direct t
	runs []byte // the text of its complete runs, each its last t
	run  []byte
	tmp  []byte
}

func (it *stringItem) reset() { it.t, it.runs = it.t[:0], it.runs[:0] }

// String is the item's value as xlsxSI.String gives it: the direct text,
// then the runs', with _xHHHH_ escapes decoded.
func (it *stringItem) String() string {
	text := it.t
	switch {
	case len(it.t)+len(it.runs) == 0:
		return ""
	case len(it.t) == 0:
		text = it.runs
	case len(it.runs) > 0:
		it.tmp = append(append(it.tmp[:0], it.t...), it.runs...)
		text = it.tmp
	}
	if !bytes.Contains(text, []byte("_x")) {
		return string(text)
	}
	return bstrUnmarshal(string(text))
}

// readStringItem reads an is or si element into it; phonetic runs (rPh)
// are checked but are not part of the value.
func readStringItem(x *xmlTokenizer, it *stringItem) bool {
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlEnd:
			return true
		case xmlStart:
			ok := true
			switch string(x.local) {
			case "t":
				it.tmp, ok = elementText(x, it.tmp[:0])
				if ok {
					it.t = append(it.t[:0], it.tmp...)
				}
			case "r":
				ok = readRun(x, it)
			case "rPh":
				ok = attrsParse(x.attrs, phoneticAttrs) && skipElement(x)
			case "phoneticPr":
				ok = attrsParse(x.attrs, fontIDAttrs) && skipElement(x)
			default:
				ok = skipElement(x)
			}
			if !ok {
				return false
			}
		}
	}
}

// readRun reads a rich-text run, adding its text to it.runs once complete.
func readRun(x *xmlTokenizer, it *stringItem) bool {
	it.run = it.run[:0]
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlEnd:
			it.runs = append(it.runs, it.run...)
			return true
		case xmlStart:
			ok := true
			switch string(x.local) {
			case "t":
				it.tmp, ok = elementText(x, it.tmp[:0])
				if ok {
					it.run = append(it.run[:0], it.tmp...)
				}
			case "rPr":
				ok = readRunProps(x)
			default:
				ok = skipElement(x)
			}
			if !ok {
				return false
			}
		}
	}
}

// readRunProps checks a run's properties (rPr).
func readRunProps(x *xmlTokenizer) bool {
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlEnd:
			return true
		case xmlStart:
			ok := true
			t, known := runProps[string(x.local)]
			switch {
			case known && t == attrBool:
				if !readBoolProp(x) {
					return false
				}
				continue
			case known:
				for _, a := range x.attrs {
					if t != 0 && string(a.local) == "val" && len(a.value) > 0 && !valueParses(a.value, t) {
						ok = false
					}
				}
			case string(x.local) == "color":
				ok = attrsParse(x.attrs, colorAttrs)
			}
			if !ok || !skipElement(x) {
				return false
			}
		}
	}
}

// readBoolProp reads a boolean run property (b, i, strike...) as excelize's
// attrValBool.UnmarshalXML does: it reads up to the first end tag, failing
// at a start tag, and only then parses its first val attribute, untrimmed.
// Failing at a start tag leaves encoding/xml's decoder at a false end of
// input (the marker of the unfinished UnmarshalXML call), so the part ends
// once the property's element closes.
func readBoolProp(x *xmlTokenizer) bool {
	valOK := true
	for _, a := range x.attrs {
		if string(a.local) == "val" {
			if len(a.value) > 0 {
				_, err := strconv.ParseBool(string(a.value))
				valOK = err == nil
			}
			break
		}
	}
	depth := x.depth
	for {
		switch x.next() {
		case xmlNone:
			return false
		case xmlStart:
			// encoding/xml is left expecting this element's end to be the
			// end of its input: nothing after it is read.
			x.stopAt = depth
			return false
		case xmlEnd:
			return valOK
		}
	}
}

// bstrUnmarshal decodes the _xHHHH_ escapes Excel writes for characters
// XML cannot hold, as excelize does: _x005F_ is '_', an escape of a
// surrogate is dropped.
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var out []byte
	cursor, changed := 0, false
	for i := 0; i+7 <= len(s); {
		if s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
			i++
			continue
		}
		r, ok := hex4(s[i+2 : i+6])
		if !ok {
			i++
			continue
		}
		out, changed = append(out, s[cursor:i]...), true
		if s[i:i+7] == "_x005F_" {
			out = append(out, '_')
		} else if r < 0xD800 || r > 0xDFFF {
			out = utf8.AppendRune(out, r)
		}
		i += 7
		cursor = i
	}
	if !changed {
		return s
	}
	return string(append(out, s[cursor:]...))
}

func hex4(h string) (rune, bool) {
	var r rune
	for i := range 4 {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
