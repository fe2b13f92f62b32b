package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// MaxRetentionDays is the longest retention period accepted: 100 years.
const MaxRetentionDays = 36500

// ErrNoRetention is returned when purging a survey that has no retention
// period.
var ErrNoRetention = errors.New("the survey has no retention period: set one first")

// Retention is how long a survey keeps its responses.
type Retention struct {
	SurveyID int64  `json:"survey_id"`
	Survey   string `json:"survey"`
	// Days is the retention period; 0 keeps responses until they are
	// deleted.
	Days  int       `json:"days"`
	SetBy string    `json:"set_by,omitempty"`
	SetAt time.Time `json:"set_at,omitzero"`
}

// retentionRow is a row of retention.
type retentionRow struct {
	SurveyID int64  `gorm:"column:survey_id;primaryKey"`
	Days     int    `gorm:"column:days"`
	SetBy    string `gorm:"column:set_by"`
	SetAt    string `gorm:"column:set_at"`
}

// TableName tells gorm the table.
func (retentionRow) TableName() string { return "retention" }

// SetRetention sets how many days survey surveyID keeps its responses (0:
// until deleted) and records it in the audit log. Nothing is deleted until
// Purge runs.
func (s *Store) SetRetention(ctx context.Context, surveyID int64, days int, by analytics.Actor) error {
	if days < 0 || days > MaxRetentionDays {
		return fmt.Errorf("a retention period is from 1 to %d days, or 0 to keep responses until deleted", MaxRetentionDays)
	}
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		if _, err := gorm.G[retentionRow](tx).Where("survey_id = ?", surveyID).Delete(ctx); err != nil {
			return fmt.Errorf("set retention of survey %q: %w", survey.Name, err)
		}
		detail := "keep until deleted"
		if days > 0 {
			row := retentionRow{SurveyID: surveyID, Days: days, SetBy: by.Who, SetAt: formatTime(tx.NowFunc())}
			if err := gorm.G[retentionRow](tx).Create(ctx, &row); err != nil {
				return fmt.Errorf("set retention of survey %q: %w", survey.Name, err)
			}
			detail = fmt.Sprintf("keep %d days", days)
		}
		e := analytics.NewAuditEvent(by, analytics.AuditRetentionSet, surveyObject(survey), analytics.OutcomeOK, detail)
		return writeAudit(ctx, tx, e)
	})
}

// surveyObject names a survey in the audit log.
func surveyObject(r surveyRow) string { return fmt.Sprintf("survey %d %q", r.ID, r.Name) }

