package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/report"
)

// TestLookAlikeNames checks finding 10: survey names are compared once
// Unicode normalised (NFKC) with their zero-width and bidirectional
// control characters removed, so a look-alike of a survey's name finds
// that survey on the command line and the upload page, and imports go
// into it; a new survey's name is stored without them; and a name stored
// with them by an earlier heard is still found by its plain form.
func TestLookAlikeNames(t *testing.T) {
	storetest.SkipOnPostgres(t, "it writes a name as an earlier heard did, straight into the SQLite file")
	dir := t.TempDir()
	db := storetest.NewDB(t)
	const name = "People feedback survey"
	if code, out, errOut := cli(t, RunImport, "--db", db, "--survey", name, fixture("smartsurvey-small.csv")); code != ExitOK {
		t.Fatalf("import: exit %d %s %s", code, out, errOut)
	}
	for _, look := range lookAlikes {
		code, out, errOut := cli(t, RunQuestions, "--db", db, "--survey", look, "--json")
		var qs report.QuestionsJSON
		if code != ExitOK || json.Unmarshal([]byte(out), &qs) != nil || qs.Survey != name {
			t.Errorf("heard questions --survey %q: exit %d, survey %q %s", look, code, qs.Survey, errOut)
		}
	}
	// An import into a look-alike goes into the survey, under its name.
	second := filepath.Join(dir, "second.csv")
	data, err := os.ReadFile(fixture("smartsurvey-small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(second, append(data, '\n'), 0o600) // another file: a new checksum
	code, out, errOut := cli(t, RunImport, "--db", db, "--survey", lookAlikes[0], "--json", second)
	if rep := decodeReport(t, strings.TrimSpace(out)); code != ExitOK || rep.Survey != name {
		t.Fatalf("import into %q: exit %d, survey %q %s", lookAlikes[0], code, rep.Survey, errOut)
	}
	// A new survey is stored under its plain name and slug.
	third := filepath.Join(dir, "third.csv")
	os.WriteFile(third, append(data, '\n', '\n'), 0o600)
	if code, out, errOut := cli(t, RunImport, "--db", db, "--survey", "\u202eBoard\u200b  survey\u2060", third); code != ExitOK {
		t.Fatalf("import into a new survey: exit %d %s %s", code, out, errOut)
	}
	_, out, _ = cli(t, RunSurveys, "--db", db, "--json")
	var list []report.SurveyJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 2 ||
		list[0].Name != "Board survey" || list[0].Slug != "board-survey" || list[1].Name != name || list[1].Imports != 2 {
		t.Fatalf("surveys: %v %+v", err, list)
	}
	// A name with only invisible characters is no name.
	if code, out, _ := cli(t, RunImport, "--db", db, "--survey", "\u200b\u200d", "--json", third+"x"); code == ExitOK {
		t.Errorf("an invisible survey name was taken: %s", out)
	}

	// A name stored with invisible characters by an earlier heard is found
	// by its plain form, and imports go into it.
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE surveys SET name = ? WHERE name = ?", "Board\u200b survey", "Board survey"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	fourth := filepath.Join(dir, "fourth.csv")
	os.WriteFile(fourth, append(data, '\n', '\n', '\n'), 0o600)
	code, out, errOut = cli(t, RunImport, "--db", db, "--survey", "Board survey", "--json", fourth)
	if rep := decodeReport(t, strings.TrimSpace(out)); code != ExitOK || rep.Survey != "Board\u200b survey" {
		t.Fatalf("import into an old look-alike: exit %d, survey %q %s", code, rep.Survey, errOut)
	}
	if _, out, _ = cli(t, RunSurveys, "--db", db, "--json"); strings.Count(out, `"name"`) != 2 {
		t.Fatalf("an old look-alike got a second survey: %s", out)
	}
}

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
