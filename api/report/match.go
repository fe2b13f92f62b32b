package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// surveyColumns is what a survey's report parameters are matched against:
// its questions and dimensions, and the headers of the columns they came
// from.
type surveyColumns struct {
	survey     analytics.Survey
	questions  []analytics.Question
	dimensions []analytics.Dimension
	// headers maps a question's or dimension's code to the headers of its
	// columns in the survey's files.
	headers map[string][]string
}

// Fold reduces text for matching: lower case, single spaces, straight
// apostrophes.
func Fold(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// column is a question or dimension a parameter named.
type column struct {
	question  *analytics.Question
	dimension *analytics.Dimension
}

func (c column) code() string {
	if c.question != nil {
		return c.question.Code
	}
	return c.dimension.Code
}

// field is the column as the store names it.
func (c column) field() store.Field {
	if c.question != nil {
		return store.Field{Question: c.question.ID}
	}
	return store.Field{Dimension: c.dimension.ID}
}

// findQuestion returns the question named by its code or its text (or a
// header of its column), ignoring case; flag names the parameter in errors.
func (sc surveyColumns) findQuestion(flag, name string) (analytics.Question, error) {
	var cands []column
	for i := range sc.questions {
		cands = append(cands, column{question: &sc.questions[i]})
	}
	c, err := sc.match(flag, name, "question", cands)
	if err != nil {
		return analytics.Question{}, err
	}
	return *c.question, nil
}

// findGroupColumn returns the dimension, or scale or single-choice
// question, named by its code, name or header, ignoring case.
func (sc surveyColumns) findGroupColumn(flag, name string) (column, error) {
	var cands []column
	for i := range sc.dimensions {
		cands = append(cands, column{dimension: &sc.dimensions[i]})
	}
	for i, q := range sc.questions {
		if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle {
			cands = append(cands, column{question: &sc.questions[i]})
		}
	}
	return sc.match(flag, name, "dimension or single-choice question", cands)
}

// match picks the one candidate whose code is name, or failing that the
// one whose text, name or header is name; ignoring case and spacing.
func (sc surveyColumns) match(flag, name, what string, cands []column) (column, error) {
	want := Fold(name)
	byCode, byText := []column{}, []column{}
	for _, c := range cands {
		if Fold(c.code()) == want {
			byCode = append(byCode, c)
			continue
		}
		for _, t := range sc.texts(c) {
			if Fold(t) == want {
				byText = append(byText, c)
				break
			}
		}
	}
	for _, found := range [][]column{byCode, byText} {
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		default:
			return column{}, usageErrorf("{%s} %q matches more than one %s of survey %q (%s): give its code",
				flag, name, what, sc.survey.Name, sc.describe(found))
		}
	}
	return column{}, usageErrorf("{%s} %q: survey %q has no %s with that code or heading; use one of: %s",
		flag, name, sc.survey.Name, what, sc.describe(cands))
}

// texts are a column's names other than its code.
func (sc surveyColumns) texts(c column) []string {
	texts := sc.headers[c.code()]
	if c.question != nil {
		return append([]string{c.question.Text}, texts...)
	}
	return append([]string{c.dimension.Name}, texts...)
}

// describe lists columns for an error message: code, with the text when
// it differs.
func (sc surveyColumns) describe(cols []column) string {
	if len(cols) == 0 {
		return "(none)"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.code()
		if t := sc.texts(c)[0]; t != "" && Fold(t) != Fold(c.code()) {
			parts[i] += " (" + dashboards.OneLine(t, 50) + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// FindOptions returns the indexes of the options of q that labels name
// (by label or code, ignoring case). Labels are split at commas, and
// pieces are joined back where a label itself has a comma.
func FindOptions(flag string, q analytics.Question, labels []string) ([]int, error) {
	var pieces []string
	for _, l := range labels {
		pieces = append(pieces, strings.Split(l, ",")...)
	}
	var idx []int
	for i := 0; i < len(pieces); i++ {
		if strings.TrimSpace(pieces[i]) == "" {
			continue
		}
		found := -1
		for j := i; j < len(pieces) && found < 0; j++ {
			if o := optionIndex(q, strings.Join(pieces[i:j+1], ",")); o >= 0 {
				found, i = o, j
			}
		}
		if found < 0 {
			return nil, usageErrorf("{%s} %q is not an option of question %q; its options are %s",
				flag, strings.TrimSpace(pieces[i]), q.Code, optionList(q))
		}
		idx = append(idx, found)
	}
	return idx, nil
}

// optionIndex is the index of q's option labelled (or coded) label, or -1.
func optionIndex(q analytics.Question, label string) int {
	want := Fold(label)
	for i, o := range q.Options {
		if Fold(o.Label) == want || o.Code != "" && Fold(o.Code) == want {
			return i
		}
	}
	return -1
}

// optionList quotes a question's option labels for messages.
func optionList(q analytics.Question) string {
	parts := make([]string, len(q.Options))
	for i, o := range q.Options {
		parts[i] = strconv.Quote(o.Label)
	}
	return strings.Join(parts, ", ")
}

// ParseDay reads a --from or --to date: "2024-04-01", or a month "2024-04"
// meaning its first day (from) or its last (to).
func ParseDay(flag, s string, end bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		if end {
			t = t.AddDate(0, 1, -1)
		}
		return t.Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", usageErrorf("{%s} %q is not a date: write it as 2024-04-01, or a month as 2024-04", flag, s)
	}
	return t.Format(time.DateOnly), nil
}

// usageErrorf is a *analytics.ParamError with a formatted message, which names
// parameters as {name} (see analytics.ParamError).
func usageErrorf(format string, args ...any) error {
	return analytics.ParamErrorf(fmt.Sprintf(format, args...))
}
