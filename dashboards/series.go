package dashboards

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/heard-council/heard/analytics"
)

// series is a go-echarts series with the few ECharts fields it lacks.
type series struct {
	charts.SingleSeries
	// StackStrategy "all" stacks negative values too (an NPS interval's
	// lower limit), which ECharts' default "samesign" does not.
	StackStrategy string `json:"stackStrategy,omitempty"`
	// Silent series ignore the mouse (the interval band).
	Silent bool `json:"silent,omitempty"`
	Z      int  `json:"z,omitempty"`
	// ChipLabel, when set, replaces the label of SingleSeries in the
	// JSON (the shallower field wins).
	ChipLabel *chipLabel `json:"label,omitempty"`
	// MarkLine, likewise, replaces the markLine of SingleSeries: a trend's
	// marks (see Mark).
	MarkLine *markLine `json:"markLine,omitempty"`
}

// chipLabel is a label with the outline width go-echarts lacks: 0, so
// that ECharts draws no outline in the segment's colour around dark text
// on a white chip.
type chipLabel struct {
	opts.Label
	TextBorderWidth float64 `json:"textBorderWidth"`
}

// The renderers of custom series that heard-charts.js knows; a series
// names one in renderItem, and heard-charts.js drops a series naming any
// other.
const rendererIntervalH = "intervalH" // a horizontal interval with caps

// significance is the p-value under which a difference is called clear.
const significance = 0.05

// heading is a chart's title in the canvas: the subject in bold and the
// metric, periods and base below it, wrapped into lines.
type heading struct {
	title, subtitle []string
	// full is the title on one line, for the page and the table caption.
	full string
	// subject and sub are the title and subtitle unwrapped.
	subject, sub string
}

// newHeading wraps subject and subtitle for the canvas.
func newHeading(subject, subtitle string) heading {
	return heading{title: wrap(subject, 72, 2), subtitle: wrap(subtitle, 90, 2),
		full: subject + " — " + subtitle, subject: subject, sub: subtitle}
}

// height is the canvas height the heading takes, in pixels.
func (h heading) height() int { return 14 + 20*len(h.title) + 18*len(h.subtitle) }

// option starts a chart option with the heading and description.
func (h heading) option(description string) option {
	return baseOption(strings.Join(h.title, "\n"), strings.Join(h.subtitle, "\n"), description)
}

// layout is the chart's layout for heard-charts.js: plot is the grid's
// height, gap the space above the grid below the heading (and legend), and
// bottom the grid's bottom without the footer.
func (h heading) layout(l Labels, plot, gap, bottom int) *layout {
	// No-break spaces keep "n = 412" on one line when the subtitle wraps.
	sub := strings.ReplaceAll(h.sub, "n = ", "n\u00a0=\u00a0")
	return &layout{Title: h.subject, Subtitle: sub, Footer: Footer(l), Plot: plot, Gap: gap, Bottom: bottom}
}

// subjectOf is the subject of a chart: the labels' subject, else the
// question's code.
func subjectOf(l Labels, question string) string {
	switch {
	case strings.TrimSpace(l.Subject) != "":
		return l.Subject
	case question != "":
		return "Question " + question
	}
	return "Survey question"
}

// baseText writes the base of a title: "n = 1,204".
func baseText(n int64) string { return "n = " + Thousands(n) }

// valueAxis is the value axis of a metric: 0-100% for a share, −100 to 100
// for an NPS, fitted to the data for a mean.
func valueAxis(ms analytics.Measure) (min, max any, scaled bool) {
	switch ms {
	case analytics.MeasureMean:
		return nil, nil, true
	case analytics.MeasureNPS:
		return -100, 100, false
	}
	return 0, 100, false
}

// axisLabel is the label style of an axis.
func axisLabel(formatter string) *opts.AxisLabel {
	// The templates are heard's own ("{value}%"), never text from uploads.
	return &opts.AxisLabel{Show: opts.Bool(true), Color: colourTextMuted, Formatter: types.FuncStr(formatter),
		HideOverlap: opts.Bool(true)}
}

// axisLine is a visible axis line.
func axisLine() *opts.AxisLine {
	return &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colourAxis}}
}

// splitLine is the light grid of a value axis.
func splitLine() *opts.SplitLine {
	return &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: colourGridLine}}
}

// lineStyle is a line's style.
func lineStyle(colour string, width float32, kind string) *opts.LineStyle {
	return &opts.LineStyle{Color: colour, Width: width, Type: kind}
}

// downloadName is the PNG file name of a chart.
func downloadName(c Chart) string { return fileName(c.ID, "png") }

// change says how a row compares with the same group's row of the period
// before: "▲ up on May 2024", "▼ down on May 2024", NoChange, or
// "" when it was not tested.
func change(r analytics.ReportRow, prev *analytics.ReportRow, prevLabel string) string {
	if r.ChangeP == nil || prev == nil || r.Rate == nil || prev.Rate == nil {
		return ""
	}
	switch {
	case *r.ChangeP >= significance:
		return NoChange
	case *r.Rate > *prev.Rate:
		return "▲ up on " + prevLabel
	case *r.Rate < *prev.Rate:
		return "▼ down on " + prevLabel
	}
	return NoChange
}

// vsRest says how a group compares with the rest of its period: "▲ above
// the rest", "▼ below the rest", NoDifference, or "" when it was
// not tested. The direction comes from the overall row: a group above the
// overall figure is above the rest, which the overall figure lies between.
func vsRest(r, overall analytics.ReportRow) string {
	if r.VsRestP == nil || r.Rate == nil || overall.Rate == nil {
		return ""
	}
	switch {
	case *r.VsRestP >= significance:
		return NoDifference
	case *r.Rate > *overall.Rate:
		return "▲ above the rest"
	case *r.Rate < *overall.Rate:
		return "▼ below the rest"
	}
	return NoDifference
}

// figureLines are the tooltip lines of a report row's figure.
func figureLines(m analytics.Metric, conf float64, r analytics.ReportRow) []string {
	if note := rowNote(r); note != "" {
		return []string{note}
	}
	ms := measure(m)
	lines := []string{metricName(m) + ": " + Value(ms, *r.Rate, false)}
	if iv := Interval(ms, r.CILow, r.CIHigh); iv != "" {
		lines = append(lines, Confidence(conf)+" interval: "+iv)
	}
	if r.N != nil {
		lines = append(lines, "Base: "+baseText(*r.N))
	}
	return lines
}

// plainLegend is a legend below the heading that wraps onto more lines
// when its entries do not fit on one: never "scroll", whose pages hide
// entries behind arrows. heard-charts.js moves the grid down by the lines
// it takes at the chart's width.
func plainLegend(h heading, names []string) *opts.Legend {
	return &opts.Legend{Show: opts.Bool(true), Type: "plain", Top: itoa(h.height()), Left: "8", Right: "8",
		Data: names, ItemWidth: 25, ItemHeight: 14, TextStyle: &opts.TextStyle{Color: colourText, FontSize: 12}}
}
