package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// TestCrossOriginRefused checks that a state-changing request from
// another site's page is refused, and the same site's form works without
// any script or token.
func TestCrossOriginRefused(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	c := f.client(t)
	f.signIn(t, c, "ann@example.org", testPassword)
	for _, tc := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"another site (Sec-Fetch-Site)", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"another origin (Origin)", []string{"Origin", "http://evil.example"}, http.StatusForbidden},
		{"a sibling subdomain", []string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden},
		{"the same origin", []string{"Sec-Fetch-Site", "same-origin", "Origin", f.ts.URL}, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := send(t, c, "POST", f.ts.URL+"/demo", url.Values{}, tc.headers...)
			if resp.StatusCode != tc.want {
				t.Fatalf("POST /demo from %s: %d, want %d", tc.name, resp.StatusCode, tc.want)
			}
			if tc.want == http.StatusForbidden && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("the refusal lacks the security headers")
			}
		})
	}
	// A cross-site sign-in (login CSRF) is refused too.
	resp := send(t, f.client(t), "POST", f.ts.URL+"/login", url.Values{"email": {"ann@example.org"}, "password": {testPassword}},
		"Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden || sessionCookie(resp) != nil {
		t.Errorf("a cross-site sign-in: %d", resp.StatusCode)
	}
}

// TestLoginRateLimit checks the limits per account and per address, and
// that the refusals say the same whatever the password.
func TestLoginRateLimit(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	f.srv.limiter = NewLoginLimiter(f.st, LoginLimits{PerAccount: 5, PerAddress: 8})
	c := f.client(t)
	for i := range 5 {
		if resp := f.signIn(t, c, "ann@example.org", fmt.Sprintf("wrong password %d", i)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := f.signIn(t, c, "ann@example.org", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || sessionCookie(resp) != nil || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("the right password after 5 failures: %d, cookie %v", resp.StatusCode, sessionCookie(resp))
	}
	checkAudit(t, f.st, analytics.AuditSignIn, analytics.OutcomeRefused)
	// Other accounts from the same address: 3 more failures reach the
	// address's limit of 8.
	for i := range 3 {
		if resp := f.signIn(t, c, fmt.Sprintf("nobody%d@example.org", i), "whatever it is"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unknown account %d: %d", i, resp.StatusCode)
		}
	}
	if resp := f.signIn(t, c, "someone.else@example.org", "whatever it is"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("past the address's limit: %d", resp.StatusCode)
	}
}

// TestFailedSignInAudit checks that a failed sign-in to an unknown email
// is recorded without the text typed, and the page gives the same message
// for a wrong email as for a wrong password.
func TestFailedSignInAudit(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	h := f.srv.Handler()
	bodies := map[string]string{}
	for _, email := range []string{"typed-secret-password@example.org", "ann@example.org"} {
		form := url.Values{"email": {email}, "password": {"not the password"}}
		rec := do(t, h, "POST", "/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Wrong email or password") {
			t.Fatalf("%s: %d", email, rec.Code)
		}
		bodies[email] = strings.ReplaceAll(rec.Body.String(), email, "")
	}
	if bodies["typed-secret-password@example.org"] != bodies["ann@example.org"] {
		t.Error("the page for an unknown email differs from the page for a wrong password")
	}
	events, err := f.st.AuditEvents(context.Background(), store.AuditQuery{Action: analytics.AuditSignIn})
	if err != nil || len(events) != 2 {
		t.Fatalf("sign-in events: %v %+v", err, events)
	}
	for _, e := range events {
		if strings.Contains(fmt.Sprintf("%+v", e), "typed-secret") || strings.Contains(fmt.Sprintf("%+v", e), "not the password") {
			t.Errorf("the audit log holds what was typed: %+v", e)
		}
	}
}

// TestTokenRevocation checks that a revoked token, an unknown one and one
// of a disabled account get 401.
func TestTokenRevocation(t *testing.T) {
	srv, _ := newTestServer(t)
	h := srv.Handler()
	ctx, by := context.Background(), analytics.CommandLine("test")
	analyst := createAccount(t, srv.store, "script@example.org", analytics.RoleAnalyst)
	get := func(token string) int {
		req, _ := http.NewRequest("GET", "/api/v1/surveys", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return doReq(h, req).Code
	}
	if code := get(analyst.token); code != http.StatusOK {
		t.Fatalf("a fresh token: %d", code)
	}
	if code := get("heard_notatokenatall"); code != http.StatusUnauthorized {
		t.Errorf("an unknown token: %d", code)
	}
	tokens, err := srv.store.Tokens(ctx, analyst.user.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", err, tokens)
	}
	if err := srv.store.RevokeToken(ctx, tokens[0].ID, by); err != nil {
		t.Fatal(err)
	}
	if code := get(analyst.token); code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", code)
	}
	viewer := createAccount(t, srv.store, "viewer-script@example.org", analytics.RoleViewer)
	if err := srv.store.SetUserDisabled(ctx, viewer.user.ID, true, by); err != nil {
		t.Fatal(err)
	}
	if code := get(viewer.token); code != http.StatusUnauthorized {
		t.Errorf("a token of a disabled account: %d", code)
	}
	// A bad token on a page is refused too, not sent to sign in.
	req, _ := http.NewRequest("GET", "/imports", nil)
	req.Header.Set("Authorization", "Bearer "+analyst.token)
	if code := doReq(h, req).Code; code != http.StatusUnauthorized {
		t.Errorf("a revoked token on a page: %d", code)
	}
}

// TestSecurityHeaders checks every header on a page, an API answer, the
// sign-in page and a public asset.
func TestSecurityHeaders(t *testing.T) {
	_, h := newTestServer(t)
	for _, tc := range []struct {
		path    string
		noStore bool
	}{
		{"/", true},
		{"/imports", true},
		{"/api/v1/surveys", true},
		{"/login", true},
		{"/healthz", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := get(t, h, tc.path)
			if rec.Code != http.StatusOK && !(tc.path == "/login" && rec.Code == http.StatusSeeOther) {
				t.Fatalf("GET %s: %d", tc.path, rec.Code)
			}
			hd := rec.Header()
			csp := hd.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			for _, d := range strings.Split(csp, ";") {
				if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src") && strings.Contains(d, "unsafe") {
					t.Errorf("CSP %q allows inline script", csp)
				}
			}
			for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
				if got := hd.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if got := hd.Get("Cache-Control"); tc.noStore != (got == "no-store") {
				t.Errorf("Cache-Control = %q (no-store wanted: %v)", got, tc.noStore)
			}
		})
	}
}

