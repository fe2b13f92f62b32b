package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// questionStatement is a statement a question is tagged with, as its page
// lists it.
type questionStatement struct {
	Ref, Theme, Text, Framework string
	// Results links the statement on the survey's results by statement.
	Results string
}

// tagForm lets an account that may change a survey tag a question with a
// statement, or remove a tag (one small form per tag).
type tagForm struct {
	Action string
	Groups []choiceGroup
}

// choiceGroup is a labelled group of a select's options.
type choiceGroup struct {
	Label   string
	Choices []choice
}

// addQuestionStatements lists the statements question code of the view's
// survey is tagged with and, for an account that may change the survey,
// the form to tag it.
func (s *Server) addQuestionStatements(c *gin.Context, v surveyView, qv *questionView) error {
	ctx := c.Request.Context()
	tags, err := s.store.StatementTags(ctx, v.survey.ID)
	if err != nil {
		return err
	}
	frameworks, err := s.store.Frameworks(ctx)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, f := range frameworks {
		titles[f.Name] = f.Title
	}
	tagged := map[analytics.StatementRef]bool{}
	for _, t := range tags {
		if t.Question != qv.Code {
			continue
		}
		st, err := analytics.FindStatement(frameworks, t.Statement)
		if err != nil {
			continue // a statement no longer there: the store keeps none
		}
		tagged[t.Statement] = true
		q := url.Values{"framework": {t.Statement.Framework}}
		qv.Statements = append(qv.Statements, questionStatement{Ref: t.Statement.String(), Theme: st.Theme, Text: st.Text,
			Framework: titles[t.Statement.Framework], Results: link(v.base()+"/statements", q)})
	}
	if v.params.Board {
		return nil
	}
	can, err := s.canChangeSurvey(c, v.survey.ID)
	if err != nil || !can {
		return err
	}
	form := &tagForm{Action: v.base() + "/questions/" + url.PathEscape(qv.Code) + "/statements"}
	for _, f := range frameworks {
		g := choiceGroup{Label: f.Title}
		for _, st := range f.Statements {
			ref := analytics.StatementRef{Framework: f.Name, ID: st.ID}
			if !tagged[ref] {
				g.Choices = append(g.Choices, choice{Value: ref.String(), Label: dashboards.OneLine(st.Theme+": "+st.Text, 90)})
			}
		}
		if len(g.Choices) > 0 {
			form.Groups = append(form.Groups, g)
		}
	}
	qv.TagForm = form
	return nil
}

// tagQuestion is POST /surveys/:slug/questions/:code/statements: field
// statement (FRAMEWORK:ID) tags the question with it, or removes the tag
// when field remove is set. An analyst may tag the questions of the
// surveys they are members of.
func (s *Server) tagQuestion(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.store.SurveyBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, sv.ID); err != nil {
		return err
	}
	qs, _, err := s.store.Questions(ctx, sv.ID)
	if err != nil {
		return err
	}
	code := c.Param("code")
	found := false
	for _, q := range qs {
		found = found || q.Code == code
	}
	if !found {
		return store.ErrNotFound
	}
	const heading = "This tag cannot be changed"
	ref, err := analytics.ParseStatementRef(c.PostForm("statement"))
	if err != nil {
		return s.refuse(c, heading, sentence(err.Error())+". Go back to the question and choose a statement from the list.")
	}
	t := analytics.StatementTag{Question: code, Statement: ref}
	if on, _ := flagValue("remove", c.PostForm("remove")); on {
		err = s.store.Untag(ctx, sv.ID, t, actor(c))
	} else {
		_, err = s.store.Tag(ctx, sv.ID, t, actor(c))
	}
	if errors.Is(err, store.ErrNotFound) {
		return s.refuse(c, heading, sentence(strings.TrimSuffix(err.Error(), "."))+". Go back to the question and try again.")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(sv.Slug)+"/questions/"+url.PathEscape(code)+"#statements")
	return nil
}
