package dashboards

import (
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// point is one period of a trend: the group's row, or nil when the group
// had no answers in the period.
type point struct {
	period string
	row    *analytics.ReportRow
}

// maxFill bounds the periods trendPoints adds between a trend's first and
// last (50 years of months).
const maxFill = 600

// trendPoints returns the rows of group in rep in time order, with the
// periods between them that have no row filled in, so that the time axis
// is even.
func trendPoints(rep analytics.Report, group string) []point {
	var pts []point
	for i := range rep.Rows {
		if rep.Rows[i].Group == group {
			pts = append(pts, point{rep.Rows[i].Period, &rep.Rows[i]})
		}
	}
	if len(pts) < 2 {
		return pts
	}
	byKey := make(map[string]*analytics.ReportRow, len(pts))
	for _, p := range pts {
		byKey[p.period] = p.row
	}
	filled := []point{pts[len(pts)-1]}
	for key := pts[len(pts)-1].period; key > pts[0].period; {
		prev, err := analytics.Previous(rep.Period, key)
		if err != nil || len(filled) > maxFill || prev >= key {
			return pts // keys that Previous cannot walk: keep the rows as they are
		}
		filled = append(filled, point{prev, byKey[prev]})
		key = prev
	}
	slices.Reverse(filled)
	return filled
}

// shownBase sums the bases of the points that show a figure.
func shownBase(pts []point) int64 {
	var n int64
	for _, p := range pts {
		if p.row != nil && !p.row.Suppressed && p.row.Rate != nil && p.row.N != nil {
			n += *p.row.N
		}
	}
	return n
}

// trendHeading is the heading of a trend of group: "Overall satisfaction —
// % satisfied by month, Reablement team (n = 412)".
func trendHeading(rep analytics.Report, group string, l Labels, pts []point) heading {
	sub := metricName(rep.Metric) + byPeriod(rep.Period)
	if group != analytics.AllGroup {
		sub += ", " + group
	}
	return newHeading(subjectOf(l, rep.Question), sub+" ("+baseText(shownBase(pts))+")")
}

// TrendChart draws the metric of one group of rep over its periods: a line
// of the figures with its interval as a shaded band, suppressed periods and
// periods without answers as gaps. group is analytics.AllGroup ("") for the
// overall figures. The chart's table has one row per period with the
// figure, its interval, base and counts, the change since the period before
// and a note for each gap.
func TrendChart(rep analytics.Report, group string, l Labels) (Chart, error) {
	c := newChart(KindTrend, l)
	pts := trendPoints(rep, group)
	h := trendHeading(rep, group, l, pts)
	labels := make([]string, len(pts))
	for i, p := range pts {
		labels[i] = axisPeriod(rep.Period, p.period)
	}
	marks, marked := marksAt(rep.Period, pts, labels, l.Marks)
	c.Title, c.Description = h.full, trendDescription("Line chart", rep, h, pts)+marksDescription(rep.Period, pts, marked)
	c.Table = trendTable(rep, h, pts, marked)
	s := spec{Option: h.option(c.Description), Height: 340 + h.height(), Download: downloadName(c),
		Layout: h.layout(l, 264, 12, 40)}
	ms := measure(rep.Metric)
	scale, places, axisFormat := scaleOf(ms)
	low, width, value := make([]*float64, len(pts)), make([]*float64, len(pts)), make([]*float64, len(pts))
	for i, p := range pts {
		tip := append([]string{PeriodLabel(rep.Period, p.period)}, trendLines(rep, pts, i)...)
		for _, m := range marked[i] {
			tip = append(tip, "Marked: "+m)
		}
		s.Tooltips = append(s.Tooltips, tip)
		if p.row == nil || p.row.Suppressed {
			continue
		}
		value[i] = num(p.row.Rate, scale, places)
		low[i] = num(p.row.CILow, scale, places)
		if hi := num(p.row.CIHigh, scale, places); hi != nil && low[i] != nil {
			w := Round(*hi-*low[i], places)
			width[i] = &w
		}
	}
	name, band := metricName(rep.Metric), Confidence(rep.Confidence)+" interval"
	o := &s.Option
	o.Legend = plainLegend(h, []string{name, band})
	o.Grid = &opts.Grid{Top: itoa(h.height() + 36), Left: "56", Right: "24", Bottom: "40"}
	o.XAxis = []opts.XAxis{{Type: "category", Data: labels, AxisLabel: axisLabel(""), AxisLine: axisLine()}}
	lo, hi, scaled := valueAxis(ms)
	o.YAxis = []opts.YAxis{{Type: "value", Min: lo, Max: hi, Scale: opts.Bool(scaled),
		AxisLabel: axisLabel(axisFormat), SplitLine: splitLine()}}
	line := lineSeries(name, value, 2.5, true)
	line.MarkLine = marks
	o.Series = []series{
		bandSeries("Lower limit", low, nil),
		bandSeries(band, width, &opts.AreaStyle{Color: colourBand}),
		line,
	}
	return c, c.finish(s)
}

// bandSeries is one edge of the interval band: the lower limit, then the
// width stacked on it with the band's fill.
func bandSeries(name string, data []*float64, fill *opts.AreaStyle) series {
	return series{SingleSeries: charts.SingleSeries{Name: name, Type: "line", Stack: "interval", Data: data,
		Symbol: "none", ShowSymbol: opts.Bool(false), ConnectNulls: opts.Bool(false),
		LineStyle: lineStyle(colourMain, 1, "dashed"), ItemStyle: &opts.ItemStyle{Color: colourBand},
		AreaStyle: fill}, StackStrategy: "all", Silent: true}
}

// lineSeries is the line of a trend's figures, with a marker at each.
func lineSeries(name string, data []*float64, width float32, markers bool) series {
	s := series{SingleSeries: charts.SingleSeries{Name: name, Type: "line", Data: data,
		ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(markers), Symbol: "none",
		LineStyle: lineStyle(colourMain, width, "solid"), ItemStyle: &opts.ItemStyle{Color: colourMain}}, Z: 3}
	if markers {
		s.Symbol, s.SymbolSize = "circle", 7
	}
	return s
}

// trendLines are the tooltip lines of point i after its period.
func trendLines(rep analytics.Report, pts []point, i int) []string {
	p := pts[i]
	if p.row == nil {
		return []string{"No answers"}
	}
	lines := figureLines(rep.Metric, rep.Confidence, *p.row)
	if i > 0 {
		if ch := change(*p.row, pts[i-1].row, PeriodLabel(rep.Period, pts[i-1].period)); ch != "" {
			lines = append(lines, ch)
		}
	}
	return lines
}

// trendTable is the table of a trend: one row per period, its note
// saying what is marked at it.
func trendTable(rep analytics.Report, h heading, pts []point, marked map[int][]string) Table {
	t := Table{Name: "Trend", Caption: h.full, Columns: append(append([]string{"Period"}, metricColumns(rep.Metric, rep.Confidence)...),
		"Change since the period before", "Note")}
	rows := make([]analytics.ReportRow, 0, len(pts))
	for i, p := range pts {
		r := analytics.ReportRow{Period: p.period}
		if p.row != nil {
			r = *p.row
		}
		rows = append(rows, r)
		note, ch := rowNote(r), ""
		if p.row == nil {
			note = "No answers"
		}
		for _, m := range marked[i] {
			note = strings.TrimPrefix(note+"; Marked: "+m, "; ")
		}
		if i > 0 {
			ch = change(r, pts[i-1].row, PeriodLabel(rep.Period, pts[i-1].period))
		}
		cells := append([]Cell{periodCell(PeriodLabel(rep.Period, p.period))}, metricCells(rep.Metric, r)...)
		t.Rows = append(t.Rows, append(cells, Cell{Text: ch, NoWrap: true}, textCell(note)))
	}
	t.Notes = suppressionNote(rows, rep.Disclosure)
	return t
}
