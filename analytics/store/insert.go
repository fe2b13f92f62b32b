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
// records the import's counts.
func (s *Store) storeRows(ctx context.Context, tx *gorm.DB, imp *analytics.Import, p placed,
	next func() (analytics.Response, error), progress func(int)) error {
	enc := &encoder{importID: imp.ID, london: s.london, optionPos: p.optionPos, dims: len(p.dimensions)}
	for _, q := range p.questions {
		enc.kinds = append(enc.kinds, q.Kind)
	}
	cols, _ := wantedColumns(p.questions, p.dimensions)
	in := newInserter(ctx, tx.Statement.ConnPool, responseTable(imp.SurveyID), append(coreColumns(), cols...))
	total, err := storeResponses(in, enc, next, progress)
	if err := errors.Join(err, in.close()); err != nil {
		return err
	}
	imp.Added, imp.Duplicates = in.added, total-in.added
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
	full    *sql.Stmt
	vals    []any // perStmt rows of len(cols) values
	pending int   // rows waiting in vals
	written int   // rows sent to the database
	added   int   // rows the database stored
}

// newInserter prepares inserts of rows of cols into table.
func newInserter(ctx context.Context, pool gorm.ConnPool, table string, cols []string) *inserter {
	per := min(rowsPerInsert, maxVariables/len(cols))
	return &inserter{
		ctx: ctx, pool: pool, table: table, cols: cols, perStmt: per,
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
			in.full, err = in.pool.PrepareContext(in.ctx, insertSQL(in.table, in.cols, in.perStmt))
			if err != nil {
				return fmt.Errorf("prepare insert into %s: %w", in.table, err)
			}
		}
		res, err = in.full.ExecContext(in.ctx, args...)
	} else {
		res, err = in.pool.ExecContext(in.ctx, insertSQL(in.table, in.cols, in.pending), args...)
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
	in.written += in.pending
	in.added += int(n)
	in.pending = 0
	return nil
}

// close releases the prepared statement.
func (in *inserter) close() error {
	if in.full == nil {
		return nil
	}
	return in.full.Close()
}

// insertSQL is an INSERT of rows rows of cols that skips a row whose
// respondent_id is already in the table, including one inserted earlier in
// the same statement. ON CONFLICT ... DO NOTHING works in SQLite 3.24 and
// later and in PostgreSQL.
func insertSQL(table string, cols []string, rows int) string {
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
	b.WriteString(` ON CONFLICT ("respondent_id") DO NOTHING`)
	return b.String()
}
