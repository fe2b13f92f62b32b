package themes

import (
	"math"
	"math/rand"
)

// linear is a trained linear classifier: score = w·x + b.
type linear struct {
	w []float64
	b float64
}

func (l *linear) score(x []entry) float64 {
	s := l.b
	for _, e := range x {
		s += l.w[e.col] * float64(e.val)
	}
	return s
}

// svmParams are an L2-regularised, L2-loss (squared hinge) support vector
// machine's: C per class (positive and negative), the stopping tolerance
// on the projected gradient and the most passes.
type svmParams struct {
	cPos, cNeg float64
	eps        float64
	maxIter    int
}

// trainSVM fits a linear L2-loss SVM on the rows idx of x with labels
// y[i] (true for the positive class), by dual coordinate descent with
// shrinking (Hsieh, Chang, Lin, Keerthi and Sundararajan, "A dual
// coordinate descent method for large-scale linear SVM", ICML 2008; the
// algorithm of LIBLINEAR's L2R_L2LOSS_SVC_DUAL, which scikit-learn's
// LinearSVC runs). The bias is a constant feature of 1, regularised like
// the others, as in LIBLINEAR with -B 1. The order of coordinates is
// shuffled with rng, so the same rng gives the same model.
func trainSVM(x *matrix, idx []int, y []bool, p svmParams, rng *rand.Rand) linear {
	return trainSVMScaled(x, idx, y, p, nil, rng)
}

// trainSVMScaled is trainSVM on x with each column c multiplied by
// scale[c] (nil for none); the weights it returns apply to x unscaled.
func trainSVMScaled(x *matrix, idx []int, y []bool, p svmParams, scale []float64, rng *rand.Rand) linear {
	// The rows, scaled, copied together: the passes below read them
	// many times, in order.
	l := len(idx)
	ptr := make([]int, l+1)
	nnz := 0
	for s, i := range idx {
		nnz += x.ptr[i+1] - x.ptr[i]
		ptr[s+1] = nnz
	}
	cols := make([]int32, 0, nnz)
	vals := make([]float64, 0, nnz)
	qd := make([]float64, l)
	yy := make([]float64, l)
	diag := make([]float64, l)
	for s, i := range idx {
		q := 0.0
		for _, e := range x.row(i) {
			v := float64(e.val)
			if scale != nil {
				v *= scale[e.col]
			}
			cols = append(cols, e.col)
			vals = append(vals, v)
			q += v * v
		}
		yy[s], diag[s] = -1, 0.5/p.cNeg
		if y[i] {
			yy[s], diag[s] = 1, 0.5/p.cPos
		}
		qd[s] = q + 1 + diag[s] // 1 for the bias feature
	}

	w := make([]float64, x.cols)
	var b float64
	alpha := make([]float64, l)
	order := make([]int, l)
	for s := range order {
		order[s] = s
	}
	active := l
	pgMaxOld := math.Inf(1)
	for iter := 0; iter < p.maxIter; iter++ {
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for s := 0; s < active; s++ {
			j := s + rng.Intn(active-s)
			order[s], order[j] = order[j], order[s]
		}
		for s := 0; s < active; s++ {
			k := order[s]
			rc, rv := cols[ptr[k]:ptr[k+1]], vals[ptr[k]:ptr[k+1]]
			wx := b
			for n, c := range rc {
				wx += w[c] * rv[n]
			}
			g := yy[k]*wx - 1 + alpha[k]*diag[k]
			pg := g
			if alpha[k] == 0 {
				if g > pgMaxOld {
					// Shrink: this coordinate is at its bound and
					// likely to stay there.
					active--
					order[s], order[active] = order[active], order[s]
					s--
					continue
				}
				pg = math.Min(g, 0)
			}
			pgMax = math.Max(pgMax, pg)
			pgMin = math.Min(pgMin, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[k]
				alpha[k] = math.Max(old-g/qd[k], 0)
				d := (alpha[k] - old) * yy[k]
				for n, c := range rc {
					w[c] += d * rv[n]
				}
				b += d
			}
		}
		if pgMax-pgMin <= p.eps {
			if active == l {
				break
			}
			active = l
			pgMaxOld = math.Inf(1)
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
	if scale != nil {
		for c := range w {
			w[c] *= scale[c]
		}
	}
	return linear{w: w, b: b}
}

func ln(x float64) float64 { return math.Log(x) }
