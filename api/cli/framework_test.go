package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// writeCSV writes text to a file of a new folder and returns its path.
func writeCSV(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// frameworksJSON runs `heard framework list --json`.
func frameworksJSON(t *testing.T, db string) []analytics.Framework {
	t.Helper()
	code, out, errOut := cli(t, RunFramework, "list", "--db", db, "--json")
	var list []analytics.Framework
	if err := json.Unmarshal([]byte(out), &list); code != ExitOK || err != nil {
		t.Fatalf("framework list --json: exit %d %v\n%s%s", code, err, out, errOut)
	}
	return list
}

// TestFrameworkCommands: `heard framework import` loads a council's
// statements from a CSV with a BOM, `list --json` prints them after the
// built-in frameworks, a file with bad rows is refused with one line per
// problem naming file, row and column and stores nothing, and a framework
// is deleted.
func TestFrameworkCommands(t *testing.T) {
	db := storetest.NewDB(t)
	good := writeCSV(t, "ours.csv", "\ufeffId,Theme,Statement,Parent\nW1,Assessment,We listen to people,cqc:assessing-needs\n"+
		"I1,Information and advice,I can find advice when I need it,mir:information\n")
	code, out, errOut := cli(t, RunFramework, "import", "--db", db, "--name", "ours", "--title", "Our I and We statements", good)
	if code != ExitOK || !strings.Contains(out, `Imported framework "ours": 2 statements from `+good) {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	list := frameworksJSON(t, db)
	if len(list) != 3 || list[0].Name != "cqc" || len(list[0].Statements) != 9 || list[1].Name != "mir" || len(list[1].Statements) != 6 {
		t.Fatalf("frameworks: %+v", list)
	}
	want := analytics.Framework{Name: "ours", Title: "Our I and We statements", Statements: []analytics.Statement{
		{ID: "W1", Theme: "Assessment", Text: "We listen to people", Parent: "cqc:assessing-needs"},
		{ID: "I1", Theme: "Information and advice", Text: "I can find advice when I need it", Parent: "mir:information"}}}
	if got, _ := json.Marshal(list[2]); string(got) != string(must(json.Marshal(want))) {
		t.Errorf("the loaded framework:\n%s\nwant\n%s", got, must(json.Marshal(want)))
	}
	var raw []map[string]any
	_, out, _ = cli(t, RunFramework, "list", "--db", db, "--json")
	json.Unmarshal([]byte(out), &raw)
	if st := raw[0]["statements"].([]any)[0].(map[string]any); st["id"] != "assessing-needs" || st["theme"] != "Working with people" ||
		st["statement"] != "Assessing needs" || raw[0]["built_in"] != true {
		t.Errorf("the JSON's names: %v", raw[0])
	}
	_, out, _ = cli(t, RunFramework, "list", "--db", db)
	for _, w := range []string{"cqc: CQC assessment framework for local authorities (built in, 9 statements)", "ours:W1", "refines cqc:assessing-needs"} {
		if !strings.Contains(out, w) {
			t.Errorf("framework list lacks %q:\n%s", w, out)
		}
	}

	bad := writeCSV(t, "bad.csv", "id,theme,statement\nA1,Theme,\nA1,Theme,Words\n")
	code, out, errOut = cli(t, RunFramework, "import", "--db", db, "--name", "other", bad)
	wantErr := "heard: " + bad + `, row 2, column "statement": this is empty: give its words` + "\n" +
		"heard: " + bad + `, row 3, column "id": the id "A1" is used already on row 2: give each statement an id of its own` + "\n"
	if code != ExitRefused || errOut != wantErr || out != "" {
		t.Errorf("bad rows: exit %d\nstdout %q\nstderr %q\nwant   %q", code, out, errOut, wantErr)
	}
	if len(frameworksJSON(t, db)) != 3 {
		t.Error("a refused file stored a framework")
	}
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"import", "--name", "cqc", good}, ExitUsage, `heard: --name "cqc" is a framework heard ships, which cannot be replaced`},
		{[]string{"import", "--name", "Ours", good}, ExitRefused, `the framework name "Ours" is not one heard can use`},
		{[]string{"import", "--name", "x", filepath.Join(t.TempDir(), "missing.csv")}, ExitRefused, "heard cannot open this file"},
		{[]string{"import", good}, ExitUsage, "give --name and one file"},
		{[]string{"delete", "--name", "mir"}, ExitUsage, `"mir" is a framework heard ships, which cannot be deleted`},
		{[]string{"delete", "--name", "nope"}, ExitRefused, `there is no framework "nope"; the frameworks are cqc, mir, ours`},
	} {
		code, _, errOut := cli(t, RunFramework, append(c.args, "--db", db)...)
		if c.args[0] == "import" { // flags before the file
			code, _, errOut = cli(t, RunFramework, append([]string{c.args[0], "--db", db}, c.args[1:]...)...)
		}
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: exit %d %q, want %d %q", c.args, code, errOut, c.code, c.err)
		}
	}
	if code, out, errOut := cli(t, RunFramework, "delete", "--db", db, "--name", "ours"); code != ExitOK || !strings.Contains(out, `Deleted framework "ours"`) {
		t.Fatalf("delete: exit %d %s%s", code, out, errOut)
	}
	if len(frameworksJSON(t, db)) != 2 {
		t.Error("the deleted framework is still listed")
	}
}

