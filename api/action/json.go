package action

import (
	"io"
	"math"
	"strconv"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// JSON is an action as `heard actions list --json` prints it and the API
// returns it, with its effect's fields beside its own. Owner, the account
// names and times are left out for the board (null in Go, absent in JSON).
type JSON struct {
	ID int64 `json:"id"`
	// Survey is the survey's name.
	Survey string `json:"survey"`
	// Question is the code of the question it answers, "" for none, and
	// QuestionText its text.
	Question     string `json:"question"`
	QuestionText string `json:"question_text"`
	Theme        string `json:"theme"`
	Statement    string `json:"statement"`
	Said         string `json:"said"`
	// Quote is the quote, redacted (QuoteRedacted) for anyone without the
	// personal-data right.
	Quote         string  `json:"quote"`
	QuoteRedacted bool    `json:"quote_redacted"`
	Did           string  `json:"did"`
	Owner         *string `json:"owner,omitempty"`
	Agreed        string  `json:"agreed"`
	Done          string  `json:"done"`
	Status        string  `json:"status"`
	// Months are the whole months before and after the month done that
	// the effect compares.
	Months    int     `json:"months"`
	CreatedBy *string `json:"created_by,omitempty"`
	CreatedAt *string `json:"created_at,omitempty"`
	UpdatedBy *string `json:"updated_by,omitempty"`
	UpdatedAt *string `json:"updated_at,omitempty"`
	EffectJSON
}

// EffectJSON is an action's measured effect: the figure before and after,
// the difference after − before with Newcombe's hybrid score interval
// (ci_low, ci_high) and the pooled two-proportion z test's two-sided p;
// null where not computed. Effect is the verdict (rose, fell,
// no-clear-change, too-early, too-few, not-shown, no-question, not-done,
// not-a-share) and EffectSentence says it in words.
type EffectJSON struct {
	Before         *WindowJSON `json:"before"`
	After          *WindowJSON `json:"after"`
	Difference     *float64    `json:"difference"`
	CILow          *float64    `json:"ci_low"`
	CIHigh         *float64    `json:"ci_high"`
	P              *float64    `json:"p"`
	Confidence     float64     `json:"confidence"`
	MinBase        int64       `json:"min_base"`
	Effect         string      `json:"effect"`
	EffectSentence string      `json:"effect_sentence"`
}

// WindowJSON is the figure of one window: its London days (inclusive),
// base, positive answers and rate from 0 to 1 (null without a base, or
// when the board may not see it).
type WindowJSON struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	N        *int64   `json:"n"`
	Positive *int64   `json:"positive"`
	Rate     *float64 `json:"rate"`
}

// effectJSON is e as JSON, said in sentence.
func effectJSON(e analytics.Effect, sentence string) EffectJSON {
	j := EffectJSON{Difference: finite(e.Difference), CILow: finite(e.Low), CIHigh: finite(e.High), P: finite(e.P),
		Confidence: e.Confidence, MinBase: e.MinBase, Effect: string(e.Result), EffectSentence: sentence}
	if j.Confidence == 0 {
		j.Confidence = analytics.DefaultConfidence
	}
	if e.Before.From != "" {
		j.Before, j.After = windowJSON(e.Before, e.BeforeRate, e.BeforeHidden), windowJSON(e.After, e.AfterRate, e.AfterHidden)
	}
	return j
}

// windowJSON is one window's figure; a figure hidden from the board has
// none.
func windowJSON(w analytics.Window, r analytics.Rate, hidden bool) *WindowJSON {
	j := &WindowJSON{From: w.From, To: w.To}
	if hidden {
		return j
	}
	n, pos := r.N, r.Positive
	j.N, j.Positive = &n, &pos
	if r.Valid() {
		j.Rate = finite(r.Rate)
	}
	return j
}

// finite is v, or nil when v is NaN or infinite.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteCSV writes actions as the download of the actions page: one line
// an action with its effect, rates, differences and intervals as
// fractions to six decimals and p to six significant figures, as the JSON
// has them; text cells made safe to open in a spreadsheet. A board list
// (withOwner false) has no owner column.
func WriteCSV(w io.Writer, list []JSON, withOwner bool) error {
	cw := dashboards.NewCSV(w)
	head := []string{"id", "survey", "question", "question_text", "theme", "statement", "said", "quote", "did"}
	if withOwner {
		head = append(head, "owner")
	}
	head = append(head, "agreed", "done", "status", "months", "before_from", "before_to", "before_n", "before_positive",
		"before_rate", "after_from", "after_to", "after_n", "after_positive", "after_rate", "difference", "ci_low",
		"ci_high", "p", "effect", "effect_sentence")
	cw.Header(head...)
	for _, a := range list {
		cw.Num(strconv.FormatInt(a.ID, 10))
		cw.Text(a.Survey, a.Question, a.QuestionText, a.Theme, a.Statement, a.Said, a.Quote, a.Did)
		if withOwner {
			owner := ""
			if a.Owner != nil {
				owner = *a.Owner
			}
			cw.Text(owner)
		}
		cw.Num(a.Agreed, a.Done, a.Status, strconv.Itoa(a.Months))
		for _, win := range []*WindowJSON{a.Before, a.After} {
			if win == nil {
				cw.Num("", "", "", "", "")
				continue
			}
			cw.Num(win.From, win.To, dashboards.IntCell(win.N), dashboards.IntCell(win.Positive), dashboards.FloatCell(win.Rate, 6))
		}
		p := ""
		if a.P != nil {
			p = strconv.FormatFloat(*a.P, 'g', 6, 64)
		}
		cw.Num(dashboards.FloatCell(a.Difference, 6), dashboards.FloatCell(a.CILow, 6), dashboards.FloatCell(a.CIHigh, 6), p,
			a.Effect)
		cw.Text(a.EffectSentence)
		cw.End()
	}
	return cw.Flush()
}
