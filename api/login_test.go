package api

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

const testPassword = "a long enough test password"

// loginFixture serves heard on a loopback port with one analyst account.
type loginFixture struct {
	srv  *Server
	st   *store.Store
	ts   *httptest.Server
	user analytics.User
}

// newLoginFixture starts heard; opts, when not nil, changes the sessions.
func newLoginFixture(t testing.TB, tls bool, opts *SessionOptions) loginFixture {
	t.Helper()
	st, _ := newStore(t)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if opts != nil {
		srv.SetSessionOptions(*opts)
	}
	start := httptest.NewServer
	if tls {
		start = httptest.NewTLSServer
	}
	ts := start(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	u := createSignIn(t, st, "ann@example.org", testPassword, analytics.RoleAnalyst)
	return loginFixture{srv: srv, st: st, ts: ts, user: u}
}

// client is a browser-like client with a cookie jar that does not follow
// redirects.
func (f loginFixture) client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := f.ts.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// send makes a request; headers are pairs of name and value.
func send(t testing.TB, c *http.Client, method, u string, form url.Values, headers ...string) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// signIn posts the sign-in form as a browser on the same site would.
func (f loginFixture) signIn(t testing.TB, c *http.Client, email, password string) *http.Response {
	t.Helper()
	return send(t, c, "POST", f.ts.URL+"/login", url.Values{"email": {email}, "password": {password}, "next": {"/imports"}},
		"Origin", f.ts.URL, "Sec-Fetch-Site", "same-origin")
}

// sessionCookie returns the session cookie a response sets.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == plainCookieName || c.Name == secureCookieName {
			return c
		}
	}
	return nil
}

// signedIn reports whether the client's session opens a staff page.
func (f loginFixture) signedIn(t testing.TB, c *http.Client) bool {
	t.Helper()
	resp := send(t, c, "GET", f.ts.URL+"/imports", nil)
	return resp.StatusCode == http.StatusOK
}

func TestSignInAndOut(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	c := f.client(t)
	if f.signedIn(t, c) {
		t.Fatal("signed in before signing in")
	}
	resp := f.signIn(t, c, "ann@example.org", "wrong password entirely")
	if resp.StatusCode != http.StatusUnauthorized || sessionCookie(resp) != nil {
		t.Fatalf("a wrong password: %d, cookie %v", resp.StatusCode, sessionCookie(resp))
	}
	resp = f.signIn(t, c, "ANN@example.org", testPassword)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/imports" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ck := sessionCookie(resp)
	if ck == nil || ck.Name != plainCookieName || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" ||
		ck.Domain != "" || ck.Secure {
		t.Fatalf("session cookie over plain HTTP = %+v", ck)
	}
	if !f.signedIn(t, c) {
		t.Fatal("not signed in after signing in")
	}
	if resp := send(t, c, "POST", f.ts.URL+"/logout", url.Values{}, "Origin", f.ts.URL); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	if f.signedIn(t, c) {
		t.Fatal("still signed in after signing out")
	}
	// The session cookie of before the sign-out no longer works.
	old := f.client(t)
	u, _ := url.Parse(f.ts.URL)
	old.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value}})
	if f.signedIn(t, old) {
		t.Fatal("the session cookie works after signing out")
	}
	checkAudit(t, f.st, analytics.AuditSignIn, analytics.OutcomeOK, analytics.OutcomeFailed)
	checkAudit(t, f.st, analytics.AuditSignOut, analytics.OutcomeOK)
}

func TestSecureCookie(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tls    bool
		opts   *SessionOptions
		cookie string
		secure bool
	}{
		{"https", true, nil, secureCookieName, true},
		{"behind a proxy", false, &SessionOptions{SecureCookies: true}, secureCookieName, true},
		{"plain http", false, nil, plainCookieName, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newLoginFixture(t, tc.tls, tc.opts)
			ck := sessionCookie(f.signIn(t, f.client(t), "ann@example.org", testPassword))
			if ck == nil || ck.Name != tc.cookie || ck.Secure != tc.secure || ck.Path != "/" || ck.Domain != "" {
				t.Fatalf("cookie = %+v, want %s secure %v", ck, tc.cookie, tc.secure)
			}
		})
	}
}

// TestSessionFixation checks that signing in gives a new session id: a
// cookie planted before (or a session of before) is not the signed-in one.
func TestSessionFixation(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	c := f.client(t)
	first := sessionCookie(f.signIn(t, c, "ann@example.org", testPassword))
	second := sessionCookie(f.signIn(t, c, "ann@example.org", testPassword))
	if first == nil || second == nil || first.Value == second.Value {
		t.Fatalf("the session id did not change at sign-in: %v then %v", first, second)
	}
	old := f.client(t)
	u, _ := url.Parse(f.ts.URL)
	old.Jar.SetCookies(u, []*http.Cookie{{Name: first.Name, Value: first.Value}})
	if f.signedIn(t, old) {
		t.Error("the session id of before the second sign-in still works")
	}
	planted := f.client(t)
	planted.Jar.SetCookies(u, []*http.Cookie{{Name: plainCookieName, Value: "attacker-chosen-session-id"}})
	got := sessionCookie(f.signIn(t, planted, "ann@example.org", testPassword))
	if got == nil || got.Value == "attacker-chosen-session-id" {
		t.Errorf("signing in kept the planted session id: %v", got)
	}
}

