package api

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// previewOf uploads a file through the page with fields and returns the
// address of its preview and the preview page.
func previewOf(t testing.TB, h http.Handler, name, path string, fields map[string]string) (string, string) {
	t.Helper()
	body, ct := multipartBody(t, name, path, fields)
	rec := do(t, h, "POST", "/upload", body, ct)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /upload: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	status := rec.Header().Get("Location")
	return status, do(t, h, "GET", status, nil, "").Body.String()
}

// waitImported waits for an upload's import to end and returns its page.
func waitImported(t testing.TB, h http.Handler, status string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		page := do(t, h, "GET", status, nil, "").Body.String()
		if !strings.Contains(page, `http-equiv="refresh"`) || time.Now().After(deadline) {
			return page
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestUploadPreviewBothSurveysRefused(t *testing.T) {
	srv, h := newTestServer(t)
	f := newPagesFixtureOn(t, srv, h)
	body, ct := multipartBody(t, "June.csv", fixture("smartsurvey-small.csv"),
		map[string]string{"survey": "People feedback (SmartSurvey)", "new_survey": "June feedback"})
	rec := do(t, h, "POST", "/upload", body, ct)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "not both") ||
		!strings.Contains(rec.Body.String(), "June feedback") {
		t.Fatalf("an existing survey and a new name: %d %s", rec.Code, rec.Body)
	}
	if list, _ := srv.store.Surveys(t.Context()); len(list) != f {
		t.Errorf("%d surveys after the refusal, want %d", len(list), f)
	}
	// The same name twice (a look-alike typed of the chosen one) is no conflict.
	body, ct = multipartBody(t, "June.csv", fixture("smartsurvey-small.csv"),
		map[string]string{"survey": "People feedback (SmartSurvey)", "new_survey": "People feedback\u200b (SmartSurvey)"})
	if rec := do(t, h, "POST", "/upload", body, ct); rec.Code != http.StatusSeeOther {
		t.Errorf("the chosen survey typed again: %d", rec.Code)
	}
}

// newPagesFixtureOn imports the SmartSurvey export as the pages fixture
// does and returns how many surveys there are.
func newPagesFixtureOn(t testing.TB, srv *Server, h http.Handler) int {
	t.Helper()
	status, _ := previewOf(t, h, "smartsurvey-small.csv", fixture("smartsurvey-small.csv"), map[string]string{"new_survey": "People feedback (SmartSurvey)"})
	if rec := do(t, h, "POST", status, nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	waitImported(t, h, status)
	list, err := srv.store.Surveys(t.Context())
	if err != nil || len(list) != 1 {
		t.Fatalf("surveys %v %v", list, err)
	}
	return len(list)
}

func TestUploadPreviewCorrectsColumns(t *testing.T) {
	srv, h := newTestServer(t)
	status, page := previewOf(t, h, "May.csv", fixture("smartsurvey-small.csv"), map[string]string{"new_survey": "People feedback"})
	checkPage(t, "preview", page)
	if strings.Contains(page, "Changes from earlier files") {
		t.Error("a new survey's preview speaks of changes from earlier files")
	}
	for _, code := range []string{">single<", ">scale<", ">text<", "age-band", "overall_how", "satisfied-5", "smartsurvey"} {
		if strings.Contains(page, code) {
			t.Errorf("the preview shows the internal code %q", code)
		}
	}
	// Column 8 (index 7) is "Were you involved in decisions about your care?".
	if !strings.Contains(page, `name="kind_7"`) {
		t.Fatal("the preview offers no choice of what column 8 is")
	}
	form := url.Values{"kind_7": {"dimension"}, "check": {"yes"}}
	if rec := postForm(t, h, status, form, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("check again: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	page = do(t, h, "GET", status, nil, "").Body.String()
	row := textBetween(page, "<td>Were you involved in decisions about your care?</td>", "</tr>")
	if !strings.Contains(row, `<option value="dimension" selected>`) {
		t.Errorf("after checking again the column is not a group: %s", row)
	}
	if list, _ := srv.store.Surveys(t.Context()); len(list) != 0 {
		t.Fatal("checking again stored something")
	}
	// Free text cannot be made a group.
	if rec := postForm(t, h, status, url.Values{"kind_9": {"dimension"}, "check": {"yes"}}, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("check again: %d", rec.Code)
	}
	if page := do(t, h, "GET", status, nil, "").Body.String(); !strings.Contains(page, "read like sentences") {
		t.Error("free text made a group was not refused")
	}
	// Import with the correction.
	status, _ = previewOf(t, h, "May.csv", fixture("smartsurvey-small.csv"), map[string]string{"new_survey": "People feedback"})
	if rec := postForm(t, h, status, url.Values{"kind_7": {"dimension"}}, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	done := waitImported(t, h, status)
	if !strings.Contains(done, "Imported") || strings.Contains(done, "Changes from earlier files") {
		t.Errorf("the result of a new survey's first import:\n%s", done)
	}
	sv, err := srv.store.SurveyByName(t.Context(), "People feedback")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, dim := columnByText(t, srv, sv.Slug, "Were you involved"); !dim {
		t.Error("the corrected column was not stored as a group")
	}
	// The next month's file keeps it.
	reimport(t, pagesFixture{srv: srv, h: h}, sv.Name)
	if _, _, dim := columnByText(t, srv, sv.Slug, "Were you involved"); !dim {
		t.Error("the next import made the corrected column a question again")
	}
}

func TestUploadPreviewShowsDates(t *testing.T) {
	_, h := newTestServer(t)
	// A real Microsoft Forms export, whose start and completion times are
	// Excel serials (44314.4734606481).
	file := filepath.Join(externalDir(t), "msforms-phonebrandpred", "surveyEng.xlsx")
	_, page := previewOf(t, h, "surveyEng.xlsx", file, map[string]string{"new_survey": "Phones"})
	sample := textBetween(page, `id="preview-sample"`, "</table>")
	if sample == "" {
		t.Fatalf("no sample rows:\n%s", page)
	}
	if !strings.Contains(sample, "<td>2021-04-28 11:21</td>") {
		t.Errorf("the sample shows no date:\n%s", sample)
	}
	if m := regexp.MustCompile(`<td>\d{5}(\.\d+)?</td>`).FindString(sample); m != "" {
		t.Errorf("the sample shows an Excel serial %s", m)
	}
}
