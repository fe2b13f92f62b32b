package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log/slog"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
)

// layoutViewports are the screen sizes every page is checked at: a laptop
// and a phone (390 px is an iPhone's width in CSS pixels).
var layoutViewports = []struct {
	name          string
	width, height int64
}{
	{"1366", 1366, 900},
	{"390", 390, 844},
}

// TestBrowserLayout opens every page of heard, on the demo survey and on
// real exports (the NHS Friends and Family Test, Microsoft Forms,
// SurveyMonkey) and a survey with a 20-option question, at a laptop's
// width and at a phone's, keeps a screenshot of each and checks that the
// pages read: the page never scrolls sideways, no word in a table is
// broken across lines, a number, an interval or a date in a table stays
// on one line, a table wider than its place scrolls inside a focusable,
// named region with a visible hint, and no table has a column that is
// empty in every row, and a chart's title, legend and labels lie inside
// the chart.
func TestBrowserLayout(t *testing.T) {
	start := time.Now()
	exe := chromiumPath(t)
	ts := startLayoutHeard(t)
	b := newBrowser(t, exe, ts.URL)
	// The sign-in page, before signing in.
	b.checkLayoutEverywhere(t, "/login", "login")
	b.signIn(t, layoutAdminEmail, browserPassword)

	t.Run("demo", func(t *testing.T) {
		b.open(t, "/")
		b.submit(t, `#demo-form button[type="submit"]`)
		b.layoutTour(t, b.path(t))
	})
	external := func(parts ...string) string {
		file := filepath.Join(append([]string{"..", "..", "shared", "data", "external"}, parts...)...)
		if _, err := os.Stat(file); err != nil {
			t.Logf("%s is not here (%v): skipping it", file, err)
			return ""
		}
		return file
	}
	for _, c := range []struct{ name, file, survey string }{
		{"nhs-fft", external("nhs-fft-gp-practice", "data.csv"), "GP friends and family test"},
		{"msforms", external("msforms-phonebrandpred", "surveyEng.xlsx"), "Phone brands"},
		{"surveymonkey", external("surveymonkey-fivethirtyeight", "steak-risk-survey.csv"), "Steak survey"},
		{"twenty-options", writeManyOptionsCSV(t), "How people heard of us"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.file == "" {
				t.Skip("the export is not here: skipping")
			}
			b.layoutTour(t, b.uploadFile(t, c.file, c.survey))
		})
	}
	t.Run("site", func(t *testing.T) {
		for _, p := range []struct{ path, kind string }{
			{"/", "home"}, {"/upload", "upload"}, {"/imports", "imports"},
			{"/admin/users", "admin-users"}, {"/admin/audit", "admin-audit"}, {"/admin/retention", "admin-retention"},
		} {
			b.checkLayoutEverywhere(t, p.path, p.kind)
		}
	})
	t.Logf("the layout test took %v", time.Since(start).Round(time.Millisecond))
}

// layoutAdminEmail signs in the layout test's browser: an admin sees every
// page, the admin pages included.
const layoutAdminEmail = "admin@example.org"

