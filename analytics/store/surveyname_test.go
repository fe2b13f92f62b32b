package store

import "testing"

// TestLookAlikeNamesKey checks the form survey names are stored and
// compared in (finding 10 of issue 8).
func TestLookAlikeNamesKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"People feedback survey", "People feedback survey"},
		{"People\u200b feedback survey", "People feedback survey"},
		{"\ufeffPeople\u2060 feedback\u200c\u200d survey", "People feedback survey"},
		{"People \u202efeedback\u202c survey\u200e\u200f\u061c", "People feedback survey"},
		{"\u2066People\u2069 feedback survey", "People feedback survey"},
		{"\uff30eople \ufb01eld survey", "People field survey"}, // fullwidth P, fi ligature
		{"  People\u00a0feedback\t survey ", "People feedback survey"},
		{"Caf\u0065\u0301 survey", "Caf\u00e9 survey"}, // composed
		{"\u200b\u200d", ""},
		{"people feedback survey", "people feedback survey"}, // case is kept
	} {
		if got := SurveyName(tc.in); got != tc.want {
			t.Errorf("SurveyName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
