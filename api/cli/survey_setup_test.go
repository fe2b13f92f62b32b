package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// TestSurveySetupCommands: `heard survey rename|relabel|column|scale|delete`
// show what a change would do without --yes, make it with --yes (audited),
// and refuse what does not fit with a plain message, changing nothing.
func TestSurveySetupCommands(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	importFixture(t, db, "Carers", "google-forms-hotdog.csv")
	const overall = "Overall, how satisfied are you with the support you received?"
	for _, s := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"rename to a look-alike", []string{"rename", "--survey", "Feedback", "--name", "\uff23arers"}, ExitUsage, `already a survey called "Carers"`},
		{"rename", []string{"rename", "--survey", "Feedback", "--name", "Feedback\u200b 2024"}, ExitOK, `now called "Feedback 2024"`},
		{"relabel an unknown question", []string{"relabel", "--survey", "Feedback 2024", "--question", "nope", "--label", "x"}, ExitRefused, "no question or dimension"},
		{"relabel", []string{"relabel", "--survey", "Feedback 2024", "--question", overall, "--label", "Satisfaction"}, ExitOK, `label is saved: "Satisfaction"`},
		{"preview a column change", []string{"column", "--survey", "Feedback 2024", "--question", "Were you involved in decisions about your care?",
			"--kind", "dimension"}, ExitOK, "Nothing is changed"},
		{"an unknown kind", []string{"column", "--survey", "Feedback 2024", "--question", "Satisfaction", "--kind", "colour"}, ExitUsage, "not a kind of column"},
		{"free text is no dimension", []string{"column", "--survey", "Feedback 2024", "--question", "Is there anything else you'd like to tell us?",
			"--kind", "dimension", "--yes"}, ExitUsage, "sentences"},
		{"make a dimension", []string{"column", "--survey", "Feedback 2024", "--question", "Were you involved in decisions about your care?",
			"--kind", "dimension", "--yes"}, ExitOK, "now a dimension column"},
		{"preview a scale", []string{"scale", "--survey", "Feedback 2024", "--question", "Satisfaction", "--positive", "Very satisfied"}, ExitOK, "after:  "},
		{"a scale without a positive answer", []string{"scale", "--survey", "Feedback 2024", "--question", "Satisfaction", "--negative", "Very satisfied", "--yes"},
			ExitUsage, "mark at least one answer positive"},
		{"an unknown answer", []string{"scale", "--survey", "Feedback 2024", "--question", "Satisfaction", "--positive", "Brilliant", "--yes"},
			ExitUsage, "not an option"},
		{"set a scale", []string{"scale", "--survey", "Feedback 2024", "--question", "Satisfaction", "--positive", "Very satisfied", "--yes"}, ExitOK, "Saved."},
		{"delete without --yes", []string{"delete", "--survey", "Carers"}, ExitOK, "Nothing is deleted"},
		{"delete", []string{"delete", "--survey", "Carers", "--yes"}, ExitOK, "is deleted"},
		{"delete an unknown survey", []string{"delete", "--survey", "Carers", "--yes"}, ExitRefused, "no survey"},
		{"no survey", []string{"rename", "--name", "x"}, ExitUsage, "--survey"},
	} {
		t.Run(s.name, func(t *testing.T) {
			code, out, errOut := cliIn(t, "", withoutStdin(RunSurvey), append(s.args, "--db", db)...)
			if code != s.code || !strings.Contains(out+errOut, s.out) {
				t.Fatalf("exit %d, want %d; output %q should contain %q", code, s.code, out+errOut, s.out)
			}
		})
	}
	st := openDB(t, db)
	sv, err := st.SurveyByName(context.Background(), "Feedback 2024")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := st.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sat analytics.Question
	for _, q := range qs {
		if q.Text == "Satisfaction" {
			sat = q
		}
		if strings.HasPrefix(q.Text, "Were you involved") {
			t.Error("the column made a dimension is still a question")
		}
	}
	if sat.Scale != analytics.ScaleCustom || sat.Options[0].Polarity != analytics.Positive {
		t.Errorf("the relabelled question after setting its scale: %+v", sat)
	}
	if !strings.HasPrefix(ds[len(ds)-1].Name, "Were you involved") {
		t.Errorf("dimensions %+v", ds)
	}
	if _, err := st.SurveyByName(context.Background(), "Carers"); err == nil {
		t.Error("Carers is not deleted")
	}
	actions := strings.Join(auditActions(t, db), "\n")
	for _, want := range []string{"survey-rename ok", "survey-rename refused", "survey-relabel ok", "survey-column ok", "survey-scale ok",
		"survey-delete ok"} {
		if !strings.Contains(actions, want) {
			t.Errorf("no %q in the audit log:\n%s", want, actions)
		}
	}
	if n := strings.Count(actions, "survey-delete ok"); n != 1 {
		t.Errorf("%d deletes audited, want 1 (the preview deletes nothing)", n)
	}
}
