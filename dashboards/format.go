package dashboards

import (
	"fmt"
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

// figure writes a metric value as a page shows it: "85.0%", "+12.5" (NPS),
// "3.45" (mean).
func figure(m analytics.Measure, v float64) string {
	switch m {
	case analytics.MeasureMean:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case analytics.MeasureNPS:
		return fmt.Sprintf("%+.1f", round(v*100, 1))
	}
	return strconv.FormatFloat(round(v*100, 1), 'f', 1, 64) + "%"
}

// interval writes an interval: "80.1% to 89.0%", or "" without one.
func interval(m analytics.Measure, low, high *float64) string {
	if low == nil || high == nil {
		return ""
	}
	return figure(m, *low) + " to " + figure(m, *high)
}

// thousands writes n with commas between thousands: 12,345.
func thousands(n int64) string {
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

// confidence writes a confidence level as "95%".
func confidence(c float64) string {
	if !(c > 0 && c < 1) {
		c = analytics.DefaultConfidence
	}
	return strconv.FormatFloat(round(c*100, 1), 'f', -1, 64) + "%"
}

// byPeriod is the part of a title that says how figures are grouped in
// time: " by month", or "" for PeriodAll.
func byPeriod(k analytics.PeriodKind) string {
	switch k {
	case analytics.PeriodAll:
		return ""
	case analytics.PeriodQuarter:
		return " by quarter"
	case analytics.PeriodYear:
		return " by calendar year"
	case analytics.PeriodFY:
		return " by financial year"
	case analytics.PeriodFYQuarter:
		return " by financial-year quarter"
	}
	return " by month"
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
