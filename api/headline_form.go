package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// headlineForm lets an analyst choose the question a survey's dashboard
// leads with; the choice is remembered for the survey.
type headlineForm struct {
	Action  string
	Choices []choice
	// Saved is the text of the question chosen, "" when heard chooses.
	Saved string
}

// newHeadlineForm is the headline form of the dashboard of v, offering the
// questions with a figure; saved is the code chosen so far.
func newHeadlineForm(v surveyView, reports []report.JSON, saved string) *headlineForm {
	f := &headlineForm{Action: v.base() + "/headline",
		Choices: []choice{{Value: "", Label: "heard's choice: the overall satisfaction question", Selected: saved == ""}}}
	for _, r := range reports {
		on := saved != "" && report.Fold(r.Question) == report.Fold(saved)
		if on {
			f.Saved = r.QuestionText
		}
		f.Choices = append(f.Choices, choice{Value: r.Question, Label: dashboards.OneLine(r.QuestionText, 80), Selected: on})
	}
	return f
}

// setHeadline is POST /surveys/:slug/headline: field question, the code of
// the scale question the survey's dashboard leads with from now on ("" for
// heard's choice). An analyst may set it on the surveys they are members of.
func (s *Server) setHeadline(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.store.SurveyBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, sv.ID); err != nil {
		return err
	}
	code := strings.TrimSpace(c.PostForm("question"))
	if code != "" {
		qs, _, err := s.store.Questions(ctx, sv.ID)
		if err != nil {
			return err
		}
		found := false
		for _, q := range qs {
			found = found || q.Code == code && q.Kind == analytics.KindScale
		}
		if !found {
			return s.refuse(c, "This question cannot lead the dashboard",
				"The question chosen is not one of this survey's scale questions. Go back to the dashboard and choose one from the list.")
		}
	}
	err = s.store.SetHeadlineQuestion(ctx, sv.Name, code, actor(c))
	if errors.Is(err, store.ErrNotFound) {
		return s.refuse(c, "This question cannot lead the dashboard",
			"The survey or question is no longer there. Go back to the list of surveys and try again.")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(sv.Slug))
	return nil
}
