package analytics

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// PeriodKind is how responses are grouped in time.
type PeriodKind string

// The period kinds and the keys they give. Keys of one kind sort in time
// order as plain strings, so a slice of keys can be sorted with slices.Sort.
const (
	PeriodMonth   PeriodKind = "month"   // "2024-05"
	PeriodQuarter PeriodKind = "quarter" // calendar quarter, "2024-Q2" = April to June 2024
	PeriodYear    PeriodKind = "year"    // calendar year, "2024"
	// PeriodFY is the UK financial year, April to March: "2024-25".
	PeriodFY PeriodKind = "fy"
	// PeriodFYQuarter is a quarter of the financial year: "2024-25 Q1" is
	// April to June 2024, "2024-25 Q4" January to March 2025.
	PeriodFYQuarter PeriodKind = "fyq"
	// PeriodAll puts every response, dated or not, in one period "all".
	PeriodAll PeriodKind = "all"
)

// AllPeriod is the one key of PeriodAll.
const AllPeriod = "all"

// ErrNoPrevious is returned by Previous for PeriodAll, which has no period
// before it.
var ErrNoPrevious = errors.New("this period has no period before it")

// ParsePeriodKind reads a period kind as written in a URL or a form
// ("month", "quarter", "year", "fy", "fyq", "all"; case and spaces ignored).
func ParsePeriodKind(s string) (PeriodKind, error) {
	k := PeriodKind(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case PeriodMonth, PeriodQuarter, PeriodYear, PeriodFY, PeriodFYQuarter, PeriodAll:
		return k, nil
	}
	return "", fmt.Errorf("%q is not a period: use month, quarter, year, fy (financial year), fyq (financial-year quarter) or all", s)
}

// LoadLondon returns the Europe/London time zone, in which heard dates
// every response. The binary embeds the zone database (main imports
// time/tzdata), so this only fails in a test binary on a system without one.
func LoadLondon() (*time.Location, error) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("load the Europe/London time zone: %w", err)
	}
	return loc, nil
}

// DateKeys returns the month key ("2024-05") and day key ("2024-05-03") of
// the instant t as a clock in london (from LoadLondon) reads it, so that a
// response submitted at 00:30 British Summer Time on 1 April belongs to
// April and the new financial year. A zero t (no date) gives "", "".
func DateKeys(t time.Time, london *time.Location) (month, day string) {
	if t.IsZero() {
		return "", ""
	}
	day = t.In(london).Format("2006-01-02")
	return day[:7], day
}

// parseMonth reads a month key "2024-05".
func parseMonth(month string) (year, mon int, err error) {
	t, err := time.Parse("2006-01", month)
	if err != nil || len(month) != 7 {
		return 0, 0, fmt.Errorf("%q is not a month: months are written like 2024-05", month)
	}
	return t.Year(), int(t.Month()), nil
}

// PeriodOf returns the key of the period of the given kind that contains
// the month key ("2024-05"): "2024-Q2", "2024", "2024-25", "2024-25 Q1" or
// "all". For PeriodAll any month, even "" (no date), gives "all".
func PeriodOf(kind PeriodKind, month string) (string, error) {
	if kind == PeriodAll {
		return AllPeriod, nil
	}
	y, m, err := parseMonth(month)
	if err != nil {
		return "", err
	}
	return periodKey(kind, y, m)
}

// periodKey is the key of the period of kind holding month m of year y.
func periodKey(kind PeriodKind, y, m int) (string, error) {
	fy := y // the calendar year in which the financial year starts
	if m < 4 {
		fy = y - 1
	}
	switch kind {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", y, m), nil
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1), nil
	case PeriodYear:
		return fmt.Sprintf("%04d", y), nil
	case PeriodFY:
		return fmt.Sprintf("%04d-%02d", fy, (fy+1)%100), nil
	case PeriodFYQuarter:
		return fmt.Sprintf("%04d-%02d Q%d", fy, (fy+1)%100, (m+8)%12/3+1), nil
	case PeriodAll:
		return AllPeriod, nil
	}
	return "", fmt.Errorf("%q is not a period kind: use month, quarter, year, fy, fyq or all", kind)
}

