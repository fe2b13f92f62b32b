package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// RunAudit is `heard audit`: it prints the audit log, oldest first, or as
// a JSON array with --json. Reading the log is itself recorded.
func RunAudit(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("audit", "audit [--since DATE] [--until DATE] [--action ACTION] [--limit N] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	since := fs.String("since", "", "events from this UTC date or time on (2024-05-01 or 2024-05-01T09:00:00Z)")
	until := fs.String("until", "", "events before this UTC date or time")
	action := fs.String("action", "", "events of one action only, such as sign-in or import-delete")
	limit := fs.Int("limit", 0, fmt.Sprintf("the most recent events to print (default: all with --since, else %d)", store.DefaultAuditLimit))
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 || *limit < 0 {
		return usage(env, fs, "audit takes flags only, and --limit must not be negative")
	}
	q := store.AuditQuery{Action: analytics.AuditAction(strings.TrimSpace(*action)), Limit: *limit, OldestFirst: true}
	var err error
	if q.Since, err = parseAuditTime("since", *since); err != nil {
		return usage(env, fs, err.Error())
	}
	if q.Until, err = parseAuditTime("until", *until); err != nil {
		return usage(env, fs, err.Error())
	}
	if q.Limit == 0 && !q.Since.IsZero() {
		q.Limit = -1
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.AuditEvents(ctx, q)
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditRead, "audit log", err)
		}
		detail := fmt.Sprintf("%d events", len(list))
		if err := st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditRead, "audit log", analytics.OutcomeOK, detail)); err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "No audit events match.")
			return ExitOK
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AT (UTC)\tWHO\tFROM\tACTION\tOUTCOME\tOBJECT\tDETAIL")
		for _, e := range list {
			cliTableRow(tw, e.At.UTC().Format(time.RFC3339), e.Who, e.From, string(e.Action), string(e.Outcome), dash(e.Object), dash(e.Detail))
		}
		tw.Flush()
		return ExitOK
	})
}

// parseAuditTime reads a --since or --until value: a UTC date or an RFC
// 3339 time; "" is the zero time.
func parseAuditTime(flag, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("--%s %q is not a date such as 2024-05-01 or a time such as 2024-05-01T09:00:00Z", flag, s)
}
