package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/dashboards"
)

// TestBrowserActions records a "you said, we did" action through the
// survey's actions page in headless Chromium, as an analyst does: the page
// then shows the action with its effect (the same figures as the API's),
// and the dashboard's and the question's trend charts draw a mark at the
// month the action was done.
func TestBrowserActions(t *testing.T) {
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	dashboard := b.path(t)
	// The dashboard leads with a question; its trend is the one marked.
	headline := eval[string](t, b, `document.querySelector('#headline a').getAttribute('href')`)
	question, _, _ := strings.Cut(headline[strings.LastIndex(headline, "/questions/")+len("/questions/"):], "?")
	nav := b.links(t, `#survey-nav a`)
	if nav["You said, we did"] == "" {
		t.Fatalf("the survey's navigation has no actions page: %v", nav)
	}
	b.open(t, nav["You said, we did"])
	b.checkSafe(t, "the empty actions page")
	if !strings.Contains(eval[string](t, b, `document.body.innerText`), "No action has been recorded") {
		t.Fatalf("the actions page does not say there are none yet")
	}

	// The form: the dashboard's headline question, done in October 2024,
	// compared over six months either side (April to September 2024, and
	// November 2024 to April 2025, of which the demo has up to March).
	if err := chromedp.Do(b.ctx,
		chromedp.SendKeys("#a-said", "People told us they did not know who to ring when their needs changed"),
		chromedp.SendKeys("#a-quote", "I rang 07700 900123 three times"),
		chromedp.SendKeys("#a-did", "Every letter now names a worker and a direct number"),
		chromedp.SendKeys("#a-owner", "Sam Patel"),
		chromedp.SetValue(chromedp.CSS("#a-question"), question),
		chromedp.SetValue(chromedp.CSS("#a-done"), "2024-10-15"),
		chromedp.SetValue(chromedp.CSS("#a-agreed"), "2024-09-01"),
	); err != nil {
		t.Fatalf("fill the action form: %v", err)
	}
	b.submit(t, "#save-action")
	b.checkSafe(t, "the actions page with an action")
	b.screenshot(t, "actions")
	text := eval[string](t, b, `document.querySelector('#actions').innerText`)
	for _, want := range []string{"Every letter now names a worker", "Sam Patel", "I rang 07700 900123 three times",
		"2024-04-01 to 2024-09-30", "2024-11-01 to 2025-04-30"} {
		if !strings.Contains(text, want) {
			t.Errorf("the action on the page lacks %q:\n%s", want, text)
		}
	}

	// The page's effect is the API's.
	slug := strings.TrimPrefix(dashboard, "/surveys/")
	body, ctype := b.fetchBytes(t, "/api/v1/surveys/"+slug+"/actions")
	var list []action.JSON
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 || !strings.HasPrefix(ctype, "application/json") {
		t.Fatalf("the actions API: %v %s %s", err, ctype, body)
	}
	a := list[0]
	if a.Before == nil || a.Before.N == nil || *a.Before.N < 100 || a.After.N == nil || *a.After.N < 100 {
		t.Fatalf("the demo's action has no effect to show: %s", body)
	}
	sentence := eval[string](t, b, `document.querySelector('.action-effect').innerText`)
	if sentence != "Effect: "+a.EffectSentence {
		t.Errorf("the page's effect %q, the API's %q", sentence, a.EffectSentence)
	}
	cells := eval[[]string](t, b, `Array.from(document.querySelectorAll('table.effect td')).map(function (td) { return td.innerText.trim(); })`)
	want := []string{a.Before.From + " to " + a.Before.To, dashboards.Value("", *a.Before.Rate, false), dashboards.Thousands(*a.Before.N),
		a.After.From + " to " + a.After.To, dashboards.Value("", *a.After.Rate, false), dashboards.Thousands(*a.After.N)}
	if len(cells) < 7 || strings.Join(cells[:6], "|") != strings.Join(want, "|") || !strings.HasPrefix(cells[6], dashboards.Points(*a.Difference)) {
		t.Errorf("the effect's table %q, the API's figures %q and %s", cells, want, dashboards.Points(*a.Difference))
	}

	// The trend charts mark the action at October 2024.
	for i, p := range []string{dashboard, "/surveys/" + slug + "/questions/" + question} {
		b.open(t, p)
		b.checkCharts(t, p)
		marks := eval[[]string](t, b, `(function () {
			var inst = echarts.getInstanceByDom(document.getElementById('chart-trend'));
			var out = [];
			(inst.getOption().series || []).forEach(function (s) {
				((s.markLine && s.markLine.data) || []).forEach(function (d) { out.push(String(d.xAxis) + ': ' + String(d.name)); });
			});
			return out; })()`)
		if len(marks) != 1 || !strings.HasPrefix(marks[0], "Oct 2024: Action: Every letter now names") {
			t.Errorf("%s: the trend chart's marks %q, want one at Oct 2024", p, marks)
		}
		if table := eval[string](t, b, `document.querySelector('#chart-trend').closest('figure').innerText`); !strings.Contains(table, "Marked: Action: Every letter") {
			t.Errorf("%s: the trend's table does not say what is marked", p)
		}
		b.screenshot(t, []string{"actions-dashboard", "actions-question"}[i])
	}
	if resp, err := http.Get(ts.URL + "/api/v1/surveys"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API without a token: %v %v", resp, err)
	}
	b.checkRequests(t)
}
