package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
)

// The audit log's actions for theme models and comment themes.
const (
	AuditThemeModelSave   analytics.AuditAction = "theme-model-save"
	AuditThemeModelDelete analytics.AuditAction = "theme-model-delete"
	AuditCommentThemes    analytics.AuditAction = "comment-themes"
)

// maxThemeModelName bounds a model's name, in bytes.
const maxThemeModelName = 100

// ThemeModelInfo describes a stored theme model.
type ThemeModelInfo struct {
	// ID is the model's row; 0 for the built-in before it is first used.
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Themes are the model's themes, in the model's order.
	Themes []string `json:"themes"`
	// Comments is the number of labelled comments it was trained from.
	Comments int `json:"comments"`
	// Sentiment reports whether it gives each comment a sentiment.
	Sentiment bool `json:"sentiment"`
	// BuiltIn marks the model heard ships for the NHS framework.
	BuiltIn   bool      `json:"built_in"`
	TrainedAt time.Time `json:"trained_at"`
	// Version goes up each time a model of this name is saved.
	Version int64 `json:"version"`
	// Bytes is the size of the stored model.
	Bytes int `json:"bytes"`
}

// themeModelRow is a row of theme_models without the model itself.
type themeModelRow struct {
	ID        int64  `gorm:"column:id;primaryKey"`
	Name      string `gorm:"column:name"`
	Version   int64  `gorm:"column:version"`
	Themes    string `gorm:"column:themes"`
	Sentiment bool   `gorm:"column:sentiment"`
	BuiltIn   bool   `gorm:"column:built_in"`
	Comments  int    `gorm:"column:comments"`
	Bytes     int    `gorm:"column:bytes;->"`
	CreatedAt string `gorm:"column:created_at"`
	TrainedAt string `gorm:"column:trained_at"`
	TrainedBy string `gorm:"column:trained_by"`
	// Fingerprint identifies the built-in model as shipped, and Build
	// the heard build that last checked it (see builtInModel); both ""
	// for any other model.
	Fingerprint string `gorm:"column:fingerprint"`
	Build       string `gorm:"column:build"`
}

func (r themeModelRow) info() ThemeModelInfo {
	return ThemeModelInfo{ID: r.ID, Name: r.Name, Themes: decodeThemes(r.Themes), Comments: r.Comments,
		Sentiment: r.Sentiment, BuiltIn: r.BuiltIn, TrainedAt: parseTime(r.TrainedAt), Version: r.Version, Bytes: r.Bytes}
}

// themeModelInsert is a new row of theme_models.
type themeModelInsert struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	Name        string `gorm:"column:name"`
	Version     int64  `gorm:"column:version"`
	Themes      string `gorm:"column:themes"`
	Sentiment   bool   `gorm:"column:sentiment"`
	BuiltIn     bool   `gorm:"column:built_in"`
	Comments    int    `gorm:"column:comments"`
	Model       []byte `gorm:"column:model"`
	CreatedAt   string `gorm:"column:created_at"`
	TrainedAt   string `gorm:"column:trained_at"`
	TrainedBy   string `gorm:"column:trained_by"`
	Fingerprint string `gorm:"column:fingerprint"`
	Build       string `gorm:"column:build"`
}

// TableName tells gorm the table.
func (themeModelInsert) TableName() string { return "theme_models" }

// themeModelColumns are the columns read into a themeModelRow.
const themeModelColumns = `id, name, version, themes, sentiment, built_in, comments, LENGTH(model) AS bytes,
	created_at, trained_at, trained_by, fingerprint, build`

// themeCache keeps the models read from the database, decoded, by row
// and stamp (see modelStamp), and makes concurrent first uses of the
// built-in model train it once. Every use reads the row's stamp from the
// database, so a model saved or deleted by another heard process is never
// served from here.
type themeCache struct {
	mu     sync.Mutex
	models map[int64]cachedModel
	// builtIn is held while the built-in model is checked, trained and
	// stored; build is this heard's build (see buildKey), once known.
	builtIn sync.Mutex
	build   string
}

type cachedModel struct {
	stamp string
	model *themes.Model
}

