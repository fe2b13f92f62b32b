package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// RunRetention is `heard retention`: set and list how long each survey
// keeps its responses, and purge the responses older than that.
func RunRetention(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "retention", args, []subcommand{
		{[]string{"set"}, plain(runRetentionSet)}, {[]string{"list"}, plain(runRetentionList)}, {[]string{"purge"}, plain(runRetentionPurge)},
	})
}

// surveyNamed returns the survey called name, with a plain message when
// there is none.
func surveyNamed(ctx context.Context, st *store.Store, name string) (analytics.Survey, error) {
	s, err := st.SurveyByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return analytics.Survey{}, analytics.NotFound(fmt.Sprintf("there is no survey called %q; `heard surveys` lists them", name))
	}
	return s, err
}

func runRetentionSet(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("retention set", "retention set --survey NAME --days N [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	days := fs.Int("days", -1, "keep responses this many days after they were submitted; 0 keeps them until deleted")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || *days < 0 || fs.NArg() > 0 {
		return usage(env, fs, "give --survey and --days (0 to keep responses until deleted)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		s, err := surveyNamed(ctx, st, *survey)
		if err == nil {
			err = st.SetRetention(ctx, s.ID, *days, cliActor(env))
		}
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditRetentionSet, fmt.Sprintf("survey %q", *survey), err)
		}
		if *days == 0 {
			fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q keeps its responses until they are deleted.\n", s.Name)))
			return ExitOK
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q keeps responses for %s after they were submitted.\n"+
			"Older ones are deleted by `heard retention purge` (try --dry-run first).\n", s.Name, dashboards.Plural(*days, "day"))))
		return ExitOK
	})
}

func runRetentionList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("retention list", "retention list [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "retention list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.Retentions(ctx)
		if err == nil {
			err = st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditList, "retention periods", analytics.OutcomeOK, ""))
		}
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SURVEY\tKEEP\tSET BY\tSET AT (UTC)")
		for _, r := range list {
			keep := "until deleted"
			if r.Days > 0 {
				keep = dashboards.Plural(r.Days, "day")
			}
			cliTableRow(tw, r.Survey, keep, dash(r.SetBy), dash(utcText(r.SetAt)))
		}
		tw.Flush()
		return ExitOK
	})
}

func runRetentionPurge(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("retention purge", "retention purge [--survey NAME] [--dry-run] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "purge this survey only (default: every survey with a retention period)")
	dry := fs.Bool("dry-run", false, "count what would be deleted, delete nothing")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "retention purge takes flags only")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		req := store.PurgeRequest{DryRun: *dry}
		object := "every survey with a retention period"
		if *survey != "" {
			object = fmt.Sprintf("survey %q", *survey)
			s, err := surveyNamed(ctx, st, *survey)
			if err != nil {
				return commandFailed(ctx, env, st, analytics.AuditRetentionPurge, object, err)
			}
			req.SurveyID = s.ID
		}
		list, err := st.Purge(ctx, req, cliActor(env))
		if errors.Is(err, store.ErrNoRetention) {
			err = fmt.Errorf("survey %q has no retention period: set one with `heard retention set --survey %q --days N`: %w",
				*survey, *survey, store.ErrNoRetention)
		}
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditRetentionPurge, object, err)
		}
		if *dry {
			var n int64
			for _, p := range list {
				n += p.Responses
			}
			e := analytics.NewAuditEvent(cliActor(env), analytics.AuditRetentionPurge, object, analytics.OutcomeOK,
				"dry run: "+dashboards.Plural(int(n), "response")+" would be deleted")
			if err := st.Audit(ctx, e); err != nil {
				return reportFailed(env, err)
			}
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		printPurged(env, list, *dry)
		return ExitOK
	})
}

// printPurged writes what a purge deleted, or would delete.
func printPurged(env Env, list []store.Purged, dry bool) {
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No survey has a retention period: set one with `heard retention set --survey NAME --days N`.")
		return
	}
	verb := "deleted"
	if dry {
		verb = "would be deleted (dry run, nothing changed)"
	}
	for _, p := range list {
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q (kept %s): %s submitted before %s %s.\n",
			p.Survey, dashboards.Plural(p.Days, "day"), dashboards.Plural(int(p.Responses), "response"), p.Cutoff.UTC().Format("2 January 2006 15:04 UTC"), verb)))
	}
}
