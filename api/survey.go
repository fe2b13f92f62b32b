package api

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

func (s *Server) healthz(c *gin.Context) error {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// viewQuery is the query of a page or an API call: the filters and choices
// of a view, kept in the URL so that a link reproduces it. Every field is
// read as text and checked by viewQuery.params or the report itself.
type viewQuery struct {
	Question   string   `form:"question"`
	Metric     string   `form:"metric"`
	Period     string   `form:"period"`
	By         []string `form:"by"`
	From       string   `form:"from"`
	To         string   `form:"to"`
	Where      []string `form:"where"`
	Confidence string   `form:"confidence"`
	MinBase    string   `form:"min_base"`
	Board      string   `form:"board"`
	Partial    string   `form:"include_partial"`
}

// bindView reads a request's query; blank by and where values (an empty
// field of the filter form) are dropped.
func bindView(c *gin.Context) (viewQuery, error) {
	var q viewQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return viewQuery{}, usageErrorf("the choices in the address could not be read: open the page without them and choose the filters again")
	}
	q.By, q.Where = nonBlank(q.By), nonBlank(q.Where)
	return q, nil
}

func nonBlank(list []string) []string {
	out := []string{}
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// params turns the query into report parameters for a survey.
func (q viewQuery) params(survey string) (report.Params, error) {
	p := report.Params{Survey: survey, Question: q.Question, Metric: q.Metric, Period: q.Period,
		By: q.By, From: q.From, To: q.To, Where: q.Where}
	if s := strings.TrimSpace(q.Confidence); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) { // NaN and Inf parse, and 1e400 is Inf
			return p, usageErrorf("{confidence} %q is not a number: give a level such as 0.95 (or 95)", s)
		}
		p.Confidence = v
	}
	if s := strings.TrimSpace(q.MinBase); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return p, usageErrorf("{min-base} %q is not a whole number: give the smallest base a board figure is shown on, such as 10", s)
		}
		p.MinBase = v
	}
	var err error
	if p.Board, err = flagValue("board", q.Board); err != nil {
		return p, err
	}
	p.IncludePartial, err = flagValue("include_partial", q.Partial)
	return p, err
}

// flagValue reads a yes/no query parameter: 1, true, on, yes or 0, false,
// off, no (or empty).
func flagValue(name, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "off", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, usageErrorf("{%s} %q is neither on nor off: write 1 to turn it on, or leave it out", strings.ReplaceAll(name, "_", "-"), s)
}

// filters are the query parameters every view of a survey shares, for the
// links between them: all but by, which belongs to a question's page. The
// query has been checked by params.
func (q viewQuery) filters() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if strings.TrimSpace(s) != "" {
			v.Set(k, strings.TrimSpace(s))
		}
	}
	set("question", q.Question)
	set("period", q.Period)
	set("from", q.From)
	set("to", q.To)
	for _, w := range q.Where {
		v.Add("where", w)
	}
	set("metric", q.Metric)
	set("confidence", q.Confidence)
	set("min_base", q.MinBase)
	if on, _ := flagValue("board", q.Board); on {
		v.Set("board", "1")
	}
	if on, _ := flagValue("include_partial", q.Partial); on {
		v.Set("include_partial", "1")
	}
	return v
}

// link is path with the query v, if any.
func link(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// without returns a copy of v without the keys.
func without(v url.Values, keys ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for _, k := range keys {
		out.Del(k)
	}
	return out
}

// surveyView is a survey page's survey and query.
type surveyView struct {
	survey analytics.Survey
	query  viewQuery
	params report.Params
	// publication is what the survey publishes to its board, in a board
	// view.
	publication analytics.Publication
}

// loadSurveyView reads the survey of the :slug in the path and the query.
func (s *Server) loadSurveyView(c *gin.Context) (surveyView, error) {
	sv, err := s.store.SurveyBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return surveyView{}, err
	}
	q, err := bindView(c)
	if err != nil {
		return surveyView{}, err
	}
	p, err := q.params(sv.Name)
	if err != nil {
		return surveyView{}, err
	}
	v := surveyView{survey: sv, query: q, params: p}
	if p.Board {
		// The board view shows the survey's publication, whatever the
		// address asks (see boardParams): its links and forms say so too.
		if v.publication, err = s.store.Publication(c.Request.Context(), sv.ID); err != nil {
			return surveyView{}, err
		}
		v.params = report.BoardParams(p, v.publication)
		v.query.Period, v.query.From, v.query.To, v.query.Where = "", "", "", nil
		v.query.MinBase, v.query.Metric, v.query.Partial = "", "", ""
		if len(v.query.By) > 1 {
			v.query.By = v.query.By[:1]
		}
	}
	return v, nil
}

