package api

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/dashboards"
)

// TestBrowserStatements loads the demo survey in headless Chromium as an
// analyst, opens its results by statement from the survey's menu, and
// compares every row of each statement's table with the JSON API's
// results for the same framework (CQC's, then Making It Real's through the
// page's own link); every sparkline draws. It then tags a question with a
// statement through the question page's form and finds the question under
// that statement.
func TestBrowserStatements(t *testing.T) {
	start := time.Now()
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	nav := b.links(t, `#survey-nav a`)
	if nav["Statements"] == "" {
		t.Fatalf("the survey's menu has no Statements link: %v", nav)
	}
	b.open(t, nav["Statements"])
	for _, fw := range []string{"cqc", "mir"} {
		if fw == "mir" {
			b.submit(t, `#framework-choice a[href*="framework=mir"]`)
		}
		if n := b.checkCharts(t, "statements "+fw); n == 0 {
			t.Errorf("%s: the page has no sparkline", fw)
		}
		b.checkSafe(t, "statements "+fw)
		b.screenshot(t, "statements-"+fw)
		r := getJSON[StatementsJSON](t, b.origin+b.link(t, `#view-json`), b.token)
		if r.Framework.Name != fw {
			t.Fatalf("the page's JSON link is for %q, want %q", r.Framework.Name, fw)
		}
		if got := eval[string](t, b, `(document.querySelector('#statements-period') || {}).textContent || ''`); got != r.PeriodLabel || got == "" {
			t.Errorf("%s: the page's period %q, the API's %q", fw, got, r.PeriodLabel)
		}
		b.compareStatements(t, r)
	}

	// Tag a question through its page, and find it under the statement.
	b.open(t, nav["Questions"])
	questions := b.links(t, `#questions-list tbody a`)
	href := questions["I was treated with dignity and respect"]
	if href == "" {
		t.Fatalf("no question page for dignity and respect: %v", questions)
	}
	b.open(t, href)
	run(t, b, "choose a statement", chromedp.SetValue("#t-statement", "cqc:safeguarding"))
	b.submit(t, `#tag-form button[type="submit"]`)
	if got := eval[string](t, b, `(document.querySelector('#question-statements') || {}).innerText || ''`); !strings.Contains(got, "Safeguarding") {
		t.Fatalf("after tagging, the question's statements are %q", got)
	}
	b.checkSafe(t, "question page after tagging")
	b.screenshot(t, "question-tagged")
	b.open(t, nav["Statements"]+"?framework=cqc")
	r := getJSON[StatementsJSON](t, b.origin+b.link(t, `#view-json`), b.token)
	var safeguarding []string
	for _, st := range r.Statements {
		if st.ID == "safeguarding" {
			for _, q := range st.Questions {
				safeguarding = append(safeguarding, q.Text)
			}
		}
	}
	if len(safeguarding) != 1 || safeguarding[0] != "I was treated with dignity and respect" {
		t.Errorf("safeguarding's questions after tagging: %q", safeguarding)
	}
	b.compareStatements(t, r)
	b.checkRequests(t)
	t.Logf("the statements' browser test took %v", time.Since(start).Round(time.Millisecond))
}

// compareStatements compares the page's statement tables, as the browser
// shows them, with the API's results r, row by row.
func (b *browser) compareStatements(t *testing.T, r StatementsJSON) {
	t.Helper()
	type pageRow struct {
		Statement string   `json:"statement"`
		Question  string   `json:"question"`
		Cells     []string `json:"cells"`
	}
	rows := eval[[]pageRow](t, b, `Array.from(document.querySelectorAll('table.statement-questions tbody tr')).map(function (tr) {
		return {statement: tr.closest('table').getAttribute('data-statement'), question: tr.getAttribute('data-question'),
			cells: Array.from(tr.cells).map(function (c) { return c.innerText.trim(); })}; })`)
	seen := map[string][]string{}
	for _, row := range rows {
		seen[row.Statement+" "+row.Question] = row.Cells
	}
	want := 0
	for _, st := range r.Statements {
		for _, q := range st.Questions {
			want++
			key := r.Framework.Name + ":" + st.ID + " " + q.Code
			cells, ok := seen[key]
			if !ok || len(cells) < 3 {
				t.Errorf("the page has no row for %s: %q", key, cells)
				continue
			}
			if !strings.HasPrefix(cells[0], q.Text) || cells[1] != q.Metric {
				t.Errorf("%s: the page says %q, the API %q (%s)", key, cells[:2], q.Text, q.Metric)
			}
			if q.Rate == nil || q.N == nil {
				if strings.ContainsAny(cells[2], "0123456789") {
					t.Errorf("%s: the API has no figure (%s) but the page shows %q", key, q.Note, cells[2])
				}
				continue
			}
			got := cells[2:min(len(cells), 6)]
			exp := []string{dashboards.Value(q.Measure, *q.Rate, false), dashboards.Interval(q.Measure, q.CILow, q.CIHigh),
				dashboards.Thousands(*q.N), q.Change}
			if strings.Join(got, "|") != strings.Join(exp, "|") {
				t.Errorf("%s: the page shows %q, the API %q", key, got, exp)
			}
		}
	}
	if len(rows) != want || want == 0 {
		t.Errorf("the page has %d question rows, the API %d", len(rows), want)
	}
}
