package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/importers/synthetic"
)

// membersFixture is a server holding one survey ("Existing", without
// members), an admin, a viewer and two analysts: Mia, a member of
// Existing, and Nat, who is not.
type membersFixture struct {
	srv                     *Server
	h                       http.Handler
	existing                analytics.Survey
	admin, viewer, mia, nat testAccount
	files                   int
}

func newMembersFixture(t testing.TB) *membersFixture {
	t.Helper()
	srv, _ := newTestServer(t)
	f := &membersFixture{srv: srv, h: srv.Handler()}
	st := srv.store
	f.admin = createAccount(t, st, "boss@example.org", analytics.RoleAdmin)
	f.viewer = createAccount(t, st, "viewer@example.org", analytics.RoleViewer)
	f.mia = createAccount(t, st, "mia@example.org", analytics.RoleAnalyst)
	f.nat = createAccount(t, st, "nat@example.org", analytics.RoleAnalyst)
	rep, err := ingest.ImportFile(context.Background(), st, f.csv(t), "seed.csv", ingest.ImportParams{Survey: "Existing", By: "test"})
	if err != nil || rep.Refused() {
		t.Fatalf("import the first file: %v %+v", err, rep)
	}
	if f.existing, err = st.SurveyByName(context.Background(), "Existing"); err != nil {
		t.Fatal(err)
	}
	if err := st.AddSurveyMember(context.Background(), f.existing.ID, f.mia.user.ID, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	return f
}

// csv writes a new generated export, different from every other one of
// the fixture, so that no upload is refused as imported before.
func (f *membersFixture) csv(t testing.TB) string {
	t.Helper()
	f.files++
	path := filepath.Join(t.TempDir(), fmt.Sprintf("export-%d.csv", f.files))
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteCSV(file, 30, uint64(f.files)); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// send makes a request with the account's token.
func (f *membersFixture) send(t testing.TB, who testAccount, method, url string, body io.Reader, ct string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, url, body)
	req.Header.Set("Authorization", "Bearer "+who.token)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return doReq(f.h, req)
}

// imports counts the imports of the survey called name (0 when there is
// no such survey).
func (f *membersFixture) imports(t testing.TB, name string) int {
	t.Helper()
	sv, err := f.srv.store.SurveyByName(context.Background(), name)
	if err != nil {
		return 0
	}
	list, err := f.srv.store.Imports(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// isMember says whether who is a member of the survey called name.
func (f *membersFixture) isMember(t testing.TB, name string, who testAccount) bool {
	t.Helper()
	sv, err := f.srv.store.SurveyByName(context.Background(), name)
	if err != nil {
		t.Fatalf("survey %q: %v", name, err)
	}
	ok, err := f.srv.store.IsSurveyMember(context.Background(), sv.ID, who.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// lastDenial is the newest access-denied event of who, if any.
func (f *membersFixture) lastDenial(t testing.TB, who testAccount) (analytics.AuditEvent, bool) {
	t.Helper()
	list, err := f.srv.store.AuditEvents(context.Background(),
		store.AuditQuery{Action: analytics.AuditAccessDenied, UserID: who.user.ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		return analytics.AuditEvent{}, false
	}
	return list[0], true
}

// memberCase is one upload and what it must give.
type memberCase struct {
	name   string
	who    func(f *membersFixture) testAccount
	survey string
	// want is the status of the API import (the web upload's preview
	// gives 303 where the API gives 201).
	want int
	// member: the account is a member of the survey afterwards.
	member bool
}

var memberCases = []memberCase{
	{"an analyst not a member of the survey", func(f *membersFixture) testAccount { return f.nat }, "Existing", http.StatusForbidden, false},
	{"an analyst who is a member", func(f *membersFixture) testAccount { return f.mia }, "Existing", http.StatusCreated, true},
	{"an analyst naming a new survey", func(f *membersFixture) testAccount { return f.nat }, "Brand new", http.StatusCreated, true},
	{"an admin, not a member", func(f *membersFixture) testAccount { return f.admin }, "Existing", http.StatusCreated, false},
	{"an admin naming a new survey", func(f *membersFixture) testAccount { return f.admin }, "Admin's new", http.StatusCreated, false},
	{"a viewer", func(f *membersFixture) testAccount { return f.viewer }, "Brand new", http.StatusForbidden, false},
}

// TestImportAPIMembership imports through the API as each account into an
// existing survey and a new one.
func TestImportAPIMembership(t *testing.T) {
	for _, tc := range memberCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newMembersFixture(t)
			who := tc.who(f)
			before := f.imports(t, tc.survey)
			body, ct := multipartBody(t, "export.csv", f.csv(t), map[string]string{"survey": tc.survey})
			rec := f.send(t, who, "POST", "/api/v1/imports", body, ct)
			if rec.Code != tc.want {
				t.Fatalf("POST /api/v1/imports: %d %s, want %d", rec.Code, rec.Body, tc.want)
			}
			checkOutcome(t, f, tc, who, before)
			if tc.want == http.StatusForbidden && tc.who(f).user.Role == analytics.RoleAnalyst &&
				!strings.Contains(rec.Body.String(), "not a member of this survey") {
				t.Errorf("the refusal does not say why: %s", rec.Body)
			}
		})
	}
}

// TestUploadMembership uploads through the pages as each account: the
// preview is refused, or the upload confirmed and imported.
func TestUploadMembership(t *testing.T) {
	for _, tc := range memberCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newMembersFixture(t)
			who := tc.who(f)
			before := f.imports(t, tc.survey)
			body, ct := multipartBody(t, "export.csv", f.csv(t), map[string]string{"new_survey": tc.survey})
			rec := f.send(t, who, "POST", "/upload", body, ct)
			if tc.want == http.StatusForbidden {
				if rec.Code != http.StatusForbidden || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
					t.Fatalf("POST /upload: %d %s, want a 403 page", rec.Code, rec.Header().Get("Content-Type"))
				}
				checkOutcome(t, f, tc, who, before)
				return
			}
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("POST /upload: %d %s", rec.Code, rec.Body)
			}
			status := rec.Header().Get("Location")
			if rec := f.send(t, who, "POST", status, nil, ""); rec.Code != http.StatusSeeOther {
				t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
			}
			f.waitUpload(t, who, status)
			checkOutcome(t, f, tc, who, before)
		})
	}
}

