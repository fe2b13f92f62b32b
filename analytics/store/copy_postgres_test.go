package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// Repeated respondents are skipped and counted the same way on both
// backends (INSERT ... ON CONFLICT on SQLite, COPY through a temporary table
// on PostgreSQL): a repeat counts as changed when its answers or dimension
// values differ from the row kept, and the row kept is the first.
func TestImportCountsChangedRepeats(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	day := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	first := []analytics.Response{
		response("a", 2, day, 0, "North"), response("b", 3, day, 1, "North"), response("c", 4, day, 2, "North"),
	}
	imp, err := s.ImportFile(ctx, request("Care", "may.csv", testMapping()), from(first...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 3 || imp.Duplicates != 0 || imp.Changed != 0 {
		t.Fatalf("first file: added %d, duplicates %d, changed %d; want 3, 0, 0", imp.Added, imp.Duplicates, imp.Changed)
	}
	second := []analytics.Response{
		response("a", 2, day, 0, "North"), // same as stored
		response("b", 3, day, 3, "North"), // another answer
		response("c", 4, day, 2, "South"), // another dimension value
		response("d", 5, day, 1, "East"),  // new
		response("d", 6, day, 2, "East"),  // repeats d of this file with another answer: d keeps 1
		response("d", 7, day, 1, "East"),  // repeats d unchanged
		response("", 8, day, 0, "West"),   // no id: always added
		response("", 9, day, 0, "West"),
	}
	imp, err = s.ImportFile(ctx, request("Care", "june.csv", testMapping()), from(second...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 3 || imp.Duplicates != 5 || imp.Changed != 3 {
		t.Errorf("second file: added %d, duplicates %d, changed %d; want 3, 5, 3", imp.Added, imp.Duplicates, imp.Changed)
	}
	table := responseTable(imp.SurveyID)
	qs, _, err := s.Questions(ctx, imp.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	q := quote(questionColumn(qs[0].ID))
	if got := count(t, s, "SELECT "+q+" FROM "+table+" WHERE respondent_id = 'd'"); got != 1 {
		t.Errorf("d kept option position %d, want 1 (its first row's)", got)
	}
	if got := count(t, s, "SELECT row_number FROM "+table+" WHERE respondent_id = 'd'"); got != 5 {
		t.Errorf("d kept row %d, want 5", got)
	}
	if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != 6 {
		t.Errorf("%d rows stored, want 6", got)
	}
	// The same file again adds nothing.
	if _, err := s.ImportFile(ctx, request("Care", "june.csv", testMapping()), from(second...), nil); err == nil {
		t.Error("the same file imported twice")
	}
	if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != 6 {
		t.Errorf("%d rows stored after the repeat, want 6", got)
	}
}

// On PostgreSQL a row the database itself refuses in the middle of a COPY
// (text holding a NUL byte, which PostgreSQL's text cannot hold) fails the
// import and leaves nothing stored, the survey's table included.
func TestCopyRefusedRowLeavesNothing(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: run with HEARD_TEST_BACKEND=postgres")
	}
	for _, first := range []bool{false, true} {
		t.Run(fmt.Sprintf("survey imported before %v", first), func(t *testing.T) {
			s, _ := newTestStore(t)
			ctx := context.Background()
			if first {
				if _, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()), from(manyResponses("m", 300)...), nil); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, s)
			list := manyResponses("a", 5000)
			list[3000].Answers[3].Text = "kind\x00staff"
			_, err := s.ImportFile(ctx, request("Care", "april.csv", testMapping()), from(list...), nil)
			if err == nil {
				t.Fatal("import with a NUL byte in a text answer succeeded")
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("database changed by a failed import:\nbefore %s\nafter  %s", before, after)
			}
			if !first && hasTable(t, s, "responses_1") {
				t.Error("response table left behind")
			}
			// The connection the failed import ran on is usable again.
			imp, err := s.ImportFile(ctx, request("Care", "april-fixed.csv", testMapping()), from(manyResponses("a", 5000)...), nil)
			if err != nil {
				t.Fatal(err)
			}
			if imp.Added != 5000 {
				t.Errorf("added %d after the failure, want 5000", imp.Added)
			}
		})
	}
}
