package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
)

// Sign-in of the admin of TestBrowserAdmin.
const (
	browserAdminEmail    = "chief@example.org"
	browserAdminPassword = "an admin's long passphrase"
)

// startAdminHeard serves the real handler on a loopback port with an
// admin account that signs in with a password.
func startAdminHeard(t testing.TB) *httptest.Server {
	t.Helper()
	st, _ := newStore(t)
	createSignIn(t, st, browserAdminEmail, browserAdminPassword, analytics.RoleAdmin)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts
}

// TestBrowserAdmin drives the admin pages in headless Chromium at a
// desktop's and a phone's width: an admin adds a board member's account
// (its password shown once), changes its role, makes an API token for it
// (shown once), revokes it and disables the account, and the audit log
// lists each change with who made it. Outside the browser, the password
// signs in, the token works until it is revoked, and the session ends
// when the account is disabled.
func TestBrowserAdmin(t *testing.T) {
	exe := chromiumPath(t)
	ts := startAdminHeard(t)
	axe := adminAxe(t)
	b := newBrowser(t, exe, ts.URL)
	b.signIn(t, browserAdminEmail, browserAdminPassword)
	for _, vp := range []struct{ w, h int64 }{{1366, 900}, {390, 844}} {
		t.Run(fmt.Sprint(vp.w), func(t *testing.T) {
			run(t, b, "set the viewport", chromedp.EmulateViewport(vp.w, vp.h))
			b.adminTour(t, ts, axe, vp.w)
		})
	}
}

