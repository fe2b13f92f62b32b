package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics"
)

// trapScript runs in every document before the page's own scripts: any
// alert, confirm or prompt, any uncaught error, any resource that failed
// to load (an <img src=x> would) and anything the Content-Security-Policy
// blocked (an injected inline script would be) is recorded on window.
const trapScript = `(function () {
  var hit = function () { window.__alerted = true; };
  window.alert = hit; window.confirm = hit; window.prompt = hit;
  window.__errors = [];
  window.onerror = function (msg) { window.__errors.push('onerror: ' + String(msg)); };
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      window.__errors.push('resource: <' + t.tagName.toLowerCase() + '> ' + String(t.src || t.href || ''));
    } else {
      window.__errors.push('error: ' + String(e.message));
    }
  }, true);
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__errors.push('content security policy: ' + e.violatedDirective + ' blocked ' + String(e.blockedURI || 'inline'));
  });
})();`

// browser is a headless Chromium tab on heard's test server, with the
// trap installed and every request the page sends recorded.
type browser struct {
	ctx    context.Context
	origin string
	// token is an API token for requests made outside the browser.
	token     string
	artefacts string

	// shot records the kinds of page already in a screenshot, per test.
	shot map[string]bool
	// pages and drawn count the pages visited and the charts drawn.
	pages, drawn int

	mu       sync.Mutex
	requests []string
}

// browserEmail and browserPassword sign the browser in.
const (
	browserEmail    = "analyst@example.org"
	browserPassword = "correct horse battery staple"
)

// startHeard serves the real handler on a loopback port, with an analyst
// account to sign in as (browserEmail) and an admin's API token for
// direct requests.
func startHeard(t testing.TB) (*httptest.Server, string) {
	t.Helper()
	st, _ := newStore(t)
	createSignIn(t, st, browserEmail, browserPassword, analytics.RoleAnalyst)
	admin := createAccount(t, st, "admin@example.org", analytics.RoleAdmin)
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
	return ts, admin.token
}

// signIn signs the browser in through the sign-in form, as a person does,
// after checking that a page asks for it first.
func (b *browser) signIn(t testing.TB, email, password string) {
	t.Helper()
	b.open(t, "/")
	if p := b.path(t); !strings.HasPrefix(p, "/login") {
		t.Fatalf("the home page without signing in showed %s, want the sign-in page", p)
	}
	run(t, b, "type the email", chromedp.SendKeys("#email", email))
	run(t, b, "type the password", chromedp.SendKeys("#password", password))
	b.submit(t, "#sign-in")
	if p := b.path(t); p != "/" {
		t.Fatalf("signing in led to %s, want /", p)
	}
}

// testLog writes the server's warnings and errors into the test's log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// chromiumPath finds Chromium; without it the test is skipped, but under
// CI (CI=true) it fails, since .ci/run installs it.
func chromiumPath(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" && os.Getenv("CI") != "false" {
		t.Fatalf("chromium is not installed but CI is set: .ci/run should have installed it (%v)", err)
	}
	t.Skipf("chromium is not installed (%v): skipping the browser test; `apt-get install chromium` runs it", err)
	return ""
}

// newBrowser starts headless Chromium (the program exe) with a fresh
// profile, opens a tab, installs the trap and records the tab's requests.
func newBrowser(t testing.TB, exe, origin string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		// No name resolves, so nothing but the loopback test server
		// (an IP address) can be reached even if a page tried.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{ctx: ctx, origin: origin, artefacts: artefactDir(t), shot: map[string]bool{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: trapScript}); err != nil {
		t.Fatalf("install the alert trap: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, ev.Request.URL)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to network events: %v", err)
	}
	return b
}

// artefactDir is where screenshots go: $HEARD_ARTIFACTS, else a
// temporary folder.
func artefactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("HEARD_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create the artefacts folder: %v", err)
	}
	return dir
}

// bypassCSP turns the pages' Content-Security-Policy off or on again, so
// that an upload's text that became markup would run, not be blocked.
func (b *browser) bypassCSP(t testing.TB, on bool) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: on}); err != nil {
		t.Fatalf("set bypass CSP %v: %v", on, err)
	}
}

