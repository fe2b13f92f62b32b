package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// setupView is a survey's set-up page: its name, and for each question
// and dimension the label people read, the header it is matched by on
// import and what kind of column it is.
type setupView struct {
	layout
	Survey, Base, Dashboard string
	Columns                 []setupColumn
	// Done says what was just saved, if anything.
	Done string
}

// setupColumn is one question or dimension on the set-up page. Code is
// only ever sent back in forms, never shown.
type setupColumn struct {
	Code, Label, Header, Kind, Headline string
	Kinds                               []choice
	// Scale says whether its answers' polarities can be set.
	Scale bool
}

// setupSurvey reads the survey of the address and checks that the account
// may change it (a member analyst, or an admin).
func (s *Server) setupSurvey(c *gin.Context) (analytics.Survey, error) {
	sv, err := s.store.SurveyBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return analytics.Survey{}, err
	}
	return sv, s.mayWriteSurvey(c, sv.ID)
}

// setupLayout is the layout of the set-up pages of survey sv.
func (s *Server) setupLayout(sv analytics.Survey, title string) layout {
	return layout{Title: title + " — " + sv.Name, AssetVersion: s.assetVersion, OnSurveys: true}
}

// setupBase is the address of a survey's set-up page.
func setupBase(sv analytics.Survey) string { return "/surveys/" + url.PathEscape(sv.Slug) + "/setup" }

// setupPage is GET /surveys/:slug/setup.
func (s *Server) setupPage(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	qs, ds, err := s.store.Questions(ctx, sv.ID)
	if err != nil {
		return err
	}
	m, err := s.store.SurveyMapping(ctx, sv.Name)
	if err != nil {
		return err
	}
	headers := make(map[string]string, len(m.Columns))
	for _, col := range m.Columns {
		if col.Role == analytics.RoleQuestion || col.Role == analytics.RoleDimension {
			headers[string(col.Role)+"\x00"+col.Code] = col.Header
		}
	}
	v := setupView{layout: s.setupLayout(sv, "Set up the survey"), Survey: sv.Name, Base: setupBase(sv),
		Dashboard: "/surveys/" + url.PathEscape(sv.Slug), Done: setupDone[c.Query("done")]}
	for _, q := range qs {
		col := setupColumn{Code: q.Code, Label: q.Text, Header: headers["question\x00"+q.Code],
			Kind: kindWords(q), Scale: q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle}
		col.Kinds = kindChoices(store.ColumnKindOf(&q), q.Kind == analytics.KindMulti)
		if col.Scale {
			col.Headline = s.headline(c, sv, q)
		}
		v.Columns = append(v.Columns, col)
	}
	for _, d := range ds {
		col := setupColumn{Code: d.Code, Label: d.Name, Header: headers["dimension\x00"+d.Code],
			Kind: "a dimension (for breakdowns, filters and the equality page)"}
		col.Kinds = kindChoices(store.ColumnDimension, false)
		v.Columns = append(v.Columns, col)
	}
	return s.render(c, http.StatusOK, "survey_setup.html", &v)
}

// setupDone says what a set-up form saved, by the done parameter of the
// page it leads back to.
var setupDone = map[string]string{
	"renamed":   "The survey’s name is saved.",
	"relabeled": "The new label is saved. The next file’s column is still matched by its header.",
	"column":    "The column’s kind is saved, and the next file’s column of that header will be read the same way.",
	"scale":     "Which answers count as positive is saved.",
}

// kindWords says what kind of question q is, in words.
func kindWords(q analytics.Question) string {
	switch q.Kind {
	case analytics.KindScale:
		return "a question on a scale"
	case analytics.KindSingle:
		return "a question with one answer from a list"
	case analytics.KindMulti:
		return "a question with several answers from a list"
	case analytics.KindText:
		return "free text (staff only)"
	case analytics.KindNumber:
		return "a question answered with a number"
	case analytics.KindDate:
		return "a question answered with a date"
	}
	return "a question"
}

