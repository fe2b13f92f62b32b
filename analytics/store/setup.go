package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// The audit log's actions for a survey's set-up, changed by an analyst in
// the browser or with `heard survey`.
const (
	AuditSurveyRename  analytics.AuditAction = "survey-rename"
	AuditSurveyDelete  analytics.AuditAction = "survey-delete"
	AuditSurveyRelabel analytics.AuditAction = "survey-relabel"
	AuditSurveyColumn  analytics.AuditAction = "survey-column"
	AuditSurveyScale   analytics.AuditAction = "survey-scale"
)

// maxLabel is the longest name or label accepted, in characters.
const maxLabel = 300

// RenameSurvey renames a survey. The new name is stored in SurveyName's
// form; a name that is empty once invisible characters are removed, or
// that is (or looks like) another survey's name, is refused with a
// *analytics.ParamError and nothing changes. The slug, and so the survey's
// addresses, stay as they were.
func (s *Store) RenameSurvey(ctx context.Context, surveyID int64, name string, by analytics.Actor) (analytics.Survey, error) {
	var out analytics.Survey
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		next, err := checkLabel("the new name", name)
		if err != nil {
			return err
		}
		next = SurveyName(next)
		if next == "" {
			return analytics.ParamErrorf("the new name is empty once its invisible characters are removed: choose a name people can read")
		}
		other, err := findSurveyByName(ctx, tx, next)
		switch {
		case err == nil && other.ID != row.ID:
			return analytics.ParamErrorf(fmt.Sprintf("there is already a survey called %q (or one whose name looks the same): choose another name", other.Name))
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		if next == row.Name {
			out = row.survey()
			return nil
		}
		if _, err := gorm.G[surveyRow](tx).Where("id = ?", row.ID).Update(ctx, "name", next); err != nil {
			return fmt.Errorf("rename survey %q: %w", row.Name, err)
		}
		e := analytics.NewAuditEvent(by, AuditSurveyRename, surveyObject(row), analytics.OutcomeOK, fmt.Sprintf("renamed to %q", next))
		row.Name = next
		out = row.survey()
		return writeAudit(ctx, tx, e)
	})
	return out, err
}

// DeleteSurvey deletes a survey with everything it holds: its responses,
// imports, questions, metrics, members and settings, in one transaction
// with an audit event. It returns how many responses were deleted.
func (s *Store) DeleteSurvey(ctx context.Context, surveyID int64, by analytics.Actor) (int64, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		table := responseTable(row.ID)
		if tx.Migrator().HasTable(table) {
			if err := tx.WithContext(ctx).Raw("SELECT COUNT(*) FROM " + quote(table)).Scan(&n).Error; err != nil {
				return fmt.Errorf("count responses of survey %q: %w", row.Name, err)
			}
			if err := tx.WithContext(ctx).Exec("DROP TABLE " + quote(table)).Error; err != nil {
				return fmt.Errorf("delete responses of survey %q: %w", row.Name, err)
			}
		}
		if err := tx.WithContext(ctx).Exec("DELETE FROM surveys WHERE id = ?", row.ID).Error; err != nil {
			return fmt.Errorf("delete survey %q: %w", row.Name, err)
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveyDelete, surveyObject(row), analytics.OutcomeOK,
			fmt.Sprintf("%d responses deleted", n)))
	})
	return n, err
}

// RelabelQuestion changes the text people read for a question (or the name
// of a dimension) of a survey. The header the column is matched by on the
// next import is kept in the saved mapping and does not change, so the next
// month's file still joins the question and the new label stays.
func (s *Store) RelabelQuestion(ctx context.Context, surveyID int64, code, label string, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		label, err = checkLabel("the new label", label)
		if err != nil {
			return err
		}
		label = strings.Join(strings.Fields(label), " ")
		qs, ds, err := loadQuestions(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		var old string
		if q, ok := questionByCode(qs, code); ok {
			old = q.Text
			_, err = gorm.G[questionRow](tx).Where("id = ?", q.ID).Update(ctx, "text", label)
		} else if d, ok := dimensionByCode(ds, code); ok {
			old = d.Name
			_, err = gorm.G[dimensionRow](tx).Where("id = ?", d.ID).Update(ctx, "name", label)
		} else {
			return analytics.NotFound(fmt.Sprintf("survey %q has no question or dimension %q", row.Name, code))
		}
		if err != nil {
			return fmt.Errorf("relabel %q: %w", code, err)
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveyRelabel, surveyObject(row), analytics.OutcomeOK,
			fmt.Sprintf("%s: %q relabelled %q", code, old, label)))
	})
}

