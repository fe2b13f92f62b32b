package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// personalExport is a small export with respondents' names and email
// addresses.
const personalExport = `Response ID,Date submitted,Name,Email,IP Address,How satisfied are you with your care?,Any other comments?
1,02/04/2024,Ann Smith,ann.smith@example.org,192.0.2.1,Very satisfied,Kind staff
2,03/04/2024,Bob Jones,bob@example.org,192.0.2.2,Quite dissatisfied,Late visits
`

// writeExport writes personalExport, with its ids offset by n so that each
// file is new, and returns its path.
func writeExport(tb testing.TB, dir, name string, n int) string {
	tb.Helper()
	text := strings.NewReplacer("\n1,", "\n"+string(rune('1'+n))+"1,", "\n2,", "\n"+string(rune('1'+n))+"2,").Replace(personalExport)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// databaseHolds reports whether any of the database's files (the main file
// and its write-ahead log) hold s, after the store is closed.
func databaseHolds(tb testing.TB, db, s string) bool {
	tb.Helper()
	files, err := filepath.Glob(db + "*")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no database files at %s: %v", db, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func TestImportPersonalData(t *testing.T) {
	storetest.SkipOnPostgres(t, "it reads the SQLite file's bytes for names and emails")
	tests := []struct {
		name      string
		args      []string
		wantKept  bool
		wantNotes []string
	}{
		{"default drops names and emails", nil, false,
			[]string{`column "Name": personal data, not stored`, `column "Email": personal data, not stored`}},
		{"--keep-personal keeps them", []string{"--keep-personal"}, true,
			[]string{`column "Name": personal data, stored as a text question`, `column "Email": personal data, stored as a text question`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := storetest.NewDB(t)
			args := append([]string{"--db", db, "--json", "--survey", "Care"}, tc.args...)
			code, out, errOut := cli(t, RunImport, append(args, writeExport(t, dir, "april.csv", 0))...)
			if code != ExitOK {
				t.Fatalf("import: status %d, %s", code, errOut)
			}
			rep := decodeReport(t, strings.TrimSpace(out))
			for _, note := range append(tc.wantNotes, `column "IP Address": personal data, not stored`) {
				if !slices.ContainsFunc(rep.Changes, func(c string) bool { return strings.HasPrefix(c, note) }) {
					t.Errorf("changes %q lack %q", rep.Changes, note)
				}
			}
			// A later file follows the survey's setting without the flag.
			if code, _, errOut := cli(t, RunImport, "--db", db, "--survey", "Care", writeExport(t, dir, "may.csv", 1)); code != ExitOK {
				t.Fatalf("second import: status %d, %s", code, errOut)
			}
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			keep, err := st.KeepPersonal(context.Background(), "Care")
			if err != nil || keep != tc.wantKept {
				t.Errorf("KeepPersonal = %v, %v; want %v", keep, err, tc.wantKept)
			}
			s, err := st.SurveyByName(context.Background(), "Care")
			if err != nil {
				t.Fatal(err)
			}
			qs, _, err := st.Questions(context.Background(), s.ID)
			if err != nil {
				t.Fatal(err)
			}
			email := slices.IndexFunc(qs, func(q analytics.Question) bool { return q.Text == "Email" })
			if (email >= 0) != tc.wantKept || (email >= 0 && qs[email].Kind != analytics.KindText) {
				t.Errorf("questions %+v: Email stored as a text question = %v, want %v", qs, email >= 0, tc.wantKept)
			}
			st.Close()
			for _, s := range []string{"ann.smith@example.org", "bob@example.org", "Bob Jones"} {
				if got := databaseHolds(t, db, s); got != tc.wantKept {
					t.Errorf("database holds %q: %v, want %v", s, got, tc.wantKept)
				}
			}
			if databaseHolds(t, db, "192.0.2.") {
				t.Error("the database holds an IP address")
			}
		})
	}
}

func TestPersonalCommand(t *testing.T) {
	dir := t.TempDir()
	db := storetest.NewDB(t)
	if code, _, errOut := cli(t, RunImport, "--db", db, "--survey", "Care", writeExport(t, dir, "april.csv", 0)); code != ExitOK {
		t.Fatalf("import: status %d, %s", code, errOut)
	}
	steps := []struct {
		name    string
		cmd     func(context.Context, Env, []string) int
		args    []string
		want    int
		wantOut string
	}{
		{"no survey", RunPersonal, nil, ExitUsage, ""},
		{"both", RunPersonal, []string{"--survey", "Care", "--keep", "--drop"}, ExitUsage, ""},
		{"stray argument", RunPersonal, []string{"--survey", "Care", "extra"}, ExitUsage, ""},
		{"unknown survey", RunPersonal, []string{"--survey", "Nope", "--keep"}, ExitRefused, ""},
		{"show the default", RunPersonal, []string{"--survey", "Care"}, ExitOK, "does not store"},
		{"import --keep-personal into a survey that has not opted in", RunImport,
			[]string{"--keep-personal", "--survey", "Care", writeExport(t, dir, "may.csv", 1)}, ExitUsage, ""},
		{"keep", RunPersonal, []string{"--survey", "Care", "--keep"}, ExitOK, "keeps respondents' names"},
		{"show kept", RunPersonal, []string{"--survey", "Care"}, ExitOK, "keeps respondents' names"},
		{"import --keep-personal after opting in", RunImport,
			[]string{"--keep-personal", "--survey", "Care", writeExport(t, dir, "june.csv", 2)}, ExitOK, "stored as a text question"},
		{"drop", RunPersonal, []string{"--survey", "Care", "--drop"}, ExitOK, "does not store"},
	}
	for _, st := range steps {
		code, out, errOut := cli(t, st.cmd, append([]string{"--db", db}, st.args...)...)
		if code != st.want || !strings.Contains(out, st.wantOut) {
			t.Errorf("%s: status %d, output %q, errors %q; want status %d with %q", st.name, code, out, errOut, st.want, st.wantOut)
		}
		if st.name == "import --keep-personal into a survey that has not opted in" && !strings.Contains(errOut, "heard personal --survey") {
			t.Errorf("%s: %q does not say to run heard personal first", st.name, errOut)
		}
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: store.AuditSurveySetting, OldestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, string(e.Outcome)+" "+e.Detail)
	}
	if len(events) != 3 || events[0].Outcome != analytics.OutcomeRefused || events[1].Outcome != analytics.OutcomeOK ||
		!strings.Contains(events[1].Detail, "keep personal data") || !strings.Contains(events[2].Detail, "not stored") ||
		!strings.HasPrefix(events[1].Who, "command line:") {
		t.Errorf("survey-setting audit events %q, want refused (unknown survey), keep, drop", got)
	}
}
