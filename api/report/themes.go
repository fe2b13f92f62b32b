package report

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// ThemesJSON is the themes of a survey's comments as the API returns them:
// for each period, group and theme, the comments mentioning the theme out
// of the comments that say something, with the share's interval and its
// change from the period before. In a board report the figures obey the
// survey's disclosure policy and say nothing of the comments themselves.
type ThemesJSON struct {
	Survey string `json:"survey"`
	// Question is the text question's code, "" for every text question
	// together; QuestionText its words.
	Question     string               `json:"question"`
	QuestionText string               `json:"question_text"`
	Model        string               `json:"model"`
	Period       analytics.PeriodKind `json:"period"`
	By           []string             `json:"by"`
	From         string               `json:"from,omitempty"`
	To           string               `json:"to,omitempty"`
	Where        []string             `json:"where"`
	Confidence   float64              `json:"confidence"`
	Board        bool                 `json:"board"`
	Disclosure   analytics.Disclosure `json:"disclosure"`
	// Themes are the model's themes, in its order.
	Themes []string `json:"themes"`
	// Classified and Comments say how many of the survey's comments have
	// had their themes worked out so far; staff only (absent for the
	// board).
	Classified *int64         `json:"classified,omitempty"`
	Comments   *int64         `json:"comments,omitempty"`
	Rows       []ThemeRowJSON `json:"rows"`
}

