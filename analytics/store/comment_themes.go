package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
)

// themeLike is the LIKE pattern (escaped with \) that finds a theme in a
// list written by encodeThemes.
func themeLike(theme string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(theme)
	return "%\n" + escaped + "\n%"
}

// ThemeCountQuery asks how many of a survey's comments have each theme.
type ThemeCountQuery struct {
	// Question is the stored ID of a text question; 0 counts the comments
	// of every text question.
	Question int64
	// From, To and Where keep responses as in CommentQuery.
	From, To string
	Where    []Filter
	// Period groups the comments in time; "" counts the whole range as
	// one period, "all". Comments without a date are counted only in
	// "all".
	Period analytics.PeriodKind
	// By breaks the counts down by the dimension of this stored ID; 0
	// gives one group, "".
	By int64
}

// ThemeCount is how many comments of a period and group have a theme.
type ThemeCount struct {
	Period string `json:"period"`
	// Group is the value of the dimension the counts are broken down by
	// ("" for none, and for a blank value).
	Group string `json:"group"`
	Theme string `json:"theme"`
	// Comments is how many of the Total have the theme.
	Comments int64 `json:"comments"`
	// Total is the base: the comments of the period and group that have
	// been classified and say something (not empty, "N/A", "none"...).
	Total int64 `json:"total"`
}

// ThemeCounts counts, for each period and group, the comments that have
// each theme of the survey's model, with the base they are a share of.
// Every theme of the model is given for every period and group with
// comments, in the model's order (a theme from a correction that the model
// no longer has comes after), even when no comment has it. Comments are
// counted from the survey's current model, including any classified by an
// earlier version of it that are still waiting to be classified again.
func (s *Store) ThemeCounts(ctx context.Context, surveyID int64, q ThemeCountQuery) ([]ThemeCount, error) {
	kind := q.Period
	if kind == "" {
		kind = analytics.PeriodAll
	}
	if _, err := analytics.ParsePeriodKind(string(kind)); err != nil {
		return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
	}
	qs, ds, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return nil, err
	}
	model, ok, err := currentModel(ctx, s.db, surveyID)
	if err != nil || !ok {
		return []ThemeCount{}, err
	}
	union, args, err := themeCountSQL(surveyID, model.ID, qs, ds, q)
	if err != nil {
		return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
	}
	if union == "" || !s.db.WithContext(ctx).Migrator().HasTable(responseTable(surveyID)) {
		return []ThemeCount{}, nil
	}
	db, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
	}
	query := "SELECT month, grp, themes, COUNT(*) FROM (" + union + ") u GROUP BY month, grp, themes"
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
	}
	defer rows.Close()
	tally := newThemeTally(decodeThemes(model.Themes))
	for rows.Next() {
		var month, group sql.NullString
		var list string
		var n int64
		if err := rows.Scan(&month, &group, &list, &n); err != nil {
			return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
		}
		period, err := analytics.PeriodOf(kind, month.String)
		if err != nil {
			continue // undated, in a period of dates
		}
		tally.add(period, group.String, decodeThemes(list), n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count comment themes of survey %d: %w", surveyID, err)
	}
	return tally.counts(), nil
}

// themeCountSQL writes the union of one SELECT per text question asked for,
// each giving the month, group and themes of every classified comment
// that says something, and the union's arguments.
func themeCountSQL(surveyID, modelID int64, qs []analytics.Question, ds []analytics.Dimension, q ThemeCountQuery) (string, []any, error) {
	group := "''"
	if q.By != 0 {
		col, _, err := fieldColumn(qs, ds, Field{Dimension: q.By})
		if err != nil {
			return "", nil, err
		}
		group = "COALESCE(r." + col + ", '')"
	}
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
		conds, condArgs = append(conds, "r.day >= ?"), append(condArgs, q.From)
	}
	if q.To != "" {
		conds, condArgs = append(conds, "r.day <= ?"), append(condArgs, q.To)
	}
	for _, f := range q.Where {
		cond, args, err := filterSQL(qs, ds, f)
		if err != nil {
			return "", nil, err
		}
		conds, condArgs = append(conds, cond), append(condArgs, args...)
	}
	var parts []string
	var args []any
	for _, question := range texts {
		col := "r." + quote(questionColumn(question.ID))
		where := append([]string{col + " IS NOT NULL", "TRIM(" + col + ") <> ''", "ct.says_nothing = 0"}, conds...)
		parts = append(parts, fmt.Sprintf("SELECT r.month AS month, %s AS grp, ct.themes AS themes FROM %s r "+
			"JOIN comment_themes ct ON ct.survey_id = %d AND ct.question_id = %d AND ct.response_id = r.id AND ct.model_id = ? "+
			"WHERE %s", group, quote(responseTable(surveyID)), surveyID, question.ID, strings.Join(where, " AND ")))
		args = append(append(args, modelID), condArgs...)
	}
	return strings.Join(parts, " UNION ALL "), args, nil
}

