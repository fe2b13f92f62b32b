package cli

import (
	"context"
	"fmt"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// RunBackup is `heard backup --out FILE`: a consistent copy of the
// database, taken while the service runs, checked with SQLite's integrity
// check. `heard backup --check FILE` checks a copy before it is restored.
func RunBackup(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("backup", "backup --out FILE [--db PATH]  |  backup --check FILE", env)
	db := dbFlag(fs, env)
	out := fs.String("out", "", "the new backup file (an existing file is never overwritten)")
	check := fs.String("check", "", "check a backup file instead of writing one")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if (*out == "") == (*check == "") || fs.NArg() > 0 {
		return usage(env, fs, "give either --out FILE to back up, or --check FILE to check a backup")
	}
	if *check != "" {
		verdict, err := store.CheckFile(ctx, *check)
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		if verdict != "ok" {
			fmt.Fprint(env.Stderr, terminalSafe(fmt.Sprintf("heard: %s is damaged (SQLite reports: %s); do not restore it\n", *check, verdict)))
			return ExitRefused
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s passes SQLite's integrity check: it can be restored.\n", *check)))
		return ExitOK
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		res, err := st.Backup(ctx, *out, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditBackup, "file "+*out, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Backed up %s to %s (%d bytes); integrity check: %s.\n"+
			"It holds every response: keep it as safe as the database.\n", *db, res.Path, res.Bytes, res.Integrity)))
		return ExitOK
	})
}
