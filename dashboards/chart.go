package dashboards

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// Kind names the sort of a chart; it is also the CSS modifier of its figure
// (heard-chart--trend).
type Kind string

// The kinds of chart the builders make.
const (
	KindTrend        Kind = "trend"
	KindSparkline    Kind = "sparkline"
	KindBreakdown    Kind = "breakdown"
	KindDistribution Kind = "distribution"
	KindChoice       Kind = "choice"
	KindNumber       Kind = "number"
	KindHistogram    Kind = "histogram"
	KindTheme        Kind = "theme"
)

// Labels are the words a chart needs that its figures do not hold.
type Labels struct {
	// ID is the chart element's id, unique on the page. Characters other
	// than ASCII letters, digits, '-' and '_' are replaced by '-' (so ids
	// that differ only there collide: use plain ones); an empty ID becomes
	// "chart-" and the kind.
	ID string
	// Subject is what the figures are about, usually the question text
	// ("Overall satisfaction"). It starts the title.
	Subject string
	// By names the breakdown of a breakdown chart ("team"); "" says
	// "by group".
	By string
	// Source names where the figures come from, usually the survey's
	// name; the chart's footer says it with "heard" and the date made, so
	// that a downloaded PNG carries them.
	Source string
	// Made is when the chart was made; the zero time leaves the date out.
	Made time.Time
	// Print marks a chart of a page made to be printed (the board pack): it
	// is drawn with ECharts' SVG renderer, whose lines and text stay sharp
	// on paper at any size, and has no PNG download link.
	Print bool
	// Marks are events a trend chart marks on its time axis (the actions
	// a council took), each at the period holding its month; other charts
	// ignore them.
	Marks []Mark
}

// Chart is one chart ready for a page: its title, its ECharts option as
// JSON, and the table of the same figures. Place it with the templates of
// Templates: the option goes in a <script type="application/json"> block
// that heard-charts.js reads, so the page runs no inline script.
type Chart struct {
	// ID is the chart element's id (see Labels.ID).
	ID   string
	Kind Kind
	// print is Labels.Print.
	print bool
	// Title states the subject, the metric, the periods and the base:
	// "Overall satisfaction — % satisfied by month (n = 412)".
	Title string
	// Description summarises the chart in plain English for screen readers;
	// ECharts sets it as the chart element's aria-label.
	Description string
	// JSON is the chart's specification (the ECharts option, the tooltip
	// lines and the PNG file name) as encoding/json writes it, with <, >
	// and & escaped, so that it cannot end the script element it is placed
	// in. It is meant only for the content of a <script
	// type="application/json" data-chart-for="ID"> element.
	JSON template.JS
	// Table holds the figures the chart draws, for an HTML table beside it
	// and for a workbook sheet.
	Table Table
	// Range says the lowest and highest figures a sparkline draws ("From
	// 61.2% to 71.5%"), which its canvas also writes beside the line; ""
	// for other charts.
	Range string
}

// spec is what heard-charts.js reads from a chart's JSON block.
type spec struct {
	Option option `json:"option"`
	// Tooltips holds the lines of the tooltip of each category (period or
	// group), by index; heard-charts.js shows them as text, never as HTML.
	Tooltips [][]string `json:"tooltips"`
	// Height is the chart's height in CSS pixels; 0 leaves it to heard.css.
	Height int `json:"height,omitempty"`
	// Download is the file name of the chart's PNG; "" means no download
	// link.
	Download string `json:"download,omitempty"`
	// Title names the chart in its download link, for screen readers.
	Title string `json:"title,omitempty"`
	// Renderer is the ECharts renderer heard-charts.js draws the chart
	// with, as go-echarts' opts.Initialization.Renderer names it: "svg"
	// for a chart to print (Labels.Print); "" is the default, "canvas".
	Renderer string `json:"renderer,omitempty"`
	// Layout holds what heard-charts.js needs to lay the chart out again
	// at the width it is drawn: nil for a sparkline.
	Layout *layout `json:"layout,omitempty"`
}

// layout is a chart's heading, footer and plot height, which
// heard-charts.js wraps to the chart's width so that the title, legend
// and footer stay inside it (at 390 px as at 1366 px), then sets the
// grid's top and bottom and the chart's height.
type layout struct {
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	Footer   string `json:"footer"`
	// Plot is the grid's height in pixels; Gap the space between the
	// legend (or the heading) and the grid; Bottom the grid's bottom
	// without the footer (axis labels).
	Plot   int `json:"plot"`
	Gap    int `json:"gap"`
	Bottom int `json:"bottom"`
}

// graphic is an ECharts graphic text element (go-echarts has no type for
// one): the chart's footer. Its text is drawn on the canvas, never as
// HTML.
type graphic struct {
	Type   string       `json:"type"`
	ID     string       `json:"id,omitempty"`
	Left   string       `json:"left,omitempty"`
	Right  string       `json:"right,omitempty"`
	Top    string       `json:"top,omitempty"`
	Bottom string       `json:"bottom,omitempty"`
	Style  graphicStyle `json:"style"`
	Silent bool         `json:"silent"`
}

