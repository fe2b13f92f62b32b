package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// listFlag is a flag that may be given several times; each value is kept.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// reportFlags adds the flags that choose a report's figures, shared by
// `heard report` and `heard export trends`.
func reportFlags(fs *flag.FlagSet, p *report.Params, by *listFlag, byUsage string) {
	fs.StringVar(&p.Survey, "survey", "", "the survey's name (see: heard surveys)")
	fs.StringVar(&p.Question, "question", "", "a question's code or text (default: every scale question)")
	fs.StringVar(&p.Metric, "metric", "", "a preset ("+strings.Join(analytics.MetricPresets(), ", ")+
		") or the name of a metric saved with heard metric save (default: each question's usual metric)")
	fs.StringVar(&p.Period, "period", "month", "month, quarter, year, fy (financial year, April to March), fyq (its quarters) or all")
	fs.Var(by, "by", byUsage)
	fs.Int64Var(&p.MinBase, "min-base", 10, "smallest base a board figure is shown on, and a p-value computed on")
}

// RunReport is `heard report`: it prints a question's figures by period
// and group, as a table for people or as CSV or JSON.
func RunReport(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("report", "report --survey NAME [--question CODE|TEXT] [--metric PRESET|NAME] "+
		"[--period all|month|quarter|year|fy|fyq] [--by COLUMN[,COLUMN]] [--from DATE] [--to DATE] [--where COLUMN=VALUE] "+
		"[--confidence 0.95] [--min-base N] [--board] [--include-partial] [--format table|csv|json] [--db PATH]", env)
	db := dbFlag(fs, env)
	var p report.Params
	var by, where listFlag
	reportFlags(fs, &p, &by, "break down by a dimension or single-choice question (code or heading); "+
		"several: --by team,age or --by team --by age")
	fs.StringVar(&p.From, "from", "", "only responses submitted on or after this London date (2024-04-01, or a month 2024-04)")
	fs.StringVar(&p.To, "to", "", "only responses submitted on or before this London date (2025-03-31, or a month 2025-03)")
	fs.Var(&where, "where", "only responses whose COLUMN has VALUE (case ignored); repeat for more values or columns")
	fs.Float64Var(&p.Confidence, "confidence", 0.95, "confidence level of the intervals, such as 0.95 or 0.99")
	fs.BoolVar(&p.Board, "board", false, "apply disclosure control (small numbers suppressed), for figures that leave staff")
	fs.BoolVar(&p.IncludePartial, "include-partial", false, "count partial responses too (default: complete responses only)")
	format := fs.String("format", "table", "table (for people), csv or json")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	p.By, p.Where = by, where
	switch {
	case strings.TrimSpace(p.Survey) == "":
		return usage(env, fs, "name the survey with --survey NAME (see `heard surveys`)")
	case fs.NArg() > 0:
		return usage(env, fs, fmt.Sprintf("report takes no arguments, only flags (got %q)", fs.Arg(0)))
	case !slices.Contains([]string{"table", "csv", "json"}, *format):
		return usage(env, fs, fmt.Sprintf("--format %q: use table, csv or json", *format))
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		var reports []report.JSON
		var all *report.SurveyReports
		if p.Question != "" || !report.IsPreset(p.Metric) {
			rep, err := report.Build(ctx, st, p)
			if err != nil {
				return reportFailed(env, err)
			}
			reports = []report.JSON{rep}
		} else {
			out, err := report.BuildAll(ctx, st, p)
			if err != nil {
				return reportFailed(env, err)
			}
			reports, all = out.Reports, &out
		}
		var err error
		switch *format {
		case "json":
			if all != nil {
				return printJSON(env, all)
			}
			return printJSON(env, reports[0])
		case "csv":
			err = writeReportCSV(env.Stdout, reports)
		default:
			err = writeReportTables(env.Stdout, reports, all)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		return ExitOK
	})
}

// reportFailed prints why a report could not be made and returns the
// exit status: 2 for parameters that do not fit, 1 for the rest.
func reportFailed(env Env, err error) int {
	if printImportErrors(env, err) {
		return ExitRefused
	}
	fmt.Fprintf(env.Stderr, "heard: %v\n", err)
	var ue *UsageError
	if errors.As(err, &ue) && !errors.Is(err, store.ErrNotFound) {
		return ExitUsage
	}
	return ExitRefused
}

// writeReportCSV writes reports in a long layout for analysts: one line
// per row, rates and intervals as fractions, text made safe for
// spreadsheets.
func writeReportCSV(w io.Writer, reports []report.JSON) error {
	cw := dashboards.NewCSV(w)
	cw.Header("survey", "question", "metric", "period", "group", "n", "positive", "negative", "rate",
		"ci_low", "ci_high", "suppressed", "change_p", "vs_rest_p")
	for _, rep := range reports {
		for _, r := range rep.Rows {
			cw.Text(rep.Survey, rep.Question, rep.Metric.Name, r.Period, r.Group)
			cw.Num(dashboards.IntCell(r.N), dashboards.IntCell(r.Positive), dashboards.IntCell(r.Negative), dashboards.FloatCell(r.Rate, 6),
				dashboards.FloatCell(r.CILow, 6), dashboards.FloatCell(r.CIHigh, 6), fmt.Sprint(r.Suppressed),
				pCell(r.ChangeP), pCell(r.VsRestP))
			cw.End()
		}
	}
	return cw.Flush()
}

// pCell writes a p-value to six significant figures, or "" for none.
func pCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', 6, 64)
}
