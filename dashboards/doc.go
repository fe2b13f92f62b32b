// Package dashboards turns report results into charts and downloads: the
// ECharts options and data tables of a page's charts, the static files that
// draw them in the browser, XLSX workbooks of tables, and the cell guard of
// every spreadsheet download.
//
// # Charts
//
// Each builder takes domain values (an analytics.Report, or a question and
// its counts) and Labels (the element id, the subject — usually the question
// text — and the breakdown's name) and returns a Chart: its Title (metric,
// periods and base, such as "Overall satisfaction — % satisfied by month
// (n = 412)"), a Description for screen readers, the JSON of its options and
// the Table of the same figures.
//
//	TrendChart(rep, group, labels)         line of a group's figures by period, interval band, gaps
//	Sparkline(rep, group, labels)          the same as a tiny line without axes
//	BreakdownChart(rep, period, labels)    bars of the groups of a period, intervals, "▲ above"/"▼ below"
//	DistributionChart(q, counts, ro, labels) 100% stacked bars of every option's share by period
//	                                       (one bar per option, all dates, when there are more than 6)
//	ChoiceChart(q, ticks, ro, labels)      a multiple-choice question: % ticking each option, intervals
//	NumberCharts(q, values, ro, labels)    a number question: mean and median with intervals, histogram
//
// Every chart but a sparkline has its title in the canvas, a plain legend
// (never paged: it wraps) and a footer naming Labels.Source, heard and
// the date Labels.Made, so that a downloaded PNG says what it is, where it
// came from and when. heard-charts.js wraps the title, legend and footer
// to the chart's width (at 390 px as at 1366 px) and moves the grid to
// fit. A sparkline writes its lowest and highest figures beside the line.
//
// Builders never apply disclosure control to report rows themselves: pass a
// report built with analytics.ReportOptions{Board: true} for a board page.
// DistributionChart builds its own reports from counts, so it applies the
// same options; on a board it hides a whole period when any share of it
// would be suppressed.
//
// # Placing a chart on a page
//
// Parse the templates of Templates into the page's template set and place
// each chart with one line; the page loads ECharts and heard-charts.js from
// Assets, served under /assets/:
//
//	tmpl, err := template.New("").ParseFS(dashboards.Templates(), "*.html")
//	... then tmpl.ParseFS(pageFiles, "*.html") for the pages themselves
//
//	<link rel="stylesheet" href="/assets/heard.css?v={{.AssetVersion}}">
//	...
//	{{template "heard-chart" .Trend}}
//	...
//	<script src="/assets/vendor/echarts/echarts.min.js?v={{.AssetVersion}}" defer></script>
//	<script src="/assets/heard-charts.js?v={{.AssetVersion}}" defer></script>
//
// "heard-chart" writes a figure with the chart element, its JSON block and
// its table; "heard-chart-canvas" writes only the element and the block (for
// a sparkline beside a figure), and "heard-table" only a table. The markup
// they write is:
//
//	<div id="ID" class="heard-chart__canvas heard-chart__canvas--KIND" data-chart></div>
//	<script type="application/json" data-chart-for="ID">{{.JSON}}</script>
//
// Chart.JSON is encoding/json output (<, > and & escaped as \u003c...), of
// type template.JS so that html/template writes it unchanged inside that
// script element; it must not be placed anywhere else. heard-charts.js reads
// each block with JSON.parse and draws the chart with echarts.init: the page
// needs no inline script, so a strict Content-Security-Policy (script-src
// 'self') works. go-echarts provides the option types, but its HTML renderer
// is never used: it writes options into inline script unescaped and turns
// "__f__" markers into code.
//
// Text from uploads stays text everywhere: ECharts draws titles, labels and
// legends on a canvas; tooltips are built by heard-charts.js from lines
// computed here, with textContent; the aria description is set as an
// attribute; html/template escapes the tables. Label templates in options
// ("{value}%", "{c}%") are heard's own and never hold uploaded text.
//
// heard-charts.js sets data-chart-ready="1" on each chart element once drawn
// (data-chart-error="..." if it failed), keeps the instance reachable with
// echarts.getInstanceByDom(element), adds a "Download chart as PNG" link
// after each chart but sparklines, and exposes window.heardCharts.init() for
// charts added to the page later.
//
// # Accessibility
//
// Every chart has ECharts' aria option on with a written description, its
// title and base in the canvas (so a downloaded PNG carries them) and a
// table of the same figures. Colours reach 4.5:1 against white; meaning is
// never carried by colour alone (labels, ▲/▼ words, decal patterns on the
// distribution's segments).
//
// # Figures in words
//
// This package is the one place figures are written for people, on pages,
// in chart text and in the command line's tables: Value ("85.0%", "+12.5",
// "3.45"), Interval ("80.1% to 89.0%"), Difference ("6.2 points"),
// Thousands ("12,345"), Plural, Confidence ("95%"), PValue ("p=0.0231"),
// PeriodLabel ("May 2024"), PeriodName ("financial year") and GroupLabel.
// Every figure is rounded by Round, halves away from zero; ValueCell and
// CountCell put the same figures in a table's cells.
//
// # Downloads
//
// WriteWorkbook writes tables (the charts' Table values) as an XLSX workbook,
// one sheet per table, numbers as numbers. SafeCell is the guard for every
// text cell of a spreadsheet download, CSV included: it prefixes a quote to
// text a spreadsheet would read as a formula.
package dashboards
