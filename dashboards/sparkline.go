package dashboards

import (
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// Sparkline draws the trend of one group of rep as a small line without
// axes, title or legend, to sit beside a headline figure. Its Title,
// description, tooltips and table are those of TrendChart; it has no PNG
// download.
func Sparkline(rep analytics.Report, group string, l Labels) (Chart, error) {
	c := newChart(KindSparkline, l)
	pts := trendPoints(rep, group)
	h := trendHeading(rep, group, l, pts)
	c.Title, c.Description = h.full, trendDescription("Small line chart", rep, h, pts)
	c.Table = trendTable(rep, h, pts, nil)
	s := spec{Option: baseOption("", "", c.Description), Height: 44}
	s.Option.Title = nil
	scale, places, _ := scaleOf(measure(rep.Metric))
	labels, value := make([]string, len(pts)), make([]*float64, len(pts))
	for i, p := range pts {
		labels[i] = axisPeriod(rep.Period, p.period)
		s.Tooltips = append(s.Tooltips, append([]string{PeriodLabel(rep.Period, p.period)}, trendLines(rep, pts, i)...))
		if p.row != nil && !p.row.Suppressed {
			value[i] = num(p.row.Rate, scale, places)
		}
	}
	o := &s.Option
	o.Grid = &opts.Grid{Top: "8", Left: "4", Right: "64", Bottom: "8"}
	o.XAxis = []opts.XAxis{{Type: "category", Data: labels, Show: opts.Bool(false)}}
	y := opts.YAxis{Type: "value", Show: opts.Bool(false), Scale: opts.Bool(true)}
	if lo, hi, ok := valueRange(value); ok {
		// The line spans the height exactly, so that the range written
		// beside it is the top and the bottom of the line.
		y.Min, y.Max = lo, hi
		ms := measure(rep.Metric)
		o.Graphic = []graphic{rangeText("heard-range-max", "max "+rangeValue(ms, hi, scale), "2", ""),
			rangeText("heard-range-min", "min "+rangeValue(ms, lo, scale), "", "2")}
		c.Range = "From " + rangeValue(ms, lo, scale) + " to " + rangeValue(ms, hi, scale)
	}
	o.YAxis = []opts.YAxis{y}
	o.Series = []series{lineSeries(metricName(rep.Metric), value, 1.5, false)}
	return c, c.finish(s)
}

// valueRange is the smallest and largest of the values drawn.
func valueRange(values []*float64) (lo, hi float64, ok bool) {
	for _, v := range values {
		if v == nil {
			continue
		}
		if !ok || *v < lo {
			lo = *v
		}
		if !ok || *v > hi {
			hi = *v
		}
		ok = true
	}
	return lo, hi, ok
}

// rangeValue writes a value of a sparkline's axis (scaled) as its figure.
func rangeValue(ms analytics.Measure, v, scale float64) string {
	return Value(ms, v/scale, false)
}

// rangeText is the top or bottom of a sparkline's range, written at its
// right.
func rangeText(id, text, top, bottom string) graphic {
	return graphic{Type: "text", ID: id, Right: "2", Top: top, Bottom: bottom, Silent: true,
		Style: graphicStyle{Text: text, Fill: colourTextMuted, Font: "11px sans-serif"}}
}

// trendDescription summarises a trend for screen readers.
func trendDescription(what string, rep analytics.Report, h heading, pts []point) string {
	var b strings.Builder
	b.WriteString(what + ": " + h.full + ". ")
	if len(pts) == 0 {
		b.WriteString("There are no figures to show.")
		return b.String()
	}
	b.WriteString(Plural(len(pts), "period"))
	if len(pts) > 1 {
		b.WriteString(" from " + PeriodLabel(rep.Period, pts[0].period) + " to " +
			PeriodLabel(rep.Period, pts[len(pts)-1].period))
	}
	b.WriteString(". ")
	hidden := 0
	var latest *point
	for i := range pts {
		switch r := pts[i].row; {
		case r != nil && r.Suppressed:
			hidden++
		case r != nil && r.Rate != nil:
			latest = &pts[i]
		}
	}
	if latest != nil {
		ms := measure(rep.Metric)
		b.WriteString("Latest figure, " + PeriodLabel(rep.Period, latest.period) + ": " + Value(ms, *latest.row.Rate, false))
		if iv := Interval(ms, latest.row.CILow, latest.row.CIHigh); iv != "" && latest.row.N != nil {
			b.WriteString(" (" + Confidence(rep.Confidence) + " interval " + iv + ", " + baseText(*latest.row.N) + ")")
		}
		b.WriteString(". ")
	}
	if hidden > 0 {
		b.WriteString(Plural(hidden, "period") + " not published because of small numbers. ")
	}
	b.WriteString("The figures are in the table with this chart.")
	return b.String()
}

// itoa writes an int for an ECharts position ("56").
func itoa(n int) string { return strconv.Itoa(n) }