// run runs one action on the tab with a time limit.
func run[T any](t testing.TB, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t testing.TB, b *browser, expr string) T {
	t.Helper()
	return run(t, b, "evaluate "+firstLine(expr), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// open navigates to a path of the test server and checks the HTTP status.
func (b *browser) open(t testing.TB, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.origin+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		t.Fatalf("open %s: HTTP %d", path, resp.Status)
	}
}

// submit clicks a form's button or a link and waits for the page it
// leads to.
func (b *browser) submit(t testing.TB, button string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		t.Fatalf("click %s: %v", button, err)
	}
	if resp.Status != 200 {
		t.Fatalf("click %s: HTTP %d (%s)", button, resp.Status, resp.URL)
	}
}

// path is the path and query of the page shown.
func (b *browser) path(t testing.TB) string {
	t.Helper()
	return strings.TrimPrefix(run(t, b, "read the location", chromedp.Location()), b.origin)
}

// uploadFile uploads a file through the upload page into a new survey,
// confirms the preview, waits for the import and returns the path of the
// survey's dashboard that the result page links to.
func (b *browser) uploadFile(t testing.TB, file, survey string) string {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	b.open(t, "/upload")
	if err := chromedp.Do(b.ctx,
		chromedp.SetValue(chromedp.ID("new_survey"), survey),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{abs}),
	); err != nil {
		t.Fatalf("fill the upload form: %v", err)
	}
	b.submit(t, `form[action="/upload"] button[type="submit"]`)
	b.checkSafe(t, "upload preview of "+filepath.Base(file))
	b.screenshot(t, "preview-"+survey)
	if !strings.Contains(eval[string](t, b, `document.body.innerText`), "Import these responses") {
		t.Fatalf("the preview of %s has no import button:\n%s", file, eval[string](t, b, `document.body.innerText`))
	}
	b.submit(t, `#import-file`)
	// The progress page reloads itself every second until the import ends.
	const dashboardLink = `a[href^="/surveys/"]`
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+dashboardLink+`') !== null`))
		cancel()
		if err == nil && found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import of %s did not end with a link to the dashboard in 30 s:\n%s", file, eval[string](t, b, `document.body.innerText`))
		}
		time.Sleep(250 * time.Millisecond)
	}
	if text := eval[string](t, b, `document.body.innerText`); !strings.Contains(text, "responses were added") {
		t.Fatalf("the import of %s did not say what it added:\n%s", file, text)
	}
	b.checkSafe(t, "upload result of "+filepath.Base(file))
	b.submit(t, dashboardLink)
	return b.path(t)
}

// chartState is what the page says of one chart element.
type chartState struct {
	ID     string `json:"id"`
	Ready  string `json:"ready"`
	Error  string `json:"error"`
	Series int    `json:"series"`
	Points int    `json:"points"`
}

