package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// TestDatabase is a PostgreSQL database made for one run of a test suite
// and dropped after it. Each test takes a schema of its own in it
// (NewSchema), which is as good as a database of its own to heard and much
// quicker to make. It lives here, not in a _test file, so that the tests
// of the packages above the store can use it too, and because only the
// store speaks SQL.
type TestDatabase struct {
	admin   string // the server's URL, on its maintenance database
	name    string
	dsn     string // the URL of the run's database
	schemas atomic.Int64
}

// NewTestDatabase makes a new, empty database on the PostgreSQL server of
// base (a postgres:// URL; its database part is ignored), named
// heard_test_<pid>_<random>.
func NewTestDatabase(ctx context.Context, base string) (*TestDatabase, error) {
	if !isPostgres(base) {
		return nil, fmt.Errorf("%q is not a postgres:// URL", base)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", RedactDSN(base), err)
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("heard_test_%d_%s", os.Getpid(), hex.EncodeToString(b[:]))
	u.Path = "/postgres"
	d := &TestDatabase{admin: u.String(), name: name}
	u.Path = "/" + name
	d.dsn = u.String()
	if err := d.adminExec(ctx, "CREATE DATABASE "+quote(name)); err != nil {
		return nil, err
	}
	return d, nil
}

// adminExec runs one statement on the server's maintenance database.
// Dropping a database that holds a whole suite's schemas takes a while on
// a busy machine: it is given minutes.
func (d *TestDatabase) adminExec(ctx context.Context, statement string) error {
	db, err := sql.Open("pgx", d.admin)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, statement); err != nil {
		return fmt.Errorf("%s on %s: %w", statement, RedactDSN(d.admin), err)
	}
	return nil
}

// Name is the database's name.
func (d *TestDatabase) Name() string { return d.name }

// NewSchema makes a new schema in the run's database and returns a URL
// that opens it: a store opened on it sees only that schema.
func (d *TestDatabase) NewSchema(ctx context.Context) (string, error) {
	schema := fmt.Sprintf("t%d", d.schemas.Add(1))
	db, err := sql.Open("pgx", d.dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+quote(schema)); err != nil {
		return "", fmt.Errorf("create schema %s in %s: %w", schema, d.name, err)
	}
	sep := "?"
	if strings.Contains(d.dsn, "?") {
		sep = "&"
	}
	// A test database need not survive a crash of the server: commits
	// that do not wait for the disk make the suite several times quicker.
	return d.dsn + sep + "search_path=" + schema + "&synchronous_commit=off", nil
}

// Drop drops the database, closing whatever connections are left on it.
func (d *TestDatabase) Drop(ctx context.Context) error {
	return d.adminExec(ctx, "DROP DATABASE IF EXISTS "+quote(d.name)+" WITH (FORCE)")
}

// ReachPostgres says why the PostgreSQL server of base cannot be used, or
// nil when it answers.
func ReachPostgres(ctx context.Context, base string) error {
	if !isPostgres(base) {
		return fmt.Errorf("%q is not a postgres:// URL", base)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer db.Close()
	return errors.Join(db.PingContext(ctx))
}

// the "pgx" database/sql driver that the functions above use is pgx's own,
// registered by its stdlib package.
var _ = stdlib.GetDefaultDriver
