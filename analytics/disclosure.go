package analytics

import (
	"cmp"
	"slices"
	"strings"
)

// Disclosure is the rule set applied to every figure that leaves a staff
// screen (board dashboards, trend CSVs, shared links). Zero fields take
// their defaults.
type Disclosure struct {
	// MinBase is the smallest base a rate is shown on (default 10).
	MinBase int64 `json:"min_base"`
	// SmallCount is the smallest non-zero count shown: counts from 1 to
	// SmallCount−1 are suppressed (default 5, so 1-4 are hidden).
	SmallCount int64 `json:"small_count"`
	// AllOrNoneBase is the smallest base on which 0% or 100% may be shown
	// (default 2 × MinBase): "all 12 people in this team said..." points at
	// each of them.
	AllOrNoneBase int64 `json:"all_or_none_base"`
}

// WithDefaults returns d with its zero fields set to their defaults.
func (d Disclosure) WithDefaults() Disclosure {
	if d.MinBase <= 0 {
		d.MinBase = 10
	}
	if d.SmallCount <= 0 {
		d.SmallCount = 5
	}
	if d.AllOrNoneBase <= 0 {
		d.AllOrNoneBase = 2 * d.MinBase
	}
	return d
}

// Suppress applies disclosure control to the rows of one report in place.
// A suppressed row keeps its Period and Group, has Suppressed set and loses
// N, Positive, Negative, Rate, the interval and the p-values.
//
// Rows are taken period by period; within a period the row of AllGroup is
// the parent and the other rows are its children, which must split it (every
// response in exactly one group, as BuildReport makes them). Rows with N = 0
// hide nothing and are left alone.
//
// Primary suppression hides a row whose base is under MinBase, whose N,
// Positive or Negative count is between 1 and SmallCount−1, or whose
// Positive or Negative count is 0 or all of N on a base under AllOrNoneBase.
//
// Secondary suppression then follows NHS England's Friends and Family Test
// publication rule, so that no hidden figure can be worked back by
// subtraction: while the parent is shown and its hidden children could be
// worked out from it (one hidden child; or hidden counts summing to as many
// responses as hidden rows, so each is 1; or hidden Positive or Negative
// counts summing to none or to all of the hidden base), the next smallest
// shown child (by N, then group name) is hidden too, and the parent itself
// when no child is left. A hidden parent gets its two smallest children
// hidden (its only one, if it has one), or it could be rebuilt by adding
// them up. A parent shown at 0% or 100% (allowed on a base of AllOrNoneBase
// or more) says that every child is at 0% or 100% too; that is accepted.
//
// For a share, N − Positive (the answers that are not positive) is not a
// count of its own and is not checked against SmallCount: "96% of 100" stays
// shown although it means 4 answers were not positive.
//
// Suppression holds within the rows given. Publishing the same counts at two
// period kinds (months and their year) lets a reader subtract across the
// two, so a board download carries one period kind.
func Suppress(rows []ReportRow, d Disclosure) {
	d = d.WithDefaults()
	hide := make([]bool, len(rows))
	for i, r := range rows {
		hide[i] = r.Suppressed || d.primary(r)
	}
	periods := make(map[string][]int)
	var order []string
	for i, r := range rows {
		if _, ok := periods[r.Period]; !ok {
			order = append(order, r.Period)
		}
		periods[r.Period] = append(periods[r.Period], i)
	}
	for _, p := range order {
		secondary(rows, periods[p], hide)
	}
	for i := range rows {
		if hide[i] {
			rows[i] = ReportRow{Period: rows[i].Period, Group: rows[i].Group, Suppressed: true}
		}
	}
}

// primary reports whether r must be hidden for what it shows by itself.
func (d Disclosure) primary(r ReportRow) bool {
	n := value(r.N)
	if n == 0 {
		return false
	}
	if n < d.MinBase || n < d.SmallCount {
		return true
	}
	for _, c := range []*int64{r.Positive, r.Negative} {
		if c == nil {
			continue
		}
		if *c > 0 && *c < d.SmallCount || (*c == 0 || *c == n) && n < d.AllOrNoneBase {
			return true
		}
	}
	return false
}

// secondary hides more rows of one period (indexes idx into rows) until no
// hidden row can be worked out from the parent and the shown children.
func secondary(rows []ReportRow, idx []int, hide []bool) {
	parent := -1
	var children []int // non-empty children, smallest first
	for _, i := range idx {
		switch {
		case rows[i].Group == AllGroup:
			parent = i
		case value(rows[i].N) > 0:
			children = append(children, i)
		}
	}
	if parent < 0 || len(children) == 0 {
		return
	}
	slices.SortStableFunc(children, func(a, b int) int {
		if c := cmp.Compare(value(rows[a].N), value(rows[b].N)); c != 0 {
			return c
		}
		return strings.Compare(rows[a].Group, rows[b].Group)
	})
	for {
		var hidden []ReportRow
		next := -1
		for _, i := range children {
			if hide[i] {
				hidden = append(hidden, rows[i])
			} else if next < 0 {
				next = i
			}
		}
		exposed := !hide[parent] && recoverable(rows[parent], hidden)
		short := hide[parent] && len(hidden) < min(2, len(children))
		switch {
		case !exposed && !short:
			return
		case next >= 0:
			hide[next] = true
		default: // every child is hidden and the parent still gives them away
			hide[parent] = true
		}
	}
}

// recoverable reports whether the hidden children of a shown parent can be
// worked out, wholly or as a 0% or 100% rate, by subtracting the shown
// children from it; see Suppress.
func recoverable(parent ReportRow, hidden []ReportRow) bool {
	k := int64(len(hidden))
	if k == 0 {
		return false
	}
	var n, pos, neg int64
	for _, h := range hidden {
		n, pos, neg = n+value(h.N), pos+value(h.Positive), neg+value(h.Negative)
	}
	if k == 1 || n == k {
		return true
	}
	pn := value(parent.N)
	for _, c := range []struct {
		parent *int64
		hidden int64
	}{{parent.Positive, pos}, {parent.Negative, neg}} {
		if c.parent == nil || *c.parent == 0 || *c.parent == pn {
			continue // absent, or given away by the parent itself
		}
		if c.hidden == 0 || c.hidden == n {
			return true
		}
	}
	return false
}

// value is *p, or 0 for nil.
func value(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
