package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// pending is a small second SQLite file next to the database
// ("heard.db-pending") that takes the writes a sign-in must make while a
// long write holds this process's writer: the new session, the sign-in's
// audit event and the account's last sign-in time, a failed sign-in's
// count, and any other audit event. SQLite has one writer a database, and an import holds it for its
// whole transaction (seconds to minutes for a large file), during which
// sign-ins used to wait: 6 to 16 s a sign-in during a 195 MB import.
//
// The file is written durably (WAL, its own writer), so a sign-in is never
// unrecorded, and its rows are moved into the database, in one transaction,
// by whoever holds the writer as it lets go (unlockWriter), or when the
// database is next opened. A session is looked up here too until it has
// moved. The file is a journal, not part of the schema: its tables are
// created as it is opened and it is empty whenever nothing is waiting.
type pending struct {
	path  string
	mu    sync.Mutex // guards db
	db    *sql.DB    // nil until first needed
	count atomic.Int64
}

const pendingSchema = `
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, data BLOB NOT NULL, expiry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id INTEGER NOT NULL,
	who TEXT NOT NULL, source TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL, outcome TEXT NOT NULL,
	detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_ins (user_id INTEGER PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in_failures (subject TEXT NOT NULL, at INTEGER NOT NULL, failures INTEGER NOT NULL,
	cleared INTEGER NOT NULL, PRIMARY KEY (subject, at));`

// open returns the journal's connection, opening (and creating) the file
// the first time.
func (p *pending) open(ctx context.Context) (*sql.DB, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db != nil {
		return p.db, nil
	}
	db, err := sql.Open("sqlite3", dsn(p.path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p.path, err)
	}
	if _, err := db.ExecContext(ctx, pendingSchema); err != nil {
		return nil, errors.Join(fmt.Errorf("open %s: %w", p.path, err), db.Close())
	}
	p.db = db
	return db, nil
}

// close closes the journal if it was opened.
func (p *pending) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil {
		return nil
	}
	err := p.db.Close()
	p.db = nil
	return err
}

// exec runs one write in the journal and counts it as waiting.
func (p *pending) exec(ctx context.Context, query string, args ...any) error {
	db, err := p.open(ctx)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	p.count.Add(1)
	return nil
}

// mayHold reports whether the journal may hold rows: this process wrote
// some, or, when others asks it, the file exists, as another heard process
// on the same database may have written there while its own writer was
// held (its count is its own).
func (p *pending) mayHold(others bool) bool {
	if p.count.Load() > 0 {
		return true
	}
	if !others {
		return false
	}
	_, err := os.Stat(p.path)
	return err == nil
}

// session returns a session row waiting in the journal; others says to
// look even when this process wrote none there.
func (p *pending) session(ctx context.Context, hash string, others bool) (sessionRow, bool, error) {
	if !p.mayHold(others) {
		return sessionRow{}, false, nil
	}
	db, err := p.open(ctx)
	if err != nil {
		return sessionRow{}, false, err
	}
	var r sessionRow
	err = db.QueryRowContext(ctx, "SELECT token_hash, data, expiry FROM sessions WHERE token_hash = ?", hash).
		Scan(&r.TokenHash, &r.Data, &r.Expiry)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sessionRow{}, false, nil
	case err != nil:
		return sessionRow{}, false, fmt.Errorf("read session from %s: %w", p.path, err)
	}
	return r, true, nil
}

// signInFailures returns the failed sign-in rows of subject after the
// time after (Unix milliseconds) waiting in the journal.
func (p *pending) signInFailures(ctx context.Context, subject string, after int64) ([]signInFailureRow, error) {
	// Sign-ins are few: look in another process's rows too.
	if !p.mayHold(true) {
		return nil, nil
	}
	db, err := p.open(ctx)
	if err != nil {
		return nil, err
	}
	var list []signInFailureRow
	err = readRows(ctx, db, "SELECT subject, at, failures, cleared FROM sign_in_failures WHERE subject = ? AND at > ?",
		func(rows *sql.Rows) error {
			var r signInFailureRow
			err := rows.Scan(&r.Subject, &r.At, &r.Failures, &r.Cleared)
			list = append(list, r)
			return err
		}, subject, after)
	if err != nil {
		return nil, fmt.Errorf("read failed sign-ins from %s: %w", p.path, err)
	}
	return list, nil
}

