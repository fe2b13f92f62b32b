package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heard-council/heard/analytics"
)

// questionTagRow is a row of question_statements.
type questionTagRow struct {
	QuestionID int64  `gorm:"column:question_id;primaryKey;autoIncrement:false"`
	Framework  string `gorm:"column:framework;primaryKey"`
	Statement  string `gorm:"column:statement;primaryKey"`
	TaggedBy   string `gorm:"column:tagged_by"`
	TaggedAt   string `gorm:"column:tagged_at"`
}

// TableName tells gorm the table.
func (questionTagRow) TableName() string { return "question_statements" }

// themeTagRow is a row of theme_statements.
type themeTagRow struct {
	SurveyID   int64  `gorm:"column:survey_id;primaryKey;autoIncrement:false"`
	ThemeModel string `gorm:"column:theme_model;primaryKey"`
	Theme      string `gorm:"column:theme;primaryKey"`
	Framework  string `gorm:"column:framework;primaryKey"`
	Statement  string `gorm:"column:statement;primaryKey"`
	TaggedBy   string `gorm:"column:tagged_by"`
	TaggedAt   string `gorm:"column:tagged_at"`
}

// TableName tells gorm the table.
func (themeTagRow) TableName() string { return "theme_statements" }

// maxThemeName is the longest theme or theme model name a tag takes.
const maxThemeName = 200

// Tag tags a question (by its code) or a comment theme of survey surveyID
// with a statement, and records it in the audit log; it reports whether
// the tag is new (tagging twice changes nothing). An unknown survey,
// question, framework or statement gives an error wrapping ErrNotFound
// that says what there is; a tag on neither or both, or a theme name heard
// cannot use, an *analytics.ParamError.
func (s *Store) Tag(ctx context.Context, surveyID int64, t analytics.StatementTag, by analytics.Actor) (bool, error) {
	added := false
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, questionID, err := checkTag(ctx, tx, surveyID, t)
		if err != nil {
			return err
		}
		now := formatTime(tx.NowFunc())
		var res *gorm.DB
		if t.Question != "" {
			res = tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&questionTagRow{QuestionID: questionID,
				Framework: t.Statement.Framework, Statement: t.Statement.ID, TaggedBy: by.Who, TaggedAt: now})
		} else {
			res = tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&themeTagRow{SurveyID: surveyID,
				ThemeModel: t.ThemeModel, Theme: t.Theme, Framework: t.Statement.Framework, Statement: t.Statement.ID, TaggedBy: by.Who, TaggedAt: now})
		}
		if res.Error != nil {
			return fmt.Errorf("tag %s of survey %q: %w", t.Subject(), survey.Name, res.Error)
		}
		if added = res.RowsAffected > 0; !added {
			return nil
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditStatementTag, surveyObject(survey), analytics.OutcomeOK,
			t.Subject()+" tagged with "+t.Statement.String()))
	})
	return added, err
}

// Untag removes a tag Tag made and records it in the audit log. A tag
// that is not there gives an error wrapping ErrNotFound.
func (s *Store) Untag(ctx context.Context, surveyID int64, t analytics.StatementTag, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, questionID, err := findTagSubject(ctx, tx, surveyID, t)
		if err != nil {
			return err
		}
		var n int
		if t.Question != "" {
			n, err = gorm.G[questionTagRow](tx).Where("question_id = ? AND framework = ? AND statement = ?",
				questionID, t.Statement.Framework, t.Statement.ID).Delete(ctx)
		} else {
			n, err = gorm.G[themeTagRow](tx).Where("survey_id = ? AND theme_model = ? AND theme = ? AND framework = ? AND statement = ?",
				surveyID, t.ThemeModel, t.Theme, t.Statement.Framework, t.Statement.ID).Delete(ctx)
		}
		if err != nil {
			return fmt.Errorf("untag %s of survey %q: %w", t.Subject(), survey.Name, err)
		}
		if n == 0 {
			return analytics.NotFound(fmt.Sprintf("%s of survey %q is not tagged with %s", t.Subject(), survey.Name, t.Statement))
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditStatementUntag, surveyObject(survey), analytics.OutcomeOK,
			t.Subject()+" no longer tagged with "+t.Statement.String()))
	})
}

