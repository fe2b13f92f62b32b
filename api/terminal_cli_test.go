package api

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/heard-council/heard/api/cli"
)

// terminalUnsafe returns the first character of out that a terminal would
// act on rather than show: a control character but a line feed or a tab,
// a bidirectional control, or a byte that is not UTF-8.
func terminalUnsafe(out string) (rune, bool) {
	for i, r := range out {
		if r == utf8.RuneError && !strings.HasPrefix(out[i:], "\uFFFD") {
			return r, true
		}
		if r != '\n' && r != '\t' && unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' {
			return r, true
		}
	}
	return 0, false
}

// TestTerminalSafety checks finding 8: every command's table, plain text
// and error messages, and its CSV on standard output, show a survey name,
// question text, file name, team, account and token name full of escape
// sequences as text, never as the escapes themselves.
func TestTerminalSafety(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "heard.db")
	survey := "People " + terminalAttacks + " survey"
	// A workbook's cells may hold control characters (as _x001B_); a CSV
	// holding them is refused as not text.
	xl := "_x001B_[2J_x001B_[H_x001B_]52;c;aGVhcmQ=_x0007__x000D_\u009b31m\u202e"
	recs := editRecords("terminal", func(_ int, r []string) []string { r[2] = "North " + xl; return r })
	recs[0][3] = "How satisfied are you " + xl + "?"
	file := filepath.Join(dir, "May "+terminalAttacks+".xlsx")
	if err := os.WriteFile(file, buildTestZip(t, workbookEntries(sheetOf(recs), "")), 0o600); err != nil {
		t.Fatal(err)
	}
	question := "how_satisfied_are_you_2j_h_52_c_agvhcmq_31m" // the heading's code
	bench := filepath.Join(dir, "ascof-2020-21 "+terminalAttacks+".csv")
	benchRows := "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,Disaggregation Level,Measure Type,Measure Value\n" +
		"211,Kirk\u202elees,Council,E08000034,3A,Total,Outcome,66.7\nYH,Yorkshire and The Humber,Region,E12000003,3A,Total,Outcome,[x]\n"
	if err := os.WriteFile(bench, []byte(benchRows), 0o600); err != nil {
		t.Fatal(err)
	}
	email := "ann@example.org"
	steps := []struct {
		name string
		cmd  func(context.Context, cli.Env, []string) int
		args []string
	}{
		{"import", cli.RunImport, []string{"--survey", survey, file}},
		{"import again", cli.RunImport, []string{"--survey", survey, file}},
		{"import a missing file", cli.RunImport, []string{"--survey", survey, file + ".gone"}},
		{"import dry run", cli.RunImport, []string{"--dry-run", file}},
		{"surveys", cli.RunSurveys, nil},
		{"questions", cli.RunQuestions, []string{"--survey", survey}},
		{"questions of no survey", cli.RunQuestions, []string{"--survey", "No " + terminalAttacks}},
		{"report", cli.RunReport, []string{"--survey", survey, "--by", "team", "--period", "all"}},
		{"report csv", cli.RunReport, []string{"--survey", survey, "--by", "team", "--period", "all", "--format", "csv"}},
		{"report of no question", cli.RunReport, []string{"--survey", survey, "--question", "No " + terminalAttacks}},
		{"report by no column", cli.RunReport, []string{"--survey", survey, "--by", "No " + terminalAttacks}},
		{"report with a bad where", cli.RunReport, []string{"--survey", survey, "--where", "team=North " + terminalAttacks}},
		{"export trends", cli.RunExport, []string{"trends", "--survey", survey, "--by", "team"}},
		{"export trends of no survey", cli.RunExport, []string{"trends", "--survey", "No " + terminalAttacks}},
		{"metric save", cli.RunMetric, []string{"save", "--survey", survey, "--name", "Happy " + terminalAttacks,
			"--question", question, "--positive", "Very satisfied,Fairly satisfied"}},
		{"metric save badly", cli.RunMetric, []string{"save", "--survey", survey, "--name", "Sad " + terminalAttacks,
			"--question", question, "--positive", "Elated " + terminalAttacks}},
		{"metric list", cli.RunMetric, []string{"list", "--survey", survey}},
		{"imports", cli.RunImports, nil},
		{"imports of a survey", cli.RunImports, []string{"--survey", survey}},
		{"user add", cli.RunUser, []string{"add", "--email", email, "--role", "analyst", "--name", "Ann " + terminalAttacks}},
		{"user add badly", cli.RunUser, []string{"add", "--email", "x" + terminalAttacks, "--role", "analyst"}},
		{"user list", cli.RunUser, []string{"list"}},
		{"user role of nobody", cli.RunUser, []string{"role", "--email", "nobody" + terminalAttacks + "@example.org", "--role", "viewer"}},
		{"token create", cli.RunToken, []string{"create", "--email", email, "--name", "Monthly " + terminalAttacks}},
		{"token list", cli.RunToken, []string{"list"}},
		{"survey add-member", cli.RunSurvey, []string{"add-member", "--survey", survey, "--email", email}},
		{"survey members", cli.RunSurvey, []string{"members", "--survey", survey}},
		{"survey remove-member", cli.RunSurvey, []string{"remove-member", "--survey", survey, "--email", email}},
		{"retention set", cli.RunRetention, []string{"set", "--survey", survey, "--days", "3650"}},
		{"retention set badly", cli.RunRetention, []string{"set", "--survey", "No " + terminalAttacks, "--days", "30"}},
		{"retention list", cli.RunRetention, []string{"list"}},
		{"retention purge dry run", cli.RunRetention, []string{"purge", "--dry-run"}},
		{"personal", cli.RunPersonal, []string{"--survey", survey}},
		{"audit", cli.RunAudit, nil},
		{"backup", cli.RunBackup, []string{"--out", filepath.Join(dir, "backup "+terminalAttacks+".db")}},
		{"backup check", cli.RunBackup, []string{"--check", filepath.Join(dir, "backup "+terminalAttacks+".db")}},
		{"backup check of no file", cli.RunBackup, []string{"--check", filepath.Join(dir, "none "+terminalAttacks+".db")}},
		{"imports delete", cli.RunImports, []string{"delete", "--id", "1"}},
		{"benchmark import", cli.RunBenchmark, []string{"import", bench}},
		{"benchmark import of no file", cli.RunBenchmark, []string{"import", bench + ".gone"}},
		{"benchmark list", cli.RunBenchmark, []string{"list", "--measure", "3A"}},
		{"benchmark list of no measure", cli.RunBenchmark, []string{"list", "--measure", "No " + terminalAttacks}},
		{"benchmark council", cli.RunBenchmark, []string{"council", "--code", "211"}},
		{"benchmark council badly", cli.RunBenchmark, []string{"council", "--code", "No " + terminalAttacks}},
		{"unknown flag", cli.RunSurveys, []string{"--" + terminalAttacks}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			args := append([]string{"--db", db}, s.args...)
			if len(s.args) > 0 && !strings.HasPrefix(s.args[0], "-") { // a subcommand comes first
				args = append([]string{s.args[0], "--db", db}, s.args[1:]...)
			}
			code, out, errOut := runCLI(t, s.cmd, args...)
			for stream, text := range map[string]string{"standard output": out, "standard error": errOut} {
				if r, bad := terminalUnsafe(text); bad {
					t.Errorf("exit %d: %s holds %U: %q", code, stream, r, text)
				}
			}
			if s.name == "metric save" && code != cli.ExitOK {
				t.Fatalf("the metric was not saved: exit %d %s", code, errOut)
			}
			if (s.name == "benchmark import" || s.name == "benchmark list") && code != cli.ExitOK {
				t.Fatalf("exit %d: %s %s", code, out, errOut)
			}
		})
	}
}

// terminalAttacks are escape sequences that clear the screen, write to
// the clipboard (OSC 52), set the title, redraw a line or reorder it.
const terminalAttacks = "\x1b[2J\x1b[H" + "\x1b]52;c;aGVhcmQ=\x07" + "\x1b]0;title\x1b\\" + "\r\u009b31m\u202e"
