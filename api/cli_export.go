package api

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// RunExport is `heard export`; `heard export trends` writes the board's
// trend CSV.
func RunExport(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	if len(args) > 0 && args[0] == "trends" {
		return runExportTrends(ctx, env, args[1:])
	}
	fmt.Fprintln(env.Stderr, "heard: say what to export: heard export trends --survey NAME [--out FILE]")
	return ExitUsage
}

// runExportTrends is `heard export trends`.
func runExportTrends(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("export trends", "export trends --survey NAME [--out FILE] [--question CODE|TEXT] [--metric PRESET|NAME] "+
		"[--period month|quarter|year|fy|fyq|all] [--by COLUMN] [--min-base N] [--db PATH]\n\n"+
		"Writes the board's trend CSV: one line per metric, period and group, with disclosure control always on.\n"+
		"rate, ci_low and ci_high are percentages (an NPS from -100 to 100, a mean as its score); a suppressed\n"+
		"line keeps its period and group and leaves its figures empty.", env)
	db := dbFlag(fs, env)
	var p ReportParams
	var by listFlag
	reportFlags(fs, &p, &by, "break down by one dimension or single-choice question (code or heading)")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	p.By, p.Board = by, true
	switch {
	case strings.TrimSpace(p.Survey) == "":
		return usage(env, fs, "name the survey with --survey NAME (see `heard surveys`)")
	case fs.NArg() > 0:
		return usage(env, fs, fmt.Sprintf("export trends takes no arguments, only flags (got %q)", fs.Arg(0)))
	}
	st, err := env.OpenStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	}
	defer st.Close()
	reports, err := TrendReports(ctx, st, p)
	if err != nil {
		return reportFailed(env, err)
	}
	if *out == "" {
		err = WriteTrendCSV(env.Stdout, reports)
	} else {
		err = writeFileAtomic(*out, func(w io.Writer) error { return WriteTrendCSV(w, reports) })
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	}
	return ExitOK
}

// TrendReports makes the reports of the board's trend CSV: the survey's
// board publication (see boardParams), every scale question with its
// default metric, or the question p names. A board file breaks the figures
// down by one dimension at most, so that no two of its cells nest.
func TrendReports(ctx context.Context, st *store.Store, p ReportParams) ([]ReportJSON, error) {
	p.Board, p.IncludePartial, p.From, p.To, p.Where = true, false, "", "", nil
	var by []string
	for _, b := range p.By {
		for _, c := range strings.Split(b, ",") {
			if strings.TrimSpace(c) != "" {
				by = append(by, strings.TrimSpace(c))
			}
		}
	}
	if len(by) > 1 {
		return nil, usageErrorf("a trend CSV for the board breaks the figures down by one column at most ({by} %s)",
			strings.Join(by, ","))
	}
	all, err := BuildSurveyReports(ctx, st, p)
	if err != nil {
		return nil, err
	}
	return all.Reports, nil
}

// WriteTrendCSV writes reports as the board's trend CSV, in a long layout:
// survey, metric, question, period, group, numerator, denominator, rate,
// ci_low, ci_high, suppressed, disclosure_policy, disclosure_rule (the
// survey's board policy by name and in words, on every line). Rates and intervals are percentages with
// one decimal (an NPS from −100 to 100, a mean as its score with two); the
// overall row's group is "All responses". Text cells are made safe to open
// in a spreadsheet.
func WriteTrendCSV(w io.Writer, reports []ReportJSON) error {
	cw := newSafeCSV(w)
	cw.header("survey", "metric", "question", "period", "group", "numerator", "denominator", "rate",
		"ci_low", "ci_high", "suppressed", "disclosure_policy", "disclosure_rule")
	for _, rep := range reports {
		m := rep.Metric.Measure
		policy, rule := string(rep.Disclosure.Policy), rep.Disclosure.Rule
		for _, r := range rep.Rows {
			cw.text(rep.Survey, rep.Metric.Name, rep.Question, r.Period, groupName(r.Group))
			if r.Suppressed || r.Rate == nil {
				cw.num("", intCell(r.N), "", "", "", strconv.FormatBool(r.Suppressed))
			} else {
				numerator := ""
				if m != analytics.MeasureMean {
					numerator = intCell(r.Positive)
				}
				cw.num(numerator, intCell(r.N), dashboards.Value(m, *r.Rate, true), boundCell(m, r.CILow),
					boundCell(m, r.CIHigh), "false")
			}
			cw.num(policy, rule)
			cw.end()
		}
	}
	return cw.flush()
}

// boundCell writes an end of an interval as the trend CSV's rate, or ""
// for none.
func boundCell(m analytics.Measure, v *float64) string {
	if v == nil {
		return ""
	}
	return dashboards.Value(m, *v, true)
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, renamed into place once complete.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".heard-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	err = errors.Join(write(f), f.Chmod(0o644), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// safeCSV writes CSV whose text cells cannot run as spreadsheet formulas.
type safeCSV struct {
	w    *csv.Writer
	line []string
}

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{w: csv.NewWriter(w)} }

func (c *safeCSV) header(names ...string) { _ = c.w.Write(names) }

// text adds cells of text from uploads or users, made safe.
func (c *safeCSV) text(cells ...string) {
	for _, s := range cells {
		c.line = append(c.line, dashboards.SafeCell(s))
	}
}

// num adds cells that heard wrote itself (numbers, true/false).
func (c *safeCSV) num(cells ...string) { c.line = append(c.line, cells...) }

func (c *safeCSV) end() {
	_ = c.w.Write(c.line) // a write error sticks and is returned by flush
	c.line = c.line[:0]
}

func (c *safeCSV) flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// intCell writes a count, or "" for none.
func intCell(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// floatCell writes a number with at most places decimals, or "" for none.
func floatCell(v *float64, places int) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(dashboards.Round(*v, places), 'f', -1, 64)
}
