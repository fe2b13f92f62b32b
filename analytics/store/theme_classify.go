package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
)

// classifyBatch is how many comments are classified and stored at a time:
// storing them holds the database's writer for a few milliseconds, so an
// import never waits long behind the classifier.
const classifyBatch = 500

// keptScores is how many of a comment's highest theme scores are kept.
const keptScores = 5

// errModelChanged is a batch classified by a model that was replaced
// meanwhile: nothing of it is stored.
var errModelChanged = errors.New("the survey's theme model changed while its comments were classified")

// pendingComment is a comment to classify.
type pendingComment struct {
	question, response, importID int64
	text                         string
}

// ClassifyComments classifies the comments of survey surveyID that have no
// themes from the current version of its model (new comments, and all of
// them after the model changed), a batch at a time, and stores their themes,
// keeping the corrections analysts made under that model. The built-in
// model is trained first if this is its first use. progress, when not nil,
// is told how many comments are done of how many. It returns how many it
// stored; a comment deleted meanwhile is skipped, and a model changed
// meanwhile starts the work again with the new one.
func (s *Store) ClassifyComments(ctx context.Context, surveyID int64, progress func(done, total int)) (int, error) {
	qs, _, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return 0, err
	}
	var texts []int64
	for _, q := range qs {
		if q.Kind == analytics.KindText {
			texts = append(texts, q.ID)
		}
	}
	if len(texts) == 0 || !s.db.WithContext(ctx).Migrator().HasTable(responseTable(surveyID)) {
		return 0, nil
	}
	stored := 0
	for attempt := 0; attempt < 3; attempt++ {
		n, err := s.classifyAll(ctx, surveyID, texts, progress)
		stored += n
		if !errors.Is(err, errModelChanged) {
			return stored, err
		}
	}
	return stored, fmt.Errorf("classify the comments of survey %d: %w", surveyID, errModelChanged)
}

// classifyAll is one pass of ClassifyComments with the model current at
// its start.
func (s *Store) classifyAll(ctx context.Context, surveyID int64, texts []int64, progress func(done, total int)) (int, error) {
	row, ok, err := currentModel(ctx, s.db, surveyID)
	if err != nil {
		return 0, err
	}
	if !ok {
		row.ID = -1
	}
	total := 0
	for _, q := range texts {
		n, err := s.countPending(ctx, surveyID, q, row.ID, row.Version)
		if err != nil {
			return 0, err
		}
		total += n
	}
	if total == 0 {
		return 0, nil
	}
	model, info, err := s.surveyModel(ctx, surveyID)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, q := range texts {
		after := int64(0)
		for {
			batch, err := s.pendingComments(ctx, surveyID, q, info, after, classifyBatch)
			if err != nil {
				return done, err
			}
			if len(batch) == 0 {
				break
			}
			if err := s.storeThemes(ctx, surveyID, model, info, batch); err != nil {
				return done, err
			}
			done += len(batch)
			after = batch[len(batch)-1].response
			if progress != nil {
				progress(min(done, total), max(total, done))
			}
			if len(batch) < classifyBatch {
				break
			}
		}
	}
	return done, nil
}

// pendingSQL selects what from the comments of a question that lack
// themes from a model version, given as the query's two arguments (model
// ID, version).
func pendingSQL(surveyID, question int64, what string) string {
	col := "r." + quote(questionColumn(question))
	return fmt.Sprintf(`SELECT %s FROM %s r LEFT JOIN comment_themes ct
		ON ct.survey_id = %d AND ct.question_id = %d AND ct.response_id = r.id
		WHERE %s IS NOT NULL AND TRIM(%s) <> '' AND (ct.response_id IS NULL OR ct.model_id <> ? OR ct.model_version <> ?)`,
		what, quote(responseTable(surveyID)), surveyID, question, col, col)
}

