package importers

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/heard-council/heard/analytics"
)

// london is the zone of every date or time written without one. The
// location is loaded once and never changed.
var london = sync.OnceValues(func() (*time.Location, error) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("load the Europe/London time zone (the binary needs time/tzdata): %w", err)
	}
	return loc, nil
})

// The Excel serial numbers heard accepts: 1 is 1 January 1900 (1904 system:
// 0 is 1 January 1904) and 2958465 is 31 December 9999.
const (
	excelMaxSerial   = 2958466
	excelLeapBugDay  = 60 // 29 February 1900, a day Excel counts but that never was
	millisecondsADay = 86_400_000
)

// The years a date may fall in: wider than any survey needs, narrow enough
// to catch a number that was never a date.
const (
	minYear = 1800
	maxYear = 2200
)

// errDateBlank is returned for a blank date cell.
var errDateBlank = errors.New("the date is blank")

// ParseDate reads a date or date-time cell: ISO forms ("2024-05-03",
// "2024-05-03 14:05:09", with T, fractional seconds, Z or an offset);
// year-first slashes ("2021/4/26 19:50"); d/m/y or m/d/y with 2- or 4-digit
// years ("03/05/2024", "5/10/18 4:01", "5/3/2024 2:05:09 PM"); a month name
// ("3 May 2024", "03-May-24", "May 3, 2024"); and Excel serial numbers (1900
// system with its leap-year bug, or the 1904 system when date1904),
// fractional days giving the time to the millisecond. Times written without
// a zone are Europe/London wall-clock times. order says how to read 03/05:
// DayFirst or DateAuto as 3 May, MonthFirst as 5 March. Two-digit years
// 00-68 are 2000-2068 and 69-99 are 1969-1999. A day or month out of
// range, an impossible date or junk is an error in plain English.
func ParseDate(s string, order analytics.DateOrder, date1904 bool) (time.Time, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return time.Time{}, errDateBlank
	}
	if len(t) > 64 {
		return time.Time{}, fmt.Errorf("%q is too long to be a date", clip(t))
	}
	loc, err := london()
	if err != nil {
		return time.Time{}, err
	}
	if f, ok := parsePlainNumber(t); ok {
		if d, ok := compactDate(t, loc); ok {
			return d, nil
		}
		return excelSerial(t, f, date1904, loc)
	}
	sc := &dateScanner{s: t}
	y, m, d, err := sc.date(order)
	if err != nil {
		return time.Time{}, err
	}
	clock, zone, err := sc.timeOfDay()
	if err != nil {
		return time.Time{}, err
	}
	if zone != nil {
		loc = zone
	}
	return time.Date(y, time.Month(m), d, clock.h, clock.min, clock.sec, clock.nsec, loc), nil
}

// compactDate reads an 8-digit yyyymmdd number such as 20240503.
func compactDate(t string, loc *time.Location) (time.Time, bool) {
	if len(t) != 8 || strings.ContainsAny(t, ".-+eE") {
		return time.Time{}, false
	}
	y, _, _ := leadingDigits(t[:4], 0)
	m, _, _ := leadingDigits(t[4:6], 0)
	d, _, _ := leadingDigits(t[6:], 0)
	if y < minYear || y > maxYear || checkDay(t, y, m, d) != nil {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), true
}

// excelSerial turns an Excel serial day number into a London wall-clock
// time, rounding the time of day to the millisecond.
func excelSerial(t string, f float64, date1904 bool, loc *time.Location) (time.Time, error) {
	day := math.Floor(f)
	if f >= excelMaxSerial {
		return time.Time{}, fmt.Errorf("%q is too large to be an Excel date (the last is 31/12/9999)", t)
	}
	var base time.Time
	switch {
	case date1904:
		if f < 0 {
			return time.Time{}, fmt.Errorf("%q is not an Excel date: dates in the 1904 system start at 0", t)
		}
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case f < 1:
		return time.Time{}, fmt.Errorf("%q is not an Excel date: dates start at 1 (1 January 1900); a number below 1 is a time of day without a date", t)
	case day == excelLeapBugDay:
		return time.Time{}, fmt.Errorf("%q is 29 February 1900 in Excel, a day that did not exist; check the cell", t)
	case day < excelLeapBugDay:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	}
	ms := int64(math.Round((f - day) * millisecondsADay))
	if ms >= millisecondsADay {
		day, ms = day+1, 0
	}
	civil := base.AddDate(0, 0, int(day))
	if civil.Year() > maxYear {
		return time.Time{}, fmt.Errorf("%q is an Excel date in the year %d, out of the range heard accepts; check the cell", t, civil.Year())
	}
	return time.Date(civil.Year(), civil.Month(), civil.Day(),
		int(ms/3_600_000), int(ms/60_000%60), int(ms/1000%60), int(ms%1000)*1_000_000, loc), nil
}

