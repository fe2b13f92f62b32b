package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
)

// getAs requests path as the account of token.
func getAs(h http.Handler, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return doReq(h, req)
}

// columnByText returns the code of the survey's question or dimension
// whose label starts with prefix, and whether it is a dimension.
func columnByText(t testing.TB, srv *Server, slug, prefix string) (analytics.Survey, string, bool) {
	t.Helper()
	sv, err := srv.store.SurveyBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := srv.store.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if strings.HasPrefix(q.Text, prefix) {
			return sv, q.Code, false
		}
	}
	for _, d := range ds {
		if strings.HasPrefix(d.Name, prefix) {
			return sv, d.Code, true
		}
	}
	t.Fatalf("survey %s has no column %q", slug, prefix)
	return sv, "", false
}

// setupFixture is the pages fixture with an analyst who is a member of
// the real export's survey.
func setupFixture(t testing.TB) (pagesFixture, string) {
	t.Helper()
	f := newPagesFixture(t)
	acct := createAccount(t, f.srv.store, "setup-analyst@example.org", analytics.RoleAnalyst)
	sv, err := f.srv.store.SurveyBySlug(context.Background(), f.real)
	if err == nil {
		err = f.srv.store.AddSurveyMember(context.Background(), sv.ID, acct.user.ID, analytics.CommandLine("test"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return f, acct.token
}

func TestSetupRefused(t *testing.T) {
	f, analyst := setupFixture(t)
	base := "/surveys/" + f.real + "/setup"
	_, code, _ := columnByText(t, f.srv, f.real, "Overall")
	tokens := map[string]string{}
	for _, role := range []analytics.UserRole{analytics.RoleBoard, analytics.RoleViewer, analytics.RoleAnalyst} {
		tokens[string(role)] = createAccount(t, f.srv.store, string(role)+"-setup@example.org", role).token
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{base + "/rename", url.Values{"name": {"Renamed"}}},
		{base + "/delete", url.Values{"confirm": {"yes"}}},
		{base + "/relabel", url.Values{"code": {code}, "label": {"Changed"}}},
		{base + "/column", url.Values{"code": {code}, "kind": {"dimension"}, "confirm": {"yes"}}},
		{base + "/scale", url.Values{"code": {code}, "p0": {"positive"}, "confirm": {"yes"}}},
	}
	for _, who := range []string{"board", "viewer", "analyst"} { // the analyst is not a member of the survey
		if rec := getAs(f.h, base, tokens[who]); rec.Code != http.StatusForbidden {
			t.Errorf("GET the set-up page as %s: %d, want 403", who, rec.Code)
		}
		if rec := getAs(f.h, base+"/scale?code="+code, tokens[who]); rec.Code != http.StatusForbidden {
			t.Errorf("GET the scale form as %s: %d, want 403", who, rec.Code)
		}
		for _, p := range posts {
			if rec := postForm(t, f.h, p.path, p.form, tokens[who]); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s as %s: %d, want 403", p.path, who, rec.Code)
			}
		}
		page := getAs(f.h, "/surveys/"+f.real, tokens[who]).Body.String()
		if who != "analyst" && strings.Contains(page, "/setup") {
			t.Errorf("the %s's dashboard links to the set-up page", who)
		}
	}
	for _, p := range posts {
		if rec := postForm(t, f.h, p.path, p.form, analyst, "Sec-Fetch-Site", "cross-site"); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s from another site: %d, want 403", p.path, rec.Code)
		}
	}
	if rec := getAs(f.h, "/surveys/nosuch/setup", analyst); rec.Code != http.StatusNotFound {
		t.Errorf("the set-up of no survey: %d, want 404", rec.Code)
	}
	sv, code2, dim := columnByText(t, f.srv, f.real, "Overall")
	if sv.Name != "People feedback (SmartSurvey)" || code2 != code || dim {
		t.Errorf("a refused request changed the survey: %+v %s %v", sv, code2, dim)
	}
	q, _, _ := f.srv.setupQuestionForTest(t, sv, code)
	if q.Kind == analytics.KindScale && q.Scale == analytics.ScaleCustom {
		t.Error("a refused request set the scale")
	}
}

// setupQuestionForTest returns a stored question by code.
func (s *Server) setupQuestionForTest(t testing.TB, sv analytics.Survey, code string) (analytics.Question, bool, error) {
	t.Helper()
	qs, _, err := s.store.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Code == code {
			return q, true, nil
		}
	}
	return analytics.Question{}, false, nil
}

