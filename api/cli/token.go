package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// RunToken is `heard token`: create, list and revoke API tokens. A script
// sends a token as `Authorization: Bearer TOKEN` and acts as the token's
// account, with its role.
func RunToken(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "token", args, []subcommand{
		{[]string{"create"}, plain(runTokenCreate)}, {[]string{"list"}, plain(runTokenList)}, {[]string{"revoke"}, plain(runTokenRevoke)},
	})
}

func runTokenCreate(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("token create", "token create --email EMAIL [--name NAME] [--db PATH]", env)
	db := dbFlag(fs, env)
	email := fs.String("email", "", "the account the token acts as")
	name := fs.String("name", "", "what the token is for, such as \"monthly upload script\"")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *email == "" || fs.NArg() > 0 {
		return usage(env, fs, "give the token's account with --email")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		u, err := st.UserByEmail(ctx, *email)
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditTokenCreate, "token for user "+*email, noAccount(*email, err))
		}
		tok, secret, err := st.CreateToken(ctx, u.ID, *name, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditTokenCreate, "token for user "+u.Email, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Created token %d for %s (%s). Send it as `Authorization: Bearer TOKEN`.\n"+
			"It is shown only now; heard keeps only a hash of it. Revoke it with `heard token revoke --id %d`.\n",
			tok.ID, u.Email, u.Role, tok.ID)))
		// The secret alone on the last line, for scripts.
		fmt.Fprintln(env.Stdout, secret)
		return ExitOK
	})
}

func runTokenList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("token list", "token list [--email EMAIL] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	email := fs.String("email", "", "list the tokens of this account only")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "token list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		var userID int64
		if *email != "" {
			u, err := st.UserByEmail(ctx, *email)
			if err != nil {
				return commandFailed(ctx, env, st, analytics.AuditList, "tokens", noAccount(*email, err))
			}
			userID = u.ID
		}
		list, err := st.Tokens(ctx, userID)
		if err == nil {
			err = st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditList, "tokens", analytics.OutcomeOK, ""))
		}
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tSTARTS\tCREATED (UTC)\tLAST USED\tREVOKED")
		for _, t := range list {
			cliTableRow(tw, fmt.Sprint(t.ID), t.Email, dash(t.Name), t.Prefix+"…", utcText(t.CreatedAt), dash(utcText(t.LastUsed)),
				dash(utcText(t.RevokedAt)))
		}
		tw.Flush()
		return ExitOK
	})
}

func runTokenRevoke(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("token revoke", "token revoke --id N [--db PATH]", env)
	db := dbFlag(fs, env)
	id := fs.Int64("id", 0, "the token's id, from `heard token list`")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *id <= 0 || fs.NArg() > 0 {
		return usage(env, fs, "give the token's id with --id (see `heard token list`)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		err := st.RevokeToken(ctx, *id, cliActor(env))
		if errors.Is(err, store.ErrNotFound) {
			err = analytics.NotFound(fmt.Sprintf("there is no token %d; `heard token list` lists them", *id))
		}
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditTokenRevoke, fmt.Sprintf("token %d", *id), err)
		}
		fmt.Fprintf(env.Stdout, "Token %d is revoked: it no longer works.\n", *id)
		return ExitOK
	})
}
