package dashboards

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// breakdownRows picks the period's overall row and group rows from rep;
// period "" is the latest.
func breakdownRows(rep analytics.Report, period string) (string, *analytics.ReportRow, []analytics.ReportRow) {
	if period == "" && len(rep.Rows) > 0 {
		period = rep.Rows[len(rep.Rows)-1].Period
	}
	var overall *analytics.ReportRow
	var groups []analytics.ReportRow
	for i, r := range rep.Rows {
		switch {
		case r.Period != period:
		case r.Group == analytics.AllGroup:
			overall = &rep.Rows[i]
		default:
			groups = append(groups, r)
		}
	}
	return period, overall, groups
}

// BreakdownChart draws the groups of one period of rep (period "" is the
// latest) as horizontal bars with their intervals, the overall figure as a
// dashed reference line, and beside each bar its figure and, when the
// group differs clearly from the rest of the survey (Holm-adjusted p under
// 0.05), "▲ above the rest" or "▼ below the rest" in words, so that colour
// carries no meaning. The table has the overall row, then each group with
// its figure, interval, base, counts and comparison.
func BreakdownChart(rep analytics.Report, period string, l Labels) (Chart, error) {
	c := newChart(KindBreakdown, l)
	period, overall, groups := breakdownRows(rep, period)
	all := analytics.ReportRow{Period: period}
	if overall != nil {
		all = *overall
	}
	h := breakdownHeading(rep, period, l, all, groups)
	c.Title = h.full
	c.Description = breakdownDescription(rep, h, all, groups)
	c.Table = breakdownTable(rep, h, l, all, groups)
	bars := groups
	if len(bars) == 0 && overall != nil {
		bars = []analytics.ReportRow{all}
	}
	ms := measure(rep.Metric)
	scale, places, _ := scaleOf(ms)
	s := spec{Option: h.option(c.Description), Height: h.height() + 96 + 30*max(1, len(bars)), Download: downloadName(c),
		Layout: h.layout(l, 20+30*max(1, len(bars)), 20, 32)}
	names, marks := make([]string, len(bars)), make([]string, len(bars))
	values, ivs := make([]*float64, len(bars)), make([][3]*float64, len(bars))
	for i, r := range bars {
		names[i] = GroupLabel(r.Group)
		idx := float64(i)
		ivs[i][2] = &idx
		marks[i] = noFigure
		lines := append([]string{names[i]}, figureLines(rep.Metric, rep.Confidence, r)...)
		if cmp := vsRest(r, all); cmp != "" {
			lines = append(lines, cmp)
		}
		s.Tooltips = append(s.Tooltips, lines)
		if r.Suppressed || r.Rate == nil {
			continue
		}
		values[i] = num(r.Rate, scale, places)
		ivs[i][0], ivs[i][1] = num(r.CILow, scale, places), num(r.CIHigh, scale, places)
		marks[i] = strings.TrimSpace(Value(ms, *r.Rate, false) + "  " + shortVsRest(r, all))
	}
	name, band := metricName(rep.Metric), Confidence(rep.Confidence)+" interval"
	o := &s.Option
	o.Legend = plainLegend(h, []string{name, band})
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 44), Left: "8", Right: "8", Bottom: "32"}
	o.XAxis, o.YAxis = breakdownAxes(ms, names, marks)
	bar := barSeries(name, values)
	if x := num(all.Rate, scale, places); overall != nil && !all.Suppressed && x != nil {
		bar.MarkLines = referenceLine(*x, "All responses: "+Value(ms, *all.Rate, false))
	}
	o.Series = []series{bar, intervalSeries(band, ivs)}
	return c, c.finish(s)
}

// barSeries is the bars of a bar chart with intervals: a light fill with
// a border of the main colour, so that the interval drawn over a bar (in
// the text colour) stands out from it.
func barSeries(name string, values []*float64) series {
	return series{SingleSeries: charts.SingleSeries{Name: name, Type: "bar", Data: values, BarMaxWidth: "22",
		ItemStyle: &opts.ItemStyle{Color: colourBarFill, BorderColor: colourMain, BorderWidth: 1}}}
}

// intervalSeries is the one series that draws the intervals of a bar
// chart, each once, as a line with caps (heard-charts.js's intervalH):
// data items are [low, high, category index].
func intervalSeries(name string, ivs [][3]*float64) series {
	return series{SingleSeries: charts.SingleSeries{Name: name, Type: "custom", RenderItem: rendererIntervalH,
		Data: ivs, Encode: &opts.Encode{X: []int{0, 1}, Y: 2}, ItemStyle: &opts.ItemStyle{Color: colourText}}, Z: 4}
}

