package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// setupPreviewView shows the effect of a change before it is saved (the
// figure before and after, the answers a column becomes), then asks to
// confirm it with the same fields.
type setupPreviewView struct {
	layout
	Survey, Base, Label, Action string
	// Before and After are the question's figure, or a sentence saying
	// why there is none.
	Before, After string
	// Change says what the change does, in words.
	Change string
	// Values are the answers the column becomes a question or dimension
	// of, with how many responses gave each.
	Values []valueCount
	// ValueHead heads the second column of Values.
	ValueHead string
	More      bool
	Fields    []hidden
	// Options are the answers of a question whose polarity is being set;
	// Polarities the choices for each.
	Options []scaleOption
}

// valueCount is an answer and how many gave it, for people.
type valueCount struct{ Value, N string }

// scaleOption is one answer of a question and its polarity choices.
type scaleOption struct {
	Name, Label string
	Choices     []choice
}

// setupQuestion finds the question or dimension a set-up form names by its
// code field (or query parameter).
func (s *Server) setupQuestion(c *gin.Context, sv analytics.Survey, code string) (*analytics.Question, *analytics.Dimension, error) {
	qs, ds, err := s.store.Questions(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range qs {
		if qs[i].Code == code {
			return &qs[i], nil, nil
		}
	}
	for i := range ds {
		if ds[i].Code == code {
			return nil, &ds[i], nil
		}
	}
	return nil, nil, analytics.NotFound(fmt.Sprintf("survey %q has no column %q", sv.Name, code))
}

// changeColumn is POST /surveys/:slug/setup/column: fields code and kind.
// Without confirm=yes it shows the change's effect; with it, it saves it.
func (s *Server) changeColumn(c *gin.Context) error {
	ctx := c.Request.Context()
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	code := c.PostForm("code")
	q, d, err := s.setupQuestion(c, sv, code)
	if err != nil {
		return err
	}
	to, err := store.ParseColumnKind(c.PostForm("kind"))
	if err != nil {
		return s.setupRefused(c, err, "This kind of column is not one heard knows")
	}
	if c.PostForm("confirm") == "yes" {
		if err := s.store.SetColumnKind(ctx, sv.ID, code, to, actor(c)); err != nil {
			return s.setupRefused(c, err, "This column cannot be changed that way")
		}
		c.Redirect(http.StatusSeeOther, setupBase(sv)+"?done=column")
		return nil
	}
	vals, err := s.store.PreviewColumn(ctx, sv.ID, code, to)
	if err != nil {
		return s.setupRefused(c, err, "This column cannot be changed that way")
	}
	v := setupPreviewView{layout: s.setupLayout(sv, "Check the change"), Survey: sv.Name, Base: setupBase(sv),
		Action: setupBase(sv) + "/column", Fields: []hidden{{"code", code}, {"kind", string(to)}},
		Before: "no figure: it is not a question with a scale", ValueHead: "Responses"}
	if q != nil {
		v.Label = q.Text
		if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle {
			v.Before = s.headline(c, sv, *q)
		}
	} else {
		v.Label, v.Before = d.Name, "no figure: it is a dimension"
	}
	var total int64
	for i, val := range vals {
		total += val.N
		if i < 20 {
			v.Values = append(v.Values, valueCount{Value: val.Value, N: dashboards.Thousands(val.N)})
		}
	}
	v.More = len(vals) > 20
	switch to {
	case store.ColumnQuestion:
		v.Change = "It becomes a question whose options are the answers below. It has no figure until you say which answers count as positive."
		v.After = "no figure until you set which answers count as positive"
	case store.ColumnDimension:
		v.Change = "It becomes a dimension: the survey’s figures can be broken down and filtered by the groups below, and it appears on the equality page."
		v.After = "no figure: figures are broken down by it instead"
	case store.ColumnText:
		v.Change = "Its answers are kept as free text, shown to staff only on the comments page."
		v.After, v.Values = "no figure: free text is read, not counted", nil
	case store.ColumnIgnore:
		v.Change = fmt.Sprintf("Its answers (%s) are deleted and later files’ column of the same header is not read. This cannot be undone.",
			dashboards.Plural(int(total), "answer"))
		v.After, v.Values = "no figure: the column is not kept", nil
	}
	return s.render(c, http.StatusOK, "survey_setup_preview.html", &v)
}

// polarityChoices are the polarities an answer can take, p selected.
func polarityChoices(p analytics.Polarity) []choice {
	var out []choice
	for _, l := range [][2]string{
		{string(analytics.Positive), "Positive"}, {string(analytics.Neutral), "Neutral"},
		{string(analytics.Negative), "Negative"}, {string(analytics.Excluded), "Left out of the base"},
	} {
		out = append(out, choice{Value: l[0], Label: l[1], Selected: l[0] == string(p)})
	}
	return out
}

// scaleForm is GET /surveys/:slug/setup/scale?code=: a form setting which
// answers of a question count as positive.
func (s *Server) scaleForm(c *gin.Context) error {
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	q, _, err := s.setupQuestion(c, sv, c.Query("code"))
	if err != nil {
		return err
	}
	if q == nil || (q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle) {
		return s.refuse(c, "This column has no answers to count",
			"Only a question on a scale or with one answer from a list has answers that count as positive.")
	}
	v := setupPreviewView{layout: s.setupLayout(sv, "Which answers count as positive"), Survey: sv.Name,
		Base: setupBase(sv), Label: q.Text, Action: setupBase(sv) + "/scale", Fields: []hidden{{"code", q.Code}},
		Before: s.headline(c, sv, *q)}
	for i, o := range q.Options {
		v.Options = append(v.Options, scaleOption{Name: "p" + strconv.Itoa(i), Label: o.Label, Choices: polarityChoices(o.Polarity)})
	}
	return s.render(c, http.StatusOK, "survey_setup_scale.html", &v)
}

// setScale is POST /surveys/:slug/setup/scale: fields code and p0, p1...
// (each option's polarity). Without confirm=yes it shows the figure before
// and after; with it, it saves the polarities.
func (s *Server) setScale(c *gin.Context) error {
	sv, err := s.setupSurvey(c)
	if err != nil {
		return err
	}
	q, _, err := s.setupQuestion(c, sv, c.PostForm("code"))
	if err != nil {
		return err
	}
	if q == nil {
		return s.refuse(c, "This column has no answers to count", "A dimension has no answers that count as positive.")
	}
	polarity := make([]analytics.Polarity, len(q.Options))
	fields := []hidden{{"code", q.Code}}
	for i := range q.Options {
		name := "p" + strconv.Itoa(i)
		polarity[i] = analytics.Polarity(c.PostForm(name))
		fields = append(fields, hidden{name, c.PostForm(name)})
	}
	next, err := store.WithPolarity(*q, polarity)
	if err != nil {
		return s.setupRefused(c, err, "These choices cannot be saved")
	}
	if c.PostForm("confirm") == "yes" {
		if err := s.store.SetScale(c.Request.Context(), sv.ID, q.Code, polarity, actor(c)); err != nil {
			return s.setupRefused(c, err, "These choices cannot be saved")
		}
		c.Redirect(http.StatusSeeOther, setupBase(sv)+"?done=scale")
		return nil
	}
	v := setupPreviewView{layout: s.setupLayout(sv, "Check the change"), Survey: sv.Name, Base: setupBase(sv),
		Label: q.Text, Action: setupBase(sv) + "/scale", Fields: fields,
		Before: s.headline(c, sv, *q), After: s.headline(c, sv, next),
		ValueHead: "Counts as",
		Change:    "The question’s figure becomes the share of answers marked positive, out of every answer not left out of the base."}
	for _, o := range next.Options {
		v.Values = append(v.Values, valueCount{Value: o.Label, N: polarityWords[o.Polarity]})
	}
	return s.render(c, http.StatusOK, "survey_setup_preview.html", &v)
}

// polarityWords are the polarities for people.
var polarityWords = map[analytics.Polarity]string{
	analytics.Positive: "positive", analytics.Neutral: "neutral", analytics.Negative: "negative",
	analytics.Excluded: "left out of the base",
}
