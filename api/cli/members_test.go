package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
)

func TestSurveyMembersCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	st := openDB(t, db)
	ann, err := st.CreateUser(context.Background(), analytics.User{Email: "ann@example.org", Role: analytics.RoleAnalyst}, "!", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), analytics.User{Email: "vic@example.org", Role: analytics.RoleViewer}, "!", analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	cmd := withoutStdin(RunSurvey)
	add := []string{"add-member", "--survey", "Feedback", "--email", "Ann@Example.org"}
	remove := []string{"remove-member", "--survey", "Feedback", "--email", "ann@example.org"}
	list := []string{"members", "--survey", "Feedback"}
	for _, s := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no members yet", list, ExitOK, "has no members"},
		{"add", add, ExitOK, "ann@example.org is now a member of survey \"Feedback\""},
		{"add again", add, ExitRefused, "already exists"},
		{"list", list, ExitOK, "ann@example.org  analyst"},
		{"a viewer", []string{"add-member", "--survey", "Feedback", "--email", "vic@example.org"}, ExitOK, "may not change surveys"},
		{"remove", remove, ExitOK, "no longer a member"},
		{"remove again", remove, ExitRefused, "is not a member"},
		{"unknown account", []string{"add-member", "--survey", "Feedback", "--email", "nobody@example.org"}, ExitRefused, "no account"},
		{"unknown survey", []string{"add-member", "--survey", "Nope", "--email", "ann@example.org"}, ExitRefused, "no survey called"},
		{"no email", []string{"add-member", "--survey", "Feedback"}, ExitUsage, "--email"},
		{"no subcommand", nil, ExitUsage, "members|add-member|remove-member"},
	} {
		t.Run(s.name, func(t *testing.T) {
			code, out, errOut := cliIn(t, "", cmd, append(s.args, "--db", db)...)
			if text := out + errOut; code != s.code || !strings.Contains(text, s.out) {
				t.Fatalf("exit %d, %q; want %d with %q", code, text, s.code, s.out)
			}
		})
	}
	sv, err := st.SurveyByName(context.Background(), "Feedback")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.IsSurveyMember(context.Background(), sv.ID, ann.ID); err != nil || ok {
		t.Errorf("ann is a member after her removal: %v %v", ok, err)
	}
	for action, want := range map[analytics.AuditAction]int{analytics.AuditMemberAdd: 5, analytics.AuditMemberRemove: 2} {
		events, err := st.AuditEvents(context.Background(), store.AuditQuery{Action: action, Limit: -1})
		if err != nil || len(events) != want {
			t.Errorf("%d %s events (%v), want %d: the successes and the refusals", len(events), action, err, want)
		}
	}
}
