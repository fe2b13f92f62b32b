package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/dashboards"
)

// RunActions is `heard actions`: "you said, we did" records with their
// measured effect.
func RunActions(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "actions", args, []subcommand{
		{[]string{"add"}, plain(runActionsAdd)},
		{[]string{"list"}, plain(runActionsList)},
		{[]string{"delete"}, plain(runActionsDelete)},
	})
}

func runActionsAdd(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("actions add", "actions add --survey NAME --question CODE|TEXT --said TEXT --did TEXT --done YYYY-MM-DD "+
		"[--agreed YYYY-MM-DD] [--owner NAME] [--status planned|in-progress|done] [--months N] [--quote TEXT] "+
		"[--theme NAME] [--statement FRAMEWORK:ID] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	var p action.Params
	fs.StringVar(&p.Survey, "survey", "", "the survey's name")
	fs.StringVar(&p.Question, "question", "", "the question people spoke about, by code or text: the effect is measured on its figure")
	fs.StringVar(&p.Theme, "theme", "", "the comment theme people spoke about (instead of or as well as a question)")
	fs.StringVar(&p.Statement, "statement", "", "the framework statement it speaks to, as FRAMEWORK:ID")
	fs.StringVar(&p.Said, "said", "", "what people said, in a sentence or two")
	fs.StringVar(&p.Quote, "quote", "", "a quote from a comment, as written: shown redacted to anyone without the personal-data right")
	fs.StringVar(&p.Did, "did", "", "what the council did")
	fs.StringVar(&p.Owner, "owner", "", "who owns the action (never shown to the board)")
	fs.StringVar(&p.Agreed, "agreed", "", "the day it was agreed, YYYY-MM-DD")
	fs.StringVar(&p.Done, "done", "", "the day it was done, YYYY-MM-DD")
	fs.StringVar(&p.Status, "status", "", "planned, in-progress or done (done when --done is given)")
	fs.IntVar(&p.Months, "months", analytics.DefaultEffectMonths,
		fmt.Sprintf("whole months before and after the month done that the effect compares (1 to %d)", analytics.MaxEffectMonths))
	asJSON := fs.Bool("json", false, "print the action with its effect as JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if p.Survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey, what people said (--said), what was done (--did), the question (--question) and --done")
	}
	if p.Done == "" && p.Status == "" {
		return usage(env, fs, "give --done YYYY-MM-DD, the day it was done (or --status planned or in-progress for an action not done yet)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		a, err := action.Save(ctx, st, 0, p, cliActor(env), time.Now())
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, a)
		}
		fmt.Fprintf(env.Stdout, "Recorded action %d of survey %q.\n", a.ID, a.Survey)
		printAction(env.Stdout, a)
		return ExitOK
	})
}

func runActionsList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("actions list", "actions list --survey NAME [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	asJSON := fs.Bool("json", false, "print JSON: an array of actions with their effects")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey NAME")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := action.List(ctx, st, *survey, action.Personal, time.Now())
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, list)
		}
		if len(list) == 0 {
			fmt.Fprintf(env.Stdout, "Survey %q has no actions yet: record one with `heard actions add`.\n", *survey)
		}
		for i, a := range list {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprintf(env.Stdout, "Action %d\n", a.ID)
			printAction(env.Stdout, a)
		}
		return ExitOK
	})
}

func runActionsDelete(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("actions delete", "actions delete --id N [--db PATH]", env)
	db := dbFlag(fs, env)
	id := fs.Int64("id", 0, "the action's number, as `heard actions list` shows it")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *id <= 0 || fs.NArg() > 0 {
		return usage(env, fs, "give --id N, the action's number")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		if _, err := action.Delete(ctx, st, *id, cliActor(env)); err != nil {
			return reportFailed(env, err)
		}
		fmt.Fprintf(env.Stdout, "Deleted action %d.\n", *id)
		return ExitOK
	})
}

// printAction writes an action and its effect for a terminal.
func printAction(w io.Writer, a action.JSON) {
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-10s %s\n", label+":", strings.ReplaceAll(value, "\n", "\n             "))
		}
	}
	about := a.Question
	if a.QuestionText != "" {
		about += " (" + a.QuestionText + ")"
	}
	line("Question", about)
	line("Theme", a.Theme)
	line("Statement", a.Statement)
	line("Said", a.Said)
	line("Quote", a.Quote)
	line("Did", a.Did)
	if a.Owner != nil {
		line("Owner", *a.Owner)
	}
	line("Agreed", a.Agreed)
	line("Done", a.Done)
	line("Status", a.Status)
	if a.Before != nil {
		line("Before", windowWords(a.Before))
		line("After", windowWords(a.After))
	}
	if a.Difference != nil {
		diff := dashboards.Points(*a.Difference)
		if a.CILow != nil && a.CIHigh != nil {
			diff += " (" + dashboards.Confidence(a.Confidence) + " interval " + dashboards.PointsInterval(*a.CILow, *a.CIHigh) + ")"
		}
		if a.P != nil {
			diff += ", " + dashboards.PValue(*a.P)
		}
		line("Change", diff)
	}
	line("Effect", a.EffectSentence)
	fmt.Fprint(w, terminalSafe(b.String()))
}

// windowWords writes a window's days and figure: "2024-03-01 to
// 2024-08-31: 63.8% (210 answers)".
func windowWords(w *action.WindowJSON) string {
	s := w.From + " to " + w.To
	switch {
	case w.Rate != nil && w.N != nil:
		s += ": " + dashboards.Value(analytics.MeasureShare, *w.Rate, false) + " (" + dashboards.Plural(int(*w.N), "answer") + ")"
	case w.N != nil:
		s += ": no answers"
	}
	return s
}
