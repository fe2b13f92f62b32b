package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/redact"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers"
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
	// Themes and Sentiments are the filter form's choices of theme and
	// sentiment; Model names the survey's theme model.
	Themes, Sentiments []choice
	Model              string
	From, To           string
	Where              []string
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
	// Redacted says the comments are shown with their personal details
	// replaced ("[name]"): the account lacks the personal-data right.
	Redacted bool
	// Progress says how far the themes have been worked out while some
	// comments still wait: "Themes worked out for 1,200 of 5,000 comments
	// so far."
	Progress string
	// Correction is the form correcting one comment's themes, opened from
	// its row (?correct=RESPONSE-QUESTION), for an account that may change
	// the survey.
	Correction *correctionForm
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
	// ID is the row's element id, "c-RESPONSE-QUESTION".
	ID                            string
	Date, DateISO, Question, Text string
	About                         []string
	// Themes and Sentiment are what the comment is about and its tone,
	// as the model worked them out or an analyst corrected them
	// (Corrected), once the comment is Classified; Sentiment is "" for a
	// model without sentiment.
	Themes     []string
	Sentiment  string
	Corrected  bool
	Classified bool
	// Correct links the form that corrects the comment's themes, for an
	// account that may change the survey.
	Correct string
}

// comments is GET /surveys/:slug/comments: the survey's free-text answers,
// newest first, 50 a page (?page=N), filtered by a text question
// (?question=CODE), dates (from, to), column values (where=COLUMN=VALUE),
// a theme of the survey's model (theme=NAME) and a sentiment
// (sentiment=positive|mixed|negative). Each comment shows its themes and
// sentiment; personal details are redacted for an account without the
// personal-data right.
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
	ctx := c.Request.Context()
	p := v.params
	p.Question, p.By = "", nil
	r, err := report.Resolve(ctx, s.store, p)
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
	model, classified, all, err := report.ThemeModel(ctx, s.store, v.survey.ID)
	if err != nil {
		return err
	}
	out.Progress = progressText(classified, all)
	if q.Theme, q.Sentiment, err = out.themeFilters(c, model); err != nil {
		return err
	}
	texts := map[int64]analytics.Question{}
	out.Questions = []choice{{Value: "", Label: "Every free-text question", Selected: code == ""}}
	for _, question := range r.Questions() {
		if question.Kind == analytics.KindText {
			texts[question.ID] = question
			out.Questions = append(out.Questions, choice{Value: question.Code, Label: dashboards.OneLine(question.Text, 80), Selected: question.Code == code})
		}
	}
	out.NoText, out.Several = len(texts) == 0, len(texts) > 1 && code == ""
	list, total, err := s.store.Comments(ctx, v.survey.ID, q)
	if err != nil {
		return err
	}
	personal, err := s.mayReadPersonal(c, v.survey.ID)
	if err != nil {
		return err
	}
	mayCorrect, err := s.mayChangeSurvey(c, v.survey.ID)
	if err != nil {
		return err
	}
	out.Redacted = !personal
	if err := out.fill(list, texts, r.Dimensions(), personal); err != nil {
		return err
	}
	if mayCorrect && model.Name != "" {
		out.corrections(c.Request.URL.Query(), model.Themes)
	}
	out.pages(c.Request.URL.Query(), page, total, len(list))
	return s.render(c, http.StatusOK, "comments.html", &out)
}

// fill adds the comments of the page, with their dates in London and the
// response's dimension values; without the personal-data right
// (personal false) each text is redacted.
func (out *commentsView) fill(list []store.Comment, texts map[int64]analytics.Question, dims []analytics.Dimension, personal bool) error {
	london, err := analytics.LoadLondon()
	if err != nil {
		return err
	}
	for _, cm := range list {
		question := texts[cm.Question]
		row := commentRow{ID: commentID(cm.ResponseID, cm.Question), Date: "no date", Question: question.Text,
			Text: commentText(cm.Text, question, personal), Themes: cm.Themes, Sentiment: sentimentWord(cm.Sentiment),
			Corrected: cm.Corrected, Classified: cm.Themes != nil}
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

// commentText is a comment as an account sees it: as written with the
// personal-data right; otherwise redacted (analytics/redact), and withheld
// whole when its question is a kept name or email column, whose answers
// are personal details through and through.
func commentText(text string, q analytics.Question, personal bool) string {
	switch {
	case personal:
		return text
	case importers.NameOrEmail(q.Text):
		return "[withheld: a name or email address]"
	}
	return redact.Text(text)
}

// commentID is the element id of a comment's row: "c-RESPONSE-QUESTION".
func commentID(response, question int64) string {
	return "c-" + strconv.FormatInt(response, 10) + "-" + strconv.FormatInt(question, 10)
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
