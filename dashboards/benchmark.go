package dashboards

import (
	"math"
	"strconv"

	"github.com/heard-council/heard/analytics"
)

// Published writes a value of NHS Digital's figures as the file gives it,
// with commas between thousands ("66.7", "4,235", "0.031"), or missing when
// the file marks it as not published.
func Published(v *float64, missing string) string {
	if v == nil {
		return missing
	}
	x := *v
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return Thousands(int64(x))
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// BenchmarkFigure is a published percentage (such as ASCOF 3A) in the words
// a page shows it with: its value, its base, its margin of error and the
// range they give.
type BenchmarkFigure struct {
	// Shown is false when the file marks the outcome as not published.
	Shown bool
	// Value is "66.7%"; Base "490"; Margin "±4.1 points"; Range "62.6% to
	// 70.8%". Base, Margin and Range are "" when the file does not give
	// them.
	Value, Base, Margin, Range string
}

// PublishedShare describes a published figure whose outcome is a
// percentage from 0 to 100 with a margin of error in percentage points, as
// NHS Digital writes ASCOF's survey measures.
func PublishedShare(b analytics.Benchmark) BenchmarkFigure {
	if b.Outcome == nil {
		return BenchmarkFigure{}
	}
	f := BenchmarkFigure{Shown: true, Value: percent(*b.Outcome)}
	if b.Base != nil {
		f.Base = Published(b.Base, "")
	}
	if m := b.MarginOfError; m != nil {
		f.Margin = "±" + strconv.FormatFloat(Round(*m, 1), 'f', 1, 64) + " points"
		low, high := math.Max(0, *b.Outcome-*m), math.Min(100, *b.Outcome+*m)
		f.Range = percent(low) + " to " + percent(high)
	}
	return f
}

// percent writes a percentage from 0 to 100 with one decimal: "66.7%".
func percent(v float64) string { return strconv.FormatFloat(Round(v, 1), 'f', 1, 64) + "%" }
