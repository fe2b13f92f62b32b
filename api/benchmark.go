package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// besideNote is the plain note under every national comparison.
const besideNote = "The national survey is weighted and asks a different question, so these are context, not a like-for-like comparison."

// besideView is the "Beside England" panel of a survey's dashboard: the
// survey's headline figure beside NHS Digital's published figure of the
// council, its region and England.
type besideView struct {
	Year, Measure, Description string
	Council                    string
	// Own is the survey's headline figure, as the dashboard shows it.
	OwnText, OwnMetric string
	Own                figureView
	Rows               []besideRow
	Note               string
}

// besideRow is one published figure of the panel.
type besideRow struct {
	ID, Name, Level string
	Figure          dashboards.BenchmarkFigure
	// Missing says plainly why there is no figure.
	Missing string
}

// besideHeadline builds the panel beside a dashboard's headline figure h,
// the figure of report top. ok is false, and there is no panel, when the
// headline question is not about satisfaction (as ASCOF 3A is), no council
// is chosen or no ASCOF figures are loaded.
func (s *Server) besideHeadline(ctx context.Context, h figureView, top report.JSON) (v besideView, ok bool, err error) {
	if headlinePreference(top.QuestionText) < 2 {
		return besideView{}, false, nil
	}
	b, ok, err := report.BesideEngland(ctx, s.store, analytics.BenchmarkSatisfaction)
	if err != nil || !ok {
		return besideView{}, false, err
	}
	return newBesideView(b, h, top.QuestionText, top.Metric.Name), true, nil
}

