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
//	heard check     check the database file for damage
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
	"github.com/heard-council/heard/api/cli"
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
	env := cli.Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv, OpenStore: store.Open}
	cmd, rest := "serve", args
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "--help") {
		cmd, rest = args[0], args[1:]
	}
	if cmd == "serve" {
		return serve(ctx, env, rest)
	}
	if status := cli.Run(ctx, env, append([]string{cmd}, rest...)); status != 0 {
		return exitStatus(status)
	}
	return nil
}

// serve parses the service's configuration and runs it until ctx is done.
func serve(ctx context.Context, env cli.Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	addr := fs.String("addr", envOr(env.Getenv, "HEARD_ADDR", "127.0.0.1:8080"), "address to listen on (env HEARD_ADDR)")
	db := fs.String("db", envOr(env.Getenv, "HEARD_DB", "heard.db"), "SQLite database file, or a postgres:// URL for PostgreSQL (env HEARD_DB)")
	uploadDir := fs.String("upload-dir", env.Getenv("HEARD_UPLOAD_DIR"),
		"folder that keeps uploads while they are read and imported (env HEARD_UPLOAD_DIR; default: the database's path with .uploads added, or heard.uploads in the temporary folder on PostgreSQL)")
	secure := fs.Bool("secure-cookies", env.Getenv("HEARD_SECURE_COOKIES") != "",
		"heard is reached over HTTPS through a proxy: use the Secure __Host- session cookie (env HEARD_SECURE_COOKIES)")
	proxies := fs.String("trusted-proxies", env.Getenv("HEARD_TRUSTED_PROXIES"),
		"comma-separated addresses or CIDR ranges of the reverse proxies in front of heard, whose X-Forwarded-For names the client "+
			"(env HEARD_TRUSTED_PROXIES; default: none, the client is the connection's address)")
	if err := fs.Parse(args); err != nil {
		return exitStatus(cli.ExitUsage)
	}
	var trusted []string
	for p := range strings.SplitSeq(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			trusted = append(trusted, p)
		}
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	// The service checks the whole file at every start (the commands check
	// it only after a crash): it runs for long and serves everyone.
	st, err := store.OpenChecked(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	boot, err := account.Bootstrap(ctx, st, env.Getenv)
	if err != nil {
		return fmt.Errorf("create the first admin account: %w", err)
	}
	fmt.Fprint(env.Stderr, boot.Message())
	srv, err := api.NewServerWith(st, logger, api.ServerOptions{UploadDir: *uploadDir, TrustedProxies: trusted})
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
