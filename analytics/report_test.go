package analytics

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// chiSquareP is the p-value of Pearson's chi-square (1 df) of the 2×2 table
// of x1/n1 against x2/n2, computed from the expected cell counts: an
// arithmetic independent of TwoProportionZ. For 1 df, P(χ² > X) =
// erfc(sqrt(X/2)).
func chiSquareP(x1, n1, x2, n2 float64) float64 {
	table := [2][2]float64{{x1, n1 - x1}, {x2, n2 - x2}}
	rows := [2]float64{n1, n2}
	cols := [2]float64{x1 + x2, n1 + n2 - x1 - x2}
	var chi2 float64
	for i := range 2 {
		for j := range 2 {
			e := rows[i] * cols[j] / (n1 + n2)
			chi2 += (table[i][j] - e) * (table[i][j] - e) / e
		}
	}
	return math.Erfc(math.Sqrt(chi2 / 2))
}

// handCounts is the small example of the report tests, on agree5 (options
// 0 and 1 positive, 5 "Not applicable" excluded):
//
//	2024-01 North: 10+10 positive of 25 (3 N/A, 2 unanswered); South 5 of 20
//	2024-02 North: 12 of 20; South 15 of 30; blank group 2 of 2
//	2024-04 North: 30 of 30 (no March: no change for April)
//	no date: 5 responses; a bad month: 1 response
func handCounts() []Count {
	return []Count{
		{"2024-01", "North", 0, 10}, {"2024-01", "North", 1, 10}, {"2024-01", "North", 3, 5},
		{"2024-01", "North", 5, 3}, {"2024-01", "North", -1, 2},
		{"2024-01", "South", 0, 5}, {"2024-01", "South", 2, 10}, {"2024-01", "South", 4, 5},
		{"2024-02", "North", 1, 12}, {"2024-02", "North", 3, 8},
		{"2024-02", "South", 0, 15}, {"2024-02", "South", 4, 15},
		{"2024-02", "", 0, 2},
		{"2024-04", "North", 0, 30},
		{"", "North", 0, 4}, {"", "North", -1, 1},
		{"2024-13", "South", 0, 1},
	}
}

// want is an expected row: n and positive, or suppressed when n < 0.
type want struct {
	period, group string
	n, positive   int64
}

// checkRows compares the rows' keys, counts and rates with want.
func checkRows(t testing.TB, rows []ReportRow, wants []want) {
	t.Helper()
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	for i, w := range wants {
		r := rows[i]
		if r.Period != w.period || r.Group != w.group {
			t.Errorf("row %d is %s/%q, want %s/%q", i, r.Period, r.Group, w.period, w.group)
			continue
		}
		if w.n < 0 {
			if !r.Suppressed || r.N != nil || r.Positive != nil || r.Rate != nil || r.CILow != nil || r.CIHigh != nil || r.ChangeP != nil || r.VsRestP != nil {
				t.Errorf("row %s/%q should be suppressed and empty: %+v", r.Period, r.Group, r)
			}
			continue
		}
		if r.Suppressed || r.N == nil || r.Positive == nil || *r.N != w.n || *r.Positive != w.positive {
			t.Errorf("row %s/%q = %+v, want %d of %d", r.Period, r.Group, r, w.positive, w.n)
			continue
		}
		near(t, r.Period+"/"+r.Group+" rate", *r.Rate, float64(w.positive)/float64(w.n), 1e-15)
		low, high := Wilson(w.positive, w.n, 0.95)
		near(t, "low", *r.CILow, low, 0)
		near(t, "high", *r.CIHigh, high, 0)
	}
}

