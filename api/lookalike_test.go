package api

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"
)

// lookAlikes are ways of writing "People feedback survey" that look the
// same, or nearly, on screen.
var lookAlikes = []string{
	"People\u200b feedback survey",       // zero-width space
	"People feedback\u200c survey\u200d", // zero-width non-joiner and joiner
	"\ufeffPeople feedback survey\u2060", // byte-order mark, word joiner
	"People \u202efeedback\u202c survey", // a right-to-left override
	"People \u2066feedback\u2069 survey", // an isolate
	"\u200ePeople feedback survey\u200f", // direction marks
	"People feedback\u061c survey",       // Arabic letter mark
	"\uff30eople feedback survey",        // a fullwidth P
	"People\u00a0feedback survey",        // a no-break space
	"People  feedback survey ",           // doubled and trailing spaces
}

// TestLookAlikeNamesOnTheUploadPage uploads into a new survey name that is
// a look-alike of an existing survey's: the file goes into that survey.
func TestLookAlikeNamesOnTheUploadPage(t *testing.T) {
	srv, h := newTestServer(t)
	rep, err := ingest.ImportFile(t.Context(), srv.store, fixture("smartsurvey-small.csv"), "May.csv", ingest.ImportParams{Survey: "People feedback survey"})
	if err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	data, _ := os.ReadFile(fixture("smartsurvey-small.csv"))
	file := filepath.Join(t.TempDir(), "June.csv")
	os.WriteFile(file, append(data, '\n'), 0o600)
	body, ct := multipartBody(t, "June.csv", file, map[string]string{"new_survey": "People\u200b feedback \u202esurvey"})
	rec := do(t, h, "POST", "/upload", body, ct)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /upload: %d %s", rec.Code, rec.Body)
	}
	status := rec.Header().Get("Location")
	if rec := do(t, h, "POST", status, nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	var page string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if page = do(t, h, "GET", status, nil, "").Body.String(); !strings.Contains(page, `http-equiv="refresh"`) {
			break
		}
	}
	if !strings.Contains(page, "added to survey “People feedback survey”") {
		t.Errorf("result page: %s", page)
	}
	list, err := srv.store.Surveys(t.Context())
	if err != nil || len(list) != 1 || list[0].Imports != 2 {
		t.Fatalf("surveys: %v %+v", err, list)
	}
}
