package dashboards

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
)

// measure is the metric's measure, a share when empty.
func measure(m analytics.Metric) analytics.Measure {
	if m.Measure == "" {
		return analytics.MeasureShare
	}
	return m.Measure
}

// metricName is how a title names the metric.
func metricName(m analytics.Metric) string {
	if m.Name != "" {
		return m.Name
	}
	switch measure(m) {
	case analytics.MeasureNPS:
		return "Net Promoter Score"
	case analytics.MeasureMean:
		return "mean score"
	}
	return "% positive"
}

// scaleOf returns how a measure's values are drawn: the factor from the
// report's value, the decimals kept, and the axis label's template.
func scaleOf(m analytics.Measure) (scale float64, places int, axis string) {
	switch m {
	case analytics.MeasureMean:
		return 1, 2, "{value}"
	case analytics.MeasureNPS:
		return 100, 1, "{value}"
	}
	return 100, 1, "{value}%"
}

// Round rounds v to places decimals, halves away from zero: 28.75 to one
// decimal is 28.8 and −28.75 is −28.8, as people round by hand and as a
// spreadsheet's ROUND does. It is the one rounding rule of every figure
// heard shows. A figure is a ratio of counts, which binary floating point
// holds only nearly: 23/80 as a percentage, times ten, is
// 287.49999999999994, not 287.5. So a value within a millionth of a
// millionth (relative) of a half is taken as that half; two different
// ratios of counts under many millions are never that close.
func Round(v float64, places int) float64 {
	f := math.Pow(10, float64(places))
	x := v * f
	if h := math.Round(x*2) / 2; math.Abs(x-h) <= 1e-12*math.Abs(x) {
		x = h
	}
	return math.Round(x) / f
}

// Value writes a metric's value for people, rounded by Round: a share as a
// percentage with one decimal ("85.0%"), a Net Promoter Score from −100 to
// 100 with its sign ("+12.5", "-30.0"), a mean score with two decimals
// ("3.45"). forCSV leaves the "%" off a share, for a CSV cell that a
// spreadsheet reads as a number.
func Value(m analytics.Measure, v float64, forCSV bool) string {
	switch m {
	case analytics.MeasureMean:
		return strconv.FormatFloat(Round(v, 2), 'f', 2, 64)
	case analytics.MeasureNPS:
		return fmt.Sprintf("%+.1f", Round(v*100, 1))
	}
	s := strconv.FormatFloat(Round(v*100, 1), 'f', 1, 64)
	if forCSV {
		return s
	}
	return s + "%"
}

// Interval writes an interval as "80.1% to 89.0%" ("+1.0 to +5.0" for an
// NPS, "3.10 to 3.52" for a mean), or "" without one. Both ends carry their
// unit and the word "to" is read out by a screen reader, where a dash is
// not (or is read as "minus").
func Interval(m analytics.Measure, low, high *float64) string {
	if low == nil || high == nil {
		return ""
	}
	return Value(m, *low, false) + " to " + Value(m, *high, false)
}

// Difference writes the size of a change between two values: "6.2 points"
// for a share or an NPS, "0.12" for a mean score.
func Difference(m analytics.Measure, d float64) string {
	d = math.Abs(d)
	if m == analytics.MeasureMean {
		return strconv.FormatFloat(Round(d, 2), 'f', 2, 64)
	}
	return strconv.FormatFloat(Round(d*100, 1), 'f', 1, 64) + " points"
}

// Date writes a day as every page shows it: "2025-03-31", in t's own time
// zone. One form everywhere, which sorts, reads the same in every locale
// and is what the date filters take.
func Date(t time.Time) string { return t.Format("2006-01-02") }

// DateTime writes a moment as every page shows it: "2025-03-31 14:05", in
// t's own time zone.
func DateTime(t time.Time) string { return t.Format("2006-01-02 15:04") }

// NoChange is the one phrase for a change from the period before that is
// no larger than chance would explain, on every page and download.
const NoChange = "No significant change"

// NoDifference is the one phrase for a group whose figure differs from the
// rest of the survey by no more than chance would explain.
const NoDifference = "No significant difference"

// Thousands writes n with commas between thousands: 12,345.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Plural writes n, with commas between thousands, and the noun, with an s
// unless n is 1: "1 group", "1,204 answers", "0 problems".
func Plural(n int, noun string) string {
	return Thousands(int64(n)) + " " + Noun(int64(n), noun)
}

// Noun is the noun for n things: noun itself when n is 1, else noun with
// an s ("response", "responses"). Every noun heard counts takes an s.
func Noun(n int64, noun string) string {
	if n == 1 || n == -1 {
		return noun
	}
	return noun + "s"
}

