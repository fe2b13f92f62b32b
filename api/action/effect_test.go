package action

import (
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestBoardEffect(t *testing.T) {
	rate := func(x, n int64) analytics.Rate { return analytics.NewRate(x, n, 0) }
	heard := analytics.PolicyHeard.Disclosure()
	tests := []struct {
		name                  string
		before, after         analytics.Rate
		ended                 bool
		d                     analytics.Disclosure
		want                  analytics.EffectResult
		beforeN, beforePos    int64
		afterN, afterPositive int64
		hidden                [2]bool
	}{
		{"both published", rate(134, 210), rate(154, 198), true, heard, analytics.EffectRose, 210, 134, 198, 154, [2]bool{}},
		{"a base under the minimum", rate(134, 210), rate(6, 9), true, heard, analytics.EffectNotShown, 0, 0, 0, 0, [2]bool{true, true}},
		{"a small count", rate(134, 210), rate(3, 40), true, heard, analytics.EffectNotShown, 0, 0, 0, 0, [2]bool{true, true}},
		{"100% on a small base", rate(134, 210), rate(15, 15), true, heard, analytics.EffectNotShown, 0, 0, 0, 0, [2]bool{true, true}},
		{"nobody after", rate(134, 210), rate(0, 0), true, heard, analytics.EffectTooFew, 210, 134, 0, 0, [2]bool{}},
		// NHS Digital's rule rounds every count to 5 and the effect is
		// worked out from the rounded counts.
		{"rounded", rate(123, 456), rate(201, 333), true, analytics.PolicyNHSDigital.Disclosure(), analytics.EffectRose, 455, 125, 335, 200, [2]bool{}},
		// While the after window fills, the board sees the before figure only.
		{"too early", rate(134, 210), rate(154, 198), false, heard, analytics.EffectTooEarly, 210, 134, 0, 0, [2]bool{false, true}},
		{"too early, before hidden", rate(3, 40), rate(154, 198), false, heard, analytics.EffectTooEarly, 0, 0, 0, 0, [2]bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := boardEffect(tt.before, tt.after, tt.ended, tt.d.WithDefaults())
			if e.Result != tt.want || e.BeforeRate.N != tt.beforeN || e.BeforeRate.Positive != tt.beforePos ||
				e.AfterRate.N != tt.afterN || e.AfterRate.Positive != tt.afterPositive || [2]bool{e.BeforeHidden, e.AfterHidden} != tt.hidden {
				t.Errorf("%s: before %d of %d, after %d of %d, hidden %v; want %s, %d of %d, %d of %d, hidden %v", e.Result,
					e.BeforeRate.Positive, e.BeforeRate.N, e.AfterRate.Positive, e.AfterRate.N, [2]bool{e.BeforeHidden, e.AfterHidden},
					tt.want, tt.beforePos, tt.beforeN, tt.afterPositive, tt.afterN, tt.hidden)
			}
		})
	}
}