// TestUploadConfirmRechecks previews an upload into a new survey, lets
// someone else create that survey meanwhile, and confirms: the analyst is
// not a member of it now, so the confirmation is refused.
func TestUploadConfirmRechecks(t *testing.T) {
	f := newMembersFixture(t)
	body, ct := multipartBody(t, "export.csv", f.csv(t), map[string]string{"new_survey": "Contested"})
	rec := f.send(t, f.nat, "POST", "/upload", body, ct)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /upload: %d %s", rec.Code, rec.Body)
	}
	status := rec.Header().Get("Location")
	body, ct = multipartBody(t, "other.csv", f.csv(t), map[string]string{"survey": "Contested"})
	if rec := f.send(t, f.mia, "POST", "/api/v1/imports", body, ct); rec.Code != http.StatusCreated {
		t.Fatalf("Mia's import: %d %s", rec.Code, rec.Body)
	}
	if rec := f.send(t, f.nat, "POST", status, nil, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("confirming into a survey now Mia's: %d, want 403", rec.Code)
	}
	if n := f.imports(t, "Contested"); n != 1 {
		t.Errorf("survey Contested has %d imports, want Mia's only", n)
	}
	if f.isMember(t, "Contested", f.nat) || !f.isMember(t, "Contested", f.mia) {
		t.Error("the membership of Contested is not Mia's alone")
	}
}

// checkOutcome checks what an upload left: on a refusal nothing written,
// no file kept and the refusal audited; otherwise one more import. Then
// the membership.
func checkOutcome(t *testing.T, f *membersFixture, tc memberCase, who testAccount, before int) {
	t.Helper()
	after := f.imports(t, tc.survey)
	if tc.want == http.StatusForbidden {
		if after != before {
			t.Errorf("a refused upload changed the survey's imports from %d to %d", before, after)
		}
		if entries, _ := os.ReadDir(f.srv.uploads.dir); len(entries) != 0 {
			t.Errorf("a refused upload left files behind: %v", entries)
		}
		if _, ok := f.lastDenial(t, who); !ok {
			t.Error("the refusal is not in the audit log")
		}
		if tc.survey == "Brand new" && f.imports(t, "Brand new") != 0 {
			t.Error("a refused upload created the survey")
		}
		return
	}
	if after != before+1 {
		t.Errorf("the survey has %d imports after the upload, want %d", after, before+1)
	}
	if got := f.isMember(t, tc.survey, who); got != tc.member {
		t.Errorf("member of %q after the upload = %v, want %v", tc.survey, got, tc.member)
	}
}

