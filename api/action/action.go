// Package action is "you said, we did", the use case both front ends
// share: recording what people said and what the council did about it
// (Save, Delete), and listing the actions with their measured effect on
// the linked question's figure (List), as each Audience may see them: the
// quote redacted for anyone without the personal-data right, and for the
// board no owner, no names and effects under the survey's disclosure
// policy. Marks are the actions as marks on a trend chart, and
// WriteCSV writes the list as the download.
package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/redact"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// Audience is who reads a list of actions, which decides what it shows.
type Audience int

const (
	// Personal is staff with the personal-data right (and the command
	// line): everything as stored.
	Personal Audience = iota
	// Staff is staff without that right: the quote redacted.
	Staff
	// Board is the people involvement board: the quote, and what people
	// said and the council did, redacted; no owner and no account names;
	// and each effect made of the survey's board publication.
	Board
)

// Params are an action as a form or the command line gives it, every
// field text; Survey is the survey's name and Question a question's code
// or text.
type Params struct {
	Survey                     string
	Question, Theme, Statement string
	Said, Quote, Did, Owner    string
	Agreed, Done, Status       string
	Months                     int
}

// Save records the action p describes: a new one when id is 0, else it
// replaces action id of the same survey. Parameters that do not fit are a
// *analytics.ParamError naming the parameter ({question}, {done}...) and
// nothing is stored. It returns the action as by, who has the
// personal-data right, sees it, with its effect as of now.
func Save(ctx context.Context, st *store.Store, id int64, p Params, by analytics.Actor, now time.Time) (JSON, error) {
	r, err := report.Resolve(ctx, st, report.Params{Survey: p.Survey})
	if err != nil {
		return JSON{}, err
	}
	a := analytics.Action{ID: id, SurveyID: r.Survey().ID, Theme: p.Theme, Statement: p.Statement, Said: p.Said,
		Quote: p.Quote, Did: p.Did, Owner: p.Owner, Agreed: p.Agreed, Done: p.Done, Months: p.Months}
	if strings.TrimSpace(p.Question) != "" {
		q, err := r.Question("question", strings.TrimSpace(p.Question))
		if err != nil {
			return JSON{}, err
		}
		a.Question = q.Code
	}
	if strings.TrimSpace(p.Status) != "" {
		if a.Status, err = analytics.ParseActionStatus(p.Status); err != nil {
			return JSON{}, analytics.ParamErrorf("{status} " + err.Error())
		}
	}
	saved, err := st.SaveAction(ctx, a, by)
	if err != nil {
		return JSON{}, err
	}
	l, err := newLister(ctx, st, r, Personal, now)
	if err != nil {
		return JSON{}, err
	}
	return l.json(ctx, saved)
}

// Delete deletes action id, audited as by, and returns it as it was.
func Delete(ctx context.Context, st *store.Store, id int64, by analytics.Actor) (analytics.Action, error) {
	a, err := st.DeleteAction(ctx, id, by)
	if errors.Is(err, store.ErrNotFound) {
		return analytics.Action{}, analytics.NotFound(fmt.Sprintf("there is no action %d; `heard actions list --survey NAME` lists them", id))
	}
	return a, err
}

// List returns the actions of the survey called survey, the most recently
// done first, with their effects as of now, as aud may see them.
func List(ctx context.Context, st *store.Store, survey string, aud Audience, now time.Time) ([]JSON, error) {
	r, err := report.Resolve(ctx, st, report.Params{Survey: survey})
	if err != nil {
		return nil, err
	}
	actions, err := st.Actions(ctx, r.Survey().ID)
	if err != nil {
		return nil, err
	}
	l, err := newLister(ctx, st, r, aud, now)
	if err != nil {
		return nil, err
	}
	out := make([]JSON, 0, len(actions))
	for _, a := range actions {
		j, err := l.json(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// Marks are the marks of a trend chart of question (a code) for the done
// actions of survey surveyID: those linked to the question, and those
// linked to no question at all (about the survey as a whole), each at the
// month it was done, labelled with what was done. The survey's dashboard
// marks its headline question's trend. The board's labels are redacted,
// as its list of actions is.
func Marks(ctx context.Context, st *store.Store, surveyID int64, question string, aud Audience) ([]dashboards.Mark, error) {
	actions, err := st.Actions(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	var marks []dashboards.Mark
	for _, a := range actions {
		if a.Status != analytics.ActionDone || len(a.Done) < 7 || a.Question != "" && a.Question != question {
			continue
		}
		did := a.Did
		if aud == Board {
			did = redact.Text(did)
		}
		marks = append(marks, dashboards.Mark{Month: a.Done[:7], Label: "Action: " + did})
	}
	return marks, nil
}

// lister turns a survey's actions into JSON for one audience.
type lister struct {
	st      *store.Store
	r       *report.Resolved
	aud     Audience
	today   string
	texts   map[string]string
	publish analytics.Disclosure
}

// newLister reads what the survey's actions need: its questions' texts
// and its board's disclosure policy.
func newLister(ctx context.Context, st *store.Store, r *report.Resolved, aud Audience, now time.Time) (*lister, error) {
	london, err := analytics.LoadLondon()
	if err != nil {
		return nil, err
	}
	pub, err := st.Publication(ctx, r.Survey().ID)
	if err != nil {
		return nil, err
	}
	l := &lister{st: st, r: r, aud: aud, today: now.In(london).Format(time.DateOnly), texts: map[string]string{},
		publish: pub.Policy.Disclosure().WithDefaults()}
	for _, q := range r.Questions() {
		l.texts[q.Code] = q.Text
	}
	return l, nil
}

// json is action a as the lister's audience sees it, with its effect.
func (l *lister) json(ctx context.Context, a analytics.Action) (JSON, error) {
	j := JSON{ID: a.ID, Survey: l.r.Survey().Name, Question: a.Question, QuestionText: l.texts[a.Question],
		Theme: a.Theme, Statement: a.Statement, Said: a.Said, Quote: a.Quote, Did: a.Did, Agreed: a.Agreed,
		Done: a.Done, Status: string(a.Status), Months: a.Months}
	if l.aud != Personal && a.Quote != "" {
		j.Quote, j.QuoteRedacted = redact.Text(a.Quote), true
	}
	if l.aud == Board { // staff wrote these, but a name in them is not the board's to read
		j.Said, j.Did = redact.Text(a.Said), redact.Text(a.Did)
	}
	if l.aud != Board {
		j.Owner, j.CreatedBy, j.UpdatedBy = &a.Owner, &a.CreatedBy, &a.UpdatedBy
		created, updated := a.CreatedAt.UTC().Format(time.RFC3339), a.UpdatedAt.UTC().Format(time.RFC3339)
		j.CreatedAt, j.UpdatedAt = &created, &updated
	}
	e, positive, err := l.effect(ctx, a)
	if err != nil {
		return JSON{}, err
	}
	j.EffectJSON = effectJSON(e, dashboards.EffectSentence(e, positive))
	return j, nil
}
