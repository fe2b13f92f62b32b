package api

import (
	"bytes"
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/api/report"
)

// apiSurveys is GET /api/v1/surveys: the surveys as `heard surveys --json`
// lists them, each with its slug.
func (s *Server) apiSurveys(c *gin.Context) error {
	list, err := s.store.Surveys(c.Request.Context())
	if err != nil {
		return err
	}
	if isBoard(c) {
		// The board sees a survey's figures as published, not its raw
		// counts of responses and imports, nor the days of the first and
		// latest response (a day's count of 1 points at a person).
		out := make([]boardSurveyJSON, 0, len(list))
		for _, sv := range list {
			out = append(out, boardSurveyJSON{Name: sv.Name, Slug: sv.Slug, Questions: sv.Questions})
		}
		c.JSON(http.StatusOK, out)
		return nil
	}
	out := make([]report.SurveyJSON, 0, len(list))
	for _, sv := range list {
		out = append(out, report.SurveyJSONOf(sv))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// boardSurveyJSON is a survey in the board's list of surveys.
type boardSurveyJSON struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Questions int    `json:"questions"`
}

// SurveyQuestionsJSON is a survey's questions and dimensions as
// `heard questions --json` prints them, with the survey's slug.
type SurveyQuestionsJSON struct {
	report.QuestionsJSON
	Slug string `json:"slug"`
}

// apiQuestions is GET /api/v1/surveys/:slug/questions.
func (s *Server) apiQuestions(c *gin.Context) error {
	sv, err := s.store.SurveyBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	qs, ds, err := s.store.Questions(c.Request.Context(), sv.ID)
	if err != nil {
		return err
	}
	if isBoard(c) {
		for i := range qs {
			if !qs[i].OptionsPublishable() {
				qs[i].Options = nil // written answers never reach the board
			}
		}
	}
	c.JSON(http.StatusOK, SurveyQuestionsJSON{
		QuestionsJSON: report.QuestionsJSON{Survey: sv.Name, Questions: report.NonNil(qs), Dimensions: report.NonNil(ds)}, Slug: sv.Slug})
	return nil
}

// apiReport is GET /api/v1/surveys/:slug/report: the report `heard report
// --format json` prints with the same parameters. A question, or a metric
// saved with the survey, gives one report; otherwise every scale question's.
func (s *Server) apiReport(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if v.params.Question != "" || !report.IsPreset(v.params.Metric) {
		rep, err := s.surveyReport(ctx, v.survey, v.params)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, rep)
		return nil
	}
	all, err := s.surveyReports(ctx, v.survey, v.params)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, all)
	return nil
}

// apiTrends is GET /api/v1/surveys/:slug/trends.csv: the board's trend CSV
// (as `heard export trends`), as a download. It takes question, metric,
// period, by and min_base; disclosure control is always on.
func (s *Server) apiTrends(c *gin.Context) error {
	v, reports, err := s.trendReports(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteTrendCSV(&buf, reports); err != nil {
		return err
	}
	attach(c, v.survey.Slug+"-trends.csv")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

// trendReports reads the request's survey and makes the reports of its
// trend CSV: the board's publication, whoever asks.
func (s *Server) trendReports(c *gin.Context) (surveyView, []report.JSON, error) {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return v, nil, err
	}
	p := v.params
	p.Board, p.IncludePartial, p.From, p.To, p.Where = true, false, "", "", nil
	reports, err := cached(c.Request.Context(), s, "trends", v.survey, p, func(ctx context.Context) ([]report.JSON, error) {
		return report.Trends(ctx, s.store, p)
	})
	return v, reports, err
}
