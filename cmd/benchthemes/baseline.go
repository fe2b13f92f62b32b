package main

import (
	"math"
	"math/rand"
	"regexp"
	"strings"

	"github.com/heard-council/heard/analytics/themes"
)

// The plain baseline, written here independently of package themes so
// that it matches what scikit-learn's defaults do: TfidfVectorizer(
// ngram_range=(1, 2)) (lower case, tokens of two or more word characters,
// raw counts, smoothed IDF, L2 norm) and one LinearSVC(C=1) per theme
// (L2-regularised squared hinge, bias as a regularised feature), a theme
// given when its decision value is above 0, so a comment can get none.
// Sentiment is the class whose one-vs-rest LinearSVC scores highest.

var token = regexp.MustCompile(`[\p{L}\p{N}_]{2,}`)

type sparseRow struct {
	cols []int
	vals []float64
}

type baselineModel struct {
	vocab map[string]int
	idf   []float64
}

func (b *baselineModel) terms(text string) []string {
	toks := token.FindAllString(strings.ToLower(text), -1)
	out := append([]string(nil), toks...)
	for i := 0; i+1 < len(toks); i++ {
		out = append(out, toks[i]+" "+toks[i+1])
	}
	return out
}

func (b *baselineModel) fit(texts []string) []sparseRow {
	b.vocab = map[string]int{}
	var df []int
	for _, t := range texts {
		seen := map[string]bool{}
		for _, term := range b.terms(t) {
			if seen[term] {
				continue
			}
			seen[term] = true
			c, ok := b.vocab[term]
			if !ok {
				c = len(df)
				b.vocab[term] = c
				df = append(df, 0)
			}
			df[c]++
		}
	}
	n := float64(len(texts))
	b.idf = make([]float64, len(df))
	for c, d := range df {
		b.idf[c] = math.Log((1+n)/(1+float64(d))) + 1
	}
	rows := make([]sparseRow, len(texts))
	for i, t := range texts {
		rows[i] = b.vector(t)
	}
	return rows
}

func (b *baselineModel) vector(text string) sparseRow {
	tf := map[int]float64{}
	var order []int
	for _, term := range b.terms(text) {
		if c, ok := b.vocab[term]; ok {
			if tf[c] == 0 {
				order = append(order, c)
			}
			tf[c]++
		}
	}
	var r sparseRow
	var sum float64
	for _, c := range order {
		v := tf[c] * b.idf[c]
		r.cols = append(r.cols, c)
		r.vals = append(r.vals, v)
		sum += v * v
	}
	for k := range r.vals {
		r.vals[k] /= math.Sqrt(sum)
	}
	return r
}

// svm is LIBLINEAR's dual coordinate descent for the L2-loss SVM, C=1,
// tolerance 1e-4 (LinearSVC's), without shrinking.
func svm(x []sparseRow, y []bool, cols int, rng *rand.Rand) (w []float64, bias float64) {
	const c = 1.0
	w = make([]float64, cols)
	alpha := make([]float64, len(x))
	qd := make([]float64, len(x))
	for i, r := range x {
		qd[i] = 0.5/c + 1
		for _, v := range r.vals {
			qd[i] += v * v
		}
	}
	for iter := 0; iter < 1000; iter++ {
		maxPG, minPG := math.Inf(-1), math.Inf(1)
		for _, i := range rng.Perm(len(x)) {
			yi := -1.0
			if y[i] {
				yi = 1
			}
			wx := bias
			for k, col := range x[i].cols {
				wx += w[col] * x[i].vals[k]
			}
			g := yi*wx - 1 + alpha[i]*0.5/c
			pg := g
			if alpha[i] == 0 && g > 0 {
				pg = 0
			}
			maxPG, minPG = math.Max(maxPG, pg), math.Min(minPG, pg)
			if pg != 0 {
				old := alpha[i]
				alpha[i] = math.Max(old-g/qd[i], 0)
				d := (alpha[i] - old) * yi
				for k, col := range x[i].cols {
					w[col] += d * x[i].vals[k]
				}
				bias += d
			}
		}
		if maxPG-minPG <= 1e-4 {
			break
		}
	}
	return w, bias
}

func decision(w []float64, bias float64, r sparseRow) float64 {
	s := bias
	for k, col := range r.cols {
		s += w[col] * r.vals[k]
	}
	return s
}

// baseline trains the plain model on train and evaluates it on test with
// the same arithmetic as themes.Evaluate.
func baseline(train, test []themes.Example, seed int64) themes.Evaluation {
	var b baselineModel
	texts := make([]string, len(train))
	for i, e := range train {
		texts[i] = e.Text
	}
	x := b.fit(texts)
	var names []string
	index := map[string]int{}
	for _, e := range train {
		for _, t := range e.Themes {
			if _, ok := index[t]; !ok {
				index[t] = len(names)
				names = append(names, t)
			}
		}
	}
	rng := rand.New(rand.NewSource(seed))
	type clf struct {
		w    []float64
		bias float64
	}
	theme := make([]clf, len(names))
	for t, name := range names {
		y := make([]bool, len(train))
		for i, e := range train {
			for _, th := range e.Themes {
				y[i] = y[i] || th == name
			}
		}
		theme[t].w, theme[t].bias = svm(x, y, len(b.idf), rng)
	}
	sentiments := []string{themes.Positive, themes.Mixed, themes.Negative}
	var known []sparseRow
	var labels []string
	for i, e := range train {
		if s, ok := themes.ParseSentiment(e.Sentiment); ok {
			known = append(known, x[i])
			labels = append(labels, s)
		}
	}
	sent := make([]clf, len(sentiments))
	for k, s := range sentiments {
		y := make([]bool, len(labels))
		for i, l := range labels {
			y[i] = l == s
		}
		sent[k].w, sent[k].bias = svm(known, y, len(b.idf), rng)
	}
	preds := make([]themes.Result, len(test))
	for i, e := range test {
		r := b.vector(e.Text)
		preds[i].Themes = []string{}
		for t, c := range theme {
			if decision(c.w, c.bias, r) > 0 {
				preds[i].Themes = append(preds[i].Themes, names[t])
			}
		}
		best := math.Inf(-1)
		if len(known) > 0 {
			for k, c := range sent {
				if d := decision(c.w, c.bias, r); d > best {
					best, preds[i].Sentiment = d, sentiments[k]
				}
			}
		}
		preds[i].Scores = map[string]float64{}
	}
	return themes.EvaluateResults(test, preds, len(known) > 0)
}
