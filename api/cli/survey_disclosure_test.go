package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// TestSurveyDisclosureCommand: `heard survey disclosure` shows a survey's
// board publication, sets its policy and period (audited), and refuses an
// unknown policy, period or survey; the board's reports then follow it.
func TestSurveyDisclosureCommand(t *testing.T) {
	db := storetest.NewDB(t)
	importFixture(t, db, "Feedback", "smartsurvey-small.csv")
	for _, s := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"show the default", []string{"disclosure", "--survey", "Feedback"}, ExitOK, "under the heard policy, by month"},
		{"set nhs-fft by quarter", []string{"disclosure", "--survey", "Feedback", "--policy", "NHS-FFT", "--period", "quarter"}, ExitOK,
			"under the nhs-fft policy, by quarter"},
		{"set the period alone", []string{"disclosure", "--survey", "Feedback", "--period", "fy"}, ExitOK, "under the nhs-fft policy, by financial year"},
		{"an unknown policy", []string{"disclosure", "--survey", "Feedback", "--policy", "lenient"}, ExitUsage, "not a disclosure policy"},
		{"an unknown period", []string{"disclosure", "--survey", "Feedback", "--period", "weekly"}, ExitUsage, "is not a period"},
		{"an unknown survey", []string{"disclosure", "--survey", "Nope", "--policy", "heard"}, ExitRefused, "no survey"},
		{"no survey", []string{"disclosure"}, ExitUsage, "--survey"},
	} {
		t.Run(s.name, func(t *testing.T) {
			code, out, errOut := cliIn(t, "", withoutStdin(RunSurvey), append(s.args, "--db", db)...)
			if code != s.code || !strings.Contains(out+errOut, s.out) {
				t.Fatalf("exit %d, want %d; output %q should contain %q", code, s.code, out+errOut, s.out)
			}
		})
	}
	code, out, errOut := cli(t, RunSurvey, "disclosure", "--survey", "Feedback", "--json", "--db", db)
	var pub publicationJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &pub) != nil {
		t.Fatalf("--json: exit %d %s %s", code, out, errOut)
	}
	if pub.Policy != analytics.PolicyNHSFFT || pub.Period != analytics.PeriodFY || pub.Disclosure.MinBase != 5 {
		t.Errorf("--json gives %+v", pub)
	}
	rep := runReportJSON(t, "--db", db, "--survey", "Feedback", "--question", "overall_how_satisfied_are_you_port_you_received",
		"--board", "--period", "month", "--min-base", "1")
	if rep.Disclosure.Policy != analytics.PolicyNHSFFT || rep.Period != analytics.PeriodFY {
		t.Errorf("the board's report is under %s by %s, want nhs-fft by fy", rep.Disclosure.Policy, rep.Period)
	}
	actions := auditActions(t, db)
	if n := strings.Count(strings.Join(actions, "\n"), "survey-setting ok"); n != 2 {
		t.Errorf("%d survey-setting events for two changes: %q", n, actions)
	}
}
