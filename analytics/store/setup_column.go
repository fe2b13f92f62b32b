package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// ColumnKind is what an analyst makes a column of a survey.
type ColumnKind string

// The column kinds an analyst chooses between.
const (
	// ColumnQuestion is a single-choice question whose options are the
	// column's answers (a scale once their polarity is set).
	ColumnQuestion ColumnKind = "question"
	// ColumnDimension describes the respondent or the service, for
	// breakdowns, filters and the equality page.
	ColumnDimension ColumnKind = "dimension"
	// ColumnText is free text, shown to staff only.
	ColumnText ColumnKind = "text"
	// ColumnIgnore is not kept: its answers are deleted.
	ColumnIgnore ColumnKind = "ignore"
)

// ParseColumnKind reads a column kind as people write it.
func ParseColumnKind(s string) (ColumnKind, error) {
	switch k := ColumnKind(strings.ToLower(strings.TrimSpace(s))); k {
	case ColumnQuestion, ColumnDimension, ColumnText, ColumnIgnore:
		return k, nil
	case "ignored":
		return ColumnIgnore, nil
	case "free text", "free-text":
		return ColumnText, nil
	}
	return "", analytics.ParamErrorf(fmt.Sprintf("%q is not a kind of column: use question, dimension, text or ignore", s))
}

// maxOptions is the most answers a column made a question may have.
const maxOptions = 60

// ColumnKindOf says what a stored question or dimension is as a ColumnKind.
func ColumnKindOf(q *analytics.Question) ColumnKind {
	switch {
	case q == nil:
		return ColumnDimension
	case q.Kind == analytics.KindText:
		return ColumnText
	}
	return ColumnQuestion
}

// ValueCount is one answer of a column and how many responses gave it.
type ValueCount struct {
	Value string
	N     int64
}

// column is a stored question or dimension being changed, with the SQL
// expression that reads its answers as text.
type column struct {
	survey   surveyRow
	question *analytics.Question
	dim      *analytics.Dimension
	name     string // its column in the response table
	expr     string
	args     []any
	position int
	text     string
}

