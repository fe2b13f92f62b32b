package api

import (
	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// coarseReport is rep, a board report by its publication's kind of period,
// made into a report by the longer kind k (see analytics.Coarser): a
// financial year's figures from the months the board is shown. Each
// period's figure is analytics.PublishedWithin, the sum of the published
// figures (base and positive answers) of the publication's periods inside
// it, with its Wilson interval from the summed counts; it is hidden when
// one of those periods is hidden, when the period reaches outside the
// survey's data (first to last, its first and last days), or when the
// figure is not a share (a mean or a net score cannot be added up). Every
// figure shown is then a sum of figures the board already has, so it
// cannot give a hidden one away.
func coarseReport(rep report.JSON, k analytics.PeriodKind, first, last string) report.JSON {
	pub := rep.Period
	share := rep.Metric.Measure == "" || rep.Metric.Measure == analytics.MeasureShare
	d := rep.Disclosure.WithDefaults()
	lo, hi := dataBounds(pub, first, last)
	var rows []analytics.ReportRow
	var prev *analytics.ReportRow
	for _, r := range rep.Rows {
		if r.Group != analytics.AllGroup {
			continue
		}
		key, ok := coarseKey(pub, k, r.Period)
		if !ok || (len(rows) > 0 && rows[len(rows)-1].Period == key) {
			continue
		}
		row := analytics.ReportRow{Period: key, Suppressed: true}
		w, err := analytics.PeriodWindow(k, key)
		if rate, _, ok := analytics.PublishedWithin(rep.Rows, pub, w, d); ok && err == nil && share &&
			w.From >= lo && w.To <= hi {
			low, high := analytics.Wilson(rate.Positive, rate.N, rep.Confidence)
			row = analytics.ReportRow{Period: key, N: &rate.N, Positive: &rate.Positive, Rate: &rate.Rate,
				CILow: &low, CIHigh: &high}
			if before, _ := analytics.Previous(k, key); prev != nil && prev.Period == before && !prev.Suppressed &&
				rate.N >= d.MinBase && *prev.N >= d.MinBase {
				_, p := analytics.TwoProportionZ(rate.Positive, rate.N, *prev.Positive, *prev.N)
				row.ChangeP = &p
			}
		}
		rows = append(rows, row)
		prev = &rows[len(rows)-1]
	}
	rep.Period, rep.Rows = k, rows
	return rep
}

// coarseKey is the key of the period of kind k that the period key of kind
// pub lies in.
func coarseKey(pub, k analytics.PeriodKind, key string) (string, bool) {
	w, err := analytics.PeriodWindow(pub, key)
	if err != nil {
		return "", false
	}
	out, err := analytics.PeriodOf(k, w.From[:7])
	return out, err == nil
}

// dataBounds is the first day of the period of kind pub holding the day
// first and the last day of the one holding last: the span of the
// published periods the survey's data reach.
func dataBounds(pub analytics.PeriodKind, first, last string) (lo, hi string) {
	if len(first) < 7 || len(last) < 7 {
		return "9999", ""
	}
	a, err1 := analytics.PeriodOf(pub, first[:7])
	b, err2 := analytics.PeriodOf(pub, last[:7])
	wa, err3 := analytics.PeriodWindow(pub, a)
	wb, err4 := analytics.PeriodWindow(pub, b)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return "9999", ""
	}
	return wa.From, wb.To
}

// coarseNote says how a pack's figures for a period longer than the
// board's are made, and when one is not shown.
func coarseNote(pub, k analytics.PeriodKind, label, first, last string) string {
	lo, hi := dataBounds(pub, first, last)
	return "The board is shown figures by " + dashboards.PeriodName(pub) + ", so each figure for " + label +
		" is the sum of its published " + dashboards.PeriodName(pub) + "ly figures, with the trends by " +
		dashboards.PeriodName(k) + ". A figure is not shown when one of those " + dashboards.PeriodName(pub) +
		"ly figures is not shown, when the survey's data (" + longDate(lo) + " to " + longDate(hi) +
		") do not cover the whole " + dashboards.PeriodName(k) + ", or when it is a mean or net score, which cannot be added up."
}