// kindChoices are the kinds a column can be made, the current one
// selected; a multiple-choice question can only be ignored.
func kindChoices(now store.ColumnKind, multi bool) []choice {
	labels := [][2]string{
		{string(store.ColumnQuestion), "A question (its answers become options)"},
		{string(store.ColumnDimension), "A dimension (for breakdowns and the equality page)"},
		{string(store.ColumnText), "Free text (staff only)"},
		{string(store.ColumnIgnore), "Ignored (its answers are deleted)"},
	}
	var out []choice
	for _, l := range labels {
		if multi && l[0] != string(store.ColumnIgnore) && l[0] != string(store.ColumnQuestion) {
			continue
		}
		out = append(out, choice{Value: l[0], Label: l[1], Selected: l[0] == string(now)})
	}
	return out
}

// headline is report.Headline for the set-up pages; an error is logged
// and said in words.
func (s *Server) headline(c *gin.Context, sv analytics.Survey, q analytics.Question) string {
	h, err := report.Headline(c.Request.Context(), s.store, sv.ID, q)
	if err != nil {
		s.logger.Error("set-up headline", "err", err)
		return "no figure: it could not be counted"
	}
	return h
}

// renameSurvey is POST /surveys/:slug/setup/rename: field name.
func (s *Server) renameSurvey(c *gin.Context) error {
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	if _, err := s.store.RenameSurvey(c.Request.Context(), sv.ID, c.PostForm("name"), actor(c)); err != nil {
		return s.setupRefused(c, err, "This name cannot be used")
	}
	c.Redirect(http.StatusSeeOther, setupBase(sv)+"?done=renamed")
	return nil
}

// relabelQuestion is POST /surveys/:slug/setup/relabel: fields code and
// label.
func (s *Server) relabelQuestion(c *gin.Context) error {
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	if err := s.store.RelabelQuestion(c.Request.Context(), sv.ID, c.PostForm("code"), c.PostForm("label"), actor(c)); err != nil {
		return s.setupRefused(c, err, "This label cannot be used")
	}
	c.Redirect(http.StatusSeeOther, setupBase(sv)+"?done=relabeled")
	return nil
}

// setupRefused answers a set-up form whose input does not fit with a page
// saying why (422); other errors go on to s.page.
func (s *Server) setupRefused(c *gin.Context, err error, heading string) error {
	var pe *analytics.ParamError
	if errors.As(err, &pe) {
		return s.refuse(c, heading, sentence(pe.Query())+". Go back and try again.")
	}
	return err
}

// surveyDeleteView is the confirmation, and then the result, of deleting
// a survey.
type surveyDeleteView struct {
	layout
	Survey, Base, Responses, Imports string
	Done                             bool
}

// deleteSurvey is POST /surveys/:slug/setup/delete. Without confirm=yes it
// shows what deleting the survey removes and asks; with it, it deletes the
// survey (the store records it in the audit log).
func (s *Server) deleteSurvey(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	v := surveyDeleteView{layout: s.setupLayout(sv, "Delete the survey"), Survey: sv.Name, Base: setupBase(sv)}
	if c.PostForm("confirm") != "yes" {
		n, err := s.store.ResponseCount(ctx, sv.ID)
		if err != nil {
			return err
		}
		imports, err := s.store.Imports(ctx, sv.ID)
		if err != nil {
			return err
		}
		v.Responses, v.Imports = dashboards.Plural(int(n), "response"), dashboards.Plural(len(imports), "imported file")
		return s.render(c, http.StatusOK, "survey_setup_delete.html", &v)
	}
	n, err := s.store.DeleteSurvey(ctx, sv.ID, actor(c))
	if err != nil {
		return err
	}
	v.Title, v.Done, v.Responses = "Survey deleted", true, dashboards.Plural(int(n), "response")
	return s.render(c, http.StatusOK, "survey_setup_delete.html", &v)
}