// checkDay says what is wrong with a year, month and day, or nil.
func checkDay(t string, y, m, d int) error {
	if m < 1 || m > 12 {
		return fmt.Errorf("%q is not a date: the month would be %d, and months run from 1 to 12", t, m)
	}
	if d < 1 {
		return fmt.Errorf("%q is not a date: the day would be %d", t, d)
	}
	if last := daysIn(y, m); d > last {
		return fmt.Errorf("%q is not a date: %s %d has %d days, not %d", t, time.Month(m), y, last, d)
	}
	return nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// expandYear turns a 2-digit year into a full one (00-68 are 2000-2068).
func expandYear(y, digits int) int {
	if digits > 2 {
		return y
	}
	if y < 69 {
		return 2000 + y
	}
	return 1900 + y
}

// clip shortens junk for an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:37] + "..."
}

// dateScanner reads a date and an optional time from a trimmed cell.
type dateScanner struct {
	s string
	i int
}

// clockTime is a time of day as written.
type clockTime struct{ h, min, sec, nsec int }

func (sc *dateScanner) junk() error {
	return fmt.Errorf("%q is not a date heard can read; write dates like 2024-05-03, 03/05/2024 or 3 May 2024, with an optional time such as 14:05", clip(sc.s))
}

// date reads the date part and leaves sc.i just after it.
func (sc *dateScanner) date(order analytics.DateOrder) (y, m, d int, err error) {
	s := sc.s
	n1, l1, i := leadingDigits(s, 0)
	switch {
	case l1 == 0:
		y, m, d, err = sc.monthNameFirst()
	case i < len(s) && strings.IndexByte("/-.", s[i]) >= 0 && i+1 < len(s) && isASCIIDigit(s[i+1]):
		y, m, d, err = sc.numericDate(n1, l1, i, order)
	case l1 <= 2:
		y, m, d, err = sc.dayThenMonthName(n1, i)
	default:
		err = sc.junk()
	}
	if err != nil {
		return 0, 0, 0, err
	}
	if y < minYear || y > maxYear {
		return 0, 0, 0, fmt.Errorf("%q is not a date heard accepts: the year %d is out of range", clip(s), y)
	}
	if err := checkDay(s, y, m, d); err != nil {
		return 0, 0, 0, err
	}
	if sc.i < len(s) && s[sc.i] != ' ' && !(s[sc.i] == 'T' && sc.i+1 < len(s) && isASCIIDigit(s[sc.i+1])) {
		return 0, 0, 0, sc.junk()
	}
	return y, m, d, nil
}

// numericDate reads 2024-05-03, 2024/5/3, 03/05/2024, 5/3/24, 03.05.2024.
func (sc *dateScanner) numericDate(n1, l1, i int, order analytics.DateOrder) (y, m, d int, err error) {
	s := sc.s
	sep := s[i]
	n2, l2, j := leadingDigits(s, i+1)
	if l2 > 2 || j >= len(s) || s[j] != sep {
		return 0, 0, 0, sc.junk()
	}
	n3, l3, k := leadingDigits(s, j+1)
	sc.i = k
	switch {
	case l1 == 4 && l3 >= 1 && l3 <= 2:
		return n1, n2, n3, nil
	case l1 <= 2 && (l3 == 2 || l3 == 4):
		y = expandYear(n3, l3)
		if order == analytics.MonthFirst {
			return y, n1, n2, nil
		}
		return y, n2, n1, nil
	}
	return 0, 0, 0, sc.junk()
}

// dayThenMonthName reads "3 May 2024", "03-May-24", "3rd May, 2024".
func (sc *dateScanner) dayThenMonthName(day, i int) (y, m, d int, err error) {
	i = skipOrdinal(sc.s, i)
	i = skipSeps(sc.s, i, " -/.")
	m, i = monthWord(sc.s, i)
	if m == 0 {
		return 0, 0, 0, sc.junk()
	}
	i = skipSeps(sc.s, i, " -/.,")
	yr, ly, k := leadingDigits(sc.s, i)
	if ly != 2 && ly != 4 {
		return 0, 0, 0, sc.junk()
	}
	sc.i = k
	return expandYear(yr, ly), m, day, nil
}

// monthNameFirst reads "May 3, 2024" and "May 3 2024".
func (sc *dateScanner) monthNameFirst() (y, m, d int, err error) {
	m, i := monthWord(sc.s, 0)
	if m == 0 {
		return 0, 0, 0, sc.junk()
	}
	i = skipSeps(sc.s, i, " -/.")
	day, ld, i := leadingDigits(sc.s, i)
	if ld == 0 || ld > 2 {
		return 0, 0, 0, sc.junk()
	}
	i = skipSeps(sc.s, skipOrdinal(sc.s, i), " ,")
	yr, ly, k := leadingDigits(sc.s, i)
	if ly != 2 && ly != 4 {
		return 0, 0, 0, sc.junk()
	}
	sc.i = k
	return expandYear(yr, ly), m, day, nil
}

