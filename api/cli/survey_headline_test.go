package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// TestSurveyHeadlineCommand: `heard survey headline` shows the question a
// survey's dashboard leads with, sets it (stored and audited), refuses a
// question that is not a scale question without changing it, and forgets
// the choice with --clear.
func TestSurveyHeadlineCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := st.SurveyByName(ctx, "Feedback")
	if err != nil {
		t.Fatal(err)
	}
	qs, _, err := st.Questions(ctx, sv.ID)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var scale, other string
	for _, q := range qs {
		switch {
		case q.Kind == "scale" && scale == "":
			scale = q.Code
		case q.Kind != "scale" && other == "":
			other = q.Code
		}
	}
	if scale == "" || other == "" {
		t.Fatalf("the fixture needs a scale question and another: %+v", qs)
	}
	for _, s := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"show the default", []string{"headline", "--survey", "Feedback"}, ExitOK, "leads with its overall satisfaction question"},
		{"choose a scale question", []string{"headline", "--survey", "Feedback", "--question", strings.ToUpper(scale)}, ExitOK, "leads with " + scale + ":"},
		{"show the choice", []string{"headline", "--survey", "Feedback"}, ExitOK, "leads with " + scale + ":"},
		{"not a scale question", []string{"headline", "--survey", "Feedback", "--question", other}, ExitUsage, "--question \"" + other + "\" is not a scale question"},
		{"unchanged after the refusal", []string{"headline", "--survey", "Feedback"}, ExitOK, "leads with " + scale + ":"},
		{"both", []string{"headline", "--survey", "Feedback", "--question", scale, "--clear"}, ExitUsage, "not both"},
		{"an unknown survey", []string{"headline", "--survey", "Nope", "--clear"}, ExitRefused, "no survey"},
		{"clear", []string{"headline", "--survey", "Feedback", "--clear"}, ExitOK, "leads with its overall satisfaction question"},
	} {
		t.Run(s.name, func(t *testing.T) {
			code, out, errOut := cliIn(t, "", withoutStdin(RunSurvey), append(s.args, "--db", db)...)
			if code != s.code || !strings.Contains(out+errOut, s.out) {
				t.Fatalf("exit %d, want %d; output %q should contain %q", code, s.code, out+errOut, s.out)
			}
		})
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(ctx, store.AuditQuery{Action: store.AuditSurveySetting})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range events {
		details = append(details, e.Detail)
	}
	if all := strings.Join(details, "\n"); !strings.Contains(all, "dashboard headline: question "+scale) ||
		!strings.Contains(all, "dashboard headline: the overall satisfaction question") {
		t.Errorf("audit log %q lacks the choices", details)
	}
}
