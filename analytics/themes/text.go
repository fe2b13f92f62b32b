package themes

import (
	"strings"
	"unicode"
)

// The sentiments a comment can have.
const (
	Positive = "positive"
	Mixed    = "mixed"
	Negative = "negative"
)

// nothingSaid are the answers that say nothing, in the form fold gives
// them: a comment that is only one of these gets no theme. "Nothing" and
// "No" are not among them: as the answer to "what could we do better?" they
// say that all was well, and frameworks label them so (the NHS file gives
// "Nothing" the positive-experience theme; Care Opinion's framework has a
// theme of its own for it), so the model decides.
var nothingSaid = map[string]bool{
	"": true, "na": true, "n a": true, "none": true, "no comment": true, "no comments": true,
	"nil": true, "not applicable": true, "null": true, "not answered": true, "did not answer": true,
	"no answer": true, "no response": true, "blank": true, "dont know": true, "don t know": true,
	"dk": true, "no further comments": true, "no other comments": true, "no additional comments": true,
	"not sure": true, "no idea": true, "x": true, "xx": true, "xxx": true, "no comment to make": true,
	"nothing to add": true, "nothing to say": true, "nothing further": true, "nothing more to add": true,
	"nothing to report": true, "nothing to comment": true,
}

// SaysNothing reports whether a comment says nothing: empty, or only one of
// the usual non-answers ("N/A", "none", "no comment", "-", "nil", "not
// applicable", "did not answer"...), whatever its case,
// spacing and punctuation.
func SaysNothing(text string) bool {
	return nothingSaid[fold(text)]
}

// fold is text in lower case with every run of characters other than
// letters and digits made one space, trimmed: "N/A." is "n a", "Don't
// know!" is "don t know".
func fold(text string) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if r == '\'' || r == '\u2019' {
			continue // "don't" and "dont" are one word
		}
		space = true
	}
	return b.String()
}

// ParseSentiment reads a sentiment label: positive, mixed or negative in
// any case, or the NHS codes 1 to 5 (1 and 2 positive, 3 mixed, 4 and 5
// negative). ok is false for anything else, including "".
func ParseSentiment(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " ")))
	switch s {
	case "positive", "1", "2", "1.0", "2.0":
		return Positive, true
	case "mixed", "3", "3.0":
		return Mixed, true
	case "negative", "4", "5", "4.0", "5.0":
		return Negative, true
	}
	return "", false
}
