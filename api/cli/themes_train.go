package cli

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/dashboards"
)

// trainedJSON is what `heard themes train --json` and `retrain --json`
// print.
type trainedJSON struct {
	Name    string `json:"name"`
	Version int64  `json:"version"`
	// Comments is the number of labelled comments learnt from.
	Comments int `json:"comments"`
	// Themes is the number of themes; ThemeNames lists them.
	Themes     int      `json:"themes"`
	ThemeNames []string `json:"theme_names"`
	Sentiment  bool     `json:"sentiment"`
	// Skipped counts the rows left out: blank, or without a theme.
	Skipped int `json:"skipped,omitempty"`
	// Corrections counts the analysts' corrections learnt from (retrain).
	Corrections int     `json:"corrections,omitempty"`
	Seconds     float64 `json:"seconds"`
}

func runThemesTrain(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes train", "themes train --name NAME --file FILE --text COLUMN (--labels COLUMN | --label-columns 'A,B') "+
		"[--sentiment COLUMN] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	name := modelFlag(fs)
	file := addCommentFileFlags(fs, true)
	seed := fs.Int64("seed", 1, "the seed that makes training reproducible")
	asJSON := fs.Bool("json", false, "print a JSON summary")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "themes train takes flags only")
	}
	if strings.TrimSpace(*name) == "" {
		return usage(env, fs, "name the model with --name")
	}
	if msg := file.check(true); msg != "" {
		return usage(env, fs, msg)
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		start := time.Now()
		object := fmt.Sprintf("theme model %q", *name)
		rows, err := file.read()
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditThemeModelSave, object, err)
		}
		examples, skipped := labelledExamples(rows)
		m, err := themes.Train(examples, themes.Options{Seed: *seed})
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditThemeModelSave, object, fmt.Errorf("%s: %w", *file.file, err))
		}
		info, err := st.SaveThemeModel(ctx, *name, m, examples, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditThemeModelSave, object, err)
		}
		out := trainedJSON{Name: info.Name, Version: info.Version, Comments: info.Comments, Themes: len(info.Themes),
			ThemeNames: info.Themes, Sentiment: info.Sentiment, Skipped: skipped, Seconds: seconds(time.Since(start))}
		return printTrained(env, out, *asJSON)
	})
}

func runThemesRetrain(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes retrain", "themes retrain --name NAME [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	name := modelFlag(fs)
	seed := fs.Int64("seed", 1, "the seed that makes training reproducible")
	asJSON := fs.Bool("json", false, "print a JSON summary")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 || strings.TrimSpace(*name) == "" {
		return usage(env, fs, "name the model to train again with --name")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		start := time.Now()
		info, corrections, err := st.RetrainThemeModel(ctx, *name, themes.Options{Seed: *seed}, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditThemeModelSave, fmt.Sprintf("theme model %q", *name), noModel(*name, err))
		}
		out := trainedJSON{Name: info.Name, Version: info.Version, Comments: info.Comments, Themes: len(info.Themes),
			ThemeNames: info.Themes, Sentiment: info.Sentiment, Corrections: corrections, Seconds: seconds(time.Since(start))}
		return printTrained(env, out, *asJSON)
	})
}

// seconds is d in seconds to the millisecond.
func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1000) / 1000 }

// printTrained says what training made.
func printTrained(env Env, out trainedJSON, asJSON bool) int {
	if asJSON {
		return printJSON(env, out)
	}
	with := "without sentiment"
	if out.Sentiment {
		with = "with sentiment"
	}
	fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Theme model %q, version %d: %s (%s), %s, learnt from %s in %.1f s.\n",
		out.Name, out.Version, dashboards.Plural(out.Themes, "theme"), dashboards.OneLine(strings.Join(out.ThemeNames, "; "), 200),
		with, dashboards.Plural(out.Comments, "comment"), out.Seconds)))
	if out.Corrections > 0 {
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s by analysts were among them.\n", dashboards.Plural(out.Corrections, "correction"))))
	}
	if out.Skipped > 0 {
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s left out (blank, or with no theme given).\n", dashboards.Plural(out.Skipped, "row"))))
	}
	fmt.Fprintln(env.Stdout, "Surveys that use it have their comments classified again by heard serve.")
	return ExitOK
}
