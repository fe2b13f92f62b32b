package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// SurveyMember is an account that is a member of a survey: an analyst who
// may change the survey and read its comments.
type SurveyMember struct {
	SurveyID int64              `json:"survey_id"`
	UserID   int64              `json:"user_id"`
	Email    string             `json:"email"`
	Name     string             `json:"name,omitempty"`
	Role     analytics.UserRole `json:"role"`
	Disabled bool               `json:"disabled"`
	// AddedAt is UTC; AddedBy names who added the member, as the audit
	// log does.
	AddedAt time.Time `json:"added_at"`
	AddedBy string    `json:"added_by"`
}

// memberRow is a row of survey_members.
type memberRow struct {
	SurveyID int64  `gorm:"column:survey_id;primaryKey"`
	UserID   int64  `gorm:"column:user_id;primaryKey"`
	AddedAt  string `gorm:"column:added_at"`
	AddedBy  string `gorm:"column:added_by"`
}

// TableName tells gorm the table.
func (memberRow) TableName() string { return "survey_members" }

// AddSurveyMember makes account userID a member of survey surveyID and
// records it in the audit log. A missing survey or account gives an error
// wrapping ErrNotFound, an account already a member one wrapping
// ErrExists; a disabled account is refused.
func (s *Store) AddSurveyMember(ctx context.Context, surveyID, userID int64, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		_, err := addMember(ctx, tx, surveyID, userID, false, by)
		return err
	})
}

// AddFirstSurveyMember makes account userID a member of survey surveyID
// when the survey has no member yet, and reports whether it did: the
// account that creates a survey by an upload becomes its first member.
func (s *Store) AddFirstSurveyMember(ctx context.Context, surveyID, userID int64, by analytics.Actor) (bool, error) {
	added := false
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		added, err = addMember(ctx, tx, surveyID, userID, true, by)
		return err
	})
	return added, err
}

// addMember is AddSurveyMember inside its transaction; onlyFirst adds
// nothing (and reports false) when the survey has members already.
// ErrNotMember is returned when an account that may change only the
// surveys it is a member of asks to change another.
var ErrNotMember = analytics.ErrNotMember

// checkMember applies the membership rule of ImportRequest.Member inside
// the import's transaction.
func checkMember(ctx context.Context, tx *gorm.DB, survey surveyRow, created bool, userID int64, by analytics.Actor) error {
	if userID == 0 {
		return nil
	}
	if created {
		_, err := addMember(ctx, tx, survey.ID, userID, true, by)
		return err
	}
	n, err := gorm.G[memberRow](tx).Where("survey_id = ? AND user_id = ?", survey.ID, userID).Count(ctx, "user_id")
	if err != nil {
		return wrapRead(err, "survey members")
	}
	if n == 0 {
		return fmt.Errorf("survey %q: %w", survey.Name, ErrNotMember)
	}
	return nil
}

func addMember(ctx context.Context, tx *gorm.DB, surveyID, userID int64, onlyFirst bool, by analytics.Actor) (bool, error) {
	survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
	if err != nil {
		return false, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	user, err := findUser(ctx, tx, "id = ?", userID)
	if err != nil {
		return false, err
	}
	if user.Disabled {
		return false, fmt.Errorf("the account %s is disabled: enable it before adding it to a survey", user.Email)
	}
	if onlyFirst {
		n, err := gorm.G[memberRow](tx).Where("survey_id = ?", surveyID).Count(ctx, "user_id")
		if err != nil || n > 0 {
			return false, wrapRead(err, "survey members")
		}
	}
	row := memberRow{SurveyID: surveyID, UserID: userID, AddedAt: formatTime(tx.NowFunc()), AddedBy: by.Who}
	if err := gorm.G[memberRow](tx).Create(ctx, &row); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return false, fmt.Errorf("%s is a member of survey %q: %w", user.Email, survey.Name, ErrExists)
		}
		return false, fmt.Errorf("add %s to survey %q: %w", user.Email, survey.Name, err)
	}
	e := analytics.NewAuditEvent(by, analytics.AuditMemberAdd, surveyObject(survey), analytics.OutcomeOK, userObject(user))
	return true, writeAudit(ctx, tx, e)
}

// RemoveSurveyMember ends account userID's membership of survey surveyID
// and records it in the audit log. An account that is not a member gives
// an error wrapping ErrNotFound.
func (s *Store) RemoveSurveyMember(ctx context.Context, surveyID, userID int64, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		user, err := findUser(ctx, tx, "id = ?", userID)
		if err != nil {
			return err
		}
		n, err := gorm.G[memberRow](tx).Where("survey_id = ? AND user_id = ?", surveyID, userID).Delete(ctx)
		if err != nil {
			return fmt.Errorf("remove %s from survey %q: %w", user.Email, survey.Name, err)
		}
		if n == 0 {
			return fmt.Errorf("%s is not a member of survey %q: %w", user.Email, survey.Name, ErrNotFound)
		}
		e := analytics.NewAuditEvent(by, analytics.AuditMemberRemove, surveyObject(survey), analytics.OutcomeOK, userObject(user))
		return writeAudit(ctx, tx, e)
	})
}

// SurveyMembers lists the members of survey surveyID by email. A missing
// survey gives an error wrapping ErrNotFound.
func (s *Store) SurveyMembers(ctx context.Context, surveyID int64) ([]SurveyMember, error) {
	if _, err := findSurvey(ctx, s.db, "id = ?", surveyID); err != nil {
		return nil, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	var rows []struct {
		SurveyID int64  `gorm:"column:survey_id"`
		UserID   int64  `gorm:"column:user_id"`
		AddedAt  string `gorm:"column:added_at"`
		AddedBy  string `gorm:"column:added_by"`
		Email    string `gorm:"column:email"`
		Name     string `gorm:"column:name"`
		Role     string `gorm:"column:role"`
		Disabled bool   `gorm:"column:disabled"`
	}
	err := s.db.WithContext(ctx).Raw(`SELECT m.survey_id, m.user_id, m.added_at, m.added_by,
		u.email, u.name, u.role, u.disabled
		FROM survey_members m JOIN users u ON u.id = m.user_id
		WHERE m.survey_id = ? ORDER BY u.email`, surveyID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list the members of survey %d: %w", surveyID, err)
	}
	list := make([]SurveyMember, len(rows))
	for i, r := range rows {
		list[i] = SurveyMember{SurveyID: r.SurveyID, UserID: r.UserID, Email: r.Email, Name: r.Name,
			Role: analytics.UserRole(r.Role), Disabled: r.Disabled, AddedAt: parseTime(r.AddedAt), AddedBy: r.AddedBy}
	}
	return list, nil
}

// IsSurveyMember reports whether account userID is a member of survey
// surveyID.
func (s *Store) IsSurveyMember(ctx context.Context, surveyID, userID int64) (bool, error) {
	n, err := gorm.G[memberRow](s.db).Where("survey_id = ? AND user_id = ?", surveyID, userID).Count(ctx, "user_id")
	if err != nil {
		return false, fmt.Errorf("read the members of survey %d: %w", surveyID, err)
	}
	return n > 0, nil
}

// MemberSurveys lists the ids of the surveys account userID is a member
// of, in order.
func (s *Store) MemberSurveys(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw("SELECT survey_id FROM survey_members WHERE user_id = ? ORDER BY survey_id",
		userID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("list the surveys of account %d: %w", userID, err)
	}
	return nonNilIDs(ids), nil
}

// nonNilIDs returns ids, or an empty list for nil.
func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// wrapRead wraps a read error with what was read; nil stays nil.
func wrapRead(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("read %s: %w", what, err)
}
