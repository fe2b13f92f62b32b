package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// postForm posts form fields to path, as role's token when role is not
// "", and with extra headers (name, value pairs).
func postForm(t testing.TB, h http.Handler, path string, form url.Values, token string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return doReq(h, req)
}

// surveyBase is the base of the overall figure of a survey's first scale
// question over all its responses, built through the server's report
// cache: 0 when the survey holds no responses.
func surveyBase(t testing.TB, srv *Server, slug string) int64 {
	t.Helper()
	ctx := context.Background()
	sv, err := srv.store.SurveyBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	qs, _, err := srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, q := range qs {
		if code == "" && (q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle) {
			code = q.Code
		}
	}
	rep, err := srv.surveyReport(ctx, sv, report.Params{Survey: sv.Name, Question: code, Period: "all", IncludePartial: true})
	if err != nil {
		t.Fatalf("report of %s: %v", slug, err)
	}
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup && r.N != nil {
			return *r.N
		}
	}
	return 0
}

// realImport returns the id of the SmartSurvey export's import and the
// number of responses its survey holds.
func realImport(t testing.TB, f pagesFixture) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	sv, err := f.srv.store.SurveyBySlug(ctx, f.real)
	if err != nil {
		t.Fatal(err)
	}
	imports, err := f.srv.store.Imports(ctx, sv.ID)
	if err != nil || len(imports) != 1 {
		t.Fatalf("imports of the SmartSurvey export: %v %v", imports, err)
	}
	n, err := f.srv.store.ResponseCount(ctx, sv.ID)
	if err != nil || n == 0 {
		t.Fatalf("responses of the SmartSurvey export: %d %v", n, err)
	}
	return imports[0].ID, n
}

func TestImportDeletePage(t *testing.T) {
	for _, role := range []analytics.UserRole{analytics.RoleAdmin, analytics.RoleAnalyst} {
		t.Run(string(role), func(t *testing.T) {
			f := newPagesFixture(t)
			acct := createAccount(t, f.srv.store, "deleter@example.org", role)
			token := acct.token
			id, held := realImport(t, f)
			if role == analytics.RoleAnalyst { // an analyst deletes the imports of their own surveys
				sv, _ := f.srv.store.SurveyBySlug(context.Background(), f.real)
				if err := f.srv.store.AddSurveyMember(context.Background(), sv.ID, acct.user.ID, analytics.CommandLine("test")); err != nil {
					t.Fatal(err)
				}
			}
			base := surveyBase(t, f.srv, f.real) // builds and caches the report
			if base == 0 {
				t.Fatal("the SmartSurvey export's report has no base")
			}
			action := "/imports/" + strconv.FormatInt(id, 10) + "/delete"

			req := httptest.NewRequest("GET", "/imports", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			if page := doReq(f.h, req).Body.String(); !strings.Contains(page, `action="`+action+`"`) {
				t.Fatalf("the imports page has no Delete button posting to %s", action)
			}

			rec := postForm(t, f.h, action, nil, token)
			page := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(page, `<td id="delete-count">`+strconv.FormatInt(held, 10)+`</td>`) ||
				!strings.Contains(page, `name="confirm" value="yes"`) {
				t.Fatalf("the confirmation: %d, want a count of %d and a confirm button\n%s", rec.Code, held, page)
			}
			checkPage(t, "confirmation", page)
			if _, n := realImport(t, f); n != held {
				t.Fatalf("the confirmation step deleted responses: %d left of %d", n, held)
			}

			rec = postForm(t, f.h, action, url.Values{"confirm": {"yes"}}, token)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Import deleted") {
				t.Fatalf("the delete: %d %s", rec.Code, firstLine(rec.Body.String()))
			}
			sv, _ := f.srv.store.SurveyBySlug(context.Background(), f.real)
			if n, err := f.srv.store.ResponseCount(context.Background(), sv.ID); err != nil || n != 0 {
				t.Fatalf("after the delete the survey holds %d responses (%v), want 0", n, err)
			}
			if got := surveyBase(t, f.srv, f.real); got != 0 {
				t.Errorf("after the delete the report's base is %d (was %d), want 0: a stale report was served", got, base)
			}
			e := latestEvent(t, f.srv, analytics.AuditImportDelete)
			if e.Who != "deleter@example.org" || !strings.Contains(e.Detail, strconv.FormatInt(held, 10)+" responses") {
				t.Errorf("audit event %+v, want the deleter and %d responses", e, held)
			}
			if rec := postForm(t, f.h, action, url.Values{"confirm": {"yes"}}, token); rec.Code != http.StatusNotFound {
				t.Errorf("deleting it again: %d, want 404", rec.Code)
			}
		})
	}
}