func TestSetupRelabelAndRename(t *testing.T) {
	f, analyst := setupFixture(t)
	base := "/surveys/" + f.real + "/setup"
	page := getAs(f.h, base, analyst)
	if page.Code != http.StatusOK {
		t.Fatalf("GET the set-up page: %d", page.Code)
	}
	checkPage(t, "set-up page", page.Body.String())
	if !strings.Contains(page.Body.String(), "Header in the file: “Overall, how satisfied are you with the support you received?”") {
		t.Error("the set-up page does not show the header matched on import")
	}
	sv, code, _ := columnByText(t, f.srv, f.real, "Overall")
	if strings.Contains(page.Body.String(), ">"+code+"<") {
		t.Errorf("the set-up page shows the internal code %q", code)
	}
	// The dashboard is built (and cached) before the change.
	if rec := getAs(f.h, "/surveys/"+f.real, analyst); !strings.Contains(rec.Body.String(), "Overall, how satisfied") {
		t.Fatal("the dashboard does not show the question before the change")
	}
	rec := postForm(t, f.h, base+"/relabel", url.Values{"code": {code}, "label": {"Satisfaction with <b>support</b>"}}, analyst)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base+"?done=relabeled" {
		t.Fatalf("relabel: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	dash := getAs(f.h, "/surveys/"+f.real, analyst).Body.String()
	if !strings.Contains(dash, "Satisfaction with &lt;b&gt;support&lt;/b&gt;") || strings.Contains(dash, "<b>support") {
		t.Error("the dashboard does not show the new label as text")
	}
	e := latestEvent(t, f.srv, store.AuditSurveyRelabel)
	if e.Who != "setup-analyst@example.org" || !strings.Contains(e.Detail, "Satisfaction with") {
		t.Errorf("audit event %+v", e)
	}
	// The next month's file joins the relabelled question and keeps the label.
	reimport(t, f, sv.Name)
	if _, c2, _ := columnByText(t, f.srv, f.real, "Satisfaction with"); c2 != code {
		t.Errorf("after the next import the relabelled question is %q, want %q", c2, code)
	}

	if rec := postForm(t, f.h, base+"/relabel", url.Values{"code": {code}, "label": {" "}}, analyst); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "empty") {
		t.Errorf("an empty label: %d", rec.Code)
	}
	// Rename: a look-alike of another survey's name is refused.
	demo, _ := f.srv.store.SurveyBySlug(context.Background(), f.demo)
	rec = postForm(t, f.h, base+"/rename", url.Values{"name": {strings.Replace(demo.Name, " ", "\u200b ", 1)}}, analyst)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "already a survey called") {
		t.Errorf("renaming to a look-alike of another survey: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	rec = postForm(t, f.h, base+"/rename", url.Values{"name": {"Feedback\u200b 2024"}}, analyst)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", rec.Code)
	}
	if sv, err := f.srv.store.SurveyBySlug(context.Background(), f.real); err != nil || sv.Name != "Feedback 2024" {
		t.Errorf("after the rename: %+v %v", sv, err)
	}
	if !strings.Contains(getAs(f.h, "/surveys/"+f.real, analyst).Body.String(), "Feedback 2024") {
		t.Error("the dashboard does not show the new name")
	}
}

