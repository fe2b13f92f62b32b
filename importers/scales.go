package importers

import (
	"strconv"

	"github.com/heard-council/heard/analytics"
)

// scaleZeroTen names the 0-10 scale (likelihood to recommend and the like).
const scaleZeroTen = "0-10"

// scaleYesNo names the yes/no scale.
const scaleYesNo = "yes-no"

// scaleOption is one option of a known scale with the other spellings that
// stand for it.
type scaleOption struct {
	label    string
	code     string
	aliases  []string
	polarity analytics.Polarity
}

// keys returns the match keys of the option's label, code and aliases.
func (o scaleOption) keys() []string {
	keys := make([]string, 0, 2+len(o.aliases))
	keys = append(keys, optionKey(o.label))
	if o.code != "" {
		keys = append(keys, optionKey(o.code))
	}
	for _, a := range o.aliases {
		keys = append(keys, optionKey(a))
	}
	return keys
}

// scaleDef is a known scale: its options most positive first, then the
// options it excludes from the base.
type scaleDef struct {
	name    string
	options []scaleOption
}

func opt(p analytics.Polarity, label string, aliases ...string) scaleOption {
	return scaleOption{label: label, aliases: aliases, polarity: p}
}

func coded(p analytics.Polarity, label, code string, aliases ...string) scaleOption {
	return scaleOption{label: label, code: code, aliases: aliases, polarity: p}
}

const (
	pos  = analytics.Positive
	neu  = analytics.Neutral
	neg  = analytics.Negative
	excl = analytics.Excluded
)

// alwaysExcluded are the answers left out of the base whatever the scale.
func alwaysExcluded() []scaleOption {
	return []scaleOption{
		opt(excl, "Don't know", "Do not know", "Dont know", "Don't know / not sure"),
		opt(excl, "Not applicable", "N/A", "NA", "Not relevant"),
		opt(excl, "Prefer not to say", "Prefer not to answer", "Rather not say", "I'd prefer not to say"),
		opt(excl, "Unfamiliar (N/A)", "Unfamiliar"),
		opt(excl, "Haven't tried", "Have not tried", "Havent tried"),
		opt(excl, "No basis for evaluation"),
		opt(excl, "No answer", "Not answered"),
	}
}

// knownScales lists the scales heard recognises. Where two scales both
// cover a column's values, the one whose options the values cover most
// fully wins, and on a tie the one listed first.
func knownScales() []scaleDef {
	return []scaleDef{
		{"fft", []scaleOption{
			opt(pos, "Very good"), opt(pos, "Good"), opt(neu, "Neither good nor poor"),
			opt(neg, "Poor"), opt(neg, "Very poor"), opt(excl, "Don't know", "Do not know", "Dont know"),
		}},
		{"fft-likely", []scaleOption{
			opt(pos, "Extremely likely"), opt(pos, "Likely"),
			opt(neu, "Neither likely nor unlikely", "Neither likely or unlikely"),
			opt(neg, "Unlikely"), opt(neg, "Extremely unlikely"),
			opt(excl, "Don't know", "Do not know", "Dont know"),
		}},
		{"satisfied-5", []scaleOption{
			opt(pos, "Very satisfied"),
			opt(pos, "Satisfied", "Fairly satisfied", "Somewhat satisfied", "Mostly satisfied"),
			opt(neu, "Neither satisfied nor dissatisfied", "Neither satisfied or dissatisfied", "Neutral"),
			opt(neg, "Dissatisfied", "Fairly dissatisfied", "Somewhat dissatisfied", "Unsatisfied"),
			opt(neg, "Very dissatisfied", "Very unsatisfied"),
		}},
		{"satisfied-7", []scaleOption{
			opt(pos, "I am extremely satisfied", "Extremely satisfied"),
			opt(pos, "I am very satisfied", "Very satisfied"),
			opt(pos, "I am quite satisfied", "Quite satisfied"),
			opt(neu, "I am neither satisfied nor dissatisfied", "Neither satisfied nor dissatisfied",
				"I am neither satisfied or dissatisfied"),
			opt(neg, "I am quite dissatisfied", "Quite dissatisfied"),
			opt(neg, "I am very dissatisfied", "Very dissatisfied"),
			opt(neg, "I am extremely dissatisfied", "Extremely dissatisfied"),
		}},
		{"agree-5", []scaleOption{
			opt(pos, "Strongly agree"),
			opt(pos, "Agree", "Tend to agree", "Somewhat agree", "Mostly agree"),
			opt(neu, "Neither agree nor disagree", "Neither agree or disagree", "Neutral"),
			opt(neg, "Disagree", "Tend to disagree", "Somewhat disagree", "Mostly disagree"),
			opt(neg, "Strongly disagree"),
		}},
		{"good-poor-5", []scaleOption{
			opt(pos, "Very good"), opt(pos, "Good", "Fairly good"),
			opt(neu, "Fair", "Neither good nor poor", "Neither good nor bad", "Neither good or poor", "Average"),
			opt(neg, "Poor", "Fairly poor"), opt(neg, "Very poor"),
		}},
		{"easy-5", []scaleOption{
			opt(pos, "Very easy"), opt(pos, "Fairly easy", "Easy", "Quite easy"),
			opt(neu, "Neither easy nor difficult", "Neither easy or difficult"),
			opt(neg, "Fairly difficult", "Difficult", "Quite difficult"), opt(neg, "Very difficult"),
			opt(excl, "Haven't tried", "Have not tried", "Havent tried"),
		}},
		{"easy-4", []scaleOption{
			opt(pos, "Very easy"), opt(pos, "Fairly easy"),
			opt(neg, "Not very easy"), opt(neg, "Not at all easy"),
			opt(excl, "Haven't tried", "Have not tried", "Havent tried"),
		}},
		{"favourable-5", []scaleOption{
			opt(pos, "Very favourably", "Very favorably"),
			opt(pos, "Somewhat favourably", "Somewhat favorably", "Favourably", "Favorably"),
			opt(neu, "Neither favourably nor unfavourably", "Neither favorably nor unfavorably",
				"Neither favorably nor unfavorably (neutral)", "Neither favourably nor unfavourably (neutral)",
				"Neither favourably or unfavourably", "Neither favorably or unfavorably", "Neutral"),
			opt(neg, "Somewhat unfavourably", "Somewhat unfavorably", "Unfavourably", "Unfavorably"),
			opt(neg, "Very unfavourably", "Very unfavorably"),
			opt(excl, "Unfamiliar (N/A)", "Unfamiliar"),
		}},
		{"likely-3", []scaleOption{
			coded(pos, "Likely", "likely"), coded(neu, "Neutral", "neutral"), coded(neg, "Unlikely", "unlikely"),
		}},
		{scaleYesNo, []scaleOption{
			opt(pos, "Yes", "Y"), opt(neg, "No", "N"),
		}},
	}
}