// themeTally adds up comments by period, group and theme.
type themeTally struct {
	themes []string
	cells  map[[2]string]*themeCell
}

type themeCell struct {
	total  int64
	counts map[string]int64
}

func newThemeTally(themes []string) *themeTally {
	return &themeTally{themes: themes, cells: map[[2]string]*themeCell{}}
}

func (t *themeTally) add(period, group string, list []string, n int64) {
	key := [2]string{period, group}
	c := t.cells[key]
	if c == nil {
		c = &themeCell{counts: map[string]int64{}}
		t.cells[key] = c
	}
	c.total += n
	for _, theme := range list {
		c.counts[theme] += n
	}
}

// counts lists the tally by period and group, each with every theme of
// the model and then any other theme found.
func (t *themeTally) counts() []ThemeCount {
	keys := make([][2]string, 0, len(t.cells))
	for k := range t.cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	known := map[string]bool{}
	for _, theme := range t.themes {
		known[theme] = true
	}
	out := []ThemeCount{}
	for _, k := range keys {
		c := t.cells[k]
		list := slices.Clone(t.themes)
		var extra []string
		for theme := range c.counts {
			if !known[theme] {
				extra = append(extra, theme)
			}
		}
		slices.Sort(extra)
		for _, theme := range append(list, extra...) {
			out = append(out, ThemeCount{Period: k[0], Group: k[1], Theme: theme, Comments: c.counts[theme], Total: c.total})
		}
	}
	return out
}

// ThemeProgress says how many of survey surveyID's non-empty comments have
// been classified by the current version of its theme model, of how many.
func (s *Store) ThemeProgress(ctx context.Context, surveyID int64) (classified, total int64, err error) {
	qs, _, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return 0, 0, err
	}
	if !s.db.WithContext(ctx).Migrator().HasTable(responseTable(surveyID)) {
		return 0, 0, nil
	}
	model, ok, err := currentModel(ctx, s.db, surveyID)
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		model.ID = -1
	}
	for _, q := range qs {
		if q.Kind != analytics.KindText {
			continue
		}
		col := "r." + quote(questionColumn(q.ID))
		var c, n int64
		err := s.db.WithContext(ctx).Raw(fmt.Sprintf(`SELECT COUNT(ct.response_id), COUNT(*) FROM %s r
			LEFT JOIN comment_themes ct ON ct.survey_id = ? AND ct.question_id = ? AND ct.response_id = r.id
				AND ct.model_id = ? AND ct.model_version = ?
			WHERE %s IS NOT NULL AND TRIM(%s) <> ''`, quote(responseTable(surveyID)), col, col),
			surveyID, q.ID, model.ID, model.Version).Row().Scan(&c, &n)
		if err != nil {
			return 0, 0, fmt.Errorf("count classified comments of survey %d: %w", surveyID, err)
		}
		classified, total = classified+c, total+n
	}
	return classified, total, nil
}

