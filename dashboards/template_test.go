package dashboards

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
)

// TestChartTemplate renders a chart with the package's templates and reads
// the table back: caption, column headers, a row header per row, numbers
// marked for right alignment, and the chart element with its JSON block.
func TestChartTemplate(t *testing.T) {
	q := question(t, "Overall satisfaction")
	c := must(t)(BreakdownChart(report(t, q, teams(), analytics.ReportOptions{Board: true}), "", Labels{ID: "by-team", By: "team"}))
	doc, err := html.Parse(strings.NewReader(page(t, c)))
	if err != nil {
		t.Fatal(err)
	}
	var caption string
	var cols, rowHeads, nums, cells int
	var chartDiv, block, region, hint bool
	walk(doc, func(n *html.Node) {
		switch {
		case n.Data == "div" && attr(n, "class") == "heard-table__wrap":
			region = attr(n, "role") == "region" && attr(n, "tabindex") == "0" && attr(n, "aria-label") == "Table: "+c.Table.Caption
		case n.Data == "p" && attr(n, "class") == "heard-scroll-hint":
			next := n.NextSibling
			for next != nil && next.Type != html.ElementNode {
				next = next.NextSibling
			}
			hint = strings.Contains(text(n), "Scroll sideways") && next != nil && attr(next, "class") == "heard-table__wrap"
		case n.Data == "caption":
			caption = text(n)
		case n.Data == "th" && attr(n, "scope") == "col":
			cols++
		case n.Data == "th" && attr(n, "scope") == "row":
			rowHeads++
		case n.Data == "td":
			cells++
			if attr(n, "class") == "heard-table__num" {
				nums++
			}
		case n.Data == "div" && attr(n, "id") == c.ID && n.Parent.Data == "figure":
			chartDiv = strings.Contains(attr(n, "class"), "heard-chart__canvas--breakdown")
		case n.Data == "script" && attr(n, "data-chart-for") == c.ID:
			block = attr(n, "type") == "application/json" && text(n) == string(c.JSON)
		}
	})
	// The page leaves out the columns empty in every row
	// (TestWithoutEmptyColumns).
	shown := c.Table.WithoutEmptyColumns()
	want := 0
	for _, r := range c.Table.Rows {
		for _, cell := range r[1:] {
			if cell.Numeric() {
				want++
			}
		}
	}
	if caption != c.Title || cols != len(shown.Columns) || rowHeads != len(c.Table.Rows) ||
		cells != len(c.Table.Rows)*(len(shown.Columns)-1) || nums != want || want == 0 {
		t.Errorf("caption %q, %d column heads, %d row heads, %d cells of which %d numbers (want %d)",
			caption, cols, rowHeads, cells, nums, want)
	}
	if !region || !hint {
		t.Errorf("focusable named scroll region %v, hint before it %v", region, hint)
	}
	if !chartDiv || !block {
		t.Errorf("chart element found %v, JSON block intact %v", chartDiv, block)
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			b.WriteString(text(c))
		}
	}
	return b.String()
}
