package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// homeView is the list of surveys, each with its headline figure.
type homeView struct {
	layout
	Surveys []homeSurvey
}

// homeSurvey is one survey of the home page.
type homeSurvey struct {
	Name, Link                     string
	Responses, FirstDate, LastDate string
	Question, Metric               string
	Figure                         figureView
	// NoFigure says why the survey has no headline figure.
	NoFigure string
	Spark    *dashboards.Chart
}

// home lists the surveys; with none, it offers the demo survey.
func (s *Server) home(c *gin.Context) error {
	ctx := c.Request.Context()
	list, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	board := isBoard(c)
	out := homeView{layout: layout{Title: "Surveys", AssetVersion: s.assetVersion, OnSurveys: true, Board: board}}
	for _, sv := range list {
		h := homeSurvey{Name: sv.Name, Link: "/surveys/" + url.PathEscape(sv.Slug), Responses: dashboards.Thousands(sv.Responses),
			FirstDate: sv.FirstDate, LastDate: sv.LastDate}
		if board { // raw counts and days are for staff: the board sees published figures
			h.Responses, h.FirstDate, h.LastDate = "–", "–", "–"
		}
		if err := s.addHeadline(ctx, sv.Survey, board, &h); err != nil {
			return err
		}
		out.Charts = out.Charts || h.Spark != nil
		out.Surveys = append(out.Surveys, h)
	}
	return s.render(c, http.StatusOK, "home.html", &out)
}

// addHeadline adds a survey's headline figure, of the month its dashboard
// leads with (see chooseHeadlinePeriod), with its trend: the report of the
// question an analyst chose for it, else of the first scale question, by
// preference, that its usual metric fits; with disclosure control for the
// board. A survey without dates gives the figure of all its responses.
func (s *Server) addHeadline(ctx context.Context, sv analytics.Survey, board bool, h *homeSurvey) error {
	qs, _, err := s.store.Questions(ctx, sv.ID)
	if err != nil {
		return err
	}
	saved, err := s.store.HeadlineQuestion(ctx, sv.ID)
	if err != nil {
		return err
	}
	_, lastDay, err := s.surveyDays(ctx, sv)
	if err != nil {
		return err
	}
	rank := func(q analytics.Question) int {
		if q.Code == saved {
			return 10
		}
		return headlinePreference(q.Text)
	}
	qs = slices.DeleteFunc(qs, func(q analytics.Question) bool { return q.Kind != analytics.KindScale })
	slices.SortStableFunc(qs, func(a, b analytics.Question) int { return rank(b) - rank(a) })
	period := ""
	if lastDay == "" && !board {
		period = string(analytics.PeriodAll)
	}
	h.NoFigure = "no scale question to work out a figure for"
	for _, q := range qs {
		rep, err := s.surveyReport(ctx, sv, report.Params{Survey: sv.Name, Question: q.Code, Board: board, Period: period})
		var ue *analytics.ParamError
		if errors.As(err, &ue) {
			continue
		}
		if err != nil {
			return err
		}
		h.Question, h.Metric = rep.QuestionText, rep.Metric.Name
		h.NoFigure = ""
		h.Figure, _ = figureFor(rep, chooseHeadlinePeriod(rep, lastDay, rep.Disclosure.WithDefaults().MinBase).Key)
		if len(rep.Rows) > 0 {
			spark, err := dashboards.Sparkline(rep.Domain(), analytics.AllGroup,
				dashboards.Labels{ID: "spark-" + sv.Slug, Subject: rep.QuestionText})
			if err != nil {
				return err
			}
			h.Spark = &spark
		}
		return nil
	}
	return nil
}
