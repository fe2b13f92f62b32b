package store

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// The store's tests run on SQLite, and on PostgreSQL too when
// HEARD_TEST_BACKEND=postgres (scripts/test runs them once each way).
// HEARD_TEST_PG is the server's URL, postgres://postgres@127.0.0.1:5432/
// by default. A run makes one database, heard_test_<pid>_<random>, and
// drops it at the end; each test store is a schema of its own in it. When
// the server cannot be reached, the run says why and stays on SQLite.

// testPG is the run's PostgreSQL database, nil when the tests run on
// SQLite.
var testPG *TestDatabase

// defaultTestPG is the server the tests look for.
const defaultTestPG = "postgres://postgres@127.0.0.1:5432/"

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	// A child process of TestKilledImportLeavesNothing works in its
	// parent's database, and is killed before it could drop one of its own.
	if os.Getenv("HEARD_TEST_BACKEND") != "postgres" || os.Getenv(killEnv) != "" {
		return m.Run()
	}
	base := os.Getenv("HEARD_TEST_PG")
	if base == "" {
		base = defaultTestPG
	}
	ctx := context.Background()
	if err := ReachPostgres(ctx, base); err != nil {
		fmt.Fprintf(os.Stderr, "HEARD_TEST_BACKEND=postgres, but PostgreSQL at %s cannot be reached (%v): the tests run on SQLite only\n",
			RedactDSN(base), err)
		return m.Run()
	}
	db, err := NewTestDatabase(ctx, base)
	if err != nil {
		fmt.Fprintf(os.Stderr, "make the test database: %v\n", err)
		return 1
	}
	testPG = db
	code := m.Run()
	if err := db.Drop(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "drop the test database: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// onPostgres says whether the tests run on PostgreSQL.
func onPostgres() bool { return testPG != nil }

// skipOnPostgres skips a test that is about SQLite alone (its file, its
// locks, its journal), saying why.
func skipOnPostgres(tb testing.TB, why string) {
	tb.Helper()
	if onPostgres() {
		tb.Skip("SQLite only: " + why)
	}
}

// newTestDB names a new, empty database for a test: a file in a
// temporary folder, or a new schema of the run's PostgreSQL database.
func newTestDB(tb testing.TB) string {
	tb.Helper()
	if testPG == nil {
		return tb.TempDir() + string(os.PathSeparator) + "heard.db"
	}
	dsn, err := testPG.NewSchema(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}