// modelStamp identifies what a theme_models row holds. Its version alone
// does not: SQLite gives a new row the id of a deleted one when that was
// the highest, at version 1 again, so a model deleted (by this or another
// process) and another saved could share id and version. Their names,
// times, themes or sizes differ, but for one deleted and saved again
// under its name within the same second with the same themes and size.
func modelStamp(row themeModelRow) string {
	return fmt.Sprintf("%d\n%s\n%s\n%s\n%d\n%d\n%s", row.Version, row.Name, row.CreatedAt, row.TrainedAt,
		row.Bytes, row.Comments, row.Themes)
}

func (c *themeCache) get(row themeModelRow) *themes.Model {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.models[row.ID]; ok && m.stamp == modelStamp(row) {
		return m.model
	}
	return nil
}

func (c *themeCache) put(row themeModelRow, m *themes.Model) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.models == nil {
		c.models = map[int64]cachedModel{}
	}
	c.models[row.ID] = cachedModel{stamp: modelStamp(row), model: m}
}

// encodeThemes writes a list of themes as stored: each between newlines.
func encodeThemes(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return "\n" + strings.Join(list, "\n") + "\n"
}

// decodeThemes reads a list written by encodeThemes; never nil.
func decodeThemes(s string) []string {
	s = strings.Trim(s, "\n")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// checkThemeName checks a theme's name as a model or a correction gives it.
func checkThemeName(theme string) error {
	if strings.TrimSpace(theme) == "" {
		return errors.New("a theme's name is empty")
	}
	if strings.ContainsFunc(theme, unicode.IsControl) {
		return fmt.Errorf("the theme %q holds a control character (a line break or tab)", theme)
	}
	return nil
}

// checkModelName trims a model's name and checks it.
func checkModelName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", analytics.ParamErrorf("a theme model needs a name")
	case len(name) > maxThemeModelName:
		return "", analytics.ParamErrorf(fmt.Sprintf("a theme model's name is at most %d characters", maxThemeModelName))
	case strings.ContainsFunc(name, unicode.IsControl):
		return "", analytics.ParamErrorf("a theme model's name cannot hold control characters")
	}
	return name, nil
}

// SaveThemeModel stores m under name with the labelled examples it was
// trained from, kept for training it again, and records it in the audit
// log. A model of that name is replaced, its version raised by one, so that
// the comments it classified are classified again. The built-in model's
// name is refused: RetrainThemeModel trains the built-in again.
func (s *Store) SaveThemeModel(ctx context.Context, name string, m *themes.Model, examples []themes.Example,
	actor analytics.Actor) (ThemeModelInfo, error) {
	name, err := checkModelName(name)
	if err != nil {
		return ThemeModelInfo{}, err
	}
	if strings.EqualFold(name, themes.BuiltInName) {
		return ThemeModelInfo{}, analytics.ParamErrorf(fmt.Sprintf("%q is the built-in model's name: choose another name "+
			"(heard themes retrain --name %s trains the built-in model again with the corrections made)", name, themes.BuiltInName))
	}
	return s.saveThemeModel(ctx, name, m, examples, len(examples), false, actor)
}

// saveThemeModel is SaveThemeModel for any name; the examples of the
// built-in model are not kept (they ship with heard).
// comments is the number of labelled comments it learnt from.
func (s *Store) saveThemeModel(ctx context.Context, name string, m *themes.Model, examples []themes.Example,
	comments int, builtIn bool, actor analytics.Actor) (ThemeModelInfo, error) {
	if m == nil {
		return ThemeModelInfo{}, errors.New("save theme model: no model given")
	}
	list := m.Themes()
	for _, t := range list {
		if err := checkThemeName(t); err != nil {
			return ThemeModelInfo{}, fmt.Errorf("save theme model %q: %w", name, err)
		}
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return ThemeModelInfo{}, fmt.Errorf("save theme model %q: %w", name, err)
	}
	var out themeModelRow
	err = s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = upsertThemeModel(ctx, tx, name, m, blob, comments, builtIn, actor)
		if err != nil {
			return fmt.Errorf("save theme model %q: %w", name, err)
		}
		if !builtIn {
			if err := replaceExamples(ctx, tx, out.ID, examples); err != nil {
				return fmt.Errorf("save theme model %q: %w", name, err)
			}
		}
		detail := fmt.Sprintf("version %d: %d themes from %d labelled comments", out.Version, len(list), comments)
		return writeAudit(ctx, tx, analytics.NewAuditEvent(actor, AuditThemeModelSave, themeModelObject(name), analytics.OutcomeOK, detail))
	})
	if err != nil {
		return ThemeModelInfo{}, err
	}
	out.Bytes = len(blob)
	s.themeCache.put(out, m)
	return out.info(), nil
}

