package store

import (
	"context"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// TestSignInWhileAWriteHoldsTheDatabase: with the writer held (as an
// import holds it for its whole transaction), a sign-in is recorded and
// its session saved without waiting for the writer: they are kept in the
// journal, the session can be found at once, and both reach the database
// when the writer is let go.
func TestSignInWhileAWriteHoldsTheDatabase(t *testing.T) {
	s, _ := newTestStore(t)
	u := addUser(t, s, "ana@example.org", analytics.RoleAnalyst)
	before := count(t, s, "SELECT COUNT(*) FROM audit_events")
	if err := s.lockWriter(context.Background()); err != nil {
		t.Fatal(err)
	}
	// With the writer held here, any call that waited for it would never
	// return, and the test would time out.
	ctx := context.Background()
	if err := s.RecordSignIn(ctx, u.ID, "192.0.2.1"); err != nil {
		t.Fatalf("RecordSignIn while the writer is held: %v", err)
	}
	if err := s.Audit(ctx, analytics.NewAuditEvent(analytics.Actor{Who: "anonymous", From: "192.0.2.2"},
		analytics.AuditSignIn, "unknown account", analytics.OutcomeFailed, "wrong email or password")); err != nil {
		t.Fatalf("Audit while the writer is held: %v", err)
	}
	ss := s.Sessions()
	if err := ss.CommitCtx(ctx, "tok-new", []byte("signed in"), time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("Commit while the writer is held: %v", err)
	}
	if b, found, err := ss.FindCtx(ctx, "tok-new"); err != nil || !found || string(b) != "signed in" {
		t.Fatalf("Find while the writer is held = %q, %v, %v", b, found, err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM audit_events"); n != before && !s.pg {
		t.Errorf("%d audit events written to the database while the writer was held", n-before)
	} else if n != before+2 && s.pg {
		// PostgreSQL has no journal: they are written at once, beside
		// the write that holds this process's writer.
		t.Errorf("%d audit events written to PostgreSQL while the writer was held, want 2", n-before)
	}
	s.unlockWriter()

	if n := count(t, s, "SELECT COUNT(*) FROM audit_events"); n != before+2 {
		t.Errorf("%d audit events after the writer was let go, want %d", n, before+2)
	}
	events, err := s.AuditEvents(ctx, AuditQuery{Action: analytics.AuditSignIn, OldestFirst: true})
	if err != nil || len(events) != 2 || events[0].UserID != u.ID || events[0].From != "192.0.2.1" ||
		events[1].Outcome != analytics.OutcomeFailed {
		t.Errorf("sign-in events %+v, %v; want the sign-in then the failure", events, err)
	}
	got, err := s.User(ctx, u.ID)
	if err != nil || got.LastSignIn.IsZero() {
		t.Errorf("last sign-in %v, %v; want it set", got.LastSignIn, err)
	}
	if row, found := sessionRowOf(t, s, "tok-new"); !found || string(row.Data) != "signed in" {
		t.Errorf("session after the writer was let go: %+v %v", row, found)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", hashToken("tok-new")); n != 1 {
		t.Errorf("session rows in the database %d, want 1", n)
	}
	if n := s.pending.count.Load(); n != 0 {
		t.Errorf("%d rows still waiting in the journal", n)
	}
	// Signing out deletes it for good.
	if err := ss.DeleteCtx(ctx, "tok-new"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.FindCtx(ctx, "tok-new"); found {
		t.Error("the session is still found after it was deleted")
	}
}

// TestPendingSignInsSurviveAStop: what waits in the journal when the
// process stops is moved into the database when it is next opened.
func TestPendingSignInsSurviveAStop(t *testing.T) {
	skipOnPostgres(t, "the pending journal is a SQLite file; PostgreSQL writes sign-ins straight away")
	path := t.TempDir() + "/heard.db"
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	u := addUser(t, s, "ana@example.org", analytics.RoleAnalyst)
	if err := s.lockWriter(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSignIn(context.Background(), u.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	// Stop without letting the writer go.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path)
	events, err := s.AuditEvents(context.Background(), AuditQuery{Action: analytics.AuditSignIn})
	if err != nil || len(events) != 1 || events[0].UserID != u.ID {
		t.Errorf("sign-ins after reopening: %+v, %v; want the one kept in the journal", events, err)
	}
	if n := s.pending.count.Load(); n != 0 {
		t.Errorf("%d rows still waiting in the journal", n)
	}
}

// TestSessionInAnotherProcesssJournal: a session one process kept in the
// journal while its writer was held is found by another process on the
// same database, and signing out there ends it for good.
func TestSessionInAnotherProcesssJournal(t *testing.T) {
	a, path := newTestStore(t)
	b := openTest(t, path)
	ctx := context.Background()
	if err := a.lockWriter(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Sessions().CommitCtx(ctx, "tok", []byte("signed in on a"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, found, err := b.Sessions().FindCtx(ctx, "tok"); err != nil || !found || string(got) != "signed in on a" {
		t.Fatalf("the other process finds %q, %v, %v", got, found, err)
	}
	if err := b.Sessions().DeleteCtx(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	a.unlockWriter() // would move the session into the database, were it still in the journal
	for name, s := range map[string]*Store{"a": a, "b": b} {
		if _, found, err := s.Sessions().FindCtx(ctx, "tok"); err != nil || found {
			t.Errorf("process %s still finds the session after sign-out: %v %v", name, found, err)
		}
	}
}