// graphicStyle is the style of a graphic text.
type graphicStyle struct {
	Text      string `json:"text"`
	Fill      string `json:"fill"`
	Font      string `json:"font"`
	TextAlign string `json:"textAlign,omitempty"`
}

// option is the ECharts option of a chart, built from go-echarts' option
// types but marshalled with encoding/json only: go-echarts' own renderer
// writes options into inline script unescaped.
type option struct {
	Title     *opts.Title     `json:"title,omitempty"`
	Aria      *opts.Aria      `json:"aria"`
	Tooltip   *opts.Tooltip   `json:"tooltip,omitempty"`
	Legend    *opts.Legend    `json:"legend,omitempty"`
	Grid      *opts.Grid      `json:"grid,omitempty"`
	XAxis     []opts.XAxis    `json:"xAxis,omitempty"`
	YAxis     []opts.YAxis    `json:"yAxis,omitempty"`
	Color     []string        `json:"color,omitempty"`
	TextStyle *opts.TextStyle `json:"textStyle,omitempty"`
	Animation *bool           `json:"animation,omitempty"`
	Graphic   []graphic       `json:"graphic,omitempty"`
	Series    []series        `json:"series"`
}

// footerHeight is the height of a chart's one-line footer.
const footerHeight = 22

// Footer is the line at the foot of a chart that a downloaded PNG
// carries: "Source: Demo survey · made with heard · 2025-03-31".
func Footer(l Labels) string {
	parts := []string{}
	if src := strings.TrimSpace(l.Source); src != "" {
		parts = append(parts, "Source: "+OneLine(src, 80))
	}
	parts = append(parts, "made with heard")
	if !l.Made.IsZero() {
		parts = append(parts, l.Made.Format(time.DateOnly))
	}
	return strings.Join(parts, " · ")
}

// finish adds the footer and layout of a chart with a heading, then
// marshals the spec into c.JSON. h is the chart's heading, top and plot
// its grid's top and height in the default layout.
func (c *Chart) finish(s spec) error {
	if c.print {
		s.Renderer, s.Download = rendererSVG, ""
	}
	if s.Download != "" {
		s.Title = c.Title
	}
	if s.Layout != nil {
		s.Option.Graphic = append(s.Option.Graphic, graphic{Type: "text", ID: "heard-footer", Left: "8", Bottom: "6",
			Silent: true, Style: graphicStyle{Text: s.Layout.Footer, Fill: colourTextMuted, Font: "12px sans-serif"}})
		if g := s.Option.Grid; g != nil {
			g.Bottom = itoa(s.Layout.Bottom + footerHeight)
		}
		s.Height += footerHeight
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("write the %s chart %q: %w", c.Kind, c.ID, err)
	}
	c.JSON = template.JS(b) // encoding/json escapes <, >, &, U+2028 and U+2029
	return nil
}

// rendererSVG is ECharts' SVG renderer, as go-echarts' Initialization
// names it.
const rendererSVG = "svg"

// newChart starts a chart of kind with the labels' id.
func newChart(kind Kind, l Labels) Chart {
	return Chart{ID: safeID(l.ID, kind), Kind: kind, print: l.Print}
}

// safeID keeps an element id to letters, digits, '-' and '_', starting with
// a letter.
func safeID(id string, kind Kind) string {
	if id == "" {
		return "chart-" + string(kind)
	}
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		s = "chart-" + s
	}
	return s
}

// baseOption is what every chart's option shares: the title in the canvas
// (so that the PNG carries it), aria on with the chart's description,
// tooltips drawn by heard-charts.js from the spec's lines, and text colours
// that meet WCAG 2.2 AA.
func baseOption(title, subtitle, description string) option {
	return option{
		Title: &opts.Title{
			Title: title, Subtitle: subtitle, Left: "8", Top: "4",
			// Line heights match heading.height, so that a wrapped title
			// does not print its lines over each other.
			TitleStyle:    &opts.TextStyle{Color: colourText, FontSize: 15, FontWeight: "bold", LineHeight: 20},
			SubtitleStyle: &opts.TextStyle{Color: colourTextMuted, FontSize: 13, LineHeight: 18},
		},
		Aria: &opts.Aria{Enabled: opts.Bool(true),
			Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: description}},
		Tooltip:   &opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", Enterable: opts.Bool(false)},
		TextStyle: &opts.TextStyle{Color: colourText},
		// No animation: charts are drawn at once, for readers who prefer
		// reduced motion and for the PNG download.
		Animation: new(false),
	}
}

// num is a chart value: v rounded to places decimals, or nil (JSON null,
// which ECharts draws as a gap) when v is nil or not finite.
func num(v *float64, scale float64, places int) *float64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	r := Round(*v*scale, places)
	return &r
}
