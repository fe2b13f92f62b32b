package themes

import (
	"math"
	"math/rand"
)

// config is training's settings; Train uses defaultConfig.
type config struct {
	spec       featureSpec
	minDF      int       // an n-gram must be in at least this many comments
	maxWeights int       // at most this many weights (features x classes), which bounds the model's size
	c          float64   // the SVM's C without cross-validation, and for sentiment
	cs         []float64 // the candidates for the themes' C, chosen by cross-validation
	eps        float64   // the SVM's stopping tolerance
	folds      int       // cross-validation folds for calibration; 0 for none (threshold 0)
	nbAlpha    float64   // > 0: scale features by naive Bayes log-count ratios (NBSVM)
}

// defaultConfig is what measured best on held-out comments of two
// frameworks (docs/benchmarks.md, "Comment themes"): word 1-2 grams and
// character 2-5 grams, naive Bayes scaling (+1.5 points of micro-F1 over
// the plain SVM), C 0.3. Offered C from {0.1, 0.3, 1}, cross-validation
// chose 0.3 on every split of both the NHS v6 and the phase 1 comments,
// so the one value is kept and training takes a third of the time. The
// per-theme calibration and the cut-off are chosen by cross-validation on
// each training set, whatever its framework.
var defaultConfig = config{
	spec: defaultSpec, minDF: 2, maxWeights: 4_000_000,
	c: 0.3, cs: []float64{0.3}, eps: 0.1, folds: 5, nbAlpha: 1,
}

// Train learns a model from labelled comments. Every example must have at
// least one theme unless its text says nothing (those are left out); the
// model learns sentiment when at least two sentiments are labelled.
// Training is deterministic: the same examples (in the same order) and
// Options give a byte-identical MarshalBinary.
func Train(examples []Example, opts Options) (*Model, error) {
	return train(examples, opts, defaultConfig)
}

func train(examples []Example, opts Options, cfg config) (*Model, error) {
	d, err := readExamples(examples)
	if err != nil {
		return nil, err
	}
	docs := make([]grams, len(d.texts))
	parallel(len(docs), func(i int) { cfg.spec.extract(d.texts[i], &docs[i]) })
	// Weights are float32, feature-major, one per feature and class: at
	// 4 million, 16 MB before compression (the NHS model has 1.6 million).
	vocab := buildVocabulary(docs, cfg.minDF, cfg.maxWeights/(len(d.themes)+len(d.sentiments)))
	x := vocab.vectoriseAll(docs)
	docs = nil

	m := &Model{spec: cfg.spec, vocab: vocab, themes: d.themes, sentiments: d.sentiments}
	m.trainThemes(x, d, cfg, opts.Seed)
	m.trainSentiment(x, d, cfg, opts.Seed)
	return m, nil
}

// trainThemes fits one classifier per theme and the thresholds at which
// each is given.
func (m *Model) trainThemes(x *matrix, d *labelled, cfg config, seed int64) {
	nt := len(d.themes)
	p := svmParams{cPos: cfg.c, cNeg: cfg.c, eps: cfg.eps, maxIter: 1000}
	m.thr = make([]float32, nt)
	m.slope = make([]float32, nt)
	for t := range m.slope {
		m.slope[t] = 1
	}
	if cfg.folds >= 2 {
		// For each candidate C, calibrate each theme's scores into
		// probabilities on comments its classifier did not see and
		// choose one probability cut-off for all; keep the C whose
		// cut-off gives the best out-of-fold micro-F1, and store the
		// cut-off as a threshold on each theme's score.
		var best calibration
		for k, c := range cfg.cs {
			cal := calibrate(x, d, cfg, c, seed)
			if k == 0 || cal.f1 > best.f1 {
				best = cal
			}
		}
		p.cPos, p.cNeg = best.c, best.c
		logit := math.Log(best.cut / (1 - best.cut))
		for t := range nt {
			m.thr[t] = float32((logit - best.b[t]) / best.a[t])
			m.slope[t] = float32(best.a[t])
		}
	}
	models := make([]linear, nt)
	parallel(nt, func(t int) {
		models[t] = fitTheme(x, d.themed, d.y[t], p, cfg.nbAlpha, rng(seed, 0, t))
	})
	m.tw, m.tb = pack(models, x.cols)
}

// trainSentiment fits one classifier per sentiment, one against the
// others; the highest score wins.
func (m *Model) trainSentiment(x *matrix, d *labelled, cfg config, seed int64) {
	ns := len(d.sentiments)
	if ns == 0 {
		return
	}
	var known []int
	for i, c := range d.sent {
		if c >= 0 {
			known = append(known, i)
		}
	}
	p := svmParams{cPos: cfg.c, cNeg: cfg.c, eps: cfg.eps, maxIter: 1000}
	models := make([]linear, ns)
	parallel(ns, func(k int) {
		y := make([]bool, len(d.sent))
		for i, c := range d.sent {
			y[i] = c == k
		}
		models[k] = trainSVM(x, known, y, p, rng(seed, 1, k))
	})
	m.sw, m.sb = pack(models, x.cols)
}

