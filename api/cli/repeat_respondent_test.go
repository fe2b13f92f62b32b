package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/ingest"
)

// TestRepeatRespondentWithChangedAnswersIsReported is finding 9 (in issue
// 8) part 3: a respondent id seen again (later in the same file, or already
// stored from an earlier import) with different answers was counted as a
// plain duplicate. The first answers are still the ones kept; the import
// summary (text, JSON, dry run) now says how many repeats changed.
func TestRepeatRespondentWithChangedAnswersIsReported(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("Response ID,Date submitted,Team,Do you feel safe?\r\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// In April, respondent 3 answers twice differently, 4 twice the same,
	// and 5 moves team.
	april := write("april.csv", "1,01/04/2024,North,Yes\r\n2,02/04/2024,North,No\r\n3,03/04/2024,South,Yes\r\n"+
		"3,03/04/2024,South,No\r\n4,04/04/2024,South,Yes\r\n4,04/04/2024,South,Yes\r\n5,05/04/2024,North,Yes\r\n5,05/04/2024,South,Yes\r\n")
	// May's export repeats 1 unchanged and 2 changed, and adds 6.
	may := write("may.csv", "1,01/04/2024,North,Yes\r\n2,02/04/2024,North,Yes\r\n6,06/05/2024,North,Yes\r\n")
	db := storetest.NewDB(t)

	code, out, errOut := cli(t, RunImport, "--db", db, "--survey", "Feedback", "--dry-run", "--json", april)
	if code != ExitOK {
		t.Fatalf("dry run: exit %d: %s%s", code, out, errOut)
	}
	if rep := decodeReport(t, strings.TrimSpace(out)); rep.Duplicates != 3 || rep.DuplicatesChanged != 2 {
		t.Errorf("dry run: %d duplicates, %d changed; want 3, 2", rep.Duplicates, rep.DuplicatesChanged)
	}

	code, out, errOut = cli(t, RunImport, "--db", db, "--survey", "Feedback", "--json", april)
	if code != ExitOK {
		t.Fatalf("april: exit %d: %s%s", code, out, errOut)
	}
	rep := decodeReport(t, strings.TrimSpace(out))
	if rep.ResponsesAdded != 5 || rep.Duplicates != 3 || rep.DuplicatesChanged != 2 {
		t.Errorf("april: %d added, %d duplicates, %d changed; want 5, 3, 2", rep.ResponsesAdded, rep.Duplicates, rep.DuplicatesChanged)
	}
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "2 responses repeat a respondent id") ||
		!strings.Contains(w, "the first answers were kept") {
		t.Errorf("april warnings %q do not report the changed repeats", rep.Warnings)
	}

	code, out, errOut = cli(t, RunImport, "--db", db, "--survey", "Feedback", may)
	if code != ExitOK {
		t.Fatalf("may: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "1 response added, 2 duplicates skipped") ||
		!strings.Contains(out, "1 response repeats a respondent id already stored or earlier in this file with different answers") {
		t.Errorf("may's summary does not report the changed repeat:\n%s", out)
	}

	// The first answers are the ones kept: respondent 2 still said "No"
	// (and 3 "Yes"), so 5 of the 6 said "Yes".
	rep2 := runReportJSON(t, "--db", db, "--survey", "Feedback", "--question", "Do you feel safe?", "--period", "all")
	for _, row := range rep2.Rows {
		if row.Group == "" && (row.N == nil || *row.N != 6 || row.Positive == nil || *row.Positive != 5) {
			t.Errorf("overall row n %v positive %v; want 5 of 6", *row.N, *row.Positive)
		}
	}
}

// A dry run counts repeats as the import does: 3,000 rows drawing their
// ids from 1,000 (some seen once, some four times or more, answers the same
// or not, in any order), then the same counts from the import itself.
func TestDryRunCountsRepeatsAsTheImport(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 5))
	var b strings.Builder
	b.WriteString("Response ID,Date submitted,Team,Do you feel safe?\r\n")
	for range 3000 {
		answer := "Yes"
		if rng.IntN(4) == 0 {
			answer = "No"
		}
		fmt.Fprintf(&b, "R%d,0%d/04/2024,North,%s\r\n", rng.IntN(1000), 1+rng.IntN(9), answer)
	}
	path := filepath.Join(t.TempDir(), "repeats.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	db := storetest.NewDB(t)
	run := func(args ...string) ingest.ImportReport {
		t.Helper()
		code, out, errOut := cli(t, RunImport, append([]string{"--db", db, "--survey", "Feedback", "--json"}, args...)...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s%s", args, code, out, errOut)
		}
		return decodeReport(t, strings.TrimSpace(out))
	}
	dry, imported := run("--dry-run", path), run(path)
	if dry.ResponsesAdded != imported.ResponsesAdded || dry.Duplicates != imported.Duplicates || dry.DuplicatesChanged != imported.DuplicatesChanged {
		t.Errorf("dry run %d added, %d duplicates, %d changed; the import %d, %d, %d",
			dry.ResponsesAdded, dry.Duplicates, dry.DuplicatesChanged, imported.ResponsesAdded, imported.Duplicates, imported.DuplicatesChanged)
	}
	if imported.ResponsesAdded+imported.Duplicates != 3000 || imported.DuplicatesChanged == 0 || imported.DuplicatesChanged == imported.Duplicates {
		t.Errorf("the file does not test what it should: %+v", imported)
	}
}
