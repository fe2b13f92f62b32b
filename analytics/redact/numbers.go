package redact

import "strings"

// A digit group is a run of digits inside a longer number written with
// spaces, dashes, dots or brackets between groups: "+44 (0)7700 900-123".
type digitGroup struct {
	start, end int // byte offsets of the group (with a leading "+")
	plus       bool
}

// findNumbers appends the phone numbers and NHS numbers in text. It reads
// each run of digit groups (digits with at most a few separator bytes
// between them) and, from each group on, takes the longest run of whole
// groups that is an NHS number or a phone number; see classifyNumber.
func findNumbers(text string, spans []Span) []Span {
	var groups []digitGroup
	i := 0
	for i < len(text) {
		if !numberStart(text, i) {
			i++
			continue
		}
		groups, i = digitRun(text, i, groups[:0])
		spans = classifyRun(text, groups, spans)
	}
	return spans
}

// numberStart reports whether a number can begin at text[i]: a digit or
// "+" or "(" before one, not inside a word or another number, nor right
// after a redaction's "]" (so that redacting twice changes nothing).
func numberStart(text string, i int) bool {
	c := text[i]
	switch {
	case isDigit(c):
	case (c == '+' || c == '(') && i+1 < len(text) && isDigit(text[i+1]):
	case c == '(' && i+2 < len(text) && text[i+1] == '+' && isDigit(text[i+2]):
	default:
		return false
	}
	if i == 0 {
		return true
	}
	p := text[i-1]
	return !isDigit(p) && !isASCIILetter(p) && p != '/' && p != '.' && p != ':' && p != ',' && p != '_' && p != ']' && p < 0x80
}

// digitRun reads the groups of the number starting at text[i] and returns
// them with the offset just after the run (always past i).
func digitRun(text string, i int, groups []digitGroup) ([]digitGroup, int) {
	end := i + 1
	for {
		g := digitGroup{}
		for i < len(text) && (text[i] == '(' || text[i] == '+') {
			if text[i] == '+' {
				g.plus = true
			}
			i++
		}
		g.start = i
		if g.plus {
			g.start = i - 1
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j == i || j < len(text) && isASCIILetter(text[j]) {
			// No digits, or digits that belong to a word ("12b", "4AB").
			return groups, max(end, j)
		}
		groups = append(groups, digitGroup{g.start, j, g.plus})
		end = j
		// Separators: up to three of space, dash, brackets, or one dot.
		k := j
		dot := false
		for k < len(text) && k-j < 3 && isNumberSep(text[k]) {
			dot = dot || text[k] == '.'
			k++
		}
		if k == j || k >= len(text) || !(isDigit(text[k]) || text[k] == '(' || text[k] == '+') || dot && k-j != 1 {
			return groups, end
		}
		i = k
	}
}

func isNumberSep(c byte) bool {
	return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '\t'
}

// classifyRun appends, from each group on, the longest run of whole groups
// that is an NHS or phone number.
func classifyRun(text string, groups []digitGroup, spans []Span) []Span {
	var digits [32]byte
	for a := 0; a < len(groups); a++ {
		n := 0
		best, bestKind := -1, Kind("")
		for b := a; b < len(groups); b++ {
			g := groups[b]
			if n+g.end-g.start > len(digits) {
				break
			}
			for k := g.start; k < g.end; k++ {
				if isDigit(text[k]) {
					digits[n] = text[k]
					n++
				}
			}
			if k := classifyNumber(digits[:n], groups[a].plus); k != "" {
				best, bestKind = b, k
			}
		}
		if best >= 0 {
			start, end := groups[a].start, groups[best].end
			if start > 0 && text[start-1] == '(' {
				// "(0113) 496 0000": the bracket goes with the number.
				start--
			}
			if end < len(text) && text[end] == ')' && text[start] == '(' && strings.IndexByte(text[start:end], ')') < 0 {
				end++
			}
			spans = append(spans, Span{start, end, bestKind})
			a = best
		}
	}
	return spans
}

// classifyNumber says what the digits d (separators removed) are: an NHS
// number (ten digits not starting 0, with a valid modulus 11 check digit),
// a UK phone number (0 and ten or eleven digits; +44 or 0044 and nine or
// ten more, after an optional 0; ten digits starting 7, a mobile without
// its 0, or 1 or 2, a landline without it), an international number (+
// and eight to fifteen digits), or nothing ("").
func classifyNumber(d []byte, plus bool) Kind {
	n := len(d)
	switch {
	case plus:
		if n >= 8 && n <= 15 {
			return Phone
		}
	case n == 10 && d[0] != '0' && ValidNHSNumber(string(d)):
		return NHSNumber
	case n >= 2 && d[0] == '0' && d[1] == '0':
		if n >= 11 && n <= 16 {
			return Phone
		}
	case d[0] == '0':
		if n == 10 || n == 11 {
			return Phone
		}
	case n == 10 && (d[0] == '7' || d[0] == '1' || d[0] == '2'):
		return Phone
	}
	return ""
}

// ValidNHSNumber reports whether s is ten digits whose last is the
// modulus 11 check digit of the first nine (NHS Data Dictionary, "NHS
// Number"): multiply the first nine digits by 10, 9, ... 2, sum, and the
// check digit is 11 minus the remainder mod 11, 11 becoming 0; a result of
// 10 means no number with those nine digits is valid.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		if !isDigit(s[i]) {
			return false
		}
		if i < 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}
