package importers

import (
	"regexp"
	"strings"
)

// unitWords are the last words of the name of an organisational unit
// ("Adult Social Care Directorate", "North Locality Team", "Children's
// Services"), with the kind of dimension a column of such names gives.
var unitWords = map[string]string{
	"team": "team", "teams": "team",
	"department": "department", "dept": "department", "directorate": "department", "division": "department",
	"unit": "department", "section": "department", "office": "department", "branch": "department",
	"service": "service", "services": "service",
}

// verdictWords are first words that make "... service" an answer about how
// the service was ("Good service", "Very poor service"), not its name.
var verdictWords = map[string]bool{
	"good": true, "poor": true, "bad": true, "excellent": true, "great": true, "very": true, "fair": true,
	"ok": true, "okay": true, "average": true, "terrible": true, "awful": true, "fantastic": true,
	"brilliant": true, "better": true, "worse": true, "quick": true, "slow": true, "friendly": true,
	"rude": true, "helpful": true, "unhelpful": true, "no": true, "not": true, "fast": true, "reliable": true,
	"unreliable": true, "outstanding": true, "adequate": true, "inadequate": true, "satisfactory": true,
}

// duration matches a length of time as a survey's options write it:
// "Less than 1 year", "1-2 years", "2 to 5 years", "10+ years",
// "Over 10 years", "6-12 months", "Less than a year", "5 years or more".
var duration = regexp.MustCompile(`^(less than|fewer than|under|over|more than|longer than|up to|at least|between|<|>)?\s*` +
	`(\d+(\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)` +
	`(\s*(-|–|—|to|and)\s*(\d+(\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve))?` +
	`\s*\+?\s*(?P<unit>years?|yrs?|months?|mths?)\.?` +
	`(\s*(\+|or more|or over|and over|or longer|or less|and above|plus))?$`)

// durationUnit is the index of duration's unit ("years", "months").
var durationUnit = duration.SubexpIndex("unit")

// valueDimension is the kind of dimension a column's values show it to be
// when its header does not say: most of its answers name organisational
// units ("Finance Department", "North Locality Team") whatever the header
// asks ("Where do you work?"), or they are lengths of service in years
// ("Less than 1 year", "2-5 years") under a short label or a question such
// as "How long have you worked here?". A header about the respondent's
// experience ("How satisfied...", "How long did you wait?") keeps the
// column a question, as do values that are verdicts ("Good service").
func valueDimension(c *inferCol) string {
	if c.st.NonEmpty == 0 || c.st.Overflow || len(c.values) < 2 {
		return ""
	}
	h := " " + strings.Join(strings.Fields(strings.ToLower(c.header)), " ") + " "
	for _, w := range experienceWords() {
		if strings.Contains(h, w) {
			return ""
		}
	}
	if kind := unitNamesKind(c); kind != "" {
		return kind
	}
	if durationShare(c) && serviceLengthHeader(h) {
		return "length-of-service"
	}
	return ""
}

// unitNamesKind is the kind of unit most of a column's answers name ("team",
// "department", "service"), or "" unless at least 80% of its non-blank
// answers, with at least two different ones, are names of units.
func unitNamesKind(c *inferCol) string {
	named, distinct := 0, 0
	byKind := map[string]int{}
	for _, v := range c.values {
		kind := unitNameKind(v)
		if kind == "" {
			continue
		}
		n := c.counts[v]
		named += n
		distinct++
		byKind[kind] += n
	}
	if distinct < 2 || named*5 < c.st.NonEmpty*4 {
		return ""
	}
	best := ""
	for _, kind := range []string{"team", "department", "service"} {
		if best == "" || byKind[kind] > byKind[best] {
			best = kind
		}
	}
	return best
}

// unitNameKind is the kind of unit a value names ("North Locality Team"
// gives "team"), or "" when it is not a unit's name: a single word, more
// than six words, a list ("Team A; Team B") or a verdict ("Good service").
func unitNameKind(v string) string {
	if strings.ContainsAny(v, ";,\n") {
		return ""
	}
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r == '’' || r > 127)
	})
	if len(words) < 2 || len(words) > 6 || verdictWords[words[0]] {
		return ""
	}
	return unitWords[words[len(words)-1]]
}

// durationShare reports whether at least 90% of a column's non-blank
// answers are lengths of time, with at least two different ones and one in
// years (waits are counted in days and weeks; service in years); "Don't
// know" and the like count with them.
func durationShare(c *inferCol) bool {
	durations, distinct, years := 0, 0, false
	excluded := excludedKeys()
	for _, v := range c.values {
		m := duration.FindStringSubmatch(strings.ToLower(strings.Join(strings.Fields(v), " ")))
		switch {
		case m != nil:
			distinct++
			years = years || strings.HasPrefix(m[durationUnit], "y")
		case excluded[optionKey(v)]:
		default:
			continue
		}
		durations += c.counts[v]
	}
	return distinct >= 2 && years && durations*10 >= c.st.NonEmpty*9
}

// serviceLengthHeader reports whether a header (lower case, spaced) can
// head a column of lengths of service: a short label that is not about
// waiting, or a question of how long the respondent has worked somewhere.
func serviceLengthHeader(h string) bool {
	for _, w := range []string{"wait", "delay", "took", "take", "taken", "spent", "ago", "last", "since", "often"} {
		if strings.Contains(h, " "+w) {
			return false
		}
	}
	if len(strings.Fields(h)) <= 5 && !strings.Contains(h, "?") {
		return true
	}
	if !strings.Contains(h, "how long have you") {
		return false
	}
	for _, w := range []string{"work", "employ", "been with", "in post", "in your role", "in your current role", "in your job"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// excludedKeys are the option keys of answers left out of every scale's
// base ("Don't know", "Prefer not to say").
func excludedKeys() map[string]bool {
	keys := map[string]bool{}
	for _, o := range alwaysExcluded() {
		for _, k := range o.keys() {
			keys[k] = true
		}
	}
	return keys
}

// isRatingScale reports whether a column's values are a known rating scale
// (satisfaction, agreement, good to poor...): an answer about the service,
// not a description of the respondent, whatever its header names. A yes/no
// answer may be either ("Are you a carer?").
func isRatingScale(values []string) bool {
	s, ok := RecognizeScale(values)
	return ok && s.Name != scaleYesNo
}
