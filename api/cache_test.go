package api

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
)

func TestReportCacheKeepsAndEvicts(t *testing.T) {
	rc := newReportCache(2, time.Minute)
	clock := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	rc.now = func() time.Time { return clock }
	builds := map[string]int{}
	get := func(key string) any {
		t.Helper()
		v, err := rc.get(context.Background(), key, func(context.Context) (any, error) {
			builds[key]++
			return key + "-value", nil
		})
		if err != nil || v != key+"-value" {
			t.Fatalf("get %s = %v, %v", key, v, err)
		}
		return v
	}
	steps := []struct {
		name    string
		key     string
		advance time.Duration
		builds  int
	}{
		{"first build", "a", 0, 1},
		{"kept", "a", time.Second, 1},
		{"another key", "b", time.Second, 1},
		{"a used last, so b is evicted by c", "a", time.Second, 1},
		{"third key", "c", time.Second, 1},
		{"b was evicted", "b", time.Second, 2},
		{"too old", "c", 2 * time.Minute, 2},
	}
	for _, s := range steps {
		clock = clock.Add(s.advance)
		get(s.key)
		if builds[s.key] != s.builds {
			t.Errorf("%s: %s built %d times, want %d", s.name, s.key, builds[s.key], s.builds)
		}
		if len(rc.entries) > 2 {
			t.Errorf("%s: %d entries kept, more than 2", s.name, len(rc.entries))
		}
	}
}

func TestReportCacheBuildsOnceForConcurrentRequests(t *testing.T) {
	rc := newReportCache(8, time.Minute)
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := rc.get(context.Background(), "k", func(context.Context) (any, error) {
				builds.Add(1)
				<-release
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("get = %v, %v", v, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times for 10 concurrent requests, want 1", n)
	}
}

func TestReportCacheForgetsFailures(t *testing.T) {
	rc := newReportCache(8, time.Minute)
	boom := errors.New("boom")
	calls := 0
	build := func(context.Context) (any, error) {
		calls++
		if calls == 1 {
			return nil, boom
		}
		return "ok", nil
	}
	if _, err := rc.get(context.Background(), "k", build); !errors.Is(err, boom) {
		t.Fatalf("first get: %v", err)
	}
	if v, err := rc.get(context.Background(), "k", build); err != nil || v != "ok" {
		t.Fatalf("second get = %v, %v: a failure was kept", v, err)
	}
}

// TestCachedReportsFollowImports checks that the server's cached reports
// change when a file is imported into the survey, and only then.
func TestCachedReportsFollowImports(t *testing.T) {
	srv, h := newTestServer(t)
	ctx := context.Background()
	if _, err := ingest.ImportFile(ctx, srv.store, fixture("smartsurvey-small.csv"), "a.csv", ingest.ImportParams{Survey: "S"}); err != nil {
		t.Fatal(err)
	}
	sv, err := srv.store.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	base := func() string {
		t.Helper()
		rec := get(t, h, "/api/v1/surveys/"+sv.Slug+"/report?period=all")
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		_, rest, _ := strings.Cut(rec.Body.String(), `"n":`)
		n, _, _ := strings.Cut(rest, ",")
		return n
	}
	before := base()
	if again := base(); again != before {
		t.Fatalf("the same report changed: %s then %s", before, again)
	}
	key1, err := srv.cacheKey(ctx, "reports", sv, report.Params{Survey: "S", Period: "all"})
	if err != nil {
		t.Fatal(err)
	}
	// A second file: the same responses with new ids, so 40 more answers.
	more := strings.NewReplacer("\n50", "\n90").Replace(readFile(t, fixture("smartsurvey-small.csv")))
	path := writeTemp(t, "b.csv", more)
	rep, err := ingest.ImportFile(ctx, srv.store, path, "b.csv", ingest.ImportParams{Survey: "S"})
	if err != nil || rep.ResponsesAdded != 40 {
		t.Fatalf("second import: %v %+v", err, rep)
	}
	key2, err := srv.cacheKey(ctx, "reports", sv, report.Params{Survey: "S", Period: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if key1 == key2 {
		t.Error("the cache key did not change with the import")
	}
	if after := base(); after == before {
		t.Errorf("the report still says n = %s after 40 more responses", after)
	} else {
		t.Logf("n = %s, then %s after the import", before, after)
	}
	if len(srv.cache.entries) == 0 {
		t.Error("nothing was kept in the cache")
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
