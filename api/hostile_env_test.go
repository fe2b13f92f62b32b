package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/account"
)

// hostileEnv is a real heard service on a loopback port, over a store
// holding one baseline survey, with a token for each role.
type hostileEnv struct {
	url    string
	srv    *Server
	st     *store.Store
	db     *sql.DB
	tmp    string // the process's temporary folder (TMPDIR) for this test
	tokens map[analytics.UserRole]string
	slug   string // the baseline survey's
	// auth reports whether the service refuses a request without
	// credentials; the access cases are skipped when it does not.
	auth bool
}

// newHostileEnv starts the service. It points TMPDIR at a folder of the
// test's own, so that every temporary file heard makes can be listed.
func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "heard.db")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &hostileEnv{st: st, tmp: tmp, tokens: map[analytics.UserRole]string{}}
	hash, err := account.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range analytics.UserRoles() {
		u, err := st.CreateUser(ctx, analytics.User{Email: string(role) + "@council.example", Role: role}, hash, analytics.CommandLine("test"))
		if err != nil {
			t.Fatal(err)
		}
		if _, e.tokens[role], err = st.CreateToken(ctx, u.ID, "hostile test", analytics.CommandLine("test")); err != nil {
			t.Fatal(err)
		}
	}
	e.srv, err = NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(func() { ts.Close(); e.srv.Close() })
	e.url = ts.URL
	if e.db, err = sql.Open("sqlite3", "file:"+dbPath+"?mode=ro"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	if code, body := e.postFile(t, "baseline.csv", validCSV("baseline"), "Baseline"); code != http.StatusCreated {
		t.Fatalf("baseline import: %d %s", code, body)
	}
	sv, err := st.SurveyByName(ctx, "Baseline")
	if err != nil {
		t.Fatal(err)
	}
	e.slug = sv.Slug
	code, _ := e.request(t, "GET", "/api/v1/surveys", nil, "", "")
	e.auth = code == http.StatusUnauthorized
	return e
}

// request sends a request with token as its bearer token ("" for none)
// and returns the status and body; 0 when no answer came.
func (e *hostileEnv) request(t testing.TB, method, path string, body io.Reader, contentType, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return hostileSend(req)
}

