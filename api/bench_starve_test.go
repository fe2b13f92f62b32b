package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/synthetic"
)

// worstImports are the slowest imports the default limits allow, written
// into dir: a CSV just under the 200 MB upload limit, and a workbook whose
// shared strings, repeated in its cells, come to just under the 1 GB
// unzipped limit (each string under the 1 MB cell limit).
var worstImports = []struct {
	name  string
	write func(path string) error
}{
	{"csv-195MB", func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		return errors.Join(synthetic.WriteCSV(f, 555_000, 7), f.Close())
	}},
	{"xlsx-shared-text-1GB", func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		// 1,000 cells of 1,000,002 bytes, ten strings: 1.01 GB with the
		// 10 MB of the strings themselves, of the 1.07 GB allowed.
		return errors.Join(synthetic.WriteRepeatedTextXLSX(f, 10, 1_000_000, 1_000), f.Close())
	}},
}

// BenchmarkLatencyDuringImport measures sign-in (POST /login, Argon2id
// included) and the dashboard page (GET /surveys/SLUG, report cache on)
// with vegeta on loopback, first with the service idle, then while one of
// worstImports is uploaded through POST /api/v1/imports and imported. It
// logs and reports p50 and p95 of each. The service, the import and the
// load all share the machine's cores, as they would in production (the
// load generator is light next to them). About two minutes a kind:
//
//	go test ./api/ -run '^$' -bench 'BenchmarkLatencyDuringImport' -benchtime 1x -timeout 30m
func BenchmarkLatencyDuringImport(b *testing.B) {
	for _, kind := range worstImports {
		b.Run(kind.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), kind.name+map[bool]string{true: ".csv", false: ".xlsx"}[strings.HasPrefix(kind.name, "csv")])
			if err := kind.write(path); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				benchLatency(b, path)
			}
		})
	}
}

// latencyEnv is a service with a 20,000-response survey, an account that
// signs in with a password and an admin token.
type latencyEnv struct {
	ts              *httptest.Server
	srv             *Server
	slug, token     string
	email, password string
}

func newLatencyEnv(b *testing.B) latencyEnv {
	st, _ := newStore(b)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	path := filepath.Join(b.TempDir(), "baseline.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(synthetic.WriteCSV(f, 20_000, 1), f.Close()); err != nil {
		b.Fatal(err)
	}
	if rep, err := ingest.ImportFile(context.Background(), st, path, "baseline.csv", ingest.ImportParams{Survey: "Baseline"}); err != nil || rep.Refused() {
		b.Fatalf("baseline import: %v %+v", err, rep)
	}
	sv, err := st.SurveyByName(context.Background(), "Baseline")
	if err != nil {
		b.Fatal(err)
	}
	admin := createAccount(b, st, "admin@example.org", analytics.RoleAdmin)
	createSignIn(b, st, "analyst@example.org", "correct horse battery staple", analytics.RoleAnalyst)
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	mustGet(b, withToken{h: srv.Handler(), token: admin.token}, "/surveys/"+sv.Slug) // the report cache warm
	return latencyEnv{ts: ts, srv: srv, slug: sv.Slug, token: admin.token,
		email: "analyst@example.org", password: "correct horse battery staple"}
}

// latencies is what one attack measured.
type latencies struct{ signIn, dashboard vegeta.Metrics }

func benchLatency(b *testing.B, upload string) {
	e := newLatencyEnv(b)
	const idleFor = 10 * time.Second
	idle := e.attack(b, idleFor, nil)
	done := make(chan struct{})
	var took time.Duration
	var status int
	var body string
	go func() {
		defer close(done)
		start := time.Now()
		status, body = e.upload(b, upload)
		took = time.Since(start)
	}()
	busy := e.attack(b, 10*time.Minute, done)
	<-done
	if status != http.StatusCreated {
		b.Fatalf("upload: %d %.500s", status, body)
	}
	b.Logf("import of %s through POST /api/v1/imports: %v", filepath.Base(upload), took.Round(time.Millisecond))
	for _, m := range []struct {
		name string
		l    latencies
	}{{"idle", idle}, {"importing", busy}} {
		for _, r := range []struct {
			name string
			v    vegeta.Metrics
		}{{"sign-in", m.l.signIn}, {"dashboard", m.l.dashboard}} {
			b.Logf("%s, %s: %d requests, success %.3f, p50 %v, p95 %v, max %v", m.name, r.name, r.v.Requests, r.v.Success,
				r.v.Latencies.P50.Round(time.Millisecond), r.v.Latencies.P95.Round(time.Millisecond), r.v.Latencies.Max.Round(time.Millisecond))
			b.ReportMetric(float64(r.v.Latencies.P50.Microseconds())/1000, m.name+"-"+r.name+"-p50-ms")
			b.ReportMetric(float64(r.v.Latencies.P95.Microseconds())/1000, m.name+"-"+r.name+"-p95-ms")
		}
	}
	b.ReportMetric(took.Seconds(), "import-s")
}

// attack signs in twice a second and opens the dashboard five times a
// second, for length or until stop is closed.
func (e latencyEnv) attack(b *testing.B, length time.Duration, stop <-chan struct{}) latencies {
	form := url.Values{"email": {e.email}, "password": {e.password}, "next": {"/"}}.Encode()
	signIn := vegeta.Target{Method: "POST", URL: e.ts.URL + "/login", Body: []byte(form),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
	dashboard := vegeta.Target{Method: "GET", URL: e.ts.URL + "/surveys/" + e.slug,
		Header: http.Header{"Authorization": {"Bearer " + e.token}}}
	var out latencies
	var wg sync.WaitGroup
	for _, a := range []struct {
		t    vegeta.Target
		rate int
		m    *vegeta.Metrics
	}{{signIn, 2, &out.signIn}, {dashboard, 5, &out.dashboard}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := vegeta.NewAttacker(vegeta.Timeout(2*time.Minute), vegeta.Redirects(vegeta.NoFollow), vegeta.KeepAlive(true))
			if stop != nil {
				go func() { <-stop; at.Stop() }()
			}
			for res := range at.Attack(vegeta.NewStaticTargeter(a.t), vegeta.Rate{Freq: a.rate, Per: time.Second}, length, "latency") {
				if res.Code == http.StatusSeeOther || res.Code == http.StatusOK {
					res.Code = http.StatusOK
				} else if res.Error == "" {
					res.Error = fmt.Sprintf("status %d", res.Code)
				}
				a.m.Add(res)
			}
			a.m.Close()
		}()
	}
	wg.Wait()
	for _, m := range []*vegeta.Metrics{&out.signIn, &out.dashboard} {
		if m.Requests > 0 && m.Success < 1 {
			b.Errorf("%d of %d requests failed: %v", int(float64(m.Requests)*(1-m.Success)), m.Requests, m.Errors)
		}
	}
	return out
}

// upload posts the file at path to POST /api/v1/imports, streaming it.
func (e latencyEnv) upload(b *testing.B, path string) (int, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("survey", "Worst import")
		var part io.Writer
		if err == nil {
			part, err = mw.CreateFormFile("file", filepath.Base(path))
		}
		if err == nil {
			var f *os.File
			if f, err = os.Open(path); err == nil {
				_, err = io.Copy(part, f)
				f.Close()
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", e.ts.URL+"/api/v1/imports", pr)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(got)
}
