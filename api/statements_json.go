package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// StatementsJSON is a survey's results by statement for one framework: the
// JSON at /api/v1/surveys/{slug}/statements, and what the page, its CSV
// and its workbook show. Each tagged question keeps its own figure: there
// is no composite score for a statement.
type StatementsJSON struct {
	Survey    string        `json:"survey"`
	Slug      string        `json:"slug"`
	Framework FrameworkJSON `json:"framework"`
	// Period is the kind of period of the figures; PeriodKey the one they
	// are for (chosen as on the dashboard: the latest complete period with
	// enough answers), "" when the survey has no figure; PeriodNote says
	// why it is not the latest.
	Period      analytics.PeriodKind `json:"period"`
	PeriodKey   string               `json:"period_key"`
	PeriodLabel string               `json:"period_label"`
	PeriodNote  string               `json:"period_note,omitempty"`
	Confidence  float64              `json:"confidence"`
	// Board marks figures under the survey's board disclosure policy.
	Board      bool                  `json:"board"`
	Disclosure *analytics.Disclosure `json:"disclosure,omitempty"`
	Statements []StatementResultJSON `json:"statements"`
}

// FrameworkJSON names the framework of a StatementsJSON.
type FrameworkJSON struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	BuiltIn bool   `json:"built_in"`
}

// StatementResultJSON is one statement with what speaks to it.
type StatementResultJSON struct {
	ID        string `json:"id"`
	Theme     string `json:"theme"`
	Statement string `json:"statement"`
	Parent    string `json:"parent,omitempty"`
	// Questions are the questions tagged with the statement, or with a
	// statement of another framework that refines it (Via), in the
	// survey's order.
	Questions []StatementQuestionJSON `json:"questions"`
	// CommentThemes are the comment themes tagged with it.
	CommentThemes []StatementThemeJSON `json:"comment_themes"`
	// Actions are the "you said, we did" actions that speak to the
	// statement, filled by addStatementActions.
	Actions []StatementActionJSON `json:"actions"`
}

// StatementQuestionJSON is a tagged question's figure for the period of
// the results, with its change from the period before. Figures a board
// may not see are null, with Suppressed set.
type StatementQuestionJSON struct {
	Code string `json:"code"`
	Text string `json:"text"`
	// Via is the statement of another framework, refining this one, that
	// the question is tagged with; "" when tagged with this one.
	Via        string            `json:"via,omitempty"`
	Metric     string            `json:"metric,omitempty"`
	Measure    analytics.Measure `json:"measure,omitempty"`
	Period     string            `json:"period,omitempty"`
	Suppressed bool              `json:"suppressed"`
	N          *int64            `json:"n"`
	Positive   *int64            `json:"positive"`
	Rate       *float64          `json:"rate"`
	CILow      *float64          `json:"ci_low"`
	CIHigh     *float64          `json:"ci_high"`
	// Change is the change from the period before in words, as the page
	// says it ("▲ up 6.2 points", "no significant change", "not tested");
	// "" when there is nothing to compare with. ChangeP is its p-value and
	// Previous the figure it was compared with.
	Change  string   `json:"change"`
	ChangeP *float64 `json:"change_p"`
	// Significant says whether the change is larger than chance would
	// explain at the results' confidence; null when it was not tested.
	Significant *bool           `json:"significant"`
	Previous    *PreviousFigure `json:"previous"`
	// Note says why there is no figure.
	Note string `json:"note,omitempty"`
}

// PreviousFigure is the figure a change is measured from.
type PreviousFigure struct {
	Period string   `json:"period"`
	N      *int64   `json:"n"`
	Rate   *float64 `json:"rate"`
}

// StatementThemeJSON is a comment theme tagged with a statement: the theme
// model's name and the theme's.
type StatementThemeJSON struct {
	Model string `json:"model"`
	Theme string `json:"theme"`
}

// StatementActionJSON is a "you said, we did" action that speaks to a
// statement, as addStatementActions finds it.
type StatementActionJSON struct {
	ID int64 `json:"id"`
	// Question is the code of the question the action answers, "" for
	// none.
	Question string `json:"question"`
	Said     string `json:"said"`
	Did      string `json:"did"`
	Done     string `json:"done"`
	Status   string `json:"status"`
	// Effect is the verdict on its measured effect and EffectSentence says
	// it in words, as the actions page does.
	Effect         string `json:"effect"`
	EffectSentence string `json:"effect_sentence"`
}

// writeStatementsCSV writes the results in a long layout: one line per
// tag of each statement (a question with its figure, or a comment theme),
// and a line for each statement without any; figures and intervals as the
// trend CSV writes them (a share as a percentage without its sign), text
// made safe for spreadsheets.
func writeStatementsCSV(r StatementsJSON) ([]byte, error) {
	var buf bytes.Buffer
	cw := dashboards.NewCSV(&buf)
	cw.Header("survey", "framework", "statement_id", "theme", "statement", "tagged", "question", "question_text", "via",
		"metric", "period", "n", "positive", "rate", "ci_low", "ci_high", "suppressed", "change", "change_p", "theme_model", "comment_theme")
	for _, st := range r.Statements {
		start := func(tagged string) {
			cw.Text(r.Survey)
			cw.Num(r.Framework.Name)
			cw.Text(st.ID, st.Theme, st.Statement)
			cw.Num(tagged)
		}
		if len(st.Questions) == 0 && len(st.CommentThemes) == 0 {
			start("")
			cw.Num("", "", "", "", "", "", "", "", "", "", "false", "", "", "", "")
			cw.End()
		}
		for _, q := range st.Questions {
			start("question")
			cw.Text(q.Code, q.Text, q.Via, q.Metric)
			cw.Num(q.Period, dashboards.IntCell(q.N), dashboards.IntCell(q.Positive), rateCell(q.Measure, q.Rate),
				rateCell(q.Measure, q.CILow), rateCell(q.Measure, q.CIHigh), strconv.FormatBool(q.Suppressed))
			cw.Text(q.Change)
			cw.Num(dashboards.FloatCell(q.ChangeP, 6), "", "")
			cw.End()
		}
		for _, th := range st.CommentThemes {
			start("comment theme")
			cw.Num("", "", "", "", "", "", "", "", "", "", "false", "", "")
			cw.Text(th.Model, th.Theme)
			cw.End()
		}
	}
	err := cw.Flush()
	return buf.Bytes(), err
}

// rateCell writes a figure as the CSV's rate: a share as a fraction.
func rateCell(m analytics.Measure, v *float64) string {
	if v == nil {
		return ""
	}
	return dashboards.Value(m, *v, true)
}

// apiStatements is GET /api/v1/surveys/:slug/statements?framework=NAME:
// the results by statement as JSON, under the board's disclosure policy
// for a board account.
func (s *Server) apiStatements(c *gin.Context) error {
	r, err := s.requestStatements(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

// apiStatementsCSV is GET /api/v1/surveys/:slug/statements.csv: the same
// as a CSV download.
func (s *Server) apiStatementsCSV(c *gin.Context) error {
	r, err := s.requestStatements(c)
	if err != nil {
		return err
	}
	body, err := writeStatementsCSV(r)
	if err != nil {
		return err
	}
	attach(c, r.Slug+"-statements-"+r.Framework.Name+".csv")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", body)
	return nil
}

// requestStatements reads the request's survey, view and framework and
// works out the results.
func (s *Server) requestStatements(c *gin.Context) (StatementsJSON, error) {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return StatementsJSON{}, err
	}
	res, err := s.statementResults(c.Request.Context(), v, c.Query("framework"), "")
	return res.json, err
}