// Retentions lists every survey, by name, with its retention period.
func (s *Store) Retentions(ctx context.Context) ([]Retention, error) {
	var rows []struct {
		SurveyID int64   `gorm:"column:survey_id"`
		Survey   string  `gorm:"column:survey"`
		Days     *int    `gorm:"column:days"`
		SetBy    *string `gorm:"column:set_by"`
		SetAt    *string `gorm:"column:set_at"`
	}
	err := s.db.WithContext(ctx).Raw(`SELECT s.id AS survey_id, s.name AS survey, r.days, r.set_by, r.set_at
		FROM surveys s LEFT JOIN retention r ON r.survey_id = s.id ORDER BY s.name, s.id`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list retention periods: %w", err)
	}
	list := make([]Retention, len(rows))
	for i, r := range rows {
		list[i] = Retention{SurveyID: r.SurveyID, Survey: r.Survey}
		if r.Days != nil {
			list[i].Days, list[i].SetBy, list[i].SetAt = *r.Days, deref(r.SetBy), parseTime(deref(r.SetAt))
		}
	}
	return list, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// PurgeRequest says which surveys' old responses to delete.
type PurgeRequest struct {
	// SurveyID purges one survey; 0 purges every survey with a retention
	// period.
	SurveyID int64
	// Now is the time the retention periods count back from; zero means
	// the current time.
	Now time.Time
	// DryRun counts what would be deleted and deletes nothing.
	DryRun bool
}

// Purged is what Purge deleted (or would delete) from one survey.
type Purged struct {
	SurveyID int64  `json:"survey_id"`
	Survey   string `json:"survey"`
	Days     int    `json:"days"`
	// Cutoff is the time before which responses are deleted.
	Cutoff    time.Time `json:"cutoff"`
	Responses int64     `json:"responses"`
}

// Purge deletes the responses older than their survey's retention period:
// those submitted before the cutoff, and those without a submitted date
// whose import is older than the cutoff. It deletes the answer counts kept
// for the imports it touches, so reports count what is left; the imports'
// records stay, as history. Each survey that loses responses gets an audit
// event; all of it is one transaction. A survey asked for by id without a
// retention period is an error.
func (s *Store) Purge(ctx context.Context, req PurgeRequest, by analytics.Actor) ([]Purged, error) {
	now := req.Now
	if now.IsZero() {
		now = s.db.NowFunc()
	}
	if req.DryRun {
		// A read: no transaction, which would take the write lock.
		return purgeAll(ctx, s.db.WithContext(ctx), req.SurveyID, now, true, by)
	}
	var list []Purged
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		list, err = purgeAll(ctx, tx, req.SurveyID, now, false, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// purgeAll is Purge through db, a transaction unless dryRun.
func purgeAll(ctx context.Context, db *gorm.DB, surveyID int64, now time.Time, dryRun bool, by analytics.Actor) ([]Purged, error) {
	plans, err := purgePlans(ctx, db, surveyID, now)
	if err != nil {
		return nil, err
	}
	for i := range plans {
		if err := purgeSurvey(ctx, db, &plans[i], dryRun, by); err != nil {
			return nil, fmt.Errorf("purge survey %q: %w", plans[i].Survey, err)
		}
	}
	return plans, nil
}

// purgePlans lists the surveys to purge with their cutoffs.
func purgePlans(ctx context.Context, tx *gorm.DB, surveyID int64, now time.Time) ([]Purged, error) {
	var rows []struct {
		SurveyID int64  `gorm:"column:survey_id"`
		Survey   string `gorm:"column:survey"`
		Days     int    `gorm:"column:days"`
	}
	q := "SELECT r.survey_id, s.name AS survey, r.days FROM retention r JOIN surveys s ON s.id = r.survey_id"
	args := []any{}
	if surveyID != 0 {
		if _, err := findSurvey(ctx, tx, "id = ?", surveyID); err != nil {
			return nil, fmt.Errorf("survey %d: %w", surveyID, err)
		}
		q, args = q+" WHERE r.survey_id = ?", append(args, surveyID)
	}
	if err := tx.Raw(q+" ORDER BY s.name", args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read retention periods: %w", err)
	}
	if surveyID != 0 && len(rows) == 0 {
		return nil, fmt.Errorf("survey %d: %w", surveyID, ErrNoRetention)
	}
	plans := make([]Purged, len(rows))
	for i, r := range rows {
		plans[i] = Purged{SurveyID: r.SurveyID, Survey: r.Survey, Days: r.Days, Cutoff: now.UTC().AddDate(0, 0, -r.Days)}
	}
	return plans, nil
}

// purgeSurvey deletes (or, in a dry run, counts) one survey's responses
// older than p.Cutoff and sets p.Responses.
func purgeSurvey(ctx context.Context, tx *gorm.DB, p *Purged, dryRun bool, by analytics.Actor) error {
	table := responseTable(p.SurveyID)
	if !tx.Migrator().HasTable(table) {
		return nil
	}
	cutoff := formatTime(p.Cutoff)
	cond := " WHERE submitted_at < ? OR (submitted_at IS NULL AND import_id IN (SELECT id FROM imports WHERE at < ?))"
	var purged []struct {
		ImportID int64 `gorm:"column:import_id"`
		N        int64 `gorm:"column:n"`
	}
	if err := tx.Raw("SELECT import_id, COUNT(*) AS n FROM "+quote(table)+cond+" GROUP BY import_id", cutoff, cutoff).Scan(&purged).Error; err != nil {
		return err
	}
	imports := make([]int64, len(purged))
	for i, c := range purged {
		imports[i] = c.ImportID
	}
	if dryRun {
		for _, c := range purged {
			p.Responses += c.N
		}
		return nil
	}
	if err := forgetCounts(ctx, tx, imports); err != nil {
		return err
	}
	// The survey's count of responses is its imports' added less purged.
	for _, c := range purged {
		if err := tx.Exec("UPDATE imports SET purged = purged + ? WHERE id = ?", c.N, c.ImportID).Error; err != nil {
			return err
		}
	}
	if err := forgetCommentThemes(ctx, tx, p.SurveyID, "SELECT id FROM "+quote(table)+cond, cutoff, cutoff); err != nil {
		return err
	}
	res := tx.Exec("DELETE FROM "+quote(table)+cond, cutoff, cutoff)
	if res.Error != nil {
		return res.Error
	}
	if p.Responses = res.RowsAffected; p.Responses == 0 {
		return nil
	}
	object := fmt.Sprintf("survey %d %q", p.SurveyID, p.Survey)
	detail := fmt.Sprintf("%d responses from before %s deleted (kept %d days)", p.Responses, cutoff, p.Days)
	return writeAudit(ctx, tx, analytics.NewAuditEvent(by, analytics.AuditRetentionPurge, object, analytics.OutcomeOK, detail))
}