func hostileSend(req *http.Request) (int, []byte) {
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// get is a GET as the analyst.
func (e *hostileEnv) get(t testing.TB, path string) (int, []byte) {
	return e.request(t, "GET", path, nil, "", e.tokens[analytics.RoleAnalyst])
}

// postFile posts data as the file of POST /api/v1/imports, as the analyst.
func (e *hostileEnv) postFile(t testing.TB, name string, data []byte, survey string) (int, []byte) {
	return e.postFileAs(t, name, data, survey, e.tokens[analytics.RoleAnalyst])
}

func (e *hostileEnv) postFileAs(t testing.TB, name string, data []byte, survey, token string) (int, []byte) {
	t.Helper()
	body, ct := formWithFile(t, name, data, map[string]string{"survey": survey})
	return e.request(t, "POST", "/api/v1/imports", body, ct, token)
}

// formWithFile is a multipart form with fields and a file part.
func formWithFile(t testing.TB, name string, data []byte, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if v != "" {
			w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return &buf, w.FormDataContentType()
}

// hostileCounts are what a case must not change unless it imports: surveys,
// imports, responses, accounts, tokens and the schema's objects.
type hostileCounts struct {
	Surveys, Imports, Users, Tokens, Schema int
	Responses                               int64
}

func (e *hostileEnv) counts(t testing.TB) hostileCounts {
	t.Helper()
	ctx := context.Background()
	list, err := e.st.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := e.st.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := hostileCounts{Surveys: len(list), Imports: len(imps)}
	for _, s := range list {
		c.Responses += s.Responses
	}
	for q, n := range map[string]*int{"SELECT COUNT(*) FROM users": &c.Users, "SELECT COUNT(*) FROM tokens": &c.Tokens,
		"SELECT COUNT(*) FROM sqlite_master": &c.Schema} {
		if err := e.db.QueryRow(q).Scan(n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return c
}

// tempFiles lists every file and folder under the test's TMPDIR.
func (e *hostileEnv) tempFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(e.tmp, func(path string, d fs.DirEntry, err error) error {
		if err == nil && path != e.tmp {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// sameTempFiles waits up to two seconds for the temporary files to be as
// they were (the net/http server removes a large form's parts just after
// the answer) and fails the test if they never are.
func (e *hostileEnv) sameTempFiles(t testing.TB, before []string) {
	t.Helper()
	var now []string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if now = e.tempFiles(t); slices.Equal(now, before) {
			return
		}
	}
	t.Errorf("temporary files before %v, after %v", before, now)
}

// healthy fails the test unless the service answers /healthz.
func (e *hostileEnv) healthy(t testing.TB) {
	t.Helper()
	if code, body := e.get(t, "/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", code, body)
	}
}

// hostileAnswer is the JSON of a refused request: an error, or a report with
// errors.
type hostileAnswer struct {
	Error  string                  `json:"error"`
	Errors []analytics.ImportError `json:"errors"`
	Added  int                     `json:"responses_added"`
	File   string                  `json:"file"`
	Survey string                  `json:"survey"`
	Enc    string                  `json:"encoding"`
	Format string                  `json:"format"`
}

func decodeRefusal(body []byte) hostileAnswer {
	var r hostileAnswer
	json.Unmarshal(body, &r)
	return r
}

// message is the text a person is shown: the error, or every import
// error's message.
func (r hostileAnswer) message() string {
	s := r.Error
	for _, ie := range r.Errors {
		s += " | " + ie.Message
	}
	return s
}

func hostilePathExists(path string) bool { _, err := os.Stat(path); return err == nil }

// sendCrossSite signs in as the admin, as a browser would, then posts a
// file to the upload page with that session's cookie from another site's
// page: the session must work, and the cross-site post must not.
func sendCrossSite(t *testing.T, e *hostileEnv) (int, []byte) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {"admin@council.example"}, "password": {"correct horse battery staple"}}
	req, _ := http.NewRequest("POST", e.url+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.url)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, err = client.Get(e.url + "/api/v1/surveys"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the signed-in session does not work: %v %v", resp, err)
	}
	resp.Body.Close()
	body, ct := formWithFile(t, "csrf.csv", validCSV(t.Name()), map[string]string{"new_survey": "Hostile csrf"})
	req, _ = http.NewRequest("POST", e.url+"/upload", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err = client.Do(req); err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// sendBruteForce tries 30 made-up tokens; every one must be refused.
func sendBruteForce(t *testing.T, e *hostileEnv) (int, []byte) {
	var code int
	var body []byte
	for range 30 {
		b := make([]byte, 32)
		rand.Read(b)
		code, body = e.postFileAs(t, "brute.csv", validCSV(t.Name()), "Hostile brute", "heard_"+hex.EncodeToString(b))
		if code != http.StatusUnauthorized && code != http.StatusForbidden && code != http.StatusTooManyRequests {
			return code, body
		}
	}
	return code, body
}

// sendBruteSignIn tries five wrong passwords for an account, then its right
// one: the limiter must refuse the sixth attempt however right it is.
func sendBruteSignIn(t *testing.T, e *hostileEnv) (int, []byte) {
	try := func(password string) (int, []byte) {
		form := url.Values{"email": {"analyst@council.example"}, "password": {password}}
		req, _ := http.NewRequest("POST", e.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return hostileSend(req)
	}
	for i := range 5 {
		if code, body := try(fmt.Sprintf("wrong password %d", i)); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d %.200s", i, code, body)
		}
	}
	return try("correct horse battery staple")
}

// sendSignInNext signs in as the viewer with next as where to go after,
// and answers the status and "Location: " and the address it leads to.
func sendSignInNext(next string) func(t *testing.T, e *hostileEnv) (int, []byte) {
	return func(t *testing.T, e *hostileEnv) (int, []byte) {
		form := url.Values{"email": {"viewer@council.example"}, "password": {"correct horse battery staple"}, "next": {next}}
		req, _ := http.NewRequest("POST", e.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.url)
		client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			return 0, []byte(err.Error())
		}
		resp.Body.Close()
		return resp.StatusCode, []byte("Location: " + resp.Header.Get("Location") + "\n")
	}
}
