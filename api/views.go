package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/dashboards"
)

// surveyViewBuilder makes one of a survey's views from the request and its
// survey and query: the page's data, the page's tables and the name of the
// workbook that holds them.
type surveyViewBuilder func(c *gin.Context, v surveyView) (page pageData, tables []dashboards.Table, file string, err error)

// showView is the handler of a survey's page: the view build makes,
// rendered with the template tmpl.
func (s *Server) showView(tmpl string, build surveyViewBuilder) func(*gin.Context) error {
	return func(c *gin.Context) error {
		v, err := s.loadSurveyView(c)
		if err != nil {
			return err
		}
		page, _, _, err := build(c, v)
		if err != nil {
			return err
		}
		return s.render(c, http.StatusOK, tmpl, page)
	}
}

// sendView is the handler of the workbook of a survey's page: the same
// view's tables, so that a download always holds what the page shows.
func (s *Server) sendView(build surveyViewBuilder) func(*gin.Context) error {
	return func(c *gin.Context) error {
		v, err := s.loadSurveyView(c)
		if err != nil {
			return err
		}
		page, tables, file, err := build(c, v)
		if err != nil {
			return err
		}
		return sendWorkbook(c, file, tables, workbookNotes(v, page))
	}
}

// dashboardPage, equalityPage and questionPage are the builders of
// the survey's dashboard, equality and question pages.
func (s *Server) dashboardPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	d, err := s.buildDashboard(c.Request.Context(), v)
	return &d, d.tables, v.survey.Slug + "-dashboard.xlsx", err
}

func (s *Server) equalityPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	ev, err := s.buildEquality(c.Request.Context(), v)
	return &ev, ev.tables, v.survey.Slug + "-equality.xlsx", err
}

func (s *Server) questionPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	qv, err := s.buildQuestion(c.Request.Context(), v, c.Param("code"))
	if err == nil {
		err = s.addQuestionStatements(c, v, &qv)
	}
	return &qv, qv.tables, v.survey.Slug + "-" + qv.Code + ".xlsx", err
}
