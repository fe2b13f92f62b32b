package importers

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
)

// keyBufSize is the stack buffer for building a key on the hot path; longer
// values fall back to a heap buffer.
const keyBufSize = 128

// optionKey is the form in which two spellings of an answer compare equal:
// letters lower-cased, spaces and punctuation dropped (so curly and straight
// apostrophes, trailing dots and doubled spaces do not matter), digits kept,
// with a "|" between two runs of digits that punctuation separated ("1-2"
// and "12" stay apart). A plain number is written canonically ("5.0" is
// "5"). A value of punctuation only keys as itself, lower-cased.
func optionKey(s string) string {
	var buf [keyBufSize]byte
	return string(appendOptionKey(buf[:0], s))
}

// appendOptionKey appends s's key to dst.
func appendOptionKey(dst []byte, s string) []byte {
	s = strings.TrimSpace(s)
	if s == "" {
		return dst
	}
	if f, ok := parsePlainNumber(s); ok {
		return appendNumberKey(dst, f)
	}
	start := len(dst)
	lastDigit, gap := false, false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			gap = true
			continue
		}
		isDigit := r >= '0' && r <= '9'
		if isDigit && lastDigit && gap {
			dst = append(dst, '|')
		}
		dst = utf8.AppendRune(dst, r)
		lastDigit, gap = isDigit, false
	}
	if len(dst) == start {
		// Punctuation only ("-", "?"): keep it, so it can still be an option.
		dst = append(dst, 0)
		for _, r := range s {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// OptionMatcher finds the option of one question that a cell stands for. It
// is built once per question and is then cheap and safe to call per cell
// from one goroutine at a time (it allocates nothing for short values).
type OptionMatcher struct {
	index map[string]int
	// leadingNumber lets "10 - Extremely likely" match the option "10" of a
	// 0-10 scale.
	leadingNumber bool
}

// NewOptionMatcher prepares matching against q's options: each option's
// label and code, and, for a question on a scale heard knows, the other
// spellings of that scale's options ("Fairly satisfied" for "Satisfied",
// "Very favorably" for "Very favourably", "N/A" for "Not applicable").
func NewOptionMatcher(q *analytics.Question) *OptionMatcher {
	m := &OptionMatcher{index: make(map[string]int, 2*len(q.Options)+8)}
	add := func(key string, i int) {
		if key == "" {
			return
		}
		if _, taken := m.index[key]; !taken {
			m.index[key] = i
		}
	}
	for i, o := range q.Options {
		add(optionKey(o.Label), i)
	}
	for i, o := range q.Options {
		add(optionKey(o.Code), i)
	}
	for _, def := range scaleOptionsFor(q.Scale) {
		i := -1
		for _, k := range def.keys() {
			if j, ok := m.index[k]; ok {
				i = j
				break
			}
		}
		if i < 0 {
			continue
		}
		for _, k := range def.keys() {
			add(k, i)
		}
	}
	m.leadingNumber = q.Scale == scaleZeroTen
	return m
}

// Match returns the index in the question's options of the option v stands
// for, or -1 when v is blank or matches none.
func (m *OptionMatcher) Match(v string) int {
	var buf [keyBufSize]byte
	k := appendOptionKey(buf[:0], v)
	if len(k) == 0 {
		return -1
	}
	if i, ok := m.index[string(k)]; ok {
		return i
	}
	if m.leadingNumber {
		if n, ok := leadingInt(v); ok {
			k = appendNumberKey(buf[:0], float64(n))
			if i, ok := m.index[string(k)]; ok {
				return i
			}
		}
	}
	return -1
}

// MatchMulti splits the answer v of a multi-choice question at sep and
// matches each part. It returns the matched option indexes in the order
// given (without repeats) and the parts that match no option. A value that
// is itself one option is that option, so options whose text contains the
// separator (", " in "Yes, definitely") still match.
func (m *OptionMatcher) MatchMulti(v, sep string) (matched []int, unmatched []string) {
	if i := m.Match(v); i >= 0 {
		return []int{i}, nil
	}
	parts := SplitMulti(v, sep)
	for j := 0; j < len(parts); j++ {
		i := m.Match(parts[j])
		// Rejoin parts split inside an option's own text.
		for k := j + 1; i < 0 && k < len(parts) && k-j < 4; k++ {
			joined := strings.Join(parts[j:k+1], strings.TrimSpace(sep)+" ")
			if i2 := m.Match(joined); i2 >= 0 {
				i, j = i2, k
			}
		}
		switch {
		case i < 0:
			unmatched = append(unmatched, parts[j])
		case !containsInt(matched, i):
			matched = append(matched, i)
		}
	}
	return matched, unmatched
}

// MatchOption returns the index in q.Options of the option v stands for
// (label or code, matched case-, space- and punctuation-insensitively,
// curly and straight apostrophes alike), or -1. For many cells, build an
// OptionMatcher once instead.
func MatchOption(q *analytics.Question, v string) int {
	return NewOptionMatcher(q).Match(v)
}

// SplitMulti splits a multi-choice answer at sep (";", "; ", ", "...),
// trims each part and drops empty ones, so Microsoft Forms' trailing ";"
// gives no empty option. An empty sep gives the whole trimmed value.
func SplitMulti(v, sep string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	s := strings.TrimSpace(sep)
	if s == "" {
		return []string{v}
	}
	raw := strings.Split(v, s)
	parts := raw[:0]
	for _, p := range raw {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// parsePlainNumber reads a plain decimal number (no thousands commas, no
// currency, no hex, no Inf or NaN).
func parsePlainNumber(s string) (float64, bool) {
	if s == "" || len(s) > 40 {
		return 0, false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+':
			// A sign is only valid first or after the exponent's e. Dates
			// such as 2024-03-05 stop here rather than in ParseFloat, whose
			// error allocates, once for every date cell of a file.
			if i > 0 && s[i-1] != 'e' && s[i-1] != 'E' {
				return 0, false
			}
		case c == '.' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digits || s[0] == 'e' || s[0] == 'E' {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// appendNumberKey writes a number canonically ("5.0" and "5" alike).
func appendNumberKey(dst []byte, f float64) []byte {
	if f == 0 {
		f = 0 // no "-0"
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// leadingInt reads a whole number that is the whole value ("7", "7.0") or
// that starts a label ("10 - Extremely likely", "0 (Not at all likely)").
func leadingInt(v string) (int, bool) {
	t := strings.TrimSpace(v)
	if f, ok := parsePlainNumber(t); ok {
		if f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return 0, false
		}
		return int(f), true
	}
	n, count, i := leadingDigits(t, 0)
	if count == 0 || count > 3 || i >= len(t) {
		return 0, false
	}
	rest := t[i:]
	separated := rest[0] == ' '
	rest = strings.TrimLeft(rest, " ")
	for _, p := range []string{"-", "–", "—", ":", "=", "("} {
		if strings.HasPrefix(rest, p) {
			rest, separated = strings.TrimLeft(rest[len(p):], " "), true
			break
		}
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if !separated || !unicode.IsLetter(r) {
		return 0, false
	}
	return n, true
}