// findColumn finds code among a survey's questions and dimensions and
// works out how to read its answers as text.
func findColumn(ctx context.Context, tx *gorm.DB, surveyID int64, code string) (column, error) {
	row, err := findSurvey(ctx, tx, "id = ?", surveyID)
	if err != nil {
		return column{}, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	qs, ds, err := loadQuestions(ctx, tx, row.ID)
	if err != nil {
		return column{}, err
	}
	c := column{survey: row}
	if q, ok := questionByCode(qs, code); ok {
		c.question, c.name, c.text = &q, questionColumn(q.ID), q.Text
		var pos sql.NullInt64
		if err := tx.WithContext(ctx).Raw("SELECT position FROM questions WHERE id = ?", q.ID).Scan(&pos).Error; err != nil {
			return column{}, fmt.Errorf("read question %q: %w", code, err)
		}
		c.position = int(pos.Int64)
		switch q.Kind {
		case analytics.KindScale, analytics.KindSingle:
			var b strings.Builder
			b.WriteString("CASE " + quote(c.name))
			for i, o := range q.Options {
				fmt.Fprintf(&b, " WHEN %d THEN ?", i)
				c.args = append(c.args, o.Label)
			}
			b.WriteString(" END")
			c.expr = b.String()
		case analytics.KindNumber:
			c.expr = "CAST(" + quote(c.name) + " AS TEXT)"
		case analytics.KindMulti:
			c.expr = ""
		default:
			c.expr = quote(c.name)
		}
		return c, nil
	}
	if d, ok := dimensionByCode(ds, code); ok {
		c.dim, c.name, c.expr, c.text = &d, dimensionColumn(d.ID), quote(dimensionColumn(d.ID)), d.Name
		return c, nil
	}
	return column{}, analytics.NotFound(fmt.Sprintf("survey %q has no question or dimension %q", row.Name, code))
}

// kind is what the column is now.
func (c column) kind() ColumnKind {
	if c.dim != nil {
		return ColumnDimension
	}
	return ColumnKindOf(c.question)
}

// values returns the column's distinct non-blank answers as text with
// their counts, most frequent first, at most limit+1 of them.
func (c column) values(ctx context.Context, tx *gorm.DB, limit int) ([]ValueCount, error) {
	table := responseTable(c.survey.ID)
	if c.expr == "" || !tx.Migrator().HasTable(table) {
		return nil, nil
	}
	var rows []struct {
		Value string `gorm:"column:value"`
		N     int64  `gorm:"column:n"`
	}
	q := fmt.Sprintf("SELECT v AS value, COUNT(*) AS n FROM (SELECT TRIM(%s) AS v FROM %s) u WHERE v IS NOT NULL AND v <> '' "+
		"GROUP BY v ORDER BY n DESC, v LIMIT %d", c.expr, quote(table), limit+1)
	if err := tx.WithContext(ctx).Raw(q, c.args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read the answers of %q: %w", c.text, err)
	}
	out := make([]ValueCount, len(rows))
	for i, r := range rows {
		out[i] = ValueCount{Value: r.Value, N: r.N}
	}
	return out, nil
}

// check refuses a change the column's answers do not allow, and returns
// the answers a question or dimension would be made of.
func (c column) check(ctx context.Context, tx *gorm.DB, to ColumnKind) ([]ValueCount, error) {
	if c.kind() == to {
		return nil, analytics.ParamErrorf(fmt.Sprintf("%q is a %s already", c.text, to))
	}
	if c.expr == "" && to != ColumnIgnore {
		return nil, analytics.ParamErrorf(fmt.Sprintf("%q is a multiple-choice question: it can only be ignored here", c.text))
	}
	vals, err := c.values(ctx, tx, maxOptions)
	if err != nil || to == ColumnText || to == ColumnIgnore {
		return vals, err
	}
	if len(vals) > maxOptions {
		return nil, analytics.ParamErrorf(fmt.Sprintf("%q has more than %d different answers, too many to be a %s: make it free text",
			c.text, maxOptions, to))
	}
	for _, v := range vals {
		if analytics.ReadsAsWritten(v.Value) {
			return nil, analytics.ParamErrorf(fmt.Sprintf("the answers to %q read like sentences people wrote (%q): written answers stay free text",
				c.text, clipRunes(v.Value, 40)))
		}
	}
	return vals, nil
}

// PreviewColumn returns the answers a column would be made of as a
// question or dimension (most frequent first), or the error SetColumnKind
// would give. Nothing is stored.
func (s *Store) PreviewColumn(ctx context.Context, surveyID int64, code string, to ColumnKind) ([]ValueCount, error) {
	c, err := findColumn(ctx, s.db, surveyID, code)
	if err != nil {
		return nil, err
	}
	return c.check(ctx, s.db, to)
}

// SetColumnKind makes a survey's question or dimension another kind of
// column, converting its stored answers in one transaction: a question or
// dimension's answers become the options of a single-choice question, the
// groups of a dimension or free text; an ignored column's answers are
// deleted. Metrics and kept counts of the old question go with it. The
// saved mapping follows, so that the next file's column of the same header
// is read the new way.
func (s *Store) SetColumnKind(ctx context.Context, surveyID int64, code string, to ColumnKind, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		c, err := findColumn(ctx, tx, surveyID, code)
		if err != nil {
			return err
		}
		vals, err := c.check(ctx, tx, to)
		if err != nil {
			return err
		}
		// Free the code, then create what the column becomes. The code
		// held meanwhile starts with a control character no real code has
		// (\x01, not NUL: PostgreSQL's text cannot hold NUL).
		if c.question != nil {
			err = tx.WithContext(ctx).Exec("UPDATE questions SET code = ? WHERE id = ?", fmt.Sprintf("\x01old %d", c.question.ID), c.question.ID).Error
		} else {
			err = tx.WithContext(ctx).Exec("UPDATE dimensions SET code = ? WHERE id = ?", fmt.Sprintf("\x01old %d", c.dim.ID), c.dim.ID).Error
		}
		if err != nil {
			return fmt.Errorf("change column %q: %w", code, err)
		}
		if err := c.create(ctx, tx, code, to, vals); err != nil {
			return err
		}
		if err := c.drop(ctx, tx); err != nil {
			return err
		}
		role := analytics.RoleQuestion
		switch to {
		case ColumnDimension:
			role = analytics.RoleDimension
		case ColumnIgnore:
			role = analytics.RoleIgnore
		}
		if err := updateMappingColumn(ctx, tx, c.survey, code, role); err != nil {
			return err
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditSurveyColumn, surveyObject(c.survey), analytics.OutcomeOK,
			fmt.Sprintf("%s %q: %s made %s", code, c.text, c.kind(), to)))
	})
}

