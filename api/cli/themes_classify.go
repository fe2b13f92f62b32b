package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/dashboards"
)

// classifiedJSON is one line of `heard themes classify --json`.
type classifiedJSON struct {
	// Row counts the file's data rows from 1.
	Row       int                `json:"row"`
	Themes    []string           `json:"themes"`
	Scores    map[string]float64 `json:"scores"`
	Sentiment string             `json:"sentiment"`
}

func runThemesClassify(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes classify", "themes classify --name NAME --file FILE --text COLUMN [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	name := modelFlag(fs)
	file := addCommentFileFlags(fs, false)
	asJSON := fs.Bool("json", false, "print one JSON object a row: row, themes, scores, sentiment")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "themes classify takes flags only")
	}
	if strings.TrimSpace(*name) == "" {
		return usage(env, fs, "name the model with --name ("+themes.BuiltInName+" for the built-in NHS model)")
	}
	if msg := file.check(false); msg != "" {
		return usage(env, fs, msg)
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		rows, err := file.read()
		if err != nil {
			return reportFailed(env, err)
		}
		m, _, err := st.ThemeModel(ctx, *name)
		if err != nil {
			return reportFailed(env, noModel(*name, err))
		}
		w := bufio.NewWriter(rawWriter(env.Stdout))
		if !*asJSON {
			w = bufio.NewWriter(env.Stdout)
		}
		for _, r := range rows {
			res := m.Classify(r.Example.Text)
			if *asJSON {
				line, err := json.Marshal(classifiedJSON{Row: r.Row, Themes: res.Themes, Scores: res.Scores, Sentiment: res.Sentiment})
				if err != nil {
					return reportFailed(env, err)
				}
				w.Write(append(line, '\n'))
				continue
			}
			list := strings.Join(res.Themes, "; ")
			if len(res.Themes) == 0 {
				list = "(no theme: says nothing)"
			}
			fmt.Fprintf(w, "row %d: %s", r.Row, list)
			if res.Sentiment != "" {
				fmt.Fprintf(w, " (%s)", res.Sentiment)
			}
			fmt.Fprintln(w)
		}
		if err := w.Flush(); err != nil {
			return reportFailed(env, err)
		}
		return ExitOK
	})
}

// evaluationJSON is what `heard themes evaluate --json` prints.
type evaluationJSON struct {
	Name string `json:"name"`
	File string `json:"file"`
	themes.Evaluation
	// Skipped counts the rows left out: blank, or without a theme given.
	Skipped int `json:"skipped"`
}

func runThemesEvaluate(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("themes evaluate", "themes evaluate --name NAME --file FILE --text COLUMN (--labels COLUMN | --label-columns 'A,B') "+
		"[--sentiment COLUMN] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	name := modelFlag(fs)
	file := addCommentFileFlags(fs, true)
	asJSON := fs.Bool("json", false, "print the scores as JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "themes evaluate takes flags only")
	}
	if strings.TrimSpace(*name) == "" {
		return usage(env, fs, "name the model with --name ("+themes.BuiltInName+" for the built-in NHS model)")
	}
	if msg := file.check(true); msg != "" {
		return usage(env, fs, msg)
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		rows, err := file.read()
		if err != nil {
			return reportFailed(env, err)
		}
		examples, skipped := labelledExamples(rows)
		if len(examples) == 0 {
			return reportFailed(env, &analytics.ImportError{File: *file.file, Message: "no row has both a comment and its themes, so there is nothing to evaluate"})
		}
		m, info, err := st.ThemeModel(ctx, *name)
		if err != nil {
			return reportFailed(env, noModel(*name, err))
		}
		out := evaluationJSON{Name: info.Name, File: *file.file, Evaluation: themes.Evaluate(m, examples), Skipped: skipped}
		if *asJSON {
			return printJSON(env, out)
		}
		printEvaluation(env, out)
		return ExitOK
	})
}

// printEvaluation writes an evaluation as a table, the most frequent
// themes first.
func printEvaluation(env Env, e evaluationJSON) {
	fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Theme model %q on %s: %s", e.Name, e.File, dashboards.Plural(e.Comments, "comment"))))
	if e.Skipped > 0 {
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf(" (%s left out: blank, or with no theme given)", dashboards.Plural(e.Skipped, "row"))))
	}
	fmt.Fprintln(env.Stdout, ".")
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "THEME\tPRECISION\tRECALL\tF1\tSUPPORT\t")
	row := func(name string, s themes.Score) {
		cliTableRow(tw, name, fmt.Sprintf("%.3f", s.Precision), fmt.Sprintf("%.3f", s.Recall), fmt.Sprintf("%.3f", s.F1),
			dashboards.Thousands(int64(s.Support)), "")
	}
	row("micro average", e.Micro)
	row("macro average", e.Macro)
	names := slices.Collect(maps.Keys(e.Themes))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(e.Themes[b].Support, e.Themes[a].Support), strings.Compare(a, b))
	})
	for _, n := range names {
		row(n, e.Themes[n])
	}
	tw.Flush()
	if e.SentimentAccuracy != nil {
		fmt.Fprintf(env.Stdout, "Sentiment: %.3f of %s right.\n", *e.SentimentAccuracy, dashboards.Plural(e.SentimentComments, "comment"))
	}
}
