package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// noModel words a model the store does not have.
func noModel(name string, err error) error {
	if errors.Is(err, store.ErrNotFound) && !strings.Contains(err.Error(), "survey") {
		return analytics.NotFound(fmt.Sprintf("there is no theme model called %q; `heard themes list` lists them "+
			"(%s is the built-in NHS model)", name, themes.BuiltInName))
	}
	return err
}

func runThemesList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes list", "themes list [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "themes list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.ThemeModels(ctx)
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tVERSION\tTHEMES\tCOMMENTS\tSENTIMENT\tTRAINED (UTC)\tSIZE")
		for _, m := range list {
			if m.Version == 0 {
				cliTableRow(tw, m.Name, "-", "-", "-", "-", "built in (stored on first use)", "-")
				continue
			}
			sentiment := "no"
			if m.Sentiment {
				sentiment = "yes"
			}
			cliTableRow(tw, m.Name, fmt.Sprint(m.Version), dashboards.Thousands(int64(len(m.Themes))),
				dashboards.Thousands(int64(m.Comments)), sentiment, utcText(m.TrainedAt), modelSize(m))
		}
		tw.Flush()
		return ExitOK
	})
}

// modelSize is how much a model adds to the database.
func modelSize(m store.ThemeModelInfo) string {
	if m.Bytes < 1<<20 {
		return fmt.Sprintf("%d KB", (m.Bytes+1023)>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(m.Bytes)/(1<<20))
}

func runThemesDelete(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes delete", "themes delete --name NAME [--db PATH]", env)
	db := dbFlag(fs, env)
	name := modelFlag(fs)
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 || strings.TrimSpace(*name) == "" {
		return usage(env, fs, "name the model to delete with --name")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		if err := st.DeleteThemeModel(ctx, *name, cliActor(env)); err != nil {
			return commandFailed(ctx, env, st, store.AuditThemeModelDelete, fmt.Sprintf("theme model %q", *name), noModel(*name, err))
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Theme model %q deleted, with the corrections made under it. "+
			"Surveys that used it use the built-in model %s from now on.\n", strings.TrimSpace(*name), themes.BuiltInName)))
		return ExitOK
	})
}

func runThemesUse(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes use", "themes use --survey NAME --name MODEL [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	name := modelFlag(fs)
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 || *survey == "" || strings.TrimSpace(*name) == "" {
		return usage(env, fs, "give --survey and --name (the model its comments are classified with)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *survey)
		s, err := surveyNamed(ctx, st, *survey)
		if err == nil {
			err = noModel(*name, st.SetSurveyThemeModel(ctx, s.ID, *name, cliActor(env)))
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveySetting, object, err)
		}
		var bar *progressBar
		if isTerminal(rawWriter(env.Stderr)) {
			bar = &progressBar{w: rawWriter(env.Stderr), label: terminalSafe(s.Name)}
			defer bar.finish()
		}
		n, err := st.ClassifyComments(ctx, s.ID, func(done, total int) {
			if bar != nil {
				bar.update("themes", done, total)
			}
		})
		if err != nil {
			return reportFailed(env, fmt.Errorf("survey %q now uses the model %q, but its comments could not be classified "+
				"yet (heard serve will try again): %w", s.Name, strings.TrimSpace(*name), err))
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q classifies its comments with the model %q; %s classified.\n",
			s.Name, strings.TrimSpace(*name), dashboards.Plural(n, "comment"))))
		return ExitOK
	})
}
