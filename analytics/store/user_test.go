package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// tester is the actor of the tests' command-line actions.
func tester() analytics.Actor { return analytics.CommandLine("tester") }

// addUser creates an account with a made-up password hash.
func addUser(tb testing.TB, s *Store, email string, role analytics.UserRole) analytics.User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), analytics.User{Email: email, Role: role}, "$argon2id$hash-of-"+email, tester())
	if err != nil {
		tb.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// lastEvent returns the newest audit event.
func lastEvent(tb testing.TB, s *Store) analytics.AuditEvent {
	tb.Helper()
	list, err := s.AuditEvents(context.Background(), AuditQuery{Limit: 1})
	if err != nil || len(list) != 1 {
		tb.Fatalf("AuditEvents: %v, %d events", err, len(list))
	}
	return list[0]
}

// checkEvent fails unless e is action on an object containing object, by
// the command line, with outcome ok.
func checkEvent(tb testing.TB, e analytics.AuditEvent, action analytics.AuditAction, object string) {
	tb.Helper()
	if e.Action != action || !strings.Contains(e.Object, object) || e.Who != "command line:tester" ||
		e.From != analytics.CommandLineSource || e.Outcome != analytics.OutcomeOK || e.At.IsZero() {
		tb.Errorf("audit event %+v, want %s of %q by the command line", e, action, object)
	}
}

func TestCreateUser(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, analytics.User{Email: "  Ann.Smith@Council.GOV.uk ", Name: "Ann", Role: analytics.RoleAnalyst},
		"$argon2id$x", tester())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Email != "ann.smith@council.gov.uk" || u.Role != analytics.RoleAnalyst || u.Disabled || u.CreatedAt.IsZero() {
		t.Fatalf("created %+v", u)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditUserCreate, "ann.smith@council.gov.uk")

	got, hash, err := s.UserPasswordHash(ctx, "ANN.SMITH@council.gov.uk")
	if err != nil || got.ID != u.ID || hash != "$argon2id$x" {
		t.Fatalf("UserPasswordHash = %+v, %q, %v", got, hash, err)
	}
	if _, err := s.UserByEmail(ctx, "nobody@council.gov.uk"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown email: %v, want ErrNotFound", err)
	}

	tests := []struct {
		name  string
		user  analytics.User
		hash  string
		match error
	}{
		{"email in use, other case", analytics.User{Email: "ANN.SMITH@council.gov.uk", Role: analytics.RoleViewer}, "h", ErrExists},
		{"no at sign", analytics.User{Email: "ann", Role: analytics.RoleViewer}, "h", nil},
		{"space inside", analytics.User{Email: "a b@c.d", Role: analytics.RoleViewer}, "h", nil},
		{"unknown role", analytics.User{Email: "b@c.d", Role: "superuser"}, "h", nil},
		{"no hash", analytics.User{Email: "b@c.d", Role: analytics.RoleViewer}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, tt.user, tt.hash, tester())
			if err == nil || tt.match != nil && !errors.Is(err, tt.match) {
				t.Fatalf("error %v, want one (matching %v)", err, tt.match)
			}
		})
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 1 {
		t.Fatalf("Users = %v, %v; refused accounts must not be stored", users, err)
	}
}

func TestCreateFirstAdmin(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	made := make([]bool, 8)
	for i := range made {
		wg.Go(func() {
			u := analytics.User{Email: fmt.Sprintf("admin%d@localhost", i), Role: analytics.RoleViewer}
			_, ok, err := s.CreateFirstAdmin(ctx, u, "h", tester())
			if err != nil {
				t.Error(err)
			}
			made[i] = ok
		})
	}
	wg.Wait()
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ok := range made {
		if ok {
			n++
		}
	}
	if n != 1 || len(users) != 1 || users[0].Role != analytics.RoleAdmin {
		t.Fatalf("%d callers created an admin; accounts %+v, want exactly one admin", n, users)
	}
}

func TestUserChanges(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	admin := addUser(t, s, "admin@localhost", analytics.RoleAdmin)
	ann := addUser(t, s, "ann@council.gov.uk", analytics.RoleViewer)

	steps := []struct {
		name   string
		do     func() error
		action analytics.AuditAction
		object string
		want   error
	}{
		{"make ann an analyst", func() error { return s.SetUserRole(ctx, ann.ID, analytics.RoleAnalyst, tester()) },
			analytics.AuditUserRole, "ann@", nil},
		{"disable ann", func() error { return s.SetUserDisabled(ctx, ann.ID, true, tester()) },
			analytics.AuditUserDisable, "ann@", nil},
		{"new password for ann", func() error { return s.SetUserPassword(ctx, ann.ID, "new-hash", tester()) },
			analytics.AuditUserPassword, "ann@", nil},
		{"the last admin cannot be disabled", func() error { return s.SetUserDisabled(ctx, admin.ID, true, tester()) },
			"", "", ErrLastAdmin},
		{"nor demoted", func() error { return s.SetUserRole(ctx, admin.ID, analytics.RoleBoard, tester()) },
			"", "", ErrLastAdmin},
		{"unknown account", func() error { return s.SetUserDisabled(ctx, 999, true, tester()) }, "", "", ErrNotFound},
		{"make ann admin", func() error { return s.SetUserRole(ctx, ann.ID, analytics.RoleAdmin, tester()) },
			analytics.AuditUserRole, "ann@", nil},
		{"a disabled admin does not count", func() error { return s.SetUserRole(ctx, admin.ID, analytics.RoleBoard, tester()) },
			"", "", ErrLastAdmin},
		{"enable ann", func() error { return s.SetUserDisabled(ctx, ann.ID, false, tester()) },
			analytics.AuditUserEnable, "ann@", nil},
		{"now the first admin can go", func() error { return s.SetUserDisabled(ctx, admin.ID, true, tester()) },
			analytics.AuditUserDisable, "admin@localhost", nil},
	}
	for _, st := range steps {
		before := count(t, s, "SELECT COUNT(*) FROM audit_events")
		err := st.do()
		if st.want != nil {
			if !errors.Is(err, st.want) {
				t.Fatalf("%s: error %v, want %v", st.name, err, st.want)
			}
			if after := count(t, s, "SELECT COUNT(*) FROM audit_events"); after != before {
				t.Errorf("%s: a refused change was audited as done", st.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkEvent(t, lastEvent(t, s), st.action, st.object)
	}
	got, hash, err := s.UserPasswordHash(ctx, "ann@council.gov.uk")
	if err != nil || got.Role != analytics.RoleAdmin || got.Disabled || hash != "new-hash" {
		t.Fatalf("ann is %+v with hash %q (%v)", got, hash, err)
	}
	if e := lastEvent(t, s); e.Detail != "" || !strings.Contains(e.Object, "admin@localhost") {
		t.Errorf("last event %+v", e)
	}

	if err := s.RecordSignIn(ctx, ann.ID, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	e := lastEvent(t, s)
	if e.Action != analytics.AuditSignIn || e.Who != "ann@council.gov.uk" || e.UserID != ann.ID || e.From != "192.0.2.7" {
		t.Errorf("sign-in event %+v", e)
	}
	if u, _ := s.User(ctx, ann.ID); u.LastSignIn.IsZero() {
		t.Errorf("last sign-in not recorded: %+v", u)
	}
}