// Confidence writes a confidence level as "95%" (up to two decimals,
// "99.95%"), the default level when c is not between 0 and 1.
func Confidence(c float64) string {
	if !(c > 0 && c < 1) {
		c = analytics.DefaultConfidence
	}
	return strconv.FormatFloat(Round(c*100, 2), 'f', -1, 64) + "%"
}

// PValue writes a p-value to three significant figures: "p=0.0231", or
// "p<0.001".
func PValue(p float64) string {
	if p < 0.001 {
		return "p<0.001"
	}
	return "p=" + strconv.FormatFloat(p, 'g', 3, 64)
}

// PeriodName names a kind of period in words: "month", "calendar year",
// "all periods together".
func PeriodName(k analytics.PeriodKind) string {
	switch k {
	case analytics.PeriodAll:
		return "all periods together"
	case analytics.PeriodQuarter:
		return "quarter"
	case analytics.PeriodYear:
		return "calendar year"
	case analytics.PeriodFY:
		return "financial year"
	case analytics.PeriodFYQuarter:
		return "financial-year quarter"
	}
	return "month"
}

// byPeriod is the part of a title that says how figures are grouped in
// time: " by month", or "" for PeriodAll.
func byPeriod(k analytics.PeriodKind) string {
	if k == analytics.PeriodAll {
		return ""
	}
	return " by " + PeriodName(k)
}

// PeriodLabel writes a period key as a page shows it: "May 2024" for the
// month "2024-05", "2024 Q2" for the quarter "2024-Q2", "All periods" for
// PeriodAll. Keys it does not recognise are returned as they are.
func PeriodLabel(k analytics.PeriodKind, key string) string {
	switch {
	case k == analytics.PeriodAll || key == analytics.AllPeriod:
		return "All periods"
	case k == analytics.PeriodMonth || k == "":
		if t, err := time.Parse("2006-01", key); err == nil && len(key) == 7 {
			return t.Format("January 2006")
		}
	case k == analytics.PeriodQuarter:
		return strings.Replace(key, "-Q", " Q", 1)
	}
	return key
}

// axisPeriod writes a period key as an axis shows it: "Jan 2024" for a
// month, PeriodLabel otherwise.
func axisPeriod(k analytics.PeriodKind, key string) string {
	if k == analytics.PeriodMonth || k == "" {
		if t, err := time.Parse("2006-01", key); err == nil && len(key) == 7 {
			return t.Format("Jan 2006")
		}
	}
	return PeriodLabel(k, key)
}

// GroupLabel writes a group as a page shows it: "All responses" for the
// overall row (analytics.AllGroup), the group's value otherwise.
func GroupLabel(g string) string {
	if g == analytics.AllGroup {
		return "All responses"
	}
	return g
}

// wrap breaks s into lines of at most width characters at spaces, keeping
// at most maxLines lines (the last ends with "…" when text was cut).
func wrap(s string, width, maxLines int) []string {
	var lines []string
	var line strings.Builder
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
	}
	for _, word := range strings.Fields(s) {
		for utf8.RuneCountInString(word) > width { // a word longer than a line
			if line.Len() > 0 {
				flush()
			}
			r := []rune(word)
			line.WriteString(string(r[:width]))
			flush()
			word = string(r[width:])
		}
		if line.Len() > 0 && utf8.RuneCountInString(line.String())+1+utf8.RuneCountInString(word) > width {
			flush()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		r := []rune(lines[maxLines-1])
		if len(r) >= width {
			r = r[:width-1]
		}
		lines[maxLines-1] = string(r) + "…"
	}
	return lines
}

// fileName makes a download file name from an id: letters, digits, '-'.
func fileName(id, ext string) string {
	return "heard-" + strings.Trim(safeID(id, ""), "-_") + "." + ext
}

// OneLine shortens text to one line of at most n characters, for a table
// or a list: white space folded, "…" where it was cut.
func OneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// OptionSummary lists a question's options on one line, with each
// option's polarity and the scale's name, for a table.
func OptionSummary(q analytics.Question) string {
	if len(q.Options) == 0 {
		return ""
	}
	parts := make([]string, 0, len(q.Options))
	for _, o := range q.Options {
		label := OneLine(o.Label, 24)
		if o.Polarity != "" {
			label += " (" + string(o.Polarity) + ")"
		}
		parts = append(parts, label)
	}
	if q.Scale != "" {
		return q.Scale + ": " + OneLine(strings.Join(parts, "; "), 90)
	}
	return OneLine(strings.Join(parts, "; "), 90)
}
