package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

func TestTokenLifecycle(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	addUser(t, s, "admin@localhost", analytics.RoleAdmin)
	bot := addUser(t, s, "uploads@council.gov.uk", analytics.RoleAnalyst)

	tok, secret, err := s.CreateToken(ctx, bot.ID, "  monthly   upload ", tester())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != len(TokenPrefix)+43 || !strings.HasPrefix(secret, tok.Prefix) ||
		tok.Name != "monthly upload" || tok.Email != bot.Email {
		t.Fatalf("token %+v, secret %q", tok, secret)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditTokenCreate, tok.Prefix)
	if n := count(t, s, "SELECT COUNT(*) FROM tokens WHERE hash = ? OR prefix = ?", secret, secret); n != 0 {
		t.Fatal("the secret is stored as it is")
	}
	_, other, err := s.CreateToken(ctx, bot.ID, "", tester())
	if err != nil || other == secret {
		t.Fatalf("second token %q, %v", other, err)
	}

	u, got, err := s.ResolveToken(ctx, secret)
	if err != nil || u.ID != bot.ID || got.ID != tok.ID || got.LastUsed.IsZero() {
		t.Fatalf("ResolveToken = %+v, %+v, %v", u, got, err)
	}

	for _, bad := range []string{"", "heard_", secret + "x", strings.TrimPrefix(secret, TokenPrefix), strings.ToUpper(secret)} {
		if _, _, err := s.ResolveToken(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("ResolveToken(%q): %v, want ErrNotFound", bad, err)
		}
	}

	if err := s.RevokeToken(ctx, tok.ID, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditTokenRevoke, tok.Prefix)
	if _, _, err := s.ResolveToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token resolves: %v", err)
	}
	if err := s.RevokeToken(ctx, tok.ID, tester()); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if err := s.RevokeToken(ctx, 999, tester()); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking an unknown token: %v, want ErrNotFound", err)
	}
	if _, _, err := s.ResolveToken(ctx, other); err != nil {
		t.Fatalf("revoking one token stopped another: %v", err)
	}

	// A disabled account's tokens stop working, and work again when it is
	// enabled.
	if err := s.SetUserDisabled(ctx, bot.ID, true, tester()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ResolveToken(ctx, other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("token of a disabled account resolves: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, bot.ID, "", tester()); err == nil {
		t.Error("a disabled account was given a token")
	}
	if err := s.SetUserDisabled(ctx, bot.ID, false, tester()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ResolveToken(ctx, other); err != nil {
		t.Fatalf("token of a re-enabled account: %v", err)
	}

	list, err := s.Tokens(ctx, 0)
	if err != nil || len(list) != 2 || list[0].Revoked() || !list[1].Revoked() || list[1].ID != tok.ID || list[1].Email != bot.Email {
		t.Fatalf("Tokens = %+v, %v", list, err)
	}
	if mine, err := s.Tokens(ctx, bot.ID+100); err != nil || len(mine) != 0 {
		t.Errorf("tokens of another account: %+v, %v", mine, err)
	}
}

func TestResolveTokenDoesNotWaitForTheWriter(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	bot := addUser(t, s, "uploads@council.gov.uk", analytics.RoleAnalyst)
	_, secret, err := s.CreateToken(ctx, bot.ID, "", tester())
	if err != nil {
		t.Fatal(err)
	}
	s.writer <- struct{}{} // an import is running
	start := time.Now()
	_, tok, err := s.ResolveToken(ctx, secret)
	<-s.writer
	if err != nil || time.Since(start) > 2*time.Second {
		t.Fatalf("ResolveToken during an import: %v after %v", err, time.Since(start))
	}
	if !tok.LastUsed.IsZero() {
		t.Errorf("last use written while the writer was held")
	}
	if _, tok, err = s.ResolveToken(ctx, secret); err != nil || tok.LastUsed.IsZero() {
		t.Errorf("last use not written afterwards: %+v, %v", tok, err)
	}
}
