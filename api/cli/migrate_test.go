package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/importers/synthetic"
)

// migrateTarget names a new, empty database for heard migrate-to to copy
// into. Today that is an SQLite file; where PostgreSQL is available to the
// tests, this is the one place to return the DSN of a database made for
// the test, and every migrate-to test then copies into PostgreSQL.
func migrateTarget(t testing.TB) string {
	t.Helper()
	return storetest.NewDB(t)
}

// demoSource makes a database holding the demo survey as the service's
// demo loader makes it (api.loadDemo: 5,000 generated responses, seed
// 2025, imported through ingest), with its comments' themes worked out, an
// account and its API token.
func demoSource(t testing.TB) (path, survey string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "demo-people-feedback.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(synthetic.WriteCSV(f, 5000, 2025), f.Close()); err != nil {
		t.Fatal(err)
	}
	path, survey = filepath.Join(dir, "heard.db"), "Demo: people feedback survey"
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := ingest.ImportFile(ctx, st, csvPath, "demo-people-feedback.csv",
		ingest.ImportParams{Survey: survey, By: "demo", ClassifyThemes: true})
	if err != nil || rep.Refused() || rep.ResponsesAdded != 5000 {
		t.Fatalf("demo import: %v %+v", err, rep)
	}
	u, err := st.CreateUser(ctx, analytics.User{Email: "ana@council.example", Role: analytics.RoleAnalyst}, "$argon2id$made-up", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateToken(ctx, u.ID, "scripts", analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	return path, survey
}

// migrate runs heard migrate-to --json and returns its counts, failing the
// test unless it succeeds with every count equal.
func migrate(t testing.TB, target, source string) store.CopyResult {
	t.Helper()
	code, out, errOut := cli(t, RunMigrateTo, "--db", target, "--from", source, "--json")
	if code != ExitOK {
		t.Fatalf("heard migrate-to: exit %d: %s", code, errOut)
	}
	var res store.CopyResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON counts: %v\n%s", err, out)
	}
	if len(res.Mismatches) > 0 || len(res.Tables) == 0 {
		t.Fatalf("counts: %+v", res)
	}
	for _, tc := range res.Tables {
		if tc.Source != tc.Target {
			t.Errorf("%s: %d rows in the source, %d in the copy", tc.Table, tc.Source, tc.Target)
		}
		for _, i := range tc.ByImport {
			if i.Source != i.Target {
				t.Errorf("%s, import %d: %d rows in the source, %d in the copy", tc.Table, i.ImportID, i.Source, i.Target)
			}
		}
	}
	return res
}

// tableRows is a table's source count in res (-1 when it is not there).
func tableRows(res store.CopyResult, table string) int64 {
	for _, tc := range res.Tables {
		if tc.Table == table {
			return tc.Source
		}
	}
	return -1
}

