package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// openRedirects are values of next, as written in the address (escaped),
// that must never send a signed-in browser anywhere but heard's home page.
var openRedirects = []string{
	"%2F%09%2Fevil.example", // the finding: a tab between the slashes, which browsers remove
	"%2F%2Fevil.example",
	"//evil.example",
	"///evil.example",
	"/%5Cevil.example",
	"/%5C%5Cevil.example",
	"%5C%5Cevil.example",
	"/%5C/evil.example",
	"/x%5C..%5C..%5C%5Cevil.example",
	"https://evil.example",
	"HTTPS://evil.example/x",
	"https:%2F%2Fevil.example",
	"https:evil.example",
	"javascript:alert(1)",
	"/%0a/evil.example",
	"/%0d%0a/evil.example",
	"%09//evil.example",
	"%20//evil.example",
	"/%09/evil.example",
	"/%0b/evil.example",
	"/%00/evil.example",
	"/%7F/evil.example",
	"/%C2%85/evil.example", // NEL, a C1 control
	"/%C2%9B2J",            // CSI, a C1 control
	"/%250a/evil.example",  // an escaped newline, escaped again
	"%2F%2509%2Fevil.example",
	"/%252F/evil.example", // decodes to //evil.example
	"/%2F/evil.example",   // the same, escaped once
	"/.//evil.example",
	"/./%2Fevil.example",
	"/..//evil.example",
	"/%2e%2e//evil.example",
	"/x/../..//evil.example",
	"/x/%2E/../%2F%2Fevil.example",
	"%EF%BC%8F%EF%BC%8Fevil.example", // fullwidth solidus twice
	"/%EF%BC%8Fevil.example",         // a slash and a fullwidth solidus
	"/%EF%BC%BCevil.example",         // a slash and a fullwidth reverse solidus
	"%E2%81%84%E2%81%84evil.example", // fraction slashes
	"/%E2%80%AE/evil.example",        // a right-to-left override, raw in the address
	"@evil.example",
	"/@evil.example/..",
	"evil.example",
	"",
	"/login?next=//evil.example",
}

// TestOpenRedirect checks finding 5: after signing in, or at the sign-in
// page while signed in, next is followed only when it is a path of this
// site with no control character, no backslash, no dot segment and no
// double slash at its start, before or after its percent-escapes are
// decoded; anything else leads to /.
func TestOpenRedirect(t *testing.T) {
	for _, raw := range openRedirects {
		next, err := url.QueryUnescape(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{
		"/", "/imports", "/surveys/x?period=month", "/surveys/caf%C3%A9/questions",
		"/surveys/x/questions/q1?where=team%3DNorth+Team&by=team#chart", "/surveys/a%2Fb",
		"/surveys/x?where=team%3D%2F%2Fevil.example", "/assets/heard.css?v=1.2",
	} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}

	m := newMatrixFixture(t)
	for _, raw := range openRedirects {
		rec := m.do(t, "viewer", "GET", "/login?next="+raw)
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/" {
			t.Errorf("GET /login?next=%s signed in: %d to %q, want 303 to /", raw, rec.Code, loc)
		}
	}
	if staysOnSite("/\t/evil.example") || staysOnSite("/\\evil.example") || !staysOnSite("/imports") {
		t.Fatal("staysOnSite does not read addresses as browsers do")
	}
	if rec := m.do(t, "viewer", "GET", "/login?next=%2Fimports%3Fx%3D1"); rec.Header().Get("Location") != "/imports?x=1" {
		t.Errorf("a page of the site is not followed: %q", rec.Header().Get("Location"))
	}

	f := newLoginFixture(t, false, nil)
	for _, raw := range []string{"%2F%09%2Fevil.example", "/%5Cevil.example", "%0a//evil.example", "/.//evil.example"} {
		next, _ := url.QueryUnescape(raw)
		c := f.client(t)
		resp := send(t, c, "POST", f.ts.URL+"/login", url.Values{"email": {f.user.Email}, "password": {testPassword}, "next": {next}},
			"Origin", f.ts.URL, "Sec-Fetch-Site", "same-origin")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("POST /login next=%q: %d to %q, want 303 to /", next, resp.StatusCode, loc)
		}
		// The sign-in page keeps only a safe next in its form.
		page := send(t, f.client(t), "GET", f.ts.URL+"/login?next="+raw, nil)
		if page.StatusCode != http.StatusOK {
			t.Errorf("GET /login?next=%s signed out: %d", raw, page.StatusCode)
		}
	}
}

// staysOnSite reports whether a browser on heard.example would follow
// loc ("" for none) to heard.example: it removes tabs and newlines and
// reads a backslash as a slash, as browsers do, before resolving it.
func staysOnSite(loc string) bool {
	if loc == "" {
		return true
	}
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimSpace(loc))
	ref, err := url.Parse(loc)
	if err != nil {
		return false
	}
	base, _ := url.Parse("http://heard.example/login")
	return base.ResolveReference(ref).Host == "heard.example"
}
