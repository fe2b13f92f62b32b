package analytics

import (
	"math"
	"testing"
)

func TestNormal(t *testing.T) {
	// Reference values of R's pnorm/qnorm (qnorm(0.975) = 1.959963984540054,
	// qnorm(0.995) = 2.575829303548901, pnorm(1.96) = 0.9750021048517795,
	// qnorm(1e-10) = -6.361340902404056).
	near(t, "qnorm(0.975)", NormalQuantile(0.975), 1.959963984540054, 1e-12)
	near(t, "qnorm(0.995)", NormalQuantile(0.995), 2.575829303548901, 1e-12)
	near(t, "qnorm(0.5)", NormalQuantile(0.5), 0, 1e-15)
	near(t, "qnorm(1e-10)", NormalQuantile(1e-10), -6.361340902404056, 1e-13)
	near(t, "pnorm(1.96)", NormalCDF(1.96), 0.9750021048517795, 1e-14)
	if !math.IsInf(NormalQuantile(1), 1) || !math.IsNaN(NormalQuantile(1.5)) {
		t.Error("NormalQuantile(1) should be +Inf and NormalQuantile(1.5) NaN")
	}
}

func TestRegIncBeta(t *testing.T) {
	// For whole a and b, I_x(a, b) = P(Binomial(a+b−1, x) ≥ a); these were
	// summed exactly in python3 (math.comb). I_x(½, ½) = (2/π)·asin(√x).
	tests := []struct {
		name    string
		x, a, b float64
		want    float64
	}{
		{"I_0.5(2,3)", 0.5, 2, 3, 0.6875},
		{"I_0.3(5,10)", 0.3, 5, 10, 0.4157988137806497},
		{"I_0.9(30,4)", 0.9, 30, 4, 0.5769436641256926},
		{"I_0.2(0.5,0.5)", 0.2, 0.5, 0.5, 0.2951672353008665},
		{"I_0(2,3)", 0, 2, 3, 0},
		{"I_1(2,3)", 1, 2, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, tt.name, RegIncBeta(tt.x, tt.a, tt.b), tt.want, 1e-13)
		})
	}
}

func TestTQuantile(t *testing.T) {
	// R's qt(p, df): qt(0.975, 9) = 2.262157, qt(0.995, 30) = 2.749996,
	// qt(0.975, 100) = 1.983972, qt(0.95, 5) = 2.015048, checked to more
	// digits in python3 by bisection on a Simpson integral of the t density
	// (200,000 panels). df 1 and 2 have closed forms: tan(π(p−½)) and
	// (2p−1)/sqrt(2p(1−p)).
	tests := []struct {
		name  string
		p, df float64
		want  float64
		tol   float64
	}{
		{"df 9", 0.975, 9, 2.262157163, 1e-8},
		{"df 30 at 0.995", 0.995, 30, 2.749995654, 1e-8},
		{"df 100", 0.975, 100, 1.983971519, 1e-8},
		{"df 5 at 0.95", 0.95, 5, 2.015048373, 1e-8},
		{"df 1 (Cauchy)", 0.975, 1, 12.706204736174696, 1e-9},
		{"df 2", 0.975, 2, 4.302652729749462, 1e-11},
		{"lower tail", 0.025, 9, -2.262157163, 1e-8},
		{"median", 0.5, 7, 0, 0},
		{"infinite df is normal", 0.975, math.Inf(1), 1.959963984540054, 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TQuantile(tt.p, tt.df)
			near(t, "quantile", got, tt.want, tt.tol)
			if tt.p != 0.5 && !math.IsInf(tt.df, 1) {
				near(t, "round trip", TCDF(got, tt.df), tt.p, 1e-12)
			}
		})
	}
}

func TestMeanInterval(t *testing.T) {
	// R: t.test(1:10) gives mean 5.5 and 95% CI 3.334149 7.665851; python3
	// (math only) gives 3.334149410332106 and 7.665850589667894.
	var sum, sumSq float64
	for x := 1.0; x <= 10; x++ {
		sum, sumSq = sum+x, sumSq+x*x
	}
	mean, low, high := MeanInterval(sum, sumSq, 10, 0.95)
	near(t, "mean", mean, 5.5, 1e-12)
	near(t, "low", low, 3.334149410332106, 1e-9)
	near(t, "high", high, 7.665850589667894, 1e-9)

	mean, low, high = MeanInterval(4, 16, 1, 0.95)
	if mean != 4 || !math.IsNaN(low) || !math.IsNaN(high) {
		t.Errorf("one value: %g [%g, %g], want 4 with no interval", mean, low, high)
	}
	if mean, _, _ := MeanInterval(0, 0, 0, 0.95); !math.IsNaN(mean) {
		t.Errorf("no values: mean %g, want NaN", mean)
	}
}

