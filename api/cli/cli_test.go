package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// cli runs a command the way main does and returns its exit status and
// output.
func cli(t testing.TB, cmd func(context.Context, Env, []string) int, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, OpenStore: store.Open}
	code := cmd(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

func fixture(name string) string { return filepath.Join("..", "..", "testdata", name) }

func decodeReport(t testing.TB, line string) ingest.ImportReport {
	t.Helper()
	var rep ingest.ImportReport
	if err := json.Unmarshal([]byte(line), &rep); err != nil {
		t.Fatalf("not a JSON report: %q: %v", line, err)
	}
	return rep
}

func TestImportCommandJSON(t *testing.T) {
	db := storetest.NewDB(t)
	code, out, errOut := cli(t, RunImport, "--db", db, "--json", fixture("smartsurvey-small.csv"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	rep := decodeReport(t, strings.TrimSpace(out))
	if rep.Survey != "smartsurvey-small" || rep.Format != "smartsurvey" || rep.RowsRead != 40 || rep.ResponsesAdded != 40 || len(rep.FileSHA256) != 64 {
		t.Fatalf("report = %+v", rep)
	}
	var sat, comments bool
	for _, q := range rep.Questions {
		if strings.HasPrefix(q.Text, "Overall, how satisfied") {
			sat = q.Kind == "scale" && len(q.Options) == 5 && q.Options[0].Label == "Very satisfied" && q.Options[0].Polarity == "positive"
		}
		if strings.Contains(q.Text, "you'd like to tell us") {
			comments = q.Kind == "text"
		}
	}
	if !sat || !comments {
		t.Fatalf("questions: satisfaction scale %v, comments (with @SQ@ read as an apostrophe) %v: %+v", sat, comments, rep.Questions)
	}
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	for _, key := range []string{"survey", "file", "format", "file_sha256", "rows_read", "responses_added", "duplicates", "already_imported", "questions", "dimensions", "errors"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("JSON report lacks %q", key)
		}
	}

	code, out, _ = cli(t, RunImport, "--db", db, "--json", fixture("smartsurvey-small.csv"))
	if again := decodeReport(t, strings.TrimSpace(out)); code != ExitOK || !again.AlreadyImported || again.ResponsesAdded != 0 {
		t.Fatalf("second import: exit %d, %+v", code, again)
	}

	code, out, _ = cli(t, RunImport, "--db", db, "--json", "--survey", "smartsurvey-small", fixture("password-protected.xlsx"))
	refused := decodeReport(t, strings.TrimSpace(out))
	if code != ExitRefused || len(refused.Errors) == 0 || !strings.Contains(strings.ToLower(refused.Errors[0].Message), "password") {
		t.Fatalf("password-protected workbook: exit %d, %+v", code, refused)
	}

	code, out, _ = cli(t, RunSurveys, "--db", db, "--json")
	var surveys []report.SurveyJSON
	if err := json.Unmarshal([]byte(out), &surveys); err != nil || code != ExitOK {
		t.Fatalf("surveys: exit %d, %q, %v", code, out, err)
	}
	if len(surveys) != 1 || surveys[0].Responses != 40 || surveys[0].Imports != 1 || surveys[0].FirstDate != "2024-04-01" {
		t.Fatalf("surveys = %+v", surveys)
	}

	code, out, _ = cli(t, RunQuestions, "--db", db, "--survey", "smartsurvey-small", "--json")
	var qs report.QuestionsJSON
	if err := json.Unmarshal([]byte(out), &qs); err != nil || code != ExitOK {
		t.Fatalf("questions: exit %d, %q, %v", code, out, err)
	}
	if len(qs.Questions) != len(rep.Questions) || len(qs.Dimensions) != len(rep.Dimensions) || len(qs.Dimensions) == 0 {
		t.Fatalf("questions = %+v; the import reported %d questions and %d dimensions", qs, len(rep.Questions), len(rep.Dimensions))
	}
}

func TestImportCommandUsage(t *testing.T) {
	db := storetest.NewDB(t)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no file", []string{"--db", db}, ExitUsage},
		{"unknown format", []string{"--db", db, "--format", "excel", fixture("smartsurvey-small.csv")}, ExitUsage},
		{"both date orders", []string{"--db", db, "--dayfirst", "--monthfirst", fixture("smartsurvey-small.csv")}, ExitUsage},
		{"unknown flag", []string{"--db", db, "--colour", fixture("smartsurvey-small.csv")}, ExitUsage},
		{"missing file", []string{"--db", db, "no-such-file.csv"}, ExitRefused},
		{"old xls", []string{"--db", db, fixture("old-format.xls")}, ExitRefused},
		{"ods", []string{"--db", db, fixture("opendocument.ods")}, ExitRefused},
		{"over the row limit", []string{"--db", db, "--max-rows", "10", fixture("smartsurvey-small.csv")}, ExitRefused},
		{"over the size limit", []string{"--db", db, "--max-file-mb", "0", fixture("smartsurvey-small.csv")}, ExitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, out, errOut := cli(t, RunImport, tc.args...); code != tc.want {
				t.Fatalf("exit %d, want %d: %s %s", code, tc.want, out, errOut)
			}
		})
	}
	if code, out, _ := cli(t, RunSurveys, "--db", db, "--json"); code != ExitOK || strings.TrimSpace(out) != "[]" {
		t.Fatalf("refused files stored something: %q", out)
	}
}

