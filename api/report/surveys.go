package report

import "github.com/heard-council/heard/analytics"

// SurveyJSON is a survey as `heard surveys --json` and the API list it.
type SurveyJSON struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Responses int64  `json:"responses"`
	Questions int    `json:"questions"`
	Imports   int    `json:"imports"`
	FirstDate string `json:"first_date"`
	LastDate  string `json:"last_date"`
}

// SurveyJSONOf is s as SurveyJSON.
func SurveyJSONOf(s analytics.SurveySummary) SurveyJSON {
	return SurveyJSON{Name: s.Name, Slug: s.Slug, Responses: s.Responses, Questions: s.Questions,
		Imports: s.Imports, FirstDate: s.FirstDate, LastDate: s.LastDate}
}

// QuestionsJSON is a survey's questions and dimensions as
// `heard questions --json` prints them.
type QuestionsJSON struct {
	Survey     string                `json:"survey"`
	Questions  []analytics.Question  `json:"questions"`
	Dimensions []analytics.Dimension `json:"dimensions"`
}

// NonNil is s, or an empty slice for nil, so that JSON says [] not null.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