// upsertThemeModel writes a model's row, as version 1 or the next version
// of the model of that name.
func upsertThemeModel(ctx context.Context, tx *gorm.DB, name string, m *themes.Model, blob []byte, comments int,
	builtIn bool, actor analytics.Actor) (themeModelRow, error) {
	now := formatTime(tx.NowFunc())
	row := themeModelRow{Name: name, Version: 1, Themes: encodeThemes(m.Themes()), Sentiment: m.HasSentiment(),
		BuiltIn: builtIn, Comments: comments, CreatedAt: now, TrainedAt: now, TrainedBy: actor.Who}
	old, err := findThemeModel(ctx, tx, name)
	switch {
	case err == nil:
		row.ID, row.Version, row.CreatedAt = old.ID, old.Version+1, old.CreatedAt
		err = tx.WithContext(ctx).Exec(`UPDATE theme_models SET version = ?, themes = ?, sentiment = ?, built_in = ?,
			comments = ?, model = ?, trained_at = ?, trained_by = ?, fingerprint = '', build = '' WHERE id = ?`,
			row.Version, row.Themes, row.Sentiment, row.BuiltIn, row.Comments, blob, row.TrainedAt, row.TrainedBy, row.ID).Error
	case errors.Is(err, ErrNotFound):
		ins := themeModelInsert{Name: row.Name, Version: row.Version, Themes: row.Themes, Sentiment: row.Sentiment,
			BuiltIn: row.BuiltIn, Comments: row.Comments, Model: blob, CreatedAt: row.CreatedAt, TrainedAt: row.TrainedAt,
			TrainedBy: row.TrainedBy}
		err = gorm.G[themeModelInsert](tx).Create(ctx, &ins)
		row.ID = ins.ID
	}
	return row, err
}

// replaceExamples keeps a model's training examples in place of those of
// its earlier version.
func replaceExamples(ctx context.Context, tx *gorm.DB, modelID int64, examples []themes.Example) error {
	if err := tx.WithContext(ctx).Exec("DELETE FROM theme_examples WHERE model_id = ?", modelID).Error; err != nil {
		return fmt.Errorf("replace training examples: %w", err)
	}
	type exampleRow struct {
		ModelID   int64  `gorm:"column:model_id"`
		Position  int    `gorm:"column:position"`
		Text      string `gorm:"column:text"`
		Themes    string `gorm:"column:themes"`
		Sentiment string `gorm:"column:sentiment"`
		Group     string `gorm:"column:grp"`
	}
	rows := make([]exampleRow, len(examples))
	for i, e := range examples {
		for _, t := range e.Themes {
			if err := checkThemeName(t); err != nil {
				return fmt.Errorf("training example %d: %w", i+1, err)
			}
		}
		rows[i] = exampleRow{ModelID: modelID, Position: i, Text: e.Text, Themes: encodeThemes(e.Themes),
			Sentiment: e.Sentiment, Group: e.Group}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Table("theme_examples").CreateInBatches(rows, 500).Error; err != nil {
		return fmt.Errorf("keep training examples: %w", err)
	}
	return nil
}

// findThemeModel reads a model's row (without the model) by name, or
// ErrNotFound.
func findThemeModel(ctx context.Context, db *gorm.DB, name string) (themeModelRow, error) {
	var rows []themeModelRow
	err := db.WithContext(ctx).Raw("SELECT "+themeModelColumns+" FROM theme_models WHERE name = ?", name).Scan(&rows).Error
	if err != nil {
		return themeModelRow{}, fmt.Errorf("read theme models: %w", err)
	}
	if len(rows) == 0 {
		return themeModelRow{}, ErrNotFound
	}
	return rows[0], nil
}

// themeModelObject names a model in the audit log.
func themeModelObject(name string) string { return fmt.Sprintf("theme model %q", name) }

// ThemeModel returns the model called name, decoded, with its description.
// The built-in model (themes.BuiltInName, or "") is trained from the file
// heard ships the first time a process asks for it, which takes seconds,
// and recorded in the database (see builtInModel); any other unknown name
// gives ErrNotFound.
func (s *Store) ThemeModel(ctx context.Context, name string) (*themes.Model, ThemeModelInfo, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = themes.BuiltInName
	}
	if name == themes.BuiltInName {
		return s.builtInModel(ctx)
	}
	row, err := findThemeModel(ctx, s.db, name)
	if err != nil {
		return nil, ThemeModelInfo{}, fmt.Errorf("theme model %q: %w", name, err)
	}
	m, err := s.decodeThemeModel(ctx, row)
	if err != nil {
		return nil, ThemeModelInfo{}, err
	}
	return m, row.info(), nil
}

