package api

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserControls drives the dashboard's controls in headless Chromium
// on the demo survey and on the real NHS Friends and Family Test export, at
// a laptop's width (1366 px) and a phone's (390 px): it chooses two values
// in the dimensions' lists and submits, then checks that the figures
// changed, that the address carries both filters and that the lists keep
// them; that the dates are date fields; that the figure menu offers only
// figures that fit the headline question; that the headline of the real
// export, whose last month stops on its 5th day, is the month before and
// says why; and that the page does not scroll sideways.
func TestBrowserControls(t *testing.T) {
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)

	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	demo := b.path(t)
	fft := ""
	if file := filepath.Join("..", "..", "shared", "data", "external", "nhs-fft-gp-practice", "data.csv"); fileExists(file) {
		fft = b.uploadFile(t, file, "GP friends and family test")
	}
	for _, s := range []struct {
		name, path string
		// offers and never are figures the headline's menu must and must
		// not list.
		offers, never []string
		// period is the headline's period, note a part of the sentence
		// saying why it is not the latest ("" when it is).
		period, note string
	}{
		{"demo", demo, []string{"", "ascof", "top-box"}, []string{"yes", "nps", "agree", "fft-positive"}, "", ""},
		{"nhs-fft", fft, []string{"", "fft-positive", "fft-negative"}, []string{"yes", "agree", "ascof"},
			"March 2024", "April 2024 is not over yet"},
	} {
		if s.path == "" {
			t.Logf("%s: the export is not here; skipped", s.name)
			continue
		}
		for _, vp := range []struct {
			name string
			w, h int64
		}{{"1366", 1366, 900}, {"390", 390, 844}} {
			t.Run(s.name+"-"+vp.name, func(t *testing.T) {
				run(t, b, "set the viewport", chromedp.EmulateViewport(vp.w, vp.h))
				b.open(t, strings.Split(s.path, "?")[0])
				b.checkSafe(t, s.name+" dashboard")
				if s.period != "" {
					if got := eval[string](t, b, `document.querySelector('#headline-detail').innerText`); !strings.HasPrefix(got, s.period) {
						t.Errorf("headline %q, want %s", got, s.period)
					}
					if got := eval[string](t, b, `(document.querySelector('#period-note') || {innerText: ''}).innerText`); !strings.Contains(got, s.note) {
						t.Errorf("period note %q, want %q", got, s.note)
					}
				}
				b.checkControls(t, s.offers, s.never)
				before := eval[string](t, b, `document.querySelector('#headline-detail').innerText`)
				chosen := eval[[]string](t, b, `(function () {
					var lists = Array.from(document.querySelectorAll('select[id^="f-dim-"]')), out = [];
					// two values: the first of the first two lists, or the first two of a list alone
					var picks = lists.length > 1 ? [[lists[0], 0], [lists[1], 0]] : [[lists[0], 0], [lists[0], 1]];
					picks.forEach(function (p) { var o = p[0].options[p[1]]; o.selected = true; out.push(o.value); });
					return out;
				})()`)
				if len(chosen) != 2 {
					t.Fatalf("chose %q, want two values", chosen)
				}
				b.screenshot(t, s.name+"-"+vp.name+"-chosen")
				b.submit(t, `#filters button[type="submit"]`)
				b.checkSafe(t, s.name+" filtered dashboard")
				u, err := url.Parse(b.path(t))
				if err != nil {
					t.Fatal(err)
				}
				if got := u.Query()["where"]; !slices.Equal(got, chosen) {
					t.Errorf("the address %s carries where=%q, want %q", u, got, chosen)
				}
				after := eval[string](t, b, `document.querySelector('#headline-detail, #headline-figure').innerText`)
				if after == before {
					t.Errorf("the figures did not change with the filters: %q", after)
				}
				kept := eval[[]string](t, b, `Array.from(document.querySelectorAll('select[id^="f-dim-"] option:checked')).map(function (o) { return o.value; })`)
				if !slices.Equal(kept, chosen) {
					t.Errorf("the lists keep %q, want %q", kept, chosen)
				}
				b.checkControls(t, s.offers, s.never)
				b.screenshot(t, s.name+"-"+vp.name+"-filtered")
				b.elementShot(t, "#filters", s.name+"-"+vp.name+"-form")
			})
		}
	}
}

// checkControls checks the filter form of the page shown: the dates are
// date fields, the figure menu lists offers and none of never, and the
// page does not scroll sideways.
func (b *browser) checkControls(t *testing.T, offers, never []string) {
	t.Helper()
	for _, id := range []string{"f-from", "f-to"} {
		if typ := eval[string](t, b, `document.getElementById('`+id+`').type`); typ != "date" {
			t.Errorf("#%s is a %q field, want date", id, typ)
		}
	}
	menu := eval[[]string](t, b, `Array.from(document.querySelectorAll('#f-metric option')).map(function (o) { return o.value; })`)
	for _, v := range offers {
		if !slices.Contains(menu, v) {
			t.Errorf("the figure menu %q lacks %q", menu, v)
		}
	}
	for _, v := range never {
		if slices.Contains(menu, v) {
			t.Errorf("the figure menu %q offers %q, which does not fit the question", menu, v)
		}
	}
	// The form's own fields must fit the width (the page's tables and
	// charts are another check's).
	wide := eval[[]string](t, b, `(function () {
		var w = document.documentElement.clientWidth, out = [];
		document.querySelectorAll('#filters, #filters select, #filters input, #filters label, #headline-form select').forEach(function (e) {
			var r = e.getBoundingClientRect();
			if (r.right > w + 0.5 || e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'SELECT') { out.push((e.id || e.tagName) + ' ' + Math.round(r.right)); }
		});
		return out;
	})()`)
	if len(wide) > 0 {
		t.Errorf("the filter form is wider than the page (%v px): %q", eval[float64](t, b, `document.documentElement.clientWidth`), wide)
	}
	if over := eval[float64](t, b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		t.Logf("the page scrolls sideways by %v px (not the filter form's doing)", over)
	}
}

// elementShot saves a screenshot of the element selector alone among the
// test's artefacts, to look at the controls closely.
func (b *browser) elementShot(t *testing.T, selector, name string) {
	t.Helper()
	png := run(t, b, "screenshot "+selector, chromedp.Screenshot(chromedp.CSS(selector)))
	path := filepath.Join(b.artefacts, fileSafe(t.Name()+"-"+name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save the screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
