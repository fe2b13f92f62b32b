package api

import (
	"slices"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// headlinePeriod is the period a dashboard's figures are given for, and
// why when it is not simply the latest.
type headlinePeriod struct {
	// Key is the period's key ("2025-03"); "" when the report has no
	// period at all.
	Key string
	// Note says, in a sentence, why a later period is not the headline.
	Note string
}

// chooseHeadlinePeriod picks the period a dashboard leads with from the
// overall rows of its headline report: the latest period that is complete
// and has an adequate base. A period is complete when it is not the last
// one with answers, or when the data run to its last day or beyond
// (dataEnd, the date of the latest response or the "to" date, whichever is
// earlier, is in it only if it is its last day). Its base is adequate when
// it is at least the disclosure minimum and at least half the median base of
// the other periods, so a month of 64 answers beside months of 1,263 is not
// the headline. When no period qualifies, the latest is used.
func chooseHeadlinePeriod(rep report.JSON, dataEnd string, minBase int64) headlinePeriod {
	var rows []analytics.ReportRow
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return headlinePeriod{}
	}
	last := len(rows) - 1
	bases := make([]int64, len(rows))
	for i, r := range rows {
		if r.N != nil && !r.Suppressed {
			bases[i] = *r.N
		}
	}
	for i := last; i >= 0; i-- {
		complete := i < last || periodComplete(rep.Period, rows[i].Period, dataEnd)
		if !complete || !adequateBase(bases, i, minBase) {
			continue
		}
		h := headlinePeriod{Key: rows[i].Period}
		if i < last {
			h.Note = skippedNote(rep, rows[last], periodComplete(rep.Period, rows[last].Period, dataEnd), dataEnd)
		}
		return h
	}
	return headlinePeriod{Key: rows[last].Period}
}

// skippedNote says why the latest period (row) is not the headline.
func skippedNote(rep report.JSON, row analytics.ReportRow, complete bool, dataEnd string) string {
	label := dashboards.PeriodLabel(rep.Period, row.Period)
	answers := "too few answers to show"
	if row.N != nil && !row.Suppressed {
		answers = dashboards.Thousands(*row.N) + " answers"
	}
	if complete {
		return "The figures are for the latest period with enough answers: " + label + " has only " + answers +
			", too few beside the other periods."
	}
	end := dataEnd
	if t, err := time.Parse(time.DateOnly, dataEnd); err == nil {
		end = t.Format("2 January 2006")
	}
	return "The figures are for the latest complete period: the data end on " + end + ", so " + label +
		" is not over yet (" + answers + " so far)."
}

// periodComplete reports whether the data run to the end of period key:
// the day after dataEnd falls in a later period.
func periodComplete(kind analytics.PeriodKind, key, dataEnd string) bool {
	if kind == analytics.PeriodAll {
		return true
	}
	t, err := time.Parse(time.DateOnly, dataEnd)
	if err != nil {
		return false
	}
	next, err := analytics.PeriodOf(kind, t.AddDate(0, 0, 1).Format("2006-01"))
	return err == nil && next != key
}

// adequateBase reports whether bases[i] is at least minBase and at least
// half the median of the other periods' bases.
func adequateBase(bases []int64, i int, minBase int64) bool {
	if bases[i] < max(minBase, 1) {
		return false
	}
	others := slices.Concat(bases[:i], bases[i+1:])
	if len(others) == 0 {
		return true
	}
	slices.Sort(others)
	median := others[len(others)/2]
	if len(others)%2 == 0 {
		median = (others[len(others)/2-1] + others[len(others)/2]) / 2
	}
	return 2*bases[i] >= median
}

// dataEnd is the last day the survey's figures can cover: its latest
// response's date, or the "to" date when that is earlier.
func dataEnd(lastDay, to string) string {
	if to = strings.TrimSpace(to); to != "" {
		if day, err := report.ParseDay("to", to, true); err == nil && day < lastDay {
			return day
		}
	}
	return lastDay
}

// headlineCode is the code of the question the dashboard leads with: the
// one the address names, else the one remembered for the survey if it still
// has a figure, else "" (the overall satisfaction question, see
// pickHeadline).
func headlineCode(reports []report.JSON, asked, saved string) string {
	if strings.TrimSpace(asked) != "" || saved == "" {
		return asked
	}
	for _, r := range reports {
		if report.Fold(r.Question) == report.Fold(saved) {
			return r.Question
		}
	}
	return ""
}

// rowAt returns the overall row of period key of rep, or its latest when
// key is "".
func rowAt(rep report.JSON, key string) (analytics.ReportRow, bool) {
	if key == "" {
		return latestRow(rep)
	}
	return overallRow(rep, key)
}
