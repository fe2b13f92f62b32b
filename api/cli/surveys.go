package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// RunSurveys is `heard surveys`: it lists the surveys with their counts.
func RunSurveys(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("surveys", "surveys [--db PATH] [--json]", env)
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "surveys takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.Surveys(ctx)
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		if *asJSON {
			out := make([]report.SurveyJSON, 0, len(list))
			for _, s := range list {
				out = append(out, report.SurveyJSONOf(s))
			}
			return printJSON(env, out)
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "No surveys yet: import a file with `heard import FILE`.")
			return ExitOK
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SURVEY\tRESPONSES\tQUESTIONS\tIMPORTS\tFIRST\tLAST")
		for _, s := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, dashboards.Thousands(s.Responses), dashboards.Thousands(int64(s.Questions)),
				dashboards.Thousands(int64(s.Imports)), dash(s.FirstDate), dash(s.LastDate))
		}
		tw.Flush()
		return ExitOK
	})
}

// RunQuestions is `heard questions`: it lists a survey's questions, with
// their kinds and options, and its dimensions.
func RunQuestions(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("questions", "questions --survey NAME [--db PATH] [--json]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "name the survey with --survey NAME (see `heard surveys`)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		s, err := st.SurveyByName(ctx, *survey)
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(env.Stderr, "heard: there is no survey called %q; `heard surveys` lists them\n", *survey)
			return ExitRefused
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		qs, ds, err := st.Questions(ctx, s.ID)
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		if *asJSON {
			return printJSON(env, report.QuestionsJSON{Survey: s.Name, Questions: report.NonNil(qs), Dimensions: report.NonNil(ds)})
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tKIND\tQUESTION\tOPTIONS")
		for _, q := range qs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", q.Code, q.Kind, dashboards.OneLine(q.Text, 60), dashboards.OptionSummary(q))
		}
		fmt.Fprintln(tw, "\nDIMENSION\tKIND\tCOLUMN\t")
		for _, d := range ds {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", d.Code, d.Kind, dashboards.OneLine(d.Name, 60))
		}
		tw.Flush()
		return ExitOK
	})
}

func printJSON(env Env, v any) int {
	enc := json.NewEncoder(rawWriter(env.Stdout))
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	}
	return ExitOK
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
