package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// The audit log's actions for "you said, we did" records.
const (
	AuditActionAdd    analytics.AuditAction = "action-add"
	AuditActionEdit   analytics.AuditAction = "action-edit"
	AuditActionDelete analytics.AuditAction = "action-delete"
)

// actionRow is a row of actions.
type actionRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	SurveyID   int64  `gorm:"column:survey_id"`
	QuestionID *int64 `gorm:"column:question_id"`
	Theme      string `gorm:"column:theme"`
	Statement  string `gorm:"column:statement"`
	Said       string `gorm:"column:said"`
	Quote      string `gorm:"column:quote"`
	Did        string `gorm:"column:did"`
	Owner      string `gorm:"column:owner"`
	AgreedOn   string `gorm:"column:agreed_on"`
	DoneOn     string `gorm:"column:done_on"`
	Status     string `gorm:"column:status"`
	Months     int    `gorm:"column:months"`
	CreatedBy  string `gorm:"column:created_by"`
	CreatedAt  string `gorm:"column:created_at"`
	UpdatedBy  string `gorm:"column:updated_by"`
	UpdatedAt  string `gorm:"column:updated_at"`
}

// TableName tells gorm the table.
func (actionRow) TableName() string { return "actions" }

// action is the row as the domain's Action; codes are the survey's
// question codes by id.
func (r actionRow) action(codes map[int64]string) analytics.Action {
	a := analytics.Action{ID: r.ID, SurveyID: r.SurveyID, Theme: r.Theme, Statement: r.Statement, Said: r.Said,
		Quote: r.Quote, Did: r.Did, Owner: r.Owner, Agreed: r.AgreedOn, Done: r.DoneOn,
		Status: analytics.ActionStatus(r.Status), Months: r.Months, CreatedBy: r.CreatedBy,
		CreatedAt: parseTime(r.CreatedAt), UpdatedBy: r.UpdatedBy, UpdatedAt: parseTime(r.UpdatedAt)}
	if r.QuestionID != nil {
		a.Question = codes[*r.QuestionID]
	}
	return a
}

// questionCodes returns the question codes of a survey by question id.
func questionCodes(ctx context.Context, db *gorm.DB, surveyID int64) (map[int64]string, error) {
	rows, err := gorm.G[questionRow](db).Select("id", "code").Where("survey_id = ?", surveyID).Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the questions of survey %d: %w", surveyID, err)
	}
	codes := make(map[int64]string, len(rows))
	for _, q := range rows {
		codes[q.ID] = q.Code
	}
	return codes, nil
}

// SaveAction records a "you said, we did" action of survey a.SurveyID: a
// new one when a.ID is 0, else it replaces the texts, days, status and
// months of action a.ID, which must belong to that survey. The action is
// normalised and checked (analytics.Action.Validate, against today's London
// day); its Question is a question code of the survey. A check that fails
// is a *analytics.ParamError and nothing changes. The change is audited in
// the same transaction, naming the fields but never their text (a quote or
// an owner is personal data). It returns the action as stored.
func (s *Store) SaveAction(ctx context.Context, a analytics.Action, by analytics.Actor) (analytics.Action, error) {
	a.Normalise()
	if err := a.Validate(time.Now().In(s.london).Format(time.DateOnly)); err != nil {
		return analytics.Action{}, err
	}
	var id int64
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		sv, err := findSurvey(ctx, tx, "id = ?", a.SurveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", a.SurveyID, err)
		}
		row := actionRow{ID: a.ID, SurveyID: sv.ID, Theme: a.Theme, Statement: a.Statement, Said: a.Said,
			Quote: a.Quote, Did: a.Did, Owner: a.Owner, AgreedOn: a.Agreed, DoneOn: a.Done, Status: string(a.Status),
			Months: a.Months, UpdatedBy: by.Who, UpdatedAt: formatTime(tx.NowFunc())}
		if a.Question != "" {
			q, err := gorm.G[questionRow](tx).Where("survey_id = ? AND code = ?", sv.ID, a.Question).Find(ctx)
			if err != nil {
				return fmt.Errorf("read question %q: %w", a.Question, err)
			}
			if len(q) == 0 {
				return analytics.ParamErrorf(fmt.Sprintf("{question} %q: survey %q has no such question; `heard questions --survey %q` lists them",
					a.Question, sv.Name, sv.Name))
			}
			row.QuestionID = &q[0].ID
		}
		verb, detail := AuditActionAdd, actionDetail(a)
		if a.ID == 0 {
			row.CreatedBy, row.CreatedAt = by.Who, row.UpdatedAt
			if err := gorm.G[actionRow](tx).Create(ctx, &row); err != nil {
				return fmt.Errorf("record an action of survey %q: %w", sv.Name, err)
			}
		} else {
			old, err := findAction(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			if old.SurveyID != sv.ID {
				return fmt.Errorf("action %d of survey %q: %w", a.ID, sv.Name, ErrNotFound)
			}
			verb, detail = AuditActionEdit, "changed: "+changedFields(old, a)
			// Select writes every field, a nil question and blank texts too.
			_, err = gorm.G[actionRow](tx).Where("id = ?", a.ID).Select("question_id", "theme", "statement", "said", "quote",
				"did", "owner", "agreed_on", "done_on", "status", "months", "updated_by", "updated_at").Updates(ctx, row)
			if err != nil {
				return fmt.Errorf("change action %d: %w", a.ID, err)
			}
		}
		id = row.ID
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, verb, actionObject(sv, row.ID), analytics.OutcomeOK, detail))
	})
	if err != nil {
		return analytics.Action{}, err
	}
	return s.Action(ctx, id)
}