// pValue reads a p-value, NaN for nil.
func pValue(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestBuildReportByHand(t *testing.T) {
	q := agree5()
	m, err := MetricPreset(PresetAgree, q)
	if err != nil {
		t.Fatal(err)
	}
	rep := BuildReport(q, m, handCounts(), ReportOptions{Period: PeriodMonth})
	checkRows(t, rep.Rows, []want{
		{"2024-01", "", 45, 25}, {"2024-01", "North", 25, 20}, {"2024-01", "South", 20, 5},
		{"2024-02", "", 52, 29}, {"2024-02", BlankGroup, 2, 2}, {"2024-02", "North", 20, 12}, {"2024-02", "South", 30, 15},
		{"2024-04", "", 30, 30}, {"2024-04", "North", 30, 30},
	})
	if rep.Undated != 6 || rep.Confidence != 0.95 || rep.Period != PeriodMonth || rep.Question != "listened" {
		t.Errorf("report header = %+v", rep)
	}
	r := rep.Rows
	// Change against January; nothing for January (no December), the blank
	// group (not in January) or April (no March).
	near(t, "All Feb change", pValue(r[3].ChangeP), chiSquareP(29, 52, 25, 45), 1e-12)
	near(t, "North Feb change", pValue(r[5].ChangeP), chiSquareP(12, 20, 20, 25), 1e-12)
	near(t, "South Feb change", pValue(r[6].ChangeP), chiSquareP(15, 30, 5, 20), 1e-12)
	for _, i := range []int{0, 1, 2, 4, 7, 8} {
		if r[i].ChangeP != nil {
			t.Errorf("row %s/%q has change_p %g, want none", r[i].Period, r[i].Group, *r[i].ChangeP)
		}
	}
	// Against the rest, Holm over the period's groups: with two groups
	// both p-values are equal and doubled (capped at 1).
	jan := chiSquareP(20, 25, 5, 20)
	near(t, "North Jan vs rest", pValue(r[1].VsRestP), math.Min(1, 2*jan), 1e-12)
	near(t, "South Jan vs rest", pValue(r[2].VsRestP), math.Min(1, 2*jan), 1e-12)
	north, south := chiSquareP(12, 20, 17, 32), chiSquareP(15, 30, 14, 22)
	lo, hi := math.Min(north, south), math.Max(north, south)
	holmHi := math.Min(1, math.Max(2*lo, hi))
	if north < south {
		near(t, "North Feb vs rest", pValue(r[5].VsRestP), 2*lo, 1e-12)
		near(t, "South Feb vs rest", pValue(r[6].VsRestP), holmHi, 1e-12)
	} else {
		near(t, "North Feb vs rest", pValue(r[5].VsRestP), holmHi, 1e-12)
		near(t, "South Feb vs rest", pValue(r[6].VsRestP), 2*lo, 1e-12)
	}
	for _, i := range []int{0, 3, 4, 7, 8} { // overall rows, a base of 2, a rest of 0
		if r[i].VsRestP != nil {
			t.Errorf("row %s/%q has vs_rest_p %g, want none", r[i].Period, r[i].Group, *r[i].VsRestP)
		}
	}
}

func TestBuildReportBoard(t *testing.T) {
	q := agree5()
	m, _ := MetricPreset(PresetAgree, q)
	rep := BuildReport(q, m, handCounts(), ReportOptions{Period: PeriodMonth, Board: true})
	// February: the blank group (2) is under the minimum base, and alone it
	// could be worked out from the total, so North (20, the next smallest)
	// goes too. April's 100% stands on a base of 30 (≥ 2 × MinBase).
	checkRows(t, rep.Rows, []want{
		{"2024-01", "", 45, 25}, {"2024-01", "North", 25, 20}, {"2024-01", "South", 20, 5},
		{"2024-02", "", 52, 29}, {"2024-02", BlankGroup, -1, 0}, {"2024-02", "North", -1, 0}, {"2024-02", "South", 30, 15},
		{"2024-04", "", 30, 30}, {"2024-04", "North", 30, 30},
	})
	if rep.Undated != 0 || !rep.Board || rep.Disclosure.MinBase != 10 || rep.Disclosure.SmallCount != 5 || rep.Disclosure.AllOrNoneBase != 20 {
		t.Errorf("board report header = %+v", rep)
	}
	near(t, "South Feb change", pValue(rep.Rows[6].ChangeP), chiSquareP(15, 30, 5, 20), 1e-12)
	// South is February's only comparable group: Holm over one p-value.
	near(t, "South Feb vs rest", pValue(rep.Rows[6].VsRestP), chiSquareP(15, 30, 14, 22), 1e-12)

	data, err := json.Marshal(rep.Rows[5])
	if err != nil {
		t.Fatal(err)
	}
	const empty = `{"period":"2024-02","group":"North","n":null,"positive":null,"rate":null,"ci_low":null,"ci_high":null,"suppressed":true,"change_p":null,"vs_rest_p":null}`
	if string(data) != empty {
		t.Errorf("suppressed row JSON = %s, want %s", data, empty)
	}
}

func TestBuildReportQuarters(t *testing.T) {
	q := agree5()
	m, _ := MetricPreset(PresetAgree, q)
	rep := BuildReport(q, m, handCounts(), ReportOptions{Period: PeriodQuarter, Confidence: 0.99})
	checkRowsAt := func(i int, period, group string, n, pos int64) {
		t.Helper()
		r := rep.Rows[i]
		if r.Period != period || r.Group != group || *r.N != n || *r.Positive != pos {
			t.Errorf("row %d = %s/%q %d of %d, want %s/%q %d of %d", i, r.Period, r.Group, *r.Positive, *r.N, period, group, pos, n)
		}
	}
	checkRowsAt(0, "2024-Q1", "", 97, 54)
	checkRowsAt(3, "2024-Q1", "South", 50, 20)
	checkRowsAt(4, "2024-Q2", "", 30, 30)
	low, _ := Wilson(54, 97, 0.99)
	near(t, "99% low", *rep.Rows[0].CILow, low, 0)
	near(t, "Q2 change", pValue(rep.Rows[4].ChangeP), chiSquareP(30, 30, 54, 97), 1e-12)

	all := BuildReport(q, m, handCounts(), ReportOptions{Period: PeriodAll})
	// Every dated and undated answer in the base: 45 + 52 + 30 + 4 + 1.
	if r := all.Rows[0]; r.Period != AllPeriod || *r.N != 132 || *r.Positive != 89 || all.Undated != 0 {
		t.Errorf("all-time row = %+v (undated %d), want 89 of 132", r, all.Undated)
	}
}

func TestBuildReportFFTKeepsDontKnow(t *testing.T) {
	q := fftCurrent()
	m, _ := MetricPreset(PresetFFTPositive, q)
	counts := []Count{
		{"2024-05", "", 0, 50}, {"2024-05", "", 1, 30}, {"2024-05", "", 2, 5},
		{"2024-05", "", 3, 5}, {"2024-05", "", 4, 5}, {"2024-05", "", 5, 5}, {"2024-05", "", -1, 9},
	}
	rep := BuildReport(q, m, counts, ReportOptions{})
	// "Don't know" (5) is in the FFT base; the 9 blank answers are not.
	checkRows(t, rep.Rows, []want{{"2024-05", "", 100, 80}})
}

func TestBuildReportNPSAndMean(t *testing.T) {
	q := zeroToTen()
	nps, _ := MetricPreset(PresetNPS, q)
	var counts []Count
	for s, n := range map[float64]int64{10: 30, 9: 20, 8: 30, 3: 20} {
		counts = append(counts, Count{"2024-05", "", optionScored(t, q, s), n})
	}
	rep := BuildReport(q, nps, counts, ReportOptions{})
	r := rep.Rows[0]
	if *r.N != 100 || *r.Positive != 50 || r.Negative == nil || *r.Negative != 20 {
		t.Fatalf("NPS row = %+v", r)
	}
	half := 1.959963985 * math.Sqrt((0.5+0.2-0.09)/100)
	near(t, "nps", *r.Rate, 0.3, 1e-12)
	near(t, "nps low", *r.CILow, 0.3-half, 1e-9)

	mean, _ := MetricPreset(PresetMean, q)
	counts = nil
	for s := range 10 { // scores 1..10 once: t.test(1:10), CI 3.334149 7.665851
		counts = append(counts, Count{"2024-05", "", optionScored(t, q, float64(s+1)), 1})
	}
	r = BuildReport(q, mean, counts, ReportOptions{}).Rows[0]
	if *r.N != 10 || r.Positive != nil || r.Negative != nil {
		t.Fatalf("mean row = %+v", r)
	}
	near(t, "mean", *r.Rate, 5.5, 1e-12)
	near(t, "mean low", *r.CILow, 3.334149, 5e-7)
	near(t, "mean high", *r.CIHigh, 7.665851, 5e-7)
}

func TestBuildReportEmptyBase(t *testing.T) {
	q := yesNo()
	m, _ := MetricPreset(PresetYes, q)
	// Only "Don't know" and blanks: a row with a base of 0 and no rate.
	rep := BuildReport(q, m, []Count{{"2024-05", "", 2, 4}, {"2024-05", "", -1, 3}}, ReportOptions{Board: true})
	r := rep.Rows[0]
	if r.Suppressed || r.N == nil || *r.N != 0 || r.Rate != nil || r.CILow != nil {
		t.Errorf("empty row = %+v, want n 0 and no rate", r)
	}
	data, _ := json.Marshal(r)
	if !strings.Contains(string(data), `"rate":null`) {
		t.Errorf("JSON %s should carry a null rate", data)
	}
}