// forgetSession deletes a session's row from the journal, if it has one.
func (p *pending) forgetSession(ctx context.Context, hash string) error {
	if p.count.Load() == 0 {
		return nil
	}
	db, err := p.open(ctx)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash); err != nil {
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	return nil
}

// tryLockWriter takes this process's writer if it is free.
func (s *Store) tryLockWriter() bool {
	select {
	case s.writer <- struct{}{}:
		return true
	default:
		return false
	}
}

// unlockWriter releases the writer slot taken by lockWriter, first moving
// whatever waits in the journal into the database.
func (s *Store) unlockWriter() {
	if s.pending.count.Load() > 0 {
		// An error leaves the rows in the journal, found there and moved
		// by the next writer; there is nobody to tell here.
		_ = s.movePending(context.Background())
	}
	<-s.writer
}

// auditPending records e in the journal, at the current time.
func (s *Store) auditPending(ctx context.Context, e analytics.AuditEvent) error {
	row, err := newAuditRow(s.db.NowFunc(), e)
	if err != nil {
		return err
	}
	return s.pending.exec(ctx, `INSERT INTO audit_events (at, user_id, who, source, action, object, outcome, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, row.At, row.UserID, row.Who, row.Source, row.Action, row.Object, row.Outcome, row.Detail)
}

// pendingRows is what waits in the journal.
type pendingRows struct {
	sessions []sessionRow
	events   []auditRow
	signIns  []pendingSignIn
	failures []signInFailureRow
}

// pendingSignIn is an account's last sign-in waiting in the journal.
type pendingSignIn struct {
	userID int64
	at     string
}

// movePending moves the journal's rows into the database in one
// transaction, then deletes them from the journal. The caller holds the
// writer. Should the process stop between the two, the rows are moved
// again: sessions and sign-in times are the same write twice, and an audit
// event already in the database with the same time, actor and details is
// not recorded twice.
func (s *Store) movePending(ctx context.Context) error {
	db, err := s.pending.open(ctx)
	if err != nil {
		return err
	}
	rows, err := readPending(ctx, db)
	if err != nil {
		return fmt.Errorf("read %s: %w", s.pending.path, err)
	}
	if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return writePending(tx, rows) }); err != nil {
		return fmt.Errorf("move the sign-ins kept in %s into the database: %w", s.pending.path, err)
	}
	if err := clearPending(ctx, db, rows); err != nil {
		return fmt.Errorf("clear %s: %w", s.pending.path, err)
	}
	var left int64
	if err := db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM audit_events) + "+
		"(SELECT count(*) FROM sign_ins) + (SELECT count(*) FROM sign_in_failures)").Scan(&left); err != nil {
		return fmt.Errorf("read %s: %w", s.pending.path, err)
	}
	s.pending.count.Store(left)
	return nil
}

// readPending reads every row waiting in the journal.
func readPending(ctx context.Context, db *sql.DB) (pendingRows, error) {
	var p pendingRows
	err := readRows(ctx, db, "SELECT token_hash, data, expiry FROM sessions", func(rows *sql.Rows) error {
		var r sessionRow
		err := rows.Scan(&r.TokenHash, &r.Data, &r.Expiry)
		p.sessions = append(p.sessions, r)
		return err
	})
	if err != nil {
		return p, err
	}
	err = readRows(ctx, db, "SELECT id, at, user_id, who, source, action, object, outcome, detail FROM audit_events ORDER BY id",
		func(rows *sql.Rows) error {
			var r auditRow
			err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Who, &r.Source, &r.Action, &r.Object, &r.Outcome, &r.Detail)
			p.events = append(p.events, r)
			return err
		})
	if err != nil {
		return p, err
	}
	err = readRows(ctx, db, "SELECT user_id, at FROM sign_ins", func(rows *sql.Rows) error {
		var r pendingSignIn
		err := rows.Scan(&r.userID, &r.at)
		p.signIns = append(p.signIns, r)
		return err
	})
	if err != nil {
		return p, err
	}
	// In the order they happened: a reset moved after a failure at the
	// same instant must still come after it.
	err = readRows(ctx, db, "SELECT subject, at, failures, cleared FROM sign_in_failures ORDER BY at", func(rows *sql.Rows) error {
		var r signInFailureRow
		err := rows.Scan(&r.Subject, &r.At, &r.Failures, &r.Cleared)
		p.failures = append(p.failures, r)
		return err
	})
	return p, err
}

// writePending writes the journal's rows through tx.
func writePending(tx *gorm.DB, p pendingRows) error {
	for _, r := range p.sessions {
		if err := tx.Exec(`INSERT INTO sessions (token_hash, data, expiry) VALUES (?, ?, ?)
			ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
			r.TokenHash, r.Data, r.Expiry).Error; err != nil {
			return err
		}
	}
	for _, r := range p.events {
		if err := tx.Exec(`INSERT INTO audit_events (at, user_id, who, source, action, object, outcome, detail)
			SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit_events WHERE at = ? AND who = ?
			AND source = ? AND action = ? AND object = ? AND detail = ?)`,
			r.At, r.UserID, r.Who, r.Source, r.Action, r.Object, r.Outcome, r.Detail,
			r.At, r.Who, r.Source, r.Action, r.Object, r.Detail).Error; err != nil {
			return err
		}
	}
	for _, r := range p.signIns {
		if err := tx.Exec("UPDATE users SET last_sign_in = ? WHERE id = ? AND (last_sign_in IS NULL OR last_sign_in < ?)",
			r.at, r.userID, r.at).Error; err != nil {
			return err
		}
	}
	for _, r := range p.failures {
		if err := tx.Exec(upsertSignInFailure, r.Subject, r.At, r.Failures, r.Cleared).Error; err != nil {
			return err
		}
	}
	return nil
}

