package api

import (
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// TestBrowser drives headless Chromium through heard's pages as a person
// would, on the real handler served by httptest: it loads the demo survey
// from the home page's button, uploads real exports and a hostile one
// through the upload page, and on each survey visits the dashboard, the
// questions, every question page, the equality page, the downloads and
// the imports history. On every page: no script of an upload ran, every
// chart drew data, and at the end no request left the test server.
func TestBrowser(t *testing.T) {
	start := time.Now()
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	t.Logf("chromium started in %v", time.Since(start).Round(time.Millisecond))

	t.Run("trap", func(t *testing.T) {
		// The checks must catch what they are there to catch: markup
		// injected into a page, the inline script the page's
		// Content-Security-Policy blocks, the same script running once
		// the policy is bypassed, and a request to another address (a
		// closed loopback port: nothing leaves the machine).
		inject := `(document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="alert(1)">'),
			new Promise(function (ok) { setTimeout(ok, 300, true); }))`
		b.open(t, "/")
		if p := b.problems(t); len(p) > 0 {
			t.Fatalf("the home page has problems before the test: %q", p)
		}
		eval[bool](t, b, inject)
		got := strings.Join(b.problems(t), "; ")
		for _, want := range []string{"resource: <img>", "<img src=x> elements", "content security policy: script-src"} {
			if !strings.Contains(got, want) {
				t.Errorf("the trap missed %q: it reported %q", want, got)
			}
		}
		b.bypassCSP(t, true)
		b.open(t, "/")
		eval[bool](t, b, inject)
		if got := strings.Join(b.problems(t), "; "); !strings.Contains(got, "alert()") || strings.Contains(got, "content security policy") {
			t.Errorf("with the policy bypassed the trap reported %q, want alert() and no policy", got)
		}
		b.bypassCSP(t, false)
		b.takeRequests()
		chromedp.Run(b.ctx, chromedp.Navigate("http://127.0.0.2:9/probe")) // fails: nothing listens
		if off := offsite(b.takeRequests(), b.origin); !slices.Equal(off, []string{"http://127.0.0.2:9/probe"}) {
			t.Errorf("the request listener reported %q, want the probe only", off)
		}
	})
	t.Run("demo", func(t *testing.T) {
		b.open(t, "/")
		b.checkSafe(t, "empty home page")
		b.screenshot(t, "home-empty")
		b.submit(t, `#demo-form button[type="submit"]`)
		b.tour(t, b.path(t), nil)
	})
	t.Run("smartsurvey", func(t *testing.T) {
		b.tour(t, b.uploadFile(t, fixture("smartsurvey-small.csv"), "People feedback"), nil)
	})
	t.Run("nhs-fft", func(t *testing.T) {
		file := filepath.Join("..", "..", "shared", "data", "external", "nhs-fft-gp-practice", "data.csv")
		if _, err := os.Stat(file); err != nil {
			t.Skipf("the NHS FFT export is not here (%v): skipping", err)
		}
		b.tour(t, b.uploadFile(t, file, "GP friends and family test"), nil)
	})
	t.Run("hostile", func(t *testing.T) {
		// With the Content-Security-Policy off, text that became markup
		// would run: the pages must hold it as text by themselves.
		b.bypassCSP(t, true)
		defer b.bypassCSP(t, false)
		seen := map[string]bool{}
		b.tour(t, b.uploadFile(t, writeHostileCSV(t), "Hostile "+hostileTexts[0]), seen)
		b.visit(t, "/", "home", seen) // the survey's name is hostile too
		for _, h := range hostileTexts {
			if !seen[h] {
				t.Errorf("%q is shown as text on no page", h)
			}
		}
	})
	t.Run("home", func(t *testing.T) {
		if b.visit(t, "/", "home", nil) == 0 {
			t.Error("the home page has no sparkline")
		}
		b.visit(t, "/imports", "imports", nil)
		files := map[string]bool{}
		for _, tb := range b.tables(t) {
			for _, row := range tb.Rows {
				if len(row) > 1 {
					files[row[1]] = true
				}
			}
		}
		for _, want := range []string{demoFile, "smartsurvey-small.csv", "hostile.csv"} {
			if !files[want] {
				t.Errorf("the imports history lacks %s: %v", want, files)
			}
		}
	})
	b.checkRequests(t)
	t.Logf("the browser test took %v", time.Since(start).Round(time.Millisecond))
}

// tour visits every page of a survey from its dashboard. seen, when not
// nil, collects the hostile texts shown as text on the pages.
func (b *browser) tour(t *testing.T, dashboard string, seen map[string]bool) {
	t.Helper()
	if !strings.HasPrefix(dashboard, "/surveys/") {
		t.Fatalf("%q is not a survey's dashboard", dashboard)
	}
	pages, charts := b.pages, b.drawn
	defer func() { t.Logf("%d pages, %d charts drawn", b.pages-pages, b.drawn-charts) }()
	if n := b.visit(t, dashboard, "dashboard", seen); n == 0 {
		t.Error("the dashboard has no chart")
	}
	b.checkHeadline(t)
	nav := b.links(t, `#survey-nav a`)
	for _, want := range []string{"Questions", "Equality", "Downloads"} {
		if nav[want] == "" {
			t.Fatalf("the survey's menu has no %q link: %v", want, nav)
		}
	}
	b.visit(t, nav["Questions"], "questions", seen)
	questions := b.links(t, `#questions-list tbody a`)
	if len(questions) == 0 {
		t.Fatal("the questions page lists no question")
	}
	for _, text := range slices.Sorted(maps.Keys(questions)) {
		b.visit(t, questions[text], "question", seen)
	}
	b.visit(t, nav["Equality"], "equality", seen)
	if seen != nil {
		b.hoverTooltip(t)
	}
	b.visit(t, nav["Downloads"], "downloads", seen)
	b.checkDownloads(t, seen != nil)
	b.visit(t, b.link(t, `#imports-link`), "imports", seen)
	if len(b.tables(t)) == 0 {
		t.Error("the survey's imports history has no table")
	}
}

// visit opens a page, checks that no upload's script ran and that its
// charts drew, saves a screenshot (one per kind of page) and returns how
// many charts it has.
func (b *browser) visit(t *testing.T, path, kind string, seen map[string]bool) int {
	t.Helper()
	b.open(t, path)
	where := kind + " " + path
	n := b.checkCharts(t, where)
	b.pages, b.drawn = b.pages+1, b.drawn+n
	b.checkSafe(t, where)
	if seen != nil {
		text := eval[string](t, b, `document.body.innerText`)
		for _, h := range hostileTexts {
			if strings.Contains(text, h) {
				seen[h] = true
			}
		}
	}
	if !b.shot[t.Name()+kind] || t.Failed() {
		b.shot[t.Name()+kind] = true
		b.screenshot(t, kind)
	}
	return n
}

// links returns the text and href of the links a selector finds.
func (b *browser) links(t testing.TB, selector string) map[string]string {
	t.Helper()
	return eval[map[string]string](t, b, `(function () { var out = {};
		document.querySelectorAll(`+jsString(selector)+`).forEach(function (a) { out[a.innerText.trim()] = a.getAttribute('href'); });
		return out; })()`)
}

// checkHeadline compares the dashboard's figures with the API's: the
// headline, each question's latest figure and base in the questions
// table, and every period of the headline's trend table.
func (b *browser) checkHeadline(t *testing.T) {
	t.Helper()
	href := b.link(t, `#view-json`)
	all := getJSON[report.SurveyReports](t, b.origin+href, b.token)
	if len(all.Reports) == 0 {
		t.Fatalf("the API's report %s has no question", href)
	}
	headline := eval[string](t, b, `document.querySelector('#headline h2').innerText.trim()`)
	var rep *report.JSON
	for i := range all.Reports {
		if strings.TrimSpace(all.Reports[i].QuestionText) == headline {
			rep = &all.Reports[i]
		}
	}
	if rep == nil {
		t.Fatalf("the headline %q is none of the API's questions", headline)
	}
	// The headline's period is the latest complete one with an adequate
	// base; when it is not the latest, the page says why.
	detail := eval[string](t, b, `(document.querySelector('#headline-detail') || {innerText: ''}).innerText`)
	label, _, _ := strings.Cut(detail, ":")
	latest, ok := overallAt(*rep, label)
	if !ok {
		t.Fatalf("the headline's period %q is none of the API's", label)
	}
	if last := lastOverall(t, *rep); last.Period != latest.Period {
		if note := eval[string](t, b, `(document.querySelector('#period-note') || {innerText: ''}).innerText`); note == "" {
			t.Errorf("the headline is for %s, not the latest period %s, and the page does not say why", label, last.Period)
		}
	}
	figure := eval[string](t, b, `document.querySelector('#headline-figure').innerText`)
	checkFigure(t, "headline "+headline, rep.Metric.Measure, latest, strings.Fields(figure)[0], "")
	rows := eval[map[string][]string](t, b, `(function () { var out = {};
		document.querySelectorAll('#questions-table tbody tr').forEach(function (tr) {
			out[tr.id.replace(/^row-/, '')] = Array.from(tr.cells).map(function (c) { return c.innerText.trim(); }); });
		return out; })()`)
	if len(rows) != len(all.Reports) {
		t.Errorf("the questions table has %d rows, the API %d questions", len(rows), len(all.Reports))
	}
	for _, r := range all.Reports {
		cells, ok := rows[r.Question]
		if !ok || len(cells) < 6 {
			t.Errorf("the questions table has no row for %s: %q", r.Question, cells)
			continue
		}
		row, _ := overallAt(r, label) // a question without answers that period shows no figure
		checkFigure(t, "questions table "+r.Question, r.Metric.Measure, row, cells[3], cells[5])
	}
	b.checkTrendTable(t, *rep)
}

// checkTrendTable compares the headline trend's table with the API's
// overall rows, period by period.
func (b *browser) checkTrendTable(t *testing.T, rep report.JSON) {
	t.Helper()
	var table *pageTable
	for _, tb := range b.tables(t) {
		if len(tb.Head) > 4 && tb.Head[0] == "Period" && slices.Contains(tb.Head, "Base (n)") {
			table = &tb
			break
		}
	}
	if table == nil {
		t.Fatal("the dashboard has no trend table")
	}
	base := slices.Index(table.Head, "Base (n)")
	var overall []analytics.ReportRow
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup {
			overall = append(overall, r)
		}
	}
	if len(table.Rows) != len(overall) {
		t.Fatalf("the trend table has %d periods, the API %d", len(table.Rows), len(overall))
	}
	for i, r := range overall {
		checkFigure(t, "trend table "+table.Rows[i][0], rep.Metric.Measure, r, table.Rows[i][1], table.Rows[i][base])
	}
}

