package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

func TestAuditEvents(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	web := analytics.Actor{UserID: 7, Who: "ann@council.gov.uk", From: "192.0.2.7"}
	events := []analytics.AuditEvent{
		analytics.NewAuditEvent(web, analytics.AuditSignIn, "user 7", analytics.OutcomeFailed, "wrong password"),
		analytics.NewAuditEvent(web, analytics.AuditSignIn, "user 7", "", ""),
		analytics.NewAuditEvent(web, analytics.AuditDownload, "survey 1 trends.csv", analytics.OutcomeOK, ""),
		analytics.NewAuditEvent(tester(), analytics.AuditImport, "file a.csv", analytics.OutcomeRefused, "password-protected"),
	}
	for _, e := range events {
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// An event without who or where is refused.
	for _, bad := range []analytics.AuditEvent{{Action: analytics.AuditSignIn, From: "x"}, {Action: analytics.AuditSignIn, Who: "x"}, {Who: "x", From: "y"}} {
		if err := s.Audit(ctx, bad); err == nil {
			t.Errorf("Audit(%+v) accepted", bad)
		}
	}
	// Long or multi-line text is kept to one bounded line.
	long := analytics.NewAuditEvent(web, analytics.AuditSignIn, strings.Repeat("é", 400)+"\nfake line", analytics.OutcomeFailed, "")
	if err := s.Audit(ctx, long); err != nil {
		t.Fatal(err)
	}

	all, err := s.AuditEvents(ctx, AuditQuery{OldestFirst: true})
	if err != nil || len(all) != 5 {
		t.Fatalf("AuditEvents = %d events, %v", len(all), err)
	}
	if all[1].Outcome != analytics.OutcomeOK || all[0].Detail != "wrong password" || all[3].Who != "command line:tester" {
		t.Errorf("events read back as %+v", all)
	}
	if o := all[4].Object; len(o) > maxAuditField+len("…") || strings.Contains(o, "\n") {
		t.Errorf("long object stored as %d bytes: %q", len(o), o)
	}
	future := time.Now().Add(time.Hour)
	tests := []struct {
		name string
		q    AuditQuery
		want []int64 // ids
	}{
		{"newest first", AuditQuery{}, []int64{5, 4, 3, 2, 1}},
		{"limit", AuditQuery{Limit: 2}, []int64{5, 4}},
		{"limit, oldest first", AuditQuery{Limit: 2, OldestFirst: true}, []int64{4, 5}},
		{"one action", AuditQuery{Action: analytics.AuditSignIn}, []int64{5, 2, 1}},
		{"one account", AuditQuery{UserID: 7, Action: analytics.AuditDownload}, []int64{3}},
		{"paging back", AuditQuery{BeforeID: 3}, []int64{2, 1}},
		{"since a time to come", AuditQuery{Since: future}, nil},
		{"until a time to come", AuditQuery{Until: future, Limit: -1}, []int64{5, 4, 3, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.AuditEvents(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("ids %v, want %v", ids, tt.want)
			}
		})
	}
	if _, err := s.AuditEvents(ctx, AuditQuery{Since: future, Until: future.Add(-time.Minute)}); err == nil {
		t.Error("a start after the end was accepted")
	}
}