// TestTagCommand tags a question and a comment theme with statements, lists
// the tags, refuses to re-import a framework that would drop a tagged
// statement (naming the tag), removes a tag, and then re-imports.
func TestTagCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	file := writeCSV(t, "ours.csv", "id,theme,statement\nW1,Assessment,We listen\nW2,Assessment,We act\n")
	if code, out, errOut := cli(t, RunFramework, "import", "--db", db, "--name", "ours", file); code != ExitOK {
		t.Fatalf("import: %d %s%s", code, out, errOut)
	}
	var question string
	code, out, _ := cli(t, RunQuestions, "--db", db, "--survey", "Feedback", "--json")
	var qs struct{ Questions []analytics.Question }
	if json.Unmarshal([]byte(out), &qs); code != ExitOK || len(qs.Questions) == 0 {
		t.Fatalf("questions: %d %s", code, out)
	}
	question = qs.Questions[0].Code
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--question", strings.ToUpper(question), "--statement", "ours:W2"}, ExitOK, `The question "` + question + `" of survey "Feedback" is tagged with ours:W2.`},
		{[]string{"--question", question, "--statement", "ours:W2"}, ExitOK, "is already tagged with ours:W2"},
		{[]string{"--question", question, "--statement", "cqc:assessing-needs"}, ExitOK, "tagged with cqc:assessing-needs"},
		{[]string{"--theme", "nhs:Staff attitude", "--statement", "ours:W2"}, ExitOK, `The comment theme "Staff attitude" of model "nhs" of survey "Feedback" is tagged with ours:W2.`},
		{[]string{"--question", "nope", "--statement", "ours:W2"}, ExitUsage, `--question "nope" is not a question of survey "Feedback"; its questions are ` + question},
		{[]string{"--question", question, "--statement", "ours:W9"}, ExitRefused, `framework "ours" has no statement "W9"; its statements are W1, W2`},
		{[]string{"--question", question, "--statement", "assessing-needs"}, ExitUsage, `--statement "assessing-needs" does not name a statement: write FRAMEWORK:ID`},
		{[]string{"--theme", "Staff", "--statement", "ours:W2"}, ExitUsage, `--theme "Staff": write it as MODEL:THEME`},
		{[]string{"--question", question, "--theme", "a:b", "--statement", "ours:W2"}, ExitUsage, "give --question or --theme (one of them)"},
		{[]string{"--question", question, "--statement", "cqc:equity", "--remove"}, ExitRefused, "is not tagged with cqc:equity"},
	} {
		code, out, errOut := cli(t, RunTag, append([]string{"--db", db, "--survey", "Feedback"}, c.args...)...)
		if code != c.code || !strings.Contains(out+errOut, c.out) {
			t.Errorf("tag %q: exit %d %q, want %d %q", c.args, code, out+errOut, c.code, c.out)
		}
	}
	code, out, _ = cli(t, RunTag, "--db", db, "--survey", "Feedback", "--list", "--json")
	var tags TagsJSON
	if err := json.Unmarshal([]byte(out), &tags); code != ExitOK || err != nil {
		t.Fatalf("tag --list --json: %d %v %s", code, err, out)
	}
	got, _ := json.Marshal(tags)
	want := `{"survey":"Feedback","tags":[{"question":"` + question + `","statement":{"framework":"cqc","id":"assessing-needs"}},` +
		`{"question":"` + question + `","statement":{"framework":"ours","id":"W2"}},` +
		`{"theme_model":"nhs","theme":"Staff attitude","statement":{"framework":"ours","id":"W2"}}]}`
	if string(got) != want {
		t.Errorf("tags:\n%s\nwant\n%s", got, want)
	}
	if _, out, _ := cli(t, RunTag, "--db", db, "--survey", "Feedback", "--list"); !strings.Contains(out, "ours:W2") || !strings.Contains(out, "We act") {
		t.Errorf("tag --list:\n%s", out)
	}
	shorter := writeCSV(t, "ours.csv", "id,theme,statement\nW1,Assessment,We listen\n")
	code, _, errOut := cli(t, RunFramework, "import", "--db", db, "--name", "ours", shorter)
	if code != ExitRefused || !strings.Contains(errOut, `heard cannot replace the statements of framework "ours", since the file leaves out statements still in use: `+
		`survey "Feedback", question "`+question+`" is tagged with ours:W2; survey "Feedback", comment theme "Staff attitude" of model "nhs" is tagged with ours:W2.`) {
		t.Fatalf("a re-import dropping tagged statements: %d %s", code, errOut)
	}
	for _, args := range [][]string{{"--question", question}, {"--theme", "nhs:Staff attitude"}} {
		if code, out, errOut := cli(t, RunTag, append(append([]string{"--db", db, "--survey", "Feedback"}, args...), "--statement", "ours:W2", "--remove")...); code != ExitOK ||
			!strings.Contains(out, "is no longer tagged with ours:W2") {
			t.Fatalf("remove %q: %d %s%s", args, code, out, errOut)
		}
	}
	if code, out, errOut := cli(t, RunFramework, "import", "--db", db, "--name", "ours", shorter); code != ExitOK || !strings.Contains(out, `Replaced the statements of framework "ours": 1 statement`) {
		t.Fatalf("re-import once untagged: %d %s%s", code, out, errOut)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
