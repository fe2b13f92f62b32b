package dashboards

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// NumberCharts draws the answers to a number question: the mean and the
// median, each with its interval (analytics.SummariseNumbers), and a
// histogram of the values. values are the answers under the page's
// filters; ro gives the confidence and says whether the page is the
// board's. A board sees the mean and median only on a base of at least
// the disclosure policy's minimum, and no histogram (nil): its smallest
// and largest bars would show single people's answers.
func NumberCharts(q analytics.Question, values []float64, ro analytics.ReportOptions, l Labels) (Chart, *Chart, error) {
	conf := ro.Confidence
	if !(conf > 0 && conf < 1) {
		conf = analytics.DefaultConfidence
	}
	sum := analytics.SummariseNumbers(values, conf)
	hidden := ro.Board && sum.N < ro.Disclosure.WithDefaults().MinBase
	summary, err := numberSummary(q, sum, conf, hidden, ro.Disclosure, l)
	if err != nil || ro.Board {
		return summary, nil, err
	}
	hl := l
	hl.ID = l.ID + "-histogram"
	hist, err := histogramChart(q, analytics.Histogram(values), sum.N, hl)
	return summary, &hist, err
}

// numberText writes a number answer's figure: up to two decimals, with
// thousands separators.
func numberText(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noFigure
	}
	r := Round(v, 2)
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(r), 'f', -1, 64), ".")
	w, _ := strconv.ParseInt(whole, 10, 64)
	out := Thousands(w)
	if frac != "" {
		out += "." + frac
	}
	if r < 0 {
		out = "−" + out
	}
	return out
}

// numberSummary is the chart of the mean and the median: a point each with
// its interval as a line with caps.
func numberSummary(q analytics.Question, sum analytics.NumberSummary, conf float64, hidden bool,
	d analytics.Disclosure, l Labels) (Chart, error) {
	c := newChart(KindNumber, l)
	n := sum.N
	if hidden {
		n = 0
	}
	h := newHeading(subjectOf(l, q.Code), "mean and median with their "+Confidence(conf)+" intervals ("+baseText(n)+")")
	c.Title = h.full
	type fig struct {
		name             string
		value, low, high float64
	}
	figs := []fig{{"Mean", sum.Mean, sum.MeanLow, sum.MeanHigh}, {"Median", sum.Median, sum.MedianLow, sum.MedianHigh}}
	s := spec{Option: h.option(""), Height: h.height() + 96 + 2*40, Download: downloadName(c), Layout: h.layout(l, 100, 20, 32)}
	names, marks := []string{"Mean", "Median"}, []string{noFigure, noFigure}
	values := make([]*float64, 2)
	ivs := make([][3]*float64, 2)
	c.Table = Table{Name: "Mean and median", Caption: h.full, Columns: []string{"Figure", "Value",
		"Lower " + Confidence(conf) + " limit", "Upper " + Confidence(conf) + " limit", "Base (n)", "Note"}}
	var desc []string
	for i, f := range figs {
		idx := float64(i)
		ivs[i][2] = &idx
		note := ""
		switch {
		case hidden:
			note = "Suppressed: too few answers to publish"
		case math.IsNaN(f.value):
			note = "No answers"
		case math.IsNaN(f.low):
			note = "Too few answers for an interval"
		}
		lines := []string{f.name}
		if hidden || math.IsNaN(f.value) {
			lines = append(lines, note)
			c.Table.Rows = append(c.Table.Rows, []Cell{textCell(f.name), textCell(noFigure), textCell(noFigure),
				textCell(noFigure), textCell(noFigure), textCell(note)})
			s.Tooltips = append(s.Tooltips, lines)
			continue
		}
		values[i] = finiteNum(f.value)
		ivs[i][0], ivs[i][1] = finiteNum(f.low), finiteNum(f.high)
		marks[i] = numberText(f.value)
		iv := ""
		if !math.IsNaN(f.low) {
			iv = numberText(f.low) + " to " + numberText(f.high)
			lines = append(lines, f.name+": "+numberText(f.value), Confidence(conf)+" interval: "+iv)
		} else {
			lines = append(lines, f.name+": "+numberText(f.value), note)
		}
		lines = append(lines, "Base: "+baseText(sum.N))
		s.Tooltips = append(s.Tooltips, lines)
		nn := sum.N
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(f.name), numberCell(f.value), numberCell(f.low),
			numberCell(f.high), CountCell(&nn), textCell(note)})
		desc = append(desc, f.name+" "+numberText(f.value)+map[bool]string{true: " (" + Confidence(conf) + " interval " + iv + ")", false: ""}[iv != ""])
	}
	if hidden {
		c.Table.Notes = suppressionNote([]analytics.ReportRow{{Suppressed: true}}, d)
	}
	c.Description = "Chart of the mean and median: " + h.full + ". " + strings.Join(desc, "; ") +
		". The figures are in the table with this chart."
	s.Option.Aria.Label.Description = c.Description
	band := Confidence(conf) + " interval"
	o := &s.Option
	o.Legend = plainLegend(h, []string{"Figure", band})
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 44), Left: "8", Right: "8", Bottom: "32"}
	o.XAxis, o.YAxis = breakdownAxes(analytics.MeasureMean, names, marks)
	o.XAxis[0].AxisLabel.Formatter = ""
	point := series{SingleSeries: charts.SingleSeries{Name: "Figure", Type: "scatter", Data: values, Symbol: "diamond",
		SymbolSize: 14, ItemStyle: &opts.ItemStyle{Color: colourMain}}, Z: 5}
	o.Series = []series{point, intervalSeries(band, ivs)}
	return c, c.finish(s)
}

