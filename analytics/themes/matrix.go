package themes

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// matrix is a sparse matrix of comments (rows) by features (columns).
type matrix struct {
	ptr  []int // row i is ent[ptr[i]:ptr[i+1]]
	ent  []entry
	cols int
}

func (x *matrix) rows() int { return len(x.ptr) - 1 }

func (x *matrix) row(i int) []entry { return x.ent[x.ptr[i]:x.ptr[i+1]] }

// buildVocabulary keeps the n-grams found in at least minDF comments, at
// most maxFeatures of them (0 for no limit; each block, words and
// characters, keeps its share, the most frequent first), with smoothed IDF
// ln((1+n)/(1+df)) + 1.
func buildVocabulary(docs []grams, minDF, maxFeatures int) *vocabulary {
	n := len(docs)
	words := keep(docs, func(g *grams) []uint64 { return g.word }, minDF)
	chars := keep(docs, func(g *grams) []uint64 { return g.char }, minDF)
	if total := len(words) + len(chars); maxFeatures > 0 && total > maxFeatures {
		w := maxFeatures * len(words) / total
		words, chars = mostFrequent(words, w), mostFrequent(chars, maxFeatures-w)
	}
	v := &vocabulary{nWord: len(words)}
	for _, blk := range [][]hashDF{words, chars} {
		for _, f := range blk {
			v.hashes = append(v.hashes, f.h)
			v.idf = append(v.idf, float32(ln((1+float64(n))/(1+float64(f.df)))+1))
		}
	}
	v.buildIndex()
	return v
}

type hashDF struct {
	h  uint64
	df int
}

// keep is the n-grams of one block found in at least minDF comments,
// sorted by hash.
func keep(docs []grams, block func(*grams) []uint64, minDF int) []hashDF {
	df := make(map[uint64]int)
	for i := range docs {
		hs := block(&docs[i])
		for j := 0; j < len(hs); j++ {
			if j == 0 || hs[j] != hs[j-1] {
				df[hs[j]]++
			}
		}
	}
	var out []hashDF
	for h, c := range df {
		if c >= minDF {
			out = append(out, hashDF{h, c})
		}
	}
	slices.SortFunc(out, func(a, b hashDF) int { return cmp.Compare(a.h, b.h) })
	return out
}

// mostFrequent is the n most frequent of fs (ties by hash), sorted by
// hash.
func mostFrequent(fs []hashDF, n int) []hashDF {
	if len(fs) <= n {
		return fs
	}
	slices.SortFunc(fs, func(a, b hashDF) int {
		if c := cmp.Compare(b.df, a.df); c != 0 {
			return c
		}
		return cmp.Compare(a.h, b.h)
	})
	fs = fs[:n]
	slices.SortFunc(fs, func(a, b hashDF) int { return cmp.Compare(a.h, b.h) })
	return fs
}

// vectoriseAll is the matrix of docs' TF-IDF vectors.
func (v *vocabulary) vectoriseAll(docs []grams) *matrix {
	x := &matrix{ptr: make([]int, 1, len(docs)+1), cols: len(v.hashes)}
	for i := range docs {
		x.ent = v.vectorise(&docs[i], x.ent)
		x.ptr = append(x.ptr, len(x.ent))
	}
	return x
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
