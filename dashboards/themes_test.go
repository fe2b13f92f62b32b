package dashboards

import (
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// themeReports are three themes over two months and two teams: Waiting
// rises clearly from January (10 of 100) to February (45 of 100).
func themeReports(board bool) ([]string, []analytics.Report) {
	themes := []string{"Staff manner", "Waiting", "Food", "Parking"}
	cells := []analytics.ThemeCell{
		{Month: "2025-01", Group: "North", Total: 60, Themes: []int64{30, 6, 12, 0}},
		{Month: "2025-01", Group: "South", Total: 40, Themes: []int64{20, 4, 8, 0}},
		{Month: "2025-02", Group: "North", Total: 50, Themes: []int64{25, 25, 10, 0}},
		{Month: "2025-02", Group: "South", Total: 50, Themes: []int64{26, 20, 9, 0}},
	}
	return themes, analytics.ThemeShares(analytics.Question{Code: "better"}, themes, cells,
		analytics.ReportOptions{Period: analytics.PeriodMonth, Board: board})
}

func TestThemeChart(t *testing.T) {
	themes, reps := themeReports(false)
	period, shares := ThemeSharesAt(reps, themes, "", analytics.AllGroup)
	if period != "2025-02" {
		t.Fatalf("the latest period is %q", period)
	}
	shares[1].Link = "/surveys/s/comments?theme=Waiting"
	c, err := ThemeChart(shares, analytics.PeriodMonth, period, 0.95, analytics.Disclosure{},
		Labels{ID: "chart-themes", Subject: "What could we do better?", Source: "Feedback", Made: time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := "What could we do better? — % of comments mentioning each theme, February 2025 (n = 100 comments)"
	if c.Title != want {
		t.Errorf("title %q, want %q", c.Title, want)
	}
	// Ranked by count, Parking (no comment) left out.
	var names []string
	for _, row := range c.Table.Rows {
		names = append(names, row[0].Text)
	}
	if strings.Join(names, ",") != "Staff manner,Waiting,Food" {
		t.Errorf("rows %q, want Staff manner, Waiting, Food", names)
	}
	waiting := c.Table.Rows[1]
	if waiting[0].Link != shares[1].Link || waiting[1].Text != "45.0%" || waiting[4].Text != "45" || waiting[5].Text != "100" ||
		waiting[6].Text != "▲ up on January 2025" {
		t.Errorf("Waiting's row %+v", waiting)
	}
	if got := c.Table.Rows[0][6].Text; got != NoChange {
		t.Errorf("Staff manner's change %q, want %q", got, NoChange)
	}
	d := decode(t, c)
	if marks := d.Option.YAxis[1].Data; len(marks) != 3 || marks[1] != "45.0%  ▲ up" {
		t.Errorf("the figures beside the bars: %q", marks)
	}
	if !strings.Contains(string(c.JSON), "Source: Feedback · made with heard · 2025-03-31") {
		t.Error("the chart's footer does not name its source and date")
	}
	if got := ThemeSentence(shares[1]); got != "Waiting was mentioned in 45 of 100 comments (45.0%)." {
		t.Errorf("sentence %q", got)
	}
	if got := ChangeSentence(shares[1]); got != "Waiting was mentioned in a larger share of comments than in January 2025: 45.0% against 10.0%." {
		t.Errorf("change %q", got)
	}
	if got := ChangeSentence(shares[0]); got != "" {
		t.Errorf("a share that did not change clearly says %q", got)
	}
}

func TestThemeChartBoard(t *testing.T) {
	themes, reps := themeReports(true)
	_, shares := ThemeSharesAt(reps, themes, "2025-01", "North")
	c, err := ThemeChart(shares, analytics.PeriodMonth, "2025-01", 0.95, analytics.PolicyHeard.Disclosure(), Labels{Subject: "Comments"})
	if err != nil {
		t.Fatal(err)
	}
	hidden := 0
	for _, row := range c.Table.Rows {
		if row[1].Text == "–" {
			hidden++
			if row[4].Text != "–" || row[5].Text != "–" || !strings.HasPrefix(row[7].Text, "Suppressed") {
				t.Errorf("a hidden theme shows %+v", row)
			}
		}
	}
	// Waiting's 6 in North is no smaller than 5, but South's 4 is, and
	// North goes with it; then Food goes beside Waiting in each cell.
	if hidden != 2 || len(c.Table.Notes) == 0 || ThemeSentence(shares[1]) != "Waiting: not shown, too few comments to publish." {
		t.Errorf("%d hidden, notes %q, sentence %q", hidden, c.Table.Notes, ThemeSentence(shares[1]))
	}
}

func TestThemeTable(t *testing.T) {
	themes, reps := themeReports(false)
	tab := ThemeTable(reps, themes, 0.95, analytics.Disclosure{})
	if len(tab.Rows) != 2*3*len(themes) {
		t.Fatalf("%d rows, want 2 months × 3 groups × %d themes", len(tab.Rows), len(themes))
	}
	first, last := tab.Rows[0], tab.Rows[len(tab.Rows)-1]
	if first[0].Text != "January 2025" || first[1].Text != "All responses" || first[2].Text != "Staff manner" || first[3].Text != "50" ||
		first[4].Text != "100" {
		t.Errorf("first row %+v", first)
	}
	if last[0].Text != "February 2025" || last[1].Text != "South" || last[2].Text != "Parking" || last[3].Text != "0" {
		t.Errorf("last row %+v", last)
	}
	trend, err := ThemeTrendChart(reps[1], Labels{Subject: "Waiting"})
	if err != nil {
		t.Fatal(err)
	}
	if cols := strings.Join(trend.Table.Columns, "|"); !strings.Contains(cols, "Comments (base)|Comments mentioning it") {
		t.Errorf("the trend's columns %q do not count comments", cols)
	}
}
