package api

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/dashboards"
)

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// downloadsView lists what can be downloaded of a survey.
type downloadsView struct {
	layout
	Survey string
	// TrendsCSV is the board's trend CSV with the view's choices; the form
	// at TrendsAction picks the period and breakdown.
	TrendsCSV, TrendsAction string
	Periods, By             []choice
	Metric                  string
	Dashboard, Equality     string
	ReportJSON, Questions   string
	Imports                 string
}

func (s *Server) downloads(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	_, ds, err := s.store.Questions(c.Request.Context(), v.survey.ID)
	if err != nil {
		return err
	}
	f := v.query.filters()
	api := "/api/v1/surveys/" + url.PathEscape(v.survey.Slug)
	out := downloadsView{layout: s.surveyLayout(v, "Downloads", "Downloads"), Survey: v.survey.Name,
		TrendsCSV: link(api+"/trends.csv", trendQuery(v.query)), TrendsAction: api + "/trends.csv",
		Metric:    v.query.Metric,
		Dashboard: link(v.base()+"/dashboard.xlsx", f), Equality: link(v.base()+"/equality.xlsx", f),
		ReportJSON: link(api+"/report", without(f, "question")), Questions: api + "/questions",
		Imports: "/imports?survey=" + url.QueryEscape(v.survey.Slug)}
	out.Periods = newFilterForm(v, "", nil).Periods
	out.By = []choice{{Value: "", Label: "No breakdown", Selected: len(v.query.By) == 0}}
	for _, d := range ds {
		out.By = append(out.By, choice{Value: d.Code, Label: d.Name, Selected: len(v.query.By) > 0 && v.query.By[0] == d.Code})
	}
	return s.render(c, http.StatusOK, "downloads.html", &out)
}

// trendQuery is the part of a view's query that the trend CSV takes.
func trendQuery(q viewQuery) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"period": q.Period, "metric": q.Metric, "min_base": q.MinBase} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for _, b := range q.By {
		v.Add("by", b)
	}
	return v
}

// sendWorkbook answers with tables as an XLSX workbook, one sheet each,
// as a download named name.
func sendWorkbook(c *gin.Context, name string, tables []dashboards.Table) error {
	if len(tables) == 0 {
		return usageErrorf("this page has no tables to download with these choices")
	}
	var buf bytes.Buffer
	if err := dashboards.WriteWorkbook(&buf, tables); err != nil {
		return fmt.Errorf("write the workbook %s: %w", name, err)
	}
	attach(c, name)
	c.Data(http.StatusOK, xlsxType, buf.Bytes())
	return nil
}

// attach makes the response a download named name.
func attach(c *gin.Context, name string) {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}