// clearPending deletes the rows moved from the journal, in one
// transaction; a session changed in the journal since it was read stays.
func clearPending(ctx context.Context, db *sql.DB, p pendingRows) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, r := range p.sessions {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ? AND data = ? AND expiry = ?",
			r.TokenHash, r.Data, r.Expiry); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	for _, r := range p.events {
		if _, err := tx.ExecContext(ctx, "DELETE FROM audit_events WHERE id = ?", r.ID); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	for _, r := range p.signIns {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sign_ins WHERE user_id = ? AND at = ?", r.userID, r.at); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	for _, r := range p.failures {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sign_in_failures WHERE subject = ? AND at = ? AND failures = ? AND cleared = ?",
			r.Subject, r.At, r.Failures, r.Cleared); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	return tx.Commit()
}

// readRows runs query and hands each row to scan.
func readRows(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// movePendingAtOpen moves what a previous process left in the journal.
func (s *Store) movePendingAtOpen(ctx context.Context) error {
	if _, err := os.Stat(s.pending.path); err != nil {
		return nil
	}
	s.pending.count.Store(1)
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	err := s.movePending(ctx)
	<-s.writer
	return err
}

// trySmallWrite takes the writer for a small write that must not wait for
// a long one (a sign-in, its session and audit event): ok is false when
// the writer is busy, and the caller keeps the write in the journal
// instead. On PostgreSQL, which lets writers run side by side, the write
// goes straight to the database, beside any import, and there is no
// journal.
func (s *Store) trySmallWrite() (release func(), ok bool) {
	if s.pg {
		return func() {}, true
	}
	if !s.tryLockWriter() {
		return nil, false
	}
	return s.unlockWriter, true
}
