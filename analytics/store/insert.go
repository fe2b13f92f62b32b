package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// storeRows inserts the file's responses into the survey's table and
// records the import's counts. newTable is set on a survey's first import,
// when ensureResponseTable has just created the table without its
// indexes: the rows are then appended as they come and the indexes built
// after them (see indexNewTable).
func (s *Store) storeRows(ctx context.Context, tx *gorm.DB, imp *analytics.Import, p placed,
	next func() (analytics.Response, error), progress func(int), newTable bool) error {
	if s.pg {
		return s.copyRows(ctx, tx, imp, p, next, progress, newTable)
	}
	enc := &encoder{importID: imp.ID, london: s.london, optionPos: p.optionPos, dims: len(p.dimensions)}
	for _, q := range p.questions {
		enc.kinds = append(enc.kinds, q.Kind)
	}
	cols, _ := wantedColumns(p.questions, p.dimensions)
	// On PostgreSQL, ctx carries the transaction's connection: withPgx(ctx,
	// ...) reaches pgx inside this transaction, for COPY (CopyFrom).
	in := newInserter(ctx, tx.Statement.ConnPool, responseTable(imp.SurveyID), append(coreColumns(), cols...))
	in.skipRepeats = !newTable
	total, err := storeResponses(in, enc, next, progress)
	if err := errors.Join(err, in.close()); err != nil {
		return err
	}
	if newTable {
		removed, changed, err := indexNewTable(ctx, tx, imp.SurveyID, cols)
		if err != nil {
			return err
		}
		in.added -= removed
		in.changed += changed
	}
	imp.Added, imp.Duplicates, imp.Changed = in.added, total-in.added, in.changed
	_, err = gorm.G[importRow](tx).Where("id = ?", imp.ID).
		Select("added", "duplicates").Updates(ctx, importRow{Added: imp.Added, Duplicates: imp.Duplicates})
	if err != nil {
		return fmt.Errorf("record counts: %w", err)
	}
	return nil
}

// storeResponses reads responses from next until io.EOF and inserts them.
// It returns how many it read.
func storeResponses(in *inserter, enc *encoder, next func() (analytics.Response, error), progress func(int)) (int, error) {
	total, reported := 0, 0
	for {
		r, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return total, sourceError{err}
		}
		row, err := in.next()
		if err != nil {
			return total, err
		}
		if err := enc.encode(row, r); err != nil {
			in.undo()
			return total, err
		}
		total++
		if progress != nil && in.written-reported >= 1000 {
			reported = in.written
			progress(reported)
		}
	}
	if err := in.flush(); err != nil {
		return total, err
	}
	if progress != nil && in.written != reported {
		progress(in.written)
	}
	return total, nil
}

// maxVariables is SQLite's limit on the values bound to one statement.
const maxVariables = 32766

// rowsPerInsert is how many rows one INSERT carries when the table is not
// too wide for it: about as fast as larger batches, and small enough to
// keep memory flat.
const rowsPerInsert = 100

// inserter adds rows to a response table through prepared multi-row
// INSERTs on the import's transaction, skipping rows whose respondent is
// already stored. This is the hot path of an import: it bypasses gorm,
// which costs about twice as much per row.
type inserter struct {
	ctx     context.Context
	pool    gorm.ConnPool
	table   string
	cols    []string
	perStmt int
	// skipRepeats adds ON CONFLICT DO NOTHING to the inserts; it is off
	// while a new table, without its unique index yet, is loaded.
	skipRepeats bool
	full        *sql.Stmt
	vals        []any // perStmt rows of len(cols) values
	pending     int   // rows waiting in vals
	written     int   // rows sent to the database
	added       int   // rows the database stored
	// changed counts the rows skipped because their respondent was
	// already stored whose answers or dimension values differ from the
	// stored ones.
	changed int
}

// newInserter prepares inserts of rows of cols into table.
func newInserter(ctx context.Context, pool gorm.ConnPool, table string, cols []string) *inserter {
	per := min(rowsPerInsert, maxVariables/len(cols))
	return &inserter{
		ctx: ctx, pool: pool, table: table, cols: cols, perStmt: per, skipRepeats: true,
		vals: make([]any, per*len(cols)),
	}
}

// next returns the slice to fill with the values of the next row, after
// sending the rows waiting if the batch is full.
func (in *inserter) next() ([]any, error) {
	if in.pending == in.perStmt {
		if err := in.flush(); err != nil {
			return nil, err
		}
	}
	w := len(in.cols)
	row := in.vals[in.pending*w : (in.pending+1)*w]
	in.pending++
	return row, nil
}

