package analytics

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionStatus is how far an action has got.
type ActionStatus string

// The statuses of an action.
const (
	ActionPlanned    ActionStatus = "planned"
	ActionInProgress ActionStatus = "in progress"
	ActionDone       ActionStatus = "done"
)

// ActionStatuses lists the statuses in the order an action goes through
// them.
func ActionStatuses() []ActionStatus {
	return []ActionStatus{ActionPlanned, ActionInProgress, ActionDone}
}

// ParseActionStatus reads a status: planned, in progress (also written
// in-progress or in_progress) or done, case ignored.
func ParseActionStatus(s string) (ActionStatus, error) {
	k := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	}), " ")
	for _, st := range ActionStatuses() {
		if k == string(st) {
			return st, nil
		}
	}
	return "", fmt.Errorf("%q is not a status: use planned, in progress or done", s)
}

// Action is a "you said, we did" record: what people said (linked to a
// question, a comment theme or a framework statement, with an optional
// quote a member of staff chose), what the council did about it, who owns
// it, when it was agreed and done, and how far it has got. Its effect is
// measured on the question's figure (see EffectWindows and CompareRates).
//
// Owner is a person's name and Quote may hold personal details: neither
// reaches the board as written (the owner never, the quote only redacted).
type Action struct {
	ID       int64 `json:"id"`
	SurveyID int64 `json:"-"`
	// Question is the code of the question the action answers, "" for none.
	Question string `json:"question"`
	// Theme is a comment theme's name, "" for none.
	Theme string `json:"theme"`
	// Statement is a framework statement, "FRAMEWORK:ID", "" for none.
	Statement string `json:"statement"`
	// Said is what people said, in staff's words.
	Said string `json:"said"`
	// Quote is what someone wrote, as staff chose it, "" for none.
	Quote string `json:"quote"`
	// Did is what the council did.
	Did   string `json:"did"`
	Owner string `json:"owner"`
	// Agreed and Done are London days ("2024-09-15"), "" when not known.
	Agreed string       `json:"agreed"`
	Done   string       `json:"done"`
	Status ActionStatus `json:"status"`
	// Months is how many whole months before and after the month done the
	// effect compares.
	Months    int       `json:"months"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// The longest texts an action keeps, in characters.
const (
	maxActionText  = 2000
	maxActionLabel = 200
)

// Normalise trims the action's texts, folds a blank status to done when a
// day done is given (planned when not), and sets Months to
// DefaultEffectMonths when it is 0.
func (a *Action) Normalise() {
	for _, s := range []*string{&a.Question, &a.Theme, &a.Statement, &a.Said, &a.Quote, &a.Did, &a.Owner, &a.Agreed, &a.Done} {
		*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	}
	if a.Status == "" {
		a.Status = ActionPlanned
		if a.Done != "" {
			a.Status = ActionDone
		}
	}
	if a.Months == 0 {
		a.Months = DefaultEffectMonths
	}
}

// Validate checks a normalised action against today's London day
// ("2025-03-31"): what people said and what was done are written, it is
// linked to a question, theme or statement, its days are days and in
// order, a done action says when it was done (not in the future), and its
// months are from 1 to MaxEffectMonths. Errors are *ParamError naming the
// field as {said}, {did}, {done}...
func (a Action) Validate(today string) error {
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
		oneLine     bool
	}{
		{"said", a.Said, maxActionText, true, false}, {"did", a.Did, maxActionText, true, false},
		{"quote", a.Quote, maxActionText, false, false}, {"owner", a.Owner, maxActionLabel, false, true},
		{"theme", a.Theme, maxActionLabel, false, true}, {"statement", a.Statement, maxActionLabel, false, true},
	} {
		if err := checkActionText(f.name, f.value, f.max, f.required, f.oneLine); err != nil {
			return err
		}
	}
	if a.Question == "" && a.Theme == "" && a.Statement == "" {
		return ParamErrorf("say what people said about: give {question}, {theme} or {statement}")
	}
	if a.Statement != "" {
		fw, id, ok := strings.Cut(a.Statement, ":")
		if !ok || strings.TrimSpace(fw) == "" || strings.TrimSpace(id) == "" {
			return ParamErrorf(fmt.Sprintf("{statement} %q: write it as FRAMEWORK:ID, such as cqc:assessing-needs", a.Statement))
		}
	}
	if _, err := ParseActionStatus(string(a.Status)); err != nil {
		return ParamErrorf("{status} " + err.Error())
	}
	for _, d := range []struct{ name, value string }{{"agreed", a.Agreed}, {"done", a.Done}} {
		if d.value == "" {
			continue
		}
		if t, err := time.Parse(time.DateOnly, d.value); err != nil || t.Format(time.DateOnly) != d.value {
			return ParamErrorf(fmt.Sprintf("{%s} %q is not a date: write it as YYYY-MM-DD, such as 2024-09-15", d.name, d.value))
		}
	}
	switch {
	case a.Agreed != "" && a.Done != "" && a.Agreed > a.Done:
		return ParamErrorf(fmt.Sprintf("{agreed} %s is after {done} %s: an action is agreed before it is done", a.Agreed, a.Done))
	case a.Status == ActionDone && a.Done == "":
		return ParamErrorf("a done action needs the day it was done: give {done} YYYY-MM-DD")
	case a.Status == ActionDone && a.Done > today:
		return ParamErrorf(fmt.Sprintf("{done} %s is in the future: record the action as planned or in progress until it is done", a.Done))
	case a.Months < 1 || a.Months > MaxEffectMonths:
		return ParamErrorf(fmt.Sprintf("{months} %d: choose from 1 to %d months before and after", a.Months, MaxEffectMonths))
	}
	return nil
}

// checkActionText checks one of an action's texts.
func checkActionText(name, s string, max int, required, oneLine bool) error {
	switch {
	case s == "" && required:
		return ParamErrorf(fmt.Sprintf("{%s} is empty: write it in a sentence or two", name))
	case !utf8.ValidString(s):
		return ParamErrorf(fmt.Sprintf("{%s} is not readable text", name))
	case utf8.RuneCountInString(s) > max:
		return ParamErrorf(fmt.Sprintf("{%s} is %d characters long: keep it to %d", name, utf8.RuneCountInString(s), max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && (oneLine || r != '\n' && r != '\t') || r == 0x7f }):
		if oneLine {
			return ParamErrorf(fmt.Sprintf("{%s} holds a line break or a control character: write it on one line", name))
		}
		return ParamErrorf(fmt.Sprintf("{%s} holds a control character: write plain text", name))
	}
	return nil
}

// Effective reports whether the action's effect can be measured: it is
// done, on a day, and linked to a question.
func (a Action) Effective() bool { return a.Status == ActionDone && a.Done != "" && a.Question != "" }
