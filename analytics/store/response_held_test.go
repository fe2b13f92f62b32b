package store

import (
	"context"
	"testing"
	"time"
)

// TestHeldResponses: the number of responses a survey holds, read from its
// imports, is the number in its response table after imports with
// duplicates, a retention purge, a dry run and the deletion of an import;
// and migration 13 fills it right for a database purged before it.
func TestHeldResponses(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	sv, _, _, _ := reportSurvey(t, s)
	if _, err := s.ImportFile(ctx, request("Reports", "again.csv", testMapping()),
		from(append(reportResponses("b", 30), reportResponses("b", 30)...)...), nil); err != nil {
		t.Fatal(err)
	}
	table := responseTable(sv.ID)
	agree := func(when string) {
		t.Helper()
		want := count(t, s, "SELECT COUNT(*) FROM "+table)
		if got, err := s.ResponseCount(ctx, sv.ID); err != nil || got != want {
			t.Fatalf("%s: ResponseCount = %d, %v; the table holds %d", when, got, err, want)
		}
		list, err := s.Surveys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sum := range list {
			if sum.Survey.ID == sv.ID && (sum.Responses != want || sum.FirstDate != first(t, s, table, "MIN") ||
				sum.LastDate != first(t, s, table, "MAX")) {
				t.Fatalf("%s: Surveys gives %d responses from %s to %s; the table holds %d", when, sum.Responses,
					sum.FirstDate, sum.LastDate, want)
			}
		}
		imports, err := s.Imports(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range imports {
			n, err := s.ImportResponses(ctx, imp.ID)
			if want := count(t, s, "SELECT COUNT(*) FROM "+table+" WHERE import_id = ?", imp.ID); err != nil || n != want {
				t.Fatalf("%s: ImportResponses(%d) = %d, %v; want %d", when, imp.ID, n, err, want)
			}
		}
	}
	agree("after three imports")
	if err := s.SetRetention(ctx, sv.ID, 365, tester()); err != nil {
		t.Fatal(err)
	}
	req := PurgeRequest{Now: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), DryRun: true}
	if _, err := s.Purge(ctx, req, tester()); err != nil {
		t.Fatal(err)
	}
	agree("after a dry run")
	req.DryRun = false
	done, err := s.Purge(ctx, req, tester())
	if err != nil || len(done) != 1 || done[0].Responses == 0 {
		t.Fatalf("Purge = %+v, %v; want some responses deleted", done, err)
	}
	agree("after a purge")

	// A database purged before migration 13: its imports' purged column
	// starts at 0 and is filled from the response tables.
	if err := s.db.Exec("UPDATE imports SET purged = 0").Error; err != nil {
		t.Fatal(err)
	}
	if err := fillPurged(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	agree("after migration 13")

	imports, err := s.Imports(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteImport(ctx, imports[0].ID, tester()); err != nil {
		t.Fatal(err)
	}
	agree("after deleting an import")
}

// first is MIN or MAX of a response table's days.
func first(t *testing.T, s *Store, table, fn string) string {
	t.Helper()
	var day string
	if err := s.db.Raw("SELECT COALESCE(" + fn + "(day), '') FROM " + table).Row().Scan(&day); err != nil {
		t.Fatal(err)
	}
	return day
}
