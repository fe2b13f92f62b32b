package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// Two heard instances on one database, as behind a load balancer: each is
// a Server over a store of its own opened on the database newStore made
// (a SQLite file today; the same test runs wherever newStore puts the
// database), served over real HTTP.

// openSameDatabase opens a second store on the database newStore made
// (what it returned beside the store), as a second heard process would.
func openSameDatabase(t testing.TB, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// instance is one heard process of a pair: its store, service and URL.
type instance struct {
	name string
	st   *store.Store
	srv  *Server
	url  string
}

// newInstance serves a new Server over st on a real listener.
func newInstance(t testing.TB, name string, st *store.Store) *instance {
	t.Helper()
	srv, err := NewServerWith(st, slog.New(slog.NewTextHandler(io.Discard, nil)),
		ServerOptions{UploadDir: filepath.Join(t.TempDir(), "uploads-"+name)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &instance{name: name, st: st, srv: srv, url: ts.URL}
}

// newInstances opens one database and serves two instances on it.
func newInstances(t testing.TB) (a, b *instance) {
	t.Helper()
	st, db := newStore(t)
	return newInstance(t, "A", st), newInstance(t, "B", openSameDatabase(t, db))
}

// twoInstanceBrowser is a client with one cookie jar for both instances (cookies do
// not depend on the port, as a load balancer's one address would have it)
// that does not follow redirects.
func twoInstanceBrowser(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestTwoInstancesShareSessions: one browser's session is served
// alternately by both instances, signing out on one ends it on both, and
// the failed sign-ins counted by both reach the limit once between them.
func TestTwoInstancesShareSessions(t *testing.T) {
	a, b := newInstances(t)
	createSignIn(t, a.st, "ann@example.org", testPassword, analytics.RoleAnalyst)
	c := twoInstanceBrowser(t)
	signIn := func(in *instance, password string) *http.Response {
		t.Helper()
		return send(t, c, "POST", in.url+"/login", url.Values{"email": {"ann@example.org"}, "password": {password}, "next": {"/imports"}},
			"Origin", in.url, "Sec-Fetch-Site", "same-origin")
	}
	signedIn := func(in *instance) bool {
		t.Helper()
		return send(t, c, "GET", in.url+"/imports", nil).StatusCode == http.StatusOK
	}
	if resp := signIn(a, testPassword); resp.StatusCode != http.StatusSeeOther || sessionCookie(resp) == nil {
		t.Fatalf("sign in on A: %d, cookie %v", resp.StatusCode, sessionCookie(resp))
	}
	for i, in := range []*instance{b, a, b, a} {
		if !signedIn(in) {
			t.Fatalf("request %d, on %s: not signed in", i+1, in.name)
		}
	}
	u, _ := url.Parse(a.url)
	cookies := c.Jar.Cookies(u)
	if resp := send(t, c, "POST", b.url+"/logout", url.Values{}, "Origin", b.url, "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on B: %d", resp.StatusCode)
	}
	// The browser has dropped the cookie; a copy kept elsewhere (another
	// tab, or a thief) must not open a page on either instance.
	kept := twoInstanceBrowser(t)
	kept.Jar.SetCookies(u, cookies)
	for _, in := range []*instance{a, b} {
		if signedIn(in) {
			t.Errorf("still signed in on %s after signing out on B", in.name)
		}
		if resp := send(t, kept, "GET", in.url+"/imports", nil); resp.StatusCode == http.StatusOK {
			t.Errorf("the cookie of the session signed out on B still opens a page on %s", in.name)
		}
	}

	// Five wrong passwords, alternately on A and B, lock the account on
	// both: the default limit is 5 an account, shared, not 5 each.
	for i := range 5 {
		in := []*instance{a, b}[i%2]
		if resp := signIn(in, fmt.Sprintf("wrong password %d", i)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d on %s: %d", i+1, in.name, resp.StatusCode)
		}
	}
	for _, in := range []*instance{a, b} {
		if resp := signIn(in, testPassword); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the right password on %s after 5 failures spread over both: %d, want 429", in.name, resp.StatusCode)
		}
	}
}

// postImport sends a file to an instance's POST /api/v1/imports with an
// API token and returns the status and the import's report.
func postImport(t testing.TB, in *instance, token, file, survey string) (int, map[string]any) {
	t.Helper()
	body, ct := multipartBody(t, filepath.Base(file), file, map[string]string{"survey": survey})
	req, err := http.NewRequest("POST", in.url+"/api/v1/imports", body)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var rep map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Errorf("import on %s: %d, %v", in.name, resp.StatusCode, err)
	}
	return resp.StatusCode, rep
}

// instanceGet reads a JSON endpoint of an instance with an API token.
func instanceGet(t testing.TB, in *instance, token, path string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", in.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s on %s: %d %s %v", path, in.name, resp.StatusCode, b, err)
	}
	return b
}

