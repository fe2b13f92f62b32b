package api

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// terminalAttacks are escape sequences that clear the screen, write to
// the clipboard (OSC 52), set the title, redraw a line or reorder it.
const terminalAttacks = "\x1b[2J\x1b[H" + "\x1b]52;c;aGVhcmQ=\x07" + "\x1b]0;title\x1b\\" + "\r\u009b31m\u202e"

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
	email := "ann@example.org"
	steps := []struct {
		name string
		cmd  func(context.Context, Env, []string) int
		args []string
	}{
		{"import", RunImport, []string{"--survey", survey, file}},
		{"import again", RunImport, []string{"--survey", survey, file}},
		{"import a missing file", RunImport, []string{"--survey", survey, file + ".gone"}},
		{"import dry run", RunImport, []string{"--dry-run", file}},
		{"surveys", RunSurveys, nil},
		{"questions", RunQuestions, []string{"--survey", survey}},
		{"questions of no survey", RunQuestions, []string{"--survey", "No " + terminalAttacks}},
		{"report", RunReport, []string{"--survey", survey, "--by", "team", "--period", "all"}},
		{"report csv", RunReport, []string{"--survey", survey, "--by", "team", "--period", "all", "--format", "csv"}},
		{"report of no question", RunReport, []string{"--survey", survey, "--question", "No " + terminalAttacks}},
		{"report by no column", RunReport, []string{"--survey", survey, "--by", "No " + terminalAttacks}},
		{"report with a bad where", RunReport, []string{"--survey", survey, "--where", "team=North " + terminalAttacks}},
		{"export trends", RunExport, []string{"trends", "--survey", survey, "--by", "team"}},
		{"export trends of no survey", RunExport, []string{"trends", "--survey", "No " + terminalAttacks}},
		{"metric save", RunMetric, []string{"save", "--survey", survey, "--name", "Happy " + terminalAttacks,
			"--question", question, "--positive", "Very satisfied,Fairly satisfied"}},
		{"metric save badly", RunMetric, []string{"save", "--survey", survey, "--name", "Sad " + terminalAttacks,
			"--question", question, "--positive", "Elated " + terminalAttacks}},
		{"metric list", RunMetric, []string{"list", "--survey", survey}},
		{"imports", RunImports, nil},
		{"imports of a survey", RunImports, []string{"--survey", survey}},
		{"user add", RunUser, []string{"add", "--email", email, "--role", "analyst", "--name", "Ann " + terminalAttacks}},
		{"user add badly", RunUser, []string{"add", "--email", "x" + terminalAttacks, "--role", "analyst"}},
		{"user list", RunUser, []string{"list"}},
		{"user role of nobody", RunUser, []string{"role", "--email", "nobody" + terminalAttacks + "@example.org", "--role", "viewer"}},
		{"token create", RunToken, []string{"create", "--email", email, "--name", "Monthly " + terminalAttacks}},
		{"token list", RunToken, []string{"list"}},
		{"survey add-member", RunSurvey, []string{"add-member", "--survey", survey, "--email", email}},
		{"survey members", RunSurvey, []string{"members", "--survey", survey}},
		{"survey remove-member", RunSurvey, []string{"remove-member", "--survey", survey, "--email", email}},
		{"retention set", RunRetention, []string{"set", "--survey", survey, "--days", "3650"}},
		{"retention set badly", RunRetention, []string{"set", "--survey", "No " + terminalAttacks, "--days", "30"}},
		{"retention list", RunRetention, []string{"list"}},
		{"retention purge dry run", RunRetention, []string{"purge", "--dry-run"}},
		{"personal", RunPersonal, []string{"--survey", survey}},
		{"audit", RunAudit, nil},
		{"backup", RunBackup, []string{"--out", filepath.Join(dir, "backup "+terminalAttacks+".db")}},
		{"backup check", RunBackup, []string{"--check", filepath.Join(dir, "backup "+terminalAttacks+".db")}},
		{"backup check of no file", RunBackup, []string{"--check", filepath.Join(dir, "none "+terminalAttacks+".db")}},
		{"imports delete", RunImports, []string{"delete", "--id", "1"}},
		{"unknown flag", RunSurveys, []string{"--" + terminalAttacks}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			args := append([]string{"--db", db}, s.args...)
			if len(s.args) > 0 && !strings.HasPrefix(s.args[0], "-") { // a subcommand comes first
				args = append([]string{s.args[0], "--db", db}, s.args[1:]...)
			}
			code, out, errOut := cli(t, s.cmd, args...)
			for stream, text := range map[string]string{"standard output": out, "standard error": errOut} {
				if r, bad := terminalUnsafe(text); bad {
					t.Errorf("exit %d: %s holds %U: %q", code, stream, r, text)
				}
			}
			if s.name == "metric save" && code != ExitOK {
				t.Fatalf("the metric was not saved: exit %d %s", code, errOut)
			}
		})
	}
}

// TestTerminalWriterSplitCharacters writes a C1 control (CSI, two bytes in
// UTF-8) and an override split across writes, byte by byte: the writer
// still replaces them, and keeps ordinary text whole.
func TestTerminalWriterSplitCharacters(t *testing.T) {
	var b strings.Builder
	w := &terminalWriter{w: &b}
	in := "caf\u00e9 \u009b2J \u202eevil\tok\n\x1b[H \U0001F600\xff"
	for i := range len(in) {
		if n, err := w.Write([]byte{in[i]}); n != 1 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	if want := "caf\u00e9 ?2J ?evil\tok\n?[H \U0001F600\uFFFD"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