// decodeThemeModel returns the model of a row, from the cache or decoded.
func (s *Store) decodeThemeModel(ctx context.Context, row themeModelRow) (*themes.Model, error) {
	if m := s.themeCache.get(row); m != nil {
		return m, nil
	}
	var blob []byte
	err := s.db.WithContext(ctx).Raw("SELECT model FROM theme_models WHERE id = ? AND version = ?", row.ID, row.Version).
		Row().Scan(&blob)
	if err != nil {
		return nil, fmt.Errorf("read theme model %q: %w", row.Name, err)
	}
	m := new(themes.Model)
	if err := m.UnmarshalBinary(blob); err != nil {
		return nil, fmt.Errorf("read theme model %q: %w", row.Name, err)
	}
	s.themeCache.put(row, m)
	return m, nil
}

// ThemeModels lists the stored theme models by name. The built-in model is
// always listed: before its first use, as SurveyThemeModel describes it.
func (s *Store) ThemeModels(ctx context.Context) ([]ThemeModelInfo, error) {
	var rows []themeModelRow
	err := s.db.WithContext(ctx).Raw("SELECT " + themeModelColumns + " FROM theme_models ORDER BY name").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list theme models: %w", err)
	}
	list := make([]ThemeModelInfo, 0, len(rows)+1)
	builtIn := false
	for _, r := range rows {
		list = append(list, r.info())
		builtIn = builtIn || r.Name == themes.BuiltInName
	}
	if !builtIn {
		info, err := untrainedBuiltIn()
		if err != nil {
			return nil, err
		}
		list = append(list, info)
	}
	return list, nil
}

// DeleteThemeModel deletes the model called name with its training
// examples, the themes it gave comments and the corrections made under
// it, and records it in the audit log. The surveys that used it use the
// built-in model from then on, and their comments are classified again.
// The built-in model cannot be deleted; an unknown name gives ErrNotFound.
func (s *Store) DeleteThemeModel(ctx context.Context, name string, actor analytics.Actor) error {
	name = strings.TrimSpace(name)
	if name == themes.BuiltInName || name == "" {
		return analytics.ParamErrorf(fmt.Sprintf("the built-in model %s cannot be deleted", themes.BuiltInName))
	}
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findThemeModel(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("theme model %q: %w", name, err)
		}
		steps := []struct {
			sql string
			arg any
		}{
			{"DELETE FROM comment_themes WHERE model_id = ?", row.ID},
			{"DELETE FROM comment_corrections WHERE model_name = ?", row.Name},
			{"UPDATE survey_settings SET theme_model = '' WHERE theme_model = ?", row.Name},
			{"DELETE FROM theme_models WHERE id = ?", row.ID},
		}
		affected := make([]int64, len(steps))
		for i, st := range steps {
			res := tx.WithContext(ctx).Exec(st.sql, st.arg)
			if res.Error != nil {
				return fmt.Errorf("delete theme model %q: %w", name, res.Error)
			}
			affected[i] = res.RowsAffected
		}
		detail := fmt.Sprintf("version %d deleted with %d corrections; %d surveys now use the built-in model %s",
			row.Version, affected[1], affected[2], themes.BuiltInName)
		return writeAudit(ctx, tx, analytics.NewAuditEvent(actor, AuditThemeModelDelete, themeModelObject(name), analytics.OutcomeOK, detail))
	})
}

// themeSettingRow is the theme model column of survey_settings.
type themeSettingRow struct {
	SurveyID   int64  `gorm:"column:survey_id;primaryKey"`
	ThemeModel string `gorm:"column:theme_model"`
	SetBy      string `gorm:"column:set_by"`
	SetAt      string `gorm:"column:set_at"`
}

// TableName tells gorm the table.
func (themeSettingRow) TableName() string { return "survey_settings" }

