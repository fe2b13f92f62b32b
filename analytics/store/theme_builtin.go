package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sync"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics/themes"
)

// The built-in model is trained from the NHS file heard ships the first
// time a database needs it (tens of seconds) and stored, so that later
// processes read it in a fraction of a second. Its row records the heard
// build that last checked it: a heard of another build trains it again,
// and if the model it ships differs (its fingerprint does), stores it as a
// new version, so that the comments are classified again; if not, only the
// build is recorded. Retrained with analysts' corrections (fingerprint
// ""), the stored model is used whatever the build.

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

// buildKey names this heard's build: its commit when built from a clean
// checkout, otherwise a digest of its executable (a test binary, or a
// build with local changes).
func buildKey() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return "commit " + rev
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return "binary " + hex.EncodeToString(h.Sum(nil))[:32]
}

// builtInModel returns the built-in model, as stored when this build (or
// an analyst's retraining) stored or checked it; otherwise it trains the
// shipped model and stores or records it (see above). Concurrent callers in
// a process train it once.
func (s *Store) builtInModel(ctx context.Context) (*themes.Model, ThemeModelInfo, error) {
	c := &s.themeCache
	c.builtIn.Lock()
	defer c.builtIn.Unlock()
	if c.build == "" {
		c.build = buildKey()
	}
	row, err := findThemeModel(ctx, s.db, themes.BuiltInName)
	switch {
	case err == nil && row.Bytes > 0 && (row.Fingerprint == "" || row.Build == c.build):
		m, err := s.decodeThemeModel(ctx, row)
		return m, row.info(), err
	case err != nil && !errors.Is(err, ErrNotFound):
		return nil, ThemeModelInfo{}, fmt.Errorf("theme model %q: %w", themes.BuiltInName, err)
	}
	t, err := trainBuiltIn(ctx, row.Fingerprint)
	if err != nil {
		return nil, ThemeModelInfo{}, err
	}
	m, print, examples, blob := t.model, t.print, t.examples, t.blob
	err = s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		row, err = recordBuiltIn(ctx, tx, m, blob, print, c.build, examples)
		return err
	})
	if err != nil {
		return nil, ThemeModelInfo{}, fmt.Errorf("store the built-in theme model: %w", err)
	}
	if row.Fingerprint != print { // retrained by another process meanwhile
		m, err := s.decodeThemeModel(ctx, row)
		return m, row.info(), err
	}
	s.themeCache.put(row, m)
	return m, row.info(), nil
}

// recordBuiltIn writes the built-in model's row for this build: version 1
// with the model; or, over a row of another build, the build alone when the
// fingerprint is the same, else the model as the next version. blob is nil
// when the caller found the fingerprint the same. A row that another
// process wrote meanwhile for this build, or a retrained model, is left as
// it is.
func recordBuiltIn(ctx context.Context, tx *gorm.DB, m *themes.Model, blob []byte, print, build string, examples int) (themeModelRow, error) {
	now := formatTime(tx.NowFunc())
	row, err := findThemeModel(ctx, tx, themes.BuiltInName)
	switch {
	case err == nil && (row.Fingerprint == "" || row.Build == build):
		return row, nil
	case err == nil && row.Fingerprint == print:
		err = tx.WithContext(ctx).Exec("UPDATE theme_models SET build = ? WHERE id = ?", build, row.ID).Error
	case err == nil && blob != nil:
		err = tx.WithContext(ctx).Exec(`UPDATE theme_models SET version = version + 1, themes = ?, sentiment = ?, built_in = 1,
			comments = ?, model = ?, trained_at = ?, trained_by = '', fingerprint = ?, build = ? WHERE id = ?`,
			encodeThemes(m.Themes()), m.HasSentiment(), examples, blob, now, print, build, row.ID).Error
	case errors.Is(err, ErrNotFound) && blob != nil:
		ins := themeModelInsert{Name: themes.BuiltInName, Version: 1, Themes: encodeThemes(m.Themes()), Sentiment: m.HasSentiment(),
			BuiltIn: true, Comments: examples, Model: blob, CreatedAt: now, TrainedAt: now, Fingerprint: print, Build: build}
		err = gorm.G[themeModelInsert](tx).Create(ctx, &ins)
	case err == nil || errors.Is(err, ErrNotFound):
		err = errors.New("the built-in model changed while it was checked: try again")
	}
	if err != nil {
		return themeModelRow{}, err
	}
	return findThemeModel(ctx, tx, themes.BuiltInName)
}

// trainedBuiltIn is the shipped built-in model, trained, with its
// fingerprint, the number of comments it learnt from and its encoding.
type trainedBuiltIn struct {
	model    *themes.Model
	print    string
	examples int
	blob     []byte
	err      error
}

// trainBuiltIn trains the shipped built-in model on a goroutine of its own,
// and encodes it unless its fingerprint is known (the model stored is the
// same); and gives up waiting when ctx
// ends, so that shutting the service down does not wait for training
// (tens of seconds) to finish: the training goes on, and its result is
// kept for the next caller (themes.BuiltIn trains once a process).
func trainBuiltIn(ctx context.Context, known string) (trainedBuiltIn, error) {
	done := make(chan trainedBuiltIn, 1)
	go func() {
		var t trainedBuiltIn
		defer func() { done <- t }()
		if t.model, t.err = themes.BuiltIn(); t.err != nil {
			return
		}
		examples, err := themes.NHSExamples()
		if t.err = err; err != nil {
			return
		}
		t.examples, t.print = len(examples), builtInFingerprint(t.model)
		if t.print != known {
			t.blob, t.err = builtInBlob(t.model)
		}
	}()
	select {
	case <-ctx.Done():
		return trainedBuiltIn{}, fmt.Errorf("train the built-in theme model: %w", ctx.Err())
	case t := <-done:
		if t.err != nil {
			return trainedBuiltIn{}, fmt.Errorf("train the built-in theme model: %w", t.err)
		}
		return t, nil
	}
}

// shippedBlob is the built-in model's encoding. Like the model itself
// (themes.BuiltIn), it is the same for the whole process, and encoding it
// takes seconds, so it is made once a process: a test binary opens many
// new databases.
var shippedBlob struct {
	once sync.Once
	blob []byte
	err  error
}

// builtInBlob encodes m, the model themes.BuiltIn returned, once a process.
func builtInBlob(m *themes.Model) ([]byte, error) {
	shippedBlob.once.Do(func() {
		if b := themes.BuiltInBytes(); m == builtInOrNil() {
			shippedBlob.blob = b
			return
		}
		shippedBlob.blob, shippedBlob.err = m.MarshalBinary()
	})
	return shippedBlob.blob, shippedBlob.err
}

// builtInOrNil is themes.BuiltIn's model, or nil when it cannot be read.
func builtInOrNil() *themes.Model {
	m, err := themes.BuiltIn()
	if err != nil {
		return nil
	}
	return m
}
