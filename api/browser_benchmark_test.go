package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// TestBrowserBenchmark drives the national figures in headless Chromium:
// an admin loads the demo survey, chooses the council on the admin page's
// form, and the dashboard's "Beside England" table shows the council's,
// the region's and England's ASCOF 3A figures exactly as the JSON API
// gives them (written as the page writes them), beside the headline.
func TestBrowserBenchmark(t *testing.T) {
	exe := chromiumPath(t)
	st, _ := newStore(t)
	createSignIn(t, st, browserAdminEmail, browserAdminPassword, analytics.RoleAdmin)
	viewer := createAccount(t, st, "viewer-benchmark@example.org", analytics.RoleViewer)
	rep, err := ingest.ImportBenchmarkFile(t.Context(), st, ascofExcerpt, filepath.Base(ascofExcerpt), ingest.BenchmarkParams{By: analytics.CommandLine("test")})
	if err != nil || rep.Refused() {
		t.Fatalf("import the ASCOF excerpt: %v %+v", err, rep)
	}
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	b := newBrowser(t, exe, ts.URL)
	b.signIn(t, browserAdminEmail, browserAdminPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	dashboard := b.path(t)
	if b.adminText(t, "#beside") != "" {
		t.Fatal("a Beside England panel before a council is chosen")
	}

	b.open(t, "/admin/benchmark")
	run(t, b, "choose Kirklees", chromedp.SetValue("#b-council", "E08000034"))
	b.submit(t, `#benchmark-form button[type="submit"]`)
	b.checkSafe(t, "admin benchmark page")
	if c := b.adminText(t, "#benchmark-council"); !strings.Contains(c, "Kirklees (E08000034) with Yorkshire and The Humber") {
		t.Fatalf("after saving the page says %q", c)
	}

	b.open(t, dashboard)
	b.checkSafe(t, "dashboard")
	b.elementShot(t, "#beside", "beside-england")
	api := apiBenchmarkRows(t, ts.URL, viewer.token)
	for id, code := range map[string]string{"#beside-council": "E08000034", "#beside-region": "E12000003", "#beside-england": "E92000001"} {
		row, ok := api[code]
		if !ok {
			t.Fatalf("the API has no 3A row for %s", code)
		}
		text := b.adminText(t, id)
		if !strings.Contains(text, row.Name) {
			t.Errorf("%s: %q does not name %s", id, text, row.Name)
		}
		fig := dashboards.PublishedShare(analytics.Benchmark{Outcome: row.Outcome, Base: row.Base, MarginOfError: row.MarginOfError})
		if !fig.Shown {
			if !strings.Contains(text, "Not published") {
				t.Errorf("%s: %q; the API's outcome is null", id, text)
			}
			continue
		}
		for _, want := range []string{fig.Value, fig.Base, fig.Margin, fig.Range} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q lacks %q (the API: outcome %v, base %v, margin of error %v)", id, text, want, *row.Outcome, *row.Base, *row.MarginOfError)
			}
		}
	}
	own, headline := b.adminText(t, "#beside-own"), b.adminText(t, "#headline-figure")
	if value := strings.Fields(headline)[0]; !strings.Contains(own, value) {
		t.Errorf("the survey's own row %q lacks the headline %q", own, value)
	}
	if note := b.adminText(t, "#beside-note"); note != besideNote {
		t.Errorf("the note reads %q", note)
	}
}

// apiBenchmarkRows are GET /api/v1/benchmarks?measure=3A's rows by code.
func apiBenchmarkRows(t testing.TB, origin, token string) map[string]report.BenchmarkJSON {
	t.Helper()
	req, err := http.NewRequest("GET", origin+"/api/v1/benchmarks?measure=3A", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rows []report.BenchmarkJSON
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the API: %d %v", resp.StatusCode, err)
	}
	out := map[string]report.BenchmarkJSON{}
	for _, r := range rows {
		out[r.Code] = r
	}
	return out
}
