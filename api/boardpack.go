package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// boardPackView is the board pack: one page to print of a survey's
// figures for one period, as published to its board. It is the board's
// document whoever reads it, so staff see the same board-safe figures as
// a board member. Each section is made by a function of its own that
// returns it empty when it has nothing to show (packSummaryOf,
// packHeadline, packFiguresOf, packStatementsOf, packThemesOf,
// packActionsOf, besideHeadline); the template shows the sections that are
// there.
type boardPackView struct {
	layout
	Survey string
	// Period is the period's label ("May 2024", "2024-25") and PeriodKind
	// its kind in words ("month", "financial year").
	Period, PeriodKind string
	// Note says why the period is the one shown, or that it is not over.
	Note string
	// Trends says what the trends cover: "up to 13 months, ending with
	// May 2024".
	Trends string
	// Made is the day the pack was made; Rule the disclosure policy in
	// words; Level the intervals' confidence level ("95%").
	Made, Rule, Level string
	// Dashboard links back to the survey's page.
	Dashboard string
	// Empty says why the pack has no figures at all.
	Empty string
	// Sums says how the figures of a period longer than the board's are
	// made of the board's own (coarseReport), and Left that statements and
	// themes are left out of its pack; both empty otherwise.
	Sums, Left string

	Summary    packSummary
	Headline   *boardHeadline
	Figures    packFigures
	Statements packStatements
	Themes     packThemes
	Actions    packActions
	// Beside is the headline beside England, its region and the council in
	// NHS Digital's figures, when a council is chosen and they are loaded.
	Beside *besideView
}

// boardPack is GET /surveys/:slug/board-pack?period=KEY: the pack of the
// period KEY, of the kind the survey publishes to its board (see
// packPeriod), or of the period the board's dashboard leads with.
func (s *Server) boardPack(c *gin.Context) error {
	raw := c.Query("period")
	forceBoard(c) // the board's document, whoever reads it
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	p, err := s.buildPack(c.Request.Context(), v, raw, time.Now())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "board_pack.html", &p)
}

// buildPack makes the board pack of the survey of v (a board view) for
// the period raw names, or the board dashboard's period when raw is
// blank.
func (s *Server) buildPack(ctx context.Context, v surveyView, raw string, now time.Time) (boardPackView, error) {
	pub := v.publication.Period
	key, kind, err := packPeriod(raw, pub)
	if err != nil {
		return boardPackView{}, err
	}
	fig, err := s.boardFigures(ctx, v, key)
	if err != nil {
		return boardPackView{}, err
	}
	first := ""
	if kind != pub && len(fig.all.Reports) > 0 {
		// A longer period than the board's: its figures are sums of the
		// board's own (coarseReport), on a copy, as the reports are shared.
		if first, _, err = s.surveyDays(ctx, v.survey); err != nil {
			return boardPackView{}, err
		}
		reps := make([]report.JSON, len(fig.all.Reports))
		for i, rep := range fig.all.Reports {
			reps[i] = coarseReport(rep, kind, first, fig.lastDay)
		}
		fig.all.Reports = reps
	}
	l := s.surveyLayout(v, "Board pack", "")
	l.Charts, l.Print = true, true
	pk := boardPackView{layout: l, Survey: v.survey.Name, PeriodKind: dashboards.PeriodName(kind),
		Made: dashboards.Date(now), Rule: v.publication.Policy.Disclosure().Rule,
		Level: dashboards.Confidence(v.params.Confidence), Dashboard: v.base()}
	if len(fig.all.Reports) == 0 {
		pk.Period = dashboards.PeriodLabel(kind, key)
		pk.Empty = "This survey has no scale question with a figure to publish yet."
		return pk, nil
	}
	top := fig.all.Reports[fig.headline]
	pk.Level = dashboards.Confidence(top.Confidence)
	if err := checkPackPeriod(fig.all.Reports, top, fig.period.Key, raw); err != nil {
		return boardPackView{}, err
	}
	key = fig.period.Key
	pk.Period = dashboards.PeriodLabel(kind, key)
	pk.Note = fig.period.Note
	if raw != "" && !periodComplete(kind, key, fig.lastDay) {
		pk.Note = "The data end on " + longDate(fig.lastDay) + ", so " + pk.Period +
			" is not over yet: its figures may change as more answers come in."
	}
	if kind != pub {
		pk.Sums = coarseNote(pub, kind, pk.Period, first, fig.lastDay)
		pk.Left = "Statements and comment themes are given by " + dashboards.PeriodName(pub) +
			" only, as the board is shown them: see the pack of each " + dashboards.PeriodName(pub) + " for them."
	}
	if kind != analytics.PeriodAll {
		pk.Trends = "up to " + dashboards.Plural(trendPeriods, dashboards.PeriodName(kind)) + ", ending with " + pk.Period
	}
	pk.Summary = packSummaryOf(fig, key)
	if pk.Headline, err = s.packHeadline(ctx, v, fig, key); err != nil {
		return boardPackView{}, err
	}
	if pk.Figures, err = packFiguresOf(fig, key); err != nil {
		return boardPackView{}, err
	}
	if kind == pub {
		if pk.Statements, err = s.packStatementsOf(ctx, v, key); err != nil {
			return boardPackView{}, err
		}
		if pk.Themes, err = s.packThemesOf(ctx, v, key); err != nil {
			return boardPackView{}, err
		}
	}
	if pk.Actions, err = s.packActionsOf(ctx, v, kind, key, now); err != nil {
		return boardPackView{}, err
	}
	beside, ok, err := s.besideHeadline(ctx, pk.Headline.Figure, top)
	if err != nil {
		return boardPackView{}, err
	}
	if ok {
		pk.Beside = &beside
	}
	return pk, nil
}

