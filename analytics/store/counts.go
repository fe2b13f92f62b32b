package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// GroupSeparator joins the values of a breakdown by several fields into
// one group name: "North team / 65-74".
const GroupSeparator = " / "

// Field is a column of a survey's responses that a report is broken down
// or filtered by: one of the survey's dimensions, or one of its scale or
// single-choice questions, named by its stored ID. Set exactly one of the
// two.
type Field struct {
	Dimension int64
	Question  int64
}

// Filter keeps the responses whose field holds one of the given values.
type Filter struct {
	Field Field
	// Values are the dimension values kept, compared ignoring ASCII case.
	// Used for a dimension.
	Values []string
	// Options are the indexes of the options kept. Used for a question.
	Options []int
}

// CountQuery asks for the counts of one question's answers.
type CountQuery struct {
	// Question is the stored ID of a scale or single-choice question.
	Question int64
	// By breaks the counts down: a count's Group is the value of each
	// field (an option's label for a question), joined by GroupSeparator,
	// with a blank value written as analytics.BlankGroup when there are
	// several fields and as "" when there is one.
	By []Field
	// From and To keep the responses submitted on or after From and on or
	// before To, London dates written "2024-04-01"; "" leaves that end
	// open. Either one leaves out the responses that have no date.
	From, To string
	// Where keeps the responses that pass every filter.
	Where []Filter
	// IncludePartial counts partial responses too; by default only
	// complete responses count.
	IncludePartial bool
	// keep reads kept counts whatever the survey's size (for tests).
	keep bool
}

// keepCountsFrom is the number of responses from which a survey's reports
// read kept counts. Below it, counting the responses directly takes a few
// milliseconds a question; above it, a dashboard of twenty questions
// counted directly would take most of a second (about 50 ms a question at
// 100,000 responses), so the counts are kept, and warmed after an import.
const keepCountsFrom = 20_000

// Counts returns how many responses of a survey gave each answer to a
// question, by London month and group, aggregated in SQL; a survey without
// responses gives none. Identifiers in the SQL are made from stored IDs
// only and every value is a bound parameter. A question, dimension or
// option the survey lacks is an error.
//
// In a survey of keepCountsFrom responses or more, counts without filters,
// or with dates that start and end on month boundaries, are read from the
// answer counts kept per import (report_counts), which the first such
// report of a question and breakdown fills in one scan of the responses,
// and later reports extend with the imports added since: reading them takes
// milliseconds whatever the number of responses. Other queries, smaller
// surveys, and any query while another writer holds the database,
// aggregate the responses directly.
func (s *Store) Counts(ctx context.Context, surveyID int64, q CountQuery) ([]analytics.Count, error) {
	qs, ds, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	plan, err := planCounts(surveyID, qs, ds, q)
	if err != nil {
		return nil, fmt.Errorf("count answers of survey %d: %w", surveyID, err)
	}
	if !s.db.WithContext(ctx).Migrator().HasTable(plan.table) {
		return nil, nil
	}
	size, err := s.surveySize(ctx, surveyID)
	if err != nil {
		return nil, fmt.Errorf("count answers of survey %d: %w", surveyID, err)
	}
	if from, to, ok := monthRange(q); ok && (q.keep || size >= keepCountsFrom) {
		counts, done, err := s.cachedCounts(ctx, surveyID, plan, q.IncludePartial, from, to)
		if err != nil {
			return nil, fmt.Errorf("count answers of survey %d: %w", surveyID, err)
		}
		if done {
			return counts, nil
		}
	}
	counts, err := s.directCounts(ctx, plan)
	if err != nil {
		return nil, fmt.Errorf("count answers of survey %d: %w", surveyID, err)
	}
	return counts, nil
}

// surveySize is the number of responses stored in a survey.
func (s *Store) surveySize(ctx context.Context, surveyID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(SUM(added), 0) FROM imports WHERE survey_id = ?", surveyID).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count responses: %w", err)
	}
	return n, nil
}