// finiteNum is v rounded to two decimals, or nil when it is not finite.
func finiteNum(v float64) *float64 { return num(&v, 1, 2) }

// numberCell is a number answer's figure in a table.
func numberCell(v float64) Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Cell{Text: noFigure}
	}
	r := Round(v, 2)
	return Cell{Text: numberText(v), Value: &r, Format: Score}
}

// histogramChart is the histogram of a number question's answers: a bar
// per bin with its count written on it.
func histogramChart(q analytics.Question, bins []analytics.Bin, n int64, l Labels) (Chart, error) {
	c := newChart(KindHistogram, l)
	h := newHeading(subjectOf(l, q.Code), "how many people gave each range of answers ("+baseText(n)+")")
	c.Title = h.full
	s := spec{Option: h.option(""), Height: h.height() + 300, Download: downloadName(c), Layout: h.layout(l, 248, 12, 40)}
	c.Table = Table{Name: "Histogram", Caption: h.full, Columns: []string{"Answers from", "Up to", "People"}}
	labels, counts := make([]string, len(bins)), make([]any, len(bins))
	for i, b := range bins {
		upTo := "under " + numberText(b.High)
		if i == len(bins)-1 {
			upTo = numberText(b.High) + " inclusive"
		}
		labels[i] = numberText(b.Low) + "–" + numberText(b.High)
		nb := b.N
		counts[i] = b.N
		s.Tooltips = append(s.Tooltips, []string{numberText(b.Low) + " to " + upTo, "People: " + Thousands(b.N)})
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(numberText(b.Low)), textCell(upTo), CountCell(&nb)})
	}
	c.Description = fmt.Sprintf("Histogram: %s. %s from %s to %s. The counts are in the table with this chart.",
		h.full, Plural(len(bins), "bar"), numberText(first(bins).Low), numberText(last(bins).High))
	s.Option.Aria.Label.Description = c.Description
	o := &s.Option
	o.Legend = nil
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 12), Left: "48", Right: "16", Bottom: "40"}
	o.XAxis = []opts.XAxis{{Type: "category", Data: labels, AxisLabel: axisLabel(""), AxisLine: axisLine()}}
	o.YAxis = []opts.YAxis{{Type: "value", Name: "", AxisLabel: axisLabel("{value}"), SplitLine: splitLine(), MinInterval: 1}}
	o.Series = []series{{SingleSeries: charts.SingleSeries{Name: "People", Type: "bar", Data: counts, BarCategoryGap: "8%",
		ItemStyle: &opts.ItemStyle{Color: colourBarFill, BorderColor: colourMain, BorderWidth: 1},
		// Counts on the bars: "{c}" is the count, never uploaded text.
		Label:       &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}", Color: colourText, FontSize: 11},
		LabelLayout: &opts.LabelLayout{HideOverlap: opts.Bool(true)}}}}
	return c, c.finish(s)
}

func first(bins []analytics.Bin) analytics.Bin {
	if len(bins) == 0 {
		return analytics.Bin{Low: math.NaN(), High: math.NaN()}
	}
	return bins[0]
}

func last(bins []analytics.Bin) analytics.Bin {
	if len(bins) == 0 {
		return analytics.Bin{Low: math.NaN(), High: math.NaN()}
	}
	return bins[len(bins)-1]
}
