package analytics

import (
	"errors"
	"strings"
	"testing"
)

// TestBuiltInFrameworks: CQC's framework for local authorities has its 4
// themes and 9 quality statements, Making It Real its six themes, each
// valid, with ids unique and stable.
func TestBuiltInFrameworks(t *testing.T) {
	all := BuiltInFrameworks()
	if len(all) != 2 || all[0].Name != FrameworkCQC || all[1].Name != FrameworkMIR {
		t.Fatalf("built-in frameworks %+v", all)
	}
	for _, f := range all {
		if err := f.Validate(all); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		if !f.BuiltIn || !IsBuiltInFramework(f.Name) {
			t.Errorf("%s is not marked built in", f.Name)
		}
	}
	themes := map[string][]string{}
	var order []string
	for _, s := range all[0].Statements {
		if _, ok := themes[s.Theme]; !ok {
			order = append(order, s.Theme)
		}
		themes[s.Theme] = append(themes[s.Theme], s.Text)
	}
	want := map[string][]string{
		"Working with people": {"Assessing needs", "Supporting people to live healthier lives", "Equity in experience and outcomes"},
		"Providing support":   {"Care provision, integration and continuity", "Partnerships and communities"},
		"How the local authority ensures safety within the system": {"Safe pathways, systems and transitions", "Safeguarding"},
		"Leadership": {"Governance, management and sustainability", "Learning, improvement and innovation"},
	}
	if len(order) != 4 || len(all[0].Statements) != 9 {
		t.Errorf("CQC: %d themes %q, %d statements", len(order), order, len(all[0].Statements))
	}
	for theme, statements := range want {
		if strings.Join(themes[theme], "|") != strings.Join(statements, "|") {
			t.Errorf("CQC theme %q: %q, want %q", theme, themes[theme], statements)
		}
	}
	var mir []string
	for _, s := range all[1].Statements {
		if s.Theme != s.Text {
			t.Errorf("Making It Real statement %s is not at theme level: %+v", s.ID, s)
		}
		mir = append(mir, s.Theme)
	}
	if got := strings.Join(mir, "|"); got != "Wellbeing and independence|Information and advice|Active and supportive communities|"+
		"Flexible and integrated care and support|When things need to change|Workforce" {
		t.Errorf("Making It Real themes %q", got)
	}
	if _, ok := all[0].Statement("assessing-needs"); !ok {
		t.Error("cqc:assessing-needs, the id the design names, is missing")
	}
	all[0].Statements[0].Text = "changed"
	if BuiltInFrameworks()[0].Statements[0].Text != "Assessing needs" {
		t.Error("a caller's change reached the built-in frameworks")
	}
}

func TestParseStatementRef(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"cqc:assessing-needs", "cqc:assessing-needs", ""},
		{" ours:I1 ", "ours:I1", ""},
		{"ours:v2.1_a", "ours:v2.1_a", ""},
		{"cqc", "", `"cqc" does not name a statement: write FRAMEWORK:ID`},
		{":x", "", "does not name a statement"},
		{"CQC:x", "", `the framework name "CQC" is not one heard can use`},
		{"cqc:a b", "", `the id "a b" is not one heard can use`},
		{"cqc:x:y", "", `the id "x:y" is not one heard can use`},
	} {
		ref, err := ParseStatementRef(c.in)
		switch {
		case c.err == "" && (err != nil || ref.String() != c.want):
			t.Errorf("ParseStatementRef(%q) = %v, %v; want %s", c.in, ref, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseStatementRef(%q) error %v, want %q", c.in, err, c.err)
		}
	}
}

func TestFrameworkValidate(t *testing.T) {
	known := BuiltInFrameworks()
	ok := Framework{Name: "ours", Statements: []Statement{
		{ID: "W1", Theme: "Assessment", Text: "We listen", Parent: "cqc:assessing-needs"},
		{ID: "I1", Theme: "Assessment", Text: "I am listened to", Parent: "ours:W1"},
	}}
	if err := ok.Validate(known); err != nil {
		t.Fatalf("a good framework: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(f *Framework)
		err  string
	}{
		{"bad name", func(f *Framework) { f.Name = "Our words" }, `the framework name "Our words"`},
		{"no statements", func(f *Framework) { f.Statements = nil }, `framework "ours" has no statements`},
		{"twice", func(f *Framework) { f.Statements[1].ID = "W1" }, `has statement "W1" twice`},
		{"no theme", func(f *Framework) { f.Statements[0].Theme = " " }, `statement "W1" of framework "ours" needs a theme and words`},
		{"unknown parent", func(f *Framework) { f.Statements[0].Parent = "cqc:nope" }, `framework "cqc" has no statement "nope"`},
		{"unknown framework", func(f *Framework) { f.Statements[0].Parent = "tlap:x" }, `there is no framework "tlap"`},
		{"itself", func(f *Framework) { f.Statements[1].Parent = "ours:I1" }, `statement "I1" cannot refine itself`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			f.Statements = append([]Statement(nil), ok.Statements...)
			c.edit(&f)
			if err := f.Validate(known); err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Validate: %v, want %q", err, c.err)
			}
		})
	}
	if _, err := FindStatement(known, StatementRef{Framework: "cqc", ID: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown statement: %v, want ErrNotFound", err)
	}
	e := &InUseError{What: "heard cannot delete framework \"ours\"", Uses: make([]string, 12), Advice: "Untag them."}
	if !errors.Is(e, ErrInUse) || !strings.Contains(e.Error(), "; and 2 more. Untag them.") {
		t.Errorf("InUseError %q", e.Error())
	}
}