// TestAuditedActions checks that downloads, imports (refused ones
// included) and refusals of access are in the audit log, with the
// account that made them.
func TestAuditedActions(t *testing.T) {
	m := newMatrixFixture(t)
	for _, tc := range []struct{ role, method, path string }{
		{"viewer", "GET", "/surveys/" + m.slug + "/dashboard.xlsx"},
		{"board", "GET", "/api/v1/surveys/" + m.slug + "/trends.csv"},
		{"board", "GET", "/imports"},
	} {
		if rec := m.do(t, tc.role, tc.method, tc.path); rec.Code != http.StatusOK && rec.Code != http.StatusForbidden {
			t.Fatalf("%s %s: %d", tc.method, tc.path, rec.Code)
		}
	}
	body, ctype := multipartBody(t, "old.xls", fixture("old-format.xls"), map[string]string{"survey": "Refused"})
	req := httptest.NewRequest("POST", "/api/v1/imports", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+m.tokens["analyst"])
	if rec := doReq(m.h, req); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a refused import: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		action  analytics.AuditAction
		who     string
		outcome analytics.Outcome
	}{
		{analytics.AuditDownload, "viewer-matrix@example.org", analytics.OutcomeOK},
		{analytics.AuditDownload, "board-matrix@example.org", analytics.OutcomeOK},
		{analytics.AuditAccessDenied, "board-matrix@example.org", analytics.OutcomeRefused},
		{analytics.AuditImport, "analyst-matrix@example.org", analytics.OutcomeRefused},
	} {
		events, err := m.srv.store.AuditEvents(context.Background(), store.AuditQuery{Action: tc.action})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range events {
			found = found || e.Who == tc.who && e.Outcome == tc.outcome
		}
		if !found {
			t.Errorf("no %s event by %s with outcome %s in %+v", tc.action, tc.who, tc.outcome, events)
		}
	}
}
