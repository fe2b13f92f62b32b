package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
)

// A report of one question reads the counts of its answers kept per import
// in report_counts (see migrations/0002_metrics.sql) rather than every
// response: at 1,000,000 responses a GROUP BY over the responses takes
// about half a second, most of it sorting, while the kept counts are a few
// thousand rows whatever the number of responses.

// fillBusyTimeout is how long filling the counts waits for another
// process's writer before the report aggregates the responses directly.
const fillBusyTimeout = 100 * time.Millisecond

// rowsPerCountInsert is how many counts one INSERT stores (8 values each).
const rowsPerCountInsert = 500

// monthRange returns the first and last months a query covers when the
// kept counts can answer it: no filters, and dates that start on the first
// and end on the last day of a month. "" leaves an end open.
func monthRange(q CountQuery) (from, to string, ok bool) {
	if len(q.Where) > 0 {
		return "", "", false
	}
	if q.From != "" {
		t, err := time.Parse(time.DateOnly, q.From)
		if err != nil || t.Day() != 1 {
			return "", "", false
		}
		from = q.From[:7]
	}
	if q.To != "" {
		t, err := time.Parse(time.DateOnly, q.To)
		if err != nil || t.AddDate(0, 0, 1).Day() != 1 {
			return "", "", false
		}
		to = q.To[:7]
	}
	return from, to, true
}

// cachedCounts reads a query's counts from report_counts, first counting
// the imports not counted yet for its question and breakdown. done is
// false, with no error, when those could not be counted without waiting
// for another writer.
func (s *Store) cachedCounts(ctx context.Context, surveyID int64, p countPlan, partial bool, from, to string) (
	counts []analytics.Count, done bool, err error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, false, err
	}
	missing, err := uncounted(ctx, db, surveyID, p)
	if err != nil {
		return nil, false, err
	}
	if len(missing) > 0 {
		if done, err := s.fillCounts(ctx, db, surveyID, p); err != nil || !done {
			return nil, false, err
		}
	}
	query := "SELECT month, grp, option_pos, SUM(n) FROM report_counts WHERE question_id = ? AND breakdown = ?"
	args := []any{p.questionID, p.breakdown}
	if !partial {
		query += " AND complete = 1"
	}
	if from != "" {
		query, args = query+" AND month >= ?", append(args, from)
	}
	if to != "" {
		query, args = query+" AND month <= ? AND month <> ''", append(args, to)
	}
	query += " GROUP BY month, grp, option_pos"
	err = scanCounts(ctx, db, query, args, 0, 2, func(_ []int64, texts []sql.NullString, option int, n int64) {
		counts = append(counts, analytics.Count{Month: texts[0].String, Group: texts[1].String, Option: option, N: n})
	})
	if err != nil {
		return nil, false, err
	}
	return counts, true, nil
}

// uncountedImport is an import whose counts are not kept yet, with the
// number of responses it added.
type uncountedImport struct {
	id, added int64
}

