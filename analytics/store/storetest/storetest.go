// Package storetest lets the tests of the packages above the store run on
// SQLite or on PostgreSQL. With HEARD_TEST_BACKEND=postgres, a package's
// TestMain (Main) makes one PostgreSQL database for the run on the server
// of HEARD_TEST_PG (postgres://postgres@127.0.0.1:5432/ by default) and
// drops it at the end; NewDB then gives each test a schema of its own in
// it. Otherwise, or when the server cannot be reached (the run says why),
// NewDB names a SQLite file in the test's temporary folder, as before.
// The store's own tests do the same in analytics/store/backend_test.go.
package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/heard-council/heard/analytics/store"
)

// DefaultServer is the PostgreSQL server the tests look for.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/"

// run is the run's PostgreSQL database, nil on SQLite.
var run *store.TestDatabase

// Main runs a package's tests (call it from TestMain) and returns the exit
// code for os.Exit.
func Main(m *testing.M) int {
	if os.Getenv("HEARD_TEST_BACKEND") != "postgres" {
		return m.Run()
	}
	base := os.Getenv("HEARD_TEST_PG")
	if base == "" {
		base = DefaultServer
	}
	ctx := context.Background()
	if err := store.ReachPostgres(ctx, base); err != nil {
		fmt.Fprintf(os.Stderr, "HEARD_TEST_BACKEND=postgres, but PostgreSQL at %s cannot be reached (%v): the tests run on SQLite only\n",
			redact(base), err)
		return m.Run()
	}
	db, err := store.NewTestDatabase(ctx, base)
	if err != nil {
		fmt.Fprintf(os.Stderr, "make the test database: %v\n", err)
		return 1
	}
	run = db
	code := m.Run()
	if err := db.Drop(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "drop the test database: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Postgres says whether the tests run on PostgreSQL.
func Postgres() bool { return run != nil }

// SkipOnPostgres skips a test that is about SQLite alone (its file, its
// locks, its journal), saying why.
func SkipOnPostgres(tb testing.TB, why string) {
	tb.Helper()
	if Postgres() {
		tb.Skip("SQLite only: " + why)
	}
}

// NewDB names a new, empty database for a test, to give store.Open (or
// --db): a file in the test's temporary folder, or a new schema of the
// run's PostgreSQL database.
func NewDB(tb testing.TB) string {
	tb.Helper()
	if run == nil {
		return filepath.Join(tb.TempDir(), "heard.db")
	}
	dsn, err := run.NewSchema(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// redact drops a password from a URL for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the URL given"
	}
	return u.Redacted()
}
