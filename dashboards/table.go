package dashboards

import (
	"math"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// Format says what a table cell holds and how a workbook formats it.
type Format int

// The cell formats. Numbers keep the value a workbook stores in
// Cell.Value; Text is shown as it is.
const (
	// Text is text; from uploads it may be anything, so pages escape it and
	// workbooks pass it through SafeCell.
	Text Format = iota
	// Count is a whole number: a base or a count ("#,##0").
	Count
	// Percent is a share from 0 to 1, shown as a percentage with one
	// decimal ("0.0%").
	Percent
	// Score is a mean score with two decimals ("0.00").
	Score
	// NetScore is a Net Promoter Score from −100 to 100 with its sign and
	// one decimal ("+0.0").
	NetScore
)

// Table is figures as rows of cells: the table a page shows beside a chart
// and a sheet of a workbook. Every row has at least one cell; the first
// names the row (a period or a group) and is a row header.
type Table struct {
	// Name is a short name for the table's workbook sheet ("Trend", "By
	// team"); WriteWorkbook uses the caption when it is empty.
	Name string
	// Caption says what the table holds; it is the chart's title.
	Caption string
	// Columns are the header texts, one per cell of a row.
	Columns []string
	Rows    [][]Cell
	// Notes explain the table ("– means the figure is suppressed...").
	Notes []string
}

// Cell is one table cell: text, or a number with the text a page shows.
type Cell struct {
	// Text is what a page shows: "85.0%", "1,204", "Reablement team", "–".
	Text string
	// Value is the number a workbook stores (a share from 0 to 1 for
	// Percent, the score for NetScore); nil for text and for figures that
	// are not shown, whose Text is then "–" or empty.
	Value *float64
	// Format is what the cell holds; a cell without Value is text.
	Format Format
	// NoWrap keeps a text cell on one line on a page: a period ("March
	// 2025"), a date. Numbers are always kept on one line.
	NoWrap bool
	// Link, when set, makes a row's first cell a link on a page (a theme
	// to its comments); workbooks and CSVs leave it out.
	Link string
}

// Numeric reports whether the cell holds a number, which pages align
// right.
func (c Cell) Numeric() bool { return c.Value != nil }

// noFigure is the text of a figure that is suppressed or has no value.
const noFigure = "–"

// textCell is a cell of text.
func textCell(s string) Cell { return Cell{Text: s} }

// periodCell is a period's label as a cell, kept on one line.
func periodCell(s string) Cell { return Cell{Text: s, NoWrap: true} }

// WithoutEmptyColumns returns the table without the columns, after the
// first, whose cells are empty in every row (a "Note" column when no row
// needs a note), for a page: an empty column is noise to read past and
// takes room a narrow screen does not have. A table without rows is
// returned as it is.
func (t Table) WithoutEmptyColumns() Table {
	if len(t.Rows) == 0 {
		return t
	}
	keep := make([]bool, len(t.Columns))
	for i := range keep {
		keep[i] = i == 0
	}
	width := len(t.Columns)
	for _, row := range t.Rows {
		width = max(width, len(row))
	}
	keep = append(keep, make([]bool, width-len(keep))...)
	for _, row := range t.Rows {
		for i, c := range row {
			if i == 0 || strings.TrimSpace(c.Text) != "" {
				keep[i] = true
			}
		}
	}
	out := t
	out.Columns, out.Rows = nil, make([][]Cell, 0, len(t.Rows))
	for i, col := range t.Columns {
		if keep[i] {
			out.Columns = append(out.Columns, col)
		}
	}
	for _, row := range t.Rows {
		cells := make([]Cell, 0, len(row))
		for i, c := range row {
			if keep[i] {
				cells = append(cells, c)
			}
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

// CountCell is a count as a table cell: the number, written with Thousands,
// or "–" when there is none.
func CountCell(n *int64) Cell {
	if n == nil {
		return Cell{Text: noFigure}
	}
	v := float64(*n)
	return Cell{Text: Thousands(*n), Value: &v, Format: Count}
}

// ValueCell is a metric value as a table cell: the number, rounded as Value
// shows it, with the format of its measure, or "–" when there is none.
func ValueCell(m analytics.Measure, v *float64) Cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return Cell{Text: noFigure}
	}
	switch m {
	case analytics.MeasureMean:
		r := Round(*v, 2)
		return Cell{Text: Value(m, *v, false), Value: &r, Format: Score}
	case analytics.MeasureNPS:
		r := Round(*v*100, 1)
		return Cell{Text: Value(m, *v, false), Value: &r, Format: NetScore}
	}
	r := Round(*v, 3) // the fraction of the percentage shown, 85.1% = 0.851
	return Cell{Text: Value(m, *v, false), Value: &r, Format: Percent}
}

// metricColumns are the header texts of a table of report rows, after the
// first (the row's name): value, interval, base, counts.
func metricColumns(m analytics.Metric, conf float64) []string {
	cols := []string{metricName(m), "Lower " + Confidence(conf) + " limit",
		"Upper " + Confidence(conf) + " limit", "Base (n)"}
	switch measure(m) {
	case analytics.MeasureShare:
		cols = append(cols, "Positive answers")
	case analytics.MeasureNPS:
		cols = append(cols, "Promoters", "Detractors")
	}
	return cols
}

// metricCells are the cells of a report row under metricColumns.
func metricCells(m analytics.Metric, r analytics.ReportRow) []Cell {
	ms := measure(m)
	cells := []Cell{ValueCell(ms, r.Rate), ValueCell(ms, r.CILow), ValueCell(ms, r.CIHigh), CountCell(r.N)}
	switch ms {
	case analytics.MeasureShare:
		cells = append(cells, CountCell(r.Positive))
	case analytics.MeasureNPS:
		cells = append(cells, CountCell(r.Positive), CountCell(r.Negative))
	}
	return cells
}

// rowNote says why a row has no figure: "suppressed" or "no answers".
func rowNote(r analytics.ReportRow) string {
	switch {
	case r.Suppressed:
		return "Suppressed: too few answers to publish"
	case r.N != nil && *r.N == 0:
		return "No answers"
	case r.Rate == nil:
		return "No figure"
	}
	return ""
}

// suppressionNote explains "–" in a table that has suppressed rows.
func suppressionNote(rows []analytics.ReportRow, d analytics.Disclosure) []string {
	for _, r := range rows {
		if r.Suppressed {
			d = d.WithDefaults()
			return []string{"– means the figure is not published: its base is under " + Thousands(d.MinBase) +
				" answers, or it would reveal a count under " + Thousands(d.SmallCount) + "."}
		}
	}
	return nil
}
