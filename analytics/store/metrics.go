package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// metricRow is a row of metrics.
type metricRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	SurveyID   int64  `gorm:"column:survey_id"`
	Name       string `gorm:"column:name"`
	NameKey    string `gorm:"column:name_key"`
	QuestionID int64  `gorm:"column:question_id"`
	MetricJSON string `gorm:"column:metric_json"`
	CreatedBy  string `gorm:"column:created_by"`
	CreatedAt  string `gorm:"column:created_at"`
	UpdatedAt  string `gorm:"column:updated_at"`
}

// TableName tells gorm the table.
func (metricRow) TableName() string { return "metrics" }

// maxMetricName is the longest name a saved metric may have, in characters.
const maxMetricName = 100

// metricKey folds a metric's name for lookups: lower case, single spaces.
func metricKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// SaveMetric saves metric m with survey surveyID under m.Name, replacing a
// saved metric of the same name (case and spacing ignored). The metric must
// fit its question (m.Question is the question's code; see
// analytics.Metric.Validate), and its name must not be a preset's, so that
// `--metric NAME` means one thing. by records who saved it.
func (s *Store) SaveMetric(ctx context.Context, surveyID int64, m analytics.Metric, by string) error {
	m.Name = strings.Join(strings.Fields(m.Name), " ")
	switch {
	case m.Name == "":
		return errors.New("save metric: give the metric a name")
	case len([]rune(m.Name)) > maxMetricName:
		return fmt.Errorf("save metric: the name %q is longer than %d characters", m.Name, maxMetricName)
	case slices.Contains(analytics.MetricPresets(), metricKey(m.Name)):
		return fmt.Errorf("save metric: %q is the name of a metric preset; choose another name", m.Name)
	}
	qs, _, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return fmt.Errorf("save metric %q: %w", m.Name, err)
	}
	i := slices.IndexFunc(qs, func(q analytics.Question) bool { return q.Code == m.Question })
	if i < 0 {
		return fmt.Errorf("save metric %q: the survey has no question %q", m.Name, m.Question)
	}
	if err := m.Validate(qs[i]); err != nil {
		return fmt.Errorf("save metric %q: %w", m.Name, err)
	}
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("save metric %q: %w", m.Name, err)
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := formatTime(tx.NowFunc())
		row := metricRow{SurveyID: surveyID, Name: m.Name, NameKey: metricKey(m.Name), QuestionID: qs[i].ID,
			MetricJSON: string(data), CreatedBy: by, CreatedAt: now, UpdatedAt: now}
		old, err := gorm.G[metricRow](tx).Where("survey_id = ? AND name_key = ?", surveyID, row.NameKey).Find(ctx)
		if err != nil {
			return fmt.Errorf("save metric %q: %w", m.Name, err)
		}
		if len(old) > 0 {
			row.ID, row.CreatedAt, row.CreatedBy = old[0].ID, old[0].CreatedAt, old[0].CreatedBy
			_, err = gorm.G[metricRow](tx).Where("id = ?", row.ID).
				Select("name", "question_id", "metric_json", "updated_at").Updates(ctx, row)
		} else {
			err = gorm.G[metricRow](tx).Create(ctx, &row)
		}
		if err != nil {
			return fmt.Errorf("save metric %q: %w", m.Name, err)
		}
		return nil
	})
}

// Metrics lists a survey's saved metrics by name.
func (s *Store) Metrics(ctx context.Context, surveyID int64) ([]analytics.Metric, error) {
	rows, err := gorm.G[metricRow](s.db).Where("survey_id = ?", surveyID).Order("name_key").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list metrics of survey %d: %w", surveyID, err)
	}
	list := make([]analytics.Metric, len(rows))
	for i, r := range rows {
		if list[i], err = r.metric(); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Metric returns the survey's saved metric called name (case and spacing
// ignored), or an error wrapping ErrNotFound.
func (s *Store) Metric(ctx context.Context, surveyID int64, name string) (analytics.Metric, error) {
	rows, err := gorm.G[metricRow](s.db).Where("survey_id = ? AND name_key = ?", surveyID, metricKey(name)).Find(ctx)
	if err != nil {
		return analytics.Metric{}, fmt.Errorf("read metric %q: %w", name, err)
	}
	if len(rows) == 0 {
		return analytics.Metric{}, fmt.Errorf("metric %q: %w", name, ErrNotFound)
	}
	return rows[0].metric()
}

// DeleteMetric deletes the survey's saved metric called name, or returns
// an error wrapping ErrNotFound.
func (s *Store) DeleteMetric(ctx context.Context, surveyID int64, name string) error {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	n, err := gorm.G[metricRow](s.db).Where("survey_id = ? AND name_key = ?", surveyID, metricKey(name)).Delete(ctx)
	if err != nil {
		return fmt.Errorf("delete metric %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("metric %q: %w", name, ErrNotFound)
	}
	return nil
}

// metric decodes a saved metric.
func (r metricRow) metric() (analytics.Metric, error) {
	var m analytics.Metric
	if err := json.Unmarshal([]byte(r.MetricJSON), &m); err != nil {
		return analytics.Metric{}, fmt.Errorf("read metric %q: %w", r.Name, err)
	}
	m.Name = r.Name
	return m, nil
}
