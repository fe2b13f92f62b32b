package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
)

// boardEmail signs the browser in as a board member.
const boardEmail = "board@example.org"

// boardSentence is the headline sentence of the board's dashboard, as the
// browser reads it.
var boardSentence = regexp.MustCompile(`^(About \d+ in 10|\d+ in 10|About \d+ in 100|\d+ in 100|All [\d,]+|None of the [\d,]+|Almost all|Fewer than 1 in 100) people \(\d+\.\d%, [\d,]+ answers?\) .+ in [A-Z][a-z]+ \d{4}\.$`)

// TestBrowserBoard signs a board member in, in headless Chromium, and
// walks the demo survey and a real export (the NHS Friends and Family
// Test file) at a laptop's size (1366×900) and a phone's (390×844): on
// every page the board can reach (the question pages at the laptop's
// size only), no form but signing out, no field to
// fill in, and every link answers without 403 (each fetched as the board
// member, in the page); the dashboard says its headline in a sentence
// with a natural frequency and explains its words.
func TestBrowserBoard(t *testing.T) {
	start := time.Now()
	exe := chromiumPath(t)
	ts, slugs := startBoardHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.signIn(t, boardEmail, browserPassword)
	b.checkBoardPage(t, "the list of surveys")
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"1366", 1366, 900}, {"390", 390, 844}} {
		run(t, b, "set the viewport", chromedp.EmulateViewport(vp.w, vp.h))
		for i, slug := range slugs {
			t.Run([]string{"demo", "real"}[i]+"-"+vp.name, func(t *testing.T) {
				dashboard := "/surveys/" + slug
				b.open(t, dashboard)
				b.checkBoardPage(t, dashboard)
				sentence := eval[string](t, b, `(document.querySelector('#headline-sentence') || {}).textContent || ''`)
				if !boardSentence.MatchString(strings.TrimSpace(sentence)) {
					t.Errorf("the headline sentence is %q", sentence)
				}
				words := eval[string](t, b, `(document.querySelector('#board-words') || {}).textContent || ''`)
				for _, want := range []string{"Confidence interval", "Significant", "chance"} {
					if !strings.Contains(words, want) {
						t.Errorf("the explanation of the words lacks %q: %q", want, words)
					}
				}
				if vp.w == 390 {
					if over := eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
						t.Errorf("the board's dashboard scrolls sideways at 390 px: %v px wide",
							eval[float64](t, b, `document.documentElement.scrollWidth`))
					}
				}
				name := "board-dashboard-" + vp.name
				if i > 0 {
					name = "board-dashboard-fft-" + vp.name
				}
				b.screenshot(t, name)
				// Every page the survey's navigation leads to and, at the
				// laptop's size, every question's page.
				selector := `#survey-nav a`
				if vp.w == 1366 {
					selector += `, #questions-table a`
				}
				pages := b.sameSiteLinks(t, selector)
				for _, p := range pages {
					if p == dashboard || strings.HasPrefix(p, "/api/") || strings.HasSuffix(strings.SplitN(p, "?", 2)[0], ".xlsx") {
						continue
					}
					b.open(t, p)
					b.checkBoardPage(t, p)
					if strings.HasSuffix(strings.SplitN(p, "?", 2)[0], "/downloads") && vp.w == 1366 && i == 0 {
						b.screenshot(t, "board-downloads-1366")
					}
				}
			})
		}
	}
	b.checkRequests(t)
	t.Logf("the board's browser test took %v", time.Since(start).Round(time.Millisecond))
}

// checkBoardPage asserts what every page a board member sees must hold:
// no form but signing out, no field, no script of an upload run, and no
// link that answers 403 (or any error) to the board member.
func (b *browser) checkBoardPage(t testing.TB, where string) {
	t.Helper()
	b.checkSafe(t, where)
	forms := eval[[]string](t, b, `Array.from(document.querySelectorAll('form')).map(function (f) { return f.getAttribute('action') || ''; })`)
	if len(forms) != 1 || forms[0] != "/logout" {
		t.Errorf("%s: forms %q, want the sign-out form alone", where, forms)
	}
	if n := eval[int](t, b, `document.querySelectorAll('input, select, textarea').length`); n > 0 {
		t.Errorf("%s: %d fields to fill in", where, n)
	}
	type answer struct {
		Href   string `json:"href"`
		Status int    `json:"status"`
	}
	answers := eval[[]answer](t, b, `Promise.all(Array.from(new Set(Array.from(document.querySelectorAll('a[href]'))
		.map(function (a) { return a.href; })
		.filter(function (h) { return h.indexOf(location.origin + '/') === 0 && h.split('#')[0] !== location.href.split('#')[0]; })))
		.map(function (h) { return fetch(h, {redirect: 'manual'}).then(function (r) { return {href: h, status: r.status}; }); }))`)
	if len(answers) == 0 {
		t.Errorf("%s: no link to check", where)
	}
	for _, a := range answers {
		if a.Status != http.StatusOK {
			t.Errorf("%s links %s, which answers %d to a board member", where, strings.TrimPrefix(a.Href, b.origin), a.Status)
		}
	}
}

// sameSiteLinks returns the paths of the links the selector finds.
func (b *browser) sameSiteLinks(t testing.TB, selector string) []string {
	t.Helper()
	hrefs := eval[[]string](t, b, `Array.from(document.querySelectorAll(`+jsString(selector)+`)).map(function (a) { return a.href; })`)
	var out []string
	seen := map[string]bool{}
	for _, h := range hrefs {
		p, _, _ := strings.Cut(strings.TrimPrefix(h, b.origin), "#")
		if strings.HasPrefix(p, "/") && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// startBoardHeard serves the real handler with a board member's account
// (boardEmail) and two surveys: the demo, and the NHS Friends and Family
// Test export (the SmartSurvey fixture if the export is not here). It
// returns the surveys' slugs.
func startBoardHeard(t testing.TB) (*httptest.Server, []string) {
	t.Helper()
	st, _ := newStore(t)
	createSignIn(t, st, boardEmail, browserPassword, analytics.RoleBoard)
	admin := createAccount(t, st, "admin@example.org", analytics.RoleAdmin)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	demo := doReq(withToken{h: srv.Handler(), token: admin.token}, httptest.NewRequest("POST", "/demo", nil))
	if demo.Code != http.StatusSeeOther {
		t.Fatalf("load the demo: %d %s", demo.Code, demo.Body)
	}
	file, name := filepath.Join("..", "..", "shared", "data", "external", "nhs-fft-gp-practice", "data.csv"), "GP friends and family test"
	if _, err := os.Stat(file); err != nil {
		t.Logf("the NHS FFT export is not here (%v): the SmartSurvey export instead", err)
		file, name = fixture("smartsurvey-small.csv"), "People feedback (SmartSurvey)"
	}
	rep, err := ingest.ImportFile(context.Background(), st, file, filepath.Base(file), ingest.ImportParams{Survey: name})
	if err != nil || rep.Refused() {
		t.Fatalf("import %s: %v %+v", file, err, rep)
	}
	sv, err := st.SurveyByName(context.Background(), rep.Survey)
	if err != nil {
		t.Fatal(err)
	}
	return ts, []string{strings.TrimPrefix(demo.Header().Get("Location"), "/surveys/"), sv.Slug}
}
