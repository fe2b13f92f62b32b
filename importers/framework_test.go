package importers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// writeFile writes text to a file of a new folder and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadFramework reads a council's own statements: a UTF-8 BOM, headings
// in any case and order, an optional parent naming a built-in statement or
// one of the same file, in the file's order.
func TestReadFramework(t *testing.T) {
	path := writeFile(t, "ours.csv", "\ufeffStatement,ID, Theme ,PARENT\r\n"+
		"We listen to people and their carers,W1,Assessment,cqc:assessing-needs\r\n"+
		"\"I am listened to, and my views count\",I1,Assessment,ours:W1\r\n"+
		"I can get advice when I need it,I2,Information and advice,\r\n")
	fw, err := ReadFramework(path, "ours.csv", "ours", analytics.BuiltInFrameworks())
	if err != nil {
		t.Fatal(err)
	}
	want := []analytics.Statement{
		{ID: "W1", Theme: "Assessment", Text: "We listen to people and their carers", Parent: "cqc:assessing-needs"},
		{ID: "I1", Theme: "Assessment", Text: "I am listened to, and my views count", Parent: "ours:W1"},
		{ID: "I2", Theme: "Information and advice", Text: "I can get advice when I need it"},
	}
	if fw.Name != "ours" || len(fw.Statements) != len(want) {
		t.Fatalf("read %+v", fw)
	}
	for i := range want {
		if fw.Statements[i] != want[i] {
			t.Errorf("statement %d: %+v, want %+v", i, fw.Statements[i], want[i])
		}
	}
	if err := fw.Validate(analytics.BuiltInFrameworks()); err != nil {
		t.Errorf("what ReadFramework read does not validate: %v", err)
	}
	noParent := writeFile(t, "plain.csv", "id,theme,statement\nA,T,Words\n")
	if fw, err := ReadFramework(noParent, "plain.csv", "plain", nil); err != nil || len(fw.Statements) != 1 {
		t.Errorf("a file without a parent column: %+v %v", fw, err)
	}
}

// TestReadFrameworkErrors: each bad row and heading is refused with a
// message naming the file, row and column, and saying what to do.
func TestReadFrameworkErrors(t *testing.T) {
	known := analytics.BuiltInFrameworks()
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"bad rows", "id,theme,statement,parent\n" +
			",Assessment,We listen,\n" +
			"W1,,We listen,\n" +
			"W2,Assessment,,\n" +
			"W2,Assessment,We act,\n" +
			"W 3,Assessment,We act,\n" +
			"W4,Assessment,We act,cqc:nope\n" +
			"W5,Assessment,We act,assessing-needs\n" +
			"W6,Assessment,We act,ours:W6\n" +
			"W7,Assessment,We act,tlap:x\n" +
			"W8,Assessment," + strings.Repeat("x", 1001) + ",\n",
			[]string{
				`f.csv, row 2, column "id": the statement has no id: give each statement a short id of its own, such as I1`,
				`f.csv, row 3, column "theme": this is empty: give the theme it belongs to`,
				`f.csv, row 4, column "statement": this is empty: give its words`,
				`f.csv, row 5, column "id": the id "W2" is used already on row 4: give each statement an id of its own`,
				`f.csv, row 6, column "id": the id "W 3" is not one heard can use: write letters, digits, dots, hyphens or underscores, starting with a letter or digit, at most 64 characters (such as I1 or assessing-needs)`,
				`f.csv, row 7, column "parent": framework "cqc" has no statement "nope"; its statements are assessing-needs, healthier-lives, equity, care-provision, partnerships, safe-pathways, safeguarding, governance, learning`,
				`f.csv, row 8, column "parent": "assessing-needs" does not name a statement: write FRAMEWORK:ID, such as cqc:assessing-needs`,
				`f.csv, row 9, column "parent": a statement cannot refine itself: name the statement of another framework it refines, or leave this empty`,
				`f.csv, row 10, column "parent": there is no framework "tlap"; the frameworks are cqc, mir, ours (` + "`heard framework list`" + ` lists them)`,
				`f.csv, row 11, column "statement": this is 1001 characters long, more than the 1000 heard keeps: shorten it`,
			}},
		{"missing column", "id,statement\nA,Words\n", []string{
			`f.csv, row 1: the heading row has no theme column: a framework file has the columns id, theme, statement and, optionally, parent`}},
		{"unknown column", "id,theme,statement,notes\nA,T,W,n\n", []string{
			`f.csv, row 1, column "notes": heard does not read this column: a framework file has the columns id, theme, statement and, optionally, parent; rename or remove it`}},
		{"column twice", "id,theme,statement,Theme\nA,T,W,T\n", []string{
			`f.csv, row 1, column "Theme": the file has a theme column already (column B): keep one`}},
		{"no heading", "id,theme,,statement\nA,T,,W\n", []string{
			`f.csv, row 1, column "C": this column has no heading: a framework file has the columns id, theme, statement and, optionally, parent`}},
		{"no statements", "\ufeffid,theme,statement\n", []string{
			`f.csv, row 1: the file has a heading row but no statements: add one statement a row below it`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadFramework(writeFile(t, "f.csv", c.text), "f.csv", "ours", known)
			var got []string
			var list ErrorList
			var one *analytics.ImportError
			switch {
			case errors.As(err, &list):
				for _, e := range list {
					got = append(got, e.Error())
				}
			case errors.As(err, &one):
				got = []string{one.Error()}
			default:
				t.Fatalf("error %v (%T), want import errors", err, err)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
	if _, err := ReadFramework(writeFile(t, "f.csv", "id,theme,statement\nA,T,W\n"), "f.csv", "Ours", known); err == nil ||
		!strings.Contains(err.Error(), `the framework name "Ours" is not one heard can use`) {
		t.Errorf("a bad framework name: %v", err)
	}
}
