package analytics

import "time"

// Answer is one respondent's answer to one question. Which field holds it
// depends on the question's kind.
type Answer struct {
	// Option is the index into the question's options (scale, single), or
	// -1 when the question was not answered.
	Option int
	// Options are the indexes chosen in a multi question.
	Options []int
	// Text holds free text, and dates as "2006-01-02T15:04:05Z" (UTC).
	Text string
	// Number holds a number when HasNumber is true.
	Number    float64
	HasNumber bool
}

// NoAnswer is the answer of a question left blank.
var NoAnswer = Answer{Option: -1}

// Response is one respondent's row.
type Response struct {
	// RespondentID comes from the file, or is empty when the file has none.
	RespondentID string
	// Submitted is when the response was submitted; zero when unknown.
	Submitted time.Time
	// Complete is false for a partial response.
	Complete bool
	// Row is the response's row (line) number in the file.
	Row int
	// Dimensions holds one value per dimension of the import's mapping, in
	// the mapping's order; "" when blank.
	Dimensions []string
	// Answers holds one answer per question of the import's mapping, in the
	// mapping's order.
	Answers []Answer
}
