package analytics

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