// timeOfDay reads what follows the date: nothing, or a time with optional
// seconds, fraction, AM/PM and zone. zone is nil for London.
func (sc *dateScanner) timeOfDay() (c clockTime, zone *time.Location, err error) {
	s, i := sc.s, sc.i
	if i >= len(s) {
		return c, nil, nil
	}
	i = skipSeps(s, i+1, " ")
	var lh, lm, ls int
	c.h, lh, i = leadingDigits(s, i)
	if lh == 0 || lh > 2 || i >= len(s) || s[i] != ':' {
		return c, nil, sc.junk()
	}
	if c.min, lm, i = leadingDigits(s, i+1); lm != 2 {
		return c, nil, sc.junk()
	}
	if i < len(s) && s[i] == ':' {
		if c.sec, ls, i = leadingDigits(s, i+1); ls != 2 {
			return c, nil, sc.junk()
		}
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			frac, lf, j := leadingDigits(s, i+1)
			if lf == 0 || (j < len(s) && isASCIIDigit(s[j])) {
				return c, nil, sc.junk()
			}
			for n := lf; n < 9; n++ {
				frac *= 10
			}
			c.nsec, i = frac, j
		}
	}
	i = skipSeps(s, i, " ")
	half, i := meridiem(s, i)
	i = skipSeps(s, i, " ")
	zone, i, ok := zoneSuffix(s, i)
	if !ok || i != len(s) {
		return c, nil, sc.junk()
	}
	return sc.checkClock(c, half, zone)
}

// checkClock applies AM/PM and checks the time's fields.
func (sc *dateScanner) checkClock(c clockTime, half string, zone *time.Location) (clockTime, *time.Location, error) {
	if half != "" {
		if c.h < 1 || c.h > 12 {
			return c, nil, fmt.Errorf("%q is not a time: with AM or PM the hour runs from 1 to 12", clip(sc.s))
		}
		c.h %= 12
		if half == "pm" {
			c.h += 12
		}
	}
	if c.h > 23 || c.min > 59 || c.sec > 59 {
		return c, nil, fmt.Errorf("%q is not a time: hours run from 0 to 23 and minutes and seconds from 0 to 59", clip(sc.s))
	}
	return c, zone, nil
}

// meridiem reads "AM", "pm", "a.m." at i and returns "am", "pm" or "".
func meridiem(s string, i int) (string, int) {
	if i >= len(s) {
		return "", i
	}
	var half string
	switch s[i] | 0x20 {
	case 'a':
		half = "am"
	case 'p':
		half = "pm"
	default:
		return "", i
	}
	j := i + 1
	if j < len(s) && s[j] == '.' {
		j++
	}
	if j >= len(s) || s[j]|0x20 != 'm' {
		return "", i
	}
	j++
	if j < len(s) && s[j] == '.' {
		j++
	}
	return half, j
}

// zoneSuffix reads "Z", "UTC", "GMT", "+01:00", "+0100" or "-05" at i.
func zoneSuffix(s string, i int) (*time.Location, int, bool) {
	rest := s[i:]
	switch {
	case rest == "":
		return nil, i, true
	case rest == "Z" || strings.EqualFold(rest, "UTC") || strings.EqualFold(rest, "GMT"):
		return time.UTC, len(s), true
	case rest[0] != '+' && rest[0] != '-':
		return nil, i, false
	}
	h, lh, j := leadingDigits(s, i+1)
	mins := 0
	switch {
	case lh == 4:
		h, mins = h/100, h%100
	case lh == 2 && j < len(s) && s[j] == ':':
		var lm int
		if mins, lm, j = leadingDigits(s, j+1); lm != 2 {
			return nil, i, false
		}
	case lh != 2:
		return nil, i, false
	}
	if h > 14 || mins > 59 {
		return nil, i, false
	}
	off := (h*60 + mins) * 60
	if rest[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), j, true
}

// monthWord reads an English month name or its abbreviation at i.
func monthWord(s string, i int) (int, int) {
	j := i
	for j < len(s) && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
		j++
	}
	w := strings.ToLower(s[i:j])
	if len(w) < 3 {
		return 0, i
	}
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if strings.HasPrefix(full, w) || (m == time.September && w == "sept") {
			return int(m), j
		}
	}
	return 0, i
}

// skipOrdinal skips "st", "nd", "rd" or "th" after a day number.
func skipOrdinal(s string, i int) int {
	if i+2 <= len(s) {
		switch strings.ToLower(s[i : i+2]) {
		case "st", "nd", "rd", "th":
			return i + 2
		}
	}
	return i
}

// skipSeps skips any of the bytes in seps from i.
func skipSeps(s string, i int, seps string) int {
	for i < len(s) && strings.IndexByte(seps, s[i]) >= 0 {
		i++
	}
	return i
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }
