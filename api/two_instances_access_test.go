package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// instanceStatus sends method path to one instance with token and returns
// the status.
func instanceStatus(t testing.TB, in *instance, token, method, path string) int {
	t.Helper()
	status, _ := instanceDo(t, in, token, method, path)
	return status
}

// TestTwoInstancesAccessChangesAtOnce: what an admin changes on instance A
// holds on instance B at the next request, whatever B answered before: a
// revoked token, an account made a viewer or disabled, and an import
// deleted (B's report, asked for just before, is not served again from B's
// cache).
func TestTwoInstancesAccessChangesAtOnce(t *testing.T) {
	ctx := context.Background()
	by := analytics.CommandLine("test")
	a, b := newInstances(t)
	admin := createAccount(t, a.st, "admin@example.org", analytics.RoleAdmin)
	analyst := createAccount(t, a.st, "analyst@example.org", analytics.RoleAnalyst)
	if code, rep := postImport(t, b, analyst.token, headOf(t, fixture("smartsurvey-small.csv"), 15), "Care"); code != http.StatusCreated {
		t.Fatalf("the analyst's import on B: %d %v", code, rep)
	}
	if code, rep := postImport(t, b, analyst.token, fixture("smartsurvey-small.csv"), "Care"); code != http.StatusCreated {
		t.Fatalf("the analyst's second import on B: %d %v", code, rep)
	}
	sv, err := a.st.SurveyByName(ctx, "Care")
	if err != nil {
		t.Fatal(err)
	}
	report := "/api/v1/surveys/" + sv.Slug + "/report?period=all"

	// An import deleted on A: B's report is the one a fresh instance gives.
	before := instanceGet(t, b, admin.token, report)
	imports, err := a.st.Imports(ctx, sv.ID)
	if err != nil || len(imports) != 2 {
		t.Fatalf("imports %v %v", imports, err)
	}
	if _, err := a.st.DeleteImport(ctx, imports[len(imports)-1].ID, by); err != nil {
		t.Fatal(err)
	}
	after, fresh := instanceGet(t, b, admin.token, report), instanceGet(t, newInstance(t, "C", b.st), admin.token, report)
	if bytes.Equal(after, before) || !bytes.Equal(after, fresh) {
		t.Errorf("B's report after A deleted an import:\n%s\nbefore:\n%s\na fresh instance's:\n%s", after, before, fresh)
	}

	// A token revoked on A is refused on B.
	tok, secret, err := a.st.CreateToken(ctx, admin.user.ID, "script", by)
	if err != nil {
		t.Fatal(err)
	}
	if code := instanceStatus(t, b, secret, "GET", report); code != http.StatusOK {
		t.Fatalf("the new token on B: %d", code)
	}
	if err := a.st.RevokeToken(ctx, tok.ID, by); err != nil {
		t.Fatal(err)
	}
	if code := instanceStatus(t, b, secret, "GET", report); code != http.StatusUnauthorized {
		t.Errorf("a token revoked on A: B answers %d, want 401", code)
	}

	// The analyst made a viewer on A can no longer import on B; disabled,
	// can no longer read either.
	if err := a.st.SetUserRole(ctx, analyst.user.ID, analytics.RoleViewer, by); err != nil {
		t.Fatal(err)
	}
	if code, rep := postImport(t, b, analyst.token, headOf(t, fixture("smartsurvey-small.csv"), 5), "Other"); code != http.StatusForbidden {
		t.Errorf("an import by an account made a viewer on A: B answers %d %v, want 403", code, rep)
	}
	if code := instanceStatus(t, b, analyst.token, "GET", report); code != http.StatusOK {
		t.Errorf("the viewer's report on B: %d", code)
	}
	if err := a.st.SetUserDisabled(ctx, analyst.user.ID, true, by); err != nil {
		t.Fatal(err)
	}
	if code := instanceStatus(t, b, analyst.token, "GET", report); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("an account disabled on A: B answers %d, want 401 or 403", code)
	}
	if _, err := a.st.SurveyByName(ctx, "Other"); err == nil {
		t.Error("the viewer's refused import made a survey")
	}

	// A browser signed in on B, its account disabled on A: B opens no page.
	ann := createSignIn(t, a.st, "ann@example.org", testPassword, analytics.RoleAnalyst)
	c := twoInstanceBrowser(t)
	if resp := send(t, c, "POST", b.url+"/login", url.Values{"email": {"ann@example.org"}, "password": {testPassword}, "next": {"/imports"}},
		"Origin", b.url, "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on B: %d", resp.StatusCode)
	}
	if code := send(t, c, "GET", b.url+"/imports", nil).StatusCode; code != http.StatusOK {
		t.Fatalf("signed in on B: %d", code)
	}
	if err := a.st.SetUserDisabled(ctx, ann.ID, true, by); err != nil {
		t.Fatal(err)
	}
	for _, in := range []*instance{b, a} {
		if code := send(t, c, "GET", in.url+"/imports", nil).StatusCode; code == http.StatusOK {
			t.Errorf("a session of an account disabled on A still opens /imports on %s", in.name)
		}
	}
}
