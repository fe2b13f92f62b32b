package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heard-council/heard/analytics"
)

// publicationRow is the board publication columns of survey_settings.
type publicationRow struct {
	SurveyID         int64  `gorm:"column:survey_id;primaryKey"`
	DisclosurePolicy string `gorm:"column:disclosure_policy"`
	BoardPeriod      string `gorm:"column:board_period"`
	SetBy            string `gorm:"column:set_by"`
	SetAt            string `gorm:"column:set_at"`
}

// TableName tells gorm the table.
func (publicationRow) TableName() string { return "survey_settings" }

// SetPublication sets what the survey called surveyName publishes to its
// board (its disclosure policy and period kind) and records it in the audit
// log. It returns ErrNotFound for an unknown survey.
func (s *Store) SetPublication(ctx context.Context, surveyName string, p analytics.Publication, by analytics.Actor) error {
	if _, err := analytics.ParsePolicy(string(p.Policy)); err != nil || p.Policy == "" {
		return fmt.Errorf("set the publication of survey %q: policy %q is not known", surveyName, p.Policy)
	}
	if _, err := analytics.ParsePeriodKind(string(p.Period)); err != nil {
		return fmt.Errorf("set the publication of survey %q: %w", surveyName, err)
	}
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurvey(ctx, tx, "name = ?", strings.TrimSpace(surveyName))
		if err != nil {
			return fmt.Errorf("survey %q: %w", surveyName, err)
		}
		row := publicationRow{SurveyID: survey.ID, DisclosurePolicy: string(p.Policy), BoardPeriod: string(p.Period),
			SetBy: by.Who, SetAt: formatTime(tx.NowFunc())}
		err = tx.WithContext(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "survey_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"disclosure_policy", "board_period", "set_by", "set_at"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("set the publication of survey %q: %w", survey.Name, err)
		}
		detail := fmt.Sprintf("board outputs under disclosure policy %s, by %s", p.Policy, p.Period)
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveySetting, surveyObject(survey), analytics.OutcomeOK, detail))
	})
}

// Publication returns what the survey with id surveyID publishes to its
// board: analytics.DefaultPublication until an admin sets it.
func (s *Store) Publication(ctx context.Context, surveyID int64) (analytics.Publication, error) {
	rows, err := gorm.G[publicationRow](s.db).Where("survey_id = ?", surveyID).Find(ctx)
	if err != nil {
		return analytics.Publication{}, fmt.Errorf("read the publication of survey %d: %w", surveyID, err)
	}
	out := analytics.DefaultPublication()
	if len(rows) == 0 {
		return out, nil
	}
	policy, err := analytics.ParsePolicy(rows[0].DisclosurePolicy)
	if err != nil {
		return analytics.Publication{}, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	period, err := analytics.ParsePeriodKind(rows[0].BoardPeriod)
	if err != nil {
		return analytics.Publication{}, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	out.Policy, out.Period = policy, period
	return out, nil
}