// checkTag checks a new tag: its survey and question, or theme, and its
// statement. It returns the survey and the question's id.
func checkTag(ctx context.Context, tx *gorm.DB, surveyID int64, t analytics.StatementTag) (surveyRow, int64, error) {
	survey, questionID, err := findTagSubject(ctx, tx, surveyID, t)
	if err != nil {
		return surveyRow{}, 0, err
	}
	if t.Question == "" {
		for _, name := range []struct{ what, v string }{{"theme model", t.ThemeModel}, {"theme", t.Theme}} {
			if utf8.RuneCountInString(name.v) > maxThemeName || strings.ContainsAny(name.v, "\r\n") || strings.TrimSpace(name.v) != name.v {
				return surveyRow{}, 0, analytics.ParamErrorf(fmt.Sprintf("the %s name %q is not one heard can use: "+
					"give it as the model names it, on one line, at most %d characters", name.what, name.v, maxThemeName))
			}
		}
	}
	known, err := loadFrameworks(ctx, tx)
	if err != nil {
		return surveyRow{}, 0, err
	}
	if _, err := analytics.FindStatement(known, t.Statement); err != nil {
		return surveyRow{}, 0, err
	}
	return survey, questionID, nil
}

// findTagSubject reads a tag's survey and, for a question's tag, the
// question's id.
func findTagSubject(ctx context.Context, tx *gorm.DB, surveyID int64, t analytics.StatementTag) (surveyRow, int64, error) {
	survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
	if err != nil {
		return surveyRow{}, 0, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	if (t.Question == "") == (t.ThemeModel == "" || t.Theme == "") {
		return surveyRow{}, 0, analytics.ParamErrorf("tag a {question}, or a comment {theme} (MODEL:THEME), not both or neither")
	}
	if t.Question == "" {
		return survey, 0, nil
	}
	qs, err := gorm.G[questionRow](tx).Where("survey_id = ?", surveyID).Order("position").Find(ctx)
	if err != nil {
		return surveyRow{}, 0, fmt.Errorf("read the questions of survey %q: %w", survey.Name, err)
	}
	codes := make([]string, len(qs))
	for i, q := range qs {
		if q.Code == t.Question {
			return survey, q.ID, nil
		}
		codes[i] = q.Code
	}
	return surveyRow{}, 0, analytics.NotFound(fmt.Sprintf("survey %q has no question %q; its questions are %s",
		survey.Name, t.Question, strings.Join(codes, ", ")))
}

// StatementTags returns the tags of survey surveyID: its questions' tags
// in the questions' order, then its comment themes' by model and theme;
// each subject's tags by framework and statement.
func (s *Store) StatementTags(ctx context.Context, surveyID int64) ([]analytics.StatementTag, error) {
	var qs []struct{ Code, Framework, Statement string }
	err := s.db.WithContext(ctx).Raw(`SELECT q.code AS code, t.framework AS framework, t.statement AS statement
		FROM question_statements t JOIN questions q ON q.id = t.question_id
		WHERE q.survey_id = ? ORDER BY q.position, t.framework, t.statement`, surveyID).Scan(&qs).Error
	if err != nil {
		return nil, fmt.Errorf("read the tags of survey %d: %w", surveyID, err)
	}
	ts, err := gorm.G[themeTagRow](s.db).Where("survey_id = ?", surveyID).Order("theme_model, theme, framework, statement").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the comment theme tags of survey %d: %w", surveyID, err)
	}
	out := make([]analytics.StatementTag, 0, len(qs)+len(ts))
	for _, q := range qs {
		out = append(out, analytics.StatementTag{Question: q.Code, Statement: analytics.StatementRef{Framework: q.Framework, ID: q.Statement}})
	}
	for _, t := range ts {
		out = append(out, analytics.StatementTag{ThemeModel: t.ThemeModel, Theme: t.Theme,
			Statement: analytics.StatementRef{Framework: t.Framework, ID: t.Statement}})
	}
	return out, nil
}