// lastOverall is a report's latest overall row.
func lastOverall(t testing.TB, rep report.JSON) analytics.ReportRow {
	t.Helper()
	for i := len(rep.Rows) - 1; i >= 0; i-- {
		if rep.Rows[i].Group == analytics.AllGroup {
			return rep.Rows[i]
		}
	}
	t.Fatalf("the API's report of %s has no overall row", rep.Question)
	return analytics.ReportRow{}
}

// overallAt is a report's overall row of the period a page labels
// ("March 2025").
func overallAt(rep report.JSON, label string) (analytics.ReportRow, bool) {
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup && dashboards.PeriodLabel(rep.Period, r.Period) == strings.TrimSpace(label) {
			return r, true
		}
	}
	return analytics.ReportRow{}, false
}

// checkFigure compares a figure and a base as a page shows them ("85.1%",
// "+12.5", "3.45"; "1,204") with the API's row; base "" is not checked.
func checkFigure(t testing.TB, where string, m analytics.Measure, r analytics.ReportRow, value, base string) {
	t.Helper()
	if r.Suppressed || r.Rate == nil || r.N == nil {
		if num, err := pageNumber(value); err == nil {
			t.Errorf("%s: the page shows %v where the API has no figure", where, num)
		}
		return
	}
	want, tol := *r.Rate*100, 0.05+1e-9
	if m == analytics.MeasureMean {
		want, tol = *r.Rate, 0.005+1e-9
	}
	got, err := pageNumber(value)
	if err != nil || math.Abs(got-want) > tol {
		t.Errorf("%s: the page shows %q, the API %v", where, value, want)
	}
	if base == "" {
		return
	}
	if n, err := pageNumber(base); err != nil || int64(n) != *r.N {
		t.Errorf("%s: the page shows base %q, the API n = %d", where, base, *r.N)
	}
}

