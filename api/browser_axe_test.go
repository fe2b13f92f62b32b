package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
)

// axeScript finds axe-core, which .ci/run installs from the npm registry
// into scripts/axe (npm ci). Without it the test is skipped, but under CI
// it fails.
func axeScript(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "scripts", "axe", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err == nil {
		return string(b)
	}
	if os.Getenv("CI") != "" && os.Getenv("CI") != "false" {
		t.Fatalf("axe-core is not installed but CI is set: .ci/run should have run npm ci in scripts/axe (%v)", err)
	}
	t.Skipf("axe-core is not installed (%v): `npm ci --prefix scripts/axe` runs this test", err)
	return ""
}

// axeWidths are the window widths every page is checked at: a laptop and
// a phone.
var axeWidths = []struct {
	name          string
	width, height int64
}{{"1366", 1366, 900}, {"390", 390, 844}}

// axeRun injects axe-core into the open page and returns its serious and
// critical violations, one line each: the rule, its impact, how many
// elements and the first element's selector.
const axeRun = `(async function () {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + '): ' + v.help + ' at ' +
      (v.nodes[0] ? v.nodes[0].target.join(' ') : ''));
})()`

// TestBrowserAxe runs axe-core on every page each kind of account can
// reach by following links from the home page (an analyst, an admin and a
// board member), on the demo survey and a real export, at 1366 and 390
// pixels wide, and fails on any serious or critical issue.
func TestBrowserAxe(t *testing.T) {
	script := axeScript(t)
	exe := chromiumPath(t)
	st, _ := newStore(t)
	const password = "correct horse battery staple"
	accounts := []struct {
		email string
		role  analytics.UserRole
	}{
		{"analyst-axe@example.org", analytics.RoleAnalyst},
		{"admin-axe@example.org", analytics.RoleAdmin},
		{"board-axe@example.org", analytics.RoleBoard},
	}
	for _, a := range accounts {
		createSignIn(t, st, a.email, password, a.role)
	}
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})

	// The login page, signed out.
	b := newBrowser(t, exe, ts.URL)
	var problems []string
	check := func(who, path string) {
		for _, w := range axeWidths {
			run(t, b, "set the window size", chromedp.EmulateViewport(w.width, w.height))
			b.open(t, path)
			eval[bool](t, b, script+"\n;true") // by the DevTools protocol, which the pages' CSP does not govern
			found := eval[[]string](t, b, axeRun)
			for _, f := range found {
				problems = append(problems, fmt.Sprintf("%s, %s at %s px: %s", who, path, w.name, f))
			}
		}
	}
	check("signed out", "/login")

	b.signIn(t, accounts[0].email, password)
	b.submit(t, `#demo-form button[type="submit"]`)
	b.uploadFile(t, fixture("smartsurvey-small.csv"), "People feedback")
	for i, a := range accounts {
		if i > 0 {
			b = newBrowser(t, exe, ts.URL)
			b.signIn(t, a.email, password)
		}
		pages := b.crawl(t, 80)
		if len(pages) < 3 {
			t.Fatalf("%s reaches only %q", a.role, pages)
		}
		t.Logf("%s: %d pages: %q", a.role, len(pages), pages)
		for _, p := range pages {
			check(string(a.role), p)
		}
	}
	if len(problems) > 0 {
		t.Errorf("axe-core found %d serious or critical issues:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// crawl follows the same-site links of the pages a signed-in browser
// reaches from the home page, breadth first, and returns up to limit page
// paths. Downloads, the JSON API, assets and links that only change a
// page's query (one of each path is kept) are left out.
func (b *browser) crawl(t *testing.T, limit int) []string {
	t.Helper()
	seen, kinds := map[string]bool{"/": true}, map[string]int{}
	queue, pages := []string{"/"}, []string(nil)
	for len(queue) > 0 && len(pages) < limit {
		p := queue[0]
		queue = queue[1:]
		ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.origin+p))
		cancel()
		if err != nil {
			t.Fatalf("open %s: %v", p, err)
		}
		if resp.Status != http.StatusOK {
			t.Errorf("a link on the pages leads to %s, which answers HTTP %d", p, resp.Status)
			continue
		}
		pages = append(pages, p)
		hrefs := eval[[]string](t, b, `Array.from(document.querySelectorAll('a[href]'), a => a.href)`)
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil || u.Scheme+"://"+u.Host != b.origin {
				continue
			}
			if !crawlable(u.Path) || seen[u.Path] {
				continue
			}
			seen[u.Path] = true
			if kind := pageKind(u.Path); kind != u.Path {
				if kinds[kind] >= 2 { // two of each kind of page: every question page is alike
					continue
				}
				kinds[kind]++
			}
			queue = append(queue, u.RequestURI())
		}
	}
	slices.Sort(pages[1:])
	return pages
}

// pageKind names the kind of page a path is, with the survey's and the
// question's names replaced: "/surveys/*/questions/*".
func pageKind(path string) string {
	parts := strings.Split(path, "/")
	for i := 1; i+1 < len(parts); i += 2 {
		switch parts[i] {
		case "surveys", "questions", "imports", "upload":
			parts[i+1] = "*"
		}
	}
	return strings.Join(parts, "/")
}

// crawlable reports whether path is a page (not a download, the API, an
// asset or signing out).
func crawlable(path string) bool {
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/assets/") || path == "/logout" {
		return false
	}
	for _, ext := range []string{".xlsx", ".csv", ".zip", ".json", ".png", ".pdf"} {
		if strings.HasSuffix(path, ext) {
			return false
		}
	}
	return true
}

// TestCrawlable keeps downloads and the API out of the pages checked.
func TestCrawlable(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/surveys/x": true, "/surveys/x/questions/q1": true, "/admin/users": true,
		"/surveys/x/dashboard.xlsx": false, "/api/v1/surveys": false, "/assets/heard.css": false,
		"/logout": false, "/api/v1/surveys/x/trends.csv": false,
	} {
		if got := crawlable(path); got != want {
			t.Errorf("crawlable(%q) = %v, want %v", path, got, want)
		}
	}
}
