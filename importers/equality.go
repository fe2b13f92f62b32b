package importers

import (
	"strings"

	"github.com/heard-council/heard/analytics"
)

// equalityTopics are the protected characteristics (and caring) that
// equality monitoring asks about, by words of the question, with the kind
// of dimension each answer gives. The first topic whose words a question
// holds names it.
func equalityTopics() []nameRole {
	k := func(word, kind string) nameRole { return nameRole{word, analytics.Role(kind)} }
	return []nameRole{
		k("sexual orientation", "sexual-orientation"), k("sexuality", "sexual-orientation"),
		k("religion", "religion"), k("religious", "religion"), k("faith", "religion"),
		k("ethnic", "ethnicity"), k("ethnicity", "ethnicity"),
		k("gender", "gender"), k("sex registered at birth", "gender"), k("your sex", "gender"),
		k("a carer", "carer"), k("unpaid carer", "carer"), k("unpaid care", "carer"),
		k("look after, or give any help or support", "carer"), k("look after or give any help or support", "carer"),
		k("disability", "disability"), k("disabled", "disability"),
		k("long-term health condition", "disability"), k("long term health condition", "disability"),
		k("physical or mental health conditions", "disability"), k("long-standing illness", "disability"),
		k("age group", "age-band"), k("age band", "age-band"), k("age range", "age-band"),
		k("how old are you", "age-band"), k("what is your age", "age-band"), k("your age", "age-band"),
		k("marital", "marital-status"), k("civil partnership", "marital-status"),
		k("pregnant", "pregnancy"),
	}
}

// equalityAsks are the openings of a question that asks who the respondent
// is, as equality monitoring forms word them ("Do you consider yourself to
// have...", "What is your...", "Which of the following best describes...").
func equalityAsks() []string {
	return []string{"do you consider yourself", "do you have", "do you identify", "do you look after",
		"do you provide", "do you care for", "what is your", "which of the following", "best describes",
		"how would you describe your", "how do you describe your", "are you", "is your", "is the gender",
		"please state your", "please tell us your", "please select your", "please indicate your",
		"which age", "what age", "how old", "what is the age", "which ethnic", "which religion",
		"which gender", "your ethnic", "your religion", "your sexual orientation", "your gender",
		"your age", "your disability"}
}

// experienceWords mark a question about the service, not about who the
// respondent is: "How satisfied are you with the support for your
// disability?" is a question, whatever characteristic it names.
func experienceWords() []string {
	return []string{"satisf", "agree", "rate ", "rating", "how well", "how good", "how easy", "helpful",
		"respect", "treated", "listened", "experience", "recommend", "support you", "did staff", "did we",
		"were you", "was your", "were your", "how much", "how likely", "quality", "improve"}
}

// equalityQuestion is the kind of dimension an equality-monitoring question
// asks about ("Do you consider yourself to have a disability?" gives
// "disability"), or "" when header is not one: it must name a protected
// characteristic (or caring), ask who the respondent is, and not ask about
// their experience of the service.
func equalityQuestion(header string) string {
	h := " " + strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(header, "’", "'"))), " ") + " "
	for _, w := range experienceWords() {
		if strings.Contains(h, w) {
			return ""
		}
	}
	asks := false
	for _, a := range equalityAsks() {
		if strings.Contains(h, a) {
			asks = true
			break
		}
	}
	if !asks {
		return ""
	}
	for _, t := range equalityTopics() {
		if strings.Contains(h, t.key) {
			return string(t.role)
		}
	}
	return ""
}
