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
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
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
	status, b := instanceDo(t, in, token, "GET", path)
	if status != http.StatusOK {
		t.Fatalf("GET %s on %s: %d %s", path, in.name, status, b)
	}
	return b
}

// instanceDo sends method path to one instance with token and returns the
// status and the body.
func instanceDo(t testing.TB, in *instance, token, method, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, in.url+path, nil)
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
	if err != nil {
		t.Fatalf("%s %s on %s: %v", method, path, in.name, err)
	}
	return resp.StatusCode, b
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
	// On PostgreSQL B finds A's upload in the database and shows what
	// became of it; on SQLite uploads stay with the process that received
	// them, and B says it does not hold it rather than showing another's.
	resp = send(b, "GET", status, nil, "")
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if storetest.Postgres() {
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Already imported") {
			t.Errorf("A's upload page asked of B: %d\n%s", resp.StatusCode, page)
		}
	} else if resp.StatusCode != http.StatusNotFound {
		t.Errorf("A's upload page asked of B: %d, want 404", resp.StatusCode)
	}
}

// TestTwoInstancesUploadPageShared: on PostgreSQL, a file previewed on
// instance A's upload page is shown by B, read again there with a corrected
// column, confirmed on B and followed to its end on A; it is imported once,
// with the correction; a second confirmation, on A, is refused; and
// another account finds the upload on neither instance.
func TestTwoInstancesUploadPageShared(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("uploads are shared by the processes on a PostgreSQL database; on SQLite each keeps its own (HEARD_TEST_BACKEND=postgres)")
	}
	a, b := newInstances(t)
	ann := createAccount(t, a.st, "ann@example.org", analytics.RoleAnalyst)
	bob := createAccount(t, a.st, "bob@example.org", analytics.RoleAnalyst)
	file := fixture("smartsurvey-small.csv")
	send := func(in *instance, who testAccount, method, path string, form url.Values) (int, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, in.url+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+who.token)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}

	body, ct := multipartBody(t, "may.csv", file, map[string]string{"new_survey": "Care"})
	req, err := http.NewRequest("POST", a.url+"/upload", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+ann.token)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	status := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(status, "/upload/") {
		t.Fatalf("POST /upload on A: %d %s", resp.StatusCode, status)
	}

	// B shows A's preview: its first rows and the columns' kinds.
	code, page := send(b, ann, "GET", status, nil)
	if code != http.StatusOK || !strings.Contains(page, "Hospital Discharge Team") || !strings.Contains(page, `name="kind_7"`) {
		t.Fatalf("A's preview on B: %d\n%s", code, page)
	}
	// Another account finds it on neither instance and cannot confirm it.
	for _, in := range []*instance{a, b} {
		if code, _ := send(in, bob, "GET", status, nil); code != http.StatusNotFound {
			t.Errorf("another account's GET of the upload on %s: %d, want 404", in.name, code)
		}
	}
	if code, _ := send(b, bob, "POST", status, url.Values{}); code != http.StatusNotFound {
		t.Errorf("another account's confirmation on B: %d, want 404", code)
	}

	// Read again on B with column 8 a group: A's page shows the correction.
	if code, page := send(b, ann, "POST", status, url.Values{"kind_7": {"dimension"}, "check": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("check again on B: %d %s", code, firstLine(page))
	}
	_, page = send(a, ann, "GET", status, nil)
	row := textBetween(page, "<td>Were you involved in decisions about your care?</td>", "</tr>")
	if !strings.Contains(row, `<option value="dimension" selected>`) {
		t.Errorf("A's page after checking again on B: the column is not a group: %s", row)
	}

	// Confirmed on B; A's page follows the import to its end.
	if code, page := send(b, ann, "POST", status, url.Values{"kind_7": {"dimension"}}); code != http.StatusSeeOther {
		t.Fatalf("confirm on B: %d %s", code, firstLine(page))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, page = send(a, ann, "GET", status, nil)
		if code != http.StatusOK || !strings.Contains(page, `http-equiv="refresh"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != http.StatusOK || !strings.Contains(page, "Imported") || strings.Contains(page, "Already imported") {
		t.Fatalf("A's page of the import B ran: %d\n%s", code, page)
	}
	// A second confirmation, on A, is refused, and imports nothing.
	if code, page := send(a, ann, "POST", status, url.Values{}); code == http.StatusSeeOther || !strings.Contains(page, "already been imported") {
		t.Errorf("a second confirmation on A: %d %s", code, firstLine(page))
	}
	a.srv.uploads.jobs.Wait()
	b.srv.uploads.jobs.Wait()

	ctx := context.Background()
	sv, err := a.st.SurveyByName(ctx, "Care")
	if err != nil {
		t.Fatal(err)
	}
	imports, err := a.st.Imports(ctx, sv.ID)
	if err != nil || len(imports) != 1 {
		t.Fatalf("%d imports, %v; want 1", len(imports), err)
	}
	if n, err := a.st.ResponseCount(ctx, sv.ID); err != nil || n == 0 || n != int64(imports[0].RowsRead) {
		t.Errorf("%d responses, %v; want the file's %d, once", n, err, imports[0].RowsRead)
	}
	if _, _, dim := columnByText(t, a.srv, sv.Slug, "Were you involved"); !dim {
		t.Error("the column corrected on B was not stored as a group")
	}
	// Neither instance keeps the file once it is imported.
	for _, in := range []*instance{a, b} {
		if left, err := os.ReadDir(in.srv.uploads.dir); err != nil || len(left) != 0 {
			t.Errorf("%s's uploads folder after the import: %v %v", in.name, left, err)
		}
	}
}

// TestTwoInstancesUploadConfirmRaced: on PostgreSQL, the same upload
// confirmed on A (which holds it) and B (which fetches it) at once is
// imported by one of them; the other is told it was already imported.
func TestTwoInstancesUploadConfirmRaced(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("uploads are shared by the processes on a PostgreSQL database; on SQLite each keeps its own (HEARD_TEST_BACKEND=postgres)")
	}
	a, b := newInstances(t)
	admin := createAccount(t, a.st, "admin@example.org", analytics.RoleAdmin)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(in *instance, method, path string, body io.Reader, ct string) (int, string, string) {
		t.Helper()
		req, err := http.NewRequest(method, in.url+path, body)
		if err != nil {
			t.Error(err)
			return 0, "", ""
		}
		req.Header.Set("Authorization", "Bearer "+admin.token)
		req.Header.Set("Content-Type", ct)
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0, "", ""
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(page)
	}
	for round := range 3 {
		survey := fmt.Sprintf("Raced %d", round)
		rows := 30 - 3*round
		body, ct := multipartBody(t, "may.csv", headOf(t, fixture("smartsurvey-small.csv"), rows), map[string]string{"new_survey": survey})
		code, status, _ := do(a, "POST", "/upload", body, ct)
		if code != http.StatusSeeOther {
			t.Fatalf("round %d: POST /upload on A: %d", round, code)
		}
		codes, pages := make([]int, 2), make([]string, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, in := range []*instance{a, b} {
			wg.Go(func() {
				<-start
				codes[i], _, pages[i] = do(in, "POST", status, strings.NewReader(""), "application/x-www-form-urlencoded")
			})
		}
		close(start)
		wg.Wait()
		confirmed, refused := 0, 0
		for i := range 2 {
			switch {
			case codes[i] == http.StatusSeeOther:
				confirmed++
			case strings.Contains(pages[i], "already been imported"):
				refused++
			default:
				t.Errorf("round %d, instance %d: %d %s", round, i, codes[i], firstLine(pages[i]))
			}
		}
		if confirmed != 1 || refused != 1 {
			t.Fatalf("round %d: %d confirmed and %d refused, want 1 and 1", round, confirmed, refused)
		}
		a.srv.uploads.jobs.Wait()
		b.srv.uploads.jobs.Wait()
		sv, err := b.st.SurveyByName(context.Background(), survey)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := b.st.ResponseCount(context.Background(), sv.ID); err != nil || n != int64(rows) {
			t.Errorf("round %d: %d responses, %v; want %d", round, n, err, rows)
		}
		for _, in := range []*instance{a, b} {
			if _, _, page := do(in, "GET", status, nil, ""); !strings.Contains(page, "Imported") || strings.Contains(page, "Already imported") {
				t.Errorf("round %d: the upload's page on %s after the import:\n%s", round, in.name, page)
			}
		}
	}
}

// TestTwoInstancesUploadProgress: on PostgreSQL, the progress of an import
// running on A reaches B's page of the upload within a second or two.
func TestTwoInstancesUploadProgress(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("uploads are shared by the processes on a PostgreSQL database; on SQLite each keeps its own (HEARD_TEST_BACKEND=postgres)")
	}
	a, b := newInstances(t)
	ctx := context.Background()
	owner := createAccount(t, a.st, "ann@example.org", analytics.RoleAnalyst)
	u := &upload{Token: "0123456789abcdef0123456789abcdef", Survey: "Care", File: "may.csv", created: time.Now(),
		owner: owner.user.ID, state: uploadPreview, shared: true}
	if err := a.st.SaveSharedUpload(ctx, store.SharedUpload{Token: u.Token, Owner: u.owner, Survey: u.Survey, File: u.File,
		State: uploadPreview, Created: u.created}, strings.NewReader("a,b\n1,2\n")); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.st.ClaimSharedUpload(ctx, u.Token, "", time.Now()); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	u.state = uploadRunning
	stop := a.srv.followUpload(u)
	u.progress("importing", 3000, 12000)
	deadline := time.Now().Add(5 * time.Second)
	var page string
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", b.url+"/upload/"+u.Token, nil)
		req.Header.Set("Authorization", "Bearer "+owner.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if page = string(body); strings.Contains(page, `value="25"`) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	if !strings.Contains(page, `value="25"`) || !strings.Contains(page, `http-equiv="refresh"`) {
		t.Errorf("B's page of A's running import, 3,000 of 12,000 done:\n%s", page)
	}
	u.mu.Lock()
	u.state, u.result = uploadDone, nil
	u.mu.Unlock()
	a.srv.finishUpload(u.status())
	if row, err := b.st.SharedUploadByToken(ctx, u.Token); err != nil || row.State != uploadDone || row.Done != 3000 {
		t.Errorf("after the end: %+v %v", row, err)
	}
}