// charts waits until every chart of the page is drawn or has failed, and
// returns each chart's state read from its ECharts instance.
func (b *browser) charts(t testing.TB) []chartState {
	t.Helper()
	run(t, b, "wait for the charts", chromedp.Poll[chromedp.Void](
		`Array.from(document.querySelectorAll('[data-chart]')).every(function (el) {
			return el.hasAttribute('data-chart-ready') || el.hasAttribute('data-chart-error'); })`,
		chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
	return eval[[]chartState](t, b, `Array.from(document.querySelectorAll('[data-chart]')).map(function (el) {
		var inst = window.echarts && echarts.getInstanceByDom(el);
		var series = inst ? (inst.getOption().series || []) : [];
		return {id: el.id, ready: el.getAttribute('data-chart-ready') || '', error: el.getAttribute('data-chart-error') || '',
			series: series.length,
			points: series.reduce(function (n, s) { return n + ((s.data || []).length); }, 0)};
	})`)
}

// checkCharts asserts that each chart of the page drew data, and returns
// how many there are.
func (b *browser) checkCharts(t testing.TB, where string) int {
	t.Helper()
	cs := b.charts(t)
	for _, c := range cs {
		if c.Ready != "1" || c.Error != "" || c.Series == 0 || c.Points == 0 {
			t.Errorf("%s: chart %q did not draw: ready %q, error %q, %d series, %d points", where, c.ID, c.Ready, c.Error, c.Series, c.Points)
		}
	}
	return len(cs)
}

// pageSafety is what the trap and the DOM say about the page.
type pageSafety struct {
	Alerted bool     `json:"alerted"`
	Errors  []string `json:"errors"`
	Imgs    int      `json:"imgs"`
}

// problems returns what shows that a script of an upload ran on the
// page: a call of alert(), an error thrown or a resource that failed to
// load, an <img src=x> element.
func (b *browser) problems(t testing.TB) []string {
	t.Helper()
	s := eval[pageSafety](t, b, `({alerted: window.__alerted !== undefined, errors: window.__errors || ['the trap is missing'],
		imgs: document.querySelectorAll('img[src="x"]').length})`)
	var out []string
	if s.Alerted {
		out = append(out, "a script called alert()")
	}
	for _, e := range s.Errors {
		out = append(out, "the page recorded "+e)
	}
	if s.Imgs > 0 {
		out = append(out, fmt.Sprintf("%d <img src=x> elements in the DOM", s.Imgs))
	}
	return out
}

// checkSafe asserts that the page has no problems.
func (b *browser) checkSafe(t testing.TB, where string) {
	t.Helper()
	for _, p := range b.problems(t) {
		t.Errorf("%s: %s", where, p)
	}
}

// screenshot saves the whole page as a PNG among the test's artefacts.
func (b *browser) screenshot(t testing.TB, name string) {
	t.Helper()
	png := run(t, b, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(b.artefacts, fileSafe(t.Name()+"-"+name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save the screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string {
	return strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_")
}

// takeRequests returns the URLs requested since the last call.
func (b *browser) takeRequests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	reqs := b.requests
	b.requests = nil
	return reqs
}

// offsite returns the URLs that are neither on origin nor data:, blob:
// or about: URLs.
func offsite(urls []string, origin string) []string {
	var out []string
	for _, u := range urls {
		if u != origin && !strings.HasPrefix(u, origin+"/") &&
			!strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "about:") {
			out = append(out, u)
		}
	}
	return out
}

// checkRequests asserts that every request the tab sent since the last
// takeRequests went to the test server.
func (b *browser) checkRequests(t testing.TB) {
	t.Helper()
	reqs := b.takeRequests()
	if len(reqs) == 0 {
		t.Error("no request was recorded: the network listener does not work")
	}
	for _, u := range offsite(reqs, b.origin) {
		t.Errorf("the page sent a request off the test server: %s", u)
	}
	t.Logf("%d requests, all to %s", len(reqs), b.origin)
}

// fetchBytes fetches a URL from inside the page, as a download link would,
// and returns the body with its content type.
func (b *browser) fetchBytes(t testing.TB, href string) ([]byte, string) {
	t.Helper()
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	f := eval[fetched](t, b, `fetch(`+jsString(href)+`).then(function (r) {
		return r.arrayBuffer().then(function (buf) {
			var bytes = new Uint8Array(buf), s = '';
			for (var i = 0; i < bytes.length; i += 8192) { s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192)); }
			return {status: r.status, type: r.headers.get('Content-Type') || '', body: btoa(s)};
		});
	})`)
	if f.Status != 200 {
		t.Fatalf("download %s: HTTP %d", href, f.Status)
	}
	body, err := base64.StdEncoding.DecodeString(f.Body)
	if err != nil {
		t.Fatalf("download %s: %v", href, err)
	}
	return body, f.Type
}

// link returns the href of the first element the CSS selector finds.
func (b *browser) link(t testing.TB, selector string) string {
	t.Helper()
	href := eval[string](t, b, `(function (a) { return a ? a.getAttribute('href') || '' : ''; })(document.querySelector(`+jsString(selector)+`))`)
	if href == "" {
		t.Fatalf("%s: the page has no such link", selector)
	}
	return href
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

// pageTable is a table of the page as its cells' text.
type pageTable struct {
	Caption string     `json:"caption"`
	Head    []string   `json:"head"`
	Rows    [][]string `json:"rows"`
}

// tables reads every table of the page.
func (b *browser) tables(t testing.TB) []pageTable {
	t.Helper()
	return eval[[]pageTable](t, b, `Array.from(document.querySelectorAll('table')).map(function (tb) {
		var text = function (c) { return c.innerText.trim(); };
		return {caption: tb.caption ? text(tb.caption) : '',
			head: tb.tHead ? Array.from(tb.tHead.rows[0].cells).map(text) : [],
			rows: Array.from(tb.tBodies).flatMap(function (b) { return Array.from(b.rows); })
				.map(function (r) { return Array.from(r.cells).map(text); })};
	})`)
}

// unsafeStart reports whether a spreadsheet would read text beginning so
// as a formula (or a control): = + - @, tab, CR, LF, also after spaces.
func unsafeStart(s string) bool {
	for _, r := range s {
		if strings.ContainsRune("=+-@\t\r\n＝＋－＠", r) {
			return true
		}
		if r != ' ' && r != '\u00a0' {
			return false
		}
	}
	return false
}

// checkCSVCells asserts that no cell of a CSV download could run as a
// formula: every cell that is not a plain number starts safely. It
// returns the text of every cell.
func checkCSVCells(t testing.TB, name string, body []byte) []string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s is not CSV: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s has %d records", name, len(recs))
	}
	var texts []string
	for i, rec := range recs {
		for j, cell := range rec {
			texts = append(texts, cell)
			if _, err := strconv.ParseFloat(cell, 64); err == nil {
				continue
			}
			if unsafeStart(cell) {
				t.Errorf("%s row %d column %d: %q could run as a formula", name, i+1, j+1, cell)
			}
		}
	}
	return texts
}

// checkXLSXCells asserts that no cell of a workbook download is a formula
// and no text cell starts with a formula character; it returns the text
// of every cell, to look for the payloads in.
func checkXLSXCells(t testing.TB, name string, body []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s is not a workbook: %v", name, err)
	}
	defer f.Close()
	var texts []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s sheet %q: %v", name, sheet, err)
		}
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s %s!%s is a formula: %q", name, sheet, cell, fm)
				}
				typ, err := f.GetCellType(sheet, cell)
				if err != nil {
					t.Fatalf("%s %s!%s: %v", name, sheet, cell, err)
				}
				if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					texts = append(texts, v)
					if unsafeStart(v) {
						t.Errorf("%s %s!%s: %q could run as a formula", name, sheet, cell, v)
					}
				}
			}
		}
	}
	if len(texts) == 0 {
		t.Errorf("%s has no text cells", name)
	}
	return texts
}