// holdings describes what a database holds through the store's own
// reading: each survey with its responses and each import with its
// responses counted again, the accounts and the audit log.
func holdings(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	surveys, err := st.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range surveys {
		fmt.Fprintf(&b, "survey %d %q: %d responses, %d questions, %d imports, %s to %s\n",
			s.ID, s.Name, s.Responses, s.Questions, s.Imports, s.FirstDate, s.LastDate)
		imps, err := st.Imports(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range imps {
			n, err := st.ImportResponses(ctx, imp.ID)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  import %d %s: %d added, %d stored\n", imp.ID, imp.File, imp.Added, n)
		}
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		fmt.Fprintf(&b, "user %d %s %s\n", u.ID, u.Email, u.Role)
	}
	events, err := st.AuditEvents(ctx, store.AuditQuery{Limit: -1, OldestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		fmt.Fprintf(&b, "audit %d %s %s %s\n", e.ID, e.Action, e.Object, e.Outcome)
	}
	return b.String()
}

// sameReports runs heard report on each question of survey in both
// databases and requires identical output; it returns how many questions
// had a report.
func sameReports(t testing.TB, source, target, survey string, extra ...string) int {
	t.Helper()
	st, err := store.Open(context.Background(), source)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := st.SurveyByName(context.Background(), survey)
	if err != nil {
		t.Fatal(err)
	}
	qs, _, err := st.Questions(context.Background(), sv.ID)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	reported := 0
	for _, q := range qs {
		args := append([]string{"--survey", survey, "--question", q.Code, "--format", "json"}, extra...)
		codeS, outS, errS := cli(t, RunReport, append([]string{"--db", source}, args...)...)
		codeT, outT, errT := cli(t, RunReport, append([]string{"--db", target}, args...)...)
		if codeS != codeT || outS != outT || errS != errT {
			t.Errorf("question %s: the reports differ:\nsource (exit %d): %s%s\ncopy (exit %d): %s%s", q.Code, codeS, outS, errS, codeT, outT, errT)
		}
		if codeS == ExitOK {
			reported++
		}
	}
	return reported
}

// TestMigrateToDemo copies the demo survey into a new database: every
// table's count and every import's are equal, the store reads the same
// surveys, imports, accounts and audit log from both, every question's
// report is identical, and the copy is recorded in the source's log.
func TestMigrateToDemo(t *testing.T) {
	source, survey := demoSource(t)
	before := holdings(t, source)
	target := migrateTarget(t)

	res := migrate(t, target, source)
	for table, least := range map[string]int64{"responses_1": 5000, "surveys": 1, "questions": 5, "imports": 1, "users": 1,
		"tokens": 1, "comment_themes": 1, "theme_models": 1, "audit_events": 1} {
		if n := tableRows(res, table); n < least {
			t.Errorf("table %s: %d rows copied, want at least %d", table, n, least)
		}
	}
	if got := holdings(t, target); got != before {
		t.Fatalf("the copy holds\n%s\nthe source held\n%s", got, before)
	}
	if n := sameReports(t, source, target, survey); n < 5 {
		t.Errorf("only %d questions had a report to compare", n)
	}
	if n := sameReports(t, source, target, survey, "--by", "team", "--period", "quarter"); n < 5 {
		t.Errorf("only %d questions had a report by team to compare", n)
	}

	st, err := store.Open(context.Background(), source)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: store.AuditDatabaseCopy})
	if err != nil || len(events) != 1 || events[0].Outcome != analytics.OutcomeOK || !strings.Contains(events[0].Object, target) {
		t.Errorf("the source's audit log: %v %+v", err, events)
	}

	// The summary for people.
	code, out, errOut := cli(t, RunMigrateTo, "--db", migrateTarget(t), "--from", source)
	if code != ExitOK || !strings.Contains(out, "every count is equal") || !strings.Contains(out, "responses_1") ||
		!strings.Contains(out, "5,000") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
}

// TestMigrateToNHSFriendsAndFamilyTest copies the real NHS FFT responses
// of eleven GP practices: the counts are equal, and the FFT report by
// month and practice is identical.
func TestMigrateToNHSFriendsAndFamilyTest(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "external", "nhs-fft-gp-practice", "data.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the NHS FFT export is not beside the repo (%v): skipping", err)
	}
	source := filepath.Join(t.TempDir(), "heard.db")
	st, err := store.Open(context.Background(), source)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportFile(context.Background(), st, path, "data.csv", ingest.ImportParams{Survey: "GP FFT"})
	st.Close()
	if err != nil || rep.Refused() || rep.ResponsesAdded != 3882 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	before := holdings(t, source)
	target := migrateTarget(t)
	res := migrate(t, target, source)
	if n := tableRows(res, "responses_1"); n != 3882 {
		t.Errorf("responses_1: %d rows copied, want 3882", n)
	}
	if got := holdings(t, target); got != before {
		t.Fatalf("the copy holds\n%s\nthe source held\n%s", got, before)
	}
	for _, by := range [][]string{nil, {"--by", "surgery"}} {
		args := append([]string{"--survey", "GP FFT", "--question", "rating"}, by...)
		a, b := runReportJSON(t, append([]string{"--db", source}, args...)...), runReportJSON(t, append([]string{"--db", target}, args...)...)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) || len(a.Rows) == 0 || a.Metric.Name != "FFT % positive" {
			t.Errorf("FFT report %v differs or is empty:\n%s\n%s", by, ja, jb)
		}
	}
}

