package analytics

import (
	"math"
	"testing"
)

// Each option's share has every answering response as its base: 30 of 80
// ticked "Bus" over both months, 80 of 80 "Car". The Wilson interval of
// 30/80 is worked out by hand: p = 0.375, z = 1.959964, centre
// (p + z²/2n)/(1 + z²/n) = 0.399009/1.048018 = 0.380727, half-width
// z·√(p(1−p)/n + z²/4n²)/(1 + z²/n) = 0.108768/1.048018 = 0.103784:
// 0.276943 to 0.484511.
func TestTickShares(t *testing.T) {
	q := Question{Code: "how", Kind: KindMulti, Options: []Option{{Label: "Bus"}, {Label: "Car"}, {Label: "Walk"}}}
	ticks := []TickCount{
		{Month: "2024-04", Answered: 50, Ticked: []int64{20, 50, 3}},
		{Month: "2024-05", Answered: 30, Ticked: []int64{10, 30}},
	}
	reps := TickShares(q, ticks, ReportOptions{Period: PeriodAll, Confidence: 0.95})
	if len(reps) != 3 {
		t.Fatalf("got %d reports, want one per option", len(reps))
	}
	bus := reps[0].Rows[0]
	if *bus.N != 80 || *bus.Positive != 30 || *bus.Rate != 0.375 {
		t.Errorf("Bus: n %d, ticked %d, share %v; want 80, 30, 0.375", *bus.N, *bus.Positive, *bus.Rate)
	}
	if math.Abs(*bus.CILow-0.276943) > 5e-5 || math.Abs(*bus.CIHigh-0.484511) > 5e-5 {
		t.Errorf("Bus interval %v to %v, want 0.276943 to 0.484511", *bus.CILow, *bus.CIHigh)
	}
	if car := reps[1].Rows[0]; *car.Rate != 1 || *car.N != 80 {
		t.Errorf("Car: share %v of %d, want 1 of 80", *car.Rate, *car.N)
	}
	if walk := reps[2].Rows[0]; *walk.Positive != 3 || *walk.N != 80 {
		t.Errorf("Walk (missing from a month's counts): %d of %d, want 3 of 80", *walk.Positive, *walk.N)
	}
	board := TickShares(q, ticks, ReportOptions{Period: PeriodAll, Board: true})
	if w := board[2].Rows[0]; !w.Suppressed || w.Rate != nil || w.Positive != nil {
		t.Errorf("the board sees a count of 3: %+v", w)
	}
	if b := board[0].Rows[0]; b.Suppressed || b.Rate == nil {
		t.Errorf("the board does not see Bus, 30 of 80: %+v", b)
	}
}
