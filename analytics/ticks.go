package analytics

// TickCount is how many responses of one month answered a multiple-choice
// question (ticked anything) and how many ticked each of its options, as
// the store aggregates them in SQL.
type TickCount struct {
	// Month is the London month key ("2024-05"), "" for responses without
	// a date.
	Month    string
	Answered int64
	// Ticked holds one count per option of the question, by index.
	Ticked []int64
}

// TickShares builds, for each option of the multiple-choice question q, the
// report of the share of the responses that answered q which ticked that
// option, by period, with Wilson intervals and, with opts.Board, disclosure
// control. The options of a multiple-choice question are not exclusive, so
// each share has the same base (the responses that answered) and the shares
// do not add up to 100%.
func TickShares(q Question, ticks []TickCount, opts ReportOptions) []Report {
	out := make([]Report, len(q.Options))
	for i, o := range q.Options {
		yesNo := Question{Code: q.Code, Text: q.Text, Kind: KindSingle,
			Options: []Option{{Label: o.Label}, {Label: "Not ticked"}}}
		var counts []Count
		for _, t := range ticks {
			var n int64
			if i < len(t.Ticked) {
				n = t.Ticked[i]
			}
			counts = append(counts, Count{Month: t.Month, Option: 0, N: n},
				Count{Month: t.Month, Option: 1, N: max(0, t.Answered-n)})
		}
		m := Metric{Name: "% ticking " + o.Label, Question: q.Code, Measure: MeasureShare, Positive: []int{0}}
		out[i] = BuildReport(yesNo, m, counts, opts)
	}
	return out
}
