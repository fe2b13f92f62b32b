package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// rowOf is a shown row of n answers, pos of them positive.
func rowOf(period, group string, n, pos int64) ReportRow {
	return ReportRow{Period: period, Group: group, N: &n, Positive: &pos}
}

func TestSuppressByHand(t *testing.T) {
	tests := []struct {
		name   string
		rows   []ReportRow
		hidden []string // groups expected hidden, "" for the parent
	}{
		{
			name: "smallest hidden takes the next smallest with it",
			rows: []ReportRow{rowOf("p", "", 100, 50), rowOf("p", "A", 3, 1), rowOf("p", "C", 67, 30), rowOf("p", "B", 30, 19)},
			// A (3) is a small count; B (30) is the next smallest.
			hidden: []string{"A", "B"},
		},
		{
			name: "hidden parent takes its two smallest children",
			rows: []ReportRow{rowOf("p", "", 50, 3), rowOf("p", "A", 20, 0), rowOf("p", "B", 20, 0), rowOf("p", "C", 10, 3)},
			// The parent's 3 positives are a small count; C has them too;
			// A is the smallest shown child (A before B on a tie).
			hidden: []string{"", "C", "A"},
		},
		{
			name: "two hidden ones of one response each",
			rows: []ReportRow{rowOf("p", "", 22, 11), rowOf("p", "A", 1, 1), rowOf("p", "B", 1, 0), rowOf("p", "C", 20, 10)},
			// 22 − 20 = 2 responses over two hidden groups: one each.
			hidden: []string{"A", "B", "C"},
		},
		{
			name: "hidden groups all at 0%",
			rows: []ReportRow{rowOf("p", "", 60, 30), rowOf("p", "A", 3, 0), rowOf("p", "B", 4, 0), rowOf("p", "C", 23, 10), rowOf("p", "D", 30, 20)},
			// 30 − 10 − 20 = 0 positives between A and B would say both are 0%.
			hidden: []string{"A", "B", "C"},
		},
		{
			name:   "small base without a parent",
			rows:   []ReportRow{rowOf("p", "", 9, 5), rowOf("q", "", 40, 20)},
			hidden: []string{""},
		},
		{
			name:   "100% on a small base",
			rows:   []ReportRow{rowOf("p", "", 19, 19), rowOf("q", "", 20, 20)},
			hidden: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Suppress(tt.rows, Disclosure{})
			var got []string
			for _, r := range tt.rows {
				if r.Suppressed {
					if r.Period == "p" {
						got = append(got, r.Group)
					}
					if r.N != nil || r.Positive != nil {
						t.Errorf("suppressed row %q keeps its counts", r.Group)
					}
				}
			}
			if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(tt.hidden))) {
				t.Errorf("hidden %q, want %q", got, tt.hidden)
			}
		})
	}
}

// randomBreakdown draws counts of periods × groups for q, whose options
// 0 (positive), 1 (neutral), 2 (negative) and last (excluded) are used.
// Sizes mix empty groups, small counts and large ones; positive and
// negative shares are often 0% or 100%.
func randomBreakdown(rng *rand.Rand, q Question) []Count {
	size := func() int64 {
		switch r := rng.IntN(10); {
		case r == 0:
			return 0
		case r < 4:
			return 1 + rng.Int64N(4)
		case r < 8:
			return 5 + rng.Int64N(25)
		default:
			return 30 + rng.Int64N(200)
		}
	}
	part := func(n int64) int64 {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return n
		default:
			return rng.Int64N(n + 1)
		}
	}
	var counts []Count
	periods, groups := 1+rng.IntN(3), 1+rng.IntN(6)
	for p := range periods {
		month := fmt.Sprintf("2024-%02d", p+1)
		for g := range groups {
			group := fmt.Sprintf("G%d", g)
			n := size()
			pos := part(n)
			neg := part(n - pos)
			counts = append(counts,
				Count{month, group, 0, pos}, Count{month, group, 1, n - pos - neg}, Count{month, group, 2, neg},
				Count{month, group, len(q.Options) - 1, rng.Int64N(3)}, Count{month, group, -1, rng.Int64N(3)})
		}
	}
	return counts
}

func TestDisclosureProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240531, 3))
	share := agree5()
	shareMetric := Metric{Name: "top 1", Question: share.Code, Positive: []int{0}, Excluded: []int{5}}
	nps := agree5()
	npsMetric := Metric{Name: "net agree", Question: nps.Code, Measure: MeasureNPS, Positive: []int{0}, Negative: []int{2}, Excluded: []int{5}}
	for trial := range 4000 {
		q, m := share, shareMetric
		if trial%4 == 3 {
			q, m = nps, npsMetric
		}
		d := Disclosure{}
		if trial%3 == 1 {
			d = Disclosure{MinBase: 5 + rng.Int64N(20), SmallCount: 2 + rng.Int64N(9)}
		}
		counts := randomBreakdown(rng, q)
		staff := BuildReport(q, m, counts, ReportOptions{Disclosure: d})
		board := BuildReport(q, m, counts, ReportOptions{Disclosure: d, Board: true})
		if len(staff.Rows) != len(board.Rows) {
			t.Fatalf("trial %d: %d board rows, %d staff rows", trial, len(board.Rows), len(staff.Rows))
		}
		checkPublished(t, trial, board.Rows, board.Disclosure)
		checkUnrecoverable(t, trial, staff.Rows, board.Rows)
		if t.Failed() {
			t.Fatalf("trial %d failed on counts %v", trial, counts)
		}
	}
}

// checkPublished checks each shown row against the primary rules.
func checkPublished(t testing.TB, trial int, rows []ReportRow, d Disclosure) {
	t.Helper()
	small := func(p *int64) bool { return p != nil && *p > 0 && *p < d.SmallCount }
	extreme := func(p *int64, n int64) bool { return p != nil && (*p == 0 || *p == n) }
	for _, r := range rows {
		if r.Suppressed {
			if r.N != nil || r.Positive != nil || r.Negative != nil || r.Rate != nil || r.CILow != nil || r.CIHigh != nil || r.ChangeP != nil || r.VsRestP != nil {
				t.Errorf("trial %d: suppressed row %s/%q shows something: %+v", trial, r.Period, r.Group, r)
			}
			continue
		}
		n := *r.N
		switch {
		case small(r.N) || small(r.Positive) || small(r.Negative):
			t.Errorf("trial %d: row %s/%q shows a count under %d: %+v", trial, r.Period, r.Group, d.SmallCount, r)
		case n == 0 && r.Rate != nil:
			t.Errorf("trial %d: row %s/%q shows a rate on no answers", trial, r.Period, r.Group)
		case n > 0 && n < d.MinBase:
			t.Errorf("trial %d: row %s/%q shows a base of %d under %d", trial, r.Period, r.Group, n, d.MinBase)
		case n > 0 && n < d.AllOrNoneBase && (extreme(r.Positive, n) || extreme(r.Negative, n)):
			t.Errorf("trial %d: row %s/%q shows 0%% or 100%% on a base of %d", trial, r.Period, r.Group, n)
		}
	}
}