// countPending counts the comments of a question waiting to be classified.
func (s *Store) countPending(ctx context.Context, surveyID, question, modelID, version int64) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Raw(pendingSQL(surveyID, question, "COUNT(*)"), modelID, version).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the comments of survey %d to classify: %w", surveyID, err)
	}
	return n, nil
}

// pendingComments reads up to limit comments of a question waiting to be
// classified, after response after, in response order.
func (s *Store) pendingComments(ctx context.Context, surveyID, question int64, info ThemeModelInfo, after int64,
	limit int) ([]pendingComment, error) {
	query := pendingSQL(surveyID, question, "r.id, r.import_id, r."+quote(questionColumn(question))) +
		" AND r.id > ? ORDER BY r.id LIMIT ?"
	rows, err := s.db.WithContext(ctx).Raw(query, info.ID, info.Version, after, limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("read the comments of survey %d to classify: %w", surveyID, err)
	}
	defer rows.Close()
	var list []pendingComment
	for rows.Next() {
		c := pendingComment{question: question}
		if err := rows.Scan(&c.response, &c.importID, &c.text); err != nil {
			return nil, fmt.Errorf("read the comments of survey %d to classify: %w", surveyID, err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the comments of survey %d to classify: %w", surveyID, err)
	}
	return list, nil
}

// classified is what a model said of one comment, ready to store.
type classified struct {
	themes, sentiment, scores string
	saysNothing               bool
}

// classify runs the model on a batch; no database is touched.
func classify(model *themes.Model, batch []pendingComment) []classified {
	out := make([]classified, len(batch))
	for i, c := range batch {
		r := model.Classify(c.text)
		out[i] = classified{themes: encodeThemes(r.Themes), sentiment: r.Sentiment, scores: topScores(r.Scores),
			saysNothing: themes.SaysNothing(c.text)}
	}
	return out
}

// topScores writes the keptScores highest scores as JSON, to three places.
func topScores(scores map[string]float64) string {
	type pair struct {
		theme string
		score float64
	}
	list := make([]pair, 0, len(scores))
	for t, v := range scores {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			list = append(list, pair{t, v})
		}
	}
	slices.SortFunc(list, func(a, b pair) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.theme, b.theme)
	})
	kept := map[string]float64{}
	for _, p := range list[:min(keptScores, len(list))] {
		kept[p.theme] = math.Round(p.score*1000) / 1000
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// storeThemes classifies a batch and stores its themes in one short
// transaction, with any correction made under the model in place of the
// model's themes. A comment whose response was deleted meanwhile is
// skipped; a model replaced meanwhile stores nothing (errModelChanged).
func (s *Store) storeThemes(ctx context.Context, surveyID int64, model *themes.Model, info ThemeModelInfo, batch []pendingComment) error {
	return s.writeThemes(ctx, surveyID, info, batch, classify(model, batch))
}

// writeThemes stores what the model said of a batch: the part of
// storeThemes that holds the writer.
func (s *Store) writeThemes(ctx context.Context, surveyID int64, info ThemeModelInfo, batch []pendingComment, results []classified) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		row, ok, err := currentModel(ctx, tx, surveyID)
		if err != nil {
			return err
		}
		if !ok || row.ID != info.ID || row.Version != info.Version {
			return errModelChanged
		}
		corrections, err := batchCorrections(ctx, tx, surveyID, info.Name, batch)
		if err != nil {
			return err
		}
		insert := fmt.Sprintf(`INSERT INTO comment_themes (survey_id, question_id, response_id, import_id, model_id,
				model_version, themes, sentiment, says_nothing, corrected, scores)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM %s WHERE id = ? AND import_id = ?)
			ON CONFLICT (survey_id, question_id, response_id) DO UPDATE SET import_id = excluded.import_id,
				model_id = excluded.model_id, model_version = excluded.model_version, themes = excluded.themes,
				sentiment = excluded.sentiment, says_nothing = excluded.says_nothing, corrected = excluded.corrected,
				scores = excluded.scores`, quote(responseTable(surveyID)))
		// One prepared statement for the batch: through gorm, each row
		// took five times as long, and the writer is held meanwhile.
		stmt, err := tx.Statement.ConnPool.PrepareContext(ctx, insert)
		if err != nil {
			return fmt.Errorf("store the themes of survey %d's comments: %w", surveyID, err)
		}
		defer stmt.Close()
		for i, c := range batch {
			r, corrected := results[i], false
			if fix, ok := corrections[[2]int64{c.question, c.response}]; ok {
				r.themes, r.sentiment, corrected = fix.themes, fix.sentiment, true
				r.saysNothing = r.saysNothing && fix.themes == ""
			}
			_, err := stmt.ExecContext(ctx, surveyID, c.question, c.response, c.importID, info.ID, info.Version,
				r.themes, r.sentiment, r.saysNothing, corrected, r.scores, c.response, c.importID)
			if err != nil {
				return fmt.Errorf("store the themes of survey %d's comments: %w", surveyID, err)
			}
		}
		return nil
	})
}

