package redact

import (
	"unicode"
	"unicode/utf8"
)

func firstRune(w string) (rune, int) { return utf8.DecodeRuneInString(w) }

func isUpperRune(r rune) bool {
	if r < 0x80 {
		return isUpper(byte(r))
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isLowerRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z'
	}
	return unicode.IsLower(r)
}
