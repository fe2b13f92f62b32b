package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/dashboards"
)

// correctionForm corrects one comment's themes and sentiment. It opens in
// the comment's row of the comments page, one at a time, so that the page
// does not carry a form of every theme for every comment.
type correctionForm struct {
	// Action is where the form posts; ID the comment row's element id.
	Action, ID         string
	Response, Question int64
	Themes             []choice
	Sentiments         []choice
	// Back is the comments page's query to return to; Cancel the page
	// without the form.
	Back, Cancel string
}

// corrections links each comment of the page to its correction form and
// opens the form of the comment ?correct=RESPONSE-QUESTION names, offering
// the model's themes.
func (out *commentsView) corrections(query url.Values, modelThemes []string) {
	open := strings.TrimSpace(query.Get("correct"))
	back := without(query, "correct")
	for i := range out.Comments {
		row := &out.Comments[i]
		key := strings.TrimPrefix(row.ID, "c-")
		q := without(back)
		q.Set("correct", key)
		row.Correct = link(out.Action, q) + "#" + row.ID
		if key != open {
			continue
		}
		response, question, _ := strings.Cut(key, "-")
		f := &correctionForm{Action: out.Action + "/themes", ID: row.ID, Back: back.Encode(),
			Cancel: link(out.Action, back) + "#" + row.ID}
		f.Response, _ = strconv.ParseInt(response, 10, 64)
		f.Question, _ = strconv.ParseInt(question, 10, 64)
		for _, th := range modelThemes {
			f.Themes = append(f.Themes, choice{Value: th, Label: th, Selected: slices.Contains(row.Themes, th)})
		}
		for _, sn := range []string{themes.Positive, themes.Mixed, themes.Negative} {
			f.Sentiments = append(f.Sentiments, choice{Value: sn, Label: sentimentWord(sn), Selected: sentimentWord(sn) == row.Sentiment})
		}
		out.Correction = f
	}
}

// correctThemes is POST /surveys/:slug/comments/themes: fields response
// and question (the comment's ids), theme (each theme the comment is
// about, any number, all of the survey's model), sentiment (positive,
// mixed or negative) and back (the comments page's query to return to).
// An analyst may correct the comments of the surveys they may change; the
// correction is kept, marked on the page, and used when the council's
// model is trained again.
func (s *Server) correctThemes(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.store.SurveyBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, sv.ID); err != nil {
		return err
	}
	const heading = "These themes cannot be saved"
	response, rerr := strconv.ParseInt(strings.TrimSpace(c.PostForm("response")), 10, 64)
	question, qerr := strconv.ParseInt(strings.TrimSpace(c.PostForm("question")), 10, 64)
	if rerr != nil || qerr != nil || response <= 0 || question <= 0 {
		return s.refuse(c, heading, "The form does not say which comment it corrects. Go back to the comments page and open the comment's form again.")
	}
	model, err := s.store.SurveyThemeModel(ctx, sv.ID)
	if err != nil {
		return err
	}
	chosen := nonBlank(c.PostFormArray("theme"))
	for _, th := range chosen {
		if !slices.Contains(model.Themes, th) {
			return s.refuse(c, heading, "“"+th+"” is not one of the themes of this survey's model ("+model.Name+"). Go back and tick themes from the list.")
		}
	}
	sentiment, ok := themes.ParseSentiment(c.PostForm("sentiment"))
	if !ok {
		return s.refuse(c, heading, "Choose whether the comment is positive, mixed or negative. Go back and choose one.")
	}
	err = s.store.CorrectCommentThemes(ctx, sv.ID, response, question, chosen, sentiment, actor(c))
	if errors.Is(err, store.ErrNotFound) {
		return s.refuse(c, heading, "That comment is no longer there: its import may have been deleted. Go back to the comments page.")
	}
	if err != nil {
		return err
	}
	back, _ := url.ParseQuery(c.PostForm("back"))
	to := link(surveyView{survey: sv}.base()+"/comments", without(back, "correct"))
	c.Redirect(http.StatusSeeOther, to+"#"+commentID(response, question))
	return nil
}

// themeFilters reads the theme and sentiment the request asks for (theme=,
// sentiment=), checked against the survey's theme model, and fills the
// form's choices.
func (out *commentsView) themeFilters(c *gin.Context, model store.ThemeModelInfo) (theme, sentiment string, err error) {
	theme, sentiment = strings.TrimSpace(c.Query("theme")), strings.ToLower(strings.TrimSpace(c.Query("sentiment")))
	out.Model = model.Name
	out.Themes = []choice{{Value: "", Label: "Any theme", Selected: theme == ""}}
	found := theme == ""
	for _, th := range model.Themes {
		on := strings.EqualFold(th, theme)
		if on {
			theme, found = th, true
		}
		out.Themes = append(out.Themes, choice{Value: th, Label: th, Selected: on})
	}
	switch {
	case !found && model.Name == "":
		return "", "", usageErrorf("theme=%q: no comment of this survey has had its themes worked out yet, so there is no theme to choose; try again in a few minutes", theme)
	case !found:
		return "", "", usageErrorf("theme=%q is not one of the themes of this survey's model (%s): choose a theme from the list on the comments page", theme, model.Name)
	}
	out.Sentiments = []choice{{Value: "", Label: "Any sentiment", Selected: sentiment == ""}}
	for _, sn := range []string{themes.Positive, themes.Mixed, themes.Negative} {
		out.Sentiments = append(out.Sentiments, choice{Value: sn, Label: sentimentWord(sn), Selected: sn == sentiment})
	}
	if sentiment != "" && sentiment != themes.Positive && sentiment != themes.Mixed && sentiment != themes.Negative {
		return "", "", usageErrorf("sentiment=%q is not a sentiment: choose positive, mixed or negative, or leave it out", sentiment)
	}
	return theme, sentiment, nil
}

// sentimentWord is a sentiment as a page shows it: "Positive".
func sentimentWord(s string) string {
	switch s {
	case themes.Positive:
		return "Positive"
	case themes.Mixed:
		return "Mixed"
	case themes.Negative:
		return "Negative"
	}
	return s
}

// progressText says how far the themes have been worked out ("Themes
// worked out for 1,200 of 5,000 comments so far."), or "" when they all
// have.
func progressText(classified, total int64) string {
	if classified >= total {
		return ""
	}
	return "Themes worked out for " + dashboards.Thousands(classified) + " of " + pluralOf(total, "comment") + " so far."
}
