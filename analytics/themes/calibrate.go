package themes

import "math"

// platt fits P(theme | score s) = 1/(1+exp(-(a*s+b))) to out-of-fold
// scores by maximum likelihood with Platt's smoothed targets, by Newton's
// method with a backtracking line search (Platt, "Probabilistic outputs
// for support vector machines", 1999, as improved by Lin, Lin and Weng,
// "A note on Platt's probabilistic outputs for support vector machines",
// Machine Learning 68, 2007). A slope that comes out below a small
// positive value is raised to it, so that a higher score never means a
// lower probability.
func platt(scores []float64, y []bool) (a, b float64) {
	var np, nn float64
	for _, v := range y {
		if v {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	target := func(i int) float64 {
		if y[i] {
			return hi
		}
		return lo
	}
	// f(a, b) is the negative log-likelihood, computed stably.
	f := func(a, b float64) float64 {
		var sum float64
		for i, s := range scores {
			z := a*s + b
			t := target(i)
			if z >= 0 {
				sum += (1-t)*z + math.Log1p(math.Exp(-z))
			} else {
				sum += -t*z + math.Log1p(math.Exp(z))
			}
		}
		return sum
	}
	a, b = 1, math.Log((np+1)/(nn+1))
	fval := f(a, b)
	for range 100 {
		var g1, g2, h11, h12, h22 float64
		for i, s := range scores {
			z := a*s + b
			var p float64
			if z >= 0 {
				p = 1 / (1 + math.Exp(-z))
			} else {
				e := math.Exp(z)
				p = e / (1 + e)
			}
			d := p - target(i)
			w := p * (1 - p)
			g1 += d * s
			g2 += d
			h11 += w * s * s
			h12 += w * s
			h22 += w
		}
		if math.Abs(g1) < 1e-5 && math.Abs(g2) < 1e-5 {
			break
		}
		h11 += 1e-12
		h22 += 1e-12
		det := h11*h22 - h12*h12
		da := -(h22*g1 - h12*g2) / det
		db := -(h11*g2 - h12*g1) / det
		gd := g1*da + g2*db
		step := 1.0
		for step >= 1e-10 {
			na, nb := a+step*da, b+step*db
			nf := f(na, nb)
			if nf < fval+1e-4*step*gd {
				a, b, fval = na, nb, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	if a < 1e-3 {
		a = 1e-3
	}
	return a, b
}

// sigmoid is 1/(1+exp(-z)).
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// chooseCutoff is the probability (and the micro-F1 it gives) at which every theme is given that
// gives the best micro-F1 on out-of-fold probabilities prob[t][j] with
// labels y[t][j], each comment getting its most probable theme when none
// reaches the cut-off (as Classify does). One cut-off for all themes,
// over calibrated probabilities, rather than one per theme: per-theme
// cut-offs chosen on a few hundred comments fit the noise of rare themes
// and did worse on held-out comments.
func chooseCutoff(prob [][]float64, y [][]bool) (cut, f1 float64) {
	nt := len(prob)
	if nt == 0 || len(prob[0]) == 0 {
		return 0.5, 0
	}
	n := len(prob[0])
	best, bestF := 0.5, -1.0
	for step := 5; step <= 95; step++ {
		cut := float64(step) / 100
		var tp, fp, fn int
		for j := 0; j < n; j++ {
			top, topP, any := 0, -1.0, false
			for t := 0; t < nt; t++ {
				p := prob[t][j]
				if p >= cut {
					any = true
					if y[t][j] {
						tp++
					} else {
						fp++
					}
				} else if y[t][j] {
					fn++
				}
				if p > topP {
					top, topP = t, p
				}
			}
			if !any {
				if y[top][j] {
					tp++
					fn--
				} else {
					fp++
				}
			}
		}
		if f := 2 * float64(tp) / float64(2*tp+fp+fn); f > bestF {
			best, bestF = cut, f
		}
	}
	return best, bestF
}
