package dashboards

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// distPeriod is one bar of a distribution: a period's base and the row of
// each option's share, or hidden when disclosure control hides the period.
type distPeriod struct {
	period string
	n      *int64
	rows   []analytics.ReportRow
	hidden bool
}

// distribution computes the share of each option of q in each period,
// through analytics.BuildReport with one metric per option and every answer
// in the base. With ro.Board, a period in which any option's figure is
// suppressed is hidden whole: the shares of a period add up to 100%, so a
// hidden one could otherwise be worked back from the others.
func distribution(q analytics.Question, counts []analytics.Count, ro analytics.ReportOptions) (analytics.PeriodKind, []distPeriod) {
	overall := mergeGroups(counts)
	var kind analytics.PeriodKind
	var out []distPeriod
	for i, o := range q.Options {
		m := analytics.Metric{Name: o.Label, Question: q.Code, Measure: analytics.MeasureShare, Positive: []int{i}}
		rep := analytics.BuildReport(q, m, overall, ro)
		kind = rep.Period
		if i == 0 {
			out = make([]distPeriod, len(rep.Rows))
		}
		for j, r := range rep.Rows {
			if j >= len(out) || r.Group != analytics.AllGroup {
				continue
			}
			out[j].period = r.Period
			out[j].rows = append(out[j].rows, r)
			out[j].hidden = out[j].hidden || (ro.Board && (r.Suppressed || slices.Contains(ro.Withheld, r.Period)))
			if i == 0 {
				out[j].n = r.N
			}
		}
	}
	return kind, out
}

// mergeGroups adds up the counts of each month and option over the groups,
// so that each of the reports distribution builds reads a few counts.
func mergeGroups(counts []analytics.Count) []analytics.Count {
	type key struct {
		month  string
		option int
	}
	index := make(map[key]int)
	var out []analytics.Count
	for _, c := range counts {
		k := key{c.Month, c.Option}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, analytics.Count{Month: c.Month, Option: c.Option})
		}
		out[i].N += c.N
	}
	return out
}

// DistributionChart draws the share of every option of q's answers as a
// 100% stacked bar per period (one bar for analytics.PeriodAll). counts are
// the question's answer counts as the store gives them (groups are merged);
// ro says the period kind, the confidence and, for board pages, applies
// disclosure control, hiding any period in which an option's count would be
// suppressed. Segments have decal patterns and labels as well as colours.
// The table has a row per period with each option's share and the base.
func DistributionChart(q analytics.Question, counts []analytics.Count, ro analytics.ReportOptions, l Labels) (Chart, error) {
	c := newChart(KindDistribution, l)
	if len(q.Options) == 0 {
		return c, fmt.Errorf("chart the answers of question %q: it has no options to chart", q.Code)
	}
	kind, periods := distribution(q, counts, ro)
	var n int64
	for _, p := range periods {
		if !p.hidden && p.n != nil {
			n += *p.n
		}
	}
	if len(q.Options) > maxStacked {
		return manyOptions(c, q, counts, ro, l, kind, periods)
	}
	h := newHeading(subjectOf(l, q.Code), "share of each answer"+byPeriod(kind)+" ("+baseText(n)+")")
	c.Title = h.full
	c.Description = distributionDescription(q, kind, h, periods)
	c.Table = distributionTable(q, kind, h, periods, ro.Disclosure)
	s := spec{Option: h.option(c.Description), Height: h.height() + 110 + 34*max(1, len(periods)), Download: downloadName(c),
		Layout: h.layout(l, 34+34*max(1, len(periods)), 20, 32)}
	labels := make([]string, len(periods))
	for j, p := range periods {
		labels[j] = axisPeriod(kind, p.period)
		s.Tooltips = append(s.Tooltips, append([]string{PeriodLabel(kind, p.period)}, distributionLines(q, p)...))
	}
	o := &s.Option
	o.Aria.Decal = &opts.AriaDecal{Show: opts.Bool(true)}
	names := make([]string, len(q.Options))
	for i, opt := range q.Options {
		names[i] = opt.Label
	}
	o.Legend = plainLegend(h, names)
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 44), Left: "8", Right: "24", Bottom: "32"}
	o.XAxis = []opts.XAxis{{Type: "value", Min: 0, Max: 100, AxisLabel: axisLabel("{value}%"), SplitLine: splitLine()}}
	o.YAxis = []opts.YAxis{{Type: "category", Data: labels, Inverse: opts.Bool(true), AxisLine: axisLine(),
		AxisLabel: axisLabel("")}}
	colours := optionColours(q)
	for i := range q.Options {
		o.Series = append(o.Series, optionSeries(names[i], colours[i], i, periods))
	}
	return c, c.finish(s)
}

// minLabelShare is the smallest share, in percent, whose segment is
// labelled; smaller ones are in the tooltip and the table.
const minLabelShare = 8

// optionSeries is the bars of option i, one segment per period.
func optionSeries(name, colour string, i int, periods []distPeriod) series {
	data := make([]any, len(periods))
	for j, p := range periods {
		if p.hidden || i >= len(p.rows) || p.rows[i].Rate == nil {
			continue // nil: no segment
		}
		v := num(p.rows[i].Rate, 100, 1)
		data[j] = opts.BarData{Value: *v, Label: &opts.Label{Show: opts.Bool(*v >= minLabelShare)}}
	}
	return series{SingleSeries: charts.SingleSeries{Name: name, Type: "bar", Stack: "answers", Data: data,
		BarMaxWidth: "28", ItemStyle: &opts.ItemStyle{Color: colour, BorderColor: colourBackground, BorderWidth: 1},
		// Labels are dark text on a white chip, readable whatever the
		// segment's colour (no text outline, which ECharts would draw in
		// the segment's colour); "{c}" is the segment's value, never
		// uploaded text. A label that would overlap another, or not fit
		// its segment at a narrow width, is hidden: the tooltip and the
		// table have every figure.
		LabelLayout: &opts.LabelLayout{HideOverlap: opts.Bool(true)}},
		ChipLabel: &chipLabel{Label: opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{c}%", Color: colourText,
			BackgroundColor: colourBackground, BorderRadius: 2, FontSize: 11}}}
}