// scaleOptionsFor returns the options (the scale's own, then those excluded
// with any scale) of the known scale called name, or nil.
func scaleOptionsFor(name string) []scaleOption {
	if name == "" || name == scaleZeroTen {
		return nil
	}
	for _, d := range knownScales() {
		if d.name == name {
			return append(d.options, alwaysExcluded()...)
		}
	}
	return nil
}

// RecognizeScale finds a known scale that covers every distinct value given
// (matched case-, space- and punctuation-insensitively, including numeric
// codes where the scale has them); ok is false when none does. A column
// where everyone gave the same answer ("Yes" 30 times out of 30, "Very
// satisfied" from all 10) is still that scale, with its other options known,
// so that its rate is 100% or 0% rather than no rate at all: when only one
// option of the scale proper (not "Don't know" and the like) is used, every
// scale holding it must give it the same polarity, or none is chosen.
// Numbers are the 0-10 scale only when the coding is unambiguous: whole
// numbers from 0 to 10, at least three distinct, including 0 and 9 or 10. A
// plain 1-5 column is not turned into a satisfaction scale, as nothing says
// which end is good. Options are returned with the wording the values use
// where they use one, most positive first, excluded options last.
func RecognizeScale(values []string) (analytics.Scale, bool) {
	var keys []string
	seen := map[string]bool{}
	for _, v := range values {
		k := optionKey(v)
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return analytics.Scale{}, false
	}
	if s, ok := recognizeZeroTen(values, false); ok {
		return s, true
	}
	best, bestCover, bestHits := -1, 0.0, 0
	defs := knownScales()
	for i, d := range defs {
		cover, hits := scaleCoverage(d, keys)
		if hits > 0 && (min(hits, 2) > min(bestHits, 2) || (min(hits, 2) == min(bestHits, 2) && cover > bestCover)) {
			best, bestCover, bestHits = i, cover, hits
		}
	}
	if best < 0 || (bestHits == 1 && !samePolarity(defs, keys)) {
		return analytics.Scale{}, false
	}
	return buildScale(defs[best], values), true
}