// undo forgets the row last returned by next.
func (in *inserter) undo() { in.pending-- }

// flush sends the rows waiting.
func (in *inserter) flush() error {
	if in.pending == 0 {
		return nil
	}
	args := in.vals[:in.pending*len(in.cols)]
	var res sql.Result
	var err error
	if in.pending == in.perStmt {
		if in.full == nil {
			in.full, err = in.pool.PrepareContext(in.ctx, insertSQL(in.table, in.cols, in.perStmt, in.skipRepeats))
			if err != nil {
				return fmt.Errorf("prepare insert into %s: %w", in.table, err)
			}
		}
		res, err = in.full.ExecContext(in.ctx, args...)
	} else {
		res, err = in.pool.ExecContext(in.ctx, insertSQL(in.table, in.cols, in.pending, in.skipRepeats), args...)
	}
	if err != nil {
		if ctxErr := in.ctx.Err(); ctxErr != nil {
			// A cancelled import can fail with "statement is closed"
			// first; the cancellation is the cause worth reporting.
			return fmt.Errorf("insert into %s: %w", in.table, ctxErr)
		}
		return fmt.Errorf("insert into %s: %w", in.table, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("insert into %s: %w", in.table, err)
	}
	if int(n) < in.pending {
		if err := in.countChanged(args, in.pending); err != nil {
			return err
		}
	}
	in.written += in.pending
	in.added += int(n)
	in.pending = 0
	return nil
}

// countChanged counts the rows of a batch that repeat a stored respondent
// with different answers. It runs only for a batch in which some rows were
// skipped, so an import without repeats pays nothing for it. Each row with
// a respondent id is compared with the row stored for that id: a row stored
// by this batch compares equal to itself; a skipped one compares with the
// first answers, which are the ones kept.
func (in *inserter) countChanged(args []any, rows int) error {
	w := len(in.cols)
	if w <= coreCount {
		return nil
	}
	var ids []any
	for r := range rows {
		if id := args[r*w+1]; id != nil {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`SELECT "respondent_id"`)
	for _, c := range in.cols[coreCount:] {
		q.WriteByte(',')
		q.WriteString(quote(c))
	}
	q.WriteString(" FROM " + quote(in.table) + ` WHERE "respondent_id" IN (?` + strings.Repeat(",?", len(ids)-1) + ")")
	res, err := in.pool.QueryContext(in.ctx, q.String(), ids...)
	if err != nil {
		return fmt.Errorf("read back repeated respondents from %s: %w", in.table, err)
	}
	defer res.Close()
	stored := make(map[string][]any, len(ids))
	for res.Next() {
		var id string
		vals := make([]any, w-coreCount)
		dest := []any{&id}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := res.Scan(dest...); err != nil {
			return fmt.Errorf("read back repeated respondents from %s: %w", in.table, err)
		}
		stored[id] = vals
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("read back repeated respondents from %s: %w", in.table, err)
	}
	for r := range rows {
		row := args[r*w : (r+1)*w]
		id, ok := row[1].(string)
		if !ok {
			continue
		}
		if first, found := stored[id]; found && !sameValues(row[coreCount:], first) {
			in.changed++
		}
	}
	return nil
}

// sameValues reports whether the values bound for a row equal those read
// back from the database, whatever Go types the driver returns them as.
func sameValues(bound, read []any) bool {
	for i := range bound {
		if !sameValue(bound[i], read[i]) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	return textOf(a) == textOf(b)
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func textOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}

// close releases the prepared statement.
func (in *inserter) close() error {
	if in.full == nil {
		return nil
	}
	return in.full.Close()
}

// insertSQL is an INSERT of rows rows of cols. With skipRepeats it skips a
// row whose respondent_id is already in the table, including one inserted
// earlier in the same statement. ON CONFLICT ... DO NOTHING works in
// SQLite 3.24 and later and in PostgreSQL.
func insertSQL(table string, cols []string, rows int, skipRepeats bool) string {
	var b strings.Builder
	b.Grow(len(cols)*8 + rows*(len(cols)*2+3) + 64)
	b.WriteString("INSERT INTO ")
	b.WriteString(quote(table))
	b.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quote(c))
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?,", len(cols)-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	if skipRepeats {
		b.WriteString(` ON CONFLICT ("respondent_id") DO NOTHING`)
	}
	return b.String()
}
