package api

import (
	"bytes"
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

// actionsView is a survey's "you said, we did" page: each action with its
// measured effect and, for those who may change the survey, the forms to
// record, change and delete them.
type actionsView struct {
	layout
	Survey  string
	Actions []actionItem
	// Form records a new action (or, on the edit page, changes one); nil
	// for those who may not change the survey.
	Form *actionForm
	// Personal says the quotes are shown as written; Editing marks the
	// page that changes one action, which lists none.
	Personal, Editing bool
	CSV, JSON         string
	MinBase           int64
	Confidence        string
}

// actionItem is one action as the page shows it.
type actionItem struct {
	action.JSON
	// QuestionLink is the question's page; Owner is "" for the board.
	QuestionLink, Owner string
	// Before, After and Change are the rows of the effect's table; nil
	// when the action has no figures.
	Before, After *effectRow
	Change        string
	// Edit and Delete are the action's form addresses, "" for those who
	// may not change it.
	Edit, Delete string
}

// effectRow is a window of an effect: its days, figure and base.
type effectRow struct{ Days, Figure, Base string }

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

// actionsPage is GET /surveys/:slug/actions.
func (s *Server) actionsPage(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	out, err := s.buildActions(c, v)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "actions.html", out)
}

// actionAudience is who reads a survey's actions: the board in a board
// view, staff who may change the survey with the personal-data right (see
// mayReadPersonal), and other staff.
func (s *Server) actionAudience(c *gin.Context, v surveyView) (action.Audience, bool, error) {
	if v.params.Board {
		return action.Board, false, nil
	}
	personal, err := s.mayReadPersonal(c, v.survey.ID)
	if err != nil || !personal {
		return action.Staff, false, err
	}
	return action.Personal, true, nil
}

// buildActions makes the actions page of v.
func (s *Server) buildActions(c *gin.Context, v surveyView) (*actionsView, error) {
	ctx := c.Request.Context()
	aud, personal, err := s.actionAudience(c, v)
	if err != nil {
		return nil, err
	}
	list, err := action.List(ctx, s.store, v.survey.Name, aud, time.Now())
	if err != nil {
		return nil, err
	}
	api := "/api/v1/surveys/" + url.PathEscape(v.survey.Slug) + "/actions"
	f := url.Values{}
	if v.params.Board && !isBoard(c) {
		f.Set("board", "1")
	}
	pub, err := s.store.Publication(ctx, v.survey.ID)
	if err != nil {
		return nil, err
	}
	out := &actionsView{layout: s.surveyLayout(v, "You said, we did", "You said, we did"), Survey: v.survey.Name,
		Personal: personal, CSV: link(v.base()+"/actions.csv", f), JSON: link(api, f),
		MinBase: pub.Policy.Disclosure().WithDefaults().MinBase, Confidence: dashboards.Confidence(0)}
	for _, a := range list {
		out.Actions = append(out.Actions, newActionItem(v, a, personal))
	}
	if personal {
		if out.Form, err = s.newActionForm(c, v.survey, v.base()+"/actions", action.Params{}, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newActionItem is a as the page shows it; writer adds its forms.
func newActionItem(v surveyView, a action.JSON, writer bool) actionItem {
	it := actionItem{JSON: a}
	if a.Question != "" {
		it.QuestionLink = v.base() + "/questions/" + url.PathEscape(a.Question)
		if v.params.Board {
			it.QuestionLink += "?board=1"
		}
	}
	if a.Owner != nil {
		it.Owner = *a.Owner
	}
	if writer {
		base := v.base() + "/actions/" + strconv.FormatInt(a.ID, 10)
		it.Edit, it.Delete = base+"/edit", base+"/delete"
	}
	if a.Before != nil {
		it.Before, it.After = windowRow(a.Before), windowRow(a.After)
		if a.Difference != nil {
			it.Change = dashboards.Points(*a.Difference)
			if a.CILow != nil && a.CIHigh != nil {
				it.Change += " (" + dashboards.Confidence(a.Confidence) + " interval " + dashboards.PointsInterval(*a.CILow, *a.CIHigh) + ")"
			}
			if a.P != nil {
				it.Change += ", " + dashboards.PValue(*a.P)
			}
		}
	}
	return it
}

// windowRow is a window's row of the effect's table: "–" for a figure not
// shown.
func windowRow(w *action.WindowJSON) *effectRow {
	r := &effectRow{Days: w.From + " to " + w.To, Figure: "–", Base: "–"}
	if w.N != nil {
		r.Base = dashboards.Thousands(*w.N)
		r.Figure = "no answers"
	}
	if w.Rate != nil {
		r.Figure = dashboards.Value(analytics.MeasureShare, *w.Rate, false)
	}
	return r
}

// newActionForm is the form of an action of survey sv posting to target,
// filled with p (months as typed), saying problem when it was refused.
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

// actionList is the request's survey's actions as its reader may see them.
func (s *Server) actionList(c *gin.Context) (surveyView, []action.JSON, action.Audience, error) {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return v, nil, 0, err
	}
	aud, _, err := s.actionAudience(c, v)
	if err != nil {
		return v, nil, 0, err
	}
	list, err := action.List(c.Request.Context(), s.store, v.survey.Name, aud, time.Now())
	return v, list, aud, err
}

// apiActions is GET /api/v1/surveys/:slug/actions: the actions with their
// effects, as `heard actions list --json` prints them, for the reader.
func (s *Server) apiActions(c *gin.Context) error {
	_, list, _, err := s.actionList(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, list)
	return nil
}

// actionsCSV is GET /surveys/:slug/actions.csv: the same list as CSV.
func (s *Server) actionsCSV(c *gin.Context) error {
	v, list, aud, err := s.actionList(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := action.WriteCSV(&buf, list, aud != action.Board); err != nil {
		return err
	}
	attach(c, v.survey.Slug+"-actions.csv")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
