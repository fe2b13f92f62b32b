package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// commentsPerPage is the number of comments a page of comments shows.
const commentsPerPage = 50

// commentsView is a page of a survey's free-text answers.
type commentsView struct {
	layout
	Survey string
	// Action is the page itself, where the filter form sends its query.
	Action    string
	Questions []choice
	From, To  string
	Where     []string
	// Several marks a survey with more than one text question, whose
	// comments say which question they answer.
	Several bool
	// NoText says the survey has no text question.
	NoText   bool
	Comments []commentRow
	// Total is the number of comments under the filters; First and Last
	// number the comments of this page.
	Total, First, Last string
	Newer, Older       string
	// Hidden says why no comment is shown in a board view.
	Hidden bool
}

// About reports whether any comment shown says something about its
// response: the column is left out when it would be empty in every row.
func (v commentsView) About() bool {
	for _, c := range v.Comments {
		if len(c.About) > 0 {
			return true
		}
	}
	return false
}

// commentRow is one comment as the page shows it.
type commentRow struct {
	Date, DateISO, Question, Text string
	About                         []string
}

// comments is GET /surveys/:slug/comments: the survey's free-text answers,
// newest first, 50 a page (?page=N), filtered by a text question
// (?question=CODE), dates (from, to) and column values (where=COLUMN=VALUE).
func (s *Server) comments(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	if err := s.mayReadComments(c, v.survey.ID); err != nil {
		return err
	}
	page := 1
	if text := strings.TrimSpace(c.Query("page")); text != "" {
		if page, err = strconv.Atoi(text); err != nil || page < 1 {
			return usageErrorf("page=%q is not a page number: follow the links to newer and older comments", text)
		}
	}
	code := strings.TrimSpace(v.query.Question)
	nav := v
	nav.query.Question = ""
	out := commentsView{layout: s.surveyLayout(nav, "Comments", "Comments"), Survey: v.survey.Name,
		Action: v.base() + "/comments", From: v.query.From, To: v.query.To, Where: v.query.Where}
	if v.params.Board {
		out.Hidden = true
		return s.render(c, http.StatusOK, "comments.html", &out)
	}
	p := v.params
	p.Question, p.By = "", nil
	r, err := report.Resolve(c.Request.Context(), s.store, p)
	if err != nil {
		return err
	}
	q := store.CommentQuery{From: r.Query().From, To: r.Query().To, Where: r.Query().Where, Limit: commentsPerPage,
		Offset: (page - 1) * commentsPerPage}
	if code != "" {
		question, err := r.Question("question", code)
		if err != nil {
			return err
		}
		if question.Kind != analytics.KindText {
			return usageErrorf("question %q is a %s question, not free text: choose one of the text questions", question.Code, kindName(question.Kind))
		}
		q.Question, code = question.ID, question.Code
	}
	texts := map[int64]string{}
	out.Questions = []choice{{Value: "", Label: "Every free-text question", Selected: code == ""}}
	for _, question := range r.Questions() {
		if question.Kind == analytics.KindText {
			texts[question.ID] = question.Text
			out.Questions = append(out.Questions, choice{Value: question.Code, Label: dashboards.OneLine(question.Text, 80), Selected: question.Code == code})
		}
	}
	out.NoText, out.Several = len(texts) == 0, len(texts) > 1 && code == ""
	list, total, err := s.store.Comments(c.Request.Context(), v.survey.ID, q)
	if err != nil {
		return err
	}
	if err := out.fill(list, texts, r.Dimensions()); err != nil {
		return err
	}
	out.pages(c.Request.URL.Query(), page, total, len(list))
	return s.render(c, http.StatusOK, "comments.html", &out)
}

// fill adds the comments of the page, with their dates in London and the
// response's dimension values.
func (out *commentsView) fill(list []store.Comment, texts map[int64]string, dims []analytics.Dimension) error {
	london, err := analytics.LoadLondon()
	if err != nil {
		return err
	}
	for _, cm := range list {
		row := commentRow{Date: "no date", Question: texts[cm.Question], Text: cm.Text}
		if !cm.Submitted.IsZero() {
			row.Date = dashboards.Date(cm.Submitted.In(london))
			row.DateISO = row.Date
		}
		for i, d := range dims {
			if i < len(cm.Dimensions) && cm.Dimensions[i] != "" {
				row.About = append(row.About, d.Name+": "+cm.Dimensions[i])
			}
		}
		out.Comments = append(out.Comments, row)
	}
	return nil
}

// pages numbers the page's comments and links the pages either side,
// keeping the query.
func (out *commentsView) pages(query url.Values, page, total, shown int) {
	out.Total = dashboards.Thousands(int64(total))
	if shown > 0 {
		first := (page-1)*commentsPerPage + 1
		out.First, out.Last = dashboards.Thousands(int64(first)), dashboards.Thousands(int64(first+shown-1))
	}
	at := func(n int) string {
		q := without(query, "page")
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return link(out.Action, q)
	}
	if page > 1 {
		out.Newer = at(min(page-1, max(1, (total+commentsPerPage-1)/commentsPerPage)))
	}
	if page*commentsPerPage < total {
		out.Older = at(page + 1)
	}
}

// commentFilters keeps, of a view's filters, those the comments page
// reads: the dates and the column values.
func commentFilters(f url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"from", "to", "where"} {
		if vs, ok := f[k]; ok {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}