// create stores what the column becomes and fills its answers.
func (c column) create(ctx context.Context, tx *gorm.DB, code string, to ColumnKind, vals []ValueCount) error {
	if to == ColumnIgnore {
		return nil
	}
	qs, ds, err := loadQuestions(ctx, tx, c.survey.ID)
	if err != nil {
		return err
	}
	table := responseTable(c.survey.ID)
	hasTable := tx.Migrator().HasTable(table)
	var target, typ, expr string
	args := c.args
	if to == ColumnDimension {
		d := analytics.Dimension{Code: code, Name: c.text, Kind: "other"}
		if err := createDimension(ctx, tx, c.survey.ID, len(ds), &d); err != nil {
			return err
		}
		target, typ, expr = dimensionColumn(d.ID), "TEXT", "NULLIF(TRIM("+c.expr+"), '')"
	} else {
		q := analytics.Question{Code: code, Text: c.text, Kind: analytics.KindText}
		typ, expr = "TEXT", "NULLIF(TRIM("+c.expr+"), '')"
		if to == ColumnQuestion {
			q.Kind, typ = analytics.KindSingle, "INTEGER"
			var b strings.Builder
			b.WriteString("CASE TRIM(" + c.expr + ")")
			args = append([]any(nil), c.args...)
			for i, v := range vals {
				q.Options = append(q.Options, analytics.Option{Label: v.Value, Score: float64(len(vals) - i)})
				fmt.Fprintf(&b, " WHEN ? THEN %d", i)
				args = append(args, v.Value)
			}
			b.WriteString(" END")
			expr = b.String()
		}
		position := len(qs)
		if c.question != nil {
			position = c.position
		}
		if err := createQuestion(ctx, tx, c.survey.ID, position, &q); err != nil {
			return err
		}
		target = questionColumn(q.ID)
	}
	if !hasTable {
		return nil
	}
	if err := tx.WithContext(ctx).Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quote(table), quote(target), typ)).Error; err != nil {
		return fmt.Errorf("change column %q: %w", code, err)
	}
	if err := tx.WithContext(ctx).Exec(fmt.Sprintf("UPDATE %s SET %s = %s", quote(table), quote(target), expr), args...).Error; err != nil {
		return fmt.Errorf("change column %q: copy its answers: %w", code, err)
	}
	return nil
}

// drop deletes the old question or dimension with its answers; its
// metrics and kept counts go with it.
func (c column) drop(ctx context.Context, tx *gorm.DB) error {
	var err error
	if c.question != nil {
		err = tx.WithContext(ctx).Exec("DELETE FROM questions WHERE id = ?", c.question.ID).Error
	} else {
		err = tx.WithContext(ctx).Exec("DELETE FROM dimensions WHERE id = ?", c.dim.ID).Error
	}
	if err != nil {
		return fmt.Errorf("change column %q: %w", c.text, err)
	}
	// Counts kept by the old column go with it too: a question or
	// dimension made later may be given its ID, and so its column's name.
	for _, table := range []string{"report_counts", "report_counted"} {
		err := tx.WithContext(ctx).Exec("DELETE FROM "+table+" WHERE breakdown = ? OR breakdown LIKE ? OR breakdown LIKE ? OR breakdown LIKE ?",
			c.name, c.name+",%", "%,"+c.name, "%,"+c.name+",%").Error
		if err != nil {
			return fmt.Errorf("change column %q: %w", c.text, err)
		}
	}
	table := responseTable(c.survey.ID)
	if !tx.Migrator().HasTable(table) {
		return nil
	}
	if err := tx.WithContext(ctx).Exec(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", quote(table), quote(c.name))).Error; err != nil {
		return fmt.Errorf("change column %q: remove the old answers: %w", c.text, err)
	}
	return nil
}

// clipRunes shortens s to n characters, marking the cut with an ellipsis.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