// Action returns action id, or an error wrapping ErrNotFound.
func (s *Store) Action(ctx context.Context, id int64) (analytics.Action, error) {
	return findAction(ctx, s.db, id)
}

// findAction reads action id through db, which may be a transaction.
func findAction(ctx context.Context, db *gorm.DB, id int64) (analytics.Action, error) {
	rows, err := gorm.G[actionRow](db).Where("id = ?", id).Find(ctx)
	if err != nil {
		return analytics.Action{}, fmt.Errorf("read action %d: %w", id, err)
	}
	if len(rows) == 0 {
		return analytics.Action{}, fmt.Errorf("action %d: %w", id, ErrNotFound)
	}
	codes, err := questionCodes(ctx, db, rows[0].SurveyID)
	if err != nil {
		return analytics.Action{}, err
	}
	return rows[0].action(codes), nil
}

// Actions lists a survey's actions, the most recently done first, then
// those not done yet, newest first.
func (s *Store) Actions(ctx context.Context, surveyID int64) ([]analytics.Action, error) {
	rows, err := gorm.G[actionRow](s.db).Where("survey_id = ?", surveyID).Order("done_on DESC, id DESC").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the actions of survey %d: %w", surveyID, err)
	}
	codes, err := questionCodes(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	list := make([]analytics.Action, len(rows))
	for i, r := range rows {
		list[i] = r.action(codes)
	}
	return list, nil
}

// DeleteAction deletes action id, audited, and returns it as it was; an
// action that does not exist is an error wrapping ErrNotFound.
func (s *Store) DeleteAction(ctx context.Context, id int64, by analytics.Actor) (analytics.Action, error) {
	var out analytics.Action
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		old, err := findAction(ctx, tx, id)
		if err != nil {
			return err
		}
		sv, err := findSurvey(ctx, tx, "id = ?", old.SurveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", old.SurveyID, err)
		}
		if _, err := gorm.G[actionRow](tx).Where("id = ?", id).Delete(ctx); err != nil {
			return fmt.Errorf("delete action %d: %w", id, err)
		}
		out = old
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditActionDelete, actionObject(sv, id), analytics.OutcomeOK,
			actionDetail(out)))
	})
	return out, err
}

// actionObject names an action in the audit log.
func actionObject(sv surveyRow, id int64) string {
	return fmt.Sprintf("%s action %d", surveyObject(sv), id)
}

// actionDetail says what an action is linked to and where it has got,
// for the audit log: never its texts.
func actionDetail(a analytics.Action) string {
	var parts []string
	for _, f := range []struct{ name, value string }{
		{"question", a.Question}, {"statement", a.Statement}, {"status", string(a.Status)},
		{"agreed", a.Agreed}, {"done", a.Done},
	} {
		if f.value != "" {
			parts = append(parts, f.name+" "+f.value)
		}
	}
	return strings.Join(parts, ", ")
}

// changedFields lists the fields that differ between two actions, by
// name.
func changedFields(old, next analytics.Action) string {
	var names []string
	for _, f := range []struct {
		name      string
		old, next string
	}{
		{"question", old.Question, next.Question}, {"theme", old.Theme, next.Theme},
		{"statement", old.Statement, next.Statement}, {"said", old.Said, next.Said}, {"quote", old.Quote, next.Quote},
		{"did", old.Did, next.Did}, {"owner", old.Owner, next.Owner}, {"agreed", old.Agreed, next.Agreed},
		{"done", old.Done, next.Done}, {"status", string(old.Status), string(next.Status)},
		{"months", fmt.Sprint(old.Months), fmt.Sprint(next.Months)},
	} {
		if f.old != f.next {
			names = append(names, f.name)
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}