// reimport imports a copy of the SmartSurvey export (one more line at its
// end, so another file) into survey.
func reimport(t testing.TB, f pagesFixture, survey string) {
	t.Helper()
	data, err := os.ReadFile(fixture("smartsurvey-small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "next-month.csv")
	if err := os.WriteFile(file, append(data, '\n', '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportFile(context.Background(), f.srv.store, file, "next-month.csv", ingest.ImportParams{Survey: survey})
	if err != nil || rep.Refused() {
		t.Fatalf("the next month's import: %v %+v", err, rep)
	}
}

func TestSetupColumnAndScale(t *testing.T) {
	f, analyst := setupFixture(t)
	base := "/surveys/" + f.real + "/setup"
	sv, code, _ := columnByText(t, f.srv, f.real, "Were you involved")
	form := url.Values{"code": {code}, "kind": {"dimension"}}
	rec := postForm(t, f.h, base+"/column", form, analyst)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, `id="figure-before"`) || !strings.Contains(page, "%") ||
		!strings.Contains(page, "<td>Yes</td>") || !strings.Contains(page, `name="confirm" value="yes"`) {
		t.Fatalf("the column preview: %d\n%s", rec.Code, page)
	}
	checkPage(t, "column preview", page)
	if _, _, dim := columnByText(t, f.srv, f.real, "Were you involved"); dim {
		t.Fatal("the preview changed the column")
	}
	form.Set("confirm", "yes")
	if rec := postForm(t, f.h, base+"/column", form, analyst); rec.Code != http.StatusSeeOther {
		t.Fatalf("save the column's kind: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	if _, _, dim := columnByText(t, f.srv, f.real, "Were you involved"); !dim {
		t.Fatal("the column is not a dimension")
	}
	eq := getAs(f.h, "/surveys/"+f.real+"/equality", analyst).Body.String()
	if !strings.Contains(eq, "Were you involved") {
		t.Error("the equality page does not offer the new dimension")
	}
	if e := latestEvent(t, f.srv, store.AuditSurveyColumn); !strings.Contains(e.Detail, "made dimension") {
		t.Errorf("audit event %+v", e)
	}
	reimport(t, f, sv.Name)
	if _, c2, dim := columnByText(t, f.srv, f.real, "Were you involved"); !dim || c2 != code {
		t.Error("after the next import the column is a question again")
	}
	// Free text cannot become a dimension.
	_, text, _ := columnByText(t, f.srv, f.real, "Is there anything else")
	rec = postForm(t, f.h, base+"/column", url.Values{"code": {text}, "kind": {"dimension"}}, analyst)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "sentences") {
		t.Errorf("free text made a dimension: %d %s", rec.Code, firstLine(rec.Body.String()))
	}

	// Which answers count as positive: the preview shows the figure before and after.
	_, overall, _ := columnByText(t, f.srv, f.real, "Overall")
	form0 := getAs(f.h, base+"/scale?code="+url.QueryEscape(overall), analyst)
	if form0.Code != http.StatusOK || !strings.Contains(form0.Body.String(), `name="p0"`) {
		t.Fatalf("the scale form: %d", form0.Code)
	}
	q, _, _ := f.srv.setupQuestionForTest(t, sv, overall)
	scale := url.Values{"code": {overall}}
	for i, o := range q.Options {
		p := "negative"
		switch {
		case i == 0:
			p = "positive"
		case o.Polarity == analytics.Excluded:
			p = "excluded"
		}
		scale.Set("p"+string(rune('0'+i)), p)
	}
	rec = postForm(t, f.h, base+"/scale", scale, analyst)
	page = rec.Body.String()
	before, after := textBetween(page, `id="figure-before">`, "<"), textBetween(page, `id="figure-after">`, "<")
	if rec.Code != http.StatusOK || before == "" || after == "" || before == after || !strings.Contains(after, "% positive") {
		t.Fatalf("the scale preview: %d before %q after %q", rec.Code, before, after)
	}
	scale.Set("confirm", "yes")
	if rec := postForm(t, f.h, base+"/scale", scale, analyst); rec.Code != http.StatusSeeOther {
		t.Fatalf("save the scale: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	setup := getAs(f.h, base, analyst).Body.String()
	if !strings.Contains(setup, after) {
		t.Errorf("the set-up page does not show the figure the preview promised (%s)", after)
	}
	scale.Set("p0", "neutral")
	if rec := postForm(t, f.h, base+"/scale", scale, analyst); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("no positive answer: %d", rec.Code)
	}
}

// textBetween returns the text of s after start and up to end.
func textBetween(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

func TestSetupDeleteSurvey(t *testing.T) {
	f, analyst := setupFixture(t)
	base := "/surveys/" + f.real + "/setup"
	rec := postForm(t, f.h, base+"/delete", nil, analyst)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="confirm" value="yes"`) {
		t.Fatalf("the confirmation: %d", rec.Code)
	}
	checkPage(t, "delete confirmation", rec.Body.String())
	if _, err := f.srv.store.SurveyBySlug(context.Background(), f.real); err != nil {
		t.Fatal("the confirmation step deleted the survey")
	}
	rec = postForm(t, f.h, base+"/delete", url.Values{"confirm": {"yes"}}, analyst)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Survey deleted") {
		t.Fatalf("the delete: %d", rec.Code)
	}
	if _, err := f.srv.store.SurveyBySlug(context.Background(), f.real); err == nil {
		t.Fatal("the survey is still there")
	}
	if e := latestEvent(t, f.srv, store.AuditSurveyDelete); e.Who != "setup-analyst@example.org" {
		t.Errorf("audit event %+v", e)
	}
	if rec := getAs(f.h, "/surveys/"+f.real, analyst); rec.Code != http.StatusNotFound {
		t.Errorf("the deleted survey's dashboard: %d, want 404", rec.Code)
	}
}