// editCSV writes a changed copy of a CSV fixture: edit gets every record
// (the header first) and returns the record to write.
func editCSV(t testing.TB, src, dst string, edit func(i int, rec []string) []string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	for i, r := range recs {
		w.Write(edit(i, r))
	}
	w.Flush()
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestNextMonthsFile imports a second file into the same survey: columns are
// matched by header text, differences reported, and a value outside a
// scale refuses the file with its row and column, storing nothing.
func TestNextMonthsFile(t *testing.T) {
	dir := t.TempDir()
	db := storetest.NewDB(t)
	if code, out, _ := cli(t, RunImport, "--db", db, "--survey", "Feedback", fixture("smartsurvey-small.csv")); code != ExitOK {
		t.Fatalf("first import: %s", out)
	}
	june := filepath.Join(dir, "june.csv")
	editCSV(t, fixture("smartsurvey-small.csv"), june, func(i int, rec []string) []string {
		rec = append([]string{}, rec[:5]...) // drop Age band and the rest but the answers we keep
		rec = append(rec, "x")
		if i == 0 {
			rec[5] = "Locality"
		} else {
			rec[0] = "J" + rec[0]
			rec[5] = []string{"Northgate", "Southfield"}[i%2]
		}
		return rec
	})
	code, out, _ := cli(t, RunImport, "--db", db, "--survey", "Feedback", "--json", june)
	rep := decodeReport(t, strings.TrimSpace(out))
	if code != ExitOK || rep.ResponsesAdded != 40 {
		t.Fatalf("june: exit %d, %+v", code, rep)
	}
	changes := strings.Join(rep.Changes, "\n")
	for _, want := range []string{`new column "Locality"`, `"Age band" from earlier files is not in this file`} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes do not say %s:\n%s", want, changes)
		}
	}

	bad := filepath.Join(dir, "july.csv")
	editCSV(t, fixture("smartsurvey-small.csv"), bad, func(i int, rec []string) []string {
		if i > 0 {
			rec[0] = "K" + rec[0]
		}
		if i == 14 {
			rec[6] = "Very satisfiedd"
		}
		return rec
	})
	code, out, _ = cli(t, RunImport, "--db", db, "--survey", "Feedback", "--json", bad)
	rep = decodeReport(t, strings.TrimSpace(out))
	if code != ExitRefused || len(rep.Errors) != 1 {
		t.Fatalf("july: exit %d, %+v", code, rep)
	}
	e := rep.Errors[0]
	if e.Row != 15 || !strings.HasPrefix(e.Column, "Overall, how satisfied") || !strings.Contains(e.Message, "Very satisfiedd") {
		t.Fatalf("error = %+v, want row 15, the satisfaction column and the value", e)
	}
	_, out, _ = cli(t, RunSurveys, "--db", db, "--json")
	var surveys []report.SurveyJSON
	json.Unmarshal([]byte(out), &surveys)
	if len(surveys) != 1 || surveys[0].Responses != 80 || surveys[0].Imports != 2 {
		t.Fatalf("after the refused file: %+v", surveys)
	}
}

func TestImportCommandIsAudited(t *testing.T) {
	db := storetest.NewDB(t)
	cli(t, RunImport, "--db", db, fixture("smartsurvey-small.csv"))
	cli(t, RunImport, "--db", db, "--survey", "x", fixture("old-format.xls"))
	cli(t, RunImport, "--db", db, "--dry-run", fixture("google-forms-hotdog.csv"))
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: analytics.AuditImport, OldestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("%d import events, want 2 (the dry run is not one): %+v", len(events), events)
	}
	if events[0].Outcome != analytics.OutcomeOK || !strings.Contains(events[0].Object, "smartsurvey-small.csv") || !strings.HasPrefix(events[0].Who, "command line:") {
		t.Errorf("first event = %+v", events[0])
	}
	if events[1].Outcome != analytics.OutcomeRefused {
		t.Errorf("second event = %+v, want refused", events[1])
	}
}
