package api

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSetup drives a survey's set-up as an analyst would, in a wide
// and a phone-sized window: on the demo survey it relabels a question and
// finds the new label on the dashboard, and previews which answers count
// as positive (the figure before and after) before saving it; it uploads a
// real Microsoft Forms export, whose preview shows its Excel serial times
// as dates and lets a column be made a group before anything is stored,
// then makes another column a group on the set-up page, and finds both on
// the equality page. No page scrolls sideways.
func TestBrowserSetup(t *testing.T) {
	exe := chromiumPath(t)
	export := filepath.Join(externalDir(t), "msforms-phonebrandpred", "surveyEng.xlsx")
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"wide", 1366, 900}, {"phone", 390, 844}} {
		t.Run(vp.name, func(t *testing.T) {
			ts, _ := startHeard(t)
			b := newBrowser(t, exe, ts.URL)
			if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(vp.width, vp.height)); err != nil {
				t.Fatalf("set the window to %dx%d: %v", vp.width, vp.height, err)
			}
			b.signIn(t, browserEmail, browserPassword)
			b.open(t, "/")
			b.submit(t, `#demo-form button[type="submit"]`)
			demo := b.path(t)
			t.Run("relabel", func(t *testing.T) { setupRelabel(t, b, demo) })
			t.Run("scale", func(t *testing.T) { setupScale(t, b, demo) })
			t.Run("upload", func(t *testing.T) { setupUpload(t, b, export) })
		})
	}
}

// noSideways fails when the page is wider than the window. (The survey
// pages' own width on a phone is checked by the small-screen test.)
func noSideways(t testing.TB, b *browser, where string) {
	t.Helper()
	if w := eval[string](t, b, `document.documentElement.scrollWidth + " " + window.innerWidth`); func() bool {
		var a, c int
		fmt.Sscan(w, &a, &c)
		return a > c
	}() {
		t.Errorf("%s scrolls sideways: page and window widths %s", where, w)
	}
}

// bodyText is the text of the page.
func bodyText(t testing.TB, b *browser) string {
	return eval[string](t, b, `document.body.textContent`)
}

// relabelled is the label the test gives a question of the demo survey.
const relabelled = "How happy were you with the help? (relabelled)"

// setupRelabel relabels the demo survey's headline question on its set-up
// page and finds the label on the dashboard.
func setupRelabel(t *testing.T, b *browser, demo string) {
	b.open(t, demo)
	dash := bodyText(t, b)
	b.open(t, demo+"/setup")
	b.checkSafe(t, "set-up page")
	noSideways(t, b, "the set-up page")
	b.screenshot(t, "setup")
	// The first question on a scale whose label the dashboard shows.
	i := eval[int](t, b, `(function (dash) {
		var cols = document.querySelectorAll('.setup-column');
		for (var i = 0; i < cols.length; i++) {
			var h = cols[i].querySelector('.setup-headline');
			// A scale of more than two answers, whose figure marking only
			// the first positive changes.
			if (cols[i].querySelector('.set-scale') && h && h.textContent.indexOf(' yes ') < 0 &&
				dash.indexOf(cols[i].querySelector('h3').textContent) >= 0) return i;
		}
		return -1;
	})(`+jsString(dash)+`)`)
	if i < 0 {
		t.Fatal("no question of the set-up page is on the dashboard")
	}
	const label = relabelled
	field := fmt.Sprintf("#label-%d", i)
	if err := chromedp.Do(b.ctx, chromedp.SetValue(chromedp.CSS(field), label)); err != nil {
		t.Fatal(err)
	}
	b.submit(t, fmt.Sprintf(".setup-column:nth-child(%d) .relabel", i+1))
	if !strings.Contains(bodyText(t, b), "The new label is saved") {
		t.Fatal("the set-up page did not say the label was saved")
	}
	b.open(t, demo)
	if !strings.Contains(bodyText(t, b), label) {
		t.Error("the dashboard does not show the new label")
	}
	b.screenshot(t, "dashboard-relabelled")
}

// setupScale previews, then saves, which answers of the relabelled
// question count as positive: only its first.
func setupScale(t *testing.T, b *browser, demo string) {
	b.open(t, demo+"/setup")
	href := eval[string](t, b, `(function () {
		var cols = document.querySelectorAll('.setup-column');
		for (var i = 0; i < cols.length; i++) {
			if (cols[i].querySelector('h3').textContent === `+jsString(relabelled)+`) return cols[i].querySelector('.set-scale').getAttribute('href');
		}
		return '';
	})()`)
	if href == "" {
		t.Fatal("the set-up page has no scale link for the relabelled question")
	}
	b.open(t, href)
	b.checkSafe(t, "scale form")
	noSideways(t, b, "the scale form")
	before := eval[string](t, b, `document.getElementById('figure-before').textContent`)
	eval[bool](t, b, `(function () {
		var s = document.querySelectorAll('.setup-scale select');
		for (var i = 0; i < s.length; i++) {
			if (s[i].value !== 'excluded') s[i].value = i === 0 ? 'positive' : 'negative';
		}
		return true;
	})()`)
	b.screenshot(t, "scale-form")
	b.submit(t, `#preview-scale`)
	b.checkSafe(t, "scale preview")
	noSideways(t, b, "the scale preview")
	b.screenshot(t, "scale-preview")
	got := eval[string](t, b, `document.getElementById('figure-before').textContent + "|" + document.getElementById('figure-after').textContent`)
	parts := strings.SplitN(got, "|", 2)
	figure := func(s string) string { return strings.Fields(s + " ")[0] }
	if parts[0] != before || !strings.Contains(parts[1], "% positive") || figure(parts[0]) == figure(parts[1]) ||
		!strings.Contains(parts[0], "answers") {
		t.Errorf("the preview's figures before and after: %q (the form said %q)", got, before)
	}
	b.submit(t, `#confirm-change`)
	if text := bodyText(t, b); !strings.Contains(text, "count as positive is saved") || !strings.Contains(text, parts[1]) {
		t.Errorf("after saving, the set-up page does not show the previewed figure %q", parts[1])
	}
}

