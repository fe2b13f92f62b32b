package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/report"
)

// importFixture imports a test file into survey with the heard command.
func importFixture(t testing.TB, db, survey, file string) {
	t.Helper()
	code, out, errOut := cliIn(t, "", withoutStdin(RunImport), "--db", db, "--survey", survey, fixture(file))
	if code != ExitOK {
		t.Fatalf("import %s: exit %d\n%s%s", file, code, out, errOut)
	}
}

// surveyResponses is the number of responses `heard surveys` reports.
func surveyResponses(t testing.TB, db, survey string) int64 {
	t.Helper()
	_, out, _ := cliIn(t, "", withoutStdin(RunSurveys), "--db", db, "--json")
	var list []report.SurveyJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("surveys --json: %v\n%s", err, out)
	}
	for _, s := range list {
		if s.Name == survey {
			return s.Responses
		}
	}
	t.Fatalf("no survey %q in %s", survey, out)
	return 0
}

// endedBefore counts the rows of the SmartSurvey fixture that ended before
// the London date day.
func endedBefore(t testing.TB, day time.Time) int64 {
	t.Helper()
	f, err := os.Open(fixture("smartsurvey-small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, r := range rows[1:] {
		ended, err := time.Parse("02/01/2006 15:04", r[3])
		if err != nil {
			t.Fatal(err)
		}
		if ended.Before(day) {
			n++
		}
	}
	return n
}

func TestRetentionCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	retention := withoutStdin(RunRetention)
	// Keep responses from 16 May 2024 on: no response ended on 15 or 16
	// May, so the cutoff's time of day does not matter.
	keepFrom := time.Date(2024, 5, 16, 0, 0, 0, 0, time.UTC)
	days := int(time.Since(keepFrom).Hours() / 24)
	gone := endedBefore(t, keepFrom)
	if gone == 0 || gone == 40 {
		t.Fatalf("the fixture has %d responses before %s: the test would prove little", gone, keepFrom)
	}

	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"purge without a period", []string{"purge", "--survey", "Feedback"}, ExitRefused, "no retention period"},
		{"set", []string{"set", "--survey", "Feedback", "--days", fmt.Sprint(days)}, ExitOK, fmt.Sprintf("for %d days", days)},
		{"unknown survey", []string{"set", "--survey", "Nope", "--days", "30"}, ExitRefused, "no survey called"},
		{"no days", []string{"set", "--survey", "Feedback"}, ExitUsage, "--days"},
		{"list", []string{"list"}, ExitOK, fmt.Sprintf("Feedback  %d days", days)},
		{"dry run", []string{"purge", "--dry-run"}, ExitOK, fmt.Sprintf("%d responses submitted before", gone)},
		{"purge", []string{"purge", "--survey", "Feedback"}, ExitOK, fmt.Sprintf("%d responses submitted before", gone)},
		{"purge again", []string{"purge"}, ExitOK, "0 responses"},
		{"no subcommand", nil, ExitUsage, "retention set|list|purge"},
	}
	for _, s := range steps {
		code, out, errOut := cliIn(t, "", retention, append(s.args, "--db", db)...)
		if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
			t.Fatalf("%s: exit %d, %q; want %d with %q", s.name, code, text, s.code, s.out)
		}
		if s.name == "dry run" && surveyResponses(t, db, "Feedback") != 40 {
			t.Fatal("a dry run deleted responses")
		}
	}
	if got := surveyResponses(t, db, "Feedback"); got != 40-gone {
		t.Errorf("%d responses left, want %d", got, 40-gone)
	}
	want := []string{"import ok", "retention-purge refused", "retention-set ok", "retention-set refused", "list ok",
		"retention-purge ok", "retention-purge ok"}
	if got := auditActions(t, db); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
}

func TestImportsCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	imports := withoutStdin(RunImports)
	code, out, _ := cliIn(t, "", imports, "--db", db, "--json")
	var list []ImportJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK || len(list) != 1 ||
		list[0].Survey != "Feedback" || list[0].Added != 40 {
		t.Fatalf("imports --json: exit %d, %v\n%s", code, err, out)
	}
	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"list one survey", []string{"--survey", "Feedback"}, ExitOK, "smartsurvey-small.csv"},
		{"unknown survey", []string{"--survey", "Nope"}, ExitRefused, "no survey called"},
		{"delete", []string{"delete", "--id", fmt.Sprint(list[0].ID)}, ExitOK, "with its 40 responses"},
		{"delete again", []string{"delete", "--id", fmt.Sprint(list[0].ID)}, ExitRefused, "no import"},
		{"no id", []string{"delete"}, ExitUsage, "--id"},
	}
	for _, s := range steps {
		code, out, errOut := cliIn(t, "", imports, append(s.args, "--db", db)...)
		if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
			t.Fatalf("%s: exit %d, %q; want %d with %q", s.name, code, text, s.code, s.out)
		}
	}
	if n := surveyResponses(t, db, "Feedback"); n != 0 {
		t.Errorf("%d responses left after deleting the only import", n)
	}
	// The deleted file may be imported again.
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	if n := surveyResponses(t, db, "Feedback"); n != 40 {
		t.Errorf("%d responses after importing the file again, want 40", n)
	}
	want := []string{"import ok", "list ok", "list ok", "list refused", "import-delete ok", "import-delete refused", "import ok"}
	if got := auditActions(t, db); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
}

func TestBackupCommand(t *testing.T) {
	storetest.SkipOnPostgres(t, "heard backup copies a SQLite file (on PostgreSQL it points to pg_dump)")
	dir := t.TempDir()
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	backup := withoutStdin(RunBackup)
	copyPath := filepath.Join(dir, "backup.db")
	damaged := filepath.Join(dir, "damaged.db")
	if err := os.WriteFile(damaged, []byte(strings.Repeat("garbage ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"back up", []string{"--out", copyPath}, ExitOK, "integrity check: ok"},
		{"never overwrite", []string{"--out", copyPath}, ExitRefused, "already exists"},
		{"check the copy", []string{"--check", copyPath}, ExitOK, "can be restored"},
		{"check a damaged file", []string{"--check", damaged}, ExitRefused, "damaged"},
		{"neither", nil, ExitUsage, "--out"},
		{"both", []string{"--out", "x.db", "--check", copyPath}, ExitUsage, "either"},
	}
	for _, s := range steps {
		code, out, errOut := cliIn(t, "", backup, append(s.args, "--db", db)...)
		if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
			t.Fatalf("%s: exit %d, %q; want %d with %q", s.name, code, text, s.code, s.out)
		}
	}
	// The copy serves as the database: same survey, same responses.
	if n := surveyResponses(t, copyPath, "Feedback"); n != 40 {
		t.Errorf("the backup has %d responses, want 40", n)
	}
	want := []string{"import ok", "backup ok", "backup refused"}
	if got := auditActions(t, db); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
}

func TestAuditCommand(t *testing.T) {
	db := storetest.NewDB(t)
	cliIn(t, "a long enough password\n", runUser, "add", "--db", db, "--email", "ann@council.gov.uk", "--role", "viewer", "--password-stdin")
	audit := withoutStdin(RunAudit)
	code, out, errOut := cliIn(t, "", audit, "--db", db, "--json")
	var events []struct {
		Action, Who, From, Object, Outcome string
		At                                 time.Time
	}
	if err := json.Unmarshal([]byte(out), &events); err != nil || code != ExitOK || len(events) != 1 {
		t.Fatalf("audit --json: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	e := events[0]
	if e.Action != "user-create" || e.Who != "command line:tester" || e.From != "command line" ||
		!strings.Contains(e.Object, "ann@council.gov.uk") || e.Outcome != "ok" || time.Since(e.At) > time.Minute {
		t.Errorf("event %+v", e)
	}
	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"table, reading recorded", nil, ExitOK, "audit-read"},
		{"since a date to come", []string{"--since", "2999-01-01"}, ExitOK, "No audit events match."},
		{"one action", []string{"--action", "user-create"}, ExitOK, "ann@council.gov.uk"},
		{"bad date", []string{"--since", "yesterday"}, ExitUsage, "not a date"},
	}
	for _, s := range steps {
		code, out, errOut := cliIn(t, "", audit, append(s.args, "--db", db)...)
		if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
			t.Fatalf("%s: exit %d, %q; want %d with %q", s.name, code, text, s.code, s.out)
		}
	}
	list, err := openDB(t, db).AuditEvents(t.Context(), store.AuditQuery{Action: "audit-read", Limit: -1})
	if err != nil || len(list) != 4 {
		t.Errorf("%d audit-read events (%v), want one per successful read", len(list), err)
	}
}
