package importers

import (
	"testing"

	"github.com/heard-council/heard/analytics"
)

// TestEqualityQuestionWords reads the words of real equality-monitoring
// questions (the Adult Social Care Survey, the 2021 Census of England and
// Wales, NHS and council monitoring forms) as the dimension they ask about,
// and questions about the service that name a characteristic as questions.
func TestEqualityQuestionWords(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"Do you consider yourself to have a disability?", "disability"},
		{"Do you consider yourself to be disabled?", "disability"},
		{"Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months or more?", "disability"},
		{"Do you have a disability or long-term health condition?", "disability"},
		{"What is your ethnic group?", "ethnicity"},
		{"Which of the following best describes your ethnic background?", "ethnicity"},
		{"Which of the following best describes your sexual orientation?", "sexual-orientation"},
		{"What is your religion?", "religion"},
		{"What is your religion or belief?", "religion"},
		{"Is the gender you identify with the same as your sex registered at birth?", "gender"},
		{"How would you describe your gender?", "gender"},
		{"What is your age group?", "age-band"},
		{"Which age group are you in?", "age-band"},
		{"Are you a carer?", "carer"},
		{"Do you look after, or give any help or support to, anyone because they have long-term physical or mental health conditions or illnesses, or problems related to old age?", "carer"},
		{"Are you an unpaid carer for a family member or friend?", "carer"},
		// About the service, not the respondent.
		{"Overall, how satisfied or dissatisfied are you with the care and support you receive?", ""},
		{"How satisfied are you with the support for your disability?", ""},
		{"Were you treated with respect for your religion and culture?", ""},
		{"Did the support help you stay independent?", ""},
		{"Were you offered a copy of your care plan?", ""},
		{"I was treated with dignity and respect", ""},
		{"Is there anything we could have done better?", ""},
	} {
		if got := headerDimension(tc.header); got != tc.want {
			t.Errorf("%q: dimension %q, want %q", tc.header, got, tc.want)
		}
	}
}

// TestDisabilityQuestionIsADimension infers the demo survey's disability
// question, answered Yes and No, as a dimension (it appears on the equality
// page), never as a yes/no question with a figure of its own.
func TestDisabilityQuestionIsADimension(t *testing.T) {
	header := []string{"Team", "Do you consider yourself to have a disability?", "What is your ethnic group?",
		"Which of the following best describes your sexual orientation?", "Were you offered a copy of your care plan?",
		"Overall, how satisfied or dissatisfied are you with the care and support you receive?"}
	n := 24
	rows := synthetic(header,
		repeat(n, "North", "South"),
		repeat(n, "Yes", "No", "No", "Prefer not to say"),
		repeat(n, "White British", "Asian or Asian British", "Black, Black British, Caribbean or African"),
		repeat(n, "Straight or heterosexual", "Gay or lesbian", "Bisexual", "Prefer not to say"),
		repeat(n, "Yes", "No", "Yes"),
		repeat(n, "I am extremely satisfied", "I am very satisfied", "I am quite dissatisfied"),
	)
	_, m := inferRows(t, rows, InferOptions{})
	for h, kind := range map[string]string{"Do you consider yourself to have a disability?": "disability",
		"What is your ethnic group?": "ethnicity", "Which of the following best describes your sexual orientation?": "sexual-orientation"} {
		if d := dimension(t, m, h); d.Kind != kind {
			t.Errorf("%q: dimension %+v, want kind %s", h, d, kind)
		}
	}
	wantRoles(t, m, map[string]analytics.Role{
		"Were you offered a copy of your care plan?":                                            analytics.RoleQuestion,
		"Overall, how satisfied or dissatisfied are you with the care and support you receive?": analytics.RoleQuestion,
	})
	for _, q := range m.Questions {
		if q.Text == "Do you consider yourself to have a disability?" {
			t.Errorf("the disability question is a %s question", q.Kind)
		}
	}
}
