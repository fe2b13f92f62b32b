package store

import (
	"cmp"
	"context"
	"slices"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestWarmCountsKeepsEveryChoiceQuestion(t *testing.T) {
	ctx := context.Background()
	for _, size := range []int{keepCountsFrom - 1, keepCountsFrom} {
		s, _ := newTestStore(t)
		if _, err := s.ImportFile(ctx, request("S", "may.csv", testMapping()), from(manyResponses("R", size)...), nil); err != nil {
			t.Fatal(err)
		}
		sv, err := s.SurveyByName(ctx, "S")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WarmCounts(ctx, sv.ID); err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		if size >= keepCountsFrom {
			want = 2 // the scale and the single-choice question
		}
		if kept := count(t, s, "SELECT COUNT(DISTINCT question_id) FROM report_counted"); kept != want {
			t.Fatalf("%d responses: counts kept for %d questions, want %d", size, kept, want)
		}
		qs, _, err := s.Questions(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Counts(ctx, sv.ID, CountQuery{Question: qs[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		// A filter that keeps every answer makes the store count directly.
		direct, err := s.Counts(ctx, sv.ID, CountQuery{Question: qs[0].ID,
			Where: []Filter{{Field: Field{Question: qs[0].ID}, Options: []int{0, 1, 2, 3}}}})
		if err != nil {
			t.Fatal(err)
		}
		byKey := func(a, b analytics.Count) int {
			return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Group, b.Group), cmp.Compare(a.Option, b.Option))
		}
		slices.SortFunc(got, byKey)
		slices.SortFunc(direct, byKey)
		if len(got) == 0 || !slices.Equal(got, direct) {
			t.Fatalf("%d responses: counts %v differ from a direct count %v", size, got, direct)
		}
	}
}
