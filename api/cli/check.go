package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/heard-council/heard/analytics/store"
)

// RunCheck is `heard check`: SQLite's quick check of the whole database
// file, which other commands no longer run on every start (they run it
// only after a process ended without closing the database; `heard serve`
// runs it at every start). --full runs the slower integrity check, which
// also compares every index with its table. A damaged file is said on
// standard error with exit status 1, and is not changed.
func RunCheck(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("check", "check [--db PATH] [--full]", env)
	db := dbFlag(fs, env)
	full := fs.Bool("full", false, "run SQLite's full integrity check (slower) instead of its quick check")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "heard check takes no file names: give the database with --db")
	}
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: there is no database file %s to check: %v\n", *db, err)))
		return ExitRefused
	}
	st, err := store.OpenChecked(ctx, *db)
	if err != nil {
		fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: %v\n", err)))
		return ExitRefused
	}
	if err := st.Close(); err != nil {
		fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: %v\n", err)))
		return ExitRefused
	}
	what := "quick check"
	if *full {
		what = "integrity check"
		verdict, err := store.CheckFile(ctx, *db)
		if err != nil {
			fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: %v\n", err)))
			return ExitRefused
		}
		if verdict != "ok" {
			fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: the database file %s is damaged (SQLite reports: %s); "+
				"restore it from a backup\n", *db, verdict)))
			return ExitRefused
		}
	}
	fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s passes SQLite's %s.\n", *db, what)))
	return ExitOK
}
