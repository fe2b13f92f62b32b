package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heard-council/heard/analytics"
)

// AuditSurveySetting is the audit log's action for a change to a survey's
// settings, such as whether it keeps personal data.
const AuditSurveySetting analytics.AuditAction = "survey-setting"

// settingsRow is a row of survey_settings.
type settingsRow struct {
	SurveyID     int64  `gorm:"column:survey_id;primaryKey"`
	KeepPersonal bool   `gorm:"column:keep_personal"`
	SetBy        string `gorm:"column:set_by"`
	SetAt        string `gorm:"column:set_at"`
}

// TableName tells gorm the table.
func (settingsRow) TableName() string { return "survey_settings" }

// SetKeepPersonal sets whether the survey called surveyName keeps
// respondents' names and email addresses from the files imported next (as
// free-text answers, shown to staff only), and records it in the audit log.
// Answers already stored are not changed. It returns ErrNotFound for an
// unknown survey.
func (s *Store) SetKeepPersonal(ctx context.Context, surveyName string, keep bool, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurveyByName(ctx, tx, surveyName)
		if err != nil {
			return fmt.Errorf("survey %q: %w", surveyName, err)
		}
		return setKeepPersonal(ctx, tx, survey, keep, by)
	})
}

// setKeepPersonal is SetKeepPersonal inside a transaction.
func setKeepPersonal(ctx context.Context, tx *gorm.DB, survey surveyRow, keep bool, by analytics.Actor) error {
	row := settingsRow{SurveyID: survey.ID, KeepPersonal: keep, SetBy: by.Who, SetAt: formatTime(tx.NowFunc())}
	err := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "survey_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"keep_personal", "set_by", "set_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("set whether survey %q keeps personal data: %w", survey.Name, err)
	}
	detail := "personal data (names, email addresses) not stored"
	if keep {
		detail = "keep personal data (names, email addresses) as text answers"
	}
	return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveySetting, surveyObject(survey), analytics.OutcomeOK, detail))
}

// KeepPersonal reports whether the survey called surveyName keeps
// respondents' names and email addresses; false for an unknown survey or
// one that never opted in.
func (s *Store) KeepPersonal(ctx context.Context, surveyName string) (bool, error) {
	survey, err := findSurveyByName(ctx, s.db, surveyName)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("survey %q: %w", surveyName, err)
	}
	rows, err := gorm.G[settingsRow](s.db).Where("survey_id = ?", survey.ID).Find(ctx)
	if err != nil {
		return false, fmt.Errorf("read the settings of survey %q: %w", surveyName, err)
	}
	return len(rows) > 0 && rows[0].KeepPersonal, nil
}
