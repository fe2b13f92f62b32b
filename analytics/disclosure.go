package analytics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Policy names a published disclosure rule a survey's board outputs
// follow. Every board page, download and JSON answer states it.
type Policy string

const (
	// PolicyHeard is heard's own rule, the default: a rate on a base under
	// 10 is not shown, no count of 1 to 4 is shown or can be worked out
	// (positive, negative, and the answers that are neither), no 0% or 100%
	// on a base under 20, and secondary suppression across groups.
	PolicyHeard Policy = "heard"
	// PolicyNHSDigital is NHS Digital's rule for published adult social
	// care statistics: counts from 1 to 7 are suppressed, every other count
	// is rounded to the nearest 5, and rates are computed from the rounded
	// counts.
	PolicyNHSDigital Policy = "nhs-digital"
	// PolicyNHSFFT is NHS England's Friends and Family Test publication
	// rule: a figure on fewer than 5 responses is suppressed, with
	// secondary suppression of the next smallest sibling so that it cannot
	// be worked back from its parent, and cascade suppression of children
	// when a parent is suppressed.
	PolicyNHSFFT Policy = "nhs-fft"
)

// Policies lists the policies a survey can be set to.
func Policies() []Policy { return []Policy{PolicyHeard, PolicyNHSDigital, PolicyNHSFFT} }

// ParsePolicy reads a policy's name; "" is PolicyHeard.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return PolicyHeard, nil
	case PolicyHeard, PolicyNHSDigital, PolicyNHSFFT:
		return p, nil
	}
	return "", fmt.Errorf("%q is not a disclosure policy: use heard, nhs-digital or nhs-fft", s)
}

// Disclosure returns the policy's fixed rule. Board outputs use exactly
// these thresholds: no request can change them.
func (p Policy) Disclosure() Disclosure {
	switch p {
	case PolicyNHSDigital:
		return Disclosure{Policy: p, MinBase: 8, SmallCount: 8, Round: 5,
			AllOrNoneBase: 1, Rule: "NHS Digital's rule: counts from 1 to 7 are not shown, other counts are rounded to the nearest 5, and rates are worked out from the rounded counts."}
	case PolicyNHSFFT:
		return Disclosure{Policy: p, MinBase: 5, SmallCount: 5, AllOrNoneBase: 1,
			Rule: "NHS England's Friends and Family Test rule: a figure on fewer than 5 responses is not shown, and neither is the next smallest group beside it, so that it cannot be worked out from the total."}
	}
	return Disclosure{Policy: PolicyHeard, MinBase: 10, SmallCount: 5, AllOrNoneBase: 20,
		Rule: "heard's rule: no figure on fewer than 10 answers, no count from 1 to 4 (and none that could be worked out from other figures), and no 0% or 100% on fewer than 20 answers."}
}

// Disclosure is the rule set applied to every figure that leaves a staff
// screen (board dashboards, trend CSVs, shared links). Board outputs take
// it whole from the survey's Policy; the zero value is PolicyHeard's.
type Disclosure struct {
	// Policy names the rule.
	Policy Policy `json:"policy"`
	// MinBase is the smallest base a rate is shown on (10 under
	// PolicyHeard). Staff reports compute no p-value on a smaller base.
	MinBase int64 `json:"min_base"`
	// SmallCount is the smallest non-zero count shown: counts from 1 to
	// SmallCount−1 are suppressed (5 under PolicyHeard, so 1-4 are hidden).
	SmallCount int64 `json:"small_count"`
	// AllOrNoneBase is the smallest base on which 0% or 100% may be shown
	// (2 × MinBase under PolicyHeard): "all 12 people in this team
	// said..." points at each of them.
	AllOrNoneBase int64 `json:"all_or_none_base"`
	// Round, when not 0, rounds every shown count to the nearest multiple
	// (5 under PolicyNHSDigital) and works rates out from rounded counts.
	Round int64 `json:"round,omitempty"`
	// Rule is the policy in plain English, for pages and CSVs.
	Rule string `json:"rule"`
}

// WithDefaults returns d with its zero fields set from its policy
// (PolicyHeard when none is named).
func (d Disclosure) WithDefaults() Disclosure {
	base := d.Policy.Disclosure()
	if d.Policy == "" {
		d.Policy = PolicyHeard
	}
	if d.MinBase <= 0 {
		d.MinBase = base.MinBase
	}
	if d.SmallCount <= 0 {
		d.SmallCount = base.SmallCount
	}
	if d.AllOrNoneBase <= 0 {
		d.AllOrNoneBase = base.AllOrNoneBase
		if d.Policy == PolicyHeard {
			d.AllOrNoneBase = 2 * d.MinBase
		}
	}
	if d.Round <= 0 {
		d.Round = base.Round
	}
	if d.Rule == "" {
		d.Rule = base.Rule
	}
	return d
}

