package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"

	"golang.org/x/net/html"
)

// pagesFixture is a server holding the demo survey and a real SmartSurvey
// export.
type pagesFixture struct {
	srv  *Server
	h    http.Handler
	demo string // the demo survey's slug
	real string // the SmartSurvey export's slug
}

func newPagesFixture(t testing.TB) pagesFixture {
	t.Helper()
	srv, h := newTestServer(t)
	rec := do(t, h, "POST", "/demo", nil, "")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/surveys/") {
		t.Fatalf("POST /demo: %d %s", rec.Code, rec.Body)
	}
	f := pagesFixture{srv: srv, h: h, demo: strings.TrimPrefix(rec.Header().Get("Location"), "/surveys/")}
	rep, err := ingest.ImportFile(context.Background(), srv.store, fixture("smartsurvey-small.csv"), "smartsurvey-small.csv",
		ingest.ImportParams{Survey: "People feedback (SmartSurvey)"})
	if err != nil || rep.Refused() {
		t.Fatalf("import the SmartSurvey export: %v %v", err, rep)
	}
	sv, err := srv.store.SurveyByName(context.Background(), rep.Survey)
	if err != nil {
		t.Fatal(err)
	}
	f.real = sv.Slug
	return f
}

func get(t testing.TB, h http.Handler, url string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, "GET", url, nil, "")
}

// checkPage parses a page as a browser would and asserts that it is
// built of heard's own markup only: every src, href and action a path of
// the server (never another host), no event-handler attribute, no img,
// iframe, object or embed element, and no script but the two static files
// and the charts' JSON blocks, each valid JSON without '<'.
func checkPage(t testing.TB, name, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", name, z.Err())
			}
			return
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
			switch {
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: <%s> has an event handler %s=%q", name, tok.Data, a.Key, a.Val)
			case a.Key == "src" || a.Key == "href" || a.Key == "action" || a.Key == "formaction":
				if u := a.Val; strings.HasPrefix(u, "//") || !(strings.HasPrefix(u, "/") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "?")) {
					t.Errorf("%s: <%s %s=%q> is not a path of the server", name, tok.Data, a.Key, u)
				}
			}
		}
		switch tok.Data {
		case "img", "iframe", "object", "embed", "frame":
			t.Errorf("%s: has an <%s> element", name, tok.Data)
		case "script":
			if src, ok := attrs["src"]; ok {
				if !strings.HasPrefix(src, "/assets/") {
					t.Errorf("%s: a script from %q", name, src)
				}
				continue
			}
			if attrs["type"] != "application/json" || attrs["data-chart-for"] == "" {
				t.Errorf("%s: an inline script %v", name, tok.Attr)
			}
			if z.Next() == html.TextToken {
				if body := z.Text(); bytes.Contains(body, []byte("<")) || !json.Valid(body) {
					t.Errorf("%s: a chart's JSON block is not safe JSON: %.200s", name, body)
				}
			}
		}
	}
}

