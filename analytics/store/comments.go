package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
)

// DefaultCommentLimit is the number of comments a page of Comments holds
// when the query sets no limit.
const DefaultCommentLimit = 50

// maxCommentLimit bounds a page of comments.
const maxCommentLimit = 500

// CommentQuery asks for a page of a survey's free-text answers.
type CommentQuery struct {
	// Question is the stored ID of a text question; 0 reads every text
	// question of the survey.
	Question int64
	// From and To keep the answers of responses submitted on or after
	// From and on or before To, London dates written "2024-04-01"; "" leaves
	// that end open. Either one leaves out the responses that have no date.
	From, To string
	// Where keeps the responses that pass every filter.
	Where []Filter
	// Theme keeps the comments that have this theme ("" any), and
	// Sentiment those of this sentiment ("" any: themes.Positive,
	// themes.Mixed or themes.Negative), under the survey's theme model.
	Theme, Sentiment string
	// Limit is the page's size (DefaultCommentLimit when 0); Offset is the
	// number of comments skipped before it.
	Limit, Offset int
}

// Comment is one free-text answer with the response it belongs to.
type Comment struct {
	// ResponseID is the response's row in the survey's response table.
	ResponseID int64
	// Question is the stored ID of the text question answered.
	Question int64
	Text     string
	// Submitted is when the response was submitted (UTC), zero when the
	// file gave no date.
	Submitted time.Time
	// Dimensions are the response's dimension values, in the order of the
	// survey's dimensions ("" for none).
	Dimensions []string
	// Themes are the comment's themes under the survey's theme model: nil
	// while it has not been classified yet, empty when it says nothing
	// ("N/A", "none") or has no theme. Sentiment is themes.Positive,
	// themes.Mixed, themes.Negative or "" (none yet, or a model without
	// sentiment). Corrected reports that an analyst set them.
	Themes    []string
	Sentiment string
	Corrected bool
}

// Comments returns a page of a survey's non-empty free-text answers,
// newest first (undated ones last), and how many there are in all under
// the query's filters. Partial responses are included: a comment left
// before giving up is still a comment. Identifiers in the SQL are made
// from stored IDs only and every value is a bound parameter. A question
// that is not one of the survey's text questions, or a filter on a column
// the survey lacks, is an error.
func (s *Store) Comments(ctx context.Context, surveyID int64, q CommentQuery) ([]Comment, int, error) {
	qs, ds, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, 0, err
	}
	model, ok, err := currentModel(ctx, s.db, surveyID)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		model.ID = -1 // nothing classified yet
	}
	union, args, err := commentSQL(surveyID, model.ID, qs, ds, q)
	if err != nil {
		return nil, 0, fmt.Errorf("read comments of survey %d: %w", surveyID, err)
	}
	if union == "" || !s.db.WithContext(ctx).Migrator().HasTable(responseTable(surveyID)) {
		return []Comment{}, 0, nil
	}
	db, err := s.db.DB()
	if err != nil {
		return nil, 0, fmt.Errorf("read comments of survey %d: %w", surveyID, err)
	}
	var total int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+union+") u", args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count comments of survey %d: %w", surveyID, err)
	}
	limit := q.Limit
	if limit <= 0 || limit > maxCommentLimit {
		limit = DefaultCommentLimit
	}
	page := "SELECT * FROM (" + union + ") u ORDER BY submitted_at IS NULL, submitted_at DESC, id DESC, pos LIMIT ? OFFSET ?"
	list, err := scanComments(ctx, db, page, append(args, limit, max(q.Offset, 0)), len(ds))
	if err != nil {
		return nil, 0, fmt.Errorf("read comments of survey %d: %w", surveyID, err)
	}
	return list, total, nil
}

// commentSQL writes the union of one SELECT per text question asked for,
// each giving id, submitted_at, the question's ID, its position, the
// answer, its themes, sentiment and corrected flag from the theme model
// modelID (NULL when it has none) and the dimension columns, and the
// union's arguments. It is "" when the survey has no text question.
func commentSQL(surveyID, modelID int64, qs []analytics.Question, ds []analytics.Dimension, q CommentQuery) (string, []any, error) {
	var texts []analytics.Question
	for _, question := range qs {
		if question.Kind == analytics.KindText && (q.Question == 0 || question.ID == q.Question) {
			texts = append(texts, question)
		}
	}
	if q.Question != 0 && len(texts) == 0 {
		return "", nil, fmt.Errorf("the survey has no text question %d", q.Question)
	}
	var conds []string
	var condArgs []any
	if q.From != "" {
		conds, condArgs = append(conds, "day >= ?"), append(condArgs, q.From)
	}
	if q.To != "" {
		conds, condArgs = append(conds, "day <= ?"), append(condArgs, q.To)
	}
	for _, f := range q.Where {
		cond, args, err := filterSQL(qs, ds, f)
		if err != nil {
			return "", nil, err
		}
		conds, condArgs = append(conds, cond), append(condArgs, args...)
	}
	if q.Theme != "" {
		conds, condArgs = append(conds, `ct.themes LIKE ? ESCAPE '\'`), append(condArgs, themeLike(q.Theme))
	}
	if q.Sentiment != "" {
		conds, condArgs = append(conds, "ct.sentiment = ?"), append(condArgs, q.Sentiment)
	}
	dims := ""
	for _, d := range ds {
		dims += ", r." + quote(dimensionColumn(d.ID))
	}
	var parts []string
	var args []any
	for pos, question := range texts {
		col := "r." + quote(questionColumn(question.ID))
		where := append([]string{col + " IS NOT NULL", "TRIM(" + col + ") <> ''"}, conds...)
		parts = append(parts, fmt.Sprintf("SELECT r.id AS id, r.submitted_at AS submitted_at, %d AS question_id, %d AS pos, "+
			"%s AS body, ct.themes AS themes, ct.sentiment AS sentiment, ct.corrected AS corrected%s FROM %s r "+
			"LEFT JOIN comment_themes ct ON ct.survey_id = %d AND ct.question_id = %d AND ct.response_id = r.id AND ct.model_id = ? "+
			"WHERE %s", question.ID, pos, col, dims, quote(responseTable(surveyID)), surveyID, question.ID, strings.Join(where, " AND ")))
		args = append(append(args, modelID), condArgs...)
	}
	return strings.Join(parts, " UNION ALL "), args, nil
}

// scanComments runs a page's query and reads its rows.
func scanComments(ctx context.Context, db *sql.DB, query string, args []any, dims int) ([]Comment, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []Comment{}
	for rows.Next() {
		var c Comment
		var submitted, themes, sentiment sql.NullString
		var corrected sql.NullInt64
		var pos int
		values := make([]sql.NullString, dims)
		dest := []any{&c.ResponseID, &submitted, &c.Question, &pos, &c.Text, &themes, &sentiment, &corrected}
		for i := range values {
			dest = append(dest, &values[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if submitted.Valid {
			c.Submitted = parseTime(submitted.String)
		}
		if themes.Valid {
			c.Themes, c.Sentiment, c.Corrected = decodeThemes(themes.String), sentiment.String, corrected.Int64 == 1
		}
		c.Dimensions = make([]string, dims)
		for i, v := range values {
			c.Dimensions[i] = v.String
		}
		list = append(list, c)
	}
	return list, rows.Err()
}
