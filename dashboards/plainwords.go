package dashboards

import (
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// NaturalFrequency writes a share from 0 to 1 as a natural frequency, the
// way people grasp a proportion best: "about 8 in 10" for 0.77, "5 in 10"
// for exactly a half. Shares under 10% or that round to 10 in 10 are
// written in 100 instead ("about 3 in 100", "about 97 in 100"), so that a
// small or large share is neither read as none or all nor doubled (5% is
// not "about 1 in 10"); "fewer than 1 in 100" and
// "almost all" are what is left between that and "none" or "all", which are
// said only when the share is exactly 0 or 1. Rounding is Round's.
func NaturalFrequency(share float64) string {
	switch {
	case share <= 0:
		return "none"
	case share >= 1:
		return "all"
	}
	in := func(n float64, of int) string {
		s := strconv.Itoa(int(n)) + " in " + strconv.Itoa(of)
		if Round(share*float64(of), 6) != n {
			s = "about " + s
		}
		return s
	}
	hundredths := Round(share*100, 0)
	if tenths := Round(share*10, 0); hundredths >= 10 && tenths <= 9 {
		return in(tenths, 10)
	}
	switch {
	case hundredths < 1:
		return "fewer than 1 in 100"
	case hundredths > 99:
		return "almost all"
	default:
		return in(hundredths, 100)
	}
}

// HeadlineSentence says a figure in one plain sentence, with its base and
// period, for people who do not read tables: a share as a natural
// frequency ("About 8 in 10 people (77.3%, 207 answers) were satisfied in
// March 2025."), a Net Promoter Score or a mean score as what it is. positive
// are the labels of the answers the share counts; they say what the people
// counted did. period is the period's label.
func HeadlineSentence(m analytics.Measure, positive []string, rate float64, n int64, period string) string {
	answers := Plural(int(n), "answer")
	switch m {
	case analytics.MeasureNPS:
		return "The Net Promoter Score was " + Value(m, rate, false) + " in " + period + " (" + answers +
			"): the share of people who would recommend the service minus the share who would not."
	case analytics.MeasureMean:
		return "The average score was " + Value(m, rate, false) + " in " + period + " (" + answers + ")."
	}
	people := "people"
	if n == 1 {
		people = "person"
	}
	freq := NaturalFrequency(rate)
	switch freq {
	case "all":
		freq = "All " + Thousands(n)
	case "none":
		freq = "None of the " + Thousands(n)
	default:
		freq = sentenceCase(freq)
	}
	return freq + " " + people + " (" + Value(m, rate, false) + ", " + answers + ") " + didWhat(positive) + " in " + period + "."
}

// EarlierSentence says the figure of an earlier period after a sentence
// of HeadlineSentence, for a reader who compares: "A year earlier, in May
// 2023, it was about 8 in 10 (79.0%, 380 answers)." now is the later
// figure: when both read as the same natural frequency the sentence says
// "it was also about 9 in 10", so that 93% and 88% are not read as a change
// the words cannot show. when says which period: "A year earlier, in May
// 2023". A Net Promoter Score or a mean score is said as what it is.
func EarlierSentence(m analytics.Measure, now, rate float64, n int64, when string) string {
	answers := Plural(int(n), "answer")
	switch m {
	case analytics.MeasureNPS:
		return when + ", the Net Promoter Score was " + Value(m, rate, false) + " (" + answers + ")."
	case analytics.MeasureMean:
		return when + ", the average score was " + Value(m, rate, false) + " (" + answers + ")."
	}
	freq := NaturalFrequency(rate)
	switch freq {
	case "all", "none":
		freq += " of them"
	}
	if freq == NaturalFrequency(now) {
		freq = "also " + freq
	}
	return when + ", it was " + freq + " (" + Value(m, rate, false) + ", " + answers + ")."
}

// didWhat says what the people a share counts answered: "were satisfied"
// when the counted answers are kinds of satisfied and one is plain
// "Satisfied" ("were extremely or very satisfied" when they are only
// those), "agreed" or "strongly agreed" likewise, else the answers
// themselves ("answered “Very good” or “Good”").
func didWhat(positive []string) string {
	all := func(word string, not ...string) bool {
		for _, p := range positive {
			l := strings.ToLower(p)
			if !strings.Contains(l, word) {
				return false
			}
			for _, n := range not {
				if strings.Contains(l, n) {
					return false
				}
			}
		}
		return len(positive) > 0
	}
	switch {
	case all("satisfied", "dissatisfied", "unsatisfied", "not "):
		return "were " + qualified(positive, "satisfied", "satisfied")
	case all("agree", "disagree", "not "):
		return qualified(positive, "agree", "agreed")
	case len(positive) == 1 && strings.EqualFold(strings.TrimSpace(positive[0]), "yes"):
		return "answered yes"
	case len(positive) == 0:
		return "gave a positive answer"
	}
	quoted := make([]string, len(positive))
	for i, p := range positive {
		quoted[i] = "“" + OneLine(p, 60) + "”"
	}
	if len(quoted) == 1 {
		return "answered " + quoted[0]
	}
	return "answered " + strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// qualified says word (as past) with the qualifiers of the labels, each
// a label "Qualifier word" or "I am qualifier word" (ASCOF's wording):
// "very or fairly satisfied"; past alone when a label is the word alone or
// is not of that form.
func qualified(labels []string, word, past string) string {
	var qs []string
	for _, l := range labels {
		q, ok := strings.CutSuffix(" "+strings.ToLower(strings.Join(strings.Fields(l), " ")), " "+word)
		for _, lead := range []string{" i am", " i'm", " i’m", " i"} {
			q = strings.TrimPrefix(q, lead)
		}
		q = strings.TrimSpace(q)
		if !ok || q == "" || strings.Contains(q, " ") {
			return past
		}
		qs = append(qs, q)
	}
	if len(qs) == 1 {
		return qs[0] + " " + past
	}
	return strings.Join(qs[:len(qs)-1], ", ") + " or " + qs[len(qs)-1] + " " + past
}

// sentenceCase starts s with a capital letter (s is ASCII here).
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
