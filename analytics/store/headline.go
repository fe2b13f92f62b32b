package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heard-council/heard/analytics"
)

// headlineRow is the headline column of survey_settings.
type headlineRow struct {
	SurveyID         int64  `gorm:"column:survey_id;primaryKey"`
	HeadlineQuestion string `gorm:"column:headline_question"`
	SetBy            string `gorm:"column:set_by"`
	SetAt            string `gorm:"column:set_at"`
}

// TableName tells gorm the table.
func (headlineRow) TableName() string { return "survey_settings" }

// SetHeadlineQuestion remembers the question (by code) that the dashboard
// of the survey called surveyName leads with, and records it in the audit
// log; code "" forgets the choice, so that the dashboard leads with the
// survey's overall satisfaction question again. It returns ErrNotFound for
// an unknown survey, or a code that is none of the survey's questions.
func (s *Store) SetHeadlineQuestion(ctx context.Context, surveyName, code string, by analytics.Actor) error {
	code = strings.TrimSpace(code)
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurveyByName(ctx, tx, surveyName)
		if err != nil {
			return fmt.Errorf("survey %q: %w", surveyName, err)
		}
		if code != "" {
			n, err := gorm.G[questionRow](tx).Where("survey_id = ? AND code = ?", survey.ID, code).Count(ctx, "*")
			if err != nil {
				return fmt.Errorf("read the questions of survey %q: %w", survey.Name, err)
			}
			if n == 0 {
				return fmt.Errorf("survey %q has no question %q: %w", survey.Name, code, ErrNotFound)
			}
		}
		row := headlineRow{SurveyID: survey.ID, HeadlineQuestion: code, SetBy: by.Who, SetAt: formatTime(tx.NowFunc())}
		err = tx.WithContext(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "survey_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"headline_question", "set_by", "set_at"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("set the headline question of survey %q: %w", survey.Name, err)
		}
		detail := "dashboard headline: question " + code
		if code == "" {
			detail = "dashboard headline: the overall satisfaction question"
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveySetting, surveyObject(survey), analytics.OutcomeOK, detail))
	})
}

// HeadlineQuestion returns the code of the question the dashboard of
// survey surveyID leads with, as an analyst chose it; "" when none was
// chosen.
func (s *Store) HeadlineQuestion(ctx context.Context, surveyID int64) (string, error) {
	rows, err := gorm.G[headlineRow](s.db).Where("survey_id = ?", surveyID).Find(ctx)
	if err != nil {
		return "", fmt.Errorf("read the headline question of survey %d: %w", surveyID, err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].HeadlineQuestion, nil
}

// SurveyDays returns the London dates ("2024-05-31") of the earliest and
// latest dated response of survey surveyID, "" when none has a date.
func (s *Store) SurveyDays(ctx context.Context, surveyID int64) (first, last string, err error) {
	stats, err := s.responseStats(ctx, []int64{surveyID})
	if err != nil {
		return "", "", fmt.Errorf("survey %d: %w", surveyID, err)
	}
	st := stats[surveyID]
	return st.First.String, st.Last.String, nil
}