// calibration is what cross-validation found for one C: each theme's
// Platt scaling of scores into probabilities (a, b), the probability
// cut-off that gave the best micro-F1 and that F1.
type calibration struct {
	c, cut, f1 float64
	a, b       []float64
}

func calibrate(x *matrix, d *labelled, cfg config, c float64, seed int64) calibration {
	p := svmParams{cPos: c, cNeg: c, eps: cfg.eps, maxIter: 1000}
	oof := outOfFold(x, d, cfg.folds, p, cfg.nbAlpha, seed)
	nt := len(d.themes)
	cal := calibration{c: c, a: make([]float64, nt), b: make([]float64, nt)}
	ys := make([][]bool, nt)
	for t := range nt {
		ys[t] = d.themedY(t)
		cal.a[t], cal.b[t] = platt(oof[t], ys[t])
		for j, s := range oof[t] {
			oof[t][j] = sigmoid(cal.a[t]*s + cal.b[t])
		}
	}
	cal.cut, cal.f1 = chooseCutoff(oof, ys)
	return cal
}

// rng is the random source of one classifier: its seed mixes the
// training seed, the stage and the class, so each is reproducible on its
// own whatever order the work is done in.
func rng(seed int64, stage, k int) *rand.Rand {
	return rand.New(rand.NewSource(seed*1_000_003 + int64(stage)*65_537 + int64(k)))
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// folds assigns each comment to one of k folds, a whole group to one
// fold, groups shuffled with seed and dealt out in turn.
func foldsOf(groups []string, k int, seed int64) []int {
	index := map[string]int{}
	var of []int // group per comment
	n := 0
	for _, g := range groups {
		if g == "" {
			of = append(of, n)
			n++
			continue
		}
		id, ok := index[g]
		if !ok {
			id = n
			index[g] = n
			n++
		}
		of = append(of, id)
	}
	fold := make([]int, n)
	for pos, g := range rand.New(rand.NewSource(seed)).Perm(n) {
		fold[g] = pos % k
	}
	out := make([]int, len(groups))
	for i, g := range of {
		out[i] = fold[g]
	}
	return out
}

// outOfFold is each theme's decision value for each comment in
// d.themed from a model trained without the comment's fold:
// oof[t][j] for comment d.themed[j].
func outOfFold(x *matrix, d *labelled, k int, p svmParams, nbAlpha float64, seed int64) [][]float64 {
	fold := foldsOf(d.groups, k, seed)
	nt := len(d.themes)
	oof := make([][]float64, nt)
	for t := range oof {
		oof[t] = make([]float64, len(d.themed))
	}
	trainIdx := make([][]int, k)
	testIdx := make([][]int, k) // positions in d.themed
	for j, i := range d.themed {
		f := fold[i]
		for g := range k {
			if g == f {
				testIdx[g] = append(testIdx[g], j)
			} else {
				trainIdx[g] = append(trainIdx[g], i)
			}
		}
	}
	parallel(nt*k, func(job int) {
		t, f := job/k, job%k
		l := fitTheme(x, trainIdx[f], d.y[t], p, nbAlpha, rng(seed, 2+f, t))
		for _, j := range testIdx[f] {
			oof[t][j] = l.score(x.row(d.themed[j]))
		}
	})
	return oof
}

// themedY is theme t's labels of the comments in d.themed.
func (d *labelled) themedY(t int) []bool {
	y := make([]bool, len(d.themed))
	for j, i := range d.themed {
		y[j] = d.y[t][i]
	}
	return y
}

// fitTheme trains one theme's classifier on rows idx.
func fitTheme(x *matrix, idx []int, y []bool, p svmParams, nbAlpha float64, r *rand.Rand) linear {
	var scale []float64
	if nbAlpha > 0 {
		scale = nbRatios(x, idx, y, nbAlpha)
	}
	return trainSVMScaled(x, idx, y, p, scale, r)
}

// nbRatios are the naive Bayes log-count ratios of each feature between
// the positive and negative rows (Wang and Manning, "Baselines and
// bigrams", ACL 2012): log((p/|p|)/(q/|q|)), p = alpha + the positive
// rows' sum, q the same for the negative rows.
func nbRatios(x *matrix, idx []int, y []bool, alpha float64) []float64 {
	p := make([]float64, x.cols)
	q := make([]float64, x.cols)
	for _, i := range idx {
		dst := q
		if y[i] {
			dst = p
		}
		for _, e := range x.row(i) {
			dst[e.col] += float64(e.val)
		}
	}
	var sp, sq float64
	for c := range p {
		p[c] += alpha
		q[c] += alpha
		sp += p[c]
		sq += q[c]
	}
	r := make([]float64, x.cols)
	for c := range r {
		r[c] = math.Log((p[c] / sp) / (q[c] / sq))
	}
	return r
}