// Suppress applies disclosure control to the rows of one report in place,
// under d's policy. A suppressed row keeps its Period and Group, has
// Suppressed set and loses N, Positive, Negative, Rate, the interval and
// the p-values. Under a rounding policy the shown rows' counts are rounded
// too (BuildReport then works their rates out again from the rounded
// counts).
//
// Rows are taken period by period; within a period the row of AllGroup is
// the parent and the other rows are its children, which must split it (every
// response in exactly one group, as BuildReport makes them). Rows with N = 0
// hide nothing and are left alone.
//
// Primary suppression hides a row for what it shows by itself. Under
// PolicyHeard: a base under MinBase, or a count of the row's answer
// categories between 1 and SmallCount−1 (the positive answers, the negative
// ones of an NPS, and the rest: N − Positive, or N − Positive − Negative),
// or a 0% or 100% on a base under AllOrNoneBase. Under PolicyNHSFFT: a base
// from 1 to 4. Under PolicyNHSDigital: a base, positive or negative count
// from 1 to 7.
//
// A parent is hidden by primary suppression only, so that it is hidden or
// shown alike whatever the breakdown asked for: a parent shown in one
// report and hidden in another would give itself away.
//
// Secondary suppression (PolicyHeard and PolicyNHSFFT) then follows NHS
// England's Friends and Family Test publication rule, so that no hidden
// figure can be worked back by subtraction: while the parent is shown and
// its hidden children could be worked out from it (one hidden child; or
// hidden counts summing to as many responses as hidden rows, so each is 1;
// under PolicyHeard also hidden category counts summing to none or to all
// of the hidden base), the next smallest shown child (by N, then group
// name) is hidden too. A hidden parent gets its two smallest children
// hidden (its only one, if it has one), or it could be rebuilt by adding
// them up (the FFT's cascade). A parent shown at 0% or 100% (allowed on a
// base of AllOrNoneBase or more) says that every child is at 0% or 100%
// too; that is accepted.
//
// PolicyNHSDigital has no secondary suppression: rounding every count to
// the nearest 5 is what keeps a hidden count from being worked out.
//
// Suppression holds within the rows given. Board reports are therefore
// made of one period kind, one breakdown at a time, every date and every
// group (see the api's board parameters), so that no two board outputs
// overlap in any other way.
func Suppress(rows []ReportRow, d Disclosure) {
	d = d.WithDefaults()
	hide := make([]bool, len(rows))
	for i, r := range rows {
		hide[i] = r.Suppressed || d.primary(r)
	}
	if d.Policy != PolicyNHSDigital {
		periods := make(map[string][]int)
		var order []string
		for i, r := range rows {
			if _, ok := periods[r.Period]; !ok {
				order = append(order, r.Period)
			}
			periods[r.Period] = append(periods[r.Period], i)
		}
		for _, p := range order {
			d.secondary(rows, periods[p], hide)
		}
	}
	for i := range rows {
		if hide[i] {
			rows[i] = ReportRow{Period: rows[i].Period, Group: rows[i].Group, Suppressed: true}
		} else if d.Round > 0 {
			for _, c := range []*int64{rows[i].N, rows[i].Positive, rows[i].Negative} {
				if c != nil {
					*c = RoundTo(*c, d.Round)
				}
			}
		}
	}
}

// RoundTo rounds a count to the nearest multiple of step (halves up).
func RoundTo(n, step int64) int64 {
	if step <= 1 {
		return n
	}
	return (n + step/2) / step * step
}

// categories are the counts of r's answer categories: the positive
// answers, the negative ones (NPS), and the rest. Nil for a mean.
func categories(r ReportRow) []int64 {
	if r.Positive == nil {
		return nil
	}
	n, pos := value(r.N), *r.Positive
	if r.Negative == nil {
		return []int64{pos, n - pos}
	}
	return []int64{pos, *r.Negative, n - pos - *r.Negative}
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
	switch d.Policy {
	case PolicyNHSFFT:
		return false
	case PolicyNHSDigital:
		for _, c := range []*int64{r.Positive, r.Negative} {
			if c != nil && *c > 0 && *c < d.SmallCount {
				return true
			}
		}
		return false
	}
	for _, c := range categories(r) {
		if c > 0 && c < d.SmallCount || (c == 0 || c == n) && n < d.AllOrNoneBase {
			return true
		}
	}
	return false
}

// secondary hides more children of one period (indexes idx into rows)
// until no hidden child can be worked out from the parent and the shown
// children, and a hidden parent has at least two hidden children.
func (d Disclosure) secondary(rows []ReportRow, idx []int, hide []bool) {
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
		exposed := !hide[parent] && d.recoverable(rows[parent], hidden)
		short := hide[parent] && len(hidden) < min(2, len(children))
		if (!exposed && !short) || next < 0 {
			// With every child hidden, a parent that passes primary
			// suppression gives none of them away (see Suppress).
			return
		}
		hide[next] = true
	}
}

// recoverable reports whether the hidden children of a shown parent can be
// worked out, wholly or as a 0% or 100% rate, by subtracting the shown
// children from it; see Suppress.
func (d Disclosure) recoverable(parent ReportRow, hidden []ReportRow) bool {
	k := int64(len(hidden))
	if k == 0 {
		return false
	}
	var n int64
	for _, h := range hidden {
		n += value(h.N)
	}
	if k == 1 || n == k {
		return true
	}
	if d.Policy != PolicyHeard {
		return false
	}
	pc := categories(parent)
	for c := range pc {
		if pc[c] == 0 || pc[c] == value(parent.N) {
			continue // given away by the parent itself
		}
		var sum int64
		for _, h := range hidden {
			sum += categories(h)[c]
		}
		if sum == 0 || sum == n {
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

// Publication is what a survey publishes to its board: the disclosure
// policy of every board output and the one kind of period they come in.
// One kind only, since a month and the year around it, published side by
// side, would let a hidden month be worked out by subtraction.
type Publication struct {
	Policy Policy     `json:"policy"`
	Period PeriodKind `json:"period"`
}

// DefaultPublication is a survey's publication until an admin sets one:
// heard's policy, by month.
func DefaultPublication() Publication {
	return Publication{Policy: PolicyHeard, Period: PeriodMonth}
}