// manyOptions is the distribution of a question with more options than
// maxStacked: one bar per option, its share of every answer over all the
// dates together, with its interval. The table keeps a row per period.
// On a board page the bars are hidden whenever a period is: the shares of
// all the dates less those of the periods shown would give a hidden
// period's back.
func manyOptions(c Chart, q analytics.Question, counts []analytics.Count, ro analytics.ReportOptions,
	l Labels, kind analytics.PeriodKind, periods []distPeriod) (Chart, error) {
	whole := ro
	whole.Period, whole.Withheld = analytics.PeriodAll, nil
	_, all := distribution(q, counts, whole)
	hidden := false
	for _, p := range periods {
		hidden = hidden || p.hidden
	}
	rows := make([]optionRow, len(q.Options))
	var n int64
	for i, o := range q.Options {
		rows[i] = optionRow{label: o.Label, row: analytics.ReportRow{Period: string(analytics.PeriodAll)}}
		if len(all) == 1 && i < len(all[0].rows) {
			rows[i].row = all[0].rows[i]
			if (ro.Board && hidden) || all[0].hidden {
				rows[i].row = analytics.ReportRow{Period: string(analytics.PeriodAll), Suppressed: true}
			} else if all[0].n != nil {
				n = *all[0].n
			}
		}
	}
	m := analytics.Metric{Name: "% answering", Question: q.Code, Measure: analytics.MeasureShare}
	h := newHeading(subjectOf(l, q.Code), "share of each answer, all the chosen dates together ("+baseText(n)+")")
	c.Title = h.full
	c.Description = optionsDescription("Bar chart", h, rows)
	c.Table = distributionTable(q, kind, h, periods, ro.Disclosure)
	conf := ro.Confidence
	if !(conf > 0 && conf < 1) {
		conf = analytics.DefaultConfidence
	}
	return c, c.finish(optionBars(c, h, l, m, conf, rows))
}

// distributionLines are a period's tooltip lines after its name.
func distributionLines(q analytics.Question, p distPeriod) []string {
	switch {
	case p.hidden:
		return []string{"Suppressed: too few answers to publish"}
	case p.n == nil || *p.n == 0:
		return []string{"No answers"}
	}
	lines := []string{"Answers: " + baseText(*p.n)}
	for i, r := range p.rows {
		if r.Rate != nil && r.Positive != nil {
			lines = append(lines, q.Options[i].Label+": "+Value(analytics.MeasureShare, *r.Rate, false)+" ("+Thousands(*r.Positive)+")")
		}
	}
	return lines
}

// distributionTable has a row per period: each option's share, the base
// and a note.
func distributionTable(q analytics.Question, kind analytics.PeriodKind, h heading, periods []distPeriod, d analytics.Disclosure) Table {
	t := Table{Name: "Answers", Caption: h.full, Columns: []string{"Period"}}
	for _, o := range q.Options {
		t.Columns = append(t.Columns, o.Label)
	}
	t.Columns = append(t.Columns, "Answers (n)", "Note")
	hidden := false
	for _, p := range periods {
		row := []Cell{periodCell(PeriodLabel(kind, p.period))}
		for i := range q.Options {
			var v *float64
			if !p.hidden && i < len(p.rows) {
				v = p.rows[i].Rate
			}
			row = append(row, ValueCell(analytics.MeasureShare, v))
		}
		note, n := "", p.n
		switch {
		case p.hidden:
			note, n, hidden = "Suppressed: too few answers to publish", nil, true
		case n == nil || *n == 0:
			note = "No answers"
		}
		t.Rows = append(t.Rows, append(row, CountCell(n), textCell(note)))
	}
	if hidden {
		t.Notes = suppressionNote([]analytics.ReportRow{{Suppressed: true}}, d)
	}
	return t
}

// distributionDescription summarises a distribution for screen readers.
func distributionDescription(q analytics.Question, kind analytics.PeriodKind, h heading, periods []distPeriod) string {
	var b strings.Builder
	names := make([]string, len(q.Options))
	for i, o := range q.Options {
		names[i] = o.Label
	}
	b.WriteString("Stacked bar chart: " + h.full + ". " + Plural(len(periods), "bar") + ", each splitting the answers of " +
		"a period into " + Plural(len(q.Options), "option") + ": " + strings.Join(names, "; ") + ". ")
	for j := len(periods) - 1; j >= 0; j-- {
		p := periods[j]
		if p.hidden || p.n == nil || *p.n == 0 {
			continue
		}
		b.WriteString("Latest, " + PeriodLabel(kind, p.period) + ": ")
		for i, r := range p.rows {
			if r.Rate != nil {
				b.WriteString(q.Options[i].Label + " " + Value(analytics.MeasureShare, *r.Rate, false) + "; ")
			}
		}
		b.WriteString(baseText(*p.n) + ". ")
		break
	}
	b.WriteString("The figures are in the table with this chart.")
	return b.String()
}
