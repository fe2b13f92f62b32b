package api

import (
	"context"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// packTopThemes is how many of a question's most mentioned comment themes
// the pack lists.
const packTopThemes = 5

// packThemes is the pack's comment themes: for each free-text question,
// its most mentioned themes in the period, counted as the board's themes
// page and GET /api/v1/surveys/{slug}/themes count them for the board
// (report.Themes under the survey's publication). Never a comment.
type packThemes struct {
	Questions []packThemeQuestion
}

// packThemeQuestion is one free-text question's top themes.
type packThemeQuestion struct {
	Question, Model string
	Rows            []packThemeRow
	// Sentences say the top themes in words.
	Sentences []string
	// Hidden says how many more themes were mentioned on too few comments
	// to publish; Note why there is no row.
	Hidden, Note string
}

// packThemeRow is one theme's figure: the comments that mention it, of
// the comments that say something, as a share with its interval, and its
// change from the period before.
type packThemeRow struct {
	Theme, Comments, Base, Share, Interval, Change string
}

// packThemesOf makes the pack's themes section for period key: nothing
// when no comment of the survey has its themes worked out yet (the check
// trains no model, which the first themes report of a new database would),
// or the survey has no free-text question.
func (s *Server) packThemesOf(ctx context.Context, v surveyView, key string) (packThemes, error) {
	classified, _, err := s.store.ThemeProgress(ctx, v.survey.ID)
	if err != nil || classified == 0 {
		return packThemes{}, err
	}
	p := themeParams(v)
	p.Question, p.By = "", nil
	first, err := report.Themes(ctx, s.store, p)
	if err != nil {
		return packThemes{}, err
	}
	var out packThemes
	for _, q := range first.Texts {
		p.Question = q.Code
		figs, err := report.Themes(ctx, s.store, p)
		if err != nil {
			return packThemes{}, err
		}
		if len(figs.JSON.Themes) == 0 {
			continue
		}
		out.Questions = append(out.Questions, packThemeQuestionOf(figs, key))
	}
	return out, nil
}

// packThemeQuestionOf is a question's most mentioned themes in period
// key: those published, most mentioned first.
func packThemeQuestionOf(figs report.ThemeFigures, key string) packThemeQuestion {
	j := figs.JSON
	label := dashboards.PeriodLabel(j.Period, key)
	out := packThemeQuestion{Question: j.QuestionText, Model: j.Model}
	_, shares := dashboards.ThemeSharesAt(figs.Reports, j.Themes, key, analytics.AllGroup)
	hidden := 0
	for _, sh := range dashboards.RankThemes(shares) {
		r := sh.Row
		switch {
		case r.Suppressed || r.Positive == nil || r.N == nil || r.Rate == nil:
			hidden++
		case len(out.Rows) < packTopThemes:
			out.Rows = append(out.Rows, packThemeRow{Theme: sh.Theme, Comments: dashboards.Thousands(*r.Positive),
				Base: dashboards.Thousands(*r.N), Share: dashboards.Value(analytics.MeasureShare, *r.Rate, false),
				Interval: dashboards.Interval(analytics.MeasureShare, r.CILow, r.CIHigh), Change: sh.Change()})
			if len(out.Sentences) < 3 {
				out.Sentences = append(out.Sentences, dashboards.ThemeSentence(sh))
			}
		}
	}
	if hidden > 0 {
		verb := " were"
		if hidden == 1 {
			verb = " was"
		}
		out.Hidden = dashboards.Plural(hidden, "more theme") + verb + " mentioned in " + label +
			", on too few comments to publish."
	}
	if len(out.Rows) == 0 && hidden == 0 {
		out.Note = "No comment of " + label + " has its themes worked out."
	}
	return out
}
