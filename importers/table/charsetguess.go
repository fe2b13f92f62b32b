package table

import (
	"bytes"
	"errors"
	"io"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// byteStats describes a file that is not valid UTF-8.
type byteStats struct {
	multibyte    int // valid UTF-8 sequences of two bytes or more
	firstBadLine int // line of the first byte that is not UTF-8
	score1252    int // how much the high bytes read like text as Windows-1252
	scoreMac     int // ... and as Mac Roman
}

// analyseBytes reads r to the end and scores its bytes above 0x7F.
func analyseBytes(r io.Reader, bufSize int) (byteStats, error) {
	st := byteStats{}
	buf := make([]byte, bufSize)
	line, carry, prev := 1, 0, byte('\n')
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return st, err
		}
		data := buf[:n]
		i := 0
		for i < len(data) {
			b := data[i]
			if b < utf8.RuneSelf {
				if b == '\n' && prev != '\r' || b == '\r' {
					line++
				}
				prev, i = b, i+1
				continue
			}
			if !end && !utf8.FullRune(data[i:]) {
				break
			}
			if ru, size := utf8.DecodeRune(data[i:]); ru != utf8.RuneError || size > 1 {
				st.multibyte++
				prev, i = data[i+size-1], i+size
				continue
			}
			if st.firstBadLine == 0 {
				st.firstBadLine = line
			}
			next := byte(' ')
			if i+1 < len(data) {
				next = data[i+1]
			}
			st.score1252 += plausibility(charmap.Windows1252.DecodeByte(b), prev, next)
			st.scoreMac += plausibility(charmap.Macintosh.DecodeByte(b), prev, next)
			prev, i = b, i+1
		}
		if end {
			return st, nil
		}
		carry = copy(buf, data[i:])
	}
}

// plausibility scores how likely r is as a character of survey text, given
// the bytes either side: typographic punctuation scores highest, a lower-case
// letter next to letters is good, a capital inside a lower-case word or a
// control character is unlikely.
func plausibility(r rune, prev, next byte) int {
	asciiLetter := func(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }
	switch {
	case r == utf8.RuneError || unicode.Is(unicode.Cc, r):
		return -10
	case bytes.ContainsRune([]byte("‘’“”–—…•€£™©®°\u00a0½¼¾·´«»§¿¡"), r):
		return 3
	case bytes.ContainsRune([]byte("ŒœŠšŽžŸƒıªºﬁﬂΩπµ"), r):
		return 0
	case unicode.IsLower(r):
		if asciiLetter(prev) || asciiLetter(next) {
			return 2
		}
		return 1
	case unicode.IsUpper(r):
		if prev >= 'a' && prev <= 'z' {
			return -1
		}
		return 1
	}
	return 0
}