// checkUnrecoverable works back every period's hidden rows as a reader of
// the board rows could, and fails when one is pinned down: a shown parent
// with exactly one hidden child; hidden children whose base adds up to one
// response each; hidden Positive (or Negative) counts adding up to none or
// to all of the hidden base, unless the shown parent itself is at 0% or
// 100%; a hidden parent whose children are all shown.
func checkUnrecoverable(t testing.TB, trial int, staff, board []ReportRow) {
	t.Helper()
	for start := 0; start < len(board); {
		end := start + 1
		for end < len(board) && board[end].Period == board[start].Period {
			end++
		}
		parent := board[start]
		if parent.Group != AllGroup || end-start == 1 {
			start = end
			continue
		}
		var hidden, nonEmpty int64
		for i := start + 1; i < end; i++ {
			if *staff[i].N > 0 {
				nonEmpty++
			}
			if board[i].Suppressed {
				hidden++
			}
		}
		what := fmt.Sprintf("trial %d, period %s", trial, parent.Period)
		if parent.Suppressed {
			if hidden == 0 {
				t.Errorf("%s: the hidden parent is the sum of its shown children", what)
			}
			if hidden < min(2, nonEmpty) {
				t.Errorf("%s: hidden parent with %d hidden children of %d", what, hidden, nonEmpty)
			}
			start = end
			continue
		}
		// What the reader works out: parent minus the shown children.
		n, pos, neg := *parent.N, value(parent.Positive), value(parent.Negative)
		for i := start + 1; i < end; i++ {
			if !board[i].Suppressed {
				n, pos, neg = n-*board[i].N, pos-value(board[i].Positive), neg-value(board[i].Negative)
			}
		}
		switch {
		case hidden == 0:
		case hidden == 1:
			t.Errorf("%s: one hidden child is the parent minus its siblings (n %d, positive %d)", what, n, pos)
		case n == hidden:
			t.Errorf("%s: %d hidden children share %d responses: one each", what, hidden, n)
		case (pos == 0 || pos == n) && *parent.Positive != 0 && *parent.Positive != *parent.N:
			t.Errorf("%s: hidden children have %d positives of %d", what, pos, n)
		case parent.Negative != nil && (neg == 0 || neg == n) && *parent.Negative != 0 && *parent.Negative != *parent.N:
			t.Errorf("%s: hidden children have %d negatives of %d", what, neg, n)
		}
		start = end
	}
}

// TestDisclosurePolicyNHSDigital follows NHS Digital's rule for published
// adult social care statistics (the disclosure control note of the Adult
// Social Care Activity and Finance Report and of the ASCOF tables: "numbers
// from 1 to 7 are suppressed, all other numbers are rounded to the nearest
// 5; percentages are calculated from the rounded figures"). Worked
// examples written out by hand from that rule.
func TestDisclosurePolicyNHSDigital(t *testing.T) {
	d := PolicyNHSDigital.Disclosure()
	for _, c := range []struct{ n, rounded int64 }{{0, 0}, {8, 10}, {12, 10}, {13, 15}, {47, 45}, {23, 25}, {102, 100}} {
		if got := RoundTo(c.n, d.Round); got != c.rounded {
			t.Errorf("RoundTo(%d, 5) = %d, want %d", c.n, got, c.rounded)
		}
	}
	q := Question{Code: "q", Kind: KindScale, Options: []Option{{Label: "Yes", Polarity: Positive}, {Label: "No", Polarity: Negative}}}
	m := Metric{Name: "% yes", Question: "q", Measure: MeasureShare, Positive: []int{0}}
	counts := []Count{
		{Month: "2024-04", Option: 0, N: 23}, {Month: "2024-04", Option: 1, N: 24}, // 23 of 47: 25 of 45, 55.6%
		{Month: "2024-05", Option: 0, N: 7}, {Month: "2024-05", Option: 1, N: 40}, // 7 positive: suppressed
		{Month: "2024-06", Option: 0, N: 8}, {Month: "2024-06", Option: 1, N: 0}, // 8 of 8: 10 of 10, 100%
	}
	rep := BuildReport(q, m, counts, ReportOptions{Period: PeriodMonth, Board: true, Disclosure: d})
	byPeriod := map[string]ReportRow{}
	for _, r := range rep.Rows {
		byPeriod[r.Period] = r
	}
	apr := byPeriod["2024-04"]
	if apr.Suppressed || *apr.N != 45 || *apr.Positive != 25 || math.Abs(*apr.Rate-25.0/45) > 1e-12 {
		t.Errorf("23 of 47 published as %+v, want 25 of 45 (55.6%%)", apr)
	}
	lo, hi := Wilson(25, 45, DefaultConfidence)
	if *apr.CILow != lo || *apr.CIHigh != hi || apr.ChangeP != nil {
		t.Errorf("the interval is not from the rounded counts, or a p-value from the exact ones is kept: %+v", apr)
	}
	if !byPeriod["2024-05"].Suppressed {
		t.Errorf("7 positive answers are shown: %+v", byPeriod["2024-05"])
	}
	if jun := byPeriod["2024-06"]; jun.Suppressed || *jun.N != 10 || *jun.Positive != 10 {
		t.Errorf("8 of 8 published as %+v, want 10 of 10 (the rule has no 0%%/100%% clause)", jun)
	}
}

