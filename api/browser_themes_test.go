package api

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// startHeardWithThemes is startHeard with the theme worker running, as
// heard serve runs it, so that imported comments get their themes.
func startHeardWithThemes(t testing.TB) (*httptest.Server, string) {
	t.Helper()
	st, _ := newStore(t)
	createSignIn(t, st, browserEmail, browserPassword, analytics.RoleAnalyst)
	admin := createAccount(t, st, "admin@example.org", analytics.RoleAdmin)
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := NewServer(st, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv.startThemeWorker()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts, admin.token
}

// TestBrowserThemes loads the demo survey and uploads the NHS Friends and
// Family Test comments (the v6 framework file) through the upload page,
// waits for the theme worker to work out every comment's themes, and on
// each survey checks in Chromium that the themes page draws its charts,
// that its table of themes is the JSON API's figures for the period it
// names, that a theme's link opens its comments, each showing the theme,
// and that the comments page shows every comment's themes and sentiment.
func TestBrowserThemes(t *testing.T) {
	exe := chromiumPath(t)
	ts, token := startHeardWithThemes(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	b.checkThemes(t, b.path(t), "demo")
	file := filepath.Join("..", "..", "shared", "data", "external", "nhs-fft-pxtextmining", "v6framework_230831.csv")
	if _, err := os.Stat(file); err != nil {
		t.Logf("the NHS comments file is not here (%v): skipping the upload of real comments", err)
		return
	}
	b.checkThemes(t, b.uploadFile(t, file, "NHS FFT comments"), "nhs-fft")
	b.checkRequests(t)
}

// waitForThemes waits until every comment of the survey has its themes,
// reading the API's progress.
func (b *browser) waitForThemes(t *testing.T, api string) report.ThemesJSON {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		j := getJSON[report.ThemesJSON](t, b.origin+api+"?period=all", b.token)
		if j.Classified != nil && j.Comments != nil && *j.Comments > 0 && *j.Classified == *j.Comments {
			t.Logf("%s: %d comments classified", api, *j.Comments)
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the themes of the comments were not worked out in 3 minutes: %v of %v", api, j.Classified, j.Comments)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkThemes checks the themes and comments pages of the survey whose
// dashboard is at dashboard.
func (b *browser) checkThemes(t *testing.T, dashboard, name string) {
	t.Helper()
	b.open(t, dashboard)
	nav := b.links(t, `#survey-nav a`)
	if nav["Themes"] == "" {
		t.Fatalf("%s: the survey's navigation has no Themes", name)
	}
	slug := strings.TrimPrefix(dashboard, "/surveys/")
	api := "/api/v1/surveys/" + slug + "/themes"
	b.waitForThemes(t, api)
	b.open(t, nav["Themes"])
	b.checkSafe(t, name+" themes page")
	if n := b.checkCharts(t, name+" themes page"); n < 2 {
		t.Errorf("%s: %d charts on the themes page, want the themes and one theme's trend", name, n)
	}
	b.screenshot(t, "themes-"+name)
	// The page's table of themes against the API's figures for the
	// period the page names.
	heading := eval[string](t, b, `document.getElementById('themes-heading').innerText`)
	j := getJSON[report.ThemesJSON](t, b.origin+api, b.token)
	period := ""
	for _, r := range j.Rows {
		if "Themes in "+dashboards.PeriodLabel(j.Period, r.Period)+":" == strings.SplitAfter(heading, ":")[0] {
			period = r.Period
		}
	}
	if period == "" {
		t.Fatalf("%s: the heading %q names no period of the API's rows", name, heading)
	}
	var table *pageTable
	for _, tb := range b.tables(t) {
		if strings.Contains(tb.Caption, "% of comments mentioning each theme") {
			table = &tb
		}
	}
	if table == nil || len(table.Rows) == 0 {
		t.Fatalf("%s: the themes page has no table of themes", name)
	}
	want := map[string][]string{}
	for _, r := range j.Rows {
		if r.Period != period || r.Group != "" || r.Suppressed || *r.Comments == 0 {
			continue
		}
		want[r.Theme] = []string{dashboards.Value(analytics.MeasureShare, *r.Share, false), dashboards.Value(analytics.MeasureShare, *r.CILow, false),
			dashboards.Value(analytics.MeasureShare, *r.CIHigh, false), dashboards.Thousands(*r.Comments), dashboards.Thousands(*r.Base)}
	}
	if len(table.Rows) != len(want) {
		t.Errorf("%s: the page lists %d themes, the API %d mentioned in %s", name, len(table.Rows), len(want), period)
	}
	for _, row := range table.Rows {
		w, ok := want[row[0]]
		if !ok || len(row) < 6 || strings.Join(row[1:6], "|") != strings.Join(w, "|") {
			t.Errorf("%s: the page's row %q, the API's %q", name, row, w)
		}
	}
	// The most mentioned theme's link leads to its comments.
	theme := table.Rows[0][0]
	b.submit(t, `figure.heard-chart--theme tbody tr:first-child th a`)
	if p := b.path(t); !strings.Contains(p, "/comments?") || !strings.Contains(p, "theme="+url.QueryEscape(theme)) {
		t.Fatalf("%s: the theme's link led to %s", name, p)
	}
	b.checkSafe(t, name+" comments of a theme")
	rows := eval[[]string](t, b, `Array.from(document.querySelectorAll('#comments td.comment-themes')).map(function (td) { return td.innerText; })`)
	if len(rows) == 0 {
		t.Errorf("%s: no comment of %q", name, theme)
	}
	for _, r := range rows {
		if !strings.Contains(r, theme) {
			t.Errorf("%s: a comment listed under %q shows %q", name, theme, r)
		}
	}
	b.screenshot(t, "comments-theme-"+name)
	b.open(t, nav["Comments"])
	rows = eval[[]string](t, b, `Array.from(document.querySelectorAll('#comments td.comment-themes')).map(function (td) { return td.innerText; })`)
	if len(rows) == 0 {
		t.Fatalf("%s: the comments page shows no comment", name)
	}
	for _, r := range rows {
		if strings.Contains(r, "not worked out") || !(strings.Contains(r, "Positive") || strings.Contains(r, "Mixed") || strings.Contains(r, "Negative")) {
			t.Errorf("%s: a comment shows %q, not its themes and sentiment", name, r)
		}
	}
	b.screenshot(t, "comments-"+name)
	b.correctInBrowser(t, name)
	b.themesEverywhere(t, name, []string{nav["Themes"], nav["Comments"], b.link(t, `#comments td.comment-themes a`)})
}

// correctInBrowser corrects the first comment of the comments page as an
// analyst does: opens its form, ticks one more theme (the first it lacks),
// chooses a sentiment and saves; the page it returns to shows the comment
// with that theme, marked as corrected.
func (b *browser) correctInBrowser(t *testing.T, name string) {
	t.Helper()
	b.submit(t, `#comments td.comment-themes a`)
	b.checkSafe(t, name+" correction form")
	b.screenshot(t, "correction-"+name)
	added := eval[string](t, b, `(function () {
		var box = document.querySelector('#correction-form input[name="theme"]:not(:checked)');
		box.checked = true;
		document.getElementById('fix-sentiment').value = 'mixed';
		return box.value; })()`)
	row := eval[string](t, b, `document.querySelector('tr.correction').previousElementSibling.id`)
	b.submit(t, `#save-correction`)
	if p := b.path(t); !strings.Contains(p, "/comments") || strings.Contains(p, "correct=") {
		t.Fatalf("%s: saving the correction led to %s", name, p)
	}
	text := eval[string](t, b, `document.getElementById(`+jsString(row)+`).querySelector('td.comment-themes').innerText`)
	if !strings.Contains(text, added) || !strings.Contains(text, "Sentiment: Mixed") || !strings.Contains(text, "corrected by staff") {
		t.Errorf("%s: after the correction the comment shows %q, want %q, mixed and corrected", name, text, added)
	}
}

// themesEverywhere checks the pages at a phone's width (no sideways
// scrolling, a screenshot) and, when axe-core is installed, runs it on
// them at both widths.
func (b *browser) themesEverywhere(t *testing.T, name string, paths []string) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("..", "scripts", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Logf("axe-core is not installed (%v): the themes pages are not checked for accessibility here", err)
	}
	defer run(t, b, "set the viewport", chromedp.EmulateViewport(1280, 900))
	for _, w := range axeWidths {
		run(t, b, "set the viewport", chromedp.EmulateViewport(w.width, w.height))
		for i, p := range paths {
			b.open(t, p)
			if w.width < 500 {
				if over := eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
					t.Errorf("%s: %s scrolls sideways at %d px", name, p, w.width)
				}
				b.screenshot(t, fmt.Sprintf("themes-%s-%d-%d", name, i, w.width))
			}
			if script == nil {
				continue
			}
			eval[bool](t, b, string(script)+"\n;true")
			for _, f := range eval[[]string](t, b, axeRun) {
				t.Errorf("%s, %s at %d px: %s", name, p, w.width, f)
			}
		}
	}
}