// packPeriod reads the period a pack is asked for and its kind: "" for
// the board dashboard's choice, else a key of the kind the survey
// publishes to its board, kind ("2024-05" by month, "2024-Q2" by quarter,
// "2024" by calendar year, "2024-25" by financial year, "2024-25 Q1" by its
// quarter), or of a longer kind made of whole periods of it
// (analytics.Coarser: "2024-25" over months), whose figures are sums of
// the board's own (coarseReport). Any other kind is refused, since its
// figures beside the board's would let a hidden one be worked out by
// subtraction (see analytics.Publication).
func packPeriod(raw string, kind analytics.PeriodKind) (string, analytics.PeriodKind, error) {
	key := strings.ToUpper(strings.Join(strings.Fields(raw), " "))
	if key == "" {
		return "", kind, nil
	}
	if key == strings.ToUpper(analytics.AllPeriod) {
		key = analytics.AllPeriod
	}
	kinds := analytics.KindsOfKey(key)
	if slices.Contains(kinds, kind) {
		return key, kind, nil
	}
	for _, k := range kinds {
		if analytics.Coarser(k, kind) {
			return key, k, nil
		}
	}
	example := periodExample(kind)
	if len(kinds) == 0 {
		return "", kind, usageErrorf("“%s” is not a period. This survey’s figures are published to its board by %s, so its board pack is for one %s: write it as %s.",
			dashboards.OneLine(raw, 40), dashboards.PeriodName(kind), dashboards.PeriodName(kind), example)
	}
	return "", kind, usageErrorf("“%s” is a %s, but this survey’s figures are published to its board by %s, so its board pack is for one %s, written as %s, or for a longer period made of whole ones. An admin can change how the survey is published to its board on the Retention page.",
		key, dashboards.PeriodName(kinds[0]), dashboards.PeriodName(kind), dashboards.PeriodName(kind), example)
}

// periodExample is how a key of kind is written, for a message.
func periodExample(kind analytics.PeriodKind) string {
	switch kind {
	case analytics.PeriodQuarter:
		return "2024-Q2 (April to June 2024)"
	case analytics.PeriodYear:
		return "2024"
	case analytics.PeriodFY:
		return "2024-25 (April 2024 to March 2025)"
	case analytics.PeriodFYQuarter:
		return "2024-25 Q1 (April to June 2024)"
	case analytics.PeriodAll:
		return "all"
	}
	return "2024-05 (May 2024)"
}

// checkPackPeriod refuses a period asked for (raw is not blank) in which
// no report of all has a row: the survey had no answers then. top is the
// headline's report, whose periods the message names.
func checkPackPeriod(all []report.JSON, top report.JSON, key, raw string) error {
	if raw == "" {
		return nil
	}
	for _, rep := range all {
		if _, ok := overallRow(rep, key); ok {
			return nil
		}
	}
	label := dashboards.PeriodLabel(top.Period, key)
	first, ok1 := firstRow(top)
	last, ok2 := latestRow(top)
	if !ok1 || !ok2 {
		return usageErrorf("The survey has no answers in %s.", label)
	}
	return usageErrorf("The survey has no answers in %s: its figures run from %s to %s. Ask for a period in between.",
		label, dashboards.PeriodLabel(top.Period, first.Period), dashboards.PeriodLabel(top.Period, last.Period))
}

// firstRow returns the overall row of rep's earliest period.
func firstRow(rep report.JSON) (analytics.ReportRow, bool) {
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup {
			return r, true
		}
	}
	return analytics.ReportRow{}, false
}

// longDate writes a day key "2025-03-12" as "12 March 2025".
func longDate(day string) string {
	if t, err := time.Parse(time.DateOnly, day); err == nil {
		return t.Format("2 January 2006")
	}
	return day
}

// trendPeriods is how many periods a pack's trends show, ending with its
// own: for months, the same month a year earlier and every month since.
const trendPeriods = 13

// upTo is rep with only its rows of period key and the trendPeriods-1
// periods before it, so that a pack of May 2024 draws its trends from May
// 2023 to May 2024 and none past it. Keys of one kind sort in time order
// as strings.
func upTo(rep report.JSON, key string) report.JSON {
	from := key
	for range trendPeriods - 1 {
		prev, err := analytics.Previous(rep.Period, from)
		if err != nil {
			break // the period "all" has no period before it
		}
		from = prev
	}
	rows := make([]analytics.ReportRow, 0, min(len(rep.Rows), trendPeriods))
	for _, r := range rep.Rows {
		if r.Period >= from && r.Period <= key {
			rows = append(rows, r)
		}
	}
	rep.Rows = rows
	return rep
}

// packReports is the order a pack's questions come in: the headline
// question first, then the others as the survey has them.
func packReports(fig boardFigures) []report.JSON {
	out := []report.JSON{fig.all.Reports[fig.headline]}
	for i, rep := range fig.all.Reports {
		if i != fig.headline {
			out = append(out, rep)
		}
	}
	return out
}
