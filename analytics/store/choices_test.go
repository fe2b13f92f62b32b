package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// TestTicksAndNumbers compares the SQL's ticks and numbers with the same
// counted in Go from the responses imported, under a date range and a
// filter.
func TestTicksAndNumbers(t *testing.T) {
	s, _ := newTestStore(t)
	list := reportResponses("t", 300)
	for i := range list {
		a := &list[i].Answers
		switch i % 5 {
		case 0:
			(*a)[2].Options = nil // not answered
		case 1:
			(*a)[2].Options = []int{1}
		case 2:
			(*a)[2].Options = []int{0, 1, 2}
		default:
			(*a)[2].Options = []int{2}
		}
		(*a)[4] = analytics.Answer{Option: -1, Number: float64(i % 17), HasNumber: i%6 != 0}
	}
	if _, err := s.ImportFile(context.Background(), request("Ticks", "ticks.csv", testMapping()), from(list...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(context.Background(), "Ticks")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := s.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := func(code string) int64 {
		i := slices.IndexFunc(qs, func(q analytics.Question) bool { return q.Code == code })
		return qs[i].ID
	}
	q := CountQuery{From: "2024-03-01", To: "2024-11-30",
		Where: []Filter{{Field: Field{Dimension: ds[0].ID}, Values: []string{"north", "South"}}}}
	want := map[string]analytics.TickCount{}
	var wantNumbers []float64
	for _, r := range list {
		day := ""
		if !r.Submitted.IsZero() {
			day = r.Submitted.UTC().Format(time.DateOnly)
		}
		team := r.Dimensions[0]
		if !r.Complete || day == "" || day < q.From || day > q.To || (team != "North" && team != "South") {
			continue
		}
		if r.Answers[4].HasNumber {
			wantNumbers = append(wantNumbers, r.Answers[4].Number)
		}
		if len(r.Answers[2].Options) == 0 {
			continue
		}
		tc := want[day[:7]]
		tc.Month, tc.Answered = day[:7], tc.Answered+1
		if tc.Ticked == nil {
			tc.Ticked = make([]int64, 3)
		}
		for _, o := range r.Answers[2].Options {
			tc.Ticked[o]++
		}
		want[day[:7]] = tc
	}
	q.Question = id("helped")
	got, err := s.Ticks(context.Background(), sv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 5 {
		t.Fatalf("got %d months of ticks, want %d (at least 5): %+v", len(got), len(want), got)
	}
	for _, g := range got {
		if w := want[g.Month]; w.Answered != g.Answered || !slices.Equal(w.Ticked, g.Ticked) {
			t.Errorf("month %s: got %+v, want %+v", g.Month, g, w)
		}
	}
	q.Question = id("visits")
	numbers, err := s.Numbers(context.Background(), sv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	slices.Sort(wantNumbers)
	if !slices.Equal(numbers, wantNumbers) || len(numbers) < 20 {
		t.Errorf("got numbers %v, want %v", numbers, wantNumbers)
	}
	if _, err := s.Ticks(context.Background(), sv.ID, CountQuery{Question: id("overall")}); err == nil {
		t.Error("Ticks of a scale question gave no error")
	}
	if _, err := s.Numbers(context.Background(), sv.ID, CountQuery{Question: id("helped")}); err == nil {
		t.Error("Numbers of a multiple-choice question gave no error")
	}
}
