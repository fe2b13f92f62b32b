// Package store is heard's database: surveys, their questions and
// dimensions, imports, and one wide response table per survey, kept in
// SQLite through gorm. It is the only package that knows about gorm or SQL.
//
// SQLite is used on purpose as one file with one writer: WAL, foreign keys,
// a long busy timeout and BEGIN IMMEDIATE transactions, so that concurrent
// imports queue for the write lock instead of failing. The schema is made of
// embedded, numbered, forward-only migrations plus the response tables the
// store creates and extends itself from the survey's mapping.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/heard-council/heard/analytics"
)

// ErrNotFound is returned when a survey (or another record asked for by
// name or key) does not exist.
var ErrNotFound = analytics.ErrNotFound

// busyTimeout is how long a writer waits for another writer (in this or
// another process) to finish before giving up.
const busyTimeout = 60 * time.Second

// Store is heard's database.
type Store struct {
	db   *gorm.DB
	path string
	// pg is true on PostgreSQL (path is then its URL without the
	// password); false on SQLite, the default. The few statements that
	// differ between the two ask it.
	pg     bool
	london *time.Location
	// writer is a semaphore of one: a process has a single writer, and a
	// goroutine waiting for it can give up when its context ends.
	writer chan struct{}
	// pending takes sign-ins and audit events while the writer is held.
	pending *pending
	// themeCache keeps decoded theme models.
	themeCache themeCache
	// marker tells other processes that this one has the database open.
	marker *openMarker
}

// Open opens (creating if needed) the SQLite database at path and applies
// the migrations it lacks; a path that is a postgres:// or postgresql://
// URL opens that PostgreSQL database instead (see postgres.go). It runs SQLite's quick check of the whole file
// (0.5-0.7 s at 1,000,000 responses) only when a process that had the
// database open ended without closing it (see open_marker_unix.go), so a
// report after a clean one starts at once; OpenChecked always checks. A
// damaged file found so, or one SQLite cannot read at all, is refused with
// an error naming it, and the file is not changed.
func Open(ctx context.Context, path string) (*Store, error) {
	return openRetrying(ctx, path, false)
}

// OpenChecked is Open with SQLite's quick check whatever the markers say:
// for the start of the service and `heard check`.
func OpenChecked(ctx context.Context, path string) (*Store, error) {
	return openRetrying(ctx, path, true)
}

func openRetrying(ctx context.Context, path string, check bool) (*Store, error) {
	if isPostgres(path) {
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			return nil, fmt.Errorf("open database: load the Europe/London time zone: %w", err)
		}
		return openPostgres(ctx, path, london)
	}
	if keywordDSN.MatchString(path) {
		return nil, errKeywordDSN(path)
	}
	// Several processes opening a new file at once contend for the lock
	// that switching it to WAL takes, and SQLite reports that as "locked"
	// at once rather than waiting: try again for as long as a writer would
	// wait.
	deadline := time.Now().Add(busyTimeout)
	for {
		s, err := open(ctx, path, check)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(err, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Path is the database file's path, as given to Open: heard keeps files
// that belong with the database (the uploads folder) next to it. It is ""
// on PostgreSQL, which has no file.
func (s *Store) Path() string {
	if s.pg {
		return ""
	}
	return s.path
}

// Postgres says whether the store is a PostgreSQL database.
func (s *Store) Postgres() bool { return s.pg }

// isBusy reports whether err is SQLite's "database is locked" or "busy",
// or PostgreSQL's lock timeout, serialization failure or deadlock: another
// writer was in the way and trying again later may work.
func isBusy(err error) bool {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && (sqlErr.Code == sqlite3.ErrBusy || sqlErr.Code == sqlite3.ErrLocked) {
		return true
	}
	switch pgCode(err) {
	case pgLockNotAvailable, pgSerialization, pgDeadlock:
		return true
	}
	return false
}

func open(ctx context.Context, path string, check bool) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("open database: no file name given")
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("open database: load the Europe/London time zone: %w", err)
	}
	db, err := gorm.Open(sqlite.New(sqlite.Config{DSN: dsn(path)}), &gorm.Config{
		TranslateError:         true,
		Logger:                 logger.Discard,
		PrepareStmt:            false,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: db, path: path, london: london, writer: make(chan struct{}, 1),
		pending: &pending{path: path + "-pending"}}
	marker, stale, err := claimOpen(path)
	if err != nil { // no marker can be kept: check every time, as is safe
		check = true
	}
	s.marker = marker
	if check || len(stale) > 0 {
		if err := s.check(ctx); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	} else if err := s.readable(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	for _, m := range stale { // checked: forget the unclean ends
		_ = os.Remove(m)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(databaseError(path, err), s.Close())
	}
	if err := s.movePendingAtOpen(ctx); err != nil {
		return nil, errors.Join(databaseError(path, err), s.Close())
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	if err := errors.Join(sqlDB.Close(), s.pending.close(), s.marker.release()); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.WithContext(ctx).Raw("SELECT 1").Row().Scan(&one); err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	return nil
}

// dsn builds the mattn/go-sqlite3 connection string. Every pooled
// connection gets the same settings. The path is written as a URI so that a
// '?' or '#' in a file name cannot be read as options.
func dsn(path string) string {
	opts := url.Values{}
	opts.Set("_journal_mode", "WAL")
	opts.Set("_foreign_keys", "on")
	opts.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	opts.Set("_txlock", "immediate")
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + opts.Encode()
}

// check runs SQLite's quick check, so that a damaged file is refused at
// start instead of failing (or answering wrongly) later.
func (s *Store) check(ctx context.Context) error {
	rows, err := s.db.WithContext(ctx).Raw("PRAGMA quick_check(20)").Rows()
	if err != nil {
		return openError(s.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return openError(s.path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return openError(s.path, err)
	}
	if len(problems) > 0 {
		return damaged(s.path, strings.Join(problems, "; "))
	}
	return nil
}

// readable reads the schema, which SQLite refuses at once for a file that
// is not a database or whose first pages are damaged: the cheap part of
// check, for every open.
func (s *Store) readable(ctx context.Context) error {
	var n int64
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM sqlite_master").Row().Scan(&n); err != nil {
		return openError(s.path, err)
	}
	return nil
}

// openError explains a failure to open or read the database file, telling
// a damaged file apart from other problems.
func openError(path string, err error) error {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && (sqlErr.Code == sqlite3.ErrNotADB || sqlErr.Code == sqlite3.ErrCorrupt) {
		return damaged(path, err.Error())
	}
	return fmt.Errorf("cannot open the database file %s (check that its folder exists and can be written): %w", path, err)
}

// databaseError names the database in an error met while opening it, and
// says so when SQLite found the file damaged: without the quick check of
// every open, the first reads (the schema's version) may be what meets it.
func databaseError(path string, err error) error {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && (sqlErr.Code == sqlite3.ErrNotADB || sqlErr.Code == sqlite3.ErrCorrupt) {
		return damaged(path, err.Error())
	}
	return fmt.Errorf("database %s: %w", path, err)
}

// damaged is the error for a database file that fails SQLite's checks.
func damaged(path, detail string) error {
	return fmt.Errorf("the database file %s is damaged and heard has not changed it (SQLite reports: %s); "+
		"restore it from a backup, or move it aside to start with an empty database", path, detail)
}

// lockWriter waits for this process's single writer slot.
func (s *Store) lockWriter(ctx context.Context) error {
	select {
	case s.writer <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for the database writer: %w", ctx.Err())
	}
}