// waitUpload waits until the upload at status has finished importing.
func (f *membersFixture) waitUpload(t testing.TB, who testAccount, status string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		page := f.send(t, who, "GET", status, nil, "").Body.String()
		if !strings.Contains(page, `http-equiv="refresh"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upload did not finish: %s", page)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNeedsMembership(t *testing.T) {
	for _, tc := range []struct {
		role analytics.UserRole
		perm analytics.Permission
		want bool
	}{
		{analytics.RoleAnalyst, analytics.PermUpload, true},
		{analytics.RoleAnalyst, analytics.PermReadComments, true},
		{analytics.RoleAnalyst, analytics.PermReadStaff, false},
		{analytics.RoleAnalyst, analytics.PermReadAggregates, false},
		{analytics.RoleAdmin, analytics.PermUpload, false},
		{analytics.RoleAdmin, analytics.PermReadComments, false},
		{analytics.RoleViewer, analytics.PermReadComments, false},
	} {
		t.Run(string(tc.role)+" "+string(tc.perm), func(t *testing.T) {
			if got := needsMembership(tc.role, tc.perm); got != tc.want {
				t.Errorf("needsMembership = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSurveyScopedRoutes checks the routes that act on one survey's
// imports or comments: an analyst reaches only their own surveys', the
// other staff roles every survey's.
func TestSurveyScopedRoutes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		who    func(f *membersFixture) testAccount
		method string
		// path is the address, with {slug} for the survey and {import} for
		// its import's id.
		path, form string
		want       int
		// deleted: the survey's import is gone afterwards.
		deleted bool
	}{
		{"comments, analyst not a member", func(f *membersFixture) testAccount { return f.nat }, "GET", "/surveys/{slug}/comments", "", http.StatusForbidden, false},
		{"comments, analyst member", func(f *membersFixture) testAccount { return f.mia }, "GET", "/surveys/{slug}/comments", "", http.StatusOK, false},
		{"comments, viewer", func(f *membersFixture) testAccount { return f.viewer }, "GET", "/surveys/{slug}/comments", "", http.StatusOK, false},
		{"comments, admin", func(f *membersFixture) testAccount { return f.admin }, "GET", "/surveys/{slug}/comments", "", http.StatusOK, false},
		{"dashboard, analyst not a member", func(f *membersFixture) testAccount { return f.nat }, "GET", "/surveys/{slug}", "", http.StatusOK, false},
		{"delete preview, analyst not a member", func(f *membersFixture) testAccount { return f.nat }, "POST", "/imports/{import}/delete", "", http.StatusForbidden, false},
		{"delete, analyst not a member", func(f *membersFixture) testAccount { return f.nat }, "POST", "/imports/{import}/delete", "confirm=yes", http.StatusForbidden, false},
		{"delete, analyst member", func(f *membersFixture) testAccount { return f.mia }, "POST", "/imports/{import}/delete", "confirm=yes", http.StatusOK, true},
		{"delete, admin", func(f *membersFixture) testAccount { return f.admin }, "POST", "/imports/{import}/delete", "confirm=yes", http.StatusOK, true},
		{"delete, viewer", func(f *membersFixture) testAccount { return f.viewer }, "POST", "/imports/{import}/delete", "confirm=yes", http.StatusForbidden, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newMembersFixture(t)
			imports, err := f.srv.store.Imports(context.Background(), f.existing.ID)
			if err != nil || len(imports) != 1 {
				t.Fatalf("the survey's imports: %v %v", imports, err)
			}
			path := strings.NewReplacer("{slug}", f.existing.Slug, "{import}", fmt.Sprint(imports[0].ID)).Replace(tc.path)
			var body io.Reader
			ct := ""
			if tc.method == "POST" {
				body, ct = strings.NewReader(tc.form), "application/x-www-form-urlencoded"
			}
			rec := f.send(t, tc.who(f), tc.method, path, body, ct)
			if rec.Code != tc.want {
				t.Fatalf("%s %s: %d, want %d", tc.method, path, rec.Code, tc.want)
			}
			if gone := f.imports(t, "Existing") == 0; gone != tc.deleted {
				t.Errorf("import deleted = %v, want %v", gone, tc.deleted)
			}
			if tc.want == http.StatusForbidden {
				if _, ok := f.lastDenial(t, tc.who(f)); !ok {
					t.Error("the refusal is not in the audit log")
				}
			}
		})
	}
}

// TestUploadFormSurveys checks that the upload page offers an analyst
// only the surveys they may upload into.
func TestUploadFormSurveys(t *testing.T) {
	f := newMembersFixture(t)
	for _, tc := range []struct {
		name  string
		who   testAccount
		offer bool
	}{
		{"analyst not a member", f.nat, false},
		{"analyst member", f.mia, true},
		{"admin", f.admin, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.send(t, tc.who, "GET", "/upload", nil, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /upload: %d", rec.Code)
			}
			if got := strings.Contains(rec.Body.String(), `<option value="Existing">`); got != tc.offer {
				t.Errorf("the page offers survey Existing: %v, want %v", got, tc.offer)
			}
		})
	}
}
