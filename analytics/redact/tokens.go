package redact

import (
	"unicode"
	"unicode/utf8"
)

// A token is a word or number of the text: letters and digits, with
// apostrophes and hyphens inside ("O'Neill", "Anne-Marie", "14b", "45-47").
type token struct {
	start, end int
	// gap is the text between the previous token and this one, trimmed of
	// spaces: "," or "." or "" (for the first token, "^").
	gap string
	// spaced reports whether the gap holds any white space.
	spaced bool
	// sentence reports whether the token starts a sentence: the first
	// token, or after ".", "!", "?", a line break or a bullet.
	sentence bool
}

// tokenize splits text into tokens; gaps are substrings of text, so it
// allocates only the slice.
func tokenize(text string, toks []token) []token {
	i, prev := 0, 0
	sentence := true
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if r == '.' || r == '!' || r == '?' || r == '\n' || r == '•' {
				sentence = true
			}
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
				i += size
				continue
			}
			if r == '\'' || r == '’' || r == '-' {
				// Inside a word only when a letter or digit follows.
				if n, nsize := utf8.DecodeRuneInString(text[i+size:]); i+size < len(text) && (unicode.IsLetter(n) || unicode.IsDigit(n)) {
					i += size + nsize
					continue
				}
			}
			break
		}
		gap, spaced := trimGap(text[prev:start])
		if len(toks) == 0 {
			gap = "^"
		}
		toks = append(toks, token{start: start, end: i, gap: gap, spaced: spaced, sentence: sentence})
		sentence = false
		prev = i
	}
	return toks
}

// trimGap trims white space from both ends of gap.
func trimGap(gap string) (string, bool) {
	spaced := false
	a, b := 0, len(gap)
	for a < b && isSpace(gap[a]) {
		a++
		spaced = true
	}
	for b > a && isSpace(gap[b-1]) {
		b--
		spaced = true
	}
	if !spaced {
		for k := a; k < b; k++ {
			if isSpace(gap[k]) {
				spaced = true
				break
			}
		}
	}
	return gap[a:b], spaced
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