func TestSessionTimeouts(t *testing.T) {
	if testing.Short() {
		t.Skip("waits several seconds")
	}
	t.Run("idle", func(t *testing.T) {
		f := newLoginFixture(t, false, &SessionOptions{IdleTimeout: 2 * time.Second, Lifetime: time.Hour})
		c := f.client(t)
		f.signIn(t, c, "ann@example.org", testPassword)
		if !f.signedIn(t, c) {
			t.Fatal("not signed in")
		}
		time.Sleep(3500 * time.Millisecond)
		if f.signedIn(t, c) {
			t.Fatal("still signed in after the idle timeout")
		}
	})
	t.Run("absolute", func(t *testing.T) {
		f := newLoginFixture(t, false, &SessionOptions{IdleTimeout: time.Hour, Lifetime: 2 * time.Second})
		c := f.client(t)
		f.signIn(t, c, "ann@example.org", testPassword)
		for range 3 { // active all along
			if !f.signedIn(t, c) {
				t.Fatal("signed out before the session's lifetime")
			}
			time.Sleep(400 * time.Millisecond)
		}
		time.Sleep(2500 * time.Millisecond)
		if f.signedIn(t, c) {
			t.Fatal("still signed in after the session's lifetime")
		}
	})
}

// TestDisabledAccount checks that disabling an account signs it out at
// its next request, and that it cannot sign in again.
func TestDisabledAccount(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	c := f.client(t)
	f.signIn(t, c, "ann@example.org", testPassword)
	if err := f.st.SetUserDisabled(context.Background(), f.user.ID, true, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	if f.signedIn(t, c) {
		t.Fatal("a disabled account is still signed in")
	}
	if resp := f.signIn(t, c, "ann@example.org", testPassword); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a disabled account signed in: %d", resp.StatusCode)
	}
	checkAudit(t, f.st, analytics.AuditSignIn, analytics.OutcomeRefused)
}

// checkAudit checks that the audit log holds events of action with each
// of the outcomes.
func checkAudit(t testing.TB, st *store.Store, action analytics.AuditAction, outcomes ...analytics.Outcome) {
	t.Helper()
	events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range outcomes {
		found := false
		for _, e := range events {
			found = found || e.Outcome == want
		}
		if !found {
			t.Errorf("no %s event with outcome %s in %+v", action, want, events)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ name, next, want string }{
		{"a page", "/surveys/x?period=month", "/surveys/x?period=month"},
		{"empty", "", "/"},
		{"another host", "https://evil.example/", "/"},
		{"scheme-relative", "//evil.example/", "/"},
		{"backslash", "/\\evil.example/", "/"},
		{"header injection", "/x\r\nSet-Cookie: a=b", "/"},
		{"the sign-in page", "/login?next=/login", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeNext(tc.next); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

// TestSignInPageHeaders checks the sign-in page as a signed-out browser
// sees it: not stored by caches, and an unknown address's next kept.
func TestSignInPageHeaders(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	resp := send(t, f.client(t), "GET", f.ts.URL+"/imports?x=1", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fimports%3Fx%3D1" {
		t.Fatalf("a page without signing in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = send(t, f.client(t), "GET", f.ts.URL+"/login", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("the sign-in page: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestSignInUpgradesOldHash: an account whose password was hashed with
// the Argon2id parameters heard used before (RFC 9106's second option)
// signs in, and its hash is replaced by one with today's parameters; a
// wrong password changes nothing.
func TestSignInUpgradesOldHash(t *testing.T) {
	f := newLoginFixture(t, false, nil)
	ctx := context.Background()
	salt := []byte("sixteen byte sal")
	key := argon2.IDKey([]byte(testPassword), salt, 3, 64*1024, 4, 32)
	old := "$argon2id$v=19$m=65536,t=3,p=4$" + base64.RawStdEncoding.EncodeToString(salt) + "$" +
		base64.RawStdEncoding.EncodeToString(key)
	if err := f.st.SetUserPassword(ctx, f.user.ID, old, analytics.Actor{Who: "test", From: "command line"}); err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		_, h, err := f.st.UserPasswordHash(ctx, f.user.Email)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if resp := f.signIn(t, f.client(t), f.user.Email, "not the password at all"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a wrong password: %d", resp.StatusCode)
	}
	if stored() != old {
		t.Fatal("a failed sign-in changed the hash")
	}
	if resp := f.signIn(t, f.client(t), f.user.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with an old hash: %d", resp.StatusCode)
	}
	now := stored()
	if now == old || !strings.HasPrefix(now, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("after signing in the hash is %q", now)
	}
	if resp := f.signIn(t, f.client(t), f.user.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the new hash: %d", resp.StatusCode)
	}
}
