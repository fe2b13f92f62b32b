package importers

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/heard-council/heard/analytics"
)

// nothingToSay are, squashed (lower case, letters and digits only), what
// people write in a comments box when they have nothing to add. They say
// nothing about whether a column holds options or free text, so they are
// set aside before deciding.
var nothingToSay = map[string]bool{
	"": true, "no": true, "none": true, "na": true, "nil": true, "nothing": true, "nocomment": true,
	"nocomments": true, "noneatall": true, "nothingelse": true, "nothingtoadd": true, "notreally": true,
	"nothanks": true, "nothankyou": true, "nope": true, "notapplicable": true, "x": true, "n": true,
	"nofurthercomments": true, "nothingfurther": true, "nonothing": true, "nonethanks": true, "nothingatall": true,
}

// isNothingToSay reports whether a value is a blank-like answer ("No",
// "None", "N/A", "-", "nothing", "No comment").
func isNothingToSay(v string) bool {
	var b strings.Builder
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return nothingToSay[b.String()]
}

// textEvidence is what a column's values say about whether they were
// chosen from a list or written by the respondents, counted over the
// answers that are not "No", "None", "N/A" and the like.
type textEvidence struct {
	// rows and distinct count the answers left and their distinct values;
	// once those of them given by a single respondent.
	rows, distinct, once int
	// sentences counts distinct values that read like something written
	// (long, many words, or sentence punctuation) and rare those of them
	// given by at most two respondents.
	sentences, rare int
	// totalLen is the summed byte length of the answers left.
	totalLen int
}

// gatherTextEvidence weighs a column's distinct values by their counts.
func gatherTextEvidence(values []string, counts map[string]int) textEvidence {
	var e textEvidence
	for _, v := range values {
		if isNothingToSay(v) {
			continue
		}
		n := max(counts[v], 1)
		e.rows += n
		e.distinct++
		e.totalLen += n * len(v)
		if n == 1 {
			e.once++
		}
		if analytics.ReadsAsWritten(v) {
			e.sentences++
			if n <= 2 {
				e.rare++
			}
		}
	}
	return e
}

// freeTextVerdict decides, as a person reading the values would, whether a
// column that is not a scale, a number or a multiple choice holds free text.
// It judges the answers left when "No", "None", "N/A" and the like are set
// aside, never the share of short answers alone: a comments column where
// most people wrote "No" is still free text. Text is what is too varied to
// be options (more than 40 values, or mostly different values given once,
// such as names), long on average, or holding at least two rare values
// that read like sentences. note is set when the decision is a judgement
// (the old rule of thumb, counting every answer, would have made options
// of the values), to be shown in the import summary.
func freeTextVerdict(header string, overflow bool, values []string, counts map[string]int, nonEmpty int) (text bool, note string) {
	n := len(values)
	if overflow || n > 40 || (n >= 8 && n*2 > nonEmpty) || (n >= 4 && nonEmpty > 0 && totalLen(values, counts)/nonEmpty > 50) {
		return true, ""
	}
	e := gatherTextEvidence(values, counts)
	why := ""
	switch {
	case e.rare >= 2:
		why = fmt.Sprintf("%d of its answers read like sentences written by respondents", e.rare)
	case e.distinct >= 5 && e.once*2 >= e.distinct && e.distinct*2 > e.rows:
		why = fmt.Sprintf("%d of its %d answers (leaving out \"No\", \"None\" and the like) are different, as names and comments are, rather than repeated options", e.distinct, e.rows)
	case e.distinct >= 2 && e.rows > 0 && e.totalLen/e.rows > 50:
		why = "its answers are long, as written comments are"
	case e.rare >= 1 && e.rare == e.distinct:
		why = "its only answer other than \"No\", \"None\" and the like reads like a sentence written by a respondent"
	}
	if why == "" {
		return false, ""
	}
	return true, fmt.Sprintf("column %q was read as free text, shown to staff only and never as options or on board pages: %s; "+
		"if it is really a question with a fixed list of answers, tell an administrator", header, why)
}

// totalLen sums the byte lengths of the answers counted in counts.
func totalLen(values []string, counts map[string]int) int {
	n := 0
	for _, v := range values {
		n += max(counts[v], 1) * len(v)
	}
	return n
}