// ThemeRowJSON is one theme's figure in one period and group. Comments,
// Base, Share and the interval are null when the figure is suppressed.
type ThemeRowJSON struct {
	Period string `json:"period"`
	// Group is the breakdown's value, "" for all responses.
	Group string `json:"group"`
	Theme string `json:"theme"`
	// Comments mention the theme, of Base comments that say something.
	Comments *int64 `json:"comments"`
	Base     *int64 `json:"base"`
	// Share is Comments / Base, from 0 to 1, with its Wilson interval.
	Share      *float64 `json:"share"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	Suppressed bool     `json:"suppressed"`
	// ChangeP is the p-value of the two-proportion z test against the
	// same group's share in the period before; Change says it in words:
	// "up", "down", "no significant change", or "" when not tested.
	ChangeP *float64 `json:"change_p"`
	Change  string   `json:"change"`
}

// ThemeFigures are the theme figures of a request: the JSON, and the same
// figures as one analytics report per theme for the charts.
type ThemeFigures struct {
	JSON ThemesJSON
	// Reports hold one report per theme of JSON.Themes.
	Reports []analytics.Report
	// Question is the text question asked for; zero for every one.
	Question analytics.Question
	// Texts are the survey's text questions; Dimensions its dimensions.
	Texts      []analytics.Question
	Dimensions []analytics.Dimension
}

// Themes makes the theme figures p asks for: p.Question names a text
// question ("" for all of them together; a board report takes the first
// when none is named, so that its figures never add up across questions),
// and p.By one dimension at most. The period, dates, filters and board
// rules are a report's (see BoardParams).
func Themes(ctx context.Context, st *store.Store, p Params) (ThemeFigures, error) {
	r, err := newReporter(ctx, st, p)
	if err != nil {
		return ThemeFigures{}, err
	}
	sv := r.cols.survey
	out := ThemeFigures{Dimensions: r.cols.dimensions}
	for _, q := range r.cols.questions {
		if q.Kind == analytics.KindText {
			out.Texts = append(out.Texts, q)
		}
	}
	if p.Question != "" {
		q, err := r.cols.findQuestion("question", p.Question)
		if err != nil {
			return ThemeFigures{}, err
		}
		if q.Kind != analytics.KindText {
			return ThemeFigures{}, usageErrorf("{question} %q is not a free-text question: themes are worked out for comments, so choose one of the free-text questions", q.Code)
		}
		out.Question = q
	} else if r.params.Board && len(out.Texts) > 0 {
		out.Question = out.Texts[0]
	}
	var by int64
	if len(r.query.By) > 1 {
		return ThemeFigures{}, usageErrorf("{by}: the themes are broken down by one column at a time")
	}
	if len(r.query.By) == 1 {
		if r.query.By[0].Dimension == 0 {
			return ThemeFigures{}, usageErrorf("{by} %q is a question: the themes are broken down by a column that describes people, such as a team or an age band", r.byCodes[0])
		}
		by = r.query.By[0].Dimension
	}
	model, classified, total, err := ThemeModel(ctx, st, sv.ID)
	if err != nil {
		return ThemeFigures{}, err
	}
	j := ThemesJSON{Survey: sv.Name, Question: out.Question.Code, QuestionText: out.Question.Text, Model: model.Name,
		Period: r.opts.Period, By: r.byCodes, From: r.query.From, To: r.query.To, Where: r.where,
		Confidence: r.opts.Confidence, Board: r.opts.Board, Disclosure: r.opts.Disclosure, Themes: model.Themes,
		Rows: []ThemeRowJSON{}}
	if j.Themes == nil {
		j.Themes = []string{}
	}
	if len(out.Texts) == 0 {
		out.JSON = j
		return out, nil
	}
	// Counted by month, which ThemeShares adds up into the period asked
	// for; the period "all" as itself, which holds the undated comments.
	kind := analytics.PeriodMonth
	if r.opts.Period == analytics.PeriodAll {
		kind = analytics.PeriodAll
	}
	counts, err := st.ThemeCounts(ctx, sv.ID, store.ThemeCountQuery{Question: out.Question.ID, From: r.query.From,
		To: r.query.To, Where: r.query.Where, Period: kind, By: by})
	if err != nil {
		return ThemeFigures{}, err
	}
	var cells []analytics.ThemeCell
	j.Themes, cells = themeCells(j.Themes, counts)
	out.Reports = analytics.ThemeShares(out.Question, j.Themes, cells, r.opts)
	for _, row := range dashboards.ThemeRows(out.Reports, j.Themes) {
		j.Rows = append(j.Rows, themeRowJSON(row))
	}
	if !j.Board {
		j.Classified, j.Comments = &classified, &total
	}
	out.JSON = j
	return out, nil
}

// ThemeModel describes the theme model of survey surveyID, with how many of
// its comments have their themes from it so far, of how many. Until one
// has, the model is the zero value (no name, no themes): a page or an
// answer of the API never waits for the built-in model to be trained on
// a database's first use, which takes tens of seconds and which the
// classifier does first anyway.
func ThemeModel(ctx context.Context, st *store.Store, surveyID int64) (model store.ThemeModelInfo, classified, total int64, err error) {
	if classified, total, err = st.ThemeProgress(ctx, surveyID); err != nil || classified == 0 {
		return store.ThemeModelInfo{Themes: []string{}}, classified, total, err
	}
	model, err = st.SurveyThemeModel(ctx, surveyID)
	return model, classified, total, err
}

// themeCells turns the store's counts by month, group and theme into
// cells, one per month and group, with a count per theme of themes; a
// theme the counts name that themes lacks (a model since changed) is added
// at the end.
func themeCells(themes []string, counts []store.ThemeCount) ([]string, []analytics.ThemeCell) {
	themes = append([]string(nil), themes...)
	index := make(map[string]int, len(themes))
	for i, th := range themes {
		index[th] = i
	}
	cellIndex := map[[2]string]int{}
	var cells []analytics.ThemeCell
	for _, c := range counts {
		if c.Theme == "" {
			continue
		}
		i, ok := index[c.Theme]
		if !ok {
			i = len(themes)
			index[c.Theme] = i
			themes = append(themes, c.Theme)
		}
		k := [2]string{c.Period, c.Group}
		ci, ok := cellIndex[k]
		if !ok {
			ci = len(cells)
			cellIndex[k] = ci
			cells = append(cells, analytics.ThemeCell{Month: c.Period, Group: c.Group, Total: c.Total})
		}
		cell := &cells[ci]
		cell.Total = max(cell.Total, c.Total)
		for len(cell.Themes) <= i {
			cell.Themes = append(cell.Themes, 0)
		}
		cell.Themes[i] += c.Comments
	}
	return themes, cells
}

// themeRowJSON is one row of the long table as JSON.
func themeRowJSON(r dashboards.ThemeRow) ThemeRowJSON {
	row := ThemeRowJSON{Period: r.Row.Period, Group: r.Row.Group, Theme: r.Theme, Suppressed: r.Row.Suppressed}
	if !r.Row.Suppressed {
		row.Comments, row.Base, row.Share, row.CILow, row.CIHigh = r.Row.Positive, r.Row.N, r.Row.Rate, r.Row.CILow, r.Row.CIHigh
		row.ChangeP = r.Row.ChangeP
	}
	switch ch := r.Change(); {
	case ch == "":
	case ch == dashboards.NoChange:
		row.Change = "no significant change"
	case strings.HasPrefix(ch, "▲"):
		row.Change = "up"
	default:
		row.Change = "down"
	}
	return row
}

// WriteThemeCSV writes theme figures as CSV, one line per period, group
// and theme, in the order and with the figures of the JSON: survey,
// question, model, period, group, theme, comments, base, share, ci_low,
// ci_high, change, suppressed, disclosure_policy, disclosure_rule, and
// question_text. Shares and intervals are percentages with one decimal;
// the overall row's group is "All responses". Text cells are made safe to
// open in a spreadsheet.
func WriteThemeCSV(w io.Writer, j ThemesJSON) error {
	cw := dashboards.NewCSV(w)
	cw.Header("survey", "question", "model", "period", "group", "theme", "comments", "base", "share", "ci_low",
		"ci_high", "change", "suppressed", "disclosure_policy", "disclosure_rule", "question_text")
	policy, rule := "", ""
	if j.Board {
		policy, rule = string(j.Disclosure.Policy), j.Disclosure.Rule
	}
	for _, r := range j.Rows {
		cw.Text(j.Survey, j.Question, j.Model, r.Period, dashboards.GroupLabel(r.Group), r.Theme)
		m := analytics.MeasureShare
		cw.Num(dashboards.IntCell(r.Comments), dashboards.IntCell(r.Base), boundCell(m, r.Share), boundCell(m, r.CILow),
			boundCell(m, r.CIHigh), r.Change, strconv.FormatBool(r.Suppressed), policy, rule)
		cw.Text(j.QuestionText)
		cw.End()
	}
	return cw.Flush()
}
