package api

import (
	"context"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// surveyHome is a survey's first page: the board's own dashboard for a
// board account, the analysts' dashboard for everyone else.
func (s *Server) surveyHome(c *gin.Context) error {
	if isBoard(c) {
		return s.showView("board.html", s.boardPage)(c)
	}
	return s.showView("dashboard.html", s.dashboardPage)(c)
}

// surveyHomeWorkbook is the workbook of the page surveyHome shows.
func (s *Server) surveyHomeWorkbook(c *gin.Context) error {
	if isBoard(c) {
		return s.sendView(s.boardPage)(c)
	}
	return s.sendView(s.dashboardPage)(c)
}

// boardView is the board's dashboard: the survey's publication in plain
// words, with nothing a board member cannot use (no form, no choice that
// the publication would ignore, no link to a page the board may not open).
type boardView struct {
	layout
	Survey   string
	Headline *boardHeadline
	Rows     []boardRow
	Skipped  []skippedRow
	// Empty says why there is nothing to show.
	Empty string
	// PeriodNote says why the figures are not for the latest period, or
	// is empty.
	PeriodNote string
	// Level is the intervals' confidence level: "95%".
	Level                      string
	XLSX, TrendsZip, Downloads string
	// Pack is the address of the survey's board pack, to print.
	Pack string
	// Beside puts the headline beside the national figures, when a council
	// is chosen and they are loaded.
	Beside *besideView
	tables []dashboards.Table
}

// boardHeadline is the board's main figure, said in a sentence.
type boardHeadline struct {
	Text, Link, Metric string
	// Sentence is the figure in words: "About 8 in 10 people (77.3%, 207
	// answers) were satisfied in March 2025."
	Sentence string
	Figure   figureView
	Change   string
	Trend    *dashboards.Chart
}

// boardRow is one scale question of the board's dashboard.
type boardRow struct {
	Text, Link, Metric string
	Figure             figureView
	// Words is the figure as a natural frequency: "about 8 in 10".
	Words  string
	Change string
	Spark  *dashboards.Chart
}

// boardPage is the builder of the board's dashboard.
func (s *Server) boardPage(c *gin.Context, v surveyView) (pageData, []dashboards.Table, string, error) {
	b, err := s.buildBoard(c.Request.Context(), v)
	return &b, b.tables, v.survey.Slug + "-dashboard.xlsx", err
}

// buildBoard makes the board's dashboard from the survey's publication:
// one report per scale question, the headline chosen as on the analysts'
// dashboard.
func (s *Server) buildBoard(ctx context.Context, v surveyView) (boardView, error) {
	f := v.query.filters()
	api := "/api/v1/surveys/" + url.PathEscape(v.survey.Slug)
	b := boardView{layout: s.surveyLayout(v, "Dashboard", "Dashboard"), Survey: v.survey.Name,
		Level: dashboards.Confidence(v.params.Confidence), XLSX: link(v.base()+"/dashboard.xlsx", f),
		TrendsZip: api + "/trends.zip", Downloads: link(v.base()+"/downloads", f),
		Pack: v.base() + "/board-pack"}
	b.Charts = true
	fig, err := s.boardFigures(ctx, v, "")
	if err != nil {
		return boardView{}, err
	}
	for _, sk := range fig.all.Skipped {
		b.Skipped = append(b.Skipped, skippedRow{Text: fig.texts[sk.Question], Link: fig.questionLink(sk.Question), Reason: sentence(sk.Reason)})
	}
	if len(fig.all.Reports) == 0 {
		b.Empty = "This survey has no scale question with a figure to publish yet."
		return b, nil
	}
	b.Level = dashboards.Confidence(fig.all.Reports[0].Confidence)
	b.PeriodNote = fig.period.Note
	for _, rep := range fig.all.Reports {
		row, err := newBoardRow(rep, fig.questionLink(rep.Question), fig.period.Key, false)
		if err != nil {
			return boardView{}, err
		}
		b.Rows = append(b.Rows, row)
	}
	top := fig.all.Reports[fig.headline]
	marks, err := action.Marks(ctx, s.store, v.survey.ID, top.Question, action.Board)
	if err != nil {
		return boardView{}, err
	}
	if b.Headline, err = newBoardHeadline(top, fig.questionLink(top.Question), fig.period.Key, marks, false); err != nil {
		return boardView{}, err
	}
	if b.Headline.Trend != nil {
		b.tables = append(b.tables, b.Headline.Trend.Table)
	}
	b.tables = append(b.tables, boardQuestionsTable(fig.all.Reports, fig.period.Key))
	beside, ok, err := s.besideHeadline(ctx, b.Headline.Figure, top)
	if err != nil {
		return boardView{}, err
	}
	if ok {
		b.Beside = &beside
		b.tables = append(b.tables, beside.Table())
	}
	return b, nil
}

// boardFigures is what the board's dashboard and its pack are made of:
// the survey's publication, one report per scale question, the headline
// question and the period the figures are given for.
type boardFigures struct {
	all report.SurveyReports
	// headline is the index in all.Reports of the question the figures
	// lead with; 0 when there is no report.
	headline int
	// period is the period of the figures: the one asked for, or the
	// dashboard's choice (chooseHeadlinePeriod).
	period headlinePeriod
	// lastDay is the day of the survey's latest response.
	lastDay string
	// texts are the questions' words by code.
	texts        map[string]string
	questionLink func(code string) string
}

// boardFigures reads the board's figures of the survey of v (a board view:
// v.params are the publication's) for the period key, or for the period
// the board's dashboard chooses when key is "": the headline question's
// latest complete period with an adequate base, judged from the published
// rows alone, so that a hidden period's base counts as too small.
func (s *Server) boardFigures(ctx context.Context, v surveyView, key string) (boardFigures, error) {
	p := v.params
	p.Question, p.By = "", nil
	all, err := s.surveyReports(ctx, v.survey, p)
	if err != nil {
		return boardFigures{}, err
	}
	qs, _, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return boardFigures{}, err
	}
	f := v.query.filters()
	fig := boardFigures{all: all, texts: map[string]string{}, questionLink: func(code string) string {
		return link(v.base()+"/questions/"+url.PathEscape(code), without(f, "question"))
	}}
	for _, q := range qs {
		fig.texts[q.Code] = q.Text
	}
	if len(all.Reports) == 0 {
		fig.period.Key = key
		return fig, nil
	}
	saved, err := s.store.HeadlineQuestion(ctx, v.survey.ID)
	if err != nil {
		return boardFigures{}, err
	}
	if fig.headline, err = pickHeadline(all.Reports, headlineCode(all.Reports, v.query.Question, saved)); err != nil {
		return boardFigures{}, err
	}
	if _, fig.lastDay, err = s.surveyDays(ctx, v.survey); err != nil {
		return boardFigures{}, err
	}
	if key != "" {
		fig.period.Key = key
		return fig, nil
	}
	top := all.Reports[fig.headline]
	fig.period = chooseHeadlinePeriod(top, dataEnd(fig.lastDay, v.query.To), top.Disclosure.WithDefaults().MinBase)
	return fig, nil
}

