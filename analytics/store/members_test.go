package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// importSurvey imports one response of file into a survey called name,
// recorded as made by by, and returns the survey.
func importSurvey(tb testing.TB, s *Store, name, file, by string) analytics.Survey {
	tb.Helper()
	ctx := context.Background()
	req := request(name, file, testMapping())
	req.Import.By = by
	if _, err := s.ImportFile(ctx, req, from(manyResponses(file, 1)...), nil); err != nil {
		tb.Fatalf("import %s into %s: %v", file, name, err)
	}
	sv, err := s.SurveyByName(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	return sv
}

func TestSurveyMembers(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	a := importSurvey(t, s, "Home care", "a.csv", "analyst")
	b := importSurvey(t, s, "Day centres", "b.csv", "analyst")
	ann := addUser(t, s, "ann@council.example", analytics.RoleAnalyst)
	bob := addUser(t, s, "bob@council.example", analytics.RoleAnalyst)

	if err := s.AddSurveyMember(ctx, a.ID, ann.ID, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditMemberAdd, `"Home care"`)
	if e := lastEvent(t, s); e.Detail != fmt.Sprintf("user %d ann@council.example", ann.ID) {
		t.Errorf("member-add detail %q, want the account", e.Detail)
	}
	for _, tc := range []struct {
		name         string
		survey, user int64
		want         error
	}{
		{name: "already a member", survey: a.ID, user: ann.ID, want: ErrExists},
		{name: "no such survey", survey: 9999, user: ann.ID, want: ErrNotFound},
		{name: "no such account", survey: a.ID, user: 9999, want: ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.AddSurveyMember(ctx, tc.survey, tc.user, tester())
			if !errors.Is(err, tc.want) {
				t.Errorf("AddSurveyMember = %v, want %v", err, tc.want)
			}
		})
	}
	if err := s.AddSurveyMember(ctx, b.ID, bob.ID, tester()); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSurveyMember(ctx, b.ID, ann.ID, tester()); err != nil {
		t.Fatal(err)
	}

	members, err := s.SurveyMembers(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, m := range members {
		emails = append(emails, m.Email)
		if m.SurveyID != b.ID || m.Role != analytics.RoleAnalyst || m.AddedBy != "command line:tester" || m.AddedAt.IsZero() {
			t.Errorf("member %+v: wrong survey, role or who added it", m)
		}
	}
	if want := []string{"ann@council.example", "bob@council.example"}; !slices.Equal(emails, want) {
		t.Errorf("SurveyMembers = %v, want %v", emails, want)
	}
	if _, err := s.SurveyMembers(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("SurveyMembers(no such survey) = %v, want ErrNotFound", err)
	}

	for _, tc := range []struct {
		name   string
		survey int64
		user   int64
		want   bool
	}{
		{"ann of home care", a.ID, ann.ID, true},
		{"bob not of home care", a.ID, bob.ID, false},
		{"bob of day centres", b.ID, bob.ID, true},
		{"an unknown account", b.ID, 9999, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.IsSurveyMember(ctx, tc.survey, tc.user)
			if err != nil || got != tc.want {
				t.Errorf("IsSurveyMember = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	if ids, err := s.MemberSurveys(ctx, ann.ID); err != nil || !slices.Equal(ids, []int64{a.ID, b.ID}) {
		t.Errorf("MemberSurveys(ann) = %v, %v; want %v", ids, err, []int64{a.ID, b.ID})
	}

	if err := s.RemoveSurveyMember(ctx, b.ID, ann.ID, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditMemberRemove, `"Day centres"`)
	if err := s.RemoveSurveyMember(ctx, b.ID, ann.ID, tester()); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing a non-member = %v, want ErrNotFound", err)
	}
	if ids, err := s.MemberSurveys(ctx, ann.ID); err != nil || !slices.Equal(ids, []int64{a.ID}) {
		t.Errorf("MemberSurveys(ann) after removal = %v, %v; want [%d]", ids, err, a.ID)
	}

	// Deleting a survey deletes its memberships.
	if err := s.db.Exec("DELETE FROM surveys WHERE id = ?", a.ID).Error; err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM survey_members WHERE survey_id = ?", a.ID); n != 0 {
		t.Errorf("%d memberships outlive their survey", n)
	}
}

func TestAddSurveyMemberRefusesDisabled(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv := importSurvey(t, s, "Home care", "a.csv", "analyst")
	u := addUser(t, s, "gone@council.example", analytics.RoleAnalyst)
	if err := s.SetUserDisabled(ctx, u.ID, true, tester()); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSurveyMember(ctx, sv.ID, u.ID, tester()); err == nil {
		t.Fatal("a disabled account was made a member")
	}
	if ok, err := s.IsSurveyMember(ctx, sv.ID, u.ID); err != nil || ok {
		t.Errorf("IsSurveyMember = %v, %v after a refused add", ok, err)
	}
}

func TestAddFirstSurveyMember(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv := importSurvey(t, s, "Home care", "a.csv", "analyst")
	ann := addUser(t, s, "ann@council.example", analytics.RoleAnalyst)
	bob := addUser(t, s, "bob@council.example", analytics.RoleAnalyst)

	for _, tc := range []struct {
		name string
		user int64
		want bool
	}{
		{"the first becomes a member", ann.ID, true},
		{"the first again adds nothing", ann.ID, false},
		{"a second adds nothing", bob.ID, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.AddFirstSurveyMember(ctx, sv.ID, tc.user, tester())
			if err != nil || got != tc.want {
				t.Errorf("AddFirstSurveyMember = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	if n := count(t, s, "SELECT COUNT(*) FROM survey_members WHERE survey_id = ?", sv.ID); n != 1 {
		t.Errorf("%d members, want 1", n)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM audit_events WHERE action = ?", analytics.AuditMemberAdd); n != 1 {
		t.Errorf("%d member-add events, want 1", n)
	}
}

// TestMembersMigrationBackfill applies migration 0004 to a database with
// earlier imports: the analysts who imported through the web or the API
// become members of those surveys, and nobody else does.
func TestMembersMigrationBackfill(t *testing.T) {
	ctx := context.Background()
	s, path := newTestStore(t)
	ann := addUser(t, s, "annx1@council.example", analytics.RoleAnalyst)
	// As a LIKE pattern, ann_1's email would match annx1's imports.
	decoy := addUser(t, s, "ann_1@council.example", analytics.RoleAnalyst)
	adm := addUser(t, s, "admin@council.example", analytics.RoleAdmin)
	web := importSurvey(t, s, "Web", "w.csv", "web upload by annx1@council.example from 10.0.0.1")
	api := importSurvey(t, s, "API", "p.csv", "api by annx1@council.example from 10.0.0.2")
	importSurvey(t, s, "CLI", "c.csv", "annx1@council.example")
	importSurvey(t, s, "Admin's", "d.csv", "web upload by admin@council.example from 10.0.0.3")
	for _, q := range []string{"DROP TABLE survey_members", "DELETE FROM schema_migrations WHERE version = 4"} {
		if err := s.db.WithContext(ctx).Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	s2 := openTest(t, path) // applies 0004 again
	got, err := s2.MemberSurveys(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{web.ID, api.ID}; !slices.Equal(got, want) {
		t.Errorf("ann's surveys after the migration = %v, want %v", got, want)
	}
	if n := count(t, s2, "SELECT COUNT(*) FROM survey_members"); n != 2 {
		t.Errorf("%d memberships after the migration, want 2 (ann's only; admins need none)", n)
	}
	for _, u := range []analytics.User{decoy, adm} {
		if ids, err := s2.MemberSurveys(ctx, u.ID); err != nil || len(ids) != 0 {
			t.Errorf("%s's surveys = %v, %v; want none", u.Email, ids, err)
		}
	}
}

// TestImportMemberRule checks ImportRequest.Member: the importer of a new
// survey becomes its member inside the import, and an import by someone
// else into it is refused with nothing stored.
func TestImportMemberRule(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	ann := addUser(t, s, "ann@council.example", analytics.RoleAnalyst)
	bob := addUser(t, s, "bob@council.example", analytics.RoleAnalyst)
	req := request("Reablement", "may.csv", testMapping())
	req.Member, req.MemberBy = ann.ID, tester()
	if _, err := s.ImportFile(ctx, req, from(manyResponses("m", 3)...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "Reablement")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.IsSurveyMember(ctx, sv.ID, ann.ID); err != nil || !ok {
		t.Fatalf("ann is a member: %v, %v; want true", ok, err)
	}
	req = request("Reablement", "june.csv", testMapping())
	req.Member, req.MemberBy = bob.ID, tester()
	if _, err := s.ImportFile(ctx, req, from(manyResponses("j", 3)...), nil); !errors.Is(err, ErrNotMember) {
		t.Fatalf("bob's import: %v, want ErrNotMember", err)
	}
	if n := count(t, s, fmt.Sprintf("SELECT COUNT(*) FROM responses_%d", sv.ID)); n != 3 {
		t.Fatalf("%d responses after the refused import, want 3", n)
	}
	req = request("Reablement", "july.csv", testMapping())
	req.Member, req.MemberBy = ann.ID, tester()
	if _, err := s.ImportFile(ctx, req, from(manyResponses("k", 3)...), nil); err != nil {
		t.Fatalf("ann's second import: %v", err)
	}
}
