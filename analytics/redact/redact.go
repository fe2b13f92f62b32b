// Package redact finds personal details in free-text comments (names,
// email addresses, UK phone numbers, NHS numbers, postcodes, street
// addresses and dates of birth) and replaces them with a bracketed word
// naming the kind, so a comment can be shown to someone without the
// personal-data right. It uses the standard library only and no regular
// expression: every detector is a left-to-right scan over the bytes or the
// words, with a bounded look at the words around, so a comment costs time
// in proportion to its length.
//
// Decisions:
//   - A span that is two kinds at once is redacted once, as the more
//     specific kind (Kinds gives the order), and spans that overlap are
//     joined, so no part of either shows.
//   - Ten digits that do not start with 0 and pass the NHS modulus 11 check
//     are an NHS number; with a failing check they are a phone number when
//     they start with 7 (a mobile without its 0), 1 or 2 (a landline
//     without it), and nothing otherwise (a reference number). A number
//     after "+" is always a phone number.
//   - Dates are redacted only as dates of birth, and only after a cue
//     ("born", "DOB", "d.o.b.", "date of birth", "birth date",
//     "birthday"): "on 12/03/2024 the carer came" is kept, since the date
//     of a visit is what a comment is about.
//   - Names are found from context (titles, roles, thanks, praise, "spoke
//     to"), a hand-written list of given names, and an English word list
//     that says which capitalised words are ordinary words (see
//     namerules.go and words/README.md). Words that are names and words
//     ("Will", "Grace", "May") need a cue.
package redact

import (
	"slices"
	"strings"
)

// Kind is a kind of personal detail.
type Kind string

// The kinds of personal detail Find looks for.
const (
	Name        Kind = "name"
	Email       Kind = "email"
	Phone       Kind = "phone"
	NHSNumber   Kind = "nhs number"
	Postcode    Kind = "postcode"
	Address     Kind = "address"
	DateOfBirth Kind = "date of birth"
)

// Kinds lists the kinds of personal detail, most specific first (the order
// in which a span that is two kinds at once takes its kind).
func Kinds() []Kind {
	return []Kind{Email, NHSNumber, DateOfBirth, Phone, Postcode, Address, Name}
}

// rank orders kinds for overlapping spans: lower wins.
func rank(k Kind) int {
	if i := slices.Index(Kinds(), k); i >= 0 {
		return i
	}
	return len(Kinds())
}

// Span is one personal detail: text[Start:End] (byte offsets) is of Kind.
type Span struct {
	Start, End int
	Kind       Kind
}

// Find returns the personal details in text, sorted by Start and not
// overlapping. Spans found by two detectors that overlap are merged into
// one covering both, of the more specific kind, so no part of either is
// left showing.
func Find(text string) []Span {
	var spans []Span
	if strings.IndexByte(text, '@') >= 0 {
		spans = findEmails(text, spans)
	}
	toks := tokenize(text, nil)
	if hasDigit(text) {
		spans = findNumbers(text, spans)
		spans = findPostcodes(text, spans)
		spans = findAddresses(text, toks, spans)
		spans = findDatesOfBirth(text, toks, spans)
	}
	spans = findNames(text, toks, spans)
	return merge(spans)
}

// Text returns text with each personal detail Find reports replaced by its
// kind in square brackets: "[name]", "[email]", "[phone]"...
func Text(text string) string {
	// A placeholder can complete a detail that was not one before ("x@y.AA-"
	// before "[phone]" reads as an email): redact what the placeholders
	// leave until nothing more is found, so that redacting twice changes
	// nothing. Each pass that finds something replaces it; four are plenty.
	for range 4 {
		next := once(text)
		if next == text {
			break
		}
		text = next
	}
	return text
}

// once replaces each of Find's spans in text with its placeholder.
func once(text string) string {
	spans := Find(text)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.Start])
		b.WriteByte('[')
		b.WriteString(string(s.Kind))
		b.WriteByte(']')
		at = s.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// merge sorts spans and joins those that overlap, keeping the most
// specific kind.
func merge(spans []Span) []Span {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.Start >= last.End {
			out = append(out, s)
			continue
		}
		last.End = max(last.End, s.End)
		if rank(s.Kind) < rank(last.Kind) {
			last.Kind = s.Kind
		}
	}
	return out
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIILetter(c byte) bool { return 'A' <= c&^0x20 && c&^0x20 <= 'Z' }

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func lower(c byte) byte {
	if isUpper(c) {
		return c | 0x20
	}
	return c
}
