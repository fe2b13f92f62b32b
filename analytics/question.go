package analytics

import (
	"strings"
	"unicode/utf8"
)

// Kind says what sort of answer a question collects.
type Kind string

// The kinds of question heard recognises.
const (
	KindScale  Kind = "scale"  // ordered options with polarity (satisfied ... dissatisfied)
	KindSingle Kind = "single" // one of an unordered set of options
	KindMulti  Kind = "multi"  // any number of options, split by a separator
	KindText   Kind = "text"   // free text; may hold personal data
	KindNumber Kind = "number" // a number
	KindDate   Kind = "date"   // a date or date and time
)

// Polarity says how an option of a scale counts in a rate.
type Polarity string

// The polarities. Excluded options ("Don't know", "Not applicable", "Prefer
// not to say") are left out of the base of a rate.
const (
	Positive Polarity = "positive"
	Neutral  Polarity = "neutral"
	Negative Polarity = "negative"
	Excluded Polarity = "excluded"
)

// Option is one answer a scale or choice question offers.
type Option struct {
	// Label is the option's text as the survey shows it.
	Label string `json:"label"`
	// Code is the value a source writes instead of the label, such as "1"
	// or "likely", when it has one.
	Code string `json:"code,omitempty"`
	// Score orders scale options (higher is more positive) and is the value
	// averaged by a mean metric; 0-10 scales score each option by its number.
	Score float64 `json:"score"`
	// Polarity is empty for options of unordered choice questions.
	Polarity Polarity `json:"polarity"`
}

// Scale is a recognised ordered set of options, such as the 7-point
// satisfaction scale of the Adult Social Care Survey.
type Scale struct {
	// Name identifies the scale: "satisfied-7", "fft", "yes-no", "0-10"...
	Name string
	// Options run from the most positive to the most negative, then the
	// excluded options.
	Options []Option
}

// ScaleCustom names the scale of a question whose options' polarities an
// analyst set: its figure is the share of answers marked positive.
const ScaleCustom = "custom"

// Question is one question of a survey.
type Question struct {
	ID int64 `json:"-"`
	// Code is the question's stable key within its survey.
	Code string `json:"code"`
	// Text is the question as respondents read it.
	Text string `json:"text"`
	Kind Kind   `json:"kind"`
	// Scale names the recognised scale of a scale question.
	Scale string `json:"scale,omitempty"`
	// Options are the answers of a scale, single or multi question, in
	// order; an answer refers to an option by its index here, so options
	// are only ever appended.
	Options []Option `json:"options,omitempty"`
	// Separator splits the answers of a multi question ("; ", ";", ",").
	Separator string `json:"separator,omitempty"`
	// Tags are optional framework tags (a TLAP "I" statement, a CQC quality
	// statement such as "assessing-needs").
	Tags []string `json:"tags,omitempty"`
}

// Dimension is a column that describes the respondent or the service, used
// for breakdowns: team, service, locality, age band, gender, ethnicity...
type Dimension struct {
	ID int64 `json:"-"`
	// Code is the dimension's stable key within its survey.
	Code string `json:"code"`
	// Name is the column's header text.
	Name string `json:"name"`
	// Kind is what the dimension describes ("team", "age-band", "gender"...),
	// or "other".
	Kind string `json:"kind"`
}

// ReadsAsWritten reports whether a value reads like something a person
// wrote rather than an option label offered by a form: 60 characters or
// more, seven words or more, or two words or more with sentence punctuation
// ("Staff were kind.", "Thank you!", "Late again. Annoyed"). Long option
// labels exist ("I have as much control over my daily life as I want"),
// so this alone does not make a column free text: the importer also asks
// whether such values recur, as chosen options do.
func ReadsAsWritten(v string) bool {
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) >= 60 {
		return true
	}
	words := strings.Fields(v)
	if len(words) >= 7 {
		return true
	}
	if len(words) < 2 {
		return false
	}
	switch v[len(v)-1] {
	case '.', '!', '?':
		// "Other (e.g.)" and "Etc." end with a full stop without being
		// sentences: the last word must be an ordinary word.
		w := strings.TrimRight(words[len(words)-1], ".!?")
		return utf8.RuneCountInString(w) >= 2 && !strings.Contains(w, ".")
	}
	return strings.Contains(v, ". ") || strings.Contains(v, "! ") || strings.Contains(v, "? ")
}

// OptionsPublishable reports whether q's options may be shown to the board:
// a scale (yes/no among them), or a single choice whose every label is a
// short label of a form, none reading as something a person wrote. Free
// text never reaches the board, even when an import read it as a choice.
func (q Question) OptionsPublishable() bool {
	switch q.Kind {
	case KindScale:
		return true
	case KindSingle, KindMulti:
		for _, o := range q.Options {
			if ReadsAsWritten(o.Label) || utf8.RuneCountInString(strings.TrimSpace(o.Label)) > 40 {
				return false
			}
		}
		return true
	}
	return false
}
