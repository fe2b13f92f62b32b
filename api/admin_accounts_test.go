package api

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// adminFixture is heard on a loopback port with an analyst who signs in
// with a password (ann, from loginFixture) and an admin with an API token.
type adminFixture struct {
	loginFixture
	admin testAccount
}

func newAdminFixture(t testing.TB) adminFixture {
	t.Helper()
	f := adminFixture{loginFixture: newLoginFixture(t, false, nil)}
	f.admin = createAccount(t, f.st, "root@example.org", analytics.RoleAdmin)
	return f
}

// post sends a form to path with an API token, as a script or a test does
// (no Origin header: not a browser).
func (f adminFixture) post(t testing.TB, token, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	return doReq(f.srv.Handler(), req)
}

// get opens path with an API token.
func (f adminFixture) get(t testing.TB, token, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return doReq(f.srv.Handler(), req)
}

// user reads the account with this email.
func (f adminFixture) account(t testing.TB, email string) analytics.User {
	t.Helper()
	u, err := f.st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("account %s: %v", email, err)
	}
	return u
}

// lastAudit is the newest audit event of action.
func (f adminFixture) lastAudit(t testing.TB, action analytics.AuditAction) analytics.AuditEvent {
	t.Helper()
	list, err := f.st.AuditEvents(context.Background(), store.AuditQuery{Action: action})
	if err != nil || len(list) == 0 {
		t.Fatalf("no %s event in the audit log (%v)", action, err)
	}
	return list[0]
}

// checkAudit checks the newest event of action: made by who, with outcome,
// about an object containing object.
func (f adminFixture) checkAudit(t testing.TB, action analytics.AuditAction, who string, outcome analytics.Outcome, object string) {
	t.Helper()
	e := f.lastAudit(t, action)
	if e.Who != who || e.Outcome != outcome || !strings.Contains(e.Object, object) {
		t.Errorf("the last %s event is %+v, want by %s, %s, about %q", action, e, who, outcome, object)
	}
}

var (
	shownPassword = regexp.MustCompile(`id="created-password" readonly value="([^"]+)"`)
	shownToken    = regexp.MustCompile(`id="created-token" readonly value="([^"]+)"`)
)

// shownOnce returns the secret a page shows in the field matched by re.
func shownOnce(t testing.TB, re *regexp.Regexp, page string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page shows no secret:\n%s", page)
	}
	return html.UnescapeString(m[1])
}

func TestAdminAddAccount(t *testing.T) {
	f := newAdminFixture(t)
	admin := f.admin.user.Email

	// A generated password is shown once, and signs in.
	rec := f.post(t, f.admin.token, "/admin/users", url.Values{"email": {" Board.Member@Example.org "}, "name": {"Bea"},
		"role": {"board"}, "password": {""}})
	if rec.Code != http.StatusOK {
		t.Fatalf("add an account: %d %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	checkPage(t, "account added", page)
	password := shownOnce(t, shownPassword, page)
	if !strings.Contains(page, "shown only now") || !strings.Contains(page, "board.member@example.org") {
		t.Errorf("the page does not say the account and that its password is shown once:\n%s", page)
	}
	if u := f.account(t, "board.member@example.org"); u.Role != analytics.RoleBoard || u.Name != "Bea" || u.Disabled {
		t.Errorf("the new account is %+v", u)
	}
	f.checkAudit(t, analytics.AuditUserCreate, admin, analytics.OutcomeOK, "board.member@example.org")
	if resp := f.signIn(t, f.client(t), "board.member@example.org", password); sessionCookie(resp) == nil {
		t.Errorf("the generated password does not sign in: %d", resp.StatusCode)
	}
	if list := f.get(t, f.admin.token, "/admin/users").Body.String(); strings.Contains(list, password) {
		t.Error("the accounts page shows the password again")
	}

	// A password the admin chooses follows the password rules, is never
	// shown, and signs in.
	chosen := "a password the admin chose"
	rec = f.post(t, f.admin.token, "/admin/users", url.Values{"email": {"viv@example.org"}, "role": {"viewer"}, "password": {chosen}})
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), chosen) || !strings.Contains(rec.Body.String(), "the password you chose") {
		t.Fatalf("add an account with a chosen password: %d %s", rec.Code, rec.Body)
	}
	if resp := f.signIn(t, f.client(t), "viv@example.org", chosen); sessionCookie(resp) == nil {
		t.Errorf("the chosen password does not sign in: %d", resp.StatusCode)
	}

	// Refusals: a plain message, the form kept (never the password),
	// nothing stored, a refused event in the audit log.
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"short password", url.Values{"email": {"new@example.org"}, "role": {"analyst"}, "password": {"pw-1x"}},
			"The password is too short: use at least 12 characters"},
		{"email in use", url.Values{"email": {"VIV@example.org"}, "role": {"analyst"}}, "There is already an account with the email viv@example.org"},
		{"not an email", url.Values{"email": {"new example.org"}, "role": {"analyst"}}, "is not an email address"},
		{"no role", url.Values{"email": {"new@example.org"}, "role": {"owner"}}, "Choose the account&#39;s role from the list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, _ := f.st.CountUsers(context.Background())
			rec := f.post(t, f.admin.token, "/admin/users", tc.form)
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, "Nothing was changed") {
				t.Fatalf("%d, want 422 saying %q:\n%s", rec.Code, tc.want, body)
			}
			checkPage(t, tc.name, body)
			if !strings.Contains(body, `value="`+html.EscapeString(strings.TrimSpace(tc.form.Get("email")))+`"`) {
				t.Error("the form lost the email typed")
			}
			if p := tc.form.Get("password"); p != "" && strings.Contains(body, p) {
				t.Error("the refusal shows the password typed")
			}
			if m, _ := f.st.CountUsers(context.Background()); m != n {
				t.Errorf("%d accounts after a refusal, want %d", m, n)
			}
			f.checkAudit(t, analytics.AuditUserCreate, admin, analytics.OutcomeRefused, strings.TrimSpace(tc.form.Get("email")))
		})
	}
}