// batchCorrections reads the corrections made under the model called name
// to the comments of a batch, by question and response.
func batchCorrections(ctx context.Context, tx *gorm.DB, surveyID int64, name string, batch []pendingComment) (map[[2]int64]classified, error) {
	ids := make([]int64, len(batch))
	for i, c := range batch {
		ids[i] = c.response
	}
	var rows []struct {
		QuestionID int64  `gorm:"column:question_id"`
		ResponseID int64  `gorm:"column:response_id"`
		Themes     string `gorm:"column:themes"`
		Sentiment  string `gorm:"column:sentiment"`
	}
	err := tx.WithContext(ctx).Raw(`SELECT question_id, response_id, themes, sentiment FROM comment_corrections
		WHERE survey_id = ? AND model_name = ? AND response_id IN ?`, surveyID, name, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read the corrections of survey %d's comments: %w", surveyID, err)
	}
	out := make(map[[2]int64]classified, len(rows))
	for _, r := range rows {
		out[[2]int64{r.QuestionID, r.ResponseID}] = classified{themes: r.Themes, sentiment: r.Sentiment}
	}
	return out, nil
}

// correctionExamples reads the corrections made under the model called
// name as labelled examples, with the comments' text.
func correctionExamples(ctx context.Context, db *gorm.DB, name string) ([]themes.Example, error) {
	var surveys []int64
	err := db.WithContext(ctx).Raw("SELECT DISTINCT survey_id FROM comment_corrections WHERE model_name = ? ORDER BY survey_id", name).
		Scan(&surveys).Error
	if err != nil {
		return nil, fmt.Errorf("read the corrections made under theme model %q: %w", name, err)
	}
	var out []themes.Example
	for _, sid := range surveys {
		qs, _, err := loadQuestions(ctx, db, sid)
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			if q.Kind != analytics.KindText {
				continue
			}
			rows, err := db.WithContext(ctx).Raw(fmt.Sprintf(`SELECT c.response_id, r.%s, c.themes, c.sentiment
				FROM comment_corrections c JOIN %s r ON r.id = c.response_id
				WHERE c.survey_id = ? AND c.question_id = ? AND c.model_name = ? ORDER BY c.response_id`,
				quote(questionColumn(q.ID)), quote(responseTable(sid))), sid, q.ID, name).Rows()
			if err != nil {
				return nil, fmt.Errorf("read the corrections made under theme model %q: %w", name, err)
			}
			for rows.Next() {
				var id int64
				var text sql.NullString
				var list, sentiment string
				if err := rows.Scan(&id, &text, &list, &sentiment); err != nil {
					rows.Close()
					return nil, fmt.Errorf("read the corrections made under theme model %q: %w", name, err)
				}
				out = append(out, themes.Example{Text: text.String, Themes: decodeThemes(list), Sentiment: sentiment,
					Group: fmt.Sprintf("survey %d response %d", sid, id)})
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return nil, fmt.Errorf("read the corrections made under theme model %q: %w", name, err)
			}
		}
	}
	return out, nil
}