// pageNumber reads a number as a page writes it.
func pageNumber(s string) (float64, error) {
	s = strings.NewReplacer(",", "", "%", "", "+", "", "−", "-").Replace(strings.TrimSpace(s))
	return strconv.ParseFloat(s, 64)
}

// getJSON fetches a JSON document from the test server directly, with
// an API token.
func getJSON[T any](t testing.TB, url, token string) T {
	t.Helper()
	var v T
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return v
}

// checkDownloads fetches, from the downloads page, the trend CSV (as it
// is and broken down by the first group column) and the dashboard's and
// equality page's workbooks, and checks that no cell could run as a
// formula. On the hostile survey the hostile texts must be in them, the
// formula one made safe.
func (b *browser) checkDownloads(t *testing.T, hostile bool) {
	t.Helper()
	var csvTexts, xlsxTexts []string
	csvHref := b.link(t, `#download-trends-csv`)
	byHref := eval[string](t, b, `(function () {
		var f = document.getElementById('trends-form'), s = f && f.querySelector('#t-by');
		var o = s && Array.from(s.options).find(function (o) { return o.value; });
		if (!o) { return ''; }
		s.value = o.value;
		return f.getAttribute('action') + '?' + new URLSearchParams(new FormData(f)).toString(); })()`)
	for _, href := range []string{csvHref, byHref} {
		if href == "" {
			continue
		}
		body, ctype := b.fetchBytes(t, href)
		if !strings.HasPrefix(ctype, "text/csv") {
			t.Errorf("%s: content type %q", href, ctype)
		}
		csvTexts = append(csvTexts, checkCSVCells(t, href, body)...)
	}
	for _, sel := range []string{`#download-dashboard-xlsx`, `#download-equality-xlsx`} {
		href := b.link(t, sel)
		body, ctype := b.fetchBytes(t, href)
		if !strings.Contains(ctype, "spreadsheetml") {
			t.Errorf("%s: content type %q", href, ctype)
		}
		xlsxTexts = append(xlsxTexts, checkXLSXCells(t, href, body)...)
	}
	if !hostile {
		return
	}
	formula := hostileTexts[3]
	for name, texts := range map[string][]string{"trend CSV by group": csvTexts, "workbooks": xlsxTexts} {
		if !slices.Contains(texts, "'"+formula) {
			t.Errorf("the %s lack the guarded text %q", name, "'"+formula)
		}
		if !slices.Contains(texts, hostileTexts[2]) {
			t.Errorf("the %s lack the text %q", name, hostileTexts[2])
		}
	}
}

