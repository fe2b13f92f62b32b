package dashboards

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// maxStacked is the most options a distribution draws as stacked segments:
// more colours than this cannot be told apart, so a question with more
// options gets one bar per option (optionBars) instead.
const maxStacked = 6

// optionRow is one bar of an option chart: an option's label and the row
// of its share.
type optionRow struct {
	label string
	row   analytics.ReportRow
}

// optionBars is the spec of a chart of one share per option: horizontal
// bars in the options' order, each with its interval drawn once and its
// figure written beside it, and no legend colours to match: the figures
// are in the labels, the tooltips and the table.
func optionBars(c Chart, h heading, l Labels, m analytics.Metric, conf float64, rows []optionRow) spec {
	n := max(1, len(rows))
	s := spec{Option: h.option(c.Description), Height: h.height() + 96 + 30*n, Download: downloadName(c),
		Layout: h.layout(l, 20+30*n, 20, 32)}
	names, marks := make([]string, len(rows)), make([]string, len(rows))
	values, ivs := make([]*float64, len(rows)), make([][3]*float64, len(rows))
	for i, r := range rows {
		names[i], marks[i] = r.label, noFigure
		idx := float64(i)
		ivs[i][2] = &idx
		s.Tooltips = append(s.Tooltips, append([]string{r.label}, figureLines(m, conf, r.row)...))
		if r.row.Suppressed || r.row.Rate == nil {
			continue
		}
		values[i] = num(r.row.Rate, 100, 1)
		ivs[i][0], ivs[i][1] = num(r.row.CILow, 100, 1), num(r.row.CIHigh, 100, 1)
		marks[i] = Value(analytics.MeasureShare, *r.row.Rate, false)
	}
	band := Confidence(conf) + " interval"
	o := &s.Option
	o.Legend = plainLegend(h, []string{metricName(m), band})
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 44), Left: "8", Right: "8", Bottom: "32"}
	o.XAxis, o.YAxis = breakdownAxes(analytics.MeasureShare, names, marks)
	o.Series = []series{barSeries(metricName(m), values), intervalSeries(band, ivs)}
	return s
}

// ChoiceChart draws a multiple-choice question: the share of the people
// who answered it that ticked each option, over all the dates of ticks
// together, each with its interval. People may tick several options, so
// the shares add up to more than 100%. ro gives the confidence and, for a
// board page, disclosure control (analytics.TickShares). The table has a
// row per option with its share, interval, the number ticking it and the
// base.
func ChoiceChart(q analytics.Question, ticks []analytics.TickCount, ro analytics.ReportOptions, l Labels) (Chart, error) {
	c := newChart(KindChoice, l)
	if q.Kind != analytics.KindMulti || len(q.Options) == 0 {
		return c, fmt.Errorf("chart the ticks of question %q: it is not a multiple-choice question with options", q.Code)
	}
	whole := ro
	whole.Period = analytics.PeriodAll
	reps := analytics.TickShares(q, ticks, whole)
	m := analytics.Metric{Name: "% ticking it", Question: q.Code, Measure: analytics.MeasureShare}
	rows := make([]optionRow, len(q.Options))
	var base *int64
	for i, rep := range reps {
		rows[i] = optionRow{label: q.Options[i].Label, row: analytics.ReportRow{Period: string(analytics.PeriodAll)}}
		if len(rep.Rows) > 0 {
			rows[i].row = rep.Rows[0]
			if r := rep.Rows[0]; !r.Suppressed && r.N != nil {
				base = r.N
			}
		}
	}
	var n int64
	if base != nil {
		n = *base
	}
	h := newHeading(subjectOf(l, q.Code), "% of the people answering who ticked each option; they could tick several ("+baseText(n)+")")
	c.Title = h.full
	c.Description = optionsDescription("Bar chart", h, rows)
	c.Table = optionsTable(h, "Option", m, rep0(reps).Confidence, rows, rep0(reps).Disclosure)
	return c, c.finish(optionBars(c, h, l, m, rep0(reps).Confidence, rows))
}

// rep0 is the first report of reps, or an empty one.
func rep0(reps []analytics.Report) analytics.Report {
	if len(reps) == 0 {
		return analytics.Report{Confidence: analytics.DefaultConfidence}
	}
	return reps[0]
}

// optionsTable has a row per option.
func optionsTable(h heading, first string, m analytics.Metric, conf float64, rows []optionRow, d analytics.Disclosure) Table {
	t := Table{Name: "Options", Caption: h.full, Columns: append(append([]string{first}, metricColumns(m, conf)...), "Note")}
	t.Columns[len(t.Columns)-2] = "Ticked"
	list := make([]analytics.ReportRow, len(rows))
	for i, r := range rows {
		list[i] = r.row
		t.Rows = append(t.Rows, append(append([]Cell{textCell(r.label)}, metricCells(m, r.row)...), textCell(rowNote(r.row))))
	}
	t.Notes = suppressionNote(list, d)
	return t
}

// optionsDescription summarises an option chart for screen readers.
func optionsDescription(what string, h heading, rows []optionRow) string {
	var b strings.Builder
	b.WriteString(what + ": " + h.full + ". " + Plural(len(rows), "option") + ". ")
	for _, r := range rows {
		if !r.row.Suppressed && r.row.Rate != nil {
			b.WriteString(r.label + " " + Value(analytics.MeasureShare, *r.row.Rate, false) + "; ")
		}
	}
	b.WriteString("The figures are in the table with this chart.")
	return b.String()
}
