package importers

import "io"

// sharedStrings is what the zip check learns of the shared-strings part:
// how many entries it has and which of them are empty text.
type sharedStrings struct {
	count int
	empty []uint64 // bit i set: entry i is ""
}

func (s *sharedStrings) isEmpty(i int) bool { return s.empty[i/64]&(1<<(i%64)) != 0 }

// scanSharedStrings counts the <si> entries of a shared-strings part and notes
// the empty ones. Text in phonetic runs (<rPh>) is not part of the value.
func scanSharedStrings(r io.Reader, size uint64) (*sharedStrings, error) {
	sst := &sharedStrings{}
	sc := newXMLScanner(r, size)
	inSI, inT, inRPh, text := false, false, false, false
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
			if inT && len(b) > 0 {
				text = true
			}
		case tokStart, tokEnd:
			name, closed := tagName(b)
			start := tok == tokStart && !closed
			switch string(name) {
			case "si":
				if tok == tokStart {
					inSI, text = start, false
				}
				if tok == tokEnd || closed {
					sst.add(text)
					inSI = false
				}
			case "t":
				inT = start && inSI && !inRPh
			case "rPh":
				inRPh = start
			}
		}
	}
}

func (s *sharedStrings) add(nonEmpty bool) {
	if s.count%64 == 0 {
		s.empty = append(s.empty, 0)
	}
	if !nonEmpty {
		s.empty[s.count/64] |= 1 << (s.count % 64)
	}
	s.count++
}