// hoverTooltip moves the mouse onto the bar of the group named
// `<img src=x onerror=alert(1)>` in the page's first breakdown chart and
// checks that the tooltip shows that name as text, not as an element.
func (b *browser) hoverTooltip(t *testing.T) {
	t.Helper()
	target := hostileTexts[2]
	type point struct {
		X, Y  float64
		Found bool
	}
	p := eval[point](t, b, `(function (label) {
		var charts = Array.from(document.querySelectorAll('[data-chart]'));
		for (var i = 0; i < charts.length; i++) {
			var el = charts[i], inst = echarts.getInstanceByDom(el);
			var axis = inst && (inst.getOption().yAxis || [])[0];
			if (!axis || !Array.isArray(axis.data) || axis.data.indexOf(label) < 0) { continue; }
			el.scrollIntoView({block: 'center'});
			var box = el.getBoundingClientRect();
			var y = inst.convertToPixel({yAxisIndex: 0}, label), x = inst.convertToPixel({xAxisIndex: 0}, 0) + 30;
			return {X: box.left + x, Y: box.top + y, Found: true};
		}
		return {X: 0, Y: 0, Found: false};
	})(`+jsString(target)+`)`)
	if !p.Found {
		t.Fatalf("no breakdown chart has the group %q", target)
	}
	run(t, b, "move the mouse", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X-5, p.Y))
	run(t, b, "move the mouse", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y))
	type tip struct {
		Text   string
		Images int
	}
	got := run(t, b, "wait for the tooltip", chromedp.Poll[tip](`(function () {
		var box = document.querySelector('.heard-tooltip');
		return box && box.offsetParent !== null ? {Text: box.textContent, Images: box.querySelectorAll('img, script').length} : null;
	})()`, chromedp.WithPollingTimeout(5*time.Second)))
	if !strings.Contains(got.Text, target) || got.Images != 0 {
		t.Errorf("the tooltip shows %q with %d elements; want the text %q and none", got.Text, got.Images, target)
	}
	b.screenshot(t, "tooltip")
	b.checkSafe(t, "equality page with a tooltip")
}

// TestBrowserCheckers checks the browser test's own judges of a
// spreadsheet cell and of a request's address.
func TestBrowserCheckers(t *testing.T) {
	cells := []struct {
		name string
		cell string
		want bool
	}{
		{"formula", `=HYPERLINK("http://x","y")`, true},
		{"plus", "+1", true},
		{"minus", "-2+3", true},
		{"at", "@SUM(A1)", true},
		{"tab", "\t=1", true},
		{"carriage return", "\r=1", true},
		{"after spaces", "  =1", true},
		{"full-width equals", "＝1", true},
		{"guarded", `'=HYPERLINK("http://x","y")`, false},
		{"text", "North team", false},
		{"markup", "<img src=x onerror=alert(1)>", false},
		{"empty", "", false},
	}
	for _, c := range cells {
		t.Run("cell "+c.name, func(t *testing.T) {
			if got := unsafeStart(c.cell); got != c.want {
				t.Errorf("unsafeStart(%q) = %v, want %v", c.cell, got, c.want)
			}
		})
	}
	origin := "http://127.0.0.1:4000"
	urls := []string{origin + "/", origin + "/assets/heard.css?v=1", "data:image/png;base64,AA", "blob:" + origin + "/x",
		"about:blank", "http://127.0.0.1:40001/", "http://127.0.0.1:4000.evil/", "https://cdn.example/echarts.js"}
	want := []string{"http://127.0.0.1:40001/", "http://127.0.0.1:4000.evil/", "https://cdn.example/echarts.js"}
	if got := offsite(urls, origin); !slices.Equal(got, want) {
		t.Errorf("offsite = %q, want %q", got, want)
	}
}