// TestAdminFormsNeedManageUsers: every form refuses an account without
// the right to manage accounts (403, recorded) and changes nothing; a
// form sent from another site is refused too.
func TestAdminFormsNeedManageUsers(t *testing.T) {
	f := newAdminFixture(t)
	ann := f.user.ID
	tok, _, err := f.st.CreateToken(context.Background(), f.admin.user.ID, "root's", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	admin := f.admin.user.ID
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/users", url.Values{"email": {"sneaky@example.org"}, "role": {"admin"}}},
		{"/admin/users/" + itoa(ann) + "/role", url.Values{"role": {"admin"}}},
		{"/admin/users/" + itoa(admin) + "/disable", nil},
		{"/admin/tokens", url.Values{"user": {itoa(ann)}}},
		{"/admin/tokens/" + itoa(tok.ID) + "/revoke", nil},
	}
	for _, role := range []analytics.UserRole{analytics.RoleAnalyst, analytics.RoleViewer, analytics.RoleBoard} {
		a := createAccount(t, f.st, string(role)+"-x@example.org", role)
		for _, fm := range forms {
			if rec := f.post(t, a.token, fm.path, fm.form); rec.Code != http.StatusForbidden {
				t.Errorf("%s: POST %s: %d, want 403", role, fm.path, rec.Code)
			}
			f.checkAudit(t, analytics.AuditAccessDenied, a.user.Email, analytics.OutcomeRefused, fm.path)
		}
		for _, path := range []string{"/admin/users", "/admin/tokens"} {
			if rec := f.get(t, a.token, path); rec.Code != http.StatusForbidden {
				t.Errorf("%s: GET %s: %d, want 403", role, path, rec.Code)
			}
		}
	}
	// A browser's form from another site, with the admin's session.
	c := f.client(t)
	createSignIn(t, f.st, "boss@example.org", testPassword, analytics.RoleAdmin)
	if ck := sessionCookie(f.signIn(t, c, "boss@example.org", testPassword)); ck == nil {
		t.Fatal("the admin cannot sign in")
	}
	resp := send(t, c, "POST", f.ts.URL+"/admin/users", url.Values{"email": {"sneaky@example.org"}, "role": {"admin"}},
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site form: %d, want 403", resp.StatusCode)
	}
	if _, err := f.st.UserByEmail(context.Background(), "sneaky@example.org"); err == nil {
		t.Error("a refused form made an account")
	}
	if u := f.account(t, f.admin.user.Email); u.Disabled {
		t.Error("a refused form disabled the admin")
	}
	if u := f.account(t, "ann@example.org"); u.Role != analytics.RoleAnalyst {
		t.Errorf("a refused form made ann %s", u.Role)
	}
	if list, _ := f.st.Tokens(context.Background(), admin); len(list) != 2 || list[0].Revoked() {
		t.Errorf("after refused forms the admin's tokens are %+v", list)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdminLastAdmin: the last enabled admin can be neither demoted nor
// disabled, and an admin cannot disable their own account; each refusal
// says why in plain words, changes nothing and is recorded.
func TestAdminLastAdmin(t *testing.T) {
	f := newAdminFixture(t)
	root := f.admin.user
	second := createAccount(t, f.st, "second@example.org", analytics.RoleAdmin)

	// With two admins, one may demote the other.
	if rec := f.post(t, f.admin.token, "/admin/users/"+itoa(second.user.ID)+"/role", url.Values{"role": {"viewer"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("demote the second admin: %d %s", rec.Code, rec.Body)
	}
	f.checkAudit(t, analytics.AuditUserRole, root.Email, analytics.OutcomeOK, second.user.Email)
	if e := f.lastAudit(t, analytics.AuditUserRole); e.Detail != "role admin to viewer" {
		t.Errorf("the role change is recorded as %q", e.Detail)
	}
	// Now root is the last admin.
	for _, tc := range []struct {
		name, path string
		form       url.Values
		action     analytics.AuditAction
		want       string
	}{
		{"demote the last admin", "/role", url.Values{"role": {"analyst"}}, analytics.AuditUserRole,
			"The account root@example.org is the only enabled admin account, so it must stay an admin"},
		{"disable oneself", "/disable", nil, analytics.AuditUserDisable, "You cannot disable the account you are signed in with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.post(t, f.admin.token, "/admin/users/"+itoa(root.ID)+tc.path, tc.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d, want 422 saying %q:\n%s", rec.Code, tc.want, rec.Body)
			}
			if u := f.account(t, root.Email); u.Role != analytics.RoleAdmin || u.Disabled {
				t.Errorf("the last admin is now %+v", u)
			}
			f.checkAudit(t, tc.action, root.Email, analytics.OutcomeRefused, root.Email)
		})
	}
	// Another admin, signed in elsewhere, cannot disable the last
	// enabled one either: make the second admin again, disable root...
	if rec := f.post(t, f.admin.token, "/admin/users/"+itoa(second.user.ID)+"/role", url.Values{"role": {"admin"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("make the second account admin again: %d", rec.Code)
	}
	if rec := f.post(t, second.token, "/admin/users/"+itoa(root.ID)+"/disable", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("the second admin disables root: %d %s", rec.Code, rec.Body)
	}
	// ...then the second admin, the last, cannot demote themselves.
	rec := f.post(t, second.token, "/admin/users/"+itoa(second.user.ID)+"/role", url.Values{"role": {"board"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "The account second@example.org is the only enabled admin account") {
		t.Errorf("the last admin demotes themselves: %d %s", rec.Code, rec.Body)
	}
	// root's token stops with the account; enabling it again restores it.
	if rec := f.get(t, f.admin.token, "/admin/users"); rec.Code != http.StatusUnauthorized {
		t.Errorf("a disabled admin's token opens the accounts page: %d", rec.Code)
	}
	if rec := f.post(t, second.token, "/admin/users/"+itoa(root.ID)+"/enable", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("enable root: %d", rec.Code)
	}
	f.checkAudit(t, analytics.AuditUserEnable, second.user.Email, analytics.OutcomeOK, root.Email)
	if rec := f.get(t, f.admin.token, "/admin/users?done=enabled&id="+itoa(root.ID)); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Body.String(), "root@example.org is enabled again") {
		t.Errorf("root enabled again: %d %s", rec.Code, rec.Body)
	}
}

// TestAdminDisableEndsSession: a disabled account's session is refused on
// its next request, and its API token at once.
func TestAdminDisableEndsSession(t *testing.T) {
	f := newAdminFixture(t)
	c := f.client(t)
	if ck := sessionCookie(f.signIn(t, c, "ann@example.org", testPassword)); ck == nil || !f.signedIn(t, c) {
		t.Fatal("ann cannot sign in")
	}
	ann := createAccountToken(t, f.st, f.user)
	if rec := f.get(t, ann, "/imports"); rec.Code != http.StatusOK {
		t.Fatalf("ann's token: %d", rec.Code)
	}
	rec := f.post(t, f.admin.token, "/admin/users/"+itoa(f.user.ID)+"/disable", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users?done=disabled&id="+itoa(f.user.ID) {
		t.Fatalf("disable ann: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	f.checkAudit(t, analytics.AuditUserDisable, f.admin.user.Email, analytics.OutcomeOK, "ann@example.org")
	resp := send(t, c, "GET", f.ts.URL+"/imports", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("ann's session after disabling: %d %s, want sent to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
	if rec := f.get(t, ann, "/imports"); rec.Code != http.StatusUnauthorized {
		t.Errorf("ann's token after disabling: %d, want 401", rec.Code)
	}
	if resp := f.signIn(t, f.client(t), "ann@example.org", testPassword); sessionCookie(resp) != nil {
		t.Error("a disabled account signs in")
	}
	page := f.get(t, f.admin.token, "/admin/users?done=disabled&id="+itoa(f.user.ID)).Body.String()
	if !strings.Contains(page, "ann@example.org is disabled: it is signed out and its API tokens stop working") ||
		!strings.Contains(page, `id="enable-`+itoa(f.user.ID)+`"`) {
		t.Errorf("the accounts page after disabling:\n%s", page)
	}
	// Enabled again, the token works again, the old session does not.
	if rec := f.post(t, f.admin.token, "/admin/users/"+itoa(f.user.ID)+"/enable", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("enable ann: %d", rec.Code)
	}
	if rec := f.get(t, ann, "/imports"); rec.Code != http.StatusOK {
		t.Errorf("ann's token after enabling: %d", rec.Code)
	}
	if f.signedIn(t, c) {
		t.Error("the session ended by disabling works again")
	}
}

// createAccountToken makes an API token for u.
func createAccountToken(t testing.TB, st *store.Store, u analytics.User) string {
	t.Helper()
	_, secret, err := st.CreateToken(context.Background(), u.ID, "test", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	return secret
}