// breakdownAxes are the value axis along the bars and two category axes:
// the groups' names on the left (truncated; the table has them whole) and
// their figures and marks on the right.
func breakdownAxes(ms analytics.Measure, names, marks []string) ([]opts.XAxis, []opts.YAxis) {
	_, _, axisFormat := scaleOf(ms)
	lo, hi, scaled := valueAxis(ms)
	x := opts.XAxis{Type: "value", Min: lo, Max: hi, Scale: opts.Bool(scaled), AxisLabel: axisLabel(axisFormat),
		SplitLine: splitLine()}
	groups := opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true), AxisLine: axisLine(),
		AxisLabel: axisLabel("")}
	groups.AxisLabel.Width, groups.AxisLabel.Overflow, groups.AxisLabel.HideOverlap = 180, "truncate", nil
	figures := opts.YAxis{Type: "category", Data: marks, Inverse: opts.Bool(true), Position: "right",
		AxisLine: &opts.AxisLine{Show: opts.Bool(false)}, AxisLabel: axisLabel("")}
	figures.AxisLabel.Color, figures.AxisLabel.HideOverlap = colourText, nil
	return []opts.XAxis{x}, []opts.YAxis{groups, figures}
}

// referenceLine is a dashed vertical line at x with a label of heard's own
// words (a label formatter is a template, so it never holds uploaded text).
func referenceLine(x float64, label string) *opts.MarkLines {
	return &opts.MarkLines{Data: []any{map[string]any{"xAxis": x}}, MarkLineStyle: opts.MarkLineStyle{
		Symbol:    []string{"none", "none"},
		Label:     &opts.Label{Show: opts.Bool(true), Formatter: label, Position: "start", Color: colourText},
		LineStyle: lineStyle(colourText, 1.5, "dashed"),
	}}
}

// shortVsRest is the mark beside a bar: "▲ above", "▼ below" or "".
func shortVsRest(r, overall analytics.ReportRow) string {
	switch vsRest(r, overall) {
	case "▲ above the rest":
		return "▲ above"
	case "▼ below the rest":
		return "▼ below"
	}
	return ""
}

// breakdownHeading is "Overall satisfaction — % satisfied by team, May
// 2024 (n = 412)".
func breakdownHeading(rep analytics.Report, period string, l Labels, all analytics.ReportRow, groups []analytics.ReportRow) heading {
	by := l.By
	if strings.TrimSpace(by) == "" {
		by = "group"
	}
	sub := metricName(rep.Metric) + " by " + by
	if rep.Period != analytics.PeriodAll && period != "" {
		sub += ", " + PeriodLabel(rep.Period, period)
	}
	var n int64
	if !all.Suppressed && all.N != nil {
		n = *all.N
	} else {
		for _, g := range groups {
			if !g.Suppressed && g.N != nil {
				n += *g.N
			}
		}
	}
	return newHeading(subjectOf(l, rep.Question), sub+" ("+baseText(n)+")")
}

// breakdownTable is the overall row, then one row per group.
func breakdownTable(rep analytics.Report, h heading, l Labels, all analytics.ReportRow, groups []analytics.ReportRow) Table {
	first := "Group"
	if strings.TrimSpace(l.By) != "" {
		first = l.By
	}
	t := Table{Name: "By " + strings.ToLower(first), Caption: h.full, Columns: append(append([]string{first}, metricColumns(rep.Metric, rep.Confidence)...),
		"Compared with the rest", "Note")}
	rows := append([]analytics.ReportRow{all}, groups...)
	for _, r := range rows {
		cells := append([]Cell{textCell(GroupLabel(r.Group))}, metricCells(rep.Metric, r)...)
		t.Rows = append(t.Rows, append(cells, Cell{Text: vsRest(r, all), NoWrap: true}, textCell(rowNote(r))))
	}
	t.Notes = suppressionNote(rows, rep.Disclosure)
	return t
}

// breakdownDescription summarises a breakdown for screen readers.
func breakdownDescription(rep analytics.Report, h heading, all analytics.ReportRow, groups []analytics.ReportRow) string {
	var b strings.Builder
	b.WriteString("Bar chart: " + h.full + ". " + Plural(len(groups), "group") + ". ")
	if !all.Suppressed && all.Rate != nil {
		b.WriteString("All responses: " + Value(measure(rep.Metric), *all.Rate, false) + ". ")
	}
	var above, below []string
	hidden := 0
	for _, g := range groups {
		switch shortVsRest(g, all) {
		case "▲ above":
			above = append(above, g.Group)
		case "▼ below":
			below = append(below, g.Group)
		}
		if g.Suppressed {
			hidden++
		}
	}
	if len(above) > 0 {
		b.WriteString("Clearly above the rest: " + strings.Join(above, "; ") + ". ")
	}
	if len(below) > 0 {
		b.WriteString("Clearly below the rest: " + strings.Join(below, "; ") + ". ")
	}
	if hidden > 0 {
		b.WriteString(Plural(hidden, "group") + " not published because of small numbers. ")
	}
	b.WriteString("The figures are in the table with this chart.")
	return b.String()
}
