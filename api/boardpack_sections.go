package api

import (
	"context"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// packSummary is the pack's summary in plain English: each question's
// figure as a natural frequency, beside the same period a year earlier.
type packSummary struct {
	Lines []packLine
	// Hidden says how many questions have no figure shown for the period,
	// or is empty.
	Hidden string
}

// packLine is one question's sentences.
type packLine struct {
	Question, Text string
}

// shownRow reports whether a row's figure is published.
func shownRow(r analytics.ReportRow) bool {
	return !r.Suppressed && r.Rate != nil && r.N != nil
}

// packSummaryOf says the figure of every question for period key in
// words ("About 9 in 10 people (93.1%, 412 answers) were satisfied in May
// 2024."), with the same period a year earlier when its figure is shown
// ("A year earlier, in May 2023, it was about 8 in 10 (79.0%, 380
// answers)."). A figure not shown is not spoken of; the questions without
// one are counted. Empty when no question has answers in the period.
func packSummaryOf(fig boardFigures, key string) packSummary {
	s := packSummary{}
	hidden := 0
	for _, rep := range packReports(fig) {
		row, ok := overallRow(rep, key)
		if !ok {
			continue
		}
		if !shownRow(row) {
			hidden++
			continue
		}
		m := rep.Metric.Measure
		text := dashboards.HeadlineSentence(m, rep.Metric.Positive, *row.Rate, *row.N, dashboards.PeriodLabel(rep.Period, key))
		if prevKey, err := analytics.YearBefore(rep.Period, key); err == nil {
			if prev, ok := overallRow(rep, prevKey); ok && shownRow(prev) {
				text += " " + dashboards.EarlierSentence(m, *row.Rate, *prev.Rate, *prev.N,
					"A year earlier, in "+dashboards.PeriodLabel(rep.Period, prevKey))
			}
		}
		s.Lines = append(s.Lines, packLine{Question: rep.QuestionText, Text: text})
	}
	if hidden > 0 {
		s.Hidden = dashboards.Plural(hidden, "question") + " had too few answers in " +
			dashboards.PeriodLabel(fig.all.Reports[0].Period, key) + " to publish a figure."
	}
	return s
}

// packHeadline is the headline question's figure for period key in a
// sentence, with its trend up to that period drawn for paper, marking the
// actions done by then.
func (s *Server) packHeadline(ctx context.Context, v surveyView, fig boardFigures, key string) (*boardHeadline, error) {
	top := upTo(fig.all.Reports[fig.headline], key)
	marks, err := s.packMarks(ctx, v, top.Period, key, top.Question)
	if err != nil {
		return nil, err
	}
	return newBoardHeadline(top, fig.questionLink(top.Question), key, marks, true)
}

// packFigures is the table of every question's figure for the period.
type packFigures struct {
	Rows []packRow
	// YearLabel names the period a year earlier ("May 2023"), or is empty
	// when the period has none (all periods together).
	YearLabel string
}

// packRow is a question's row of the pack: the board dashboard's row,
// with the figure of the same period a year earlier.
type packRow struct {
	boardRow
	YearEarlier figureView
	// HasYear is false when the question had no answers a year earlier.
	HasYear bool
}

// packFiguresOf is every question's figure for period key, in numbers and
// words, with its base, interval, change from the period before, the
// same period a year earlier, and its trend up to the period drawn for
// paper. It has no rows when no question has answers in the period.
func packFiguresOf(fig boardFigures, key string) (packFigures, error) {
	f := packFigures{}
	any := false
	for _, rep := range packReports(fig) {
		rep = upTo(rep, key)
		row, err := newBoardRow(rep, fig.questionLink(rep.Question), key, true)
		if err != nil {
			return packFigures{}, err
		}
		if _, ok := overallRow(rep, key); ok {
			any = true
		}
		pr := packRow{boardRow: row}
		if prevKey, err := analytics.YearBefore(rep.Period, key); err == nil {
			f.YearLabel = dashboards.PeriodLabel(rep.Period, prevKey)
			var prev analytics.ReportRow
			if prev, pr.HasYear = overallRow(rep, prevKey); pr.HasYear {
				pr.YearEarlier = figureOf(rep, prev)
			}
		}
		f.Rows = append(f.Rows, pr)
	}
	if !any {
		return packFigures{}, nil
	}
	return f, nil
}