// samePolarity reports whether every scale holding one of keys as an
// option of its own gives it the same polarity, so that a column using one
// option only has the same rate whichever of those scales it is.
func samePolarity(defs []scaleDef, keys []string) bool {
	seen := map[string]analytics.Polarity{}
	for _, d := range defs {
		for _, o := range d.options {
			for _, ok := range o.keys() {
				for _, k := range keys {
					if k != ok {
						continue
					}
					if p, found := seen[k]; found && p != o.polarity {
						return false
					}
					seen[k] = o.polarity
				}
			}
		}
	}
	return true
}

// scaleCoverage reports, when every key is an option of d (or excluded with
// any scale), how many of d's own non-excluded options the keys hold (hits,
// 0 when a key is not d's) and what share of those options that is.
func scaleCoverage(d scaleDef, keys []string) (float64, int) {
	own := map[string]int{}
	proper := 0
	for i, o := range d.options {
		if o.polarity != excl {
			proper++
		}
		for _, k := range o.keys() {
			own[k] = i
		}
	}
	excluded := map[string]bool{}
	for _, o := range alwaysExcluded() {
		for _, k := range o.keys() {
			excluded[k] = true
		}
	}
	hit := map[int]bool{}
	for _, k := range keys {
		i, ok := own[k]
		switch {
		case ok && d.options[i].polarity != excl:
			hit[i] = true
		case ok || excluded[k]:
		default:
			return 0, 0
		}
	}
	return float64(len(hit)) / float64(proper), len(hit)
}

// buildScale lays out d's options with the wording used in values, then
// the excluded options of any scale that values use.
func buildScale(d scaleDef, values []string) analytics.Scale {
	s := analytics.Scale{Name: d.name}
	proper := 0
	for _, o := range d.options {
		if o.polarity != excl {
			proper++
		}
	}
	used := map[string]bool{}
	for i, o := range d.options {
		score := 0.0
		if o.polarity != excl {
			score = float64(proper - i)
		}
		s.Options = append(s.Options, analytics.Option{
			Label: labelFor(o, values), Code: o.code, Score: score, Polarity: o.polarity,
		})
		for _, k := range o.keys() {
			used[k] = true
		}
	}
	for _, o := range alwaysExcluded() {
		label, found := usedLabel(o, values, used)
		if !found {
			continue
		}
		s.Options = append(s.Options, analytics.Option{Label: label, Polarity: excl})
		for _, k := range o.keys() {
			used[k] = true
		}
	}
	return s
}

// labelFor is the first value spelling option o, unless that is just o's
// code, else o's own label.
func labelFor(o scaleOption, values []string) string {
	keys := o.keys()
	for _, v := range values {
		k := optionKey(v)
		for _, ok := range keys {
			if k == ok {
				if o.code != "" && trimmed(v) == o.code {
					return o.label
				}
				return trimmed(v)
			}
		}
	}
	return o.label
}

// usedLabel returns the first value spelling o when none of o's keys is
// already used.
func usedLabel(o scaleOption, values []string, used map[string]bool) (string, bool) {
	keys := o.keys()
	for _, k := range keys {
		if used[k] {
			return "", false
		}
	}
	for _, v := range values {
		k := optionKey(v)
		for _, ok := range keys {
			if k == ok {
				return trimmed(v), true
			}
		}
	}
	return "", false
}

// recognizeZeroTen reads values as a 0-10 scale. With hinted (the header
// speaks of recommending or a 0-10 rating) a 0 need not appear.
func recognizeZeroTen(values []string, hinted bool) (analytics.Scale, bool) {
	excluded := map[string]bool{}
	for _, o := range alwaysExcluded() {
		for _, k := range o.keys() {
			excluded[k] = true
		}
	}
	nums := map[int]bool{}
	for _, v := range values {
		k := optionKey(v)
		if k == "" || excluded[k] {
			continue
		}
		n, ok := leadingInt(v)
		if !ok || n < 0 || n > 10 {
			return analytics.Scale{}, false
		}
		nums[n] = true
	}
	if len(nums) < 3 || !(nums[9] || nums[10]) || !(nums[0] || hinted) {
		return analytics.Scale{}, false
	}
	s := analytics.Scale{Name: scaleZeroTen}
	for n := 10; n >= 0; n-- {
		p := neg
		switch {
		case n >= 9:
			p = pos
		case n >= 7:
			p = neu
		}
		s.Options = append(s.Options, analytics.Option{Label: strconv.Itoa(n), Score: float64(n), Polarity: p})
	}
	for _, o := range alwaysExcluded() {
		if label, found := usedLabel(o, values, map[string]bool{}); found {
			s.Options = append(s.Options, analytics.Option{Label: label, Polarity: excl})
		}
	}
	return s, true
}
