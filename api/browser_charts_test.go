package api

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCharts draws heard's charts in headless Chromium at a
// desktop and a phone width, on the demo survey and on a real Microsoft
// Forms export.
func TestBrowserCharts(t *testing.T) {
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	demo := b.path(t)
	b.chartPages(t, demo, "demo")
	file := filepath.Join("..", "..", "shared", "data", "external", "msforms-phonebrandpred", "surveyEng.csv")
	if _, err := os.Stat(file); err != nil {
		t.Logf("the Microsoft Forms export is not here (%v): skipping it", err)
		return
	}
	b.chartPages(t, b.uploadFile(t, file, "Phones"), "msforms")
}

// chartPages visits a survey's dashboard and question pages at each width.
func (b *browser) chartPages(t *testing.T, dashboard, name string) {
	b.open(t, dashboard)
	nav := b.links(t, `#survey-nav a`)
	b.open(t, nav["Questions"])
	questions := b.links(t, `#questions-list tbody a`)
	paths := []string{dashboard}
	for _, k := range slices.Sorted(maps.Keys(questions)) {
		paths = append(paths, questions[k])
	}
	for _, vp := range [][2]int64{{1366, 900}, {390, 844}} {
		run(t, b, "viewport", chromedp.EmulateViewport(vp[0], vp[1]))
		for i, p := range paths {
			b.open(t, p)
			b.checkCharts(t, p)
			b.screenshot(t, fmt.Sprintf("%s-%02d-%d", name, i, vp[0]))
		}
	}
}
