package store

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// The session store is what scs expects.
var (
	_ scs.Store    = (*SessionStore)(nil)
	_ scs.CtxStore = (*SessionStore)(nil)
)

// sessionRowOf reads a session's stored row.
func sessionRowOf(tb testing.TB, s *Store, token string) (sessionRow, bool) {
	tb.Helper()
	row, found, err := s.Sessions().find(context.Background(), token)
	if err != nil {
		tb.Fatal(err)
	}
	return row, found
}

func TestSessionStore(t *testing.T) {
	s, _ := newTestStore(t)
	ss := s.Sessions()
	now := time.Now().UTC()
	if _, found, err := ss.Find("none"); found || err != nil {
		t.Fatalf("Find(unknown) = %v, %v", found, err)
	}
	if err := ss.Commit("tok-a", []byte("data a"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ss.Commit("tok-old", []byte("old"), now.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE token_hash IN ('tok-a', 'tok-old')"); n != 0 {
		t.Fatal("session tokens are stored as they are")
	}

	steps := []struct {
		name  string
		token string
		want  string // "" for not found
	}{
		{"stored", "tok-a", "data a"},
		{"expired", "tok-old", ""},
		{"other token", "tok-b", ""},
	}
	for _, st := range steps {
		b, found, err := ss.FindCtx(context.Background(), st.token)
		if err != nil || found != (st.want != "") || string(b) != st.want {
			t.Errorf("%s: Find = %q, %v, %v; want %q", st.name, b, found, err, st.want)
		}
	}

	// New data replaces the old, with its expiry.
	if err := ss.Commit("tok-a", []byte("data a2"), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := ss.Find("tok-a"); string(b) != "data a2" {
		t.Fatalf("after a second commit: %q", b)
	}
	// The same data a few seconds later is not written again; an hour
	// later it is.
	before, _ := sessionRowOf(t, s, "tok-a")
	if err := ss.Commit("tok-a", []byte("data a2"), now.Add(2*time.Hour+10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if row, _ := sessionRowOf(t, s, "tok-a"); row.Expiry != before.Expiry {
		t.Errorf("expiry rewritten for a 10 second extension: %s -> %s", before.Expiry, row.Expiry)
	}
	if err := ss.Commit("tok-a", []byte("data a2"), now.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if row, _ := sessionRowOf(t, s, "tok-a"); row.Expiry != formatTime(now.Add(3*time.Hour)) {
		t.Errorf("expiry %s after an hour's extension, want %s", row.Expiry, formatTime(now.Add(3*time.Hour)))
	}
	// An expiry brought forward is always written.
	if err := ss.Commit("tok-a", []byte("data a2"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if row, _ := sessionRowOf(t, s, "tok-a"); row.Expiry != formatTime(now.Add(time.Minute)) {
		t.Errorf("expiry %s after bringing it forward", row.Expiry)
	}

	if err := ss.Delete("tok-a"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.Find("tok-a"); found {
		t.Error("deleted session found")
	}
	if err := ss.Delete("tok-a"); err != nil {
		t.Errorf("deleting an unknown session: %v", err)
	}
	n, err := s.DeleteExpiredSessions(context.Background())
	if err != nil || n != 1 || count(t, s, "SELECT COUNT(*) FROM sessions") != 0 {
		t.Errorf("DeleteExpiredSessions = %d, %v, want the one expired session", n, err)
	}
}

func TestSessionExtensionDoesNotWaitForAnImport(t *testing.T) {
	s, _ := newTestStore(t)
	ss := s.Sessions()
	now := time.Now().UTC()
	if err := ss.Commit("tok", []byte("d"), now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.writer <- struct{}{} // an import holds the writer
	start := time.Now()
	err := ss.Commit("tok", []byte("d"), now.Add(40*time.Minute))
	<-s.writer
	if err != nil || time.Since(start) > 2*time.Second {
		t.Fatalf("extension during an import: %v after %v", err, time.Since(start))
	}
	if b, found, _ := ss.Find("tok"); !found || string(b) != "d" {
		t.Fatal("the session was lost")
	}
}
