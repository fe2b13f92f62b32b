package analytics

import (
	"math"
	"slices"
	"strings"
)

// Count is how many responses gave one answer to a question in one month
// and group, as the store aggregates them in SQL.
type Count struct {
	// Month is the London month key ("2024-05"), "" when the response has
	// no date.
	Month string `json:"month"`
	// Group is the breakdown's value ("Reablement team"), "" when the
	// counts are not broken down or the value is blank.
	Group string `json:"group"`
	// Option is the index of the answer in the question's options; -1 means
	// not answered, which is never in a base.
	Option int   `json:"option"`
	N      int64 `json:"n"`
}

// AllGroup is the group of each period's overall row. BlankGroup names the
// responses with a blank value in a breakdown, so that AllGroup is never
// mistaken for them.
const (
	AllGroup   = ""
	BlankGroup = "(blank)"
)

// ReportOptions says how BuildReport groups and controls its figures.
type ReportOptions struct {
	// Period is the kind of period of the rows (PeriodMonth when empty or
	// unknown: read it with ParsePeriodKind).
	Period PeriodKind
	// Confidence of the intervals; 0 or a value outside (0, 1) means
	// DefaultConfidence.
	Confidence float64
	// Board applies disclosure control (Suppress) for output that leaves a
	// staff screen. Staff reports show every figure with its base.
	Board bool
	// Disclosure holds the thresholds. MinBase also applies to staff
	// reports: no p-value is computed on a base under it.
	Disclosure
	// Withheld lists periods a board output must hide whole because a
	// figure beside it on the same page hides them (a period whose overall
	// figure is suppressed hides its answer shares too, which would give
	// the figure back).
	Withheld []string
}

// ReportRow is one metric figure: a period and group with its base, counts,
// value and interval. Nil fields have no value and are null in JSON: a
// suppressed row, a rate on a base of 0, a p-value not computed.
type ReportRow struct {
	Period string `json:"period"`
	// Group is the breakdown's value, or AllGroup ("") for the period's
	// overall row.
	Group string `json:"group"`
	// N is the base: answers to options not excluded by the metric.
	N *int64 `json:"n"`
	// Positive counts the positive answers (the promoters for NPS); nil for
	// a mean.
	Positive *int64 `json:"positive"`
	// Negative counts the detractors of an NPS metric; nil otherwise.
	Negative *int64 `json:"negative,omitempty"`
	// Rate is the metric's value: a share from 0 to 1, an NPS from −1 to 1
	// (×100 for the usual score), or a mean score.
	Rate *float64 `json:"rate"`
	// CILow and CIHigh bound the interval of Rate: Wilson for a share, the
	// normal approximation NPS ± z·sqrt((p + d − (p − d)²)/n) for an NPS of
	// promoter share p and detractor share d (the variance of the mean of
	// +1/0/−1 scores), clamped to [−1, 1], and Student t for a mean.
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	Suppressed bool     `json:"suppressed"`
	// ChangeP is the two-sided p-value of the difference from the same
	// group in the period before (see Previous): the two-proportion z test
	// for a share, a z test on the NPS variances for NPS, Welch's t test for
	// a mean. Nil when that period has no row, or either base is under
	// MinBase, or either row is suppressed.
	ChangeP *float64 `json:"change_p"`
	// VsRestP is the p-value of the group against the rest of the survey in
	// the period (the overall row minus this group), by the same tests,
	// Holm-adjusted across the groups of the period. Nil on the overall row,
	// when either base is under MinBase, or in a board report when this row
	// or its period's overall row is suppressed.
	VsRestP *float64 `json:"vs_rest_p"`
}

// Report is a metric of one question over periods, and groups when the
// counts are broken down. Rows run through the periods in time order; within
// a period the overall row (AllGroup) comes first, then the groups by name.
type Report struct {
	Question   string     `json:"question"`
	Metric     Metric     `json:"metric"`
	Period     PeriodKind `json:"period"`
	Confidence float64    `json:"confidence"`
	Board      bool       `json:"board"`
	Disclosure Disclosure `json:"disclosure"`
	// Undated counts the responses left out of the rows because they have
	// no date, which only PeriodAll can place. It is for staff: 0 in a board
	// report.
	Undated int64       `json:"undated"`
	Rows    []ReportRow `json:"rows"`
}

// BuildReport computes the metric m of question q from the counts, by
// period and group, with intervals and significance, and applies disclosure
// control when opts.Board is set. Counts of an option outside the question's
// options are ignored. The counts are broken down when any count has a
// Group; then counts with Group "" form the group BlankGroup and each period
// also gets an overall row (AllGroup).
func BuildReport(q Question, m Metric, counts []Count, opts ReportOptions) Report {
	return buildReport(q, m, counts, opts, nil)
}

