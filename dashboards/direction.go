package dashboards

import "github.com/heard-council/heard/analytics"

// RestDirection compares a group with the rest of its period, worked out
// from the period's overall row: 1 above, -1 below, 0 neither.
func RestDirection(m analytics.Measure, g, all analytics.ReportRow) int {
	if g.N == nil || all.N == nil || g.Rate == nil || all.Rate == nil || *all.N <= *g.N {
		return 0
	}
	n, restN := float64(*g.N), float64(*all.N-*g.N)
	rest := (*all.Rate*float64(*all.N) - *g.Rate*n) / restN // every measure is a mean of per-answer scores
	return Direction(g.Rate, &rest)
}

// Direction compares a figure with another: 1 higher, −1 lower, 0 unknown.
func Direction(v, than *float64) int {
	switch {
	case v == nil || than == nil:
		return 0
	case *v > *than:
		return 1
	case *v < *than:
		return -1
	}
	return 0
}
