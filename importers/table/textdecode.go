package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffBytes is how much of a text file is looked at to guess its encoding
// and delimiter.
const sniffBytes = 64 << 10

// textEncoding is how a text file's bytes become UTF-8.
type textEncoding struct {
	name string            // as reported in Info.Encoding
	skip int64             // length of the byte order mark, which is dropped
	enc  encoding.Encoding // nil for UTF-8, which needs no conversion
}

// detectEncoding finds the encoding of the text file f of size bytes. UTF-16
// is known by its byte order mark or by the NUL bytes that ASCII characters
// leave in every other byte; everything else is checked as UTF-8 over the
// whole file, and a file that is not valid UTF-8 is read as Windows-1252 or
// Mac Roman, whichever makes its accented bytes read more like real text.
// Binary files and files that mix UTF-8 with another encoding are refused.
func detectEncoding(f io.ReaderAt, size int64, name string) (textEncoding, []byte, error) {
	prefix := make([]byte, min(size, sniffBytes))
	n, err := f.ReadAt(prefix, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return textEncoding{}, nil, fmt.Errorf("read upload %q: %w", name, err)
	}
	prefix = prefix[:n]
	enc, ok := utf16Encoding(prefix)
	if !ok {
		if bytes.IndexByte(prefix, 0) >= 0 {
			return textEncoding{}, nil, fileError(name, msgNotTable)
		}
		enc, err = eightBitEncoding(io.NewSectionReader(f, 0, size), prefix, name)
		if err != nil {
			return textEncoding{}, nil, err
		}
	}
	text := enc.decodePrefix(prefix, int64(len(prefix)) < size)
	if looksBinary(text) {
		return textEncoding{}, nil, fileError(name, msgNotTable)
	}
	if looksLikeMarkup(text) {
		return textEncoding{}, nil, fileError(name, msgNotTable+
			" (it is a web page or an XML document; open it in Excel and save it as .xlsx or CSV)")
	}
	return enc, text, nil
}

// utf16Encoding recognises UTF-16 by its byte order mark, or, without one,
// by NUL bytes in most odd (little-endian) or even (big-endian) positions.
func utf16Encoding(p []byte) (textEncoding, bool) {
	le := xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)
	be := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)
	switch {
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
		return textEncoding{name: "utf-16le", skip: 2, enc: le}, true
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		return textEncoding{name: "utf-16be", skip: 2, enc: be}, true
	}
	pairs := len(p) / 2
	if pairs < 2 {
		return textEncoding{}, false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(p); i += 2 {
		if p[i] == 0 {
			even++
		}
		if p[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*5 >= pairs && even*20 <= pairs:
		return textEncoding{name: "utf-16le", enc: le}, true
	case even*5 >= pairs && odd*20 <= pairs:
		return textEncoding{name: "utf-16be", enc: be}, true
	}
	return textEncoding{}, false
}

// eightBitEncoding reads the whole file once to tell UTF-8 (with or without a
// byte order mark) from Windows-1252 and Mac Roman.
func eightBitEncoding(r io.ReadSeeker, prefix []byte, name string) (textEncoding, error) {
	enc := textEncoding{name: "utf-8"}
	if bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}) {
		enc = textEncoding{name: "utf-8-bom", skip: 3}
	}
	bufSize := chunkSize(r)
	valid, err := validUTF8(r, enc.skip, bufSize)
	if err != nil {
		return textEncoding{}, fmt.Errorf("read upload %q: %w", name, err)
	}
	if valid {
		return enc, nil
	}
	if _, err := r.Seek(enc.skip, io.SeekStart); err != nil {
		return textEncoding{}, fmt.Errorf("read upload %q: %w", name, err)
	}
	st, err := analyseBytes(r, bufSize)
	if err != nil {
		return textEncoding{}, fmt.Errorf("read upload %q: %w", name, err)
	}
	if st.multibyte > 0 || enc.skip > 0 {
		return textEncoding{}, &analytics.ImportError{File: name, Row: st.firstBadLine,
			Message: msgMixedEncodingPrefix + ": most of it is UTF-8, but this line has a character " +
				"in another encoding; open the file in Excel and save it again as \"CSV UTF-8 (Comma delimited)\", " +
				"then upload that file"}
	}
	if st.scoreMac > st.score1252 {
		return textEncoding{name: "macintosh", enc: charmap.Macintosh}, nil
	}
	return textEncoding{name: "windows-1252", enc: charmap.Windows1252}, nil
}

// decodePrefix converts the sniffed prefix to UTF-8. When more of the file
// follows, a character cut in two at the end is dropped.
func (e textEncoding) decodePrefix(p []byte, more bool) []byte {
	p = p[min(int(e.skip), len(p)):]
	if e.enc == nil {
		if more {
			for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
				if utf8.RuneStart(p[i]) {
					if !utf8.FullRune(p[i:]) {
						p = p[:i]
					}
					break
				}
			}
		}
		return p
	}
	if more && strings.HasPrefix(e.name, "utf-16") {
		p = p[:len(p)&^1]
	}
	out, _, err := transform.Bytes(e.enc.NewDecoder(), p)
	if err != nil {
		return nil
	}
	return out
}

// open positions f after the byte order mark and returns a reader of UTF-8.
func (e textEncoding) open(f *os.File) (io.Reader, error) {
	if _, err := f.Seek(e.skip, io.SeekStart); err != nil {
		return nil, err
	}
	if e.enc == nil {
		return f, nil
	}
	return transform.NewReader(f, e.enc.NewDecoder()), nil
}

// validUTF8 reports whether everything after skip bytes is valid UTF-8,
// reading in chunks so memory stays flat.
func validUTF8(r io.ReadSeeker, skip int64, bufSize int) (bool, error) {
	if _, err := r.Seek(skip, io.SeekStart); err != nil {
		return false, err
	}
	buf := make([]byte, bufSize)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return false, err
		}
		cut := n
		if !end {
			cut = completeRunes(buf[:n])
		}
		if !utf8.Valid(buf[:cut]) {
			return false, nil
		}
		if end {
			return true, nil
		}
		carry = copy(buf, buf[cut:n])
	}
}

// chunkSize is the buffer for reading all of r: 256 KB, or less for a small
// file. It is at least utf8.UTFMax+1, so a chunk always holds a whole rune.
// It leaves r at its end.
func chunkSize(r io.Seeker) int {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return 256 << 10
	}
	return int(min(max(size, utf8.UTFMax)+1, 256<<10))
}

// completeRunes returns the length of p without an incomplete UTF-8 sequence
// at its end.
func completeRunes(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if utf8.FullRune(p[i:]) {
				return len(p)
			}
			return i
		}
	}
	return len(p)
}
