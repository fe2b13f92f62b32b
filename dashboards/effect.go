package dashboards

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/heard-council/heard/analytics"
)

// EffectSentence says an action's measured effect in one plain sentence,
// with each figure's base: "The share of people who agreed rose from 63.8%
// (210 answers) in the six months before to 77.8% (198 answers) in the six
// months after; unlikely to be chance (p=0.00197)." positive are the labels
// of the answers the question's figure counts (see HeadlineSentence); they
// say what the people counted did. When there is no verdict the sentence
// says why: too early, too few answers, not shown to the board, or nothing
// to measure.
func EffectSentence(e analytics.Effect, positive []string) string {
	switch e.Result {
	case analytics.EffectNoQuestion:
		return "No question is linked to this action, so there is no figure to compare."
	case analytics.EffectNotDone:
		return "The effect is measured once the action is done."
	case analytics.EffectNotShare:
		return "This question has no share of answers to compare (its figure is a score, or it has none), so heard does not measure a change in it."
	case analytics.EffectNotShown:
		return "No verdict: too few people answered before or after the action to publish both figures without pointing at someone."
	}
	// The board's windows are its own periods', which may differ in
	// length; staff's are e.Months each.
	span := func(w analytics.Window) string {
		if n := w.Months(); n > 0 {
			return MonthsWords(n)
		}
		return MonthsWords(e.Months)
	}
	before := figureWords(e.BeforeRate) + " in the " + span(e.Before) + " before"
	after := figureWords(e.AfterRate) + " in the " + span(e.After) + " after"
	switch e.Result {
	case analytics.EffectTooEarly:
		s := "Too early to say: the " + span(e.After) + " after end on " + e.After.To + "."
		if e.AfterRate.Valid() && e.BeforeRate.Valid() {
			s += " So far: " + after + ", against " + before + "."
		}
		return s
	case analytics.EffectTooFew:
		return "Too few answers to say: " + before + ", and " + after + "; heard needs at least " +
			Thousands(e.MinBase) + " answers in each."
	}
	subject := "The share of people who " + didWhat(positive)
	p := PValue(e.P)
	switch e.Result {
	case analytics.EffectRose:
		return subject + " rose from " + before + " to " + after + "; unlikely to be chance (" + p + ")."
	case analytics.EffectFell:
		return subject + " fell from " + before + " to " + after + "; unlikely to be chance (" + p + ")."
	}
	return subject + " went from " + before + " to " + after + ": no clear change, a difference this size could be chance (" + p + ")."
}

// figureWords writes a window's figure with its base: "63.8% (210
// answers)", or "no answers".
func figureWords(r analytics.Rate) string {
	if !r.Valid() {
		return "no answers"
	}
	return Value(analytics.MeasureShare, r.Rate, false) + " (" + Plural(int(r.N), "answer") + ")"
}

// MonthsWords writes a number of months in words up to twelve: "six
// months", "one month", "18 months".
func MonthsWords(n int) string {
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	s := strconv.Itoa(n)
	if n >= 1 && n < len(words) {
		s = words[n]
	}
	return s + " " + Noun(int64(n), "month")
}

// Mark is an event marked on a trend chart's time axis, such as an action
// a council took: a line at the period holding Month ("2024-09"), labelled
// Label (a few words, drawn on the canvas as text, never as markup).
type Mark struct {
	Month, Label string
}

// markLine is an ECharts markLine with the silent flag go-echarts lacks,
// so that the pointer shows the period's tooltip, not the mark's.
type markLine struct {
	opts.MarkLines
	Silent bool `json:"silent"`
}

// colourMark is the colour of a mark's line and label: dark enough to
// read on white (WCAG AA) and in black and white.
const colourMark = "#7a4100"

// marksAt places marks on the periods of a trend: the markLine of its
// line series, and each period's labels for its table and tooltip. Marks
// in the same period share one line, their labels joined; marks outside
// the periods drawn are left out.
func marksAt(kind analytics.PeriodKind, pts []point, axis []string, marks []Mark) (*markLine, map[int][]string) {
	if kind == analytics.PeriodAll || len(marks) == 0 {
		return nil, nil
	}
	index := make(map[string]int, len(pts))
	for i, p := range pts {
		index[p.period] = i
	}
	at := map[int][]string{}
	var order []int
	for _, m := range marks {
		key, err := analytics.PeriodOf(kind, m.Month)
		i, ok := index[key]
		if err != nil || !ok {
			continue
		}
		if _, seen := at[i]; !seen {
			order = append(order, i)
		}
		at[i] = append(at[i], OneLine(m.Label, 80))
	}
	if len(order) == 0 {
		return nil, nil
	}
	ml := &markLine{Silent: true, MarkLines: opts.MarkLines{MarkLineStyle: opts.MarkLineStyle{
		Symbol: []string{"none", "none"},
		Label: &opts.Label{Show: opts.Bool(true), Position: "insideStartTop", Formatter: "{b}", Color: colourMark,
			FontSize: 12},
		LineStyle: &opts.LineStyle{Color: colourMark, Width: 1.5, Type: "dashed"},
	}}}
	for _, i := range order {
		ml.Data = append(ml.Data, opts.MarkLineNameXAxisItem{Name: OneLine(strings.Join(at[i], "; "), 32), XAxis: axis[i]})
	}
	return ml, at
}

// marksDescription says what a trend marks, for screen readers: " Marked:
// September 2024, Action: new leaflet."
func marksDescription(kind analytics.PeriodKind, pts []point, marked map[int][]string) string {
	var parts []string
	for i, p := range pts {
		if len(marked[i]) > 0 {
			parts = append(parts, PeriodLabel(kind, p.period)+", "+strings.Join(marked[i], "; "))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Marked: " + strings.Join(parts, "; ") + "."
}

// Points writes a difference of two shares in percentage points with its
// sign, rounded by Round: "+14.0 points", "-3.2 points".
func Points(d float64) string {
	return fmt.Sprintf("%+.1f points", Round(d*100, 1))
}

// PointsInterval writes the interval of a difference of two shares:
// "+5.1 to +22.5 points".
func PointsInterval(low, high float64) string {
	return fmt.Sprintf("%+.1f to %+.1f points", Round(low*100, 1), Round(high*100, 1))
}
