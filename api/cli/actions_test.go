package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/importers/synthetic"
)

// generatedSurvey imports a generated survey of n responses into a new
// database and returns the database's path.
func generatedSurvey(t *testing.T, n int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "generated.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteCSV(f, n, seed); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	db := storetest.NewDB(t)
	if code, out, errOut := cli(t, RunImport, "--db", db, "--survey", "Generated", "--dayfirst", file); code != ExitOK {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	return db
}

// handCount counts, straight from the generated rows, the complete
// responses submitted from from to to (London days, inclusive) that
// answered the question headed header, and those that agreed or strongly
// agreed; "Don't know" is out of the base, as the agree/disagree metric
// leaves it. The file writes each response's London clock time as
// dd/mm/yyyy hh:mm, so its day is the date written.
func handCount(t *testing.T, n int, seed uint64, header, from, to string) (positive, base int64) {
	t.Helper()
	col := slices.Index(synthetic.Headers(), header)
	err := synthetic.Rows(n, seed, func(row []string) error {
		at, err := time.Parse("02/01/2006 15:04", row[1])
		if err != nil {
			return err
		}
		day := at.Format(time.DateOnly)
		if row[2] != "Complete" || day < from || day > to {
			return nil
		}
		switch row[col] {
		case "Strongly agree", "Agree":
			positive++
			base++
		case "Neither agree nor disagree", "Disagree", "Strongly disagree":
			base++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return positive, base
}

func TestActionsCommand(t *testing.T) {
	const n, seed = 1500, 42
	db := generatedSurvey(t, n, seed)
	const info = "I had enough information to make decisions"
	code, out, errOut := cli(t, RunActions, "add", "--db", db, "--survey", "Generated", "--question", info,
		"--said", "People could not find information about support", "--did", "A new leaflet and web page",
		"--done", "2024-06-15", "--agreed", "2024-05-01", "--owner", "Sam Patel",
		"--quote", "Nobody told me anything, ring me on 07700 900123", "--json")
	if code != ExitOK {
		t.Fatalf("add: exit %d: %s %s", code, out, errOut)
	}
	var got action.JSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("add --json printed %q: %v", out, err)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"before", "after", "difference", "ci_low", "ci_high", "p"} {
		if _, ok := raw[field]; !ok {
			t.Errorf("the JSON has no %q field: %s", field, out)
		}
	}

	// The windows: the six whole months before June 2024 and after it.
	bPos, bN := handCount(t, n, seed, info, "2023-12-01", "2024-05-31")
	aPos, aN := handCount(t, n, seed, info, "2024-07-01", "2024-12-31")
	if bN < 100 || aN < 100 {
		t.Fatalf("hand counts too small to test with: %d, %d", bN, aN)
	}
	win := func(w *action.WindowJSON, from, to string, pos, base int64) {
		t.Helper()
		if w == nil || w.From != from || w.To != to || w.N == nil || *w.N != base || w.Positive == nil || *w.Positive != pos ||
			w.Rate == nil || *w.Rate != float64(pos)/float64(base) {
			t.Errorf("window %+v, want %s to %s with %d of %d", w, from, to, pos, base)
		}
	}
	win(got.Before, "2023-12-01", "2024-05-31", bPos, bN)
	win(got.After, "2024-07-01", "2024-12-31", aPos, aN)
	wantDiff := float64(aPos)/float64(aN) - float64(bPos)/float64(bN)
	low, high := analytics.DifferenceInterval(aPos, aN, bPos, bN, 0.95)
	_, p := analytics.TwoProportionZ(aPos, aN, bPos, bN)
	for _, c := range []struct {
		name      string
		got       *float64
		want, tol float64
	}{{"difference", got.Difference, wantDiff, 1e-15}, {"ci_low", got.CILow, low, 0}, {"ci_high", got.CIHigh, high, 0}, {"p", got.P, p, 0}} {
		if c.got == nil || math.Abs(*c.got-c.want) > c.tol {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.Question == "" || got.QuestionText != info || got.Status != "done" || got.Months != 6 || got.Quote != "Nobody told me anything, ring me on 07700 900123" ||
		got.Owner == nil || *got.Owner != "Sam Patel" || got.Agreed != "2024-05-01" {
		t.Errorf("action %+v", got)
	}
	if want := []analytics.EffectResult{analytics.EffectRose, analytics.EffectFell, analytics.EffectNoClearChange}; !slices.Contains(want, analytics.EffectResult(got.Effect)) ||
		!strings.Contains(got.EffectSentence, "in the six months before") {
		t.Errorf("effect %q: %q", got.Effect, got.EffectSentence)
	}

	// The figures are the report's own for the same days.
	code, out, errOut = cli(t, RunReport, "--db", db, "--survey", "Generated", "--question", got.Question, "--period", "all",
		"--from", "2023-12-01", "--to", "2024-05-31", "--format", "json")
	if code != ExitOK {
		t.Fatalf("report: exit %d: %s %s", code, out, errOut)
	}
	var rep report.JSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 1 || *rep.Rows[0].N != *got.Before.N || *rep.Rows[0].Positive != *got.Before.Positive {
		t.Errorf("report rows %+v, want the action's before figure %d of %d", rep.Rows, *got.Before.Positive, *got.Before.N)
	}

	// list --json prints the same action; the text form says the effect.
	code, out, _ = cli(t, RunActions, "list", "--db", db, "--survey", "Generated", "--json")
	var list []action.JSON
	if err := json.Unmarshal([]byte(out), &list); code != ExitOK || err != nil || len(list) != 1 {
		t.Fatalf("list: exit %d, %v: %s", code, err, out)
	}
	if a, b := mustJSON(t, list[0]), mustJSON(t, got); a != b {
		t.Errorf("list printed\n%s\nadd printed\n%s", a, b)
	}
	code, out, _ = cli(t, RunActions, "list", "--db", db, "--survey", "Generated")
	if code != ExitOK || !strings.Contains(out, got.EffectSentence) || !strings.Contains(out, "2023-12-01 to 2024-05-31") {
		t.Errorf("list: exit %d:\n%s", code, out)
	}

	code, out, errOut = cli(t, RunActions, "delete", "--db", db, "--id", "1")
	if code != ExitOK || !strings.Contains(out, "Deleted action 1") {
		t.Fatalf("delete: exit %d: %s %s", code, out, errOut)
	}
	if code, _, errOut = cli(t, RunActions, "delete", "--db", db, "--id", "1"); code != ExitRefused || !strings.Contains(errOut, "no action 1") {
		t.Errorf("deleting twice: exit %d: %s", code, errOut)
	}
}

func TestActionsCommandRefuses(t *testing.T) {
	db := generatedSurvey(t, 50, 7)
	base := []string{"add", "--db", db, "--survey", "Generated", "--question", "I was listened to", "--said", "x", "--did", "y"}
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"bad date", []string{"--done", "2024-13-01"}, ExitUsage, `--done "2024-13-01" is not a date`},
		{"date written otherwise", []string{"--done", "15/06/2024"}, ExitUsage, "write it as YYYY-MM-DD"},
		{"unknown question", []string{"--done", "2024-06-15", "--question", "Q99"}, ExitUsage, "--question"},
		{"unknown survey", []string{"--done", "2024-06-15", "--survey", "Nope"}, ExitRefused, `no survey called "Nope"`},
		{"in the future", []string{"--done", "2999-01-01"}, ExitUsage, "is in the future"},
		{"agreed after done", []string{"--done", "2024-06-15", "--agreed", "2024-07-01"}, ExitUsage, "--agreed 2024-07-01 is after --done"},
		{"bad status", []string{"--done", "2024-06-15", "--status", "finished"}, ExitUsage, "--status"},
		{"too many months", []string{"--done", "2024-06-15", "--months", "30"}, ExitUsage, "--months 30"},
		{"done without a day", nil, ExitUsage, "give --done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, RunActions, append(slices.Clone(base), tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.says) {
				t.Errorf("exit %d (want %d): %s %s; want it to say %q", code, tt.code, out, errOut, tt.says)
			}
		})
	}
	code, out, _ := cli(t, RunActions, "list", "--db", db, "--survey", "Generated", "--json")
	if code != ExitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("after refusals the list is %s", out)
	}
}

// mustJSON is v as JSON.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
