package analytics

import "time"

// Survey is an instrument run over time, such as "People feedback survey —
// assessment and care planning". Each import adds responses to one survey.
type Survey struct {
	ID        int64
	Name      string
	Slug      string
	CreatedAt time.Time
}

// SurveySummary is a survey with the counts shown in lists of surveys.
type SurveySummary struct {
	Survey
	Responses int64
	Questions int
	Imports   int
	// FirstDate and LastDate are the London dates ("2024-05-31") of the
	// earliest and latest submitted response, empty when none has a date.
	FirstDate string
	LastDate  string
}
