package analytics

import (
	"slices"
	"time"
)

// PublishedWithin sums the overall figures of rows (a board report's rows
// by period kind) of the periods of kind lying wholly inside window w: the
// board's figure for w made only of figures it is already shown. ok is
// false when no such period exists, one of them is hidden, or the sum is
// one the policy d would hide; then nothing may be shown for w. covered is
// the window those periods cover together (w when not ok). The rate's
// interval is Wilson's, from the summed counts, at DefaultConfidence.
// A period with no row had no answers and adds nothing.
func PublishedWithin(rows []ReportRow, kind PeriodKind, w Window, d Disclosure) (rate Rate, covered Window, ok bool) {
	keys, covered := PeriodsWithin(kind, w)
	if len(keys) == 0 {
		return Rate{}, w, false
	}
	var n, pos int64
	for _, r := range rows {
		if r.Group != AllGroup || !slices.Contains(keys, r.Period) {
			continue
		}
		if r.Suppressed || r.N == nil || r.Positive == nil {
			return Rate{}, w, false
		}
		n, pos = n+*r.N, pos+*r.Positive
	}
	sum := []ReportRow{{Period: "window", N: &n, Positive: &pos}}
	Suppress(sum, d) // a rounding policy leaves a sum of rounded counts as it is
	if sum[0].Suppressed {
		return Rate{}, w, false
	}
	return NewRate(pos, n, 0), covered, true
}

// PeriodWindow is the window of days period key of kind covers: "2024-25"
// (a financial year) is 2024-04-01 to 2025-03-31. PeriodAll has none.
func PeriodWindow(kind PeriodKind, key string) (Window, error) {
	y, m, err := firstMonth(kind, key)
	if err != nil {
		return Window{}, err
	}
	months := map[PeriodKind]int{PeriodMonth: 1, PeriodQuarter: 3, PeriodYear: 12, PeriodFY: 12, PeriodFYQuarter: 3}[kind]
	from := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return Window{From: from.Format(time.DateOnly), To: from.AddDate(0, months, -1).Format(time.DateOnly)}, nil
}

// Coarser reports whether every period of kind pub lies wholly inside one
// period of kind k, k being longer: a quarter, calendar year or financial
// year (or its quarter) over months; a calendar or financial year over
// quarters of either kind (both start in January, April, July or October).
// A figure of k can then be made of pub's published figures alone (see
// PublishedWithin). Neither "all" nor a kind itself is coarser.
func Coarser(k, pub PeriodKind) bool {
	switch pub {
	case PeriodMonth:
		return k == PeriodQuarter || k == PeriodYear || k == PeriodFY || k == PeriodFYQuarter
	case PeriodQuarter, PeriodFYQuarter:
		return k == PeriodYear || k == PeriodFY
	}
	return false
}
