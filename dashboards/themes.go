package dashboards

import (
	"cmp"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// ThemeShare is one theme's figure in one period and group, read from the
// theme's report (analytics.ThemeShares): its row, and the row of the same
// group in the period before, if there is one.
type ThemeShare struct {
	Theme string
	Row   analytics.ReportRow
	Prev  *analytics.ReportRow
	// PrevLabel names the period before ("February 2025").
	PrevLabel string
	// Link, when set, is the page of the theme's comments; never in a
	// board view.
	Link string
}

// Mentioned reports whether the theme is in any comment of its cell, or
// is hidden: a theme no comment has is left out of the chart.
func (s ThemeShare) Mentioned() bool {
	return s.Row.Suppressed || s.Row.Positive != nil && *s.Row.Positive > 0
}

// Change says how the share compares with the period before: "▲ up on
// February 2025", "▼ down on February 2025", NoChange, or "" when it was
// not tested.
func (s ThemeShare) Change() string { return change(s.Row, s.Prev, s.PrevLabel) }

// ThemeSharesAt picks, from one report per theme, each theme's row of
// group in period (the latest period of any report when ""), with the row
// of the period before; themes no report has a row for in that cell have
// none (N nil). It returns the period chosen.
func ThemeSharesAt(reps []analytics.Report, themes []string, period, group string) (string, []ThemeShare) {
	if period == "" {
		for _, rep := range reps {
			for _, r := range rep.Rows {
				period = max(period, r.Period)
			}
		}
	}
	out := make([]ThemeShare, len(themes))
	for i, theme := range themes {
		out[i] = ThemeShare{Theme: theme, Row: analytics.ReportRow{Period: period, Group: group}}
		if i >= len(reps) {
			continue
		}
		rep := reps[i]
		prev, err := analytics.Previous(rep.Period, period)
		for j, r := range rep.Rows {
			switch {
			case r.Group != group:
			case r.Period == period:
				out[i].Row = r
			case err == nil && r.Period == prev:
				out[i].Prev, out[i].PrevLabel = &rep.Rows[j], PeriodLabel(rep.Period, prev)
			}
		}
	}
	return period, out
}

// ThemeSentence says one theme's figure in a plain sentence: "Staff manner
// was mentioned in 212 of 1,034 comments (20.5%)." A hidden figure says
// so.
func ThemeSentence(s ThemeShare) string {
	r := s.Row
	if r.Suppressed || r.N == nil || r.Positive == nil || r.Rate == nil {
		return s.Theme + ": not shown, too few comments to publish."
	}
	return s.Theme + " was mentioned in " + Thousands(*r.Positive) + " of " + Plural(int(*r.N), "comment") +
		" (" + Value(analytics.MeasureShare, *r.Rate, false) + ")."
}

// ChangeSentence says a clear change of a theme's share from the period
// before in a plain sentence ("Waiting times was mentioned in a larger
// share of comments than in February 2025: 30.0% against 18.2%."), or ""
// when there is none.
func ChangeSentence(s ThemeShare) string {
	ch := s.Change()
	if ch == "" || ch == NoChange || s.Prev == nil || s.Row.Rate == nil || s.Prev.Rate == nil {
		return ""
	}
	size := "larger"
	if strings.HasPrefix(ch, "▼") {
		size = "smaller"
	}
	return s.Theme + " was mentioned in a " + size + " share of comments than in " + s.PrevLabel + ": " +
		Value(analytics.MeasureShare, *s.Row.Rate, false) + " against " + Value(analytics.MeasureShare, *s.Prev.Rate, false) + "."
}

// RankThemes orders the themes mentioned by their count, largest first
// (hidden ones last, then by name), leaving out themes no comment has.
func RankThemes(shares []ThemeShare) []ThemeShare {
	var out []ThemeShare
	for _, s := range shares {
		if s.Mentioned() {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b ThemeShare) int {
		if a.Row.Suppressed != b.Row.Suppressed {
			if a.Row.Suppressed {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(value(b.Row.Positive), value(a.Row.Positive)); c != 0 {
			return c
		}
		return strings.Compare(a.Theme, b.Theme)
	})
	return out
}

// value is *p, or 0 for nil.
func value(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ThemeChart draws the share of comments mentioning each theme in one
// period: horizontal bars, largest first, each with its interval, its
// figure written beside it and "▲ up" or "▼ down" when the share changed
// from the period before by more than chance would explain (two-proportion
// z test, p under 0.05), so that colour carries no meaning. kind is the
// period's kind and conf the intervals' level; d is the disclosure rule of
// a board view, for the table's note. The table has a row per theme, its
// first cell linking to the theme's comments where the share has a Link.
func ThemeChart(shares []ThemeShare, kind analytics.PeriodKind, period string, conf float64, d analytics.Disclosure, l Labels) (Chart, error) {
	c := newChart(KindTheme, l)
	rows := RankThemes(shares)
	var n int64
	for _, s := range shares {
		if !s.Row.Suppressed && s.Row.N != nil {
			n = max(n, *s.Row.N)
		}
	}
	sub := "% of comments mentioning each theme"
	if kind != analytics.PeriodAll && period != "" {
		sub += ", " + PeriodLabel(kind, period)
	}
	h := newHeading(subjectOf(l, ""), sub+" ("+baseText(n)+" "+Noun(n, "comment")+")")
	c.Title = h.full
	c.Description = themeDescription(h, rows)
	c.Table = themeTable(h, conf, rows, d)
	count := max(1, len(rows))
	s := spec{Option: h.option(c.Description), Height: h.height() + 96 + 30*count, Download: downloadName(c),
		Layout: h.layout(l, 20+30*count, 20, 32)}
	names, marks := make([]string, len(rows)), make([]string, len(rows))
	values, ivs := make([]*float64, len(rows)), make([][3]*float64, len(rows))
	m := analytics.Metric{Name: "% of comments", Measure: analytics.MeasureShare}
	for i, r := range rows {
		names[i], marks[i] = r.Theme, noFigure
		idx := float64(i)
		ivs[i][2] = &idx
		lines := append([]string{r.Theme}, figureLines(m, conf, r.Row)...)
		if ch := r.Change(); ch != "" {
			lines = append(lines, ch)
		}
		s.Tooltips = append(s.Tooltips, lines)
		if r.Row.Suppressed || r.Row.Rate == nil {
			continue
		}
		values[i] = num(r.Row.Rate, 100, 1)
		ivs[i][0], ivs[i][1] = num(r.Row.CILow, 100, 1), num(r.Row.CIHigh, 100, 1)
		marks[i] = strings.TrimSpace(Value(analytics.MeasureShare, *r.Row.Rate, false) + "  " + shortChange(r.Change()))
	}
	band := Confidence(conf) + " interval"
	o := &s.Option
	o.Legend = plainLegend(h, []string{m.Name, band})
	o.Tooltip.AxisPointer = &opts.AxisPointer{Type: "shadow"}
	o.Grid = &opts.Grid{Top: itoa(h.height() + 44), Left: "8", Right: "8", Bottom: "32"}
	o.XAxis, o.YAxis = breakdownAxes(analytics.MeasureShare, names, marks)
	o.Series = []series{barSeries(m.Name, values), intervalSeries(band, ivs)}
	return c, c.finish(s)
}

// shortChange is the mark beside a bar: "▲ up", "▼ down" or "".
func shortChange(ch string) string {
	switch {
	case strings.HasPrefix(ch, "▲"):
		return "▲ up"
	case strings.HasPrefix(ch, "▼"):
		return "▼ down"
	}
	return ""
}

// themeTable has a row per theme of the chart.
func themeTable(h heading, conf float64, rows []ThemeShare, d analytics.Disclosure) Table {
	t := Table{Name: "Themes this period", Caption: h.full, Columns: []string{"Theme", "% of comments",
		"Lower " + Confidence(conf) + " limit", "Upper " + Confidence(conf) + " limit", "Comments mentioning it",
		"Comments (base)", "Change since the period before", "Note"}}
	list := make([]analytics.ReportRow, len(rows))
	for i, r := range rows {
		list[i] = r.Row
		first := textCell(r.Theme)
		first.Link = r.Link
		m := analytics.MeasureShare
		t.Rows = append(t.Rows, []Cell{first, ValueCell(m, r.Row.Rate), ValueCell(m, r.Row.CILow), ValueCell(m, r.Row.CIHigh),
			CountCell(r.Row.Positive), CountCell(r.Row.N), {Text: r.Change(), NoWrap: true}, textCell(rowNote(r.Row))})
	}
	t.Notes = suppressionNote(list, d)
	if len(rows) == 0 {
		t.Notes = append(t.Notes, "No comment in this period has a theme yet.")
	}
	return t
}

// themeDescription summarises a theme chart for screen readers.
func themeDescription(h heading, rows []ThemeShare) string {
	var b strings.Builder
	b.WriteString("Bar chart: " + h.full + ". " + Plural(len(rows), "theme") + " mentioned. ")
	for i, r := range rows {
		if i == 5 {
			break
		}
		if !r.Row.Suppressed && r.Row.Rate != nil {
			b.WriteString(r.Theme + " " + Value(analytics.MeasureShare, *r.Row.Rate, false) + "; ")
		}
	}
	b.WriteString("The figures are in the table with this chart.")
	return b.String()
}
