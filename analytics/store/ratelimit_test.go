package store

import (
	"context"
	"testing"
	"time"
)

// TestSignInFailuresWhileAWriteHoldsTheDatabase: with the writer held (as
// an import holds it), failed sign-ins and a reset are counted without
// waiting, read back at once from the journal, and moved into the
// database, in order, when the writer is let go.
func TestSignInFailuresWhileAWriteHoldsTheDatabase(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	since := t0.Add(-time.Hour)
	// One failure already in the database.
	if err := s.RecordSignInFailure(ctx, []string{"account a", "address x"}, t0, since); err != nil {
		t.Fatal(err)
	}
	if err := s.lockWriter(ctx); err != nil {
		t.Fatal(err)
	}
	// With the writer held here, any call that waited for it would never
	// return, and the test would time out.
	for i := range 3 {
		if err := s.RecordSignInFailure(ctx, []string{"account a", "address x"}, t0.Add(time.Duration(i)*time.Second), since); err != nil {
			t.Fatalf("RecordSignInFailure while the writer is held: %v", err)
		}
	}
	if got, err := s.SignInFailures(ctx, "account a", since); err != nil || len(got) != 4 {
		t.Fatalf("failures while the writer is held: %v %v, want 4", got, err)
	}
	if err := s.ClearSignInFailures(ctx, "account a", t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SignInFailures(ctx, "account a", since); err != nil || len(got) != 0 {
		t.Fatalf("failures after a reset while the writer is held: %v %v, want none", got, err)
	}
	// SQLite keeps them in the journal; PostgreSQL, which lets writers run
	// side by side and has no journal, writes them at once (three instants
	// of two counters).
	want := int64(2)
	if s.db.Dialector.Name() == "postgres" {
		want = 6
	}
	if n := count(t, s, "SELECT COUNT(*) FROM sign_in_failures"); n != want {
		t.Errorf("%d rows in the database while the writer was held, want %d", n, want)
	}
	s.unlockWriter()

	if n := s.pending.count.Load(); n != 0 {
		t.Errorf("%d rows still waiting in the journal", n)
	}
	if got, err := s.SignInFailures(ctx, "account a", since); err != nil || len(got) != 0 {
		t.Errorf("account failures after the move: %v %v, want none (reset after them)", got, err)
	}
	if got, err := s.SignInFailures(ctx, "address x", since); err != nil || len(got) != 4 {
		t.Errorf("address failures after the move: %v %v, want 4", got, err)
	}
	// A failure after the reset counts.
	if err := s.RecordSignInFailure(ctx, []string{"account a"}, t0.Add(2*time.Second), since); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SignInFailures(ctx, "account a", since); err != nil || len(got) != 1 {
		t.Errorf("a failure in the instant of the reset, after it: %v %v, want 1", got, err)
	}
	// Rows past the window go as the next failure is written.
	if err := s.RecordSignInFailure(ctx, []string{"account b"}, t0.Add(time.Hour), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(DISTINCT subject) FROM sign_in_failures"); n != 1 {
		t.Errorf("%d counters after the window, want 1", n)
	}
}

// TestTrimSignInFailures keeps the counters failed most recently.
func TestTrimSignInFailures(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	for i, subject := range []string{"a", "b", "c", "d", "e"} {
		if err := s.RecordSignInFailure(ctx, []string{subject}, t0.Add(time.Duration(i)*time.Second), t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// a fails again last: it is the most recent.
	if err := s.RecordSignInFailure(ctx, []string{"a"}, t0.Add(time.Minute), t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.TrimSignInFailures(ctx, 2); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := s.db.Raw("SELECT DISTINCT subject FROM sign_in_failures ORDER BY subject").Scan(&left).Error; err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || left[0] != "a" || left[1] != "e" {
		t.Errorf("kept %v, want [a e]", left)
	}
	if n, err := s.SignInFailureSubjects(ctx); err != nil || n != 2 {
		t.Errorf("SignInFailureSubjects = %d, %v", n, err)
	}
}