// buildReport is BuildReport; in a board report, the rows of the cells
// conceal holds are hidden before disclosure control runs, so that its
// secondary suppression takes them into account (see ThemeShares).
func buildReport(q Question, m Metric, counts []Count, opts ReportOptions, conceal map[cellKey]bool) Report {
	opts = opts.withDefaults()
	rep := Report{Question: q.Code, Metric: m, Period: opts.Period, Confidence: opts.Confidence,
		Board: opts.Board, Disclosure: opts.Disclosure}
	cells, undated := tabulate(len(q.Options), counts, opts.Period)
	if !opts.Board {
		rep.Undated = undated
	}
	keys := make([]cellKey, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		if a.period != b.period {
			return strings.Compare(a.period, b.period)
		}
		return strings.Compare(a.group, b.group) // AllGroup "" sorts first
	})
	calc := newCalculator(q, m, opts.Confidence)
	stats := make([]stat, len(keys))
	rep.Rows = make([]ReportRow, len(keys))
	for i, k := range keys {
		stats[i] = calc.summarise(cells[k])
		rep.Rows[i] = stats[i].row(k, m.Measure)
	}
	if opts.Board {
		for i, k := range keys {
			rep.Rows[i].Suppressed = conceal[k]
		}
		Suppress(rep.Rows, opts.Disclosure)
		if opts.Disclosure.Round > 0 {
			// Rates from rounded counts; no test on the exact ones, whose
			// p-values could give them back.
			for i := range rep.Rows {
				rep.Rows[i] = calc.rounded(rep.Rows[i])
			}
			return rep
		}
	}
	addChange(rep.Rows, stats, keys, opts, calc)
	addVsRest(rep.Rows, stats, keys, cells, opts, calc)
	return rep
}

// rounded works a shown row's rate and interval out again from its
// (rounded) counts. A mean is hidden: it cannot be worked out from rounded
// counts, and the exact one would give the exact base away.
func (c calculator) rounded(r ReportRow) ReportRow {
	if r.Suppressed || r.N == nil || *r.N == 0 {
		return r
	}
	if c.measure == MeasureMean {
		return ReportRow{Period: r.Period, Group: r.Group, Suppressed: true}
	}
	n := *r.N
	s := stat{n: n, pos: value(r.Positive), neg: value(r.Negative)}
	c.fromCounts(&s)
	r.Rate, r.CILow, r.CIHigh = finite(s.value), finite(s.low), finite(s.high)
	r.ChangeP, r.VsRestP = nil, nil
	return r
}

// withDefaults fills the zero and invalid options.
func (o ReportOptions) withDefaults() ReportOptions {
	if _, err := ParsePeriodKind(string(o.Period)); err != nil {
		o.Period = PeriodMonth
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		o.Confidence = DefaultConfidence
	}
	o.Disclosure = o.Disclosure.WithDefaults()
	return o
}

// cellKey identifies a row.
type cellKey struct{ period, group string }

// tabulate sums the counts into option counts per period and group,
// including each period's overall cell when the counts are broken down, and
// returns the number of responses that have no period.
func tabulate(options int, counts []Count, kind PeriodKind) (map[cellKey][]int64, int64) {
	grouped := slices.ContainsFunc(counts, func(c Count) bool { return c.Group != "" })
	cells := make(map[cellKey][]int64)
	add := func(k cellKey, option int, n int64) {
		if cells[k] == nil {
			cells[k] = make([]int64, options)
		}
		if option >= 0 && option < options {
			cells[k][option] += n
		}
	}
	var undated int64
	for _, c := range counts {
		period, err := PeriodOf(kind, c.Month)
		if err != nil {
			undated += c.N
			continue
		}
		add(cellKey{period, AllGroup}, c.Option, c.N)
		if grouped {
			group := c.Group
			if group == "" {
				group = BlankGroup
			}
			add(cellKey{period, group}, c.Option, c.N)
		}
	}
	return cells, undated
}

// addChange sets ChangeP of each row against the same group in the period
// before.
func addChange(rows []ReportRow, stats []stat, keys []cellKey, opts ReportOptions, calc calculator) {
	index := make(map[cellKey]int, len(keys))
	for i, k := range keys {
		index[k] = i
	}
	for i, k := range keys {
		prev, err := Previous(opts.Period, k.period)
		if err != nil {
			continue
		}
		j, ok := index[cellKey{prev, k.group}]
		if !ok || rows[i].Suppressed || rows[j].Suppressed ||
			stats[i].n < opts.MinBase || stats[j].n < opts.MinBase {
			continue
		}
		rows[i].ChangeP = finite(calc.compare(stats[i], stats[j]))
	}
}

// addVsRest sets VsRestP of each group row against the rest of its period,
// Holm-adjusted across the period's groups.
func addVsRest(rows []ReportRow, stats []stat, keys []cellKey, cells map[cellKey][]int64, opts ReportOptions, calc calculator) {
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].period == keys[start].period {
			end++
		}
		// keys[start] is the period's overall cell; the groups follow it.
		all := cells[keys[start]]
		var idx []int
		var ps []float64
		for i := start + 1; i < end; i++ {
			if rows[i].Suppressed || rows[start].Suppressed || stats[i].n < opts.MinBase {
				continue
			}
			rest := make([]int64, len(all))
			for o := range all {
				rest[o] = all[o] - cells[keys[i]][o]
			}
			rs := calc.summarise(rest)
			if rs.n < opts.MinBase {
				continue
			}
			idx, ps = append(idx, i), append(ps, calc.compare(stats[i], rs))
		}
		for k, p := range Holm(ps) {
			rows[idx[k]].VsRestP = finite(p)
		}
		start = end
	}
}

// finite is &v, or nil when v is NaN or infinite.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