// TestRoutes goes through every route on the demo survey and a real
// export: status, content type and the key fields of each.
func TestRoutes(t *testing.T) {
	f := newPagesFixture(t)
	ver := f.srv.assetVersion
	demo, real := "/surveys/"+f.demo, "/surveys/"+f.real
	api := "/api/v1/surveys/" + f.demo
	const html, jsonType, csvType = "text/html; charset=utf-8", "application/json; charset=utf-8", "text/csv; charset=utf-8"
	cases := []struct {
		name, url   string
		status      int
		contentType string
		want        []string
		notWant     []string
	}{
		{"healthz", "/healthz", 200, jsonType, []string{`"ok"`}, nil},
		{"home", "/", 200, html, []string{`id="surveys-table"`, "Demo: people feedback survey", `id="spark-` + f.demo + `"`,
			"People feedback (SmartSurvey)", "/assets/heard-charts.js?v=" + ver, `href="#main"`}, []string{"demo-form"}},
		{"dashboard", demo, 200, html, []string{`id="headline-figure"`, "(n = ", "95% CI", `id="headline-change"`,
			`id="chart-trend"`, `data-chart-for="chart-trend"`, `id="questions-table"`, `id="spark-i_was_listened_to"`,
			`aria-current="page">Dashboard`, "Overall, how satisfied or dissatisfied are you with the assessment"}, []string{`id="board-notice"`}},
		{"dashboard by financial year", demo + "?period=fy", 200, html, []string{"2024-25", `value="fy" selected`}, nil},
		{"dashboard for the board", demo + "?board=1", 200, html, []string{`id="board-notice"`, `id="f-board" name="board" value="1" checked`}, nil},
		{"dashboard of one team", demo + "?where=team%3DReablement", 200, html, []string{`value="team=Reablement" checked`}, nil},
		{"dashboard headline chosen", demo + "?question=i_was_listened_to", 200, html, []string{`<h2 id="headline-heading">I was listened to</h2>`}, nil},
		{"dashboard with a bad period", demo + "?period=weekly", 422, html, []string{`id="problem"`, "is not a period"}, []string{"--period"}},
		{"dashboard with a bad filter", demo + "?where=shoe+size%3D9", 422, html, []string{"has no dimension"}, nil},
		{"dashboard with a bad headline", demo + "?question=nope", 422, html, []string{"not one of the survey"}, nil},
		{"dashboard with a bad flag", demo + "?board=maybe", 422, html, []string{"board=1"}, nil},
		{"dashboard of no survey", "/surveys/nope", 404, html, []string{"Page not found"}, nil},
		{"questions", demo + "/questions", 200, html, []string{`id="questions-list"`, "I was listened to", "free text", "Strongly agree (positive)"}, nil},
		{"question", demo + "/questions/i_was_listened_to", 200, html, []string{`id="chart-distribution"`, `id="chart-trend"`,
			`id="chart-breakdown"`, `id="breakdown-form"`, "% agree by Team"}, nil},
		{"question by age band", demo + "/questions/i_was_listened_to?by=age_band&period=quarter", 200, html,
			[]string{"% agree by Age band", `<input type="hidden" name="period" value="quarter">`, `<input type="hidden" name="by" value="age_band">`}, nil},
		{"question of free text", demo + "/questions/any_other_comments", 200, html, []string{`id="no-charts"`, "free text"},
			[]string{"Very helpful, thank you", "data-chart"}},
		{"question that is not", demo + "/questions/nope", 404, html, []string{"Page not found"}, nil},
		{"equality", demo + "/equality", 200, html, []string{`id="equality-summary"`, `id="chart-dim-team"`, `id="chart-dim-ethnicity"`,
			"By Age band", "/surveys/" + f.demo + "?where=team%3DReablement"}, []string{`id="f-period"`}},
		{"downloads", demo + "/downloads", 200, html, []string{`id="download-trends-csv"`, `id="download-dashboard-xlsx"`,
			`id="download-equality-xlsx"`, `id="download-report-json"`}, nil},
		{"imports", "/imports", 200, html, []string{`id="imports-table"`, "demo-people-feedback.csv", "smartsurvey-small.csv", "5,000"}, nil},
		{"imports of one survey", "/imports?survey=" + f.real, 200, html, []string{"smartsurvey-small.csv"}, []string{"demo-people-feedback.csv"}},
		{"imports of no survey", "/imports?survey=nope", 404, html, nil, nil},
		{"no such page", "/nothing/here", 404, html, []string{"Page not found"}, nil},
		{"real dashboard", real, 200, html, []string{`id="headline-figure"`, "Overall, how satisfied are you with the support you received?"}, nil},
		{"real question", real + "/questions/overall_how_satisfied_are_you_port_you_received", 200, html,
			[]string{`id="chart-distribution"`, `id="chart-breakdown"`}, nil},
		{"real equality", real + "/equality?board=1", 200, html, []string{`id="chart-dim-team"`, `id="board-notice"`}, nil},
		{"real downloads", real + "/downloads", 200, html, []string{"trends.csv"}, nil},
		{"asset versioned", "/assets/heard-charts.js?v=" + ver, 200, "text/javascript; charset=utf-8", []string{"heardCharts"}, nil},
		{"asset echarts", "/assets/vendor/echarts/echarts.min.js?v=" + ver, 200, "text/javascript; charset=utf-8", nil, nil},
		{"asset style", "/assets/heard.css", 200, "text/css; charset=utf-8", []string{".heard-chart"}, nil},
		{"asset missing", "/assets/nope.js", 404, jsonType, []string{`"not found"`}, nil},
		{"asset folder", "/assets/vendor", 404, jsonType, nil, nil},
		{"api surveys", "/api/v1/surveys", 200, jsonType, []string{`"slug":"` + f.demo + `"`, `"responses":5000`}, nil},
		{"api questions", api + "/questions", 200, jsonType, []string{`"slug":"` + f.demo + `"`, `"code":"i_was_listened_to"`, `"dimensions":[`}, nil},
		{"api report", api + "/report", 200, jsonType, []string{`"reports":[`, `"skipped":[]`}, nil},
		{"api report of a question", api + "/report?question=i_was_listened_to&period=fy&by=team", 200, jsonType,
			[]string{`"question":"i_was_listened_to"`, `"by":["team"]`, `"period":"fy"`, `"group":"Reablement"`}, nil},
		{"api report with a bad period", api + "/report?period=weekly", 422, jsonType, []string{`"error":`, "is not a period"}, nil},
		{"api report with a bad confidence", api + "/report?confidence=high", 422, jsonType, []string{"is not a number"}, nil},
		{"api report of no survey", "/api/v1/surveys/nope/report", 404, jsonType, []string{`{"error":"not found"}`}, nil},
		{"api trends", api + "/trends.csv", 200, csvType, []string{"survey,metric,question,period,group,numerator,denominator,rate,ci_low,ci_high,suppressed,disclosure_policy,disclosure_rule,question_text", "All responses"}, nil},
		{"api trends by team", api + "/trends.csv?by=team&period=fy&min_base=1", 200, csvType, []string{"2024-05", "Reablement", `heard,"heard's rule`}, []string{"2024-25"}},
		{"api trends of no survey", "/api/v1/surveys/nope/trends.csv", 404, jsonType, nil, nil},
		{"api no route", "/api/v1/nothing", 404, jsonType, []string{`"not found"`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, f.h, c.url)
			body := rec.Body.String()
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, c.status, body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != c.contentType {
				t.Errorf("content type %q, want %q", ct, c.contentType)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("the response lacks %q", w)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(body, w) {
					t.Errorf("the response has %q", w)
				}
			}
			if strings.HasPrefix(c.contentType, "text/html") {
				checkPage(t, c.url, body)
			}
			if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("security headers missing: %v", rec.Header())
			}
		})
	}
}