// CorrectCommentThemes sets the themes and sentiment ("" for none) of one
// comment, the answer of response responseID to text question questionID,
// as an analyst judged them, and records it in the audit log. The themes
// must be the survey's model's (matched ignoring case); the correction is
// kept under that model's name, shown whenever the survey uses that model,
// kept when the comment is classified again, and used as a labelled example
// when the model is retrained. An unknown survey, response or question
// gives ErrNotFound.
func (s *Store) CorrectCommentThemes(ctx context.Context, surveyID, responseID, questionID int64, list []string,
	sentiment string, actor analytics.Actor) error {
	info, err := s.SurveyThemeModel(ctx, surveyID)
	if err != nil {
		return err
	}
	chosen, err := checkCorrection(info, list)
	if err != nil {
		return err
	}
	if sentiment != "" {
		value, ok := themes.ParseSentiment(sentiment)
		if !ok {
			return analytics.ParamErrorf(fmt.Sprintf("%q is not a sentiment: use positive, mixed or negative", sentiment))
		}
		sentiment = value
	}
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		text, importID, err := commentText(ctx, tx, surveyID, responseID, questionID)
		if err != nil {
			return err
		}
		now := formatTime(tx.NowFunc())
		err = tx.WithContext(ctx).Exec(`INSERT INTO comment_corrections (survey_id, question_id, response_id, import_id,
				model_name, themes, sentiment, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (survey_id, question_id, response_id, model_name) DO UPDATE SET
				themes = excluded.themes, sentiment = excluded.sentiment, set_by = excluded.set_by, set_at = excluded.set_at`,
			surveyID, questionID, responseID, importID, info.Name, encodeThemes(chosen), sentiment, actor.Who, now).Error
		if err != nil {
			return fmt.Errorf("correct comment themes: %w", err)
		}
		// The comment shows the correction now; a row from another model
		// (or none yet) is left for the classifier, which keeps it.
		saysNothing := len(chosen) == 0 && themes.SaysNothing(text)
		err = tx.WithContext(ctx).Exec(`INSERT INTO comment_themes (survey_id, question_id, response_id, import_id,
				model_id, model_version, themes, sentiment, says_nothing, corrected) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 1)
			ON CONFLICT (survey_id, question_id, response_id) DO UPDATE SET
				model_version = CASE WHEN comment_themes.model_id = excluded.model_id THEN comment_themes.model_version ELSE 0 END,
				model_id = excluded.model_id, themes = excluded.themes, sentiment = excluded.sentiment,
				says_nothing = excluded.says_nothing, corrected = 1`,
			surveyID, questionID, responseID, importID, info.ID, encodeThemes(chosen), sentiment, saysNothing).Error
		if err != nil {
			return fmt.Errorf("correct comment themes: %w", err)
		}
		detail := fmt.Sprintf("response %d, question %d, model %s: themes %s; sentiment %s", responseID, questionID,
			info.Name, cmpOrNone(strings.Join(chosen, "; ")), cmpOrNone(sentiment))
		return writeAudit(ctx, tx, analytics.NewAuditEvent(actor, AuditCommentThemes, surveyObject(survey), analytics.OutcomeOK, detail))
	})
}

// cmpOrNone is s, or "none" when s is "".
func cmpOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// checkCorrection matches the themes of a correction to the model's,
// ignoring case, and drops repeats.
func checkCorrection(info ThemeModelInfo, list []string) ([]string, error) {
	chosen := []string{}
	for _, t := range list {
		t = strings.TrimSpace(t)
		i := slices.IndexFunc(info.Themes, func(m string) bool { return strings.EqualFold(m, t) })
		if i < 0 {
			return nil, analytics.ParamErrorf(fmt.Sprintf("%q is not a theme of the model %s", t, info.Name))
		}
		if !slices.Contains(chosen, info.Themes[i]) {
			chosen = append(chosen, info.Themes[i])
		}
	}
	return chosen, nil
}

// commentText reads the answer of a response to a text question of the
// survey, with the response's import; ErrNotFound when there is none.
func commentText(ctx context.Context, tx *gorm.DB, surveyID, responseID, questionID int64) (string, int64, error) {
	qs, _, err := loadQuestions(ctx, tx, surveyID)
	if err != nil {
		return "", 0, err
	}
	q, err := findQuestion(qs, questionID)
	if err != nil || q.Kind != analytics.KindText {
		return "", 0, fmt.Errorf("survey %d has no text question %d: %w", surveyID, questionID, ErrNotFound)
	}
	if !tx.Migrator().HasTable(responseTable(surveyID)) {
		return "", 0, fmt.Errorf("survey %d has no response %d: %w", surveyID, responseID, ErrNotFound)
	}
	var rows []struct {
		Text     sql.NullString `gorm:"column:body"`
		ImportID int64          `gorm:"column:import_id"`
	}
	err = tx.WithContext(ctx).Raw(fmt.Sprintf("SELECT %s AS body, import_id FROM %s WHERE id = ?",
		quote(questionColumn(q.ID)), quote(responseTable(surveyID))), responseID).Scan(&rows).Error
	if err != nil {
		return "", 0, fmt.Errorf("read response %d of survey %d: %w", responseID, surveyID, err)
	}
	if len(rows) == 0 || strings.TrimSpace(rows[0].Text.String) == "" {
		return "", 0, fmt.Errorf("survey %d has no comment of response %d to question %d: %w", surveyID, responseID, questionID, ErrNotFound)
	}
	return rows[0].Text.String, rows[0].ImportID, nil
}

// forgetCommentThemes deletes the themes and corrections of the comments
// of the responses of survey surveyID that the query ids selects (by id),
// before those responses are deleted. Deleting an import or a survey
// deletes them through their foreign keys.
func forgetCommentThemes(ctx context.Context, tx *gorm.DB, surveyID int64, ids string, args ...any) error {
	for _, table := range []string{"comment_themes", "comment_corrections"} {
		err := tx.WithContext(ctx).Exec("DELETE FROM "+table+" WHERE survey_id = ? AND response_id IN ("+ids+")",
			append([]any{surveyID}, args...)...).Error
		if err != nil {
			return fmt.Errorf("forget comment themes: %w", err)
		}
	}
	return nil
}
