package redact

import "strings"

// months are the month names and their abbreviations, lower case, with
// their number.
var months = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// dobFillers are the words allowed between a cue and its date: "born on
// the 3rd", "DOB is 1.3.48", "date of birth was".
var dobFillers = map[string]bool{"on": true, "in": true, "is": true, "was": true, "the": true, "of": true, "=": true}

// findDatesOfBirth appends the dates that follow a date-of-birth cue:
// "born", "DOB", "d.o.b.", "date of birth", "birth date", "birthday". The
// date is numeric (12/03/1948, 1.3.48, 12-03-48, 1948-03-12), in words
// ("3 March 1948", "3rd of March 1948", "March 3, 1948", "March 1948") or
// a year alone ("born in 1948"). Only the date is redacted ("born [date of
// birth]"). A date with no cue is kept: see the package comment.
func findDatesOfBirth(text string, toks []token, spans []Span) []Span {
	var buf [40]byte
	for i := 0; i < len(toks); i++ {
		next := dobCue(text, toks, i, &buf)
		if next < 0 {
			continue
		}
		for n := 0; next < len(toks) && n < 3 && dobFillers[string(lowerKey(&buf, tokText(text, toks[next])))]; n++ {
			next++
		}
		if next >= len(toks) {
			break
		}
		if end := dateAt(text, toks[next].start); end > 0 {
			spans = append(spans, Span{toks[next].start, end, DateOfBirth})
			for next < len(toks) && toks[next].start < end {
				next++
			}
		}
		i = next - 1
	}
	return spans
}

func tokText(text string, t token) string { return text[t.start:t.end] }

// dobCue returns the index of the token after a date-of-birth cue that
// starts at toks[i], or -1.
func dobCue(text string, toks []token, i int, buf *[40]byte) int {
	w := string(lowerKey(buf, tokText(text, toks[i])))
	is := func(k int, want string) bool {
		return k < len(toks) && toks[k].gap == "" && strings.EqualFold(tokText(text, toks[k]), want)
	}
	switch w {
	case "born", "dob", "birthday", "birthdate", "bday":
		return i + 1
	case "date":
		// Not "[date of birth]", a date redacted before.
		if is(i+1, "of") && is(i+2, "birth") && (toks[i].start == 0 || text[toks[i].start-1] != '[') {
			return i + 3
		}
	case "birth":
		if is(i+1, "date") {
			return i + 2
		}
	case "d":
		if i+2 < len(toks) && toks[i+1].gap == "." && toks[i+2].gap == "." &&
			strings.EqualFold(tokText(text, toks[i+1]), "o") && strings.EqualFold(tokText(text, toks[i+2]), "b") {
			return i + 3
		}
	}
	return -1
}

// dateAt returns the end of the date starting at text[i], or 0.
func dateAt(text string, i int) int {
	d, j := digitsAt(text, i, 4)
	switch {
	case d == 4 && j < len(text) && text[j] == '-':
		// 1948-03-12
		if m, k := digitsAt(text, j+1, 2); m > 0 && k < len(text) && text[k] == '-' {
			if n, e := digitsAt(text, k+1, 2); n > 0 && boundary(text, e) {
				return e
			}
		}
		return 0
	case d == 4:
		if boundary(text, j) && yearOK(text[i:j]) {
			return j
		}
		return 0
	case d > 0 && j < len(text) && (text[j] == '/' || text[j] == '.' || text[j] == '-'):
		if m, k := digitsAt(text, j+1, 2); m > 0 && k < len(text) && (text[k] == '/' || text[k] == '.' || text[k] == '-') {
			if y, e := digitsAt(text, k+1, 4); (y == 2 || y == 4) && boundary(text, e) &&
				dayMonthOK(text[i:j], text[j+1:k]) {
				return e
			}
		}
		return 0
	case d > 0 && d <= 2:
		// 3 March 1948, 3rd of March 1948
		k := skipOrdinal(text, j)
		k = skipSpace(text, k)
		if w := wordAt(text, k); strings.EqualFold(w, "of") {
			k = skipSpace(text, k+2)
		}
		if e := monthAt(text, k); e > 0 {
			return yearAfter(text, e, true)
		}
		return 0
	}
	// March 3, 1948; March 1948
	if e := monthAt(text, i); e > 0 {
		k := skipSpace(text, e)
		if n, f := digitsAt(text, k, 4); n > 0 && n <= 2 {
			return yearAfter(text, skipOrdinal(text, f), true)
		}
		if y := yearAfter(text, e, false); y > e {
			return y
		}
	}
	return 0
}

// yearAfter returns the end of ", 1948" or " 48" after text[:e], or e when
// there is none and optional is true, else 0.
func yearAfter(text string, e int, optional bool) int {
	k := e
	if k < len(text) && text[k] == ',' {
		k++
	}
	k = skipSpace(text, k)
	if n, f := digitsAt(text, k, 4); (n == 4 || n == 2) && boundary(text, f) {
		return f
	}
	if optional {
		return e
	}
	return 0
}

// monthAt returns the end of a month name at text[i] (and its full stop,
// "Sept."), or 0.
func monthAt(text string, i int) int {
	w := wordAt(text, i)
	var buf [40]byte
	if _, ok := months[string(lowerKey(&buf, w))]; !ok || w == "" {
		return 0
	}
	e := i + len(w)
	if len(w) <= 4 && e < len(text) && text[e] == '.' {
		e++
	}
	return e
}

// wordAt returns the ASCII letters at text[i].
func wordAt(text string, i int) string {
	j := i
	for j < len(text) && isASCIILetter(text[j]) {
		j++
	}
	return text[i:j]
}

func digitsAt(text string, i, most int) (int, int) {
	j := i
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	if j-i > most {
		return 0, i
	}
	return j - i, j
}

func skipOrdinal(text string, i int) int {
	if i+2 <= len(text) {
		switch strings.ToLower(text[i : i+2]) {
		case "st", "nd", "rd", "th":
			return i + 2
		}
	}
	return i
}

func skipSpace(text string, i int) int {
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i
}

// boundary reports whether text[i] ends a word.
func boundary(text string, i int) bool { return i >= len(text) || !isWordByte(text[i]) }

func yearOK(y string) bool { return y >= "1890" && y <= "2099" }

// dayMonthOK reports whether day and month (digits) could be a day and
// a month in either order (12/03 in the UK, 03/12 in the US).
func dayMonthOK(a, b string) bool {
	x, y := atoi(a), atoi(b)
	return x >= 1 && y >= 1 && x <= 31 && y <= 31 && (x <= 12 || y <= 12)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