// checkLabel trims a name or label and refuses one that is empty, too
// long, not UTF-8 or holds control characters.
func checkLabel(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", analytics.ParamErrorf(what + " is empty: type the text people should read")
	case !utf8.ValidString(s):
		return "", analytics.ParamErrorf(what + " is not readable text")
	case utf8.RuneCountInString(s) > maxLabel:
		return "", analytics.ParamErrorf(fmt.Sprintf("%s is %d characters long: keep it to %d", what, utf8.RuneCountInString(s), maxLabel))
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "", analytics.ParamErrorf(what + " holds a line break or a control character: write it on one line")
	}
	return s, nil
}

// questionByCode returns the question with this code.
func questionByCode(qs []analytics.Question, code string) (analytics.Question, bool) {
	for _, q := range qs {
		if q.Code == code {
			return q, true
		}
	}
	return analytics.Question{}, false
}

// dimensionByCode returns the dimension with this code.
func dimensionByCode(ds []analytics.Dimension, code string) (analytics.Dimension, bool) {
	for _, d := range ds {
		if d.Code == code {
			return d, true
		}
	}
	return analytics.Dimension{}, false
}

// SetScale sets the polarity of each option of a scale or single-choice
// question: which answers count as positive, which are neutral or negative
// and which are left out of the base. A single-choice question becomes a
// scale. The question's figures are then the share of positive answers
// (analytics.ScaleCustom). Answers stay as they are stored.
func (s *Store) SetScale(ctx context.Context, surveyID int64, code string, polarity []analytics.Polarity, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		qs, _, err := loadQuestions(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		q, ok := questionByCode(qs, code)
		if !ok {
			return analytics.NotFound(fmt.Sprintf("survey %q has no question %q", row.Name, code))
		}
		next, err := WithPolarity(q, polarity)
		if err != nil {
			return err
		}
		var detail []string
		for i, o := range next.Options {
			if err := tx.WithContext(ctx).Exec("UPDATE options SET polarity = ? WHERE question_id = ? AND position = ?",
				string(o.Polarity), q.ID, i).Error; err != nil {
				return fmt.Errorf("set the polarity of question %q: %w", code, err)
			}
			detail = append(detail, fmt.Sprintf("%q %s", o.Label, o.Polarity))
		}
		err = tx.WithContext(ctx).Exec("UPDATE questions SET kind = ?, scale = ? WHERE id = ?",
			string(next.Kind), next.Scale, q.ID).Error
		if err != nil {
			return fmt.Errorf("set the scale of question %q: %w", code, err)
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveyScale, surveyObject(row), analytics.OutcomeOK,
			code+": "+strings.Join(detail, ", ")))
	})
}

// WithPolarity returns q with its options' polarities set as given, as
// SetScale stores it, or a *analytics.ParamError saying why they do not
// fit: a question that is not a scale or single choice, a polarity per
// option missing, an unknown polarity, no positive option.
func WithPolarity(q analytics.Question, polarity []analytics.Polarity) (analytics.Question, error) {
	if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
		return q, analytics.ParamErrorf(fmt.Sprintf("question %q is not a scale or a single choice, so its answers have no polarity", q.Text))
	}
	if len(polarity) != len(q.Options) {
		return q, analytics.ParamErrorf(fmt.Sprintf("question %q has %d options: give each one a polarity", q.Text, len(q.Options)))
	}
	out := q
	out.Options = append([]analytics.Option(nil), q.Options...)
	positive := false
	for i, p := range polarity {
		switch p {
		case analytics.Positive:
			positive = true
		case analytics.Neutral, analytics.Negative, analytics.Excluded:
		default:
			return q, analytics.ParamErrorf(fmt.Sprintf("%q is not a polarity: use positive, neutral, negative or excluded", p))
		}
		out.Options[i].Polarity = p
	}
	if !positive {
		return q, analytics.ParamErrorf("no answer counts as positive: mark at least one answer positive")
	}
	out.Kind, out.Scale = analytics.KindScale, analytics.ScaleCustom
	return out, nil
}

// updateMappingColumn sets the role of the saved mapping's column of code,
// so that the next file's column of that header takes it too.
func updateMappingColumn(ctx context.Context, tx *gorm.DB, row surveyRow, code string, role analytics.Role) error {
	var m analytics.Mapping
	if err := json.Unmarshal([]byte(row.MappingJSON), &m); err != nil {
		return fmt.Errorf("read saved mapping of survey %q: %w", row.Name, err)
	}
	for i, c := range m.Columns {
		if c.Code == code && (c.Role == analytics.RoleQuestion || c.Role == analytics.RoleDimension) {
			m.Columns[i].Role = role
			if role == analytics.RoleIgnore {
				m.Columns[i].Code = ""
			}
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode mapping of survey %q: %w", row.Name, err)
	}
	if _, err := gorm.G[surveyRow](tx).Where("id = ?", row.ID).Update(ctx, "mapping_json", string(data)); err != nil {
		return fmt.Errorf("save mapping of survey %q: %w", row.Name, err)
	}
	return nil
}
