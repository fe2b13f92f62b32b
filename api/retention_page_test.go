package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// retentionFixture is a server holding the demo survey and the SmartSurvey
// export (submitted from 1 April 2024), with an admin's token.
type retentionFixture struct {
	pagesFixture
	admin     string
	survey    analytics.Survey
	surveyArg string
}

func newRetentionFixture(t testing.TB) retentionFixture {
	t.Helper()
	f := retentionFixture{pagesFixture: newPagesFixture(t)}
	f.admin = createAccount(t, f.srv.store, "keeper@example.org", analytics.RoleAdmin).token
	sv, err := f.srv.store.SurveyBySlug(context.Background(), f.real)
	if err != nil {
		t.Fatal(err)
	}
	f.survey, f.surveyArg = sv, strconv.FormatInt(sv.ID, 10)
	return f
}

// held is the number of responses the SmartSurvey export's survey holds.
func (f retentionFixture) held(t testing.TB) int64 {
	t.Helper()
	n, err := f.srv.store.ResponseCount(context.Background(), f.survey.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// days is the survey's retention period (0: none).
func (f retentionFixture) days(t testing.TB) int {
	t.Helper()
	list, err := f.srv.store.Retentions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.SurveyID == f.survey.ID {
			return r.Days
		}
	}
	t.Fatalf("survey %d is not on the retention list", f.survey.ID)
	return 0
}

func TestRetentionPage(t *testing.T) {
	f := newRetentionFixture(t)
	req := httptest.NewRequest("GET", "/admin/retention", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	rec := doReq(f.h, req)
	page := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /admin/retention: %d", rec.Code)
	}
	checkPage(t, "retention", page)
	for _, want := range []string{f.survey.Name, "until deleted", "2024-04-01", `action="/admin/retention"`,
		`name="survey" value="` + f.surveyArg + `"`, "No period set", `<caption>`, `scope="row"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the retention page does not say %q", want)
		}
	}
	if strings.Contains(page, `action="/admin/retention/purge"`) {
		t.Error("a survey without a period has a Purge button")
	}
	if e := latestEvent(t, f.srv, analytics.AuditList); e.Object != "retention periods" || e.Who != "keeper@example.org" {
		t.Errorf("audit event %+v, want the list of retention periods by the admin", e)
	}
}

func TestRetentionSet(t *testing.T) {
	f := newRetentionFixture(t)
	cases := []struct {
		name, days string
		status     int
		want       int
	}{
		{"a period", "30", http.StatusSeeOther, 30},
		{"with spaces", " 400 ", http.StatusSeeOther, 400},
		{"empty keeps until deleted", "", http.StatusSeeOther, 0},
		{"then a period again", "90", http.StatusSeeOther, 90},
		{"zero", "0", http.StatusUnprocessableEntity, 90},
		{"negative", "-5", http.StatusUnprocessableEntity, 90},
		{"not a number", "a year", http.StatusUnprocessableEntity, 90},
		{"too long", strconv.Itoa(store.MaxRetentionDays + 1), http.StatusUnprocessableEntity, 90},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := postForm(t, f.h, "/admin/retention", url.Values{"survey": {f.surveyArg}, "days": {tc.days}}, f.admin)
			if rec.Code != tc.status {
				t.Fatalf("POST days=%q: %d, want %d (%s)", tc.days, rec.Code, tc.status, firstLine(rec.Body.String()))
			}
			if got := f.days(t); got != tc.want {
				t.Fatalf("the period is %d days, want %d", got, tc.want)
			}
			if tc.status != http.StatusSeeOther {
				return
			}
			loc := rec.Header().Get("Location")
			req := httptest.NewRequest("GET", loc, nil)
			req.Header.Set("Authorization", "Bearer "+f.admin)
			page := doReq(f.h, req).Body.String()
			if !strings.Contains(page, `id="retention-saved"`) || !strings.Contains(page, f.survey.Name) {
				t.Errorf("the page after saving (%s) does not say it was saved", loc)
			}
			if e := latestEvent(t, f.srv, analytics.AuditRetentionSet); e.Who != "keeper@example.org" {
				t.Errorf("audit event %+v, want one by the admin", e)
			}
		})
	}
	for _, bad := range []url.Values{{"days": {"30"}}, {"survey": {"x"}, "days": {"30"}}} {
		if rec := postForm(t, f.h, "/admin/retention", bad, f.admin); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("POST %v: %d, want 422", bad, rec.Code)
		}
	}
	if rec := postForm(t, f.h, "/admin/retention", url.Values{"survey": {"999999"}, "days": {"30"}}, f.admin); rec.Code != http.StatusNotFound {
		t.Errorf("POST for an unknown survey: %d, want 404", rec.Code)
	}
}

func TestRetentionPurge(t *testing.T) {
	f := newRetentionFixture(t)
	form := url.Values{"survey": {f.surveyArg}}
	if rec := postForm(t, f.h, "/admin/retention/purge", form, f.admin); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "no retention period") {
		t.Fatalf("purging a survey without a period: %d, want 422 saying so", rec.Code)
	}
	held, base := f.held(t), surveyBase(t, f.srv, f.real)
	if err := f.srv.store.SetRetention(context.Background(), f.survey.ID, 30, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	// At 1 June 2024, 30 days keep what was submitted from 2 May 2024.
	dry := url.Values{"survey": {f.surveyArg}, "now": {"2024-06-01T00:00:00Z"}}
	want, err := f.srv.store.Purge(context.Background(), store.PurgeRequest{SurveyID: f.survey.ID,
		Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), DryRun: true}, analytics.CommandLine("test"))
	if err != nil || len(want) != 1 || want[0].Responses == 0 || want[0].Responses == held {
		t.Fatalf("the store's dry run: %+v %v, want some of %d responses", want, err, held)
	}
	n := want[0].Responses

	rec := postForm(t, f.h, "/admin/retention/purge", dry, f.admin)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, "<strong>"+strconv.FormatInt(n, 10)+"</strong>") ||
		!strings.Contains(page, `name="confirm" value="yes"`) || !strings.Contains(page, `value="2024-06-01T00:00:00Z"`) {
		t.Fatalf("the confirmation: %d, want %d responses and a confirm button\n%s", rec.Code, n, page)
	}
	checkPage(t, "purge confirmation", page)
	if got := f.held(t); got != held {
		t.Fatalf("the dry run deleted responses: %d left of %d", got, held)
	}
	if e := latestEvent(t, f.srv, analytics.AuditRetentionPurge); !strings.Contains(e.Detail, "dry run") {
		t.Errorf("audit event %+v, want the dry run", e)
	}

	for _, refused := range []struct {
		name    string
		headers []string
	}{{"from another site", []string{"Sec-Fetch-Site", "cross-site"}}} {
		confirm := url.Values{"survey": {f.surveyArg}, "now": {"2024-06-01T00:00:00Z"}, "confirm": {"yes"}}
		if rec := postForm(t, f.h, "/admin/retention/purge", confirm, f.admin, refused.headers...); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", refused.name, rec.Code)
		}
	}
	if got := f.held(t); got != held {
		t.Fatalf("a refused purge deleted responses: %d left of %d", got, held)
	}

	confirm := url.Values{"survey": {f.surveyArg}, "now": {"2024-06-01T00:00:00Z"}, "confirm": {"yes"}}
	rec = postForm(t, f.h, "/admin/retention/purge", confirm, f.admin)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), strconv.FormatInt(n, 10)+" responses of") {
		t.Fatalf("the purge: %d %s", rec.Code, rec.Body)
	}
	if got := f.held(t); got != held-n {
		t.Fatalf("after the purge %d responses are left, want %d - %d", got, held, n)
	}
	if got := surveyBase(t, f.srv, f.real); got >= base {
		t.Errorf("after the purge the report's base is %d, was %d: a stale report was served", got, base)
	}
	e := latestEvent(t, f.srv, analytics.AuditRetentionPurge)
	if e.Who != "keeper@example.org" || !strings.Contains(e.Detail, strconv.FormatInt(n, 10)+" responses") {
		t.Errorf("audit event %+v, want the purge of %d responses by the admin", e, n)
	}
}

// TestRetentionPurgeLaterNow checks that a forged time after now is not
// used: the purge counts back from the present instead.
func TestRetentionPurgeLaterNow(t *testing.T) {
	f := newRetentionFixture(t)
	if err := f.srv.store.SetRetention(context.Background(), f.survey.ID, store.MaxRetentionDays, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	held := f.held(t)
	confirm := url.Values{"survey": {f.surveyArg}, "now": {"2199-01-01T00:00:00Z"}, "confirm": {"yes"}}
	if rec := postForm(t, f.h, "/admin/retention/purge", confirm, f.admin); rec.Code != http.StatusOK {
		t.Fatalf("the purge: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	if got := f.held(t); got != held {
		t.Fatalf("a purge dated 2199 deleted responses kept for 100 years: %d left of %d", got, held)
	}
}

func TestRetentionRefused(t *testing.T) {
	f := newRetentionFixture(t)
	if err := f.srv.store.SetRetention(context.Background(), f.survey.ID, 1, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	held := f.held(t)
	for _, role := range []analytics.UserRole{analytics.RoleBoard, analytics.RoleViewer, analytics.RoleAnalyst} {
		token := createAccount(t, f.srv.store, string(role)+"-retention@example.org", role).token
		for _, path := range []string{"/admin/retention", "/admin/retention/purge"} {
			form := url.Values{"survey": {f.surveyArg}, "days": {"5"}, "confirm": {"yes"}}
			if rec := postForm(t, f.h, path, form, token); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s as %s: %d, want 403", path, role, rec.Code)
			}
		}
	}
	if got, days := f.held(t), f.days(t); got != held || days != 1 {
		t.Fatalf("refused requests changed something: %d responses of %d, %d days", got, held, days)
	}
	req := httptest.NewRequest("GET", "/admin/retention/purge?survey="+f.surveyArg+"&confirm=yes", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	if rec := doReq(f.h, req); rec.Code != http.StatusNotFound || f.held(t) != held {
		t.Fatalf("GET of the purge: %d, want 404 and nothing deleted", rec.Code)
	}
}
