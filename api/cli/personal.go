package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics/store"
)

// RunPersonal is `heard personal`: it says, or sets with --keep or --drop,
// whether a survey keeps respondents' names and email addresses. By default
// a survey does not: those columns of its files are never stored. A survey
// that keeps them stores them as free-text answers, shown only to staff who
// may read comments, never to the board. It returns the exit status.
func RunPersonal(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("personal", "personal --survey NAME [--keep|--drop] [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	keep := fs.Bool("keep", false, "keep respondents' names and email addresses from the next files imported (text answers, staff only)")
	drop := fs.Bool("drop", false, "stop storing respondents' names and email addresses (the default)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey, and --keep or --drop to change the setting")
	}
	if *keep && *drop {
		return usage(env, fs, "use --keep or --drop, not both")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		s, err := surveyNamed(ctx, st, *survey)
		if !*keep && !*drop {
			on := false
			if err == nil {
				on, err = st.KeepPersonal(ctx, s.Name)
			}
			if err != nil {
				return reportFailed(env, err)
			}
			fmt.Fprint(env.Stdout, terminalSafe(personalText(s.Name, on)))
			return ExitOK
		}
		if err == nil {
			err = st.SetKeepPersonal(ctx, s.Name, *keep, cliActor(env))
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveySetting, fmt.Sprintf("survey %q", *survey), err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(personalText(s.Name, *keep)))
		if *keep {
			fmt.Fprintln(env.Stdout, "Files imported from now on keep them; files imported before did not store them.")
		}
		return ExitOK
	})
}

// personalText says in plain English whether a survey keeps personal data.
func personalText(survey string, keep bool) string {
	if keep {
		return fmt.Sprintf("Survey %q keeps respondents' names and email addresses, as text answers shown only to staff.\n", survey)
	}
	return fmt.Sprintf("Survey %q does not store respondents' names or email addresses.\n", survey)
}

// refuseKeepPersonal is `heard import --keep-personal`'s check before each
// file: ExitOK to go on, or the status after saying why not.
func refuseKeepPersonal(ctx context.Context, env Env, fs *flag.FlagSet, st *store.Store, on bool, survey string) int {
	if !on {
		return ExitOK
	}
	msg, err := keepPersonalRefused(ctx, st, survey)
	switch {
	case err != nil:
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	case msg != "":
		return usage(env, fs, msg)
	}
	return ExitOK
}

// keepPersonalRefused returns why `heard import --keep-personal` must not
// import into survey, or "" when it may: the survey is new (this import
// creates it) or has opted in already.
func keepPersonalRefused(ctx context.Context, st *store.Store, survey string) (string, error) {
	if _, err := st.SurveyByName(ctx, survey); errors.Is(err, store.ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	keep, err := st.KeepPersonal(ctx, survey)
	if err != nil || keep {
		return "", err
	}
	return ingest.NotOptedIn(survey), nil
}
