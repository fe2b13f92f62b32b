package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/dashboards"
)

// actionForm is the form that records or changes an action.
type actionForm struct {
	Action, Heading, Button string
	Questions, Statuses     []choice
	Values                  action.Params
	Months                  string
	// Problem says why the form was refused; Field names the field at
	// fault.
	Problem, Field string
}

// newActionForm is the form of an action of survey sv posting to target,
// filled with p (and months as typed, which may not be a number).
func (s *Server) newActionForm(c *gin.Context, sv analytics.Survey, target string, p action.Params, months string) (*actionForm, error) {
	qs, _, err := s.store.Questions(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, err
	}
	if months == "" {
		months = strconv.Itoa(analytics.DefaultEffectMonths)
		if p.Months > 0 {
			months = strconv.Itoa(p.Months)
		}
	}
	f := &actionForm{Action: target, Heading: "Record an action", Button: "Record the action", Values: p, Months: months,
		Questions: []choice{{Value: "", Label: "No question (a theme or statement only)", Selected: p.Question == ""}}}
	for _, q := range qs {
		if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle {
			f.Questions = append(f.Questions, choice{Value: q.Code, Label: dashboards.OneLine(q.Text, 80), Selected: q.Code == p.Question})
		}
	}
	status := p.Status
	if status == "" {
		status = string(analytics.ActionDone)
	}
	for _, st := range analytics.ActionStatuses() {
		f.Statuses = append(f.Statuses, choice{Value: string(st), Label: sentence(string(st)), Selected: string(st) == status})
	}
	return f, nil
}

// actionParams reads an action's form.
func actionParams(c *gin.Context, survey string) (action.Params, string) {
	p := action.Params{Survey: survey, Question: c.PostForm("question"), Theme: c.PostForm("theme"),
		Statement: c.PostForm("statement"), Said: c.PostForm("said"), Quote: c.PostForm("quote"), Did: c.PostForm("did"),
		Owner: c.PostForm("owner"), Agreed: c.PostForm("agreed"), Done: c.PostForm("done"), Status: c.PostForm("status")}
	return p, strings.TrimSpace(c.PostForm("months"))
}

// addAction is POST /surveys/:slug/actions: the form of actionParams.
func (s *Server) addAction(c *gin.Context) error { return s.saveAction(c, 0) }

// editAction is POST /surveys/:slug/actions/:id/edit.
func (s *Server) editAction(c *gin.Context) error {
	id, err := s.surveyAction(c)
	if err != nil {
		return err
	}
	return s.saveAction(c, id)
}

// saveAction records action id (0 for a new one) from its form, then
// goes back to the list at the action; a form that does not fit is shown
// again with what was typed and why (422), and nothing is stored.
func (s *Server) saveAction(c *gin.Context, id int64) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, v.survey.ID); err != nil {
		return err
	}
	p, months := actionParams(c, v.survey.Name)
	if months != "" {
		if p.Months, err = strconv.Atoi(months); err != nil {
			err = usageErrorf("{months} %q is not a whole number: give the months before and after to compare, such as 6", months)
		}
	}
	var a action.JSON
	if err == nil {
		a, err = action.Save(c.Request.Context(), s.store, id, p, actor(c), time.Now())
	}
	var pe *analytics.ParamError
	if errors.As(err, &pe) {
		return s.refuseAction(c, v, id, p, months, pe)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/actions#action-%d", v.base(), a.ID))
	return nil
}

// refuseAction shows the form again with why it was refused.
func (s *Server) refuseAction(c *gin.Context, v surveyView, id int64, p action.Params, months string, pe *analytics.ParamError) error {
	target := v.base() + "/actions"
	var out *actionsView
	var err error
	if id == 0 {
		out, err = s.buildActions(c, v)
	} else {
		target, out = fmt.Sprintf("%s/actions/%d/edit", v.base(), id), s.editView(v)
	}
	if err != nil {
		return err
	}
	if out.Form, err = s.newActionForm(c, v.survey, target, p, months); err != nil {
		return err
	}
	if id != 0 {
		out.Form.Heading, out.Form.Button = fmt.Sprintf("Change action %d", id), "Save the changes"
	}
	out.Form.Problem, out.Form.Field = sentence(pe.Query()), pe.QueryParam()
	return s.render(c, http.StatusUnprocessableEntity, "actions.html", out)
}

// surveyAction reads the :id of an action of the :slug survey; an action
// of another survey is not found.
func (s *Server) surveyAction(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	sv, err := s.store.SurveyBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return 0, err
	}
	a, err := s.store.Action(c.Request.Context(), id)
	if err != nil {
		return 0, err
	}
	if a.SurveyID != sv.ID {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// editView is the page that changes one action: the form alone.
func (s *Server) editView(v surveyView) *actionsView {
	return &actionsView{layout: s.surveyLayout(v, "Change an action", "You said, we did"), Survey: v.survey.Name,
		Personal: true, Editing: true}
}

// editActionForm is GET /surveys/:slug/actions/:id/edit.
func (s *Server) editActionForm(c *gin.Context) error {
	id, err := s.surveyAction(c)
	if err != nil {
		return err
	}
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, v.survey.ID); err != nil {
		return err
	}
	a, err := s.store.Action(c.Request.Context(), id)
	if err != nil {
		return err
	}
	out := s.editView(v)
	p := action.Params{Survey: v.survey.Name, Question: a.Question, Theme: a.Theme, Statement: a.Statement, Said: a.Said,
		Quote: a.Quote, Did: a.Did, Owner: a.Owner, Agreed: a.Agreed, Done: a.Done, Status: string(a.Status), Months: a.Months}
	if out.Form, err = s.newActionForm(c, v.survey, fmt.Sprintf("%s/actions/%d/edit", v.base(), id), p, ""); err != nil {
		return err
	}
	out.Form.Heading, out.Form.Button = fmt.Sprintf("Change action %d", id), "Save the changes"
	return s.render(c, http.StatusOK, "actions.html", out)
}

// deleteAction is POST /surveys/:slug/actions/:id/delete.
func (s *Server) deleteAction(c *gin.Context) error {
	sv, err := s.store.SurveyBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, sv.ID); err != nil {
		return err
	}
	id, err := s.surveyAction(c)
	if err != nil {
		return err
	}
	if _, err := action.Delete(c.Request.Context(), s.store, id, actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(sv.Slug)+"/actions")
	return nil
}