// firstMonth returns the year and first month of the period key of kind.
func firstMonth(kind PeriodKind, key string) (y, m int, err error) {
	var fyEnd, q int
	bad := fmt.Errorf("%q is not a %s period key", key, kind)
	switch kind {
	case PeriodMonth:
		y, m, err = parseMonth(key)
		return y, m, err
	case PeriodQuarter:
		_, err = fmt.Sscanf(key, "%4d-Q%1d", &y, &q)
		m = 3*q - 2
	case PeriodYear:
		_, err = fmt.Sscanf(key, "%4d", &y)
		m = 1
	case PeriodFY:
		_, err = fmt.Sscanf(key, "%4d-%2d", &y, &fyEnd)
		m = 4
	case PeriodFYQuarter:
		_, err = fmt.Sscanf(key, "%4d-%2d Q%1d", &y, &fyEnd, &q)
		m = 3*q + 1 // Q1 April, Q2 July, Q3 October, Q4 January (next year)
		if q == 4 {
			y, m = y+1, 1
		}
	case PeriodAll:
		return 0, 0, fmt.Errorf("period %q: %w", key, ErrNoPrevious)
	default:
		return 0, 0, fmt.Errorf("%q is not a period kind: use month, quarter, year, fy, fyq or all", kind)
	}
	if err != nil {
		return 0, 0, bad
	}
	// Writing the key back out catches "2024-Q5", "2024-26", "24" and the like.
	if back, kerr := periodKey(kind, y, m); kerr != nil || back != key || m < 1 || m > 12 {
		return 0, 0, bad
	}
	return y, m, nil
}

// Previous returns the key of the period immediately before key, of the
// same kind: "2024-01" before "2024-02", "2023-Q4" before "2024-Q1",
// "2023-24" before "2024-25", "2023-24 Q4" before "2024-25 Q1". "The period
// before" always means the calendar neighbour, never the latest period that
// happens to have data: a report compares March with February only, and
// when February has no responses March gets no change. PeriodAll has no
// period before it (ErrNoPrevious).
func Previous(kind PeriodKind, key string) (string, error) {
	y, m, err := firstMonth(kind, key)
	if err != nil {
		return "", err
	}
	step := map[PeriodKind]int{PeriodMonth: 1, PeriodQuarter: 3, PeriodYear: 12, PeriodFY: 12, PeriodFYQuarter: 3}[kind]
	months := y*12 + (m - 1) - step
	return periodKey(kind, months/12, months%12+1)
}

// KindsOfKey returns the kinds of period that key is a key of, in the
// order month, quarter, year, fy, fyq, all: "2024-05" is a month, "2024-Q2"
// a quarter, "2024" a calendar year, "2024-25" a financial year, "2024-25
// Q1" a financial-year quarter and "all" all periods together. A few keys
// are of two kinds: "2011-12" is both December 2011 and the financial year
// 2011-12, so a caller that knows which kind it expects should check that
// kind first. Anything else gives none.
func KindsOfKey(key string) []PeriodKind {
	if key == AllPeriod {
		return []PeriodKind{PeriodAll}
	}
	var kinds []PeriodKind
	for _, k := range []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear, PeriodFY, PeriodFYQuarter} {
		if _, _, err := firstMonth(k, key); err == nil {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// YearBefore returns the key of the period of the same kind a year before
// key: "2023-05" for "2024-05", "2023-Q2" for "2024-Q2", "2023" for
// "2024", "2023-24" for "2024-25", "2023-24 Q1" for "2024-25 Q1". PeriodAll
// has no year before it (ErrNoPrevious).
func YearBefore(kind PeriodKind, key string) (string, error) {
	y, m, err := firstMonth(kind, key)
	if err != nil {
		return "", err
	}
	return periodKey(kind, y-1, m)
}