// TestDisclosurePolicyNHSFFT follows NHS England's Friends and Family
// Test publication rule (the FFT data guidance: "data for an organisation
// with fewer than 5 responses is suppressed; where suppressing one
// organisation would let it be calculated from its parent's total, the
// next smallest organisation is suppressed too; a suppressed parent's
// sites are suppressed"). Worked examples written out from that rule: a
// trust of three wards with 3, 20 and 40 responses publishes the trust and
// the 40, and hides the 3 and the 20; a trust of 4 responses hides itself
// and its wards; percentages on 5 or more responses are published, 5 of 5
// included.
func TestDisclosurePolicyNHSFFT(t *testing.T) {
	d := PolicyNHSFFT.Disclosure()
	hidden := func(rows []ReportRow) []string {
		Suppress(rows, d)
		var out []string
		for _, r := range rows {
			if r.Suppressed {
				out = append(out, r.Group)
			}
		}
		slices.Sort(out)
		return out
	}
	wards := []ReportRow{rowOf("p", "", 63, 60), rowOf("p", "Ward A", 3, 3), rowOf("p", "Ward B", 20, 18), rowOf("p", "Ward C", 40, 39)}
	if got := hidden(wards); !slices.Equal(got, []string{"Ward A", "Ward B"}) {
		t.Errorf("hidden %q, want Ward A and the next smallest, Ward B", got)
	}
	small := []ReportRow{rowOf("p", "", 4, 4), rowOf("p", "Ward A", 1, 1), rowOf("p", "Ward B", 3, 3)}
	if got := hidden(small); !slices.Equal(got, []string{"", "Ward A", "Ward B"}) {
		t.Errorf("hidden %q, want the trust and both wards", got)
	}
	five := []ReportRow{rowOf("p", "", 5, 5)}
	if got := hidden(five); len(got) != 0 {
		t.Errorf("5 of 5 is hidden (%q): the FFT publishes a percentage on 5 or more responses", got)
	}
}

// TestDisclosurePolicyHeardHidesTheOtherAnswers: heard's own rule hides a
// figure whose answers that are not positive are 1 to 4 ("11 of 12 said
// yes" says that one person said no), which the rule before it showed.
func TestDisclosurePolicyHeardHidesTheOtherAnswers(t *testing.T) {
	rows := []ReportRow{rowOf("p", "", 12, 11), rowOf("q", "", 100, 96), rowOf("r", "", 100, 95)}
	Suppress(rows, PolicyHeard.Disclosure())
	if !rows[0].Suppressed || !rows[1].Suppressed || rows[2].Suppressed {
		t.Errorf("11 of 12, 96 of 100, 95 of 100: suppressed %v %v %v, want true true false",
			rows[0].Suppressed, rows[1].Suppressed, rows[2].Suppressed)
	}
}

// TestPolicyNames: every policy parses back from its name and states its
// rule in words.
func TestPolicyNames(t *testing.T) {
	for _, p := range Policies() {
		got, err := ParsePolicy(" " + strings.ToUpper(string(p)) + " ")
		if err != nil || got != p || p.Disclosure().Rule == "" || p.Disclosure().Policy != p {
			t.Errorf("%s: parsed %q, %v; %+v", p, got, err, p.Disclosure())
		}
	}
	if _, err := ParsePolicy("lenient"); err == nil {
		t.Error("an unknown policy is accepted")
	}
}