// directCounts aggregates the responses themselves: on SQLite month by
// month (see eachMonth), on PostgreSQL in one query with the month among
// the keys, which it groups in a hash table while reading the table once;
// month by month it read most of the table's pages each month through the
// month index, as a month's responses lie all over it (see countImports).
func (s *Store) directCounts(ctx context.Context, p countPlan) ([]analytics.Count, error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	keys := strings.Join(append(slices.Clone(p.groups), p.question), ", ")
	if onPostgresDB(s.db) {
		// The conditions on day leave out the undated responses as
		// eachMonth does when either end is given.
		query := fmt.Sprintf("SELECT month, %s, COUNT(*) FROM %s WHERE TRUE", keys, quote(p.table))
		for _, w := range p.where {
			query += " AND " + w
		}
		query += " GROUP BY month, " + keys
		var counts []analytics.Count
		err := scanCounts(ctx, db, query, p.args, 0, 1+len(p.groups),
			func(_ []int64, texts []sql.NullString, option int, n int64) {
				counts = append(counts, analytics.Count{Month: texts[0].String, Group: p.group(texts[1:]), Option: option, N: n})
			})
		return counts, err
	}
	query := fmt.Sprintf("SELECT %s, COUNT(*) FROM %s WHERE %%s", keys, quote(p.table))
	for _, w := range p.where {
		query += " AND " + w
	}
	query += " GROUP BY " + keys
	var counts []analytics.Count
	err = eachMonth(ctx, db, p.table, p.from, p.to, func(month, cond string, monthArgs []any) error {
		return scanCounts(ctx, db, fmt.Sprintf(query, cond), append(monthArgs, p.args...), 0, len(p.groups),
			func(_ []int64, groups []sql.NullString, option int, n int64) {
				counts = append(counts, analytics.Count{Month: month, Group: p.group(groups), Option: option, N: n})
			})
	})
	return counts, err
}

// countPlan is a CountQuery checked against the survey and turned into the
// parts of its SQL.
type countPlan struct {
	table string
	// question is the quoted column of the question counted.
	question string
	// groups are the quoted columns of the breakdown's fields.
	groups []string
	// by holds, for each field of the breakdown, the labels of the
	// question's options (nil for a dimension).
	by [][]string
	// breakdown names the fields, as report_counts keys them.
	breakdown string
	// questionID is the stored ID of the question counted.
	questionID int64
	// where and args are the query's conditions and their values.
	where []string
	args  []any
	// from and to are the first and last months the dates cover, "" when
	// open.
	from, to string
}

// planCounts checks a query against the survey's questions and dimensions
// and writes the parts of its SQL.
func planCounts(surveyID int64, qs []analytics.Question, ds []analytics.Dimension, q CountQuery) (countPlan, error) {
	return planQuery(surveyID, qs, ds, q, "scale and single-choice", analytics.KindScale, analytics.KindSingle)
}

// planQuery is planCounts for a question of one of the kinds given
// (described in words by what).
func planQuery(surveyID int64, qs []analytics.Question, ds []analytics.Dimension, q CountQuery,
	what string, kinds ...analytics.Kind) (countPlan, error) {
	question, err := findQuestion(qs, q.Question)
	if err != nil {
		return countPlan{}, err
	}
	if !slices.Contains(kinds, question.Kind) {
		return countPlan{}, fmt.Errorf("question %q is a %s question: only %s questions are counted here",
			question.Code, question.Kind, what)
	}
	p := countPlan{table: responseTable(surveyID), question: quote(questionColumn(question.ID)), questionID: question.ID}
	var keys []string
	for _, f := range q.By {
		col, labels, err := fieldColumn(qs, ds, f)
		if err != nil {
			return countPlan{}, err
		}
		p.groups, p.by = append(p.groups, col), append(p.by, labels)
		keys = append(keys, strings.Trim(col, `"`))
	}
	p.breakdown = strings.Join(keys, ",")
	if !q.IncludePartial {
		p.where = append(p.where, "complete = 1")
	}
	if q.From != "" {
		p.where, p.args = append(p.where, "day >= ?"), append(p.args, q.From)
		p.from = q.From[:min(7, len(q.From))]
	}
	if q.To != "" {
		p.where, p.args = append(p.where, "day <= ?"), append(p.args, q.To)
		p.to = q.To[:min(7, len(q.To))]
	}
	for _, f := range q.Where {
		cond, args, err := filterSQL(qs, ds, f)
		if err != nil {
			return countPlan{}, err
		}
		p.where, p.args = append(p.where, cond), append(p.args, args...)
	}
	return p, nil
}

