package cli

import (
	"context"
	"fmt"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// runSurveyDisclosure is `heard survey disclosure`: show or set what a
// survey publishes to its board, its disclosure policy and period kind.
func runSurveyDisclosure(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("survey disclosure", "survey disclosure --survey NAME [--policy heard|nhs-digital|nhs-fft] "+
		"[--period month|quarter|year|fy|fyq|all] [--json] [--db PATH]\n\n"+
		"Shows, or sets, the disclosure policy every board page, download and API answer of the survey follows,\n"+
		"and the one kind of period the board's figures come in. Without --policy or --period it shows them.", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	policy := fs.String("policy", "", "heard (the default), nhs-digital or nhs-fft")
	period := fs.String("period", "", "the board's period: month (the default), quarter, year, fy, fyq or all")
	asJSON := fs.Bool("json", false, "print the survey's publication as JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey")
	}
	var pol analytics.Policy
	var kind analytics.PeriodKind
	var err error
	if *policy != "" {
		if pol, err = analytics.ParsePolicy(*policy); err != nil {
			return usage(env, fs, "--policy: "+err.Error())
		}
	}
	if *period != "" {
		if kind, err = analytics.ParsePeriodKind(*period); err != nil {
			return usage(env, fs, "--period: "+err.Error())
		}
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *survey)
		s, err := surveyNamed(ctx, st, *survey)
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveySetting, object, err)
		}
		pub, err := st.Publication(ctx, s.ID)
		if err != nil {
			return reportFailed(env, err)
		}
		if pol != "" || kind != "" {
			if pol != "" {
				pub.Policy = pol
			}
			if kind != "" {
				pub.Period = kind
			}
			if err := st.SetPublication(ctx, s.Name, pub, cliActor(env)); err != nil {
				return commandFailed(ctx, env, st, store.AuditSurveySetting, object, err)
			}
		}
		if *asJSON {
			return printJSON(env, publicationJSON{Survey: s.Name, Policy: pub.Policy, Period: pub.Period,
				Disclosure: pub.Policy.Disclosure().WithDefaults()})
		}
		d := pub.Policy.Disclosure()
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q publishes to its board under the %s policy, by %s.\n%s\n",
			s.Name, pub.Policy, dashboards.PeriodName(pub.Period), d.Rule)))
		return ExitOK
	})
}

// publicationJSON is `heard survey disclosure --json`.
type publicationJSON struct {
	Survey     string               `json:"survey"`
	Policy     analytics.Policy     `json:"policy"`
	Period     analytics.PeriodKind `json:"period"`
	Disclosure analytics.Disclosure `json:"disclosure"`
}
