package store

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// checkCounts fails unless the survey's counts of "overall" by team, read
// directly and through the kept counts, are those of the responses list.
func checkCounts(tb testing.TB, s *Store, surveyID int64, q CountQuery, list []analytics.Response) {
	tb.Helper()
	want := expectCounts(list, q, len(q.By) > 0, false, nil, nil)
	for _, keep := range []bool{false, true} {
		q.keep = keep
		counts, err := s.Counts(context.Background(), surveyID, q)
		if err != nil {
			tb.Fatal(err)
		}
		if got := countMap(tb, counts); !maps.Equal(got, want) {
			tb.Fatalf("kept counts %v: counts differ from the responses:\n got %v\nwant %v", keep, got, want)
		}
	}
}

func TestPurge(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, team, all := reportSurvey(t, s)
	q := CountQuery{Question: qs["overall"].ID, By: []Field{{Dimension: team.ID}}, IncludePartial: true}
	checkCounts(t, s, sv.ID, q, all) // fills the kept counts

	if _, err := s.Purge(ctx, PurgeRequest{SurveyID: sv.ID}, tester()); err == nil {
		t.Fatal("purging a survey without a retention period was accepted")
	}
	if err := s.SetRetention(ctx, sv.ID, 365, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditRetentionSet, `"Reports"`)
	for _, bad := range []int{-1, MaxRetentionDays + 1} {
		if err := s.SetRetention(ctx, sv.ID, bad, tester()); err == nil {
			t.Errorf("SetRetention(%d) accepted", bad)
		}
	}
	list, err := s.Retentions(ctx)
	if err != nil || len(list) != 1 || list[0].Days != 365 || list[0].Survey != "Reports" || list[0].SetBy != "command line:tester" {
		t.Fatalf("Retentions = %+v, %v", list, err)
	}

	cutoff := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	var keep []analytics.Response
	for _, r := range all {
		// Undated responses go by their import's date, which is today.
		if r.Submitted.IsZero() || !r.Submitted.Before(cutoff) {
			keep = append(keep, r)
		}
	}
	req := PurgeRequest{Now: cutoff.AddDate(0, 0, 365), DryRun: true}
	events := count(t, s, "SELECT COUNT(*) FROM audit_events")
	dry, err := s.Purge(ctx, req, tester())
	wantGone := int64(len(all) - len(keep))
	if err != nil || len(dry) != 1 || dry[0].Responses != wantGone || !dry[0].Cutoff.Equal(cutoff) {
		t.Fatalf("dry run = %+v, %v; want %d responses before %s", dry, err, wantGone, cutoff)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM "+responseTable(sv.ID)); n != int64(len(all)) ||
		count(t, s, "SELECT COUNT(*) FROM audit_events") != events {
		t.Fatalf("a dry run changed something: %d responses", n)
	}

	req.DryRun = false
	done, err := s.Purge(ctx, req, tester())
	if err != nil || len(done) != 1 || done[0].Responses != wantGone {
		t.Fatalf("Purge = %+v, %v; want %d responses", done, err, wantGone)
	}
	e := lastEvent(t, s)
	checkEvent(t, e, analytics.AuditRetentionPurge, `"Reports"`)
	if !strings.HasPrefix(e.Detail, fmt.Sprintf("%d responses", wantGone)) || !strings.Contains(e.Detail, "2024-09-01") {
		t.Errorf("purge event detail %q", e.Detail)
	}
	checkCounts(t, s, sv.ID, q, keep)
	checkCounts(t, s, sv.ID, CountQuery{Question: qs["overall"].ID}, keep)
	if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 2 {
		t.Errorf("%d imports left; a purge keeps their records", n)
	}

	// Purging again deletes nothing and records nothing.
	events = count(t, s, "SELECT COUNT(*) FROM audit_events")
	if again, err := s.Purge(ctx, req, tester()); err != nil || again[0].Responses != 0 ||
		count(t, s, "SELECT COUNT(*) FROM audit_events") != events {
		t.Errorf("second purge = %+v, %v", again, err)
	}

	// A day's retention a year from now leaves nothing, undated included.
	if err := s.SetRetention(ctx, sv.ID, 1, tester()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, PurgeRequest{Now: time.Now().AddDate(1, 0, 0)}, tester()); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, sv.ID, q, nil)

	// Clearing the period takes the survey out of purges.
	if err := s.SetRetention(ctx, sv.ID, 0, tester()); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Purge(ctx, PurgeRequest{}, tester()); err != nil || len(got) != 0 {
		t.Errorf("purge with no retention periods = %+v, %v", got, err)
	}
	if list, _ := s.Retentions(ctx); len(list) != 1 || list[0].Days != 0 {
		t.Errorf("Retentions after clearing = %+v", list)
	}
}
