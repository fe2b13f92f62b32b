package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// ours is a council's framework of two statements, refining CQC's.
func ours(ids ...string) analytics.Framework {
	f := analytics.Framework{Name: "ours", Title: "Our statements"}
	for _, id := range ids {
		f.Statements = append(f.Statements, analytics.Statement{ID: id, Theme: "Assessment", Text: "We " + id, Parent: "cqc:assessing-needs"})
	}
	return f
}

// TestFrameworksStore imports a framework, lists it after the built-in
// ones, replaces its statements, refuses a replacement or deletion that
// would leave a tag or a refining statement pointing at nothing (naming
// it), refuses the built-in names, and deletes it once nothing uses it;
// each change is in the audit log.
func TestFrameworksStore(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	by := analytics.CommandLine("test")
	if _, err := s.ImportFile(ctx, request("Feedback", "a.csv", testMapping()), from(), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "Feedback")
	if err != nil {
		t.Fatal(err)
	}
	if replaced, err := s.ImportFramework(ctx, ours("W1", "W2"), "ours.csv", by); err != nil || replaced {
		t.Fatalf("import: %v %v", replaced, err)
	}
	list, err := s.Frameworks(ctx)
	if err != nil || len(list) != 3 || list[0].Name != "cqc" || list[1].Name != "mir" || list[2].Name != "ours" ||
		list[2].Title != "Our statements" || list[2].BuiltIn || strings.Join(list[2].StatementIDs(), ",") != "W1,W2" {
		t.Fatalf("frameworks: %+v %v", list, err)
	}
	if _, err := s.Tag(ctx, sv.ID, analytics.StatementTag{Question: "overall", Statement: analytics.StatementRef{Framework: "ours", ID: "W2"}}, by); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tag(ctx, sv.ID, analytics.StatementTag{ThemeModel: "nhs", Theme: "Staff", Statement: analytics.StatementRef{Framework: "ours", ID: "W2"}}, by); err != nil {
		t.Fatal(err)
	}
	// A replacement keeping W2, with new words and no title: the title stays.
	next := ours("W2", "W3")
	next.Title, next.Statements[0].Text = "", "We act on what people say"
	if replaced, err := s.ImportFramework(ctx, next, "ours-2.csv", by); err != nil || !replaced {
		t.Fatalf("replace: %v %v", replaced, err)
	}
	f, err := s.Framework(ctx, "ours")
	if err != nil || f.Title != "Our statements" || strings.Join(f.StatementIDs(), ",") != "W2,W3" || f.Statements[0].Text != "We act on what people say" {
		t.Fatalf("after the replacement: %+v %v", f, err)
	}
	// Another framework refining ours:W3.
	mine := analytics.Framework{Name: "mine", Statements: []analytics.Statement{{ID: "I1", Theme: "T", Text: "I", Parent: "ours:W3"}}}
	if _, err := s.ImportFramework(ctx, mine, "mine.csv", by); err != nil {
		t.Fatal(err)
	}
	_, err = s.ImportFramework(ctx, ours("W1"), "ours-3.csv", by)
	var inUse *analytics.InUseError
	if !errors.As(err, &inUse) || !errors.Is(err, analytics.ErrInUse) || strings.Join(inUse.Uses, "\n") != strings.Join([]string{
		`survey "Feedback", question "overall" is tagged with ours:W2`,
		`survey "Feedback", comment theme "Staff" of model "nhs" is tagged with ours:W2`,
		`statement mine:I1 refines ours:W3`}, "\n") {
		t.Fatalf("a replacement leaving tags behind: %v", err)
	}
	if f, _ := s.Framework(ctx, "ours"); strings.Join(f.StatementIDs(), ",") != "W2,W3" {
		t.Errorf("the refused replacement changed the statements: %v", f.StatementIDs())
	}
	if err := s.DeleteFramework(ctx, "ours", by); !errors.Is(err, analytics.ErrInUse) || !strings.Contains(err.Error(), `heard cannot delete framework "ours"`) {
		t.Errorf("deleting a framework in use: %v", err)
	}
	for _, name := range []string{"cqc", "mir"} {
		fw := ours("W1")
		fw.Name = name
		if _, err := s.ImportFramework(ctx, fw, "x.csv", by); err == nil || !strings.Contains(err.Error(), "is the name of a framework heard ships") {
			t.Errorf("import over %s: %v", name, err)
		}
		if err := s.DeleteFramework(ctx, name, by); err == nil || !strings.Contains(err.Error(), "a framework heard ships") {
			t.Errorf("delete %s: %v", name, err)
		}
	}
	if err := s.DeleteFramework(ctx, "nope", by); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete an unknown framework: %v", err)
	}
	// Once nothing uses it, it goes.
	for _, tag := range []analytics.StatementTag{
		{Question: "overall", Statement: analytics.StatementRef{Framework: "ours", ID: "W2"}},
		{ThemeModel: "nhs", Theme: "Staff", Statement: analytics.StatementRef{Framework: "ours", ID: "W2"}},
	} {
		if err := s.Untag(ctx, sv.ID, tag, by); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteFramework(ctx, "mine", by); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFramework(ctx, "ours", by); err != nil {
		t.Fatalf("delete a framework no longer used: %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM framework_statements"); n != 0 {
		t.Errorf("%d statements left after deleting every framework", n)
	}
	events, err := s.AuditEvents(ctx, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[analytics.AuditAction]int{}
	for _, e := range events {
		seen[e.Action]++
	}
	if seen[AuditFrameworkImport] != 3 || seen[AuditFrameworkDelete] != 2 || seen[AuditStatementTag] != 2 || seen[AuditStatementUntag] != 2 {
		t.Errorf("audit log: %v", seen)
	}
}

// TestStatementTags tags questions and comment themes, lists them in the
// survey's order, keeps a tag once when given twice, and refuses unknown
// questions, statements and untagging what is not tagged.
func TestStatementTags(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	by := analytics.CommandLine("test")
	if _, err := s.ImportFile(ctx, request("Feedback", "a.csv", testMapping()), from(), nil); err != nil {
		t.Fatal(err)
	}
	sv, _ := s.SurveyByName(ctx, "Feedback")
	ref := func(s string) analytics.StatementRef {
		r, err := analytics.ParseStatementRef(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tag := range []analytics.StatementTag{
		{Question: "service", Statement: ref("mir:information")},
		{Question: "overall", Statement: ref("cqc:assessing-needs")},
		{Question: "overall", Statement: ref("cqc:assessing-needs")},
		{ThemeModel: "nhs", Theme: "Waiting: too long", Statement: ref("cqc:care-provision")},
	} {
		if _, err := s.Tag(ctx, sv.ID, tag, by); err != nil {
			t.Fatalf("tag %+v: %v", tag, err)
		}
	}
	tags, err := s.StatementTags(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range tags {
		got = append(got, tg.Subject()+" "+tg.Statement.String())
	}
	want := []string{`question "overall" cqc:assessing-needs`, `question "service" mir:information`,
		`comment theme "Waiting: too long" of model "nhs" cqc:care-provision`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tags:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range []struct {
		tag analytics.StatementTag
		err string
	}{
		{analytics.StatementTag{Question: "nope", Statement: ref("cqc:equity")}, `survey "Feedback" has no question "nope"; its questions are overall, service`},
		{analytics.StatementTag{Question: "overall", Statement: ref("cqc:nope")}, `framework "cqc" has no statement "nope"`},
		{analytics.StatementTag{Question: "overall", Statement: ref("ours:x")}, `there is no framework "ours"`},
		{analytics.StatementTag{Question: "overall", ThemeModel: "nhs", Theme: "Staff", Statement: ref("cqc:equity")}, "not both or neither"},
		{analytics.StatementTag{ThemeModel: "nhs", Theme: "a\nb", Statement: ref("cqc:equity")}, `the theme name "a\nb" is not one heard can use`},
	} {
		if _, err := s.Tag(ctx, sv.ID, c.tag, by); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("tag %+v: %v, want %q", c.tag, err, c.err)
		}
	}
	err = s.Untag(ctx, sv.ID, analytics.StatementTag{Question: "overall", Statement: ref("cqc:equity")}, by)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `question "overall" of survey "Feedback" is not tagged with cqc:equity`) {
		t.Errorf("untag what is not tagged: %v", err)
	}
	if err := s.Untag(ctx, sv.ID, analytics.StatementTag{Question: "overall", Statement: ref("cqc:assessing-needs")}, by); err != nil {
		t.Fatal(err)
	}
	if tags, _ := s.StatementTags(ctx, sv.ID); len(tags) != 2 {
		t.Errorf("after untagging: %+v", tags)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM audit_events WHERE action = ?", string(AuditStatementTag)); n != 3 {
		t.Errorf("%d tag events, want 3 (the repeated tag changed nothing)", n)
	}
	if _, err := s.DeleteSurvey(ctx, sv.ID, by); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT (SELECT COUNT(*) FROM question_statements) + (SELECT COUNT(*) FROM theme_statements)"); n != 0 {
		t.Errorf("%d tags left after deleting the survey", n)
	}
}
