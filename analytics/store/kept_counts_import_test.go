package store

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// TestImportKeepsCounts checks that an import into a survey large enough
// for kept counts keeps the counts of every scale and single-choice
// question as it stores the responses, and that they equal a direct count
// of the stored responses: partial and undated responses, unanswered
// questions, a second file whose options are in another order (and add
// one) and which lacks a question, and a third file with repeated
// respondents, whose counts are left to its first report.
func TestImportKeepsCounts(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	first := manyResponses("a", keepCountsFrom)
	for i := range first {
		r := &first[i]
		r.Complete = i%7 != 0
		if i%11 == 0 {
			r.Submitted = time.Time{}
		}
		if i%13 == 0 {
			r.Answers[0].Option = -1
		}
		r.Answers[1].Option = i%3 - 1 // -1, 0, 1
	}
	if _, err := s.ImportFile(ctx, request("S", "first.csv", testMapping()), from(first...), nil); err != nil {
		t.Fatal(err)
	}

	second := analytics.Mapping{Format: "generic", HeaderRows: 1,
		Questions: []analytics.Question{
			{Code: "comment", Text: "Any comments?", Kind: analytics.KindText},
			satisfaction("overall", "Poor", "Excellent", "Very good", "Good", "Don't know"),
		}}
	var more []analytics.Response
	for i := range 500 {
		more = append(more, analytics.Response{RespondentID: fmt.Sprintf("b%d", i), Row: i + 2,
			Submitted: time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute), // across a London month's end
			Complete:  i%5 != 0,
			Answers:   []analytics.Answer{{Option: -1, Text: "fine"}, {Option: i%6 - 1}}})
	}
	if _, err := s.ImportFile(ctx, request("S", "second.csv", second), from(more...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var choice []analytics.Question
	for _, q := range qs {
		if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle {
			choice = append(choice, q)
		}
	}
	if len(choice) != 2 {
		t.Fatalf("%d scale and single-choice questions, want 2", len(choice))
	}
	// Kept by the imports themselves, before any report.
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown = ''"); n != 4 {
		t.Fatalf("counts kept for %d questions and imports after two imports, want 4", n)
	}
	check := func(when string) {
		t.Helper()
		for _, q := range choice {
			for _, partial := range []bool{false, true} {
				cq := CountQuery{Question: q.ID, IncludePartial: partial, keep: true}
				plan, err := planCounts(sv.ID, qs, ds, cq)
				if err != nil {
					t.Fatal(err)
				}
				direct, err := s.directCounts(ctx, plan)
				if err != nil {
					t.Fatal(err)
				}
				kept, err := s.Counts(ctx, sv.ID, cq)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := countMap(t, kept), countMap(t, direct); len(want) == 0 || !maps.Equal(got, want) {
					t.Fatalf("%s, question %s, partial %v: kept counts differ from the responses:\n got %v\nwant %v",
						when, q.Code, partial, got, want)
				}
			}
		}
	}
	check("after two imports")

	// Repeated respondents are skipped by the insert: this import keeps no
	// counts, and its first report counts what it stored.
	repeat := append(manyResponses("a", 10), manyResponses("c", 30)...)
	imp, err := s.ImportFile(ctx, request("S", "third.csv", testMapping()), from(repeat...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Duplicates != 10 {
		t.Fatalf("%d duplicates, want 10", imp.Duplicates)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE import_id = ?", imp.ID); n != 0 {
		t.Fatalf("an import with duplicates kept counts for %d questions", n)
	}
	check("after an import with duplicates")
}

// TestImportKeepsNoCountsOfSmallSurvey: below keepCountsFrom responses
// reports count directly, so an import keeps nothing.
func TestImportKeepsNoCountsOfSmallSurvey(t *testing.T) {
	s, _ := newTestStore(t)
	if _, err := s.ImportFile(context.Background(), request("S", "a.csv", testMapping()),
		from(manyResponses("a", keepCountsFrom-1)...), nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted"); n != 0 {
		t.Fatalf("a survey of %d responses kept counts for %d questions", keepCountsFrom-1, n)
	}
}

// TestImportKeepsDimensionValues: an import into a large survey keeps the
// values of its dimensions, and the filter lists read from them equal
// those read from the responses (blank, padded and case-variant values, a
// formula, a second import).
func TestImportKeepsDimensionValues(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	list := manyResponses("a", keepCountsFrom)
	teams := []string{"North", "north", " South ", "", "East", "=cmd()"}
	for i := range list {
		list[i].Dimensions[0] = teams[i%len(teams)]
	}
	if _, err := s.ImportFile(ctx, request("S", "a.csv", testMapping()), from(list...), nil); err != nil {
		t.Fatal(err)
	}
	more := manyResponses("b", 50)
	for i := range more {
		more[i].Dimensions[0] = fmt.Sprintf("West %d", i%3)
	}
	if _, err := s.ImportFile(ctx, request("S", "b.csv", testMapping()), from(more...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	same := func(when string) {
		t.Helper()
		kept, err := s.DimensionValues(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Forget what the imports kept: the values are read from the responses.
		if err := s.db.Exec("DELETE FROM dimension_values_kept").Error; err != nil {
			t.Fatal(err)
		}
		direct, err := s.DimensionValues(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(kept) != fmt.Sprint(direct) || len(direct["team"]) == 0 {
			t.Fatalf("%s: kept values %v differ from the responses' %v", when, kept, direct)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM dimension_values_kept"); n != 2 {
		t.Fatalf("values kept for %d dimensions and imports, want 2", n)
	}
	same("after two imports")
}
