package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// RunMigrateTo is `heard migrate-to --db TARGET --from FILE`: it copies a
// heard SQLite database, whole, into a new and empty database (the
// PostgreSQL database of a shared deployment, or another SQLite file),
// checks that every table holds as many rows in the copy as in the source,
// prints the counts, and records the copy in the source's audit log. A
// target that holds anything is refused and left as it was; a copy that
// fails part way leaves the target empty, so it can be run again.
func RunMigrateTo(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("migrate-to", "migrate-to --db TARGET --from FILE [--json]", env)
	target := fs.String("db", "", "the new, empty database to copy into: a PostgreSQL address (postgres://...) or a new SQLite file; "+
		"HEARD_DB is not used here, so that the source is never taken for the target")
	from := fs.String("from", "", "the heard SQLite database file to copy (heard serve's --db)")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	switch {
	case *target == "" || *from == "":
		return usage(env, fs, "give both --db TARGET (the new database) and --from FILE (the database to copy)")
	case fs.NArg() > 0:
		return usage(env, fs, fmt.Sprintf("migrate-to takes no arguments, only flags (got %q)", fs.Arg(0)))
	}
	shown := store.RedactDSN(*target)
	src, err := store.OpenExisting(ctx, *from)
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	}
	defer src.Close()
	dst, err := openTarget(ctx, env, *target)
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %s\n", strings.ReplaceAll(err.Error(), *target, shown))
		return ExitRefused
	}
	defer dst.Close()

	var bar *progressBar
	if !*asJSON && isTerminal(rawWriter(env.Stderr)) { // the bar redraws its line with \r
		bar = &progressBar{w: rawWriter(env.Stderr), label: "heard migrate-to"}
	}
	progress := func(table string, done, total int64) {
		if bar != nil {
			bar.update("copying "+table, int(done), int(total))
		}
	}
	res, err := src.CopyTo(ctx, dst, progress)
	if bar != nil {
		bar.finish()
	}
	outcome, detail := analytics.OutcomeOK, fmt.Sprintf("%s rows in %d tables, every count equal", dashboards.Thousands(res.Rows), len(res.Tables))
	if err != nil {
		outcome = analytics.OutcomeFailed
		if errors.Is(err, store.ErrTargetNotEmpty) {
			outcome = analytics.OutcomeRefused
		}
		// The store's errors name the target as given: hide its password.
		err = errors.New(strings.ReplaceAll(err.Error(), *target, shown))
		detail = err.Error()
	}
	if aerr := src.Audit(ctx, analytics.NewAuditEvent(cliActor(env), store.AuditDatabaseCopy, "database "+shown, outcome, detail)); aerr != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", aerr)
	}
	if err == nil || len(res.Mismatches) > 0 {
		if *asJSON {
			printJSON(env, res)
		} else {
			printCopyCounts(env.Stdout, res)
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return ExitRefused
	}
	if !*asJSON {
		surveys := 0
		for _, t := range res.Tables {
			if strings.HasPrefix(t.Table, "responses_") {
				surveys++
			}
		}
		fmt.Fprintf(env.Stdout, "Copied %s into %s: %s rows in %d tables, %d of them surveys' responses; every count is equal.\n"+
			"Point heard at the new database (--db or HEARD_DB) and keep %s until you have checked it.\n",
			*from, shown, dashboards.Thousands(res.Rows), len(res.Tables), surveys, *from)
	}
	return ExitOK
}

// openTarget opens the database a copy goes into. An SQLite file that
// already holds something must be a heard database: heard does not add
// its tables to another program's file.
func openTarget(ctx context.Context, env Env, target string) (*store.Store, error) {
	if !strings.Contains(target, "://") {
		if info, err := os.Stat(target); err == nil && info.Size() > 0 {
			return store.OpenExisting(ctx, target)
		}
	}
	return env.OpenStore(ctx, target)
}

// printCopyCounts writes each table's rows in the source and the copy,
// and each import's rows of a response table, marking any that differ.
func printCopyCounts(w io.Writer, res store.CopyResult) {
	width := len("table")
	for _, t := range res.Tables {
		width = max(width, len(t.Table))
	}
	line := func(name, src, dst, mark string) {
		fmt.Fprintf(w, "%-*s  %13s  %13s  %s\n", width, name, src, dst, mark)
	}
	count := func(name string, src, dst int64) {
		mark := ""
		if src != dst {
			mark = "DIFFERS"
		}
		line(name, dashboards.Thousands(src), dashboards.Thousands(dst), mark)
	}
	line("table", "source", "copy", "")
	for _, t := range res.Tables {
		count(t.Table, t.Source, t.Target)
		for _, i := range t.ByImport {
			count(fmt.Sprintf("  import %d", i.ImportID), i.Source, i.Target)
		}
	}
}
