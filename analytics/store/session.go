package store

import (
	"bytes"
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// sessionTouchEvery is how far a session's stored expiry may lag behind
// the one its manager asks for before the store writes it again. A session
// manager with an idle timeout commits the session on every request only to
// push its expiry back; writing that at most once a minute spares the
// database a write per page, at the cost of an idle timeout up to a minute
// shorter.
const sessionTouchEvery = time.Minute

// sessionRow is a row of sessions.
type sessionRow struct {
	TokenHash string `gorm:"column:token_hash;primaryKey"`
	Data      []byte `gorm:"column:data"`
	Expiry    string `gorm:"column:expiry"`
}

// TableName tells gorm the table.
func (sessionRow) TableName() string { return "sessions" }

// SessionStore keeps web sessions in the database for a session manager
// such as github.com/alexedwards/scs/v2: it implements scs.Store and
// scs.CtxStore. Tokens are stored as their SHA-256, so a copy of the
// database holds no usable session cookie.
type SessionStore struct{ s *Store }

// Sessions returns the store's web sessions.
func (s *Store) Sessions() *SessionStore { return &SessionStore{s: s} }

// Find is FindCtx without a context.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (ss *SessionStore) Delete(token string) error {
	return ss.DeleteCtx(context.Background(), token)
}

// FindCtx returns the data of the session with this token; found is false,
// with no error, when there is none or it has expired.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	row, found, err := ss.find(ctx, token)
	if err != nil || !found {
		return nil, false, err
	}
	if !parseTime(row.Expiry).After(ss.s.db.NowFunc()) {
		return nil, false, nil
	}
	return row.Data, true, nil
}

// find reads the session row of token, expired or not.
func (ss *SessionStore) find(ctx context.Context, token string) (sessionRow, bool, error) {
	if r, found, err := ss.s.pending.session(ctx, hashToken(token), false); found || err != nil {
		return r, found, err
	}
	rows, err := gorm.G[sessionRow](ss.s.db).Where("token_hash = ?", hashToken(token)).Limit(1).Find(ctx)
	if err != nil {
		return sessionRow{}, false, fmt.Errorf("read session: %w", err)
	}
	if len(rows) == 0 {
		// Another heard process on this database may have kept it in the
		// journal while an import of its own held its writer: look there
		// on a miss only, which is rare, so that every page does not read
		// a second file.
		return ss.s.pending.session(ctx, hashToken(token), true)
	}
	return rows[0], true, nil
}

// CommitCtx stores a session's data and expiry, replacing those of the
// same token. When only the expiry moves later, by less than a minute,
// nothing is written; when only the expiry moves later and another writer
// (a long import) holds the database, the write is skipped rather than
// waited for, and a later request makes it. Anything else is written,
// waiting for the writer if need be.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	hash, stamp := hashToken(token), formatTime(expiry)
	old, found, err := ss.find(ctx, token)
	if err != nil {
		return err
	}
	if found && bytes.Equal(old.Data, b) && parseTime(old.Expiry).After(ss.s.db.NowFunc()) {
		switch lag := expiry.Sub(parseTime(old.Expiry)); {
		case lag >= 0 && lag < sessionTouchEvery:
			return nil
		case lag > 0:
			if _, err := ss.s.tryWrite(ctx, "UPDATE sessions SET expiry = ? WHERE token_hash = ?", stamp, hash); err != nil {
				return fmt.Errorf("extend session: %w", err)
			}
			return nil
		}
	}
	const upsert = `INSERT INTO sessions (token_hash, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`
	release, ok := ss.s.trySmallWrite()
	if !ok {
		// Another write (an import) holds the database: keep the session
		// in the journal, where find looks first, until that write ends.
		if err := ss.s.pending.exec(ctx, upsert, hash, b, stamp); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		return nil
	}
	defer release()
	// An older copy left in the journal must not be moved over this one.
	if err := ss.s.pending.forgetSession(ctx, hash); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	if err := ss.s.db.WithContext(ctx).Exec(upsert, hash, b, stamp).Error; err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// DeleteCtx deletes the session with this token; an unknown token is not
// an error.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if err := ss.s.lockWriter(ctx); err != nil {
		return err
	}
	// Moving the journal first (unlockWriter does it, with the writer
	// held) means a session saved there is in the database by now, by
	// this or another heard process on the database (which would move it
	// back later otherwise).
	if ss.s.pending.mayHold(true) {
		if err := ss.s.movePending(ctx); err != nil {
			ss.s.unlockWriter()
			return fmt.Errorf("delete session: %w", err)
		}
	}
	defer ss.s.unlockWriter()
	if _, err := gorm.G[sessionRow](ss.s.db).Where("token_hash = ?", hashToken(token)).Delete(ctx); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions that have expired and returns
// how many; the service calls it now and then.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	if err := s.lockWriter(ctx); err != nil {
		return 0, err
	}
	defer s.unlockWriter()
	n, err := gorm.G[sessionRow](s.db).Where("expiry <= ?", formatTime(s.db.NowFunc())).Delete(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int64(n), nil
}

// tryWriteBusyTimeout is how long tryWrite waits for another process's
// writer.
const tryWriteBusyTimeout = 100 * time.Millisecond

// tryWrite runs one statement that can wait for later, such as noting a
// time of last use. It reports false, with no error, when another writer
// of this or another process holds the database, instead of waiting.
func (s *Store) tryWrite(ctx context.Context, query string, args ...any) (bool, error) {
	select {
	case s.writer <- struct{}{}:
		defer s.unlockWriter()
	default:
		return false, nil
	}
	db, err := s.db.DB()
	if err != nil {
		return false, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, s.lockWait(tryWriteBusyTimeout)); err != nil {
		return false, err
	}
	defer func() {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), s.lockWait(busyTimeout))
		if err != nil { // never hand back a connection that gives up on the lock at once
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if _, err := conn.ExecContext(ctx, query, args...); err != nil {
		if isBusy(err) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
