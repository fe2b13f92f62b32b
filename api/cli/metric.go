package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// MetricSaveParams define a metric to save with a survey; options are
// named by label (or code), several in one value separated by commas.
type MetricSaveParams struct {
	Survey, Name, Question string
	Positive, Negative     []string
	Excluded               []string
	// Measure is share (default), nps or mean.
	Measure string
	By      string
}

// SaveMetric checks a metric against its survey's question and saves it,
// replacing a saved metric of the same name. It returns what was saved.
func SaveMetric(ctx context.Context, st *store.Store, p MetricSaveParams) (report.MetricJSON, error) {
	r, err := report.Resolve(ctx, st, report.Params{Survey: p.Survey})
	if err != nil {
		return report.MetricJSON{}, err
	}
	q, err := r.Question("question", p.Question)
	if err != nil {
		return report.MetricJSON{}, err
	}
	m := analytics.Metric{Name: p.Name, Question: q.Code, Measure: analytics.Measure(strings.ToLower(strings.TrimSpace(p.Measure)))}
	if m.Measure == "" {
		m.Measure = analytics.MeasureShare
	}
	for _, role := range []struct {
		flag   string
		labels []string
		idx    *[]int
	}{{"positive", p.Positive, &m.Positive}, {"negative", p.Negative, &m.Negative}, {"excluded", p.Excluded, &m.Excluded}} {
		if *role.idx, err = report.FindOptions(role.flag, q, role.labels); err != nil {
			return report.MetricJSON{}, err
		}
	}
	if err := m.Validate(q); err != nil {
		return report.MetricJSON{}, &UsageError{Msg: err.Error()}
	}
	if err := st.SaveMetric(ctx, r.Survey().ID, m, p.By); err != nil {
		return report.MetricJSON{}, &UsageError{Msg: err.Error()}
	}
	saved, err := st.Metric(ctx, r.Survey().ID, p.Name)
	if err != nil {
		return report.MetricJSON{}, err
	}
	return report.MetricJSONOf(q, saved), nil
}

// SavedMetricJSON is a saved metric as `heard metric list --json` prints it.
type SavedMetricJSON struct {
	Question string `json:"question"`
	report.MetricJSON
}

// RunMetric is `heard metric`: save, list or delete a survey's own metrics.
func RunMetric(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "metric", args, []subcommand{
		{[]string{"save"}, plain(runMetricSave)},
		{[]string{"list"}, func(ctx context.Context, env Env, _ string, args []string) int {
			return runMetricList(ctx, env, args, false)
		}},
		{[]string{"delete"}, func(ctx context.Context, env Env, _ string, args []string) int {
			return runMetricList(ctx, env, args, true)
		}},
	})
}

func runMetricSave(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("metric save", `metric save --survey NAME --name NAME --question CODE|TEXT --positive "LABEL,LABEL" `+
		`[--negative "LABEL,..."] [--excluded "LABEL,..."] [--measure share|nps|mean] [--db PATH]`, env)
	db := dbFlag(fs, env)
	var p MetricSaveParams
	var pos, neg, excl listFlag
	fs.StringVar(&p.Survey, "survey", "", "the survey's name")
	fs.StringVar(&p.Name, "name", "", "the metric's name, used as heard report --metric NAME")
	fs.StringVar(&p.Question, "question", "", "the question's code or text")
	fs.Var(&pos, "positive", "options counted as positive (the promoters of an NPS), by label, separated by commas")
	fs.Var(&neg, "negative", "options counted as negative (the detractors of an NPS)")
	fs.Var(&excl, "excluded", "options left out of the base, such as \"Don't know\"")
	fs.StringVar(&p.Measure, "measure", "share", "share (positive as a share of the base), nps (positive minus negative) or mean")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	p.Positive, p.Negative, p.Excluded, p.By = pos, neg, excl, currentUser(env)
	if p.Survey == "" || p.Name == "" || p.Question == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey, --name and --question (and the options with --positive)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		m, err := SaveMetric(ctx, st, p)
		if err != nil {
			return reportFailed(env, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Saved metric %q: %s.\nUse it with: heard report --survey %q --metric %q\n",
			m.Name, describeMetric(m), p.Survey, m.Name)))
		return ExitOK
	})
}

// runMetricList is `heard metric list`, or `heard metric delete`.
func runMetricList(ctx context.Context, env Env, args []string, del bool) int {
	name, use := "metric list", "metric list --survey NAME [--json] [--db PATH]"
	if del {
		name, use = "metric delete", "metric delete --survey NAME --name NAME [--db PATH]"
	}
	fs := newFlagSet(name, use, env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	metric := fs.String("name", "", "the metric's name (delete)")
	asJSON := fs.Bool("json", false, "print JSON (list)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 || del && *metric == "" {
		return usage(env, fs, "give --survey NAME"+map[bool]string{true: " and --name NAME", false: ""}[del])
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		r, err := report.Resolve(ctx, st, report.Params{Survey: *survey})
		if err != nil {
			return reportFailed(env, err)
		}
		if del {
			if err := st.DeleteMetric(ctx, r.Survey().ID, *metric); errors.Is(err, store.ErrNotFound) {
				fmt.Fprintf(env.Stderr, "heard: survey %q has no metric called %q\n", *survey, *metric)
				return ExitRefused
			} else if err != nil {
				fmt.Fprintf(env.Stderr, "heard: %v\n", err)
				return ExitRefused
			}
			fmt.Fprintf(env.Stdout, "Deleted metric %q.\n", *metric)
			return ExitOK
		}
		list, err := st.Metrics(ctx, r.Survey().ID)
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		out := []SavedMetricJSON{}
		for _, m := range list {
			if q, err := r.Question("question", m.Question); err == nil {
				out = append(out, SavedMetricJSON{Question: q.Code, MetricJSON: report.MetricJSONOf(q, m)})
			}
		}
		if *asJSON {
			return printJSON(env, out)
		}
		if len(out) == 0 {
			fmt.Fprintf(env.Stdout, "Survey %q has no metrics of its own yet: add one with `heard metric save`.\n", *survey)
		}
		for _, m := range out {
			fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s (question %s): %s\n", m.Name, m.Question, describeMetric(m.MetricJSON))))
		}
		return ExitOK
	})
}