// SetSurveyThemeModel makes survey surveyID classify its comments with the
// model called name ("" or themes.BuiltInName: the built-in model), and
// records it in the audit log; its comments are classified again. An
// unknown survey or model gives ErrNotFound.
func (s *Store) SetSurveyThemeModel(ctx context.Context, surveyID int64, name string, actor analytics.Actor) error {
	name = strings.TrimSpace(name)
	if name == themes.BuiltInName {
		name = ""
	}
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		survey, err := findSurvey(ctx, tx, "id = ?", surveyID)
		if err != nil {
			return fmt.Errorf("survey %d: %w", surveyID, err)
		}
		if name != "" {
			if _, err := findThemeModel(ctx, tx, name); err != nil {
				return fmt.Errorf("theme model %q: %w", name, err)
			}
		}
		row := themeSettingRow{SurveyID: survey.ID, ThemeModel: name, SetBy: actor.Who, SetAt: formatTime(tx.NowFunc())}
		err = tx.WithContext(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "survey_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"theme_model", "set_by", "set_at"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("set the theme model of survey %q: %w", survey.Name, err)
		}
		detail := "comment themes from the model " + cmp.Or(name, themes.BuiltInName)
		return writeAudit(ctx, tx, analytics.NewAuditEvent(actor, AuditSurveySetting, surveyObject(survey), analytics.OutcomeOK, detail))
	})
}

// surveyThemeModelName is the name of the model survey surveyID uses:
// themes.BuiltInName unless an analyst chose another that still exists.
func surveyThemeModelName(ctx context.Context, db *gorm.DB, surveyID int64) (string, error) {
	rows, err := gorm.G[themeSettingRow](db).Where("survey_id = ?", surveyID).Find(ctx)
	if err != nil {
		return "", fmt.Errorf("read the theme model of survey %d: %w", surveyID, err)
	}
	if len(rows) == 0 || rows[0].ThemeModel == "" {
		return themes.BuiltInName, nil
	}
	return rows[0].ThemeModel, nil
}

