package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Failed sign-ins are counted in sign_in_failures (migrations/
// 0013_rate_limits.sql) rather than in each process's memory, so that every
// heard process on the database sees the same counts. The caller (the
// service's sign-in limiter) decides the counters' names and the times, so
// that its tests can set the clock.

// upsertSignInFailure adds a row's failures to the counter's row at the
// same instant, or replaces it when the row is a reset: the row then says
// "reset, then this many failures". The same statement moves rows from the
// journal (see pending.go), whose rows may hold both.
const upsertSignInFailure = `INSERT INTO sign_in_failures (subject, at, failures, cleared) VALUES (?, ?, ?, ?)
	ON CONFLICT (subject, at) DO UPDATE SET
	failures = CASE WHEN excluded.cleared = 1 THEN excluded.failures ELSE sign_in_failures.failures + excluded.failures END,
	cleared = CASE WHEN excluded.cleared = 1 THEN 1 ELSE sign_in_failures.cleared END`

// signInFailureRow is a row of sign_in_failures.
type signInFailureRow struct {
	Subject  string
	At       int64
	Failures int
	Cleared  int
}

// SignInFailures returns the times of the failed sign-ins counted against
// subject after the time after and since its last reset, oldest first.
func (s *Store) SignInFailures(ctx context.Context, subject string, after time.Time) ([]time.Time, error) {
	// The journal first: should its rows be moved into the database in
	// between, they are counted twice, which errs on the side of refusing.
	rows, err := s.pending.signInFailures(ctx, subject, after.UnixMilli())
	if err != nil {
		return nil, err
	}
	var stored []signInFailureRow
	if err := s.db.WithContext(ctx).Raw("SELECT subject, at, failures, cleared FROM sign_in_failures WHERE subject = ? AND at > ?",
		subject, after.UnixMilli()).Scan(&stored).Error; err != nil {
		return nil, fmt.Errorf("read failed sign-ins: %w", err)
	}
	// A journal row at the same instant as a stored one was written after
	// it: stable sorting keeps it after.
	all := append(stored, rows...)
	slices.SortStableFunc(all, func(a, b signInFailureRow) int { return cmp.Compare(a.At, b.At) })
	var times []time.Time
	for _, r := range all {
		if r.Cleared == 1 {
			times = times[:0]
		}
		for range r.Failures {
			times = append(times, time.UnixMilli(r.At).UTC())
		}
	}
	return times, nil
}

// RecordSignInFailure counts one failed sign-in at time at against each
// subject, and deletes every counter's rows at or before expired, which no
// longer count. While another write (an import) holds the database the
// failure is kept in the journal, read by SignInFailures at once and moved
// into the database when that write ends, so that a sign-in never waits for
// an import.
func (s *Store) RecordSignInFailure(ctx context.Context, subjects []string, at, expired time.Time) error {
	return s.writeSignInFailures(ctx, subjects, at, 1, 0, expired)
}

// ClearSignInFailures resets subject's counter at time at: the failures
// counted before no longer count.
func (s *Store) ClearSignInFailures(ctx context.Context, subject string, at time.Time) error {
	return s.writeSignInFailures(ctx, []string{subject}, at, 0, 1, time.Time{})
}

func (s *Store) writeSignInFailures(ctx context.Context, subjects []string, at time.Time, failures, cleared int, expired time.Time) error {
	release, ok := s.trySmallWrite()
	if !ok {
		for _, subject := range subjects {
			if err := s.pending.exec(ctx, upsertSignInFailure, subject, at.UnixMilli(), failures, cleared); err != nil {
				return fmt.Errorf("count a failed sign-in: %w", err)
			}
		}
		return nil
	}
	defer release()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if !expired.IsZero() {
			if err := tx.Exec("DELETE FROM sign_in_failures WHERE at <= ?", expired.UnixMilli()).Error; err != nil {
				return fmt.Errorf("forget old failed sign-ins: %w", err)
			}
		}
		for _, subject := range subjects {
			if err := tx.Exec(upsertSignInFailure, subject, at.UnixMilli(), failures, cleared).Error; err != nil {
				return fmt.Errorf("count a failed sign-in: %w", err)
			}
		}
		return nil
	})
}

// SignInFailureSubjects counts the counters kept.
func (s *Store) SignInFailureSubjects(ctx context.Context) (int, error) {
	var n int
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(DISTINCT subject) FROM sign_in_failures").Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count failed sign-ins: %w", err)
	}
	return n, nil
}

// TrimSignInFailures keeps at most keep counters, deleting those whose
// last row is oldest, so that a flood of made-up emails from many
// addresses cannot grow the table without bound within the window. It does
// nothing, with no error, while another write holds the database: the next
// failure tries again.
func (s *Store) TrimSignInFailures(ctx context.Context, keep int) error {
	release, ok := s.trySmallWrite()
	if !ok {
		return nil
	}
	defer release()
	// The last time of the keep+1th most recent counter: it and every
	// older one go (ties may take a few more).
	var cutoff sql.NullInt64
	err := s.db.WithContext(ctx).Raw(`SELECT MAX(at) AS last FROM sign_in_failures GROUP BY subject
		ORDER BY last DESC LIMIT 1 OFFSET ?`, keep).Row().Scan(&cutoff)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && !cutoff.Valid):
		return nil
	case err != nil:
		return fmt.Errorf("trim failed sign-ins: %w", err)
	}
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM sign_in_failures WHERE subject IN
		(SELECT subject FROM sign_in_failures GROUP BY subject HAVING MAX(at) <= ?)`, cutoff.Int64).Error; err != nil {
		return fmt.Errorf("trim failed sign-ins: %w", err)
	}
	return nil
}