func TestTwoProportionZ(t *testing.T) {
	// R: prop.test(c(x1, x2), c(n1, n2), correct = FALSE) reports
	// X-squared = z² and the same p. prop.test(c(15, 25), c(50, 50),
	// correct = FALSE): X-squared = 4.1667, p-value = 0.04123. The digits
	// below were computed in python3 both from the pooled z and,
	// independently, as Pearson's chi-square of the 2×2 table with
	// p = erfc(sqrt(X²/2)); the two agree to 1e-15.
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		z, chi2, p     float64
	}{
		{"15/50 v 25/50", 15, 50, 25, 50, -2.041241452319315, 4.166666666666667, 0.04122683333716371},
		{"83/86 v 90/93", 83, 86, 90, 93, -0.09751163391198005, 0.009508518748184017, 0.9223200957342691},
		{"384/412 v 350/400", 384, 412, 350, 400, 2.75760420875604, 7.604380972149026, 0.00582266508165184},
		{"81/263 v 120/300", 81, 263, 120, 300, -2.27352640514242, 5.168922314879815, 0.022994476757751566},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p := TwoProportionZ(tt.x1, tt.n1, tt.x2, tt.n2)
			near(t, "z", z, tt.z, 1e-12)
			near(t, "z²", z*z, tt.chi2, 1e-11)
			near(t, "p", p, tt.p, 1e-13)
		})
	}
	if z, p := TwoProportionZ(0, 20, 0, 30); z != 0 || p != 1 {
		t.Errorf("both 0%%: z, p = %g, %g, want 0, 1", z, p)
	}
	if _, p := TwoProportionZ(1, 0, 3, 10); !math.IsNaN(p) {
		t.Errorf("empty group: p = %g, want NaN", p)
	}
}

func TestHolm(t *testing.T) {
	// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02;
	// p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09;
	// p.adjust(c(0.5, 0.6), "holm") = 1.0 1.0; NA stays NA and is not counted.
	tests := []struct {
		name    string
		in, out []float64
	}{
		{"issue example", []float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{"monotone", []float64{0.01, 0.02, 0.03, 0.04, 0.05}, []float64{0.05, 0.08, 0.09, 0.09, 0.09}},
		{"capped at 1", []float64{0.5, 0.6}, []float64{1, 1}},
		{"NaN not counted", []float64{0.01, math.NaN(), 0.04}, []float64{0.02, math.NaN(), 0.04}},
		{"empty", nil, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Holm(tt.in)
			if len(got) != len(tt.out) {
				t.Fatalf("len = %d, want %d", len(got), len(tt.out))
			}
			for i := range got {
				near(t, "p", got[i], tt.out[i], 1e-15)
			}
		})
	}
}

func TestWelchP(t *testing.T) {
	// R's own example, ?t.test: t.test(1:10, y = c(7:20)) gives t = -5.4349,
	// df = 21.982, p-value = 1.855e-05, and with y = c(7:20, 200)
	// t = -1.6329, df = 14.165, p-value = 0.1245; python3 (math only,
	// Simpson integral of the t density) gives 1.855281830298594e-05 and
	// 0.12451349808974044.
	meanVar := func(xs []float64) (float64, float64, int64) {
		var sum, ss float64
		for _, x := range xs {
			sum += x
		}
		m := sum / float64(len(xs))
		for _, x := range xs {
			ss += (x - m) * (x - m)
		}
		return m, ss / float64(len(xs)-1), int64(len(xs))
	}
	seq := func(a, b float64) (xs []float64) {
		for x := a; x <= b; x++ {
			xs = append(xs, x)
		}
		return xs
	}
	m1, v1, n1 := meanVar(seq(1, 10))
	m2, v2, n2 := meanVar(seq(7, 20))
	near(t, "p", welchP(m1, v1, n1, m2, v2, n2), 1.855281830298594e-05, 1e-12)
	m3, v3, n3 := meanVar(append(seq(7, 20), 200))
	near(t, "p with outlier", welchP(m1, v1, n1, m3, v3, n3), 0.12451349808974044, 1e-9)
}
