package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// maxAuditField bounds each text field of an audit event, in bytes, so
// that whatever a client sends (a long typed email, say) cannot flood the
// log.
const maxAuditField = 500

// auditRow is a row of audit_events.
type auditRow struct {
	ID      int64  `gorm:"column:id;primaryKey"`
	At      string `gorm:"column:at"`
	UserID  int64  `gorm:"column:user_id"`
	Who     string `gorm:"column:who"`
	Source  string `gorm:"column:source"`
	Action  string `gorm:"column:action"`
	Object  string `gorm:"column:object"`
	Outcome string `gorm:"column:outcome"`
	Detail  string `gorm:"column:detail"`
}

// TableName tells gorm the table.
func (auditRow) TableName() string { return "audit_events" }

func (r auditRow) event() analytics.AuditEvent {
	return analytics.AuditEvent{ID: r.ID, At: parseTime(r.At), UserID: r.UserID, Who: r.Who, From: r.Source,
		Action: analytics.AuditAction(r.Action), Object: r.Object, Outcome: analytics.Outcome(r.Outcome), Detail: r.Detail}
}

// Audit records one event in the audit log, at the current time. Who, From
// and Action are required; an empty Outcome is OutcomeOK. Actions that
// change data record their event themselves, in their own transaction;
// Audit is for the others: sign-ins, downloads, imports, refusals.
//
// While another write holds the database (an import), the event is kept
// in the pending journal and moved into the log when that write ends, so
// that recording a sign-in never waits for an import.
func (s *Store) Audit(ctx context.Context, e analytics.AuditEvent) error {
	release, ok := s.trySmallWrite()
	if !ok {
		return s.auditPending(ctx, e)
	}
	defer release()
	return writeAudit(ctx, s.db, e)
}

// newAuditRow checks e and makes its row, at time now.
func newAuditRow(now time.Time, e analytics.AuditEvent) (auditRow, error) {
	if e.Outcome == "" {
		e.Outcome = analytics.OutcomeOK
	}
	if strings.TrimSpace(e.Who) == "" || strings.TrimSpace(e.From) == "" || e.Action == "" {
		return auditRow{}, fmt.Errorf("audit event %q: who did it and from where must be given", e.Action)
	}
	return auditRow{
		At: formatTime(now), UserID: e.UserID, Who: clip(e.Who), Source: clip(e.From),
		Action: clip(string(e.Action)), Object: clip(e.Object), Outcome: clip(string(e.Outcome)), Detail: clip(e.Detail),
	}, nil
}

// writeAudit records e through db, which may be a transaction.
func writeAudit(ctx context.Context, db *gorm.DB, e analytics.AuditEvent) error {
	row, err := newAuditRow(db.NowFunc(), e)
	if err != nil {
		return err
	}
	if err := gorm.G[auditRow](db).Create(ctx, &row); err != nil {
		return fmt.Errorf("write audit event %q: %w", e.Action, err)
	}
	return nil
}

// clip cuts s to maxAuditField bytes at a character boundary, replacing
// control characters so that a log line stays one line.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if len(s) <= maxAuditField {
		return s
	}
	cut := maxAuditField
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// AuditQuery selects audit events. The zero value asks for the newest
// DefaultAuditLimit events.
type AuditQuery struct {
	// Since and Until keep the events at or after Since and before Until;
	// zero leaves that end open.
	Since, Until time.Time
	// Action keeps the events of one action; "" keeps all.
	Action analytics.AuditAction
	// UserID keeps the events of one account; 0 keeps all.
	UserID int64
	// BeforeID keeps the events older than the event BeforeID, for paging
	// back through the log; 0 starts at the newest.
	BeforeID int64
	// Limit is the most events returned: 0 means DefaultAuditLimit, and a
	// negative limit returns every event that matches.
	Limit int
	// OldestFirst returns the events in the order they happened, as a log
	// file reads; by default the newest come first.
	OldestFirst bool
}

// DefaultAuditLimit is how many events an AuditQuery without a Limit
// returns.
const DefaultAuditLimit = 200

// AuditEvents reads the audit log.
func (s *Store) AuditEvents(ctx context.Context, q AuditQuery) ([]analytics.AuditEvent, error) {
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return nil, errors.New("read the audit log: the start must come before the end")
	}
	// Newest first picks the right events under a limit; OldestFirst
	// turns them round afterwards.
	db := gorm.G[auditRow](s.db).Order("id DESC")
	if !q.Since.IsZero() {
		db = db.Where("at >= ?", formatTime(q.Since))
	}
	if !q.Until.IsZero() {
		db = db.Where("at < ?", formatTime(q.Until))
	}
	if q.Action != "" {
		db = db.Where("action = ?", string(q.Action))
	}
	if q.UserID != 0 {
		db = db.Where("user_id = ?", q.UserID)
	}
	if q.BeforeID != 0 {
		db = db.Where("id < ?", q.BeforeID)
	}
	switch {
	case q.Limit == 0:
		db = db.Limit(DefaultAuditLimit)
	case q.Limit > 0:
		db = db.Limit(q.Limit)
	}
	rows, err := db.Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	list := make([]analytics.AuditEvent, len(rows))
	for i, r := range rows {
		j := i
		if q.OldestFirst {
			j = len(rows) - 1 - i
		}
		list[j] = r.event()
	}
	return list, nil
}

// writeTx runs fn in a write transaction, holding this process's writer.
func (s *Store) writeTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.advisoryLock(tx, "writer"); err != nil {
			return err
		}
		return fn(tx)
	})
}
