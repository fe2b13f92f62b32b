package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
)

func TestTokenCommand(t *testing.T) {
	db := storetest.NewDB(t)
	if code, _, errOut := cliIn(t, "a long enough password\n", runUser, "add", "--db", db, "--email", "bot@council.gov.uk",
		"--role", "analyst", "--password-stdin"); code != ExitOK {
		t.Fatal(errOut)
	}
	token := withoutStdin(RunToken)
	code, out, errOut := cliIn(t, "", token, "create", "--db", db, "--email", "BOT@council.gov.uk", "--name", "monthly upload")
	if code != ExitOK {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	if !strings.HasPrefix(secret, store.TokenPrefix) || strings.Contains(secret, " ") {
		t.Fatalf("last line of token create is %q, want the token alone:\n%s", secret, out)
	}

	st := openDB(t, db)
	ctx := context.Background()
	u, tok, err := st.ResolveToken(ctx, secret)
	if err != nil || u.Email != "bot@council.gov.uk" || u.Role != analytics.RoleAnalyst || tok.Name != "monthly upload" {
		t.Fatalf("ResolveToken = %+v, %+v, %v", u, tok, err)
	}

	code, out, _ = cliIn(t, "", token, "list", "--db", db, "--json")
	var list []analytics.Token
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK || len(list) != 1 || list[0].Revoked() ||
		strings.Contains(out, secret) {
		t.Fatalf("token list --json: exit %d, %v\n%s", code, err, out)
	}
	if code, out, _ := cliIn(t, "", token, "list", "--db", db); code != ExitOK || !strings.Contains(out, tok.Prefix+"…") ||
		strings.Contains(out, secret) {
		t.Errorf("token list: exit %d\n%s", code, out)
	}

	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"revoke", []string{"revoke", "--id", "1"}, ExitOK, "revoked"},
		{"revoke again", []string{"revoke", "--id", "1"}, ExitOK, "revoked"},
		{"unknown token", []string{"revoke", "--id", "42"}, ExitRefused, "no token 42"},
		{"no id", []string{"revoke"}, ExitUsage, "--id"},
		{"unknown account", []string{"create", "--email", "nobody@council.gov.uk"}, ExitRefused, "no account"},
		{"no subcommand", nil, ExitUsage, "token create|list|revoke"},
	}
	for _, s := range steps {
		code, out, errOut := cliIn(t, "", token, append(s.args, "--db", db)...)
		if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
			t.Errorf("%s: exit %d, %q; want %d with %q", s.name, code, text, s.code, s.out)
		}
	}
	if _, _, err := st.ResolveToken(ctx, secret); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoked token still resolves: %v", err)
	}
	want := []string{"user-create ok", "token-create ok", "list ok", "list ok", "token-revoke ok", "token-revoke refused",
		"token-create refused"}
	if got := auditActions(t, db); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
}
