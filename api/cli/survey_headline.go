package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// runSurveyHeadline is `heard survey headline`: show or set the question a
// survey's dashboard leads with, as the dashboard's own control does.
func runSurveyHeadline(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("survey headline", "survey headline --survey NAME [--question CODE | --clear] [--db PATH]\n\n"+
		"Shows, or sets, the scale question the survey's dashboard leads with. Without a choice it leads with\n"+
		"the survey's overall satisfaction question when it has one. `heard questions --survey NAME` lists the codes.", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	question := fs.String("question", "", "the code of the scale question to lead with")
	clear := fs.Bool("clear", false, "forget the choice: lead with the overall satisfaction question")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey")
	}
	if *clear && *question != "" {
		return usage(env, fs, "give --question or --clear, not both")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *survey)
		s, err := surveyNamed(ctx, st, *survey)
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveySetting, object, err)
		}
		qs, _, err := st.Questions(ctx, s.ID)
		if err != nil {
			return reportFailed(env, err)
		}
		if *question != "" || *clear {
			code := ""
			if !*clear {
				var scale []string
				for _, q := range qs {
					if q.Kind != analytics.KindScale {
						continue
					}
					scale = append(scale, q.Code)
					if report.Fold(q.Code) == report.Fold(*question) {
						code = q.Code
					}
				}
				if code == "" {
					return commandFailed(ctx, env, st, store.AuditSurveySetting, object, analytics.ParamErrorf(fmt.Sprintf(
						"{question} %q is not a scale question of survey %q; use one of: %s", *question, s.Name, strings.Join(scale, ", "))))
				}
			}
			if err := st.SetHeadlineQuestion(ctx, s.Name, code, cliActor(env)); err != nil {
				return commandFailed(ctx, env, st, store.AuditSurveySetting, object, err)
			}
		}
		code, err := st.HeadlineQuestion(ctx, s.ID)
		if err != nil {
			return reportFailed(env, err)
		}
		for _, q := range qs {
			if code != "" && q.Code == code {
				fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("The dashboard of survey %q leads with %s: %s\n", s.Name, q.Code, q.Text)))
				return ExitOK
			}
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("The dashboard of survey %q leads with its overall satisfaction question, if it has one.\n", s.Name)))
		return ExitOK
	})
}
