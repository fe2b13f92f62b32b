package api

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

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
	// TrendsZip is the same CSV zipped with a readme; TrendLinks offer
	// each breakdown as links, for a board account, which has no form.
	TrendsZip             string
	TrendLinks            []trendLink
	Periods, By           []choice
	Metric                string
	Dashboard, Equality   string
	ReportJSON, Questions string
	Imports               string
	// ThemeLinks are the themes of the comments by period, for all
	// responses and by each dimension, as CSV, workbook and JSON.
	ThemeLinks []themeLink
}

// themeLink is the themes download of one breakdown.
type themeLink struct{ Label, CSV, XLSX, JSON string }

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
	out.TrendsZip = link(api+"/trends.zip", trendQuery(v.query))
	out.Periods = newFilterForm(v, "", nil).Periods
	out.By = []choice{{Value: "", Label: "No breakdown", Selected: len(v.query.By) == 0}}
	for _, d := range ds {
		out.By = append(out.By, choice{Value: d.Code, Label: d.Name, Selected: len(v.query.By) > 0 && v.query.By[0] == d.Code})
	}
	for _, b := range out.By {
		q := url.Values{}
		label := "All responses together"
		if b.Value != "" {
			q.Set("by", b.Value)
			label = "By " + b.Label
		}
		out.TrendLinks = append(out.TrendLinks, trendLink{Label: label, CSV: link(api+"/trends.csv", q), Zip: link(api+"/trends.zip", q)})
		tq := without(f, "by", "question", "metric")
		if b.Value != "" {
			tq.Set("by", b.Value)
		}
		out.ThemeLinks = append(out.ThemeLinks, themeLink{Label: label, CSV: link(api+"/themes.csv", tq),
			XLSX: link(v.base()+"/themes.xlsx", tq), JSON: link(api+"/themes", tq)})
	}
	return s.render(c, http.StatusOK, "downloads.html", &out)
}

// trendLink is the trend CSV of one breakdown, alone and zipped with its
// readme.
type trendLink struct{ Label, CSV, Zip string }

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

// sendWorkbook answers with tables as an XLSX workbook, one sheet each
// and a last sheet of notes, as a download named name.
func sendWorkbook(c *gin.Context, name string, tables []dashboards.Table, notes dashboards.WorkbookNotes) error {
	if len(tables) == 0 {
		return usageErrorf("this page has no tables to download with these choices")
	}
	var buf bytes.Buffer
	if err := dashboards.WriteNotedWorkbook(&buf, tables, notes); err != nil {
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

// workbookNotes is what the workbook of a view of a survey says about
// itself: the survey and page, when it was made, what its figures cover,
// and the board's disclosure rule in a board view.
func workbookNotes(v surveyView, page pageData) dashboards.WorkbookNotes {
	title := v.survey.Name
	if t, ok := page.(interface{ pageTitle() string }); ok {
		title = t.pageTitle()
	}
	n := dashboards.WorkbookNotes{Title: title, Made: time.Now(), Confidence: v.params.Confidence}
	if n.Confidence >= 50 && n.Confidence < 100 {
		n.Confidence /= 100
	}
	if v.params.Board {
		d := v.publication.Policy.Disclosure()
		n.Policy, n.Rule = string(d.Policy), d.Rule
		n.Scope = "The survey's figures as published to its board: by " + dashboards.PeriodName(v.publication.Period) +
			", for every date and every group, one breakdown at a time."
		return n
	}
	var scope []string
	if p := strings.TrimSpace(v.query.Period); p != "" {
		scope = append(scope, "figures by "+p)
	}
	if v.query.From != "" || v.query.To != "" {
		scope = append(scope, "responses from "+orAny(v.query.From, "the first")+" to "+orAny(v.query.To, "the latest"))
	}
	for _, w := range v.query.Where {
		scope = append(scope, "only where "+w)
	}
	if v.params.IncludePartial {
		scope = append(scope, "partial responses counted")
	}
	n.Scope = "The staff view of the survey, with every figure"
	if len(scope) > 0 {
		n.Scope += ": " + strings.Join(scope, "; ")
	}
	n.Scope += "."
	return n
}

// orAny is s, or alt when s is empty.
func orAny(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// pageTitle is the title of a page, for the workbook of its tables.
func (l *layout) pageTitle() string { return l.Title }
