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
	sc := func(e entry) float64 {
		if scale == nil {
			return float64(e.val)
		}
		return float64(e.val) * scale[e.col]
	}
	l := len(idx)
	w := make([]float64, x.cols)
	var b float64
	alpha := make([]float64, l)
	qd := make([]float64, l)
	diag := func(pos bool) float64 {
		if pos {
			return 0.5 / p.cPos
		}
		return 0.5 / p.cNeg
	}
	order := make([]int, l)
	for s, i := range idx {
		order[s] = s
		q := diag(y[i]) + 1 // the bias feature
		for _, e := range x.row(i) {
			q += sc(e) * sc(e)
		}
		qd[s] = q
	}
	active := l
	pgMaxOld, pgMinOld := math.Inf(1), math.Inf(-1)
	for iter := 0; iter < p.maxIter; iter++ {
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for s := 0; s < active; s++ {
			j := s + rng.Intn(active-s)
			order[s], order[j] = order[j], order[s]
		}
		for s := 0; s < active; s++ {
			k := order[s]
			i := idx[k]
			row := x.row(i)
			yi := -1.0
			if y[i] {
				yi = 1
			}
			wx := b
			for _, e := range row {
				wx += w[e.col] * sc(e)
			}
			g := yi*wx - 1 + alpha[k]*diag(y[i])
			pg := 0.0
			if alpha[k] == 0 {
				if g > pgMaxOld {
					active--
					order[s], order[active] = order[active], order[s]
					s--
					continue
				}
				if g < 0 {
					pg = g
				}
			} else {
				pg = g
			}
			pgMax = math.Max(pgMax, pg)
			pgMin = math.Min(pgMin, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[k]
				alpha[k] = math.Max(old-g/qd[k], 0)
				d := (alpha[k] - old) * yi
				for _, e := range row {
					w[e.col] += d * sc(e)
				}
				b += d
			}
		}
		if pgMax-pgMin <= p.eps {
			if active == l {
				break
			}
			active = l
			pgMaxOld, pgMinOld = math.Inf(1), math.Inf(-1)
			continue
		}
		pgMaxOld, pgMinOld = pgMax, pgMin
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
		if pgMinOld >= 0 {
			pgMinOld = math.Inf(-1)
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
