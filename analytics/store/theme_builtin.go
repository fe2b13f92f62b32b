package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics/themes"
)

// The built-in model as heard ships it is not stored in the database:
// heard trains it from the shipped NHS file once a process (the same model
// every time), and encoding it to store it took longer than training. Its
// row in theme_models, with an empty model, gives it an ID and a version
// for the comments it classifies, and records the shipped model's
// fingerprint, so that a heard shipping a different model raises the
// version and the comments are classified again. Retrained with analysts'
// corrections, the built-in model is stored like any other.

// fingerprintProbes are the comments whose classification identifies a
// model.
var fingerprintProbes = []string{
	"The staff were kind and caring and explained everything.",
	"I waited three hours and nobody told me why; the car park was full.",
	"Food was cold, the ward was dirty and the nurse was rude.",
	"Thank you",
}

// builtInFingerprint identifies a model by its themes and what it says of
// the probes.
func builtInFingerprint(m *themes.Model) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %v\n", m.Themes(), m.HasSentiment())
	for _, text := range fingerprintProbes {
		r := m.Classify(text)
		keys := make([]string, 0, len(r.Scores))
		for k := range r.Scores {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		fmt.Fprintf(h, "%q %q", r.Themes, r.Sentiment)
		for _, k := range keys {
			fmt.Fprintf(h, " %q=%.6f", k, r.Scores[k])
		}
		fmt.Fprintln(h)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// shippedModel is the built-in model as heard ships it, trained the first
// time a Store asks, with its fingerprint and the number of comments it
// learnt from.
func (s *Store) shippedModel() (*themes.Model, string, int, error) {
	c := &s.themeCache
	c.builtIn.Lock()
	defer c.builtIn.Unlock()
	if c.shipped != nil {
		return c.shipped, c.print, c.examples, nil
	}
	m, err := themes.BuiltIn()
	if err != nil {
		return nil, "", 0, fmt.Errorf("train the built-in theme model: %w", err)
	}
	examples, err := themes.NHSExamples()
	if err != nil {
		return nil, "", 0, fmt.Errorf("train the built-in theme model: %w", err)
	}
	c.shipped, c.print, c.examples = m, builtInFingerprint(m), len(examples)
	return c.shipped, c.print, c.examples, nil
}

// builtInModel returns the built-in model: as stored when it was trained
// again, otherwise as shipped, recording the shipped model's row when it is
// missing or its fingerprint is another heard's.
func (s *Store) builtInModel(ctx context.Context) (*themes.Model, ThemeModelInfo, error) {
	row, err := findThemeModel(ctx, s.db, themes.BuiltInName)
	switch {
	case err == nil && row.Bytes > 0:
		m, err := s.decodeThemeModel(ctx, row)
		return m, row.info(), err
	case err != nil && !errors.Is(err, ErrNotFound):
		return nil, ThemeModelInfo{}, fmt.Errorf("theme model %q: %w", themes.BuiltInName, err)
	}
	m, print, examples, err := s.shippedModel()
	if err != nil {
		return nil, ThemeModelInfo{}, err
	}
	if row.ID != 0 && row.Fingerprint == print {
		return m, row.info(), nil
	}
	err = s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		row, err = recordShipped(ctx, tx, m, print, examples)
		return err
	})
	if err != nil {
		return nil, ThemeModelInfo{}, fmt.Errorf("record the built-in theme model: %w", err)
	}
	if row.Bytes > 0 { // trained again by another process meanwhile
		m, err := s.decodeThemeModel(ctx, row)
		return m, row.info(), err
	}
	return m, row.info(), nil
}

// recordShipped writes the shipped built-in model's row: version 1, or the
// next version when another heard's shipped model was recorded. A row that
// another process recorded meanwhile (or a retrained, stored model) is
// left as it is.
func recordShipped(ctx context.Context, tx *gorm.DB, m *themes.Model, print string, examples int) (themeModelRow, error) {
	now := formatTime(tx.NowFunc())
	row, err := findThemeModel(ctx, tx, themes.BuiltInName)
	switch {
	case err == nil && (row.Bytes > 0 || row.Fingerprint == print):
		return row, nil
	case err == nil:
		err = tx.WithContext(ctx).Exec(`UPDATE theme_models SET version = version + 1, themes = ?, sentiment = ?, built_in = 1,
			comments = ?, model = ?, trained_at = ?, trained_by = '', fingerprint = ? WHERE id = ?`,
			encodeThemes(m.Themes()), m.HasSentiment(), examples, []byte{}, now, print, row.ID).Error
	case errors.Is(err, ErrNotFound):
		ins := themeModelInsert{Name: themes.BuiltInName, Version: 1, Themes: encodeThemes(m.Themes()), Sentiment: m.HasSentiment(),
			BuiltIn: true, Comments: examples, Model: []byte{}, CreatedAt: now, TrainedAt: now, Fingerprint: print}
		err = gorm.G[themeModelInsert](tx).Create(ctx, &ins)
	}
	if err != nil {
		return themeModelRow{}, err
	}
	return findThemeModel(ctx, tx, themes.BuiltInName)
}

// isShipped reports whether a model row is the shipped built-in model,
// whose model is not stored.
func isShipped(r themeModelRow) bool {
	return r.BuiltIn && r.Bytes == 0 && strings.TrimSpace(r.Fingerprint) != ""
}