// adminTour is one pass of TestBrowserAdmin at width w.
func (b *browser) adminTour(t *testing.T, ts *httptest.Server, axe string, w int64) {
	email := fmt.Sprintf("board-%d@example.org", w)
	b.open(t, "/admin/users")
	b.adminPageOK(t, axe, "accounts page")
	run(t, b, "type the email", chromedp.SendKeys("#new-email", email))
	run(t, b, "type the name", chromedp.SendKeys("#new-name", "Board member "+fmt.Sprint(w)))
	run(t, b, "choose board", chromedp.Click("#new-role-board"))
	b.submit(t, "#add-account-button")
	b.adminPageOK(t, axe, "account added")
	password := eval[string](t, b, `document.querySelector('#created-password').value`)
	if created := b.adminText(t, "#account-created"); len(password) != 29 || !strings.Contains(created, email) ||
		!strings.Contains(created, "shown only now") {
		t.Fatalf("after adding an account the page says %q, password %q", created, password)
	}
	b.screenshot(t, fmt.Sprintf("admin-added-%d", w))
	session := b.adminSignInElsewhere(t, ts, email, password)

	id := eval[string](t, b, `(Array.from(document.querySelectorAll('#users tbody tr'))
		.find(function (r) { return r.cells[0].innerText.trim() === `+jsString(email)+`; }) || {id: ''}).id`)
	id = strings.TrimPrefix(id, "user-")
	if id == "" {
		t.Fatalf("the new account %s is not in the accounts table", email)
	}
	run(t, b, "choose viewer", chromedp.SetValue("#role-"+id, "viewer"))
	b.submit(t, "#save-role-"+id)
	if done := b.adminText(t, "#account-done"); !strings.Contains(done, email+" is now viewer") {
		t.Errorf("after changing the role the page says %q", done)
	}
	if row := b.adminText(t, "#user-"+id); !strings.Contains(row, "Viewer") {
		t.Errorf("the account's row after changing its role: %q", row)
	}
	b.adminPageOK(t, axe, "role changed")
	b.screenshot(t, fmt.Sprintf("admin-users-%d", w))

	b.open(t, "/admin/tokens")
	b.adminPageOK(t, axe, "tokens page")
	run(t, b, "choose the account", chromedp.SetValue("#token-user", id))
	run(t, b, "type the token's name", chromedp.SendKeys("#token-name", "board's script"))
	b.submit(t, "#create-token-button")
	b.adminPageOK(t, axe, "token made")
	secret := eval[string](t, b, `document.querySelector('#created-token').value`)
	if created := b.adminText(t, "#token-created"); !strings.HasPrefix(secret, "heard_") || !strings.Contains(created, email) ||
		!strings.Contains(created, "shown only this once") {
		t.Fatalf("after making a token the page says %q, token %q", created, secret)
	}
	b.screenshot(t, fmt.Sprintf("admin-token-%d", w))
	if code := adminBearerStatus(t, ts, secret); code != http.StatusOK {
		t.Errorf("the new token: HTTP %d", code)
	}
	b.open(t, "/admin/tokens")
	if html := eval[string](t, b, `document.documentElement.outerHTML`); strings.Contains(html, secret) {
		t.Error("the tokens page shows the token again")
	}
	tokenID := strings.TrimPrefix(eval[string](t, b, `document.querySelector('#tokens tbody tr').id`), "token-")
	if row := b.adminText(t, "#token-"+tokenID); !strings.Contains(row, email) || !strings.Contains(row, "works") {
		t.Fatalf("the newest token's row is %q", row)
	}
	b.submit(t, "#revoke-"+tokenID)
	if done := b.adminText(t, "#token-done"); !strings.Contains(done, "Token "+tokenID+" of "+email+" is revoked") {
		t.Errorf("after revoking the page says %q", done)
	}
	if code := adminBearerStatus(t, ts, secret); code != http.StatusUnauthorized {
		t.Errorf("the revoked token: HTTP %d, want 401", code)
	}
	b.adminPageOK(t, axe, "token revoked")
	b.screenshot(t, fmt.Sprintf("admin-tokens-%d", w))

	b.open(t, "/admin/users")
	b.submit(t, "#disable-"+id)
	if done := b.adminText(t, "#account-done"); !strings.Contains(done, email+" is disabled") {
		t.Errorf("after disabling the page says %q", done)
	}
	if row := b.adminText(t, "#user-"+id); !strings.Contains(row, "disabled") {
		t.Errorf("the disabled account's row: %q", row)
	}
	b.adminPageOK(t, axe, "account disabled")
	resp := send(t, session, "GET", ts.URL+"/", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("the disabled account's session: HTTP %d to %q, want sent to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}

	b.open(t, "/admin/audit")
	b.adminPageOK(t, axe, "audit log")
	b.screenshot(t, fmt.Sprintf("admin-audit-%d", w))
	b.checkAuditRows(t, email, tokenID)
}

// checkAuditRows checks that the audit page lists each change the tour
// made, by the admin, with its outcome.
func (b *browser) checkAuditRows(t *testing.T, email, tokenID string) {
	t.Helper()
	var rows [][]string
	for _, tb := range b.tables(t) {
		rows = append(rows, tb.Rows...)
	}
	// Columns: when, who, from, action, object, outcome, detail.
	// Actions are in plain words, as analytics.AuditAction.Words gives them.
	for _, want := range []struct{ action, object, detail string }{
		{"Account added", email, "role board"},
		{"Role changed", email, "role board to viewer"},
		{"API token made", "token " + tokenID + " ", email},
		{"API token revoked", "token " + tokenID + " ", email},
		{"Account disabled", email, ""},
	} {
		found := false
		for _, r := range rows {
			if len(r) == 7 && r[1] == browserAdminEmail && r[3] == want.action && strings.Contains(r[4], want.object) &&
				r[5] == "ok" && strings.Contains(r[6], want.detail) {
				found = true
			}
		}
		if !found {
			t.Errorf("the audit page lists no %s of %q by %s", want.action, want.object, browserAdminEmail)
		}
	}
}

// adminPageOK checks a page: nothing ran that should not, the page
// itself does not scroll sideways, and no date in a table is split
// across lines.
func (b *browser) adminPageOK(t *testing.T, axe, where string) {
	t.Helper()
	b.checkSafe(t, where)
	if over := eval[float64](t, b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		t.Errorf("%s: the page is %.0f px wider than the window", where, over)
	}
	if split := eval[[]string](t, b, splitDates); len(split) > 0 {
		t.Errorf("%s: dates split across lines in a table: %q", where, split)
	}
	if axe != "" {
		eval[bool](t, b, axe+"\n;true")
		for _, v := range eval[[]string](t, b, axeRun) {
			t.Errorf("%s: axe-core: %s", where, v)
		}
	}
}

// adminAxe is axe-core's script, or "" when it is not installed (the
// accessibility checks are then left out, but under CI the test fails).
func adminAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "scripts", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err == nil {
		return string(b)
	}
	if os.Getenv("CI") != "" && os.Getenv("CI") != "false" {
		t.Fatalf("axe-core is not installed but CI is set (%v)", err)
	}
	t.Logf("axe-core is not installed (%v): the admin pages are checked without it", err)
	return ""
}

// splitDates lists the dates (2024-05-31) in the page's tables whose
// characters are drawn on more than one line.
const splitDates = `(function () {
	var split = [], re = /\d{4}-\d\d-\d\d/g, n;
	var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while ((n = walk.nextNode())) {
		if (!n.parentElement || !n.parentElement.closest('table')) { continue; }
		re.lastIndex = 0;
		for (var m = re.exec(n.data); m; m = re.exec(n.data)) {
			var r = document.createRange();
			r.setStart(n, m.index);
			r.setEnd(n, m.index + m[0].length);
			var tops = {};
			Array.from(r.getClientRects()).forEach(function (x) { tops[Math.round(x.top)] = true; });
			if (Object.keys(tops).length > 1) { split.push(m[0]); }
		}
	}
	return split;
})()`

// adminText is the text of the element matched by a CSS selector.
func (b *browser) adminText(t testing.TB, selector string) string {
	t.Helper()
	return eval[string](t, b, `(function () { var e = document.querySelector(`+jsString(selector)+`);
		return e ? e.innerText : ''; })()`)
}

// adminSignInElsewhere signs in as email with password from a client of its
// own, as the account's owner would, and returns that client.
func (b *browser) adminSignInElsewhere(t testing.TB, ts *httptest.Server, email, password string) *http.Client {
	t.Helper()
	f := loginFixture{ts: ts}
	c := f.client(t)
	if resp := f.signIn(t, c, email, password); sessionCookie(resp) == nil {
		t.Fatalf("the password shown once does not sign %s in: HTTP %d", email, resp.StatusCode)
	}
	if resp := send(t, c, "GET", ts.URL+"/", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("%s signed in gets HTTP %d on the home page", email, resp.StatusCode)
	}
	return c
}

// adminBearerStatus is the status of the API's list of surveys with a token.
func adminBearerStatus(t testing.TB, ts *httptest.Server, secret string) int {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+"/api/v1/surveys", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