// TestTwoInstancesImportOnce: the same file sent to both instances at once
// is imported once; the other is told it was already imported.
func TestTwoInstancesImportOnce(t *testing.T) {
	a, b := newInstances(t)
	admin := createAccount(t, a.st, "admin@example.org", analytics.RoleAdmin)
	ctx := context.Background()
	for round := range 3 { // three files, each raced, each into a new survey
		rows, survey := 40-2*round, fmt.Sprintf("Raced %d", round)
		file := headOf(t, fixture("smartsurvey-small.csv"), rows)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		reps := make([]map[string]any, 2)
		start := make(chan struct{})
		for i, in := range []*instance{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i], reps[i] = postImport(t, in, admin.token, file, survey)
			}()
		}
		close(start)
		wg.Wait()
		created, already := 0, 0
		for i := range 2 {
			switch {
			case codes[i] == http.StatusCreated && reps[i]["already_imported"] != true:
				created++
			case codes[i] == http.StatusOK && reps[i]["already_imported"] == true:
				already++
			default:
				t.Errorf("round %d, instance %d: %d %v", round, i, codes[i], reps[i])
			}
		}
		if created != 1 || already != 1 {
			t.Fatalf("round %d: %d imported and %d told already imported, want 1 and 1", round, created, already)
		}
		sv, err := b.st.SurveyByName(ctx, survey)
		if err != nil {
			t.Fatal(err)
		}
		imports, err := b.st.Imports(ctx, sv.ID)
		if err != nil || len(imports) != 1 {
			t.Fatalf("round %d: %d imports, %v; want 1", round, len(imports), err)
		}
		if n, err := b.st.ResponseCount(ctx, sv.ID); err != nil || n != int64(rows) {
			t.Errorf("round %d: %d responses, %v; want %d, each once", round, n, err, rows)
		}
	}
	list, err := a.st.Surveys(ctx)
	if err != nil || len(list) != 3 {
		t.Errorf("%d surveys, %v; want 3 (a survey created by both at once is made once)", len(list), err)
	}
}

// TestTwoInstancesReportsFollowImports: a report instance B has built and
// kept is not served once instance A has imported more: B's next answer is
// a fresh instance's, for the report, its counts and the filters' values.
func TestTwoInstancesReportsFollowImports(t *testing.T) {
	a, b := newInstances(t)
	admin := createAccount(t, a.st, "admin@example.org", analytics.RoleAdmin)
	if code, rep := postImport(t, a, admin.token, headOf(t, fixture("smartsurvey-small.csv"), 15), "Care"); code != http.StatusCreated {
		t.Fatalf("first import on A: %d %v", code, rep)
	}
	sv, err := b.st.SurveyByName(context.Background(), "Care")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"/api/v1/surveys/" + sv.Slug + "/report",
		"/api/v1/surveys/" + sv.Slug + "/report?period=all",
		"/api/v1/surveys/" + sv.Slug + "/questions",
		"/api/v1/surveys/" + sv.Slug + "/trends.csv",
	}
	before := map[string][]byte{}
	for _, p := range paths {
		before[p] = instanceGet(t, b, admin.token, p)
		if again := instanceGet(t, b, admin.token, p); !bytes.Equal(again, before[p]) {
			t.Fatalf("%s: B answers differently twice in a row", p)
		}
	}
	if code, rep := postImport(t, a, admin.token, fixture("smartsurvey-small.csv"), "Care"); code != http.StatusCreated {
		t.Fatalf("second import on A: %d %v", code, rep)
	}
	fresh := newInstance(t, "C", b.st) // no report kept yet
	for _, p := range paths {
		got, want := instanceGet(t, b, admin.token, p), instanceGet(t, fresh, admin.token, p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s on B after A's import:\n%s\nwant (a fresh instance's):\n%s", p, got, want)
		}
		if p != paths[2] && bytes.Equal(got, before[p]) {
			t.Errorf("%s: the same answer after 25 more responses: %s", p, got)
		}
	}
}

// headOf writes the header and the first n records of a one-line-a-record
// CSV file to a new file and returns its path.
func headOf(t testing.TB, path string, n int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) < n+1 {
		t.Fatalf("%s has fewer than %d records", path, n)
	}
	out := filepath.Join(t.TempDir(), fmt.Sprintf("first-%d.csv", n))
	if err := os.WriteFile(out, []byte(strings.Join(lines[:n+1], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTwoInstancesUploadPageThenAPI: a file previewed on instance A's
// upload page, then imported through instance B's API before the person
// confirms on A, is not imported twice: A's confirmation ends in "Already
// imported", decided inside A's import.
func TestTwoInstancesUploadPageThenAPI(t *testing.T) {
	a, b := newInstances(t)
	admin := createAccount(t, a.st, "admin@example.org", analytics.RoleAdmin)
	file := fixture("smartsurvey-small.csv")
	send := func(in *instance, method, path string, body io.Reader, ct string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, in.url+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+admin.token)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	body, ct := multipartBody(t, "may.csv", file, map[string]string{"new_survey": "Care"})
	resp := send(a, "POST", "/upload", body, ct)
	resp.Body.Close()
	status := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(status, "/upload/") {
		t.Fatalf("POST /upload on A: %d %s", resp.StatusCode, status)
	}
	if code, rep := postImport(t, b, admin.token, file, "Care"); code != http.StatusCreated {
		t.Fatalf("the API import on B: %d %v", code, rep)
	}
	resp = send(a, "POST", status, strings.NewReader(url.Values{}.Encode()), "application/x-www-form-urlencoded")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm on A: %d", resp.StatusCode)
	}
	a.srv.uploads.jobs.Wait() // the import A started in the background
	resp = send(a, "GET", status, nil, "")
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Already imported") {
		t.Errorf("A's upload page after confirming a file B imported meanwhile:\n%s", page)
	}
	sv, err := a.st.SurveyByName(context.Background(), "Care")
	if err != nil {
		t.Fatal(err)
	}
	if imports, err := a.st.Imports(context.Background(), sv.ID); err != nil || len(imports) != 1 {
		t.Errorf("%d imports, %v; want 1", len(imports), err)
	}
	// B does not hold A's upload: it says so rather than showing another's.
	if resp := send(b, "GET", status, nil, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("A's upload page asked of B: %d, want 404", resp.StatusCode)
	}
}
