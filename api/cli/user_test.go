package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/account"
)

// cliIn runs a command with stdin and USER=tester, returning its exit
// status and output.
func cliIn(t testing.TB, stdin string, cmd func(context.Context, Env, io.Reader, []string) int, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: &stderr, OpenStore: store.Open,
		Getenv: func(k string) string { return map[string]string{"USER": "tester"}[k] }}
	code := cmd(context.Background(), env, strings.NewReader(stdin), args)
	return code, stdout.String(), stderr.String()
}

// withoutStdin adapts a command that reads no stdin to cliIn.
func withoutStdin(cmd func(context.Context, Env, []string) int) func(context.Context, Env, io.Reader, []string) int {
	return func(ctx context.Context, env Env, _ io.Reader, args []string) int { return cmd(ctx, env, args) }
}

// openDB opens the database at path for a test to look into.
func openDB(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// auditActions lists the actions and outcomes in the audit log, oldest
// first, as "action outcome".
func auditActions(t testing.TB, path string) []string {
	t.Helper()
	list, err := openDB(t, path).AuditEvents(context.Background(), store.AuditQuery{Limit: -1, OldestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range list {
		if e.Who != "command line:tester" || e.From != "command line" {
			t.Errorf("event %+v is not the command line's", e)
		}
		out = append(out, string(e.Action)+" "+string(e.Outcome))
	}
	return out
}

func TestUserCommand(t *testing.T) {
	db := storetest.NewDB(t)
	steps := []struct {
		name, stdin string
		args        []string
		code        int
		out         string // in stdout, or stderr when the command fails
	}{
		{"add an analyst", "correct horse battery staple\n", []string{"add", "--email", "Ann@Council.gov.uk", "--role", "Analyst", "--password-stdin"},
			ExitOK, "Created the analyst account ann@council.gov.uk"},
		{"add with a generated password", "", []string{"add", "--email", "admin@localhost", "--role", "admin"},
			ExitOK, "shown only now"},
		{"same email", "another long password\n", []string{"add", "--email", "ann@council.gov.uk", "--role", "viewer", "--password-stdin"},
			ExitRefused, "already exists"},
		{"short password", "too short\n", []string{"add", "--email", "bob@council.gov.uk", "--role", "viewer", "--password-stdin"},
			ExitUsage, "at least 12"},
		{"no password on stdin", "", []string{"add", "--email", "bob@council.gov.uk", "--role", "viewer", "--password-stdin"},
			ExitUsage, "no password"},
		{"unknown role", "", []string{"add", "--email", "bob@council.gov.uk", "--role", "owner"}, ExitUsage, "not a role"},
		{"disable ann", "", []string{"disable", "--email", "ann@council.gov.uk"}, ExitOK, "is disabled"},
		{"make ann board", "", []string{"role", "--email", "ann@council.gov.uk", "--role", "board"}, ExitOK, "now board"},
		{"new password from stdin", "a brand new passphrase\r\n", []string{"password", "--email", "ann@council.gov.uk", "--password-stdin"},
			ExitOK, "has a new password."},
		{"the last admin stays", "", []string{"disable", "--email", "admin@localhost"}, ExitRefused, "last enabled admin"},
		{"unknown account", "", []string{"enable", "--email", "nobody@council.gov.uk"}, ExitRefused, "no account"},
		{"no subcommand", "", nil, ExitUsage, "heard user add|list"},
	}
	for _, st := range steps {
		code, out, errOut := cliIn(t, st.stdin, runUser, append(st.args, "--db", db)...)
		text := out
		if code != ExitOK {
			text = errOut
		}
		if code != st.code || !strings.Contains(text, st.out) {
			t.Fatalf("%s: exit %d, output %q %q; want exit %d with %q", st.name, code, out, errOut, st.code, st.out)
		}
	}

	code, out, _ := cliIn(t, "", runUser, "list", "--json", "--db", db)
	var users []analytics.User
	if err := json.Unmarshal([]byte(out), &users); err != nil || code != ExitOK || len(users) != 2 {
		t.Fatalf("user list --json: exit %d, %v, %q", code, err, out)
	}
	ann := users[1]
	if ann.Email != "ann@council.gov.uk" || ann.Role != analytics.RoleBoard || !ann.Disabled || strings.Contains(out, "argon2") {
		t.Errorf("ann listed as %+v", ann)
	}
	if code, out, _ := cliIn(t, "", runUser, "list", "--db", db); code != ExitOK || !strings.Contains(out, "ann@council.gov.uk  board") {
		t.Errorf("user list: exit %d\n%s", code, out)
	}

	// The password given on stdin is the one stored, line ending removed.
	_, hash, err := openDB(t, db).UserPasswordHash(context.Background(), "ann@council.gov.uk")
	if ok, _ := account.CheckPassword("a brand new passphrase", hash); err != nil || !ok {
		t.Errorf("the new password does not match: %v", err)
	}
	// The generated password is printed on the last line and works.
	_, out, _ = cliIn(t, "", runUser, "password", "--email", "admin@localhost", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	_, hash, _ = openDB(t, db).UserPasswordHash(context.Background(), "admin@localhost")
	if ok, _ := account.CheckPassword(lines[len(lines)-1], hash); !ok {
		t.Errorf("the printed password %q does not match", lines[len(lines)-1])
	}

	want := []string{"user-create ok", "user-create ok", "user-create refused", "user-disable ok", "user-role ok",
		"user-password ok", "user-disable refused", "user-enable refused", "list ok", "list ok", "user-password ok"}
	if got := auditActions(t, db); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
}

func TestBootstrap(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		email   string
		printed bool
		fails   bool
	}{
		{"random password", nil, account.DefaultAdminEmail, true, false},
		{"password and email from the environment", map[string]string{"HEARD_ADMIN_PASSWORD": "set by the installer",
			"HEARD_ADMIN_EMAIL": "It@Council.gov.uk"}, "it@council.gov.uk", false, false},
		{"short password from the environment", map[string]string{"HEARD_ADMIN_PASSWORD": "short"}, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openDB(t, storetest.NewDB(t))
			ctx := context.Background()
			getenv := func(k string) string { return tt.env[k] }
			res, err := account.Bootstrap(ctx, st, getenv)
			if tt.fails {
				if n, _ := st.CountUsers(ctx); err == nil || n != 0 {
					t.Fatalf("account.Bootstrap = %+v, %v with %d accounts; want an error and none", res, err, n)
				}
				return
			}
			if err != nil || !res.Created || res.Email != tt.email || (res.Password != "") != tt.printed {
				t.Fatalf("account.Bootstrap = %+v, %v", res, err)
			}
			msg := res.Message()
			if tt.printed && !strings.Contains(msg, "\n    "+res.Password+"\n") || !strings.Contains(msg, tt.email) {
				t.Errorf("message %q", msg)
			}
			password := res.Password
			if !tt.printed {
				password = tt.env["HEARD_ADMIN_PASSWORD"]
			}
			u, hash, err := st.UserPasswordHash(ctx, tt.email)
			if ok, _ := account.CheckPassword(password, hash); err != nil || !ok || u.Role != analytics.RoleAdmin || u.Name != "admin" {
				t.Errorf("admin account %+v, password matches %v (%v)", u, ok, err)
			}
			// A second start changes nothing and prints nothing.
			again, err := account.Bootstrap(ctx, st, getenv)
			if err != nil || again.Created || again.Message() != "" {
				t.Errorf("second account.Bootstrap = %+v, %v", again, err)
			}
			if n, _ := st.CountUsers(ctx); n != 1 {
				t.Errorf("%d accounts after two starts", n)
			}
		})
	}
}
