package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/synthetic"
)

// benchFile is the most responses of one generated file: 250,000 make
// about 88 MB of CSV, under the 200 MB upload limit.
const benchFile = 250_000

// benchSurvey builds a server over a generated survey of n responses
// (importers/synthetic: 25 columns, ten teams, 14 scale questions, two
// years), imported as CSV files of up to benchFile responses through
// ingest.ImportFile, like uploads. It returns the server, its handler and the
// survey's slug.
func benchSurvey(b *testing.B, n int) (*Server, http.Handler, string) {
	b.Helper()
	st, _ := newStore(b)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	start := time.Now()
	for part := 0; part*benchFile < n; part++ {
		path := filepath.Join(b.TempDir(), fmt.Sprintf("generated-%d.csv", part))
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := errors.Join(synthetic.WriteCSV(f, min(benchFile, n-part*benchFile), uint64(part+1)), f.Close()); err != nil {
			b.Fatal(err)
		}
		rep, err := ingest.ImportFile(context.Background(), st, path, filepath.Base(path), ingest.ImportParams{Survey: "Generated"})
		if err != nil || rep.Refused() {
			b.Fatalf("import: %v %+v", err, rep.Errors)
		}
		os.Remove(path)
	}
	b.Logf("imported %d responses in %v", n, time.Since(start).Round(time.Millisecond))
	sv, err := st.SurveyByName(context.Background(), "Generated")
	if err != nil {
		b.Fatal(err)
	}
	admin := createAccount(b, st, "admin@example.org", analytics.RoleAdmin)
	return srv, withToken{h: srv.Handler(), token: admin.token}, sv.Slug
}

// mustGet requests url and fails unless the answer is 200.
func mustGet(b *testing.B, h http.Handler, url string) {
	b.Helper()
	if rec := get(b, h, url); rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %.300s", url, rec.Code, rec.Body)
	}
}

// BenchmarkDashboard times the survey dashboard page and its JSON (GET
// /api/v1/surveys/SLUG/report, every scale question) at 100,000 and
// 1,000,000 responses: the first view after the import (logged), then
// views with the report cache off ("uncached": every request counts the
// answers, through the store's kept counts from 150,000 responses on) and
// on ("cached"). Building the 1,000,000-response survey takes about a
// minute; run it alone:
//
//	go test ./api/ -run '^$' -bench 'BenchmarkDashboard$' -benchtime 5x -timeout 20m
func BenchmarkDashboard(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) { benchDashboard(b, n) })
	}
}

func benchDashboard(b *testing.B, n int) {
	srv, h, slug := benchSurvey(b, n)
	cache := srv.cache
	views := []struct{ name, url string }{{"page", "/surveys/" + slug}, {"json", "/api/v1/surveys/" + slug + "/report"}}
	srv.cache = nil
	for _, v := range views {
		start := time.Now()
		mustGet(b, h, v.url)
		b.Logf("first %s after the import: %v", v.name, time.Since(start).Round(time.Millisecond))
	}
	for _, v := range views {
		for _, mode := range []string{"uncached", "cached"} {
			b.Run(v.name+"/"+mode, func(b *testing.B) {
				srv.cache = nil
				if mode == "cached" {
					srv.cache = cache
					mustGet(b, h, v.url)
				}
				for b.Loop() {
					mustGet(b, h, v.url)
				}
			})
		}
	}
}

// BenchmarkDashboardLoad drives the dashboard's JSON with vegeta on
// loopback, bounded in rate and time, and reports the latency percentiles:
// one view requested again and again (the cache warm), twelve views (six
// periods, with and without board mode) starting cold, and one view with
// the report cache off at 2 requests a second. About a minute at 100,000
// responses (the figure), two at 1,000,000:
//
//	go test ./api/ -run '^$' -bench 'BenchmarkDashboardLoad/responses=100000$' -timeout 10m
func BenchmarkDashboardLoad(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) { benchLoad(b, n) })
	}
}

func benchLoad(b *testing.B, n int) {
	srv, h, slug := benchSurvey(b, n)
	ts := httptest.NewServer(h)
	b.Cleanup(ts.Close)
	cache := srv.cache
	path := ts.URL + "/api/v1/surveys/" + slug + "/report"
	var twelve []string
	for _, period := range []string{"month", "quarter", "year", "fy", "fyq", "all"} {
		for _, board := range []string{"", "1"} {
			twelve = append(twelve, path+"?"+url.Values{"period": {period}, "board": {board}}.Encode())
		}
	}
	for _, c := range []struct {
		name    string
		cached  bool
		warm    bool
		rate    int
		length  time.Duration
		targets []string
	}{
		{"one-view/cached-warm/20rps", true, true, 20, 15 * time.Second, []string{path}},
		{"twelve-views/cached-cold/20rps", true, false, 20, 15 * time.Second, twelve},
		{"one-view/uncached/2rps", false, false, 2, 10 * time.Second, []string{path}},
	} {
		b.Run(c.name, func(b *testing.B) {
			srv.cache = nil
			if c.cached {
				srv.cache = newReportCache(reportCacheSize, reportCacheAge)
			}
			if c.warm {
				mustGet(b, h, c.targets[0][len(ts.URL):])
			}
			for b.Loop() {
				m := attack(b, c.targets, c.rate, c.length)
				b.ReportMetric(float64(m.Latencies.P50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(m.Latencies.P95.Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(m.Latencies.P99.Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(m.Latencies.Max.Microseconds())/1000, "max-ms")
				b.ReportMetric(float64(m.Requests), "requests")
				b.Logf("%s: %d requests, success %.3f, p50 %v, p95 %v, p99 %v, max %v", c.name, m.Requests, m.Success,
					m.Latencies.P50, m.Latencies.P95, m.Latencies.P99, m.Latencies.Max)
			}
			srv.cache = cache
		})
	}
}

// attack sends GETs to the targets in turn at rate a second for length,
// and returns vegeta's metrics; every request must succeed.
func attack(b *testing.B, targets []string, rate int, length time.Duration) vegeta.Metrics {
	b.Helper()
	tgts := make([]vegeta.Target, len(targets))
	for i, u := range targets {
		tgts[i] = vegeta.Target{Method: "GET", URL: u}
	}
	a := vegeta.NewAttacker(vegeta.Timeout(30*time.Second), vegeta.MaxWorkers(64), vegeta.KeepAlive(true))
	var m vegeta.Metrics
	for res := range a.Attack(vegeta.NewStaticTargeter(tgts...), vegeta.Rate{Freq: rate, Per: time.Second}, length, "dashboard") {
		m.Add(res)
	}
	m.Close()
	if m.Success < 1 {
		b.Fatalf("%d of %d requests failed: %v", int(float64(m.Requests)*(1-m.Success)), m.Requests, m.Errors)
	}
	return m
}
