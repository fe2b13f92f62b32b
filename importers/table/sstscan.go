package table

import (
	"errors"
	"io"
	"sort"
)

// sharedStrings is what the zip check learns of the shared-strings part:
// how many entries it has and how long each one's text is, so that a cell
// referring to an entry can be charged the text it expands to.
type sharedStrings struct {
	count int
	// short holds each entry's text length in bytes as the XML spells it
	// (an upper bound on the decoded text), or longText for 255 bytes and
	// more; those lengths are in longAt/longLen, sorted by entry. One byte an
	// entry, against at least five bytes of XML (<si/>) for the entry.
	short   []uint8
	longAt  []int
	longLen []int64
}

// longText marks an entry whose length is kept in sharedStrings.longLen.
const longText = 255

func (s *sharedStrings) isEmpty(i int) bool { return s.short[i] == 0 }

// length returns the bytes of text entry i expands to, at most.
func (s *sharedStrings) length(i int) int64 {
	if n := s.short[i]; n != longText {
		return int64(n)
	}
	j := sort.SearchInts(s.longAt, i)
	return s.longLen[j]
}

// sharedStringCost is what each shared-strings entry is charged against the
// unzipped limit besides its text: excelize keeps every entry in a structure
// of its own whatever its text (about 240 bytes each, measured: 6 million
// empty entries, 30 MB of XML zipped to 45 KB, took it 1.4 GB). This also
// bounds the one byte an entry sharedStrings keeps.
const sharedStringCost = 256

// errSharedStringsBudget means the shared-strings entries, at
// sharedStringCost each, with the unzipped bytes come to more than the
// unzipped limit.
var errSharedStringsBudget = errors.New("the shared-strings entries come to more than the limit")

// scanSharedStrings reads a shared-strings part: its <si> entries and the
// length of each one's text. Text in phonetic runs (<rPh>) is not part of
// the value. Each entry is charged sharedStringCost against budget.
func scanSharedStrings(r io.Reader, size uint64, budget *unzipBudget) (*sharedStrings, error) {
	sst := &sharedStrings{}
	sc := newXMLScanner(r, size)
	inSI, inT, inRPh := false, false, false
	var text int64
	for {
		tok, b, err := sc.next()
		if err == io.EOF {
			return sst, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokDoctype:
			return nil, errDoctype
		case tokText:
			if inT {
				text += int64(len(b))
			}
		case tokStart, tokEnd:
			name, closed := tagName(b)
			start := tok == tokStart && !closed
			switch string(name) {
			case "si":
				if tok == tokStart {
					inSI, text = start, 0
				}
				if tok == tokEnd || closed {
					sst.add(text)
					inSI = false
					if budget.left -= sharedStringCost; budget.left < 0 {
						return nil, errSharedStringsBudget
					}
				}
			case "t":
				inT = start && inSI && !inRPh
			case "rPh":
				inRPh = start
			}
		}
	}
}

// add appends an entry whose text is n bytes long.
func (s *sharedStrings) add(n int64) {
	if n >= longText {
		s.short = append(s.short, longText)
		s.longAt = append(s.longAt, s.count)
		s.longLen = append(s.longLen, n)
	} else {
		s.short = append(s.short, uint8(n))
	}
	s.count++
}