// newBesideView is the panel of the published figures b beside the
// headline h of the question text, figure metric.
func newBesideView(b report.Beside, h figureView, text, metric string) besideView {
	v := besideView{Year: b.Year, Measure: b.Measure, Description: b.Description, Council: b.Council.Council.Name,
		OwnText: text, OwnMetric: metric, Own: h, Note: besideNote}
	for _, r := range []struct {
		id    string
		area  analytics.BenchmarkArea
		level string
		fig   *analytics.Benchmark
	}{
		{"beside-council", b.Council.Council, "council", b.CouncilFigure},
		{"beside-region", b.Council.Region, "region", b.RegionFigure},
		{"beside-england", analytics.BenchmarkArea{Name: "England"}, "", b.EnglandFigure},
	} {
		row := besideRow{ID: r.id, Name: r.area.Name, Level: r.level}
		switch {
		case r.fig == nil:
			row.Missing = "NHS Digital’s " + b.Year + " figures have no row for " + r.area.Name + "."
		case r.fig.Outcome == nil:
			row.Missing = "Not published: NHS Digital’s " + b.Year + " figures mark " + r.area.Name + "’s as not available or suppressed."
		default:
			row.Figure = dashboards.PublishedShare(*r.fig)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// Table is the panel as a table, for the dashboard's workbook.
func (v besideView) Table() dashboards.Table {
	t := dashboards.Table{Name: "Beside England",
		Caption: "This survey's headline figure beside ASCOF " + v.Measure + " (" + v.Year + ") for the council, its region and England",
		Columns: []string{"Figure", "Period", "Value", "Base (n)", "Margin of error", "Likely range"},
		Notes:   []string{v.Note, "Source: NHS Digital, Adult Social Care Outcomes Framework, " + v.Year + "."}}
	own := []dashboards.Cell{textCell("This survey: " + v.OwnText + " (" + v.OwnMetric + ")"), textCell(v.Own.Period)}
	if v.Own.Shown {
		own = append(own, textCell(v.Own.Value), textCell(v.Own.Base), textCell(""), textCell(v.Own.Interval))
	} else {
		own = append(own, textCell(v.Own.Note), textCell(""), textCell(""), textCell(""))
	}
	t.Rows = append(t.Rows, own)
	for _, r := range v.Rows {
		row := []dashboards.Cell{textCell(r.Name + ", ASCOF " + v.Measure), textCell(v.Year)}
		if r.Missing != "" {
			row = append(row, textCell(r.Missing), textCell(""), textCell(""), textCell(""))
		} else {
			row = append(row, textCell(r.Figure.Value), textCell(r.Figure.Base), textCell(r.Figure.Margin), textCell(r.Figure.Range))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// apiBenchmarks is GET /api/v1/benchmarks?measure=3A[&year=&level=&disaggregation=]:
// the published figures as `heard benchmark list --json` prints them, in
// one array. They are NHS Digital's published aggregates, open to every
// role.
func (s *Server) apiBenchmarks(c *gin.Context) error {
	var q struct {
		Measure        string `form:"measure"`
		Year           string `form:"year"`
		Level          string `form:"level"`
		Disaggregation string `form:"disaggregation"`
	}
	if err := c.ShouldBindQuery(&q); err != nil {
		return usageErrorf("the query could not be read: give measure, and year, level or disaggregation if you like, once each")
	}
	list, err := report.Benchmarks(c.Request.Context(), s.store, report.BenchmarkParams{
		Measure: q.Measure, Year: q.Year, Level: q.Level, Disaggregation: q.Disaggregation})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, list)
	return nil
}

// benchmarkAdminView is the admin's page of national figures: the years
// loaded and the council the survey pages compare.
type benchmarkAdminView struct {
	layout
	Years    []benchmarkYearItem
	Council  *report.Council
	Councils []choice
	Regions  []choice
	// AreasYear is the year the lists of councils and regions come from.
	AreasYear string
	Saved     bool
}

// benchmarkYearItem is one year of figures loaded.
type benchmarkYearItem struct{ Year, File, Values, Missing, By, At string }

// adminBenchmark is GET /admin/benchmark.
func (s *Server) adminBenchmark(c *gin.Context) error {
	ctx := c.Request.Context()
	v := benchmarkAdminView{layout: layout{Title: "National figures", AssetVersion: s.assetVersion}, Saved: c.Query("saved") != ""}
	years, err := s.store.BenchmarkYears(ctx)
	if err != nil {
		return err
	}
	for _, y := range years {
		v.Years = append(v.Years, benchmarkYearItem{Year: y.Year, File: y.File, Values: dashboards.Thousands(int64(y.Rows)),
			Missing: dashboards.Thousands(int64(y.Missing)), By: y.By, At: dashboards.DateTime(y.At.UTC()) + " UTC"})
	}
	council, ok, err := report.CurrentCouncil(ctx, s.store)
	if err != nil {
		return err
	}
	if ok {
		v.Council = &council
	}
	councils, year, err := s.store.BenchmarkAreas(ctx, analytics.LevelCouncil)
	if err != nil {
		return err
	}
	regions, _, err := s.store.BenchmarkAreas(ctx, analytics.LevelRegion)
	if err != nil {
		return err
	}
	v.AreasYear = year
	for _, a := range councils {
		v.Councils = append(v.Councils, choice{Value: a.Key(), Label: a.Name + " (" + a.Key() + ")", Selected: ok && a.Key() == council.Council.Key()})
	}
	v.Regions = []choice{{Value: "", Label: "The council’s own region", Selected: !ok || !council.RegionChosen}}
	for _, a := range regions {
		v.Regions = append(v.Regions, choice{Value: a.Key(), Label: a.Name + " (" + a.Key() + ")",
			Selected: ok && council.RegionChosen && a.Key() == council.Region.Key()})
	}
	return s.render(c, http.StatusOK, "admin_benchmark.html", &v)
}

// setBenchmarkCouncil is POST /admin/benchmark: fields council and region
// (empty: the council's own), or clear=1 to forget the council.
func (s *Server) setBenchmarkCouncil(c *gin.Context) error {
	ctx := c.Request.Context()
	if c.PostForm("clear") != "" {
		if err := s.store.SetBenchmarkCouncil(ctx, analytics.BenchmarkCouncil{}, actor(c)); err != nil {
			return err
		}
		c.Redirect(http.StatusSeeOther, "/admin/benchmark?saved=1")
		return nil
	}
	_, err := report.ChooseCouncil(ctx, s.store, c.PostForm("council"), c.PostForm("region"), actor(c))
	var pe *analytics.ParamError
	if errors.As(err, &pe) {
		return s.refuse(c, "This council cannot be chosen", plainMessage(pe)+". Go back and choose from the lists.")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/benchmark?saved=1")
	return nil
}