// base is the path of the survey's pages: /surveys/SLUG.
func (v surveyView) base() string { return "/surveys/" + url.PathEscape(v.survey.Slug) }

// layout is what the common layout of every page reads.
type layout struct {
	Title string
	// Refresh, when not 0, reloads the page after that many seconds.
	Refresh      int
	AssetVersion string
	// Charts loads the chart scripts.
	Charts bool
	// Print marks a page made to be printed (the board pack): it loads the
	// script of its Print button.
	Print bool
	// Board marks the board's view: disclosure control on, no free text.
	Board bool
	// BoardRule and BoardPeriod say, in a board view of a survey, its
	// disclosure policy in words and the period its figures come by.
	BoardRule, BoardPeriod string
	// OnSurveys, OnImports mark the current entry of the main navigation.
	OnSurveys, OnImports bool
	// Nav is the survey's own navigation, on a survey's pages.
	Nav *surveyNav
	// Account and Can are the request's account and what it may open;
	// render sets them from the request (see setAccount); handlers leave
	// them empty.
	Account signedInAccount
	Can     can
}

// surveyNav is the navigation between a survey's pages.
type surveyNav struct {
	Name  string
	Links []navLink
	// Comments, last, is shown only to an account that may read comments
	// (layout.Can.ReadComments); nil in the board's view.
	Comments *navLink
	// Setup is the survey's set-up page, shown only to an account that
	// may upload (layout.Can.Upload); nil in the board's view.
	Setup *navLink
}

type navLink struct {
	Label, Href string
	Current     bool
}

// surveyLayout is the layout of one of a survey's pages; current is the
// label of its entry in the survey's navigation.
func (s *Server) surveyLayout(v surveyView, title, current string) layout {
	f := v.query.filters()
	nav := &surveyNav{Name: v.survey.Name}
	for _, l := range []struct{ label, path string }{
		{"Dashboard", ""}, {"Questions", "/questions"}, {"Statements", "/statements"}, {"Equality", "/equality"}, {"Themes", "/themes"},
		{"You said, we did", "/actions"},
		{"Downloads", "/downloads"},
	} {
		q := f
		if l.label == "Themes" { // the themes are of free-text questions, which no other page's question is
			q = without(f, "question", "metric")
		}
		nav.Links = append(nav.Links, navLink{Label: l.label, Href: link(v.base()+l.path, q), Current: l.label == current})
	}
	if !v.params.Board { // the board view never shows comments
		nav.Comments = &navLink{Label: "Comments", Href: link(v.base()+"/comments", commentFilters(f)),
			Current: current == "Comments"}
		nav.Setup = &navLink{Label: "Set up", Href: v.base() + "/setup"}
	}
	l := layout{Title: title + " — " + v.survey.Name, AssetVersion: s.assetVersion, Board: v.params.Board,
		OnSurveys: true, Nav: nav}
	if v.params.Board {
		l.BoardRule = v.publication.Policy.Disclosure().Rule
		l.BoardPeriod = dashboards.PeriodName(v.publication.Period)
	}
	return l
}

// page adapts a page's handler: a problem the reader can put right (an
// address that names nothing, filters that do not fit the survey) is shown
// as a page saying what to do, with its status; other errors go through
// s.handle, which logs them and answers 500.
func (s *Server) page(h func(c *gin.Context) error) gin.HandlerFunc {
	return s.handle(func(c *gin.Context) error {
		err := h(c)
		var ue *analytics.ParamError
		switch {
		case err == nil:
			return nil
		case errors.Is(err, store.ErrNotFound):
			return s.render(c, http.StatusNotFound, "problem.html", &problemView{
				layout:  layout{Title: "Not found", AssetVersion: s.assetVersion},
				Heading: "Page not found",
				Message: "There is no survey, question or page at this address. It may have been renamed; start again from the list of surveys.",
			})
		case errors.As(err, &ue):
			return s.render(c, http.StatusUnprocessableEntity, "problem.html", &problemView{
				layout:  layout{Title: "These filters do not fit", AssetVersion: s.assetVersion},
				Heading: "These choices do not fit the survey",
				Message: plainMessage(ue),
				Back:    c.Request.URL.Path,
			})
		}
		return err
	})
}

// sentence starts a message with a capital, for a page.
func sentence(msg string) string {
	if r, size := utf8.DecodeRuneInString(msg); size > 0 {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	return msg
}

// problemView is a page that says what went wrong and what to do.
type problemView struct {
	layout
	Heading, Message string
	// Back is a link to the same page without its query, if any.
	Back string
}

// notFound answers an address that matches no route: JSON under /api/,
// a page elsewhere.
func (s *Server) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	c.Set(authzKey, true) // no route: no data to guard
	s.page(func(*gin.Context) error { return store.ErrNotFound })(c)
}
