package themes

import (
	"math/rand"
	"runtime"
	"sync"
)

// Training's fixed choices.
const (
	minDF       = 2      // an n-gram must be in at least this many comments
	maxFeatures = 200000 // of each block (words, characters)
)

// Train learns a model from labelled comments. Every example must have at
// least one theme unless its text says nothing (those are left out); the
// model learns sentiment when at least two sentiments are labelled.
// Training is deterministic: the same examples (in the same order) and
// Options give a byte-identical MarshalBinary.
func Train(examples []Example, opts Options) (*Model, error) {
	d, err := readExamples(examples)
	if err != nil {
		return nil, err
	}
	spec := defaultSpec
	docs := make([]grams, len(d.texts))
	parallel(len(docs), func(i int) { spec.extract(d.texts[i], &docs[i]) })
	vocab := buildVocabulary(docs, minDF, maxFeatures)
	x := vocab.vectoriseAll(docs)
	docs = nil

	all := make([]int, x.rows())
	for i := range all {
		all[i] = i
	}
	m := &Model{spec: spec, vocab: vocab, themes: d.themes, sentiments: d.sentiments}
	nt := len(d.themes)
	p := svmParams{cPos: 1, cNeg: 1, eps: 0.01, maxIter: 1000}
	models := make([]linear, nt)
	parallel(nt, func(t int) {
		models[t] = trainSVM(x, all, d.y[t], p, rand.New(rand.NewSource(opts.Seed+int64(t))))
	})
	m.tw, m.tb = pack(models, x.cols)
	m.thr = make([]float32, nt)
	m.slope = make([]float32, nt)
	for t := range m.slope {
		m.slope[t] = 1
	}
	if ns := len(d.sentiments); ns > 0 {
		var known []int
		for i, c := range d.sent {
			if c >= 0 {
				known = append(known, i)
			}
		}
		smodels := make([]linear, ns)
		parallel(ns, func(k int) {
			y := make([]bool, len(d.sent))
			for i, c := range d.sent {
				y[i] = c == k
			}
			smodels[k] = trainSVM(x, known, y, p, rand.New(rand.NewSource(opts.Seed+1000+int64(k))))
		})
		m.sw, m.sb = pack(smodels, x.cols)
	}
	return m, nil
}

// pack lays classifiers' weights out feature-major, as float32.
func pack(ls []linear, cols int) (w, b []float32) {
	n := len(ls)
	w = make([]float32, cols*n)
	b = make([]float32, n)
	for k, l := range ls {
		for c := 0; c < cols; c++ {
			w[c*n+k] = float32(l.w[c])
		}
		b[k] = float32(l.b)
	}
	return w, b
}

// workers is how many goroutines training uses: two at most, so that
// training leaves the rest of a small server to others.
func workers() int { return min(2, runtime.GOMAXPROCS(0)) }

// parallel runs f(0..n-1) on workers() goroutines. Each f writes only its
// own results, so the outcome does not depend on scheduling.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