// TestMigrateToRefusesNonEmptyTarget: a target that holds an account (as
// heard serve creates on its first start) is refused, naming it and the
// table, with a non-zero exit, and left as it was; the refusal is in the
// source's audit log.
func TestMigrateToRefusesNonEmptyTarget(t *testing.T) {
	source, _ := demoSource(t)
	target := migrateTarget(t)
	st, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.CreateUser(context.Background(), analytics.User{Email: "admin@localhost", Role: analytics.RoleAdmin}, "$argon2id$made-up", analytics.CommandLine("test"))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	before := holdings(t, target)

	code, out, errOut := cli(t, RunMigrateTo, "--db", target, "--from", source)
	if code != ExitRefused || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, target) ||
		!strings.Contains(errOut, "users") || strings.Contains(out, "every count") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if after := holdings(t, target); after != before {
		t.Fatalf("the refused target changed:\n%s\nwas\n%s", after, before)
	}
	st, err = store.Open(context.Background(), source)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: store.AuditDatabaseCopy})
	if err != nil || len(events) != 1 || events[0].Outcome != analytics.OutcomeRefused {
		t.Errorf("the source's audit log: %v %+v", err, events)
	}
}

// TestMigrateToRefusesNotHeardSource: a source that is not a heard
// database (a CSV export, a missing file) is refused with a message that
// says so and names it; nothing is created, neither the missing source
// nor the target. A target file that is not heard's is refused too.
func TestMigrateToRefusesNotHeardSource(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "heard.db")
	for _, source := range []string{fixture("smartsurvey-small.csv"), missing} {
		target := migrateTarget(t)
		code, out, errOut := cli(t, RunMigrateTo, "--db", target, "--from", source)
		if code != ExitRefused || !strings.Contains(errOut, "not a heard database") || !strings.Contains(errOut, source) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", source, code, out, errOut)
		}
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the target was created (%v)", source, err)
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the missing source was created (%v)", err)
	}
	// A target file that holds something else is not turned into heard's.
	source, _ := demoSource(t)
	notes := filepath.Join(dir, "notes.csv")
	os.WriteFile(notes, []byte("id,name\n1,Ann\n"), 0o600)
	code, _, errOut := cli(t, RunMigrateTo, "--db", notes, "--from", source)
	if b, _ := os.ReadFile(notes); code != ExitRefused || !strings.Contains(errOut, "not a heard database") || string(b) != "id,name\n1,Ann\n" {
		t.Errorf("a CSV file as the target: exit %d, %s; it now holds %q", code, errOut, b)
	}
	if code, _, errOut := cli(t, RunMigrateTo, "--from", missing); code != ExitUsage || !strings.Contains(errOut, "--db TARGET") {
		t.Errorf("without --db: exit %d, %s", code, errOut)
	}
}

// TestMigrateToCountMismatch: when the copy's counts differ from the
// source's (here an SQLite trigger in the target adds an audit event for
// each account copied), the counts are printed with the difference marked,
// the command says so and exits non-zero, and the target is left empty.
func TestMigrateToCountMismatch(t *testing.T) {
	source, _ := demoSource(t)
	target := migrateTarget(t)
	if strings.Contains(target, "://") {
		t.Skip("the test makes the target miscount with an SQLite trigger")
	}
	st, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite3", target)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`CREATE TRIGGER extra AFTER INSERT ON users BEGIN
		INSERT INTO audit_events (at, who, source, action, outcome) VALUES ('2024-01-01T00:00:00Z', 'x', 'x', 'x', 'ok'); END`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	empty := holdings(t, target)

	code, out, errOut := cli(t, RunMigrateTo, "--db", target, "--from", source)
	if code != ExitRefused || !strings.Contains(errOut, "differ") || !strings.Contains(errOut, "audit_events") ||
		strings.Contains(out, "every count is equal") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var marked []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, "DIFFERS") {
			marked = append(marked, strings.Fields(line)[0])
		}
	}
	if len(marked) != 1 || marked[0] != "audit_events" {
		t.Errorf("lines marked DIFFERS: %v\n%s", marked, out)
	}
	if got := holdings(t, target); got != empty {
		t.Errorf("the failed copy left\n%s", got)
	}
}