// TestWorkbookRoutes checks that each view's workbook is a download with
// one sheet per table of the page, then its notes.
func TestWorkbookRoutes(t *testing.T) {
	f := newPagesFixture(t)
	demo := "/surveys/" + f.demo
	for _, c := range []struct {
		name, url string
		sheets    int
	}{
		{"dashboard", demo + "/dashboard.xlsx?period=fy", 2 + 1},
		{"question", demo + "/questions/i_was_listened_to/tables.xlsx?by=gender", 3 + 1},
		{"equality", demo + "/equality.xlsx", 5 + 1},
		{"real dashboard", "/surveys/" + f.real + "/dashboard.xlsx", 2 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, f.h, c.url)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != xlsxType {
				t.Fatalf("%d %q: %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, ".xlsx") {
				t.Errorf("Content-Disposition %q", cd)
			}
			wb := readWorkbook(t, rec.Body.Bytes())
			if len(wb.sheets) != c.sheets || wb.sheets[len(wb.sheets)-1] != dashboards.NotesSheet {
				t.Errorf("%d sheets %v, want %d", len(wb.sheets), wb.sheets, c.sheets)
			}
			if wb.numbers == 0 {
				t.Error("no cell holds a number")
			}
		})
	}
}

// TestAPIReportIsTheCLIReport checks that the API gives what `heard
// report --format json` prints for the same parameters.
func TestAPIReportIsTheCLIReport(t *testing.T) {
	f := newPagesFixture(t)
	sv, err := f.srv.store.SurveyBySlug(context.Background(), f.demo)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query string
		p           report.Params
	}{
		{"one question by team", "question=i_was_listened_to&period=fyq&by=team&from=2024-04&to=2025-03",
			report.Params{Question: "i_was_listened_to", Period: "fyq", By: []string{"team"}, From: "2024-04", To: "2025-03"}},
		{"board with a filter", "question=i_was_listened_to&board=1&min_base=30&where=gender%3DWoman&confidence=99",
			report.Params{Question: "i_was_listened_to", Board: true, MinBase: 30, Where: []string{"gender=Woman"}, Confidence: 99}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, f.h, "/api/v1/surveys/"+f.demo+"/report?"+c.query)
			if rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			c.p.Survey = sv.Name
			want, err := report.Build(context.Background(), f.srv.store, c.p)
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, _ := json.Marshal(want)
			if got := strings.TrimSpace(rec.Body.String()); got != string(wantJSON) {
				t.Errorf("API and CLI differ:\n api %.400s\n cli %.400s", got, wantJSON)
			}
			if len(want.Rows) == 0 {
				t.Error("the report has no rows: the comparison proves nothing")
			}
		})
	}
}