// SurveyThemeModel describes the model survey surveyID classifies its
// comments with: the built-in one unless another was chosen. It trains
// nothing: before the built-in model's first use in the database it is
// described with ID and Version 0 and the themes of the shipped file (see
// untrainedBuiltIn).
func (s *Store) SurveyThemeModel(ctx context.Context, surveyID int64) (ThemeModelInfo, error) {
	if _, err := findSurvey(ctx, s.db, "id = ?", surveyID); err != nil {
		return ThemeModelInfo{}, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	row, ok, err := currentModel(ctx, s.db, surveyID)
	if err != nil {
		return ThemeModelInfo{}, err
	}
	if ok {
		return row.info(), nil
	}
	return untrainedBuiltIn()
}

// untrainedBuiltIn describes the built-in model before its first use:
// ID and Version 0, and the themes of the shipped file (the trained model
// may give them in another order).
func untrainedBuiltIn() (ThemeModelInfo, error) {
	examples, err := themes.NHSExamples()
	if err != nil {
		return ThemeModelInfo{}, fmt.Errorf("read the built-in theme model's examples: %w", err)
	}
	info := ThemeModelInfo{Name: themes.BuiltInName, BuiltIn: true, Themes: []string{}, Comments: len(examples)}
	for _, e := range examples {
		info.Sentiment = info.Sentiment || e.Sentiment != ""
		for _, t := range e.Themes {
			if !slices.Contains(info.Themes, t) {
				info.Themes = append(info.Themes, t)
			}
		}
	}
	return info, nil
}

// surveyModel returns the model survey surveyID uses, decoded. A chosen
// model that no longer exists falls back to the built-in one.
func (s *Store) surveyModel(ctx context.Context, surveyID int64) (*themes.Model, ThemeModelInfo, error) {
	if _, err := findSurvey(ctx, s.db, "id = ?", surveyID); err != nil {
		return nil, ThemeModelInfo{}, fmt.Errorf("survey %d: %w", surveyID, err)
	}
	name, err := surveyThemeModelName(ctx, s.db, surveyID)
	if err != nil {
		return nil, ThemeModelInfo{}, err
	}
	m, info, err := s.ThemeModel(ctx, name)
	if errors.Is(err, ErrNotFound) && name != themes.BuiltInName {
		return s.ThemeModel(ctx, themes.BuiltInName)
	}
	return m, info, err
}

// currentModel is the model row survey surveyID's comments are shown
// from, read without training anything: ok is false while the survey uses
// the built-in model and it has not been trained yet.
func currentModel(ctx context.Context, db *gorm.DB, surveyID int64) (row themeModelRow, ok bool, err error) {
	name, err := surveyThemeModelName(ctx, db, surveyID)
	if err != nil {
		return themeModelRow{}, false, err
	}
	row, err = findThemeModel(ctx, db, name)
	if errors.Is(err, ErrNotFound) && name != themes.BuiltInName {
		row, err = findThemeModel(ctx, db, themes.BuiltInName)
	}
	if errors.Is(err, ErrNotFound) {
		return themeModelRow{}, false, nil
	}
	if err != nil {
		return themeModelRow{}, false, err
	}
	return row, true, nil
}

// ThemeExamples returns the labelled comments the model called name learns
// from: the examples kept with it (for the built-in model, those heard
// ships), and the corrections analysts made under it, each with its
// comment's text. An unknown name gives ErrNotFound.
func (s *Store) ThemeExamples(ctx context.Context, name string) (kept, corrections []themes.Example, err error) {
	name = cmp.Or(strings.TrimSpace(name), themes.BuiltInName)
	row, err := findThemeModel(ctx, s.db, name)
	switch {
	case errors.Is(err, ErrNotFound) && name == themes.BuiltInName:
	case err != nil:
		return nil, nil, fmt.Errorf("theme model %q: %w", name, err)
	}
	if name == themes.BuiltInName {
		if kept, err = themes.NHSExamples(); err != nil {
			return nil, nil, fmt.Errorf("theme model %q: %w", name, err)
		}
	} else {
		var rows []struct {
			Text      string `gorm:"column:text"`
			Themes    string `gorm:"column:themes"`
			Sentiment string `gorm:"column:sentiment"`
			Group     string `gorm:"column:grp"`
		}
		err := s.db.WithContext(ctx).Raw("SELECT text, themes, sentiment, grp FROM theme_examples WHERE model_id = ? ORDER BY position",
			row.ID).Scan(&rows).Error
		if err != nil {
			return nil, nil, fmt.Errorf("read the examples of theme model %q: %w", name, err)
		}
		kept = make([]themes.Example, len(rows))
		for i, r := range rows {
			kept[i] = themes.Example{Text: r.Text, Themes: decodeThemes(r.Themes), Sentiment: r.Sentiment, Group: r.Group}
		}
	}
	if corrections, err = correctionExamples(ctx, s.db, name); err != nil {
		return nil, nil, err
	}
	return kept, corrections, nil
}

// RetrainThemeModel trains the model called name again from its kept
// examples and the corrections made under it (a correction of a comment
// whose text is also a kept example takes that example's place), and
// saves it as its next version. It returns the model's description and how
// many corrections it learnt from. Training takes seconds and holds no
// lock.
func (s *Store) RetrainThemeModel(ctx context.Context, name string, opts themes.Options, actor analytics.Actor) (ThemeModelInfo, int, error) {
	name = cmp.Or(strings.TrimSpace(name), themes.BuiltInName)
	kept, corrections, err := s.ThemeExamples(ctx, name)
	if err != nil {
		return ThemeModelInfo{}, 0, err
	}
	// A correction that takes every theme away teaches no theme.
	corrections = slices.DeleteFunc(corrections, func(e themes.Example) bool {
		return len(e.Themes) == 0 && !themes.SaysNothing(e.Text)
	})
	fixed := make(map[string]bool, len(corrections))
	for _, c := range corrections {
		fixed[c.Text] = true
	}
	train := make([]themes.Example, 0, len(kept)+len(corrections))
	for _, e := range kept {
		if !fixed[e.Text] {
			train = append(train, e)
		}
	}
	train = append(train, corrections...)
	m, err := themes.Train(train, opts)
	if err != nil {
		return ThemeModelInfo{}, 0, fmt.Errorf("train theme model %q: %w", name, err)
	}
	info, err := s.saveThemeModel(ctx, name, m, kept, len(train), name == themes.BuiltInName, actor)
	if err != nil {
		return ThemeModelInfo{}, 0, err
	}
	return info, len(corrections), nil
}
