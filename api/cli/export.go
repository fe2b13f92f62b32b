package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
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
	var p report.Params
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
	return withStore(ctx, env, *db, func(st *store.Store) int {
		reports, err := report.Trends(ctx, st, p)
		if err != nil {
			return reportFailed(env, err)
		}
		if *out == "" {
			err = report.WriteTrendCSV(env.Stdout, reports)
		} else {
			err = writeFileAtomic(*out, func(w io.Writer) error { return report.WriteTrendCSV(w, reports) })
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		return ExitOK
	})
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
