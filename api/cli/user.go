package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/account"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// RunUser is `heard user`: add, list, disable, enable accounts, change
// their role or password. Passwords are read from standard input with
// --password-stdin, never from the command line, where other users of the
// machine could see them.
func RunUser(ctx context.Context, env Env, args []string) int {
	return runUser(ctx, env, env.stdin(), args)
}

// runUser is RunUser reading passwords from stdin.
func runUser(ctx context.Context, env Env, stdin io.Reader, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "user", args, []subcommand{
		{[]string{"add"}, func(ctx context.Context, env Env, _ string, args []string) int {
			return runUserAdd(ctx, env, stdin, args)
		}},
		{[]string{"list"}, plain(runUserList)},
		{[]string{"disable", "enable", "role", "password"}, func(ctx context.Context, env Env, sub string, args []string) int {
			return runUserChange(ctx, env, stdin, sub, args)
		}},
	})
}

// cliActor is the audit log's actor for the heard command.
func cliActor(env Env) analytics.Actor { return analytics.CommandLine(env.Getenv("USER")) }

// openForCommand opens the database for a command, printing why not.
func openForCommand(ctx context.Context, env Env, path string) (*store.Store, bool) {
	st, err := env.OpenStore(ctx, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", err)
		return nil, false
	}
	return st, true
}

// commandFailed records a failed command in the audit log (a command that
// succeeds is recorded by the store with its change) and prints the error.
func commandFailed(ctx context.Context, env Env, st *store.Store, action analytics.AuditAction, object string, err error) int {
	outcome := analytics.OutcomeFailed
	var ue *UsageError
	if errors.As(err, &ue) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrExists) ||
		errors.Is(err, store.ErrLastAdmin) || errors.Is(err, store.ErrNoRetention) || errors.Is(err, analytics.ErrInUse) ||
		isFileProblem(err) {
		outcome = analytics.OutcomeRefused
	}
	if aerr := st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), action, object, outcome, err.Error())); aerr != nil {
		fmt.Fprintf(env.Stderr, "heard: %v\n", aerr)
	}
	return reportFailed(env, err)
}

// noAccount is the error for an email without an account, err the store's.
func noAccount(email string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return analytics.NotFound(fmt.Sprintf("there is no account %q; `heard user list` lists them", email))
	}
	return err
}

// readPassword reads a password from the first line of r, without its
// line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4*account.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", &UsageError{Msg: "no password on standard input: pipe it in, as in `printf '%s\\n' \"$PASSWORD\" | heard user add ...`"}
	}
	return line, nil
}

// newPassword reads a password from stdin when fromStdin, or generates one
// to be shown once, and returns it with its hash.
func newPassword(stdin io.Reader, fromStdin bool) (password, hash string, generated bool, err error) {
	password = account.GeneratePassword()
	if fromStdin {
		if password, err = readPassword(stdin); err != nil {
			return "", "", false, err
		}
	}
	hash, err = account.HashPassword(password)
	return password, hash, !fromStdin, err
}

func runUserAdd(ctx context.Context, env Env, stdin io.Reader, args []string) int {
	fs := newFlagSet("user add", "user add --email EMAIL --role admin|analyst|viewer|board [--name NAME] [--password-stdin] [--db PATH]", env)
	db := dbFlag(fs, env)
	email := fs.String("email", "", "the account's email, its sign-in name")
	role := fs.String("role", "", "admin, analyst, viewer or board")
	name := fs.String("name", "", "the person's name as shown in heard")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate one and print it once)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *email == "" || *role == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --email and --role")
	}
	r, err := analytics.ParseUserRole(*role)
	if err != nil {
		return usage(env, fs, err.Error())
	}
	password, hash, generated, err := newPassword(stdin, *fromStdin)
	if err != nil {
		return reportFailed(env, err)
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		u, err := st.CreateUser(ctx, analytics.User{Email: *email, Name: *name, Role: r}, hash, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditUserCreate, "user "+*email, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Created the %s account %s (id %d).\n", u.Role, u.Email, u.ID)))
		if generated {
			fmt.Fprintf(env.Stdout, "Its password, shown only now:\n%s\n", password)
		}
		return ExitOK
	})
}

