package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// revokedWhen is a revoked token's state with the day and time it was
// revoked, kept on one line.
var revokedWhen = regexp.MustCompile(`<td>revoked <span style="white-space:nowrap">20\d\d-\d\d-\d\d \d\d:\d\d</span></td>`)

// TestAdminTokens: an admin makes a token for an account, sees its secret
// once, and revokes it; a revoked token is refused at once; each change
// and each refusal is in the audit log with who made it.
func TestAdminTokens(t *testing.T) {
	f := newAdminFixture(t)
	admin, ann := f.admin.user.Email, f.user

	rec := f.post(t, f.admin.token, "/admin/tokens", url.Values{"user": {itoa(ann.ID)}, "name": {"monthly  upload\tscript"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("make a token: %d %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	checkPage(t, "token made", page)
	secret := shownOnce(t, shownToken, page)
	if !strings.HasPrefix(secret, store.TokenPrefix) || !strings.Contains(page, "shown only this once") ||
		!strings.Contains(page, "“monthly upload script”") {
		t.Errorf("the page after making a token:\n%s", page)
	}
	f.checkAudit(t, analytics.AuditTokenCreate, admin, analytics.OutcomeOK, "token ")
	if e := f.lastAudit(t, analytics.AuditTokenCreate); !strings.Contains(e.Detail, "ann@example.org") || strings.Contains(e.Object, secret) {
		t.Errorf("the token's audit event is %+v", e)
	}
	// The secret acts as ann, with her role.
	if rec := f.get(t, secret, "/imports"); rec.Code != http.StatusOK {
		t.Errorf("the new token on a staff page: %d", rec.Code)
	}
	if rec := f.get(t, secret, "/admin/tokens"); rec.Code != http.StatusForbidden {
		t.Errorf("an analyst's token on the tokens page: %d, want 403", rec.Code)
	}
	// Shown once: the list has its start only, never the secret.
	list, err := f.st.Tokens(context.Background(), ann.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("ann's tokens: %v %v", list, err)
	}
	tok := list[0]
	page = f.get(t, f.admin.token, "/admin/tokens").Body.String()
	checkPage(t, "tokens", page)
	if strings.Contains(page, secret) || !strings.Contains(page, tok.Prefix+"…") || !strings.Contains(page, `id="revoke-`+itoa(tok.ID)+`"`) {
		t.Errorf("the tokens page shows the secret or lacks the token:\n%s", page)
	}

	// Revoked: refused on the next request.
	rec = f.post(t, f.admin.token, "/admin/tokens/"+itoa(tok.ID)+"/revoke", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/tokens?revoked="+itoa(tok.ID) {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	f.checkAudit(t, analytics.AuditTokenRevoke, admin, analytics.OutcomeOK, "token "+itoa(tok.ID))
	if rec := f.get(t, secret, "/imports"); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", rec.Code)
	}
	page = f.get(t, f.admin.token, "/admin/tokens?revoked="+itoa(tok.ID)).Body.String()
	if !strings.Contains(page, "Token "+itoa(tok.ID)+" of ann@example.org is revoked: it no longer works.") ||
		strings.Contains(page, `id="revoke-`+itoa(tok.ID)+`"`) || !revokedWhen.MatchString(page) {
		t.Errorf("the tokens page after revoking:\n%s", page)
	}
	if rec := f.post(t, f.admin.token, "/admin/tokens/999999/revoke", nil); rec.Code != http.StatusNotFound {
		t.Errorf("revoke a token that does not exist: %d", rec.Code)
	}
	f.checkAudit(t, analytics.AuditTokenRevoke, admin, analytics.OutcomeRefused, "token 999999")

	// Refusals: plain words, no token made, recorded.
	if err := f.st.SetUserDisabled(context.Background(), ann.ID, true, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"disabled account", url.Values{"user": {itoa(ann.ID)}}, "The account ann@example.org is disabled: enable it before giving it a token"},
		{"no account", url.Values{"user": {""}}, "Choose the account the token acts as"},
		{"gone account", url.Values{"user": {"999999"}}, "That account no longer exists"},
		{"long name", url.Values{"user": {itoa(f.admin.user.ID)}, "name": {strings.Repeat("x", 201)}},
			"The token&#39;s name is longer than 200 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := f.st.Tokens(context.Background(), 0)
			rec := f.post(t, f.admin.token, "/admin/tokens", tc.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d, want 422 saying %q:\n%s", rec.Code, tc.want, rec.Body)
			}
			checkPage(t, tc.name, rec.Body.String())
			if after, _ := f.st.Tokens(context.Background(), 0); len(after) != len(before) {
				t.Errorf("%d tokens after a refusal, want %d", len(after), len(before))
			}
			f.checkAudit(t, analytics.AuditTokenCreate, admin, analytics.OutcomeRefused, "token")
		})
	}
	// A disabled account is not offered, and its tokens say they stopped.
	page = f.get(t, f.admin.token, "/admin/tokens").Body.String()
	if strings.Contains(page, `<option value="`+itoa(ann.ID)+`"`) {
		t.Error("the form offers a disabled account")
	}
}
