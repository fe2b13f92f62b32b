// Command heard imports councils' adult social care feedback survey exports
// into SQLite, computes the figures councils report and serves dashboards.
//
//	heard [serve]   the web service (the default)
//	heard import    import survey exports (CSV or Excel)
//	heard surveys   list the surveys
//	heard questions list a survey's questions and dimensions
//	heard report    a question's figures by period and group
//	heard export    the board's trend CSV
//	heard metric    a survey's own metrics
//	heard imports   list and delete imports
//	heard user      accounts and roles
//	heard token     API tokens
//	heard audit     the audit log
//	heard retention retention periods and purges
//	heard backup    back up the database
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/London dates on machines without a zone database

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api"
	"github.com/heard-council/heard/api/account"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	var exit exitStatus
	switch {
	case errors.As(err, &exit):
		os.Exit(int(exit))
	case err != nil:
		fmt.Fprintf(os.Stderr, "heard: %v\n", err)
		os.Exit(1)
	}
}

// exitStatus is a command's non-zero exit status, carried as an error.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// run is the whole program: main and the end-to-end tests both call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	env := api.Env{Stdout: stdout, Stderr: stderr, Getenv: getenv, OpenStore: store.Open}
	cmd, rest := "serve", args
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "--help") {
		cmd, rest = args[0], args[1:]
	}
	var status int
	switch cmd {
	case "serve":
		return serve(ctx, env, rest)
	case "import":
		status = api.RunImport(ctx, env, rest)
	case "surveys":
		status = api.RunSurveys(ctx, env, rest)
	case "survey":
		status = api.RunSurvey(ctx, env, rest)
	case "questions":
		status = api.RunQuestions(ctx, env, rest)
	case "report":
		status = api.RunReport(ctx, env, rest)
	case "export":
		status = api.RunExport(ctx, env, rest)
	case "metric":
		status = api.RunMetric(ctx, env, rest)
	case "imports":
		status = api.RunImports(ctx, env, rest)
	case "user":
		status = api.RunUser(ctx, env, rest)
	case "token":
		status = api.RunToken(ctx, env, rest)
	case "audit":
		status = api.RunAudit(ctx, env, rest)
	case "retention":
		status = api.RunRetention(ctx, env, rest)
	case "personal":
		status = api.RunPersonal(ctx, env, rest)
	case "backup":
		status = api.RunBackup(ctx, env, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
	default:
		fmt.Fprintf(stderr, "heard: unknown command %q\n\n%s", cmd, usageText)
		status = api.ExitUsage
	}
	if status != 0 {
		return exitStatus(status)
	}
	return nil
}

const usageText = `usage: heard [command] [flags]

commands:
  serve       run the web service (the default)
  import      import survey exports: heard import [--survey NAME] FILE...
  surveys     list the surveys
  survey      a survey's members (the analysts who may change it): heard survey members|add-member|remove-member --survey NAME [--email EMAIL]
  questions   list a survey's questions: heard questions --survey NAME
  report      a question's figures by period and group: heard report --survey NAME [--question CODE] [--by COLUMN]
  export      the board's trend CSV: heard export trends --survey NAME [--out FILE]
  metric      save, list or delete a survey's own metrics: heard metric save|list|delete --survey NAME ...
  imports     list imports, or delete one with its responses: heard imports [--survey NAME] | heard imports delete --id N
  user        accounts: heard user add --email EMAIL --role admin|analyst|viewer|board --password-stdin | list | disable | enable | role | password
  token       API tokens: heard token create --email EMAIL [--name NAME] | list | revoke --id N
  audit       the audit log: heard audit [--since DATE] [--json]
  retention   how long surveys keep responses: heard retention set --survey NAME --days N | list | purge [--survey NAME] [--dry-run]
  personal    whether a survey keeps respondents' names and emails: heard personal --survey NAME [--keep|--drop]
  backup      a consistent copy of the database: heard backup --out FILE | heard backup --check FILE

Run 'heard COMMAND -h' for a command's flags.
`

// serve parses the service's configuration and runs it until ctx is done.
func serve(ctx context.Context, env api.Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	addr := fs.String("addr", envOr(env.Getenv, "HEARD_ADDR", "127.0.0.1:8080"), "address to listen on (env HEARD_ADDR)")
	db := fs.String("db", envOr(env.Getenv, "HEARD_DB", "heard.db"), "SQLite database file (env HEARD_DB)")
	uploadDir := fs.String("upload-dir", env.Getenv("HEARD_UPLOAD_DIR"),
		"folder that keeps uploads while they are read and imported (env HEARD_UPLOAD_DIR; default: the database's path with .uploads added)")
	secure := fs.Bool("secure-cookies", env.Getenv("HEARD_SECURE_COOKIES") != "",
		"heard is reached over HTTPS through a proxy: use the Secure __Host- session cookie (env HEARD_SECURE_COOKIES)")
	if err := fs.Parse(args); err != nil {
		return exitStatus(api.ExitUsage)
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	boot, err := account.Bootstrap(ctx, st, env.Getenv)
	if err != nil {
		return fmt.Errorf("create the first admin account: %w", err)
	}
	fmt.Fprint(env.Stderr, boot.Message())
	srv, err := api.NewServerWith(st, logger, api.ServerOptions{UploadDir: *uploadDir})
	if err != nil {
		return err
	}
	srv.SetSessionOptions(api.SessionOptions{SecureCookies: *secure})
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go sweepSessions(sweepCtx, st, logger)
	serveErr := srv.Serve(ctx, *addr, nil)
	return errors.Join(serveErr, srv.Close())
}

// sweepSessions deletes expired web sessions every ten minutes until ctx
// is done.
func sweepSessions(ctx context.Context, st *store.Store, logger *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := st.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				logger.Error("delete expired sessions", "err", err)
			}
		}
	}
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
