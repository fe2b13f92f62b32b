package themes

import (
	"math"
	"strings"
	"sync"
)

// Example is one labelled comment to train or evaluate on.
type Example struct {
	Text string
	// Themes are the comment's themes; empty only when SaysNothing(Text).
	Themes []string
	// Sentiment is "" when not known, otherwise Positive, Mixed or
	// Negative (the NHS codes 1-5 are read as ParseSentiment reads them).
	Sentiment string
	// Group is the respondent the comment came from, so that a split by
	// respondent keeps one person's comments on one side (optional).
	Group string
}

// Options tune training. The zero value is the default.
type Options struct {
	// Seed makes training reproducible: the same examples and seed give a
	// byte-identical model.
	Seed int64
}

// Model is a trained theme and sentiment model. It is safe for concurrent
// use by several goroutines.
type Model struct {
	spec   featureSpec
	vocab  *vocabulary
	themes []string
	// Theme weights, feature-major: tw[col*len(themes)+t].
	tw []float32
	tb []float32 // bias per theme
	// A theme is assigned when its score w·x+b reaches thr; its
	// confidence is 1/(1+exp(-slope*(score-thr))), 0.5 at the threshold.
	thr, slope []float32
	sentiments []string  // the sentiment classes; empty without sentiment
	sw         []float32 // sentiment weights, feature-major
	sb         []float32
	buf        sync.Pool // *scratch
}

// scratch is one Classify's working memory.
type scratch struct {
	g   grams
	x   []entry
	acc []float64
}

// Result is what Classify finds in one comment.
type Result struct {
	// Themes are the comment's themes, in the model's order: at least one
	// unless the comment says nothing, when it is empty (not nil).
	Themes []string
	// Scores are the model's confidence in each theme, 0 to 1: the
	// theme's probability as calibrated on training comments held out by
	// cross-validation, shifted so that the model's cut-off is 0.5. A
	// theme is given at 0.5 or more (or, when none reaches 0.5, the
	// highest is). Empty when the comment says nothing.
	Scores map[string]float64
	// Sentiment is Positive, Mixed or Negative; "" when the model has no
	// sentiment or the comment is blank. A comment that says nothing
	// else ("Nothing.", "No") has a sentiment: as an answer to "what could
	// we do better?" it is praise, and the model learns so from its
	// examples.
	Sentiment string
}

// Themes are the model's theme names, in a fixed order: the order they
// first appear in the training examples (those that say something).
func (m *Model) Themes() []string { return append([]string(nil), m.themes...) }

// HasSentiment reports whether the model was trained with sentiment
// labels and so gives a sentiment for each comment.
func (m *Model) HasSentiment() bool { return len(m.sentiments) > 0 }

// Classify finds the themes and sentiment of one comment.
func (m *Model) Classify(text string) Result {
	nothing := SaysNothing(text)
	if m.vocab == nil || nothing && (!m.HasSentiment() || strings.TrimSpace(text) == "") {
		// (A Model not made by Train or UnmarshalBinary knows nothing.)
		return Result{Themes: []string{}, Scores: map[string]float64{}}
	}
	s, _ := m.buf.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	defer m.buf.Put(s)
	m.spec.extract(text, &s.g)
	s.x = m.vocab.vectorise(&s.g, s.x[:0])
	if nothing {
		// "Nothing." is no theme, but in answer to "what could we do
		// better?" it is a sentiment, and the model learns which.
		return Result{Themes: []string{}, Scores: map[string]float64{}, Sentiment: m.sentiment(s)}
	}

	nt := len(m.themes)
	s.acc = dot(s.x, m.tw, m.tb, nt, s.acc)
	res := Result{Themes: []string{}, Scores: make(map[string]float64, nt)}
	best, bestConf := 0, -1.0
	for t, name := range m.themes {
		conf := 1 / (1 + math.Exp(-float64(m.slope[t])*(s.acc[t]-float64(m.thr[t]))))
		res.Scores[name] = conf
		if s.acc[t] >= float64(m.thr[t]) {
			res.Themes = append(res.Themes, name)
		}
		if conf > bestConf {
			best, bestConf = t, conf
		}
	}
	if len(res.Themes) == 0 && nt > 0 {
		res.Themes = append(res.Themes, m.themes[best])
	}
	res.Sentiment = m.sentiment(s)
	return res
}

// sentiment is the sentiment of the comment vectorised in s, "" when the
// model has none.
func (m *Model) sentiment(s *scratch) string {
	ns := len(m.sentiments)
	if ns == 0 {
		return ""
	}
	s.acc = dot(s.x, m.sw, m.sb, ns, s.acc)
	c := 0
	for k := 1; k < ns; k++ {
		if s.acc[k] > s.acc[c] {
			c = k
		}
	}
	return m.sentiments[c]
}

// dot is b + x·W for each of n classes, W feature-major.
func dot(x []entry, w, b []float32, n int, acc []float64) []float64 {
	acc = acc[:0]
	for k := 0; k < n; k++ {
		acc = append(acc, float64(b[k]))
	}
	for _, e := range x {
		row := w[int(e.col)*n : int(e.col)*n+n]
		v := float64(e.val)
		for k, wk := range row {
			acc[k] += v * float64(wk)
		}
	}
	return acc
}
