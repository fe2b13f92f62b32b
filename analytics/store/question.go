package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// questionRow is a row of questions.
type questionRow struct {
	ID        int64  `gorm:"column:id;primaryKey"`
	SurveyID  int64  `gorm:"column:survey_id"`
	Code      string `gorm:"column:code"`
	Text      string `gorm:"column:text"`
	Kind      string `gorm:"column:kind"`
	Scale     string `gorm:"column:scale"`
	Separator string `gorm:"column:separator"`
	Position  int    `gorm:"column:position"`
	TagsJSON  string `gorm:"column:tags_json"`
}

// TableName tells gorm the table.
func (questionRow) TableName() string { return "questions" }

// optionRow is a row of options.
type optionRow struct {
	QuestionID int64   `gorm:"column:question_id;primaryKey;autoIncrement:false"`
	Position   int     `gorm:"column:position;primaryKey;autoIncrement:false"`
	Label      string  `gorm:"column:label"`
	Code       string  `gorm:"column:code"`
	Score      float64 `gorm:"column:score"`
	Polarity   string  `gorm:"column:polarity"`
}

// TableName tells gorm the table.
func (optionRow) TableName() string { return "options" }

// dimensionRow is a row of dimensions.
type dimensionRow struct {
	ID       int64  `gorm:"column:id;primaryKey"`
	SurveyID int64  `gorm:"column:survey_id"`
	Code     string `gorm:"column:code"`
	Name     string `gorm:"column:name"`
	Kind     string `gorm:"column:kind"`
	Position int    `gorm:"column:position"`
}

// TableName tells gorm the table.
func (dimensionRow) TableName() string { return "dimensions" }

// Questions returns a survey's questions (with their options) and
// dimensions in their stored order. A survey without any gives empty lists.
func (s *Store) Questions(ctx context.Context, surveyID int64) ([]analytics.Question, []analytics.Dimension, error) {
	return loadQuestions(ctx, s.db, surveyID)
}

// loadQuestions reads a survey's questions, options and dimensions in
// three queries.
func loadQuestions(ctx context.Context, db *gorm.DB, surveyID int64) ([]analytics.Question, []analytics.Dimension, error) {
	qrows, err := gorm.G[questionRow](db).Where("survey_id = ?", surveyID).Order("position").Find(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read questions of survey %d: %w", surveyID, err)
	}
	var orows []optionRow
	err = db.WithContext(ctx).Raw(`SELECT o.question_id, o.position, o.label, o.code, o.score, o.polarity
		FROM options o JOIN questions q ON q.id = o.question_id
		WHERE q.survey_id = ? ORDER BY o.question_id, o.position`, surveyID).Scan(&orows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("read options of survey %d: %w", surveyID, err)
	}
	options := make(map[int64][]analytics.Option, len(qrows))
	for _, o := range orows {
		options[o.QuestionID] = append(options[o.QuestionID], analytics.Option{
			Label: o.Label, Code: o.Code, Score: o.Score, Polarity: analytics.Polarity(o.Polarity),
		})
	}
	questions := make([]analytics.Question, len(qrows))
	for i, r := range qrows {
		var tags []string
		if err := json.Unmarshal([]byte(r.TagsJSON), &tags); err != nil {
			return nil, nil, fmt.Errorf("read tags of question %q: %w", r.Code, err)
		}
		if len(tags) == 0 {
			tags = nil
		}
		questions[i] = analytics.Question{
			ID: r.ID, Code: r.Code, Text: r.Text, Kind: analytics.Kind(r.Kind), Scale: r.Scale,
			Options: options[r.ID], Separator: r.Separator, Tags: tags,
		}
	}
	drows, err := gorm.G[dimensionRow](db).Where("survey_id = ?", surveyID).Order("position").Find(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read dimensions of survey %d: %w", surveyID, err)
	}
	dims := make([]analytics.Dimension, len(drows))
	for i, r := range drows {
		dims[i] = analytics.Dimension{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind}
	}
	return questions, dims, nil
}

// createQuestion stores a new question of a survey at position, with its
// options, and sets q.ID.
func createQuestion(ctx context.Context, tx *gorm.DB, surveyID int64, position int, q *analytics.Question) error {
	tags, err := json.Marshal(nonNil(q.Tags))
	if err != nil {
		return fmt.Errorf("question %q: encode tags: %w", q.Code, err)
	}
	row := questionRow{
		SurveyID: surveyID, Code: q.Code, Text: q.Text, Kind: string(q.Kind), Scale: q.Scale,
		Separator: q.Separator, Position: position, TagsJSON: string(tags),
	}
	if err := gorm.G[questionRow](tx).Create(ctx, &row); err != nil {
		return fmt.Errorf("store question %q: %w", q.Code, err)
	}
	q.ID = row.ID
	return addOptions(ctx, tx, q.ID, 0, q.Options)
}

// addOptions stores options of a question from position first on.
func addOptions(ctx context.Context, tx *gorm.DB, questionID int64, first int, opts []analytics.Option) error {
	if len(opts) == 0 {
		return nil
	}
	rows := make([]optionRow, len(opts))
	for i, o := range opts {
		rows[i] = optionRow{
			QuestionID: questionID, Position: first + i, Label: o.Label, Code: o.Code,
			Score: o.Score, Polarity: string(o.Polarity),
		}
	}
	if err := gorm.G[optionRow](tx).CreateInBatches(ctx, &rows, 500); err != nil {
		return fmt.Errorf("store options of question %d: %w", questionID, err)
	}
	return nil
}

// setTags replaces a stored question's tags.
func setTags(ctx context.Context, tx *gorm.DB, questionID int64, tags []string) error {
	data, err := json.Marshal(nonNil(tags))
	if err != nil {
		return fmt.Errorf("encode tags: %w", err)
	}
	if _, err := gorm.G[questionRow](tx).Where("id = ?", questionID).Update(ctx, "tags_json", string(data)); err != nil {
		return fmt.Errorf("store tags of question %d: %w", questionID, err)
	}
	return nil
}

// createDimension stores a new dimension of a survey at position and sets
// d.ID.
func createDimension(ctx context.Context, tx *gorm.DB, surveyID int64, position int, d *analytics.Dimension) error {
	row := dimensionRow{SurveyID: surveyID, Code: d.Code, Name: d.Name, Kind: d.Kind, Position: position}
	if err := gorm.G[dimensionRow](tx).Create(ctx, &row); err != nil {
		return fmt.Errorf("store dimension %q: %w", d.Code, err)
	}
	d.ID = row.ID
	return nil
}

// nonNil makes a nil list encode as [] rather than null.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