// group names the group of one result row from its field values.
func (p countPlan) group(values []sql.NullString) string {
	if len(values) == 0 {
		return analytics.AllGroup
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = v.String
		if labels := p.by[i]; labels != nil && v.Valid {
			parts[i] = optionLabel(labels, v.String)
		}
		if parts[i] == "" && len(values) > 1 {
			parts[i] = analytics.BlankGroup
		}
	}
	return strings.Join(parts, GroupSeparator)
}

// optionLabel is the label of the option stored at position pos.
func optionLabel(labels []string, pos string) string {
	i, err := strconv.Atoi(pos)
	if err != nil || i < 0 || i >= len(labels) {
		return "option " + pos
	}
	return labels[i]
}

// fieldColumn returns the quoted column of a field and, for a question,
// its options' labels.
func fieldColumn(qs []analytics.Question, ds []analytics.Dimension, f Field) (string, []string, error) {
	switch {
	case f.Dimension != 0 && f.Question != 0:
		return "", nil, errors.New("a field is either a dimension or a question, not both")
	case f.Dimension != 0:
		for _, d := range ds {
			if d.ID == f.Dimension {
				return quote(dimensionColumn(d.ID)), nil, nil
			}
		}
		return "", nil, fmt.Errorf("the survey has no dimension %d", f.Dimension)
	}
	q, err := findQuestion(qs, f.Question)
	if err != nil {
		return "", nil, err
	}
	if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
		return "", nil, fmt.Errorf("question %q is a %s question: only dimensions and scale or single-choice questions "+
			"can break a report down or filter it", q.Code, q.Kind)
	}
	labels := make([]string, len(q.Options))
	for i, o := range q.Options {
		labels[i] = o.Label
	}
	return quote(questionColumn(q.ID)), labels, nil
}

// filterSQL writes the condition of a filter and its arguments.
func filterSQL(qs []analytics.Question, ds []analytics.Dimension, f Filter) (string, []any, error) {
	col, labels, err := fieldColumn(qs, ds, f.Field)
	if err != nil {
		return "", nil, err
	}
	var args []any
	if labels == nil {
		if len(f.Values) == 0 {
			return "", nil, errors.New("a filter on a dimension needs at least one value")
		}
		for _, v := range f.Values {
			args = append(args, v)
		}
		marks := strings.TrimSuffix(strings.Repeat("LOWER(?), ", len(args)), ", ")
		return fmt.Sprintf("LOWER(%s) IN (%s)", col, marks), args, nil
	}
	if len(f.Options) == 0 {
		return "", nil, errors.New("a filter on a question needs at least one option")
	}
	for _, o := range f.Options {
		if o < 0 || o >= len(labels) {
			return "", nil, fmt.Errorf("a filter names option %d of a question with %d options", o, len(labels))
		}
		args = append(args, o)
	}
	return fmt.Sprintf("%s IN (%s)", col, strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")), args, nil
}

// findQuestion returns the question with the stored ID id.
func findQuestion(qs []analytics.Question, id int64) (analytics.Question, error) {
	for _, q := range qs {
		if q.ID == id {
			return q, nil
		}
	}
	return analytics.Question{}, fmt.Errorf("the survey has no question %d", id)
}
