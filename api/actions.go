package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
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

// markAudience is who reads the marks of a trend chart of view v: what
// they say of an action does not depend on the personal-data right, only
// on whether the view is the board's.
func markAudience(v surveyView) action.Audience {
	if v.params.Board {
		return action.Board
	}
	return action.Staff
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