func runUserList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("user list", "user list [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "user list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.Users(ctx)
		if err == nil {
			err = st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditList, "users", analytics.OutcomeOK, ""))
		}
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSTATE\tNAME\tLAST SIGN-IN (UTC)")
		for _, u := range list {
			state := "enabled"
			if u.Disabled {
				state = "disabled"
			}
			cliTableRow(tw, fmt.Sprint(u.ID), u.Email, string(u.Role), state, dash(u.Name), dash(utcText(u.LastSignIn)))
		}
		tw.Flush()
		return ExitOK
	})
}

// cliTableRow writes one row of a tab-separated table, each cell made safe
// for a terminal and kept to one line.
func cliTableRow(w io.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = terminalSafe(dashboards.OneLine(c, 80))
	}
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

// utcText writes a time for a table, in UTC to the minute; "" for the
// zero time.
func utcText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// runUserChange is `heard user disable|enable|role|password`.
func runUserChange(ctx context.Context, env Env, stdin io.Reader, sub string, args []string) int {
	use := map[string]string{
		"disable":  "user disable --email EMAIL [--db PATH]",
		"enable":   "user enable --email EMAIL [--db PATH]",
		"role":     "user role --email EMAIL --role admin|analyst|viewer|board [--db PATH]",
		"password": "user password --email EMAIL [--password-stdin] [--db PATH]",
	}[sub]
	fs := newFlagSet("user "+sub, use, env)
	db := dbFlag(fs, env)
	email := fs.String("email", "", "the account's email")
	role := fs.String("role", "", "the new role (user role)")
	fromStdin := fs.Bool("password-stdin", false, "read the new password from standard input (user password; default: generate one)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *email == "" || fs.NArg() > 0 || (sub == "role") != (*role != "") || *fromStdin && sub != "password" {
		return usage(env, fs, "usage: heard "+use)
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		action, done, err := changeUser(ctx, env, st, stdin, sub, *email, *role, *fromStdin)
		if err != nil {
			return commandFailed(ctx, env, st, action, "user "+*email, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(done))
		return ExitOK
	})
}

// changeUser makes one change to the account with this email and returns
// its audit action and what to print.
func changeUser(ctx context.Context, env Env, st *store.Store, stdin io.Reader, sub, email, role string, fromStdin bool) (
	analytics.AuditAction, string, error) {
	action := map[string]analytics.AuditAction{"disable": analytics.AuditUserDisable, "enable": analytics.AuditUserEnable,
		"role": analytics.AuditUserRole, "password": analytics.AuditUserPassword}[sub]
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		return action, "", noAccount(email, err)
	}
	by := cliActor(env)
	switch sub {
	case "disable", "enable":
		if err := st.SetUserDisabled(ctx, u.ID, sub == "disable", by); err != nil {
			return action, "", err
		}
		return action, fmt.Sprintf("The account %s is %sd.\n", u.Email, sub), nil
	case "role":
		r, err := analytics.ParseUserRole(role)
		if err != nil {
			return action, "", &UsageError{Msg: err.Error()}
		}
		if err := st.SetUserRole(ctx, u.ID, r, by); err != nil {
			return action, "", err
		}
		return action, fmt.Sprintf("The account %s is now %s.\n", u.Email, r), nil
	}
	password, hash, generated, err := newPassword(stdin, fromStdin)
	if err != nil {
		return action, "", err
	}
	if err := st.SetUserPassword(ctx, u.ID, hash, by); err != nil {
		return action, "", err
	}
	if generated {
		return action, fmt.Sprintf("The account %s has a new password, shown only now:\n%s\n", u.Email, password), nil
	}
	return action, fmt.Sprintf("The account %s has a new password.\n", u.Email), nil
}