// startLayoutHeard serves the real handler on a loopback port with an
// admin account that signs in with browserPassword.
func startLayoutHeard(t testing.TB) *httptest.Server {
	t.Helper()
	st, _ := newStore(t)
	createSignIn(t, st, layoutAdminEmail, browserPassword, analytics.RoleAdmin)
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := NewServer(st, logger)
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

// layoutTour checks the layout of every page of a survey, found from its
// dashboard: the questions list, every question, the equality page, the
// themes, the downloads, the comments and the survey's imports.
func (b *browser) layoutTour(t *testing.T, dashboard string) {
	t.Helper()
	if !strings.HasPrefix(dashboard, "/surveys/") {
		t.Fatalf("%q is not a survey's dashboard", dashboard)
	}
	b.open(t, dashboard)
	nav := b.links(t, `#survey-nav a`)
	b.open(t, nav["Downloads"])
	imports := b.link(t, `#imports-link`)
	b.open(t, nav["Questions"])
	questions := b.links(t, `#questions-list tbody a`)
	if len(questions) == 0 {
		t.Fatal("the questions page lists no question")
	}
	pages := []struct{ path, kind string }{{dashboard, "dashboard"}, {nav["Questions"], "questions"}}
	for i, text := range slices.Sorted(maps.Keys(questions)) {
		pages = append(pages, struct{ path, kind string }{questions[text], "question-" + strconv.Itoa(i+1)})
	}
	for _, name := range []string{"Equality", "Themes", "Downloads", "Comments"} {
		if nav[name] != "" {
			pages = append(pages, struct{ path, kind string }{nav[name], strings.ToLower(name)})
		} else if name != "Comments" {
			t.Errorf("the survey's menu has no %q link: %v", name, nav)
		}
	}
	pages = append(pages, struct{ path, kind string }{imports, "survey-imports"})
	for _, p := range pages {
		if p.path != "" {
			b.checkLayoutEverywhere(t, p.path, p.kind)
		}
	}
}

// checkLayoutEverywhere opens a page at each of layoutViewports, saves a
// screenshot and checks its layout.
func (b *browser) checkLayoutEverywhere(t *testing.T, path, kind string) {
	t.Helper()
	for _, v := range layoutViewports {
		run(t, b, "set the viewport", chromedp.EmulateViewport(v.width, v.height))
		b.open(t, path)
		b.charts(t)
		where := fmt.Sprintf("%s %s at %s px", kind, path, v.name)
		problems := b.layoutProblems(t)
		for _, p := range problems {
			t.Errorf("%s: %s", where, p)
		}
		b.checkSafe(t, where)
		b.screenshot(t, v.name+"-"+kind)
	}
	run(t, b, "reset the viewport", chromedp.EmulateViewport(1280, 900))
}

// layoutScript reads the page's layout and returns every problem found,
// in words. Each check is one function, so each can be tried alone.
const layoutScript = `(function () {
  var out = [];
  var doc = document.documentElement;
  // 1. The page itself never scrolls sideways.
  if (doc.scrollWidth > doc.clientWidth) {
    var widest = '';
    document.querySelectorAll('body *').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!widest && r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== 'absolute') {
        widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' (right edge ' + Math.round(r.right) + ')';
      }
    });
    out.push('the page scrolls sideways: ' + doc.scrollWidth + ' px wide in ' + doc.clientWidth + ' px; first element past the edge: ' + widest);
  }
  var visible = function (el) {
    if (el.closest('[hidden]')) { return false; }
    var r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  var lines = function (range) {
    var tops = {};
    Array.from(range.getClientRects()).forEach(function (r) { if (r.width > 0.5) { tops[Math.round(r.top)] = true; } });
    return Object.keys(tops).length;
  };
  // A figure, an interval or a date: kept on one line.
  var figure = '[+−-]?[0-9][0-9,]*(\\.[0-9]+)?%?( points)?';
  var months = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
  var oneLine = new RegExp('^(' + figure + '|' + figure + ' to ' + figure + '|[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9:]+)?( UTC)?|' +
    months + ' [0-9]{4}|[0-9]{4} Q[1-4]|[0-9]{4}-[0-9]{2}( Q[1-4])?)$');
  document.querySelectorAll('table').forEach(function (table, ti) {
    var name = (table.id ? '#' + table.id : 'table ' + (ti + 1)) + (table.caption ? ' "' + table.caption.innerText.trim().slice(0, 60) + '"' : '');
    if (!visible(table)) { return; }
    // 2. No word broken across lines inside a cell.
    table.querySelectorAll('th, td').forEach(function (cell) {
      if (!visible(cell)) { return; }
      var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement || !visible(node.parentElement)) { continue; }
        // A word is what lies between spaces, but prose may break after a
        // hyphen joining two letters ("long-|term"); a code, a file name
        // or a date (with a digit, a dot, an @ or an underscore) may not.
        var re = /\S+/g, m, words = [];
        while ((m = re.exec(node.data)) !== null) {
          if (/[0-9.@_]/.test(m[0])) { words.push({index: m.index, text: m[0]}); continue; }
          var parts = m[0].split(/(?<=[A-Za-z]-)(?=[A-Za-z])/), at = m.index;
          parts.forEach(function (p) { words.push({index: at, text: p}); at += p.length; });
        }
        words.forEach(function (m) {
          var range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m.text.length);
          if (lines(range) > 1) {
            out.push(name + ': the word "' + m.text + '" is broken across ' + lines(range) + ' lines');
          }
        });
      }
      // 3. A figure, interval or date on one line.
      var text = cell.innerText.trim().replace(/\s+/g, ' ');
      if (text && oneLine.test(text)) {
        var range = document.createRange();
        range.selectNodeContents(cell);
        if (lines(range) > 1) {
          out.push(name + ': "' + text + '" is split over ' + lines(range) + ' lines');
        }
      }
    });
    // 4. A table wider than its place scrolls in a focusable, named region
    // with a visible hint; a table that fits shows no hint.
    var region = table.parentElement;
    while (region && region !== document.body && getComputedStyle(region).overflowX === 'visible') { region = region.parentElement; }
    var wide = table.getBoundingClientRect().width > (region && region !== document.body ? region.clientWidth : doc.clientWidth) + 1;
    var scrolls = region && region !== document.body && ['auto', 'scroll'].indexOf(getComputedStyle(region).overflowX) >= 0;
    if (wide) {
      if (!scrolls) {
        out.push(name + ' is wider than the page and does not scroll in a region of its own');
      } else {
        if (region.getAttribute('tabindex') !== '0') { out.push(name + ' scrolls in a region that the keyboard cannot reach (no tabindex="0")'); }
        if (region.getAttribute('role') !== 'region') { out.push(name + ' scrolls in an element without role="region"'); }
        var named = (region.getAttribute('aria-label') || '').trim() ||
          (document.getElementById(region.getAttribute('aria-labelledby') || '') || {innerText: ''}).innerText.trim();
        if (!named) { out.push(name + ' scrolls in a region with no name (aria-label or aria-labelledby)'); }
        var hint = region.previousElementSibling;
        if (!hint || !hint.classList.contains('heard-scroll-hint') || !visible(hint) || !/scroll sideways/i.test(hint.innerText)) {
          out.push(name + ' scrolls sideways with no visible hint saying so');
        }
      }
    } else if (scrolls && region.previousElementSibling && region.previousElementSibling.classList.contains('heard-scroll-hint') && visible(region.previousElementSibling)) {
      out.push(name + ' fits but shows the hint to scroll sideways');
    }
    // 5. No column empty in every row.
    var grid = [];
    Array.from(table.tBodies).forEach(function (tb) {
      Array.from(tb.rows).forEach(function (tr) {
        var row = [];
        Array.from(tr.cells).forEach(function (c) {
          var filled = c.innerText.trim() !== '' || c.querySelector('[data-chart], canvas, svg, img, input, select, button, a') !== null;
          for (var k = 0; k < (c.colSpan || 1); k++) { row.push(filled); }
        });
        grid.push(row);
      });
    });
    if (grid.length > 0) {
      var head = table.tHead && table.tHead.rows.length ? Array.from(table.tHead.rows[table.tHead.rows.length - 1].cells) : [];
      var width = Math.max.apply(null, grid.map(function (r) { return r.length; }));
      for (var c = 0; c < width; c++) {
        if (grid.every(function (r) { return !r[c]; })) {
          out.push(name + ': the column ' + (head[c] ? '"' + head[c].innerText.trim() + '"' : (c + 1)) + ' is empty in every row');
        }
      }
    }
  });
  // 6. A chart's texts (title, legend, axis labels) inside its canvas.
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var inst = window.echarts && echarts.getInstanceByDom(el);
    if (!inst) { return; }
    var w = inst.getWidth(), h = inst.getHeight();
    inst.getZr().storage.getDisplayList(true).forEach(function (d) {
      // A text clipped by its component (a paged legend's hidden page) is
      // not drawn outside.
      if ((d.type !== 'tspan' && d.type !== 'text') || d.invisible || d.ignore || !d.style || !String(d.style.text || '').trim() ||
          (d.__clipPaths && d.__clipPaths.length)) { return; }
      var r = d.getBoundingRect().clone();
      if (d.transform) { r.applyTransform(d.transform); }
      if (r.x < -1 || r.y < -1 || r.x + r.width > w + 1 || r.y + r.height > h + 1) {
        out.push('chart ' + el.id + ': the text "' + String(d.style.text).slice(0, 50) + '" lies outside the chart (' +
          Math.round(r.x) + ',' + Math.round(r.y) + ' to ' + Math.round(r.x + r.width) + ',' + Math.round(r.y + r.height) + ' in ' + w + 'x' + h + ')');
      }
    });
  });
  return out;
})()`

// layoutProblems runs layoutScript on the page shown.
func (b *browser) layoutProblems(t testing.TB) []string {
	t.Helper()
	return eval[[]string](t, b, layoutScript)
}

// writeManyOptionsCSV writes a generic export of 200 responses over two
// months to one question with 20 options ("How did you hear about us?")
// and a satisfaction question.
func writeManyOptionsCSV(t testing.TB) string {
	t.Helper()
	sources := []string{"Social worker", "GP surgery", "Hospital discharge team", "Friend or neighbour", "Family member",
		"Council website", "Leaflet at the library", "Community centre", "Carers' centre", "Housing officer",
		"Local newspaper", "Radio advertisement", "Facebook group", "Church or faith group", "Pharmacy",
		"Advocacy service", "District nurse", "Citizens Advice", "Day centre staff", "Telephone helpline"}
	scale := []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Response ID", "Date submitted", "How did you first hear about adult social care support in your area?", "Overall, how satisfied are you with the support you received?"})
	for i := range 200 {
		w.Write([]string{strconv.Itoa(5000 + i), fmt.Sprintf("2024-%02d-%02d", 9+i%2, 1+i%28), sources[(i*7)%20], scale[(i*3)%5]})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "how-people-heard.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