func TestImportDeleteRefused(t *testing.T) {
	f := newPagesFixture(t)
	id, held := realImport(t, f)
	action := "/imports/" + strconv.FormatInt(id, 10) + "/delete"
	tokens := map[analytics.UserRole]string{}
	for _, role := range analytics.UserRoles() {
		tokens[role] = createAccount(t, f.srv.store, string(role)+"-delete@example.org", role).token
	}
	cases := []struct {
		name    string
		send    func() *httptest.ResponseRecorder
		status  int
		buttons bool
	}{
		{"viewer", func() *httptest.ResponseRecorder {
			return postForm(t, f.h, action, url.Values{"confirm": {"yes"}}, tokens[analytics.RoleViewer])
		}, http.StatusForbidden, false},
		{"board", func() *httptest.ResponseRecorder {
			return postForm(t, f.h, action, url.Values{"confirm": {"yes"}}, tokens[analytics.RoleBoard])
		}, http.StatusForbidden, false},
		{"a GET", func() *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", action+"?confirm=yes", nil)
			req.Header.Set("Authorization", "Bearer "+tokens[analytics.RoleAdmin])
			return doReq(f.h, req)
		}, http.StatusNotFound, false},
		{"from another site", func() *httptest.ResponseRecorder {
			return postForm(t, f.h, action, url.Values{"confirm": {"yes"}}, tokens[analytics.RoleAdmin], "Sec-Fetch-Site", "cross-site")
		}, http.StatusForbidden, false},
		{"an import id that is not a number", func() *httptest.ResponseRecorder {
			return postForm(t, f.h, "/imports/x1/delete", url.Values{"confirm": {"yes"}}, tokens[analytics.RoleAdmin])
		}, http.StatusNotFound, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if rec := tc.send(); rec.Code != tc.status {
				t.Fatalf("%d, want %d (%s)", rec.Code, tc.status, firstLine(rec.Body.String()))
			}
			if _, n := realImport(t, f); n != held {
				t.Fatalf("%d responses left of %d", n, held)
			}
		})
	}
	req := httptest.NewRequest("GET", "/imports", nil)
	req.Header.Set("Authorization", "Bearer "+tokens[analytics.RoleViewer])
	if page := doReq(f.h, req).Body.String(); strings.Contains(page, "/delete") {
		t.Error("a viewer's imports page shows Delete buttons")
	}
}

// latestEvent returns the newest audit event of action.
func latestEvent(t testing.TB, srv *Server, action analytics.AuditAction) analytics.AuditEvent {
	t.Helper()
	list, err := srv.store.AuditEvents(context.Background(), store.AuditQuery{Action: action, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("audit events of %s: %v %v", action, list, err)
	}
	return list[0]
}

// TestImportDeleteButtons checks who sees which Delete buttons on the
// imports page: an admin every import's, an analyst those of their own
// surveys, a viewer none.
func TestImportDeleteButtons(t *testing.T) {
	f := newPagesFixture(t)
	ctx := context.Background()
	id, _ := realImport(t, f)
	real := "/imports/" + strconv.FormatInt(id, 10) + "/delete"
	demo, err := f.srv.store.SurveyBySlug(ctx, f.demo)
	if err != nil {
		t.Fatal(err)
	}
	demoImports, err := f.srv.store.Imports(ctx, demo.ID)
	if err != nil || len(demoImports) == 0 {
		t.Fatalf("the demo's imports: %v %v", demoImports, err)
	}
	demoAction := "/imports/" + strconv.FormatInt(demoImports[0].ID, 10) + "/delete"
	analyst := createAccount(t, f.srv.store, "member@example.org", analytics.RoleAnalyst)
	if err := f.srv.store.AddSurveyMember(ctx, demo.ID, analyst.user.ID, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, token string
		real, demo  bool
	}{
		{"admin", createAccount(t, f.srv.store, "a@example.org", analytics.RoleAdmin).token, true, true},
		{"analyst, member of the demo", analyst.token, false, true},
		{"viewer", createAccount(t, f.srv.store, "v@example.org", analytics.RoleViewer).token, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/imports", nil)
			req.Header.Set("Authorization", "Bearer "+tc.token)
			rec := doReq(f.h, req)
			page := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /imports: %d", rec.Code)
			}
			checkPage(t, tc.name, page)
			if got := strings.Contains(page, `action="`+real+`"`); got != tc.real {
				t.Errorf("Delete button of the SmartSurvey import: %v, want %v", got, tc.real)
			}
			if got := strings.Contains(page, `action="`+demoAction+`"`); got != tc.demo {
				t.Errorf("Delete button of the demo's import: %v, want %v", got, tc.demo)
			}
		})
	}
}