// uncounted returns the survey's imports whose counts for the plan's
// question and breakdown are not kept yet, in the order of their IDs.
func uncounted(ctx context.Context, db queryer, surveyID int64, p countPlan) ([]uncountedImport, error) {
	rows, err := db.QueryContext(ctx, `SELECT i.id, i.added, c.import_id IS NULL FROM imports i
		LEFT JOIN report_counted c ON c.import_id = i.id AND c.question_id = ? AND c.breakdown = ?
		WHERE i.survey_id = ? ORDER BY i.id`, p.questionID, p.breakdown, surveyID)
	if err != nil {
		return nil, fmt.Errorf("read kept counts: %w", err)
	}
	defer rows.Close()
	var missing []uncountedImport
	for rows.Next() {
		var imp uncountedImport
		var absent bool
		if err := rows.Scan(&imp.id, &imp.added, &absent); err != nil {
			return nil, fmt.Errorf("read kept counts: %w", err)
		}
		if absent {
			missing = append(missing, imp)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read kept counts: %w", err)
	}
	return missing, nil
}

// fillCounts counts the answers of the imports not counted yet and keeps
// the counts, in one transaction. It reports false, without waiting, when
// another goroutine or process is writing.
func (s *Store) fillCounts(ctx context.Context, db *sql.DB, surveyID int64, p countPlan) (bool, error) {
	select {
	case s.writer <- struct{}{}:
		defer s.unlockWriter()
	default:
		return false, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("keep counts: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, s.lockWait(fillBusyTimeout)); err != nil {
		return false, fmt.Errorf("keep counts: %w", err)
	}
	defer func() {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), s.lockWait(busyTimeout))
		if err != nil { // never hand back a connection that gives up on the lock at once
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if isBusy(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("keep counts: %w", err)
	}
	defer tx.Rollback()
	if err := s.advisoryLockTx(ctx, tx, "writer"); err != nil {
		if isBusy(err) {
			return false, nil
		}
		return false, fmt.Errorf("keep counts: %w", err)
	}
	if err := fillCountsTx(ctx, tx, surveyID, p); err != nil {
		if isBusy(err) {
			return false, nil
		}
		return false, fmt.Errorf("keep counts: %w", err)
	}
	if err := tx.Commit(); err != nil {
		if isBusy(err) {
			return false, nil
		}
		return false, fmt.Errorf("keep counts: %w", err)
	}
	return true, nil
}

// fillCountsTx is fillCounts inside its transaction.
func fillCountsTx(ctx context.Context, tx *sql.Tx, surveyID int64, p countPlan) error {
	missing, err := uncounted(ctx, tx, surveyID, p)
	if err != nil || len(missing) == 0 {
		return err
	}
	w := &countWriter{question: p.questionID, breakdown: p.breakdown}
	if err := countImports(ctx, tx, p, w, missing); err != nil {
		return err
	}
	if err := w.store(ctx, tx); err != nil {
		return err
	}
	for _, imp := range missing {
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_counted (import_id, question_id, breakdown) VALUES (?, ?, ?)",
			imp.id, p.questionID, p.breakdown); err != nil {
			return err
		}
	}
	return nil
}

// fillBatchRows is how many responses one query of countImports groups
// at most, unless one import alone has more.
var fillBatchRows int64 = 200_000

// countImports counts the answers of the imports given into w, a few
// imports a query (one when large, up to fillBatchRows responses between
// them), their rows found by import_id: each group of the query is an
// import, month, group and option, with its complete responses summed
// alongside, which makes half the groups of grouping by the complete flag
// too.
//
// One query per import reads each of its rows once. Counting month by
// month (as directCounts does on SQLite) read the table once a month
// through the month index, and as an import's dates fall anywhere in the
// table, PostgreSQL read most of its pages each month: 6 s at 1,000,000
// responses against 0.5 s for one query (EXPLAIN ANALYZE: 27,000 of the
// table's 42,600 pages a month). A query per large import, rather than one
// over every import, keeps the groups of one aggregate to an import's,
// which PostgreSQL holds in one hash table within its default work_mem,
// and SQLite's sort to one import's rows; small imports share a query, so
// that a survey of a thousand daily files is not a thousand queries.
func countImports(ctx context.Context, tx *sql.Tx, p countPlan, w *countWriter, imports []uncountedImport) error {
	keys := strings.Join(append(slices.Clone(p.groups), p.question), ", ")
	for len(imports) > 0 {
		n, rows := 1, imports[0].added
		for n < len(imports) && n < 100 && rows+imports[n].added <= fillBatchRows {
			rows += imports[n].added
			n++
		}
		args := make([]any, n)
		for i, imp := range imports[:n] {
			args[i] = imp.id
		}
		imports = imports[n:]
		query := fmt.Sprintf("SELECT import_id, SUM(complete), month, %s, COUNT(*) FROM %s WHERE import_id IN (%s) "+
			"GROUP BY %s, month, import_id", keys, quote(p.table), strings.TrimSuffix(strings.Repeat("?, ", n), ", "), keys)
		err := scanCounts(ctx, tx, query, args, 2, 1+len(p.groups),
			func(lead []int64, texts []sql.NullString, option int, n int64) {
				w.add(p, lead[0], lead[1], texts[0].String, texts[1:], option, n)
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// execer runs a statement: a transaction, or gorm's connection pool of one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// keptCount is one row of report_counts, less its question and breakdown.
type keptCount struct {
	importID, complete int64
	month, group       string
	option             int
	n                  int64
}

// countWriter collects counts and stores them in report_counts, many rows
// per INSERT.
type countWriter struct {
	question  int64
	breakdown string
	rows      []keptCount
}

// add collects the counts of one result row of countImports: the import's
// n responses of a month, group and option, complete of them complete.
func (w *countWriter) add(p countPlan, importID, complete int64, month string, groups []sql.NullString, option int, n int64) {
	group := p.group(groups)
	if complete > 0 {
		w.rows = append(w.rows, keptCount{importID, 1, month, group, option, complete})
	}
	if partial := n - complete; partial > 0 {
		w.rows = append(w.rows, keptCount{importID, 0, month, group, option, partial})
	}
}

// store inserts the counts collected, in the table's key order, which
// SQLite appends fastest. Groups whose values differ but whose names are
// the same (a team called "(blank)" beside blank teams, or "A / B" with
// "C" beside "A" with "B / C") are counted together under that name, as
// the report shows them, rather than stored twice under one key.
func (w *countWriter) store(ctx context.Context, tx execer) error {
	key := func(a, b keptCount) int {
		return cmp.Or(strings.Compare(a.month, b.month), strings.Compare(a.group, b.group), cmp.Compare(a.option, b.option),
			cmp.Compare(a.complete, b.complete), cmp.Compare(a.importID, b.importID))
	}
	slices.SortFunc(w.rows, key)
	merged := w.rows[:0]
	for _, c := range w.rows {
		if last := len(merged) - 1; last >= 0 && key(merged[last], c) == 0 {
			merged[last].n += c.n
			continue
		}
		merged = append(merged, c)
	}
	w.rows = merged
	vals := make([]any, 0, 8*rowsPerCountInsert)
	for chunk := range slices.Chunk(w.rows, rowsPerCountInsert) {
		vals = vals[:0]
		for _, c := range chunk {
			vals = append(vals, w.question, w.breakdown, c.month, c.group, c.option, c.complete, c.importID, c.n)
		}
		query := "INSERT INTO report_counts (question_id, breakdown, month, grp, option_pos, complete, import_id, n) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		if _, err := tx.ExecContext(ctx, query, vals...); err != nil {
			return err
		}
	}
	return nil
}
