package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readCSV parses a CSV the way a reader of the board's file would.
func readCSV(t testing.TB, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, text)
	}
	return recs
}

func TestExportTrends(t *testing.T) {
	db, rows := newReportDB(t)
	if code, _, errOut := cli(t, RunMetric, "save", "--db", db, "--survey", "Feedback", "--name", "Home care share",
		"--question", "service", "--positive", "Home care"); code != ExitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := cli(t, RunExport, "trends", "--db", db, "--survey", "Feedback", "--by", "team")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := readCSV(t, out)
	header := []string{"survey", "metric", "question", "period", "group", "numerator", "denominator", "rate",
		"ci_low", "ci_high", "suppressed", "disclosure_policy", "disclosure_rule", "question_text"}
	if !slices.Equal(recs[0], header) {
		t.Fatalf("header %q, want %q", recs[0], header)
	}
	metrics := map[string]bool{}
	var formula, tiny, north int
	for _, r := range recs[1:] {
		metrics[r[1]] = true
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("cell %q could run as a formula", cell)
			}
		}
		switch r[4] {
		case `'=HYPERLINK("http://x","y")`:
			formula++
		case "Tiny":
			tiny++
			if r[10] != "true" || r[5] != "" || r[6] != "" || r[7] != "" {
				t.Errorf("a team of 3 is in the board's file: %q", r)
			}
		case "North":
			if r[1] != "FFT % positive" {
				continue
			}
			north++
			n, pos := expectRate(rows, r[3], "North", false)
			rate := strconv.FormatFloat(float64(pos)/float64(n)*100, 'f', 1, 64)
			if r[5] != strconv.FormatInt(pos, 10) || r[6] != strconv.FormatInt(n, 10) || r[7] != rate || r[10] != "false" {
				t.Errorf("North in %s: %q, want %d of %d, %s%%", r[3], r, pos, n, rate)
			}
		}
	}
	if formula == 0 || tiny == 0 || north != 6 {
		t.Errorf("the formula team appears %d times, Tiny %d, North's FFT rows %d", formula, tiny, north)
	}
	for _, m := range []string{"FFT % positive", "% yes"} {
		if !metrics[m] {
			t.Errorf("the file lacks metric %q (has %v)", m, metrics)
		}
	}
	// One figure per question reaches the board: a saved metric on a
	// question beside its default one would let the two be subtracted.
	if metrics["Home care share"] {
		t.Error("the board's file carries a saved metric as well as the default one")
	}
	for _, r := range recs[1:] {
		if r[11] != "heard" || !strings.HasPrefix(r[12], "heard's rule") {
			t.Fatalf("line %q does not name the disclosure policy", r)
		}
	}

	file := filepath.Join(t.TempDir(), "trends.csv")
	if code, _, errOut := cli(t, RunExport, "trends", "--db", db, "--survey", "Feedback", "--by", "team", "--out", file); code != ExitOK {
		t.Fatalf("--out: exit %d: %s", code, errOut)
	}
	if written, err := os.ReadFile(file); err != nil || string(written) != out {
		t.Fatalf("--out wrote something else (%v)", err)
	}
}

func TestExportTrendsRefuses(t *testing.T) {
	db, _ := newReportDB(t)
	cases := []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"nothing to export", []string{}, ExitUsage, "export trends"},
		{"unknown export", []string{"comments"}, ExitUsage, "export trends"},
		{"no survey", []string{"trends", "--db", db}, ExitUsage, "--survey"},
		{"unknown survey", []string{"trends", "--db", db, "--survey", "Nope"}, ExitRefused, "no survey"},
		{"two columns", []string{"trends", "--db", db, "--survey", "Feedback", "--by", "team,service"}, ExitUsage, "one column"},
		{"a missing folder", []string{"trends", "--db", db, "--survey", "Feedback", "--out", filepath.Join(t.TempDir(), "no", "x.csv")},
			ExitRefused, "x.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := cli(t, RunExport, c.args...)
			if code != c.exit || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want %d; message %q should contain %q", code, c.exit, errOut, c.want)
			}
		})
	}
}

func TestReportCSVIsSafe(t *testing.T) {
	db, _ := newReportDB(t)
	code, out, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--question", "overall", "--by", "team", "--format", "csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := readCSV(t, out)
	if recs[0][0] != "survey" || len(recs) != 1+6*5 {
		t.Fatalf("%d lines, header %q", len(recs), recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		if r[4] == `'=HYPERLINK("http://x","y")` {
			found = true
		}
		if strings.HasPrefix(r[4], "=") {
			t.Errorf("group %q could run as a formula", r[4])
		}
	}
	if !found {
		t.Error("the formula team is missing from the CSV")
	}
}