// newBoardHeadline is the board's main figure for period (the latest when
// ""), in a sentence and a chart marking the actions of marks; print
// draws the chart for paper.
func newBoardHeadline(rep report.JSON, href, period string, marks []dashboards.Mark, print bool) (*boardHeadline, error) {
	h := &boardHeadline{Text: rep.QuestionText, Link: href, Metric: rep.Metric.Name}
	h.Figure, _ = figureFor(rep, period)
	if row, ok := rowAt(rep, period); ok {
		h.Change, _ = changeOf(rep, row)
	}
	h.Sentence = figureSentence(rep, period)
	if len(rep.Rows) == 0 {
		return h, nil
	}
	trend, err := dashboards.TrendChart(rep.Domain(), analytics.AllGroup,
		dashboards.Labels{ID: "chart-trend", Subject: rep.QuestionText, Source: rep.Survey, Made: time.Now(), Marks: marks, Print: print})
	h.Trend = &trend
	return h, err
}

// figureSentence says the figure of rep for period (the latest when "")
// in a sentence, or why there is none.
func figureSentence(rep report.JSON, period string) string {
	latest, ok := rowAt(rep, period)
	if !ok {
		return "No one has answered this question yet."
	}
	label := dashboards.PeriodLabel(rep.Period, latest.Period)
	if latest.Suppressed || latest.Rate == nil || latest.N == nil {
		return "The figure for " + label + " is not shown: too few people answered to publish it without pointing at someone."
	}
	return dashboards.HeadlineSentence(rep.Metric.Measure, rep.Metric.Positive, *latest.Rate, *latest.N, label)
}

// newBoardRow is a question's row: its figure for period (the latest
// when "") in numbers and words, its change and its trend; print draws the
// trend for paper.
func newBoardRow(rep report.JSON, href, period string, print bool) (boardRow, error) {
	row := boardRow{Text: rep.QuestionText, Link: href, Metric: rep.Metric.Name}
	row.Figure, row.Change = figureFor(rep, period)
	if latest, ok := rowAt(rep, period); ok && row.Figure.Shown && latest.Rate != nil &&
		(rep.Metric.Measure == "" || rep.Metric.Measure == analytics.MeasureShare) {
		row.Words = dashboards.NaturalFrequency(*latest.Rate)
	}
	if len(rep.Rows) == 0 {
		return row, nil
	}
	spark, err := dashboards.Sparkline(rep.Domain(), analytics.AllGroup,
		dashboards.Labels{ID: "spark-" + rep.Question, Subject: rep.QuestionText, Print: print})
	row.Spark = &spark
	return row, err
}

// boardQuestionsTable is the board's table of questions, for its
// workbook: each question by its words, never its code.
func boardQuestionsTable(reports []report.JSON, period string) dashboards.Table {
	t := dashboards.Table{Name: "Questions",
		Caption: "The figure of each scale question for the same period as the headline, with its confidence interval, base and change from the period before",
		Columns: []string{"Question", "Figure", "Period", "Value", "Lower limit", "Upper limit", "Base (n)", "In words", "Change"}}
	for _, rep := range reports {
		row := []dashboards.Cell{textCell(rep.QuestionText), textCell(rep.Metric.Name)}
		latest, ok := rowAt(rep, period)
		if !ok {
			t.Rows = append(t.Rows, append(row, textCell(""), textCell("no answers")))
			continue
		}
		m := rep.Metric.Measure
		_, short := changeOf(rep, latest)
		row = append(row, textCell(dashboards.PeriodLabel(rep.Period, latest.Period)))
		if latest.Suppressed || latest.Rate == nil {
			row = append(row, textCell("–"), textCell("–"), textCell("–"), textCell("–"), textCell(""), textCell(short))
		} else {
			words := ""
			if m == "" || m == analytics.MeasureShare {
				words = dashboards.NaturalFrequency(*latest.Rate)
			}
			row = append(row, dashboards.ValueCell(m, latest.Rate), dashboards.ValueCell(m, latest.CILow),
				dashboards.ValueCell(m, latest.CIHigh), dashboards.CountCell(latest.N), textCell(words), textCell(short))
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = []string{"– means the figure is not shown: too few answers to publish."}
	return t
}

// Board reports whether the account is a board member's, whose pages
// offer no form but signing out and link only what the board may open.
func (a signedInAccount) Board() bool { return a.Role == analytics.RoleBoard }