// setupUpload uploads the real export, checks its preview, makes a column
// a group there and another on the set-up page, and finds both on the
// equality page.
func setupUpload(t *testing.T, b *browser, export string) {
	abs, err := filepath.Abs(export)
	if err != nil {
		t.Fatal(err)
	}
	b.open(t, "/upload")
	if err := chromedp.Do(b.ctx,
		chromedp.SetValue(chromedp.ID("new_survey"), "Phones"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{abs}),
	); err != nil {
		t.Fatalf("fill the upload form: %v", err)
	}
	b.submit(t, `form[action="/upload"] button[type="submit"]`)
	b.checkSafe(t, "upload preview")
	sample := eval[string](t, b, `document.getElementById('preview-sample').textContent`)
	if !strings.Contains(sample, "2021-04-28 11:21") || strings.Contains(sample, "44314.") {
		t.Errorf("the preview's first rows do not show the start time as a date:\n%s", sample)
	}
	noSideways(t, b, "the upload preview")
	if strings.Contains(bodyText(t, b), "Changes from earlier files") {
		t.Error("the preview of a new survey speaks of changes from earlier files")
	}
	if codes := eval[string](t, b, `Array.prototype.map.call(document.querySelectorAll('#preview-columns td'), function (td) {
		return td.textContent; }).filter(function (s) { return /^(single|scale|multi)\b|^(text|number|date)$|-band|_/.test(s); }).join('; ')`); codes != "" {
		t.Errorf("the preview's columns show internal codes: %s", codes)
	}
	const brand = "What is your mobile phone brand?"
	set := eval[bool](t, b, `(function () {
		var labels = document.querySelectorAll('#preview-columns label');
		for (var i = 0; i < labels.length; i++) {
			if (labels[i].textContent.indexOf(`+jsString(brand)+`) >= 0) {
				document.getElementById(labels[i].htmlFor).value = 'dimension';
				return true;
			}
		}
		return false;
	})()`)
	if !set {
		t.Fatal("the preview offers no choice of what the brand column is")
	}
	b.submit(t, `#check-columns`)
	b.checkSafe(t, "upload preview checked again")
	b.screenshot(t, "upload-preview")
	if n := eval[int](t, b, `document.querySelectorAll('#preview-columns option[value="dimension"]:checked').length`); n == 0 {
		t.Error("after checking again no column is a group")
	}
	b.submit(t, `#import-file`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('a[href^="/surveys/"]') !== null`))
		cancel()
		if err == nil && found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not end:\n%s", bodyText(t, b))
		}
		time.Sleep(250 * time.Millisecond)
	}
	b.submit(t, `a[href^="/surveys/"]`)
	survey := b.path(t)
	// Another column made a group on the set-up page, with its preview.
	const preferred = "If you could have a phone of any brand you want, which brand would it be?"
	b.open(t, survey+"/setup")
	i := eval[int](t, b, `(function () {
		var cols = document.querySelectorAll('.setup-column');
		for (var i = 0; i < cols.length; i++) {
			if (cols[i].querySelector('h3').textContent === `+jsString(preferred)+`) {
				cols[i].querySelector('select').value = 'dimension';
				return i;
			}
		}
		return -1;
	})()`)
	if i < 0 {
		t.Fatal("the set-up page does not list the preferred-brand question")
	}
	b.submit(t, fmt.Sprintf(".setup-column:nth-child(%d) .preview-kind", i+1))
	b.checkSafe(t, "column preview")
	noSideways(t, b, "the column preview")
	b.screenshot(t, "column-preview")
	if text := bodyText(t, b); !strings.Contains(text, "Before") || !strings.Contains(text, "Apple") {
		t.Errorf("the column preview does not show the figure before and the answers:\n%s", text)
	}
	b.submit(t, `#confirm-change`)
	b.open(t, survey+"/equality")
	text := bodyText(t, b)
	for _, want := range []string{brand, preferred} {
		if !strings.Contains(text, want) {
			t.Errorf("the equality page does not offer %q", want)
		}
	}
	b.screenshot(t, "equality")
}
