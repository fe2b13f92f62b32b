package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
)

// matrixRoles are the columns of the route table: no account, then each
// role.
var matrixRoles = []string{"none", "board", "viewer", "analyst", "admin"}

// routeRule is one route and the status each role gets.
type routeRule struct {
	method, route string
	// path is the address requested, with {slug} and {code} for the demo
	// survey and one of its questions.
	path string
	// want is the status for none, board, viewer, analyst, admin.
	want [5]int
}

const (
	see  = http.StatusSeeOther
	ok   = http.StatusOK
	deny = http.StatusForbidden
	anon = http.StatusUnauthorized
	bad  = http.StatusUnprocessableEntity
	gone = http.StatusNotFound
)

// routeTable is what every role gets on every route. A page asks a
// request without an account to sign in (303 to /login); the API answers
// 401.
var routeTable = []routeRule{
	{"GET", "/healthz", "/healthz", [5]int{ok, ok, ok, ok, ok}},
	{"GET", "/favicon.ico", "/favicon.ico", [5]int{204, 204, 204, 204, 204}},
	{"GET", "/assets/*path", "/assets/heard.css", [5]int{ok, ok, ok, ok, ok}},
	{"GET", "/login", "/login", [5]int{ok, see, see, see, see}},
	{"POST", "/login", "/login", [5]int{anon, anon, anon, anon, anon}},
	{"POST", "/logout", "/logout", [5]int{see, see, see, see, see}},
	{"GET", "/", "/", [5]int{see, ok, ok, ok, ok}},
	{"POST", "/demo", "/demo", [5]int{see, deny, deny, see, see}},
	{"GET", "/upload", "/upload", [5]int{see, deny, deny, ok, ok}},
	{"POST", "/upload", "/upload", [5]int{see, deny, deny, bad, bad}},
	{"GET", "/upload/:token", "/upload/nosuchupload", [5]int{see, deny, deny, gone, gone}},
	{"POST", "/upload/:token", "/upload/nosuchupload", [5]int{see, deny, deny, gone, gone}},
	{"GET", "/imports", "/imports", [5]int{see, deny, ok, ok, ok}},
	{"POST", "/imports/:id/delete", "/imports/999999/delete", [5]int{see, deny, deny, gone, gone}},
	{"GET", "/surveys/:slug", "/surveys/{slug}", [5]int{see, ok, ok, ok, ok}},
	{"POST", "/surveys/:slug/headline", "/surveys/{slug}/headline", [5]int{see, deny, deny, see, see}},
	{"GET", "/surveys/:slug/dashboard.xlsx", "/surveys/{slug}/dashboard.xlsx", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/questions", "/surveys/{slug}/questions", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/questions/:code", "/surveys/{slug}/questions/{code}", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/questions/:code/tables.xlsx", "/surveys/{slug}/questions/{code}/tables.xlsx", [5]int{see, ok, ok, ok, ok}},
	{"POST", "/surveys/:slug/questions/:code/statements", "/surveys/{slug}/questions/{code}/statements", [5]int{see, deny, deny, bad, bad}},
	{"GET", "/surveys/:slug/statements", "/surveys/{slug}/statements", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/statements.xlsx", "/surveys/{slug}/statements.xlsx", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/equality", "/surveys/{slug}/equality", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/equality.xlsx", "/surveys/{slug}/equality.xlsx", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/downloads", "/surveys/{slug}/downloads", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/board-pack", "/surveys/{slug}/board-pack", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/themes", "/surveys/{slug}/themes", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/themes.xlsx", "/surveys/{slug}/themes.xlsx", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/comments", "/surveys/{slug}/comments", [5]int{see, deny, ok, ok, ok}},
	{"POST", "/surveys/:slug/comments/themes", "/surveys/{slug}/comments/themes", [5]int{see, deny, deny, bad, bad}},
	{"GET", "/surveys/:slug/setup", "/surveys/{slug}/setup", [5]int{see, deny, deny, ok, ok}},
	{"POST", "/surveys/:slug/setup/rename", "/surveys/{slug}/setup/rename", [5]int{see, deny, deny, bad, bad}},
	{"POST", "/surveys/:slug/setup/delete", "/surveys/{slug}/setup/delete", [5]int{see, deny, deny, ok, ok}},
	{"POST", "/surveys/:slug/setup/relabel", "/surveys/{slug}/setup/relabel", [5]int{see, deny, deny, bad, bad}},
	{"POST", "/surveys/:slug/setup/column", "/surveys/{slug}/setup/column", [5]int{see, deny, deny, gone, gone}},
	{"GET", "/surveys/:slug/setup/scale", "/surveys/{slug}/setup/scale", [5]int{see, deny, deny, gone, gone}},
	{"POST", "/surveys/:slug/setup/scale", "/surveys/{slug}/setup/scale", [5]int{see, deny, deny, gone, gone}},
	{"GET", "/admin/users", "/admin/users", [5]int{see, deny, deny, deny, ok}},
	{"POST", "/admin/users", "/admin/users", [5]int{see, deny, deny, deny, bad}},
	{"POST", "/admin/users/:id/role", "/admin/users/999999/role", [5]int{see, deny, deny, deny, gone}},
	{"POST", "/admin/users/:id/disable", "/admin/users/999999/disable", [5]int{see, deny, deny, deny, gone}},
	{"POST", "/admin/users/:id/enable", "/admin/users/999999/enable", [5]int{see, deny, deny, deny, gone}},
	{"GET", "/admin/tokens", "/admin/tokens", [5]int{see, deny, deny, deny, ok}},
	{"POST", "/admin/tokens", "/admin/tokens", [5]int{see, deny, deny, deny, bad}},
	{"POST", "/admin/tokens/:id/revoke", "/admin/tokens/999999/revoke", [5]int{see, deny, deny, deny, gone}},
	{"GET", "/admin/audit", "/admin/audit", [5]int{see, deny, deny, deny, ok}},
	{"GET", "/admin/retention", "/admin/retention", [5]int{see, deny, deny, deny, ok}},
	{"POST", "/admin/retention", "/admin/retention", [5]int{see, deny, deny, deny, bad}},
	{"POST", "/admin/retention/purge", "/admin/retention/purge", [5]int{see, deny, deny, deny, bad}},
	{"POST", "/admin/disclosure", "/admin/disclosure", [5]int{see, deny, deny, deny, bad}},
	{"GET", "/admin/benchmark", "/admin/benchmark", [5]int{see, deny, deny, deny, ok}},
	{"POST", "/admin/benchmark", "/admin/benchmark", [5]int{see, deny, deny, deny, bad}},
	{"GET", "/api/v1/surveys", "/api/v1/surveys", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/questions", "/api/v1/surveys/{slug}/questions", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/report", "/api/v1/surveys/{slug}/report", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/statements", "/api/v1/surveys/{slug}/statements", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/statements.csv", "/api/v1/surveys/{slug}/statements.csv", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/trends.csv", "/api/v1/surveys/{slug}/trends.csv", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/trends.zip", "/api/v1/surveys/{slug}/trends.zip", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/actions", "/api/v1/surveys/{slug}/actions", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/actions", "/surveys/{slug}/actions", [5]int{see, ok, ok, ok, ok}},
	{"POST", "/surveys/:slug/actions", "/surveys/{slug}/actions", [5]int{see, deny, deny, bad, bad}},
	{"GET", "/surveys/:slug/actions.csv", "/surveys/{slug}/actions.csv", [5]int{see, ok, ok, ok, ok}},
	{"GET", "/surveys/:slug/actions/:id/edit", "/surveys/{slug}/actions/999999/edit", [5]int{see, deny, deny, gone, gone}},
	{"POST", "/surveys/:slug/actions/:id/edit", "/surveys/{slug}/actions/999999/edit", [5]int{see, deny, deny, gone, gone}},
	{"POST", "/surveys/:slug/actions/:id/delete", "/surveys/{slug}/actions/999999/delete", [5]int{see, deny, deny, gone, gone}},
	{"GET", "/api/v1/benchmarks", "/api/v1/benchmarks?measure=3A", [5]int{anon, bad, bad, bad, bad}},
	{"GET", "/api/v1/surveys/:slug/themes", "/api/v1/surveys/{slug}/themes", [5]int{anon, ok, ok, ok, ok}},
	{"GET", "/api/v1/surveys/:slug/themes.csv", "/api/v1/surveys/{slug}/themes.csv", [5]int{anon, ok, ok, ok, ok}},
	{"POST", "/api/v1/imports", "/api/v1/imports", [5]int{anon, deny, deny, bad, bad}},
}

// matrixFixture is a server holding the demo survey, with an account and
// API token of each role.
type matrixFixture struct {
	srv        *Server
	h          http.Handler
	tokens     map[string]string
	slug, code string
}

func newMatrixFixture(t testing.TB) matrixFixture {
	t.Helper()
	f := newPagesFixture(t)
	m := matrixFixture{srv: f.srv, h: f.srv.Handler(), slug: f.demo, tokens: map[string]string{}}
	for _, role := range analytics.UserRoles() {
		a := createAccount(t, f.srv.store, string(role)+"-matrix@example.org", role)
		m.tokens[string(role)] = a.token
		if role == analytics.RoleAnalyst { // analysts change and read the comments of their own surveys
			sv, err := f.srv.store.SurveyBySlug(t.Context(), f.demo)
			if err == nil {
				err = f.srv.store.AddSurveyMember(t.Context(), sv.ID, a.user.ID, analytics.CommandLine("test"))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	rec := m.do(t, "admin", "GET", "/api/v1/surveys/"+m.slug+"/questions")
	var qs SurveyQuestionsJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &qs); err != nil || len(qs.Questions) == 0 {
		t.Fatalf("the demo survey's questions: %v %s", err, rec.Body)
	}
	m.code = qs.Questions[0].Code
	return m
}

// do makes a request as role ("none" for no account).
func (m matrixFixture) do(t testing.TB, role, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if role != "none" {
		req.Header.Set("Authorization", "Bearer "+m.tokens[role])
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	return rec
}

// TestRouteMatrix walks every route with every role and no role, and
// checks the status against routeTable; every route of the server must
// be in the table.
func TestRouteMatrix(t *testing.T) {
	m := newMatrixFixture(t)
	var registered []string
	for _, r := range m.srv.engine().Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	var listed []string
	for _, r := range routeTable {
		listed = append(listed, r.method+" "+r.route)
	}
	slices.Sort(registered)
	slices.Sort(listed)
	if !slices.Equal(registered, listed) {
		t.Fatalf("the routes and the table differ:\nroutes %q\ntable  %q", registered, listed)
	}
	for _, r := range routeTable {
		path := strings.NewReplacer("{slug}", m.slug, "{code}", m.code).Replace(r.path)
		for i, role := range matrixRoles {
			t.Run(fmt.Sprintf("%s %s as %s", r.method, r.route, role), func(t *testing.T) {
				rec := m.do(t, role, r.method, path)
				if rec.Code != r.want[i] {
					t.Fatalf("%s %s as %s: %d, want %d (%s)", r.method, path, role, rec.Code, r.want[i], firstLine(rec.Body.String()))
				}
				loc := rec.Header().Get("Location")
				if role == "none" && rec.Code == see && r.route != "/logout" && !strings.HasPrefix(loc, "/login") {
					t.Errorf("without an account %s %s leads to %q, want the sign-in page", r.method, path, loc)
				}
				if r.route != "/login" && r.route != "/logout" && role != "none" && strings.HasPrefix(loc, "/login") {
					t.Errorf("as %s %s %s leads to the sign-in page", role, r.method, path)
				}
			})
		}
	}
}

// TestRouteMatrixHostileQueries walks every route of routeTable with every
// role and no role once more, with hostile queries: a confidence that is
// not a finite number is refused (422) wherever a page would have
// answered, never a 500; a hostile next never leads off the site; more than 10,000 parameters are refused (400)
// before anything else, sign-in included.
func TestRouteMatrixHostileQueries(t *testing.T) {
	m := newMatrixFixture(t)
	tooMany := strings.Repeat("where=team%3Dx&", 10000) + "by=team"
	for _, r := range routeTable {
		path := strings.NewReplacer("{slug}", m.slug, "{code}", m.code).Replace(r.path)
		for i, role := range matrixRoles {
			t.Run(fmt.Sprintf("%s %s as %s", r.method, r.route, role), func(t *testing.T) {
				for _, conf := range []string{"NaN", "-Inf", "1e400"} {
					if r.method != "GET" {
						break // a form does not read a confidence (and sign-ins would reach the rate limit)
					}
					rec := m.do(t, role, r.method, path+"?confidence="+conf)
					if rec.Code >= 500 || (rec.Code != r.want[i] && (r.want[i] != ok || rec.Code != bad)) {
						t.Errorf("confidence=%s: %d, want %d (or 422 for 200) (%s)", conf, rec.Code, r.want[i], firstLine(rec.Body.String()))
					}
				}
				if rec := m.do(t, role, r.method, path+"?next=%2F%09%2Fevil.example"); !staysOnSite(rec.Header().Get("Location")) {
					t.Errorf("next=/\t/evil.example: %d leads to %q", rec.Code, rec.Header().Get("Location"))
				}
				if rec := m.do(t, role, r.method, path+"?"+tooMany); rec.Code != http.StatusBadRequest {
					t.Errorf("10,001 parameters: %d, want 400 (%s)", rec.Code, firstLine(rec.Body.String()))
				}
			})
		}
	}
}

// TestDenyByDefault checks that a route declaring no access rule is
// refused, even to an admin.
func TestDenyByDefault(t *testing.T) {
	srv, _ := newTestServer(t)
	admin := createAccount(t, srv.store, "second-admin@example.org", analytics.RoleAdmin)
	r := gin.New()
	r.Use(srv.authenticate())
	reached := false
	r.GET("/undeclared", srv.handle(func(c *gin.Context) error { reached = true; return nil }))
	req := httptest.NewRequest("GET", "/undeclared", nil)
	req.Header.Set("Authorization", "Bearer "+admin.token)
	rec := httptest.NewRecorder()
	srv.sessions.wrap(r).ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || reached {
		t.Fatalf("a route without an access rule answered %d (handler reached: %v), want 403", rec.Code, reached)
	}
}

// TestBoardAlwaysBoardMode checks that a board member's reports have
// disclosure control on whatever the query asks, and staff's do not.
func TestBoardAlwaysBoardMode(t *testing.T) {
	m := newMatrixFixture(t)
	for _, tc := range []struct {
		name, role, query string
		board             bool
	}{
		{"board asking for staff figures", "board", "&board=0", true},
		{"board asking nothing", "board", "", true},
		{"board with partial responses", "board", "&include_partial=1&board=off", true},
		{"viewer", "viewer", "", false},
		{"viewer asking for board", "viewer", "&board=1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := m.do(t, tc.role, "GET", "/api/v1/surveys/"+m.slug+"/report?question="+m.code+tc.query)
			var rep struct {
				Board bool `json:"board"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rec.Code != ok {
				t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
			}
			if rep.Board != tc.board {
				t.Errorf("board = %v, want %v", rep.Board, tc.board)
			}
		})
	}
	page := m.do(t, "board", "GET", "/surveys/"+m.slug+"?board=0").Body.String()
	if !strings.Contains(page, `id="board-notice"`) {
		t.Error("the board's dashboard is not in board view")
	}
}

// TestUploadBelongsToUploader checks the object check of uploads: another
// analyst can neither see nor confirm one's upload; an admin can see it.
func TestUploadBelongsToUploader(t *testing.T) {
	m := newMatrixFixture(t)
	other := createAccount(t, m.srv.store, "other-analyst@example.org", analytics.RoleAnalyst)
	m.tokens["other"] = other.token
	body, ctype := multipartBody(t, "smartsurvey-small.csv", fixture("smartsurvey-small.csv"), map[string]string{"survey": "Owned"})
	req := httptest.NewRequest("POST", "/upload", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+m.tokens["analyst"])
	rec := doReq(m.h, req)
	loc := rec.Header().Get("Location")
	if rec.Code != see || !strings.HasPrefix(loc, "/upload/") {
		t.Fatalf("upload: %d %q %s", rec.Code, loc, rec.Body)
	}
	for _, tc := range []struct {
		role, method string
		want         int
	}{
		{"other", "GET", gone},
		{"other", "POST", gone},
		{"analyst", "GET", ok},
		{"admin", "GET", ok},
	} {
		if got := m.do(t, tc.role, tc.method, loc).Code; got != tc.want {
			t.Errorf("%s %s as %s: %d, want %d", tc.method, loc, tc.role, got, tc.want)
		}
	}
}

// TestAccountInHeader checks that pages show the account, its sign-out
// button and, to admins only, the admin pages.
func TestAccountInHeader(t *testing.T) {
	m := newMatrixFixture(t)
	for _, tc := range []struct {
		role                   string
		admin, upload, imports bool
	}{{"admin", true, true, true}, {"analyst", false, true, true}, {"viewer", false, false, true}, {"board", false, false, false}} {
		page := m.do(t, tc.role, "GET", "/").Body.String()
		if strings.Contains(page, `href="/upload"`) != tc.upload || strings.Contains(page, `href="/imports"`) != tc.imports {
			t.Errorf("%s: the navigation's upload and imports links: %v %v, want %v %v", tc.role,
				strings.Contains(page, `href="/upload"`), strings.Contains(page, `href="/imports"`), tc.upload, tc.imports)
		}
		if !strings.Contains(page, `id="sign-out"`) || !strings.Contains(page, tc.role+"-matrix@example.org") {
			t.Errorf("%s: the page lacks the account or its sign-out button", tc.role)
		}
		if strings.Contains(page, `href="/admin/audit"`) != tc.admin {
			t.Errorf("%s: link to the audit log shown: %v, want %v", tc.role, !tc.admin, tc.admin)
		}
	}
}