// hostileTexts are the texts the hostile upload puts in its question
// texts, option labels, dimension values and comments.
var hostileTexts = []string{
	`</script><script>alert(1)</script>`,
	`__f__alert(1)__f__`,
	`<img src=x onerror=alert(1)>`,
	`=HYPERLINK("http://x","y")`,
}

// writeHostileCSV writes a generic export of 60 responses over three
// months: four satisfaction questions headed by the hostile texts (the
// importer drops the tags of a heading, so two of them arrive as
// "alert(1)" and "Column F"), a team column whose values are hostile
// texts, a single-choice question whose options are the hostile texts and
// a free-text comment quoting them.
func writeHostileCSV(t testing.TB) string {
	t.Helper()
	scale := []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	path := filepath.Join(t.TempDir(), "hostile.csv")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := append([]string{"Response ID", "Date submitted", "Team"}, hostileTexts...)
	w.Write(append(head, "Which of these describes you?", "Any other comments?"))
	for i := range 60 {
		team := hostileTexts[i%4]
		if i%5 == 0 {
			team = "North team"
		}
		rec := []string{strconv.Itoa(1000 + i), fmt.Sprintf("2024-%02d-%02d", 4+i%3, 1+i%27), team}
		for k := range 4 {
			answer := scale[0]
			if (i+k)%3 != 0 {
				answer = scale[(i*(k+1))%5]
			}
			rec = append(rec, answer)
		}
		rec = append(rec, hostileTexts[(i/2)%4], fmt.Sprintf("%s (comment %d)", hostileTexts[(i+1)%4], i))
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
