package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// On PostgreSQL an import sends its rows with COPY, which is several times
// quicker than multi-row INSERTs. COPY cannot skip a row whose respondent is
// already stored (it has no ON CONFLICT), so the rows go first into a
// temporary table dropped at commit, and one INSERT ... SELECT ... ON
// CONFLICT DO NOTHING moves them into the survey's table, skipping repeats
// exactly as the SQLite path's INSERTs do. Everything happens in the
// import's transaction, so a failure anywhere leaves nothing stored.
//
// COPY is pgx's own (CopyFrom), not database/sql's, so the import needs the
// pgx connection its transaction runs on: ImportFile runs the transaction
// on one connection its context carries (pinConn), and withPgx reaches pgx
// under it, on the same session, so COPY is inside the transaction.

// copyTable is the temporary table an import's rows are copied into. Its
// name is the same for every import, so that pgx keeps one description of
// "select <columns> from it" per column list; a column keeps its type for
// life (questions and dimensions are only ever added), so the same column
// list always means the same types.
const copyTable = "heard_import_rows"

// copyOrd is the temporary table's column holding each row's place in the
// file, so that the rows move into the survey's table in file order: the
// first of a respondent's rows is the one kept, as on SQLite, and ids
// follow the file.
const copyOrd = "heard_ord"

// copyRows is storeRows on PostgreSQL.
// On a survey's first import the table is new and has no indexes yet
// (newTable): the rows are copied straight into it and indexNewTable then
// removes repeats and builds the indexes, as on SQLite.
func (s *Store) copyRows(ctx context.Context, tx *gorm.DB, imp *analytics.Import, p placed,
	next func() (analytics.Response, error), progress func(int), newTable bool) error {
	enc := &encoder{importID: imp.ID, london: s.london, optionPos: p.optionPos, dims: len(p.dimensions)}
	for _, q := range p.questions {
		enc.kinds = append(enc.kinds, q.Kind)
	}
	extra, _ := wantedColumns(p.questions, p.dimensions)
	cols := append(coreColumns(), extra...)
	table := responseTable(imp.SurveyID)
	total, added, changed, err := copyResponses(ctx, tx.Statement.ConnPool, table, cols, enc, next, progress, newTable)
	if err != nil {
		return err
	}
	if newTable {
		removed, repeatsChanged, err := indexNewTable(ctx, tx, imp.SurveyID, extra)
		if err != nil {
			return err
		}
		added -= removed
		changed += repeatsChanged
	}
	imp.Added, imp.Duplicates, imp.Changed = added, total-added, changed
	_, err = gorm.G[importRow](tx).Where("id = ?", imp.ID).
		Select("added", "duplicates").Updates(ctx, importRow{Added: imp.Added, Duplicates: imp.Duplicates})
	if err != nil {
		return fmt.Errorf("record counts: %w", err)
	}
	return nil
}

// copyResponses copies the responses next gives into table through the
// temporary table and returns how many it read, how many were added and how
// many of the skipped ones differ from the stored answers of their
// respondent. pool is the import's transaction, whose connection ctx
// carries (transactionOnOneConn, pinConn). When direct, the rows are copied
// straight into table (a new table without indexes, whose repeats the
// caller removes) and all count as added.
func copyResponses(ctx context.Context, pool gorm.ConnPool, table string, cols []string,
	enc *encoder, next func() (analytics.Response, error), progress func(int), direct bool) (total, added, changed int, err error) {
	exec := func(what, q string) (sql.Result, error) {
		res, err := pool.ExecContext(ctx, q)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("%s: %w", what, ctxErr)
			}
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return res, nil
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quote(c)
	}
	list := strings.Join(quoted, ",")
	into, intoCols := pgx.Identifier{table}, cols
	if !direct {
		// The temporary table takes its columns' types from the survey's
		// table and none of its constraints: the INSERT into the survey's
		// table checks those. It is dropped when the transaction ends,
		// either way.
		if _, err := exec("make the import's temporary table", fmt.Sprintf(
			"CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT 0::bigint AS %s, %s FROM %s WITH NO DATA",
			quote(copyTable), quote(copyOrd), list, quote(table))); err != nil {
			return 0, 0, 0, err
		}
		into, intoCols = pgx.Identifier{"pg_temp", copyTable}, append([]string{copyOrd}, cols...)
	}
	src := &copySource{enc: enc, next: next, progress: progress, row: make([]any, len(intoCols)), ord: !direct}
	used, err := withPgx(ctx, func(c *pgx.Conn) error {
		_, err := c.CopyFrom(ctx, into, intoCols, src)
		return err
	})
	if err == nil && !used {
		err = errors.New("the import's transaction has no connection of its own to COPY on")
	}
	// The source's own error is the one to report: a bad row (named by file,
	// row and column) or the caller's, as it is. pgx may wrap it or report
	// the aborted COPY instead.
	if src.err != nil {
		return src.total, 0, 0, src.err
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return src.total, 0, 0, fmt.Errorf("copy into %s: %w", table, ctxErr)
		}
		return src.total, 0, 0, fmt.Errorf("copy into %s: %w", table, err)
	}
	total = src.total
	if direct {
		if _, err := exec("analyze "+table, "ANALYZE "+quote(table)); err != nil {
			return total, 0, 0, err
		}
		if progress != nil && total%1000 != 0 {
			progress(total)
		}
		return total, total, 0, nil
	}

	res, err := exec("insert into "+table, fmt.Sprintf(
		`INSERT INTO %s (%s) SELECT %s FROM %s ORDER BY %s ON CONFLICT ("respondent_id") DO NOTHING`,
		quote(table), list, list, quote(copyTable), quote(copyOrd)))
	if err != nil {
		return total, 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return total, 0, 0, fmt.Errorf("insert into %s: %w", table, err)
	}
	added = int(n)
	// Fresh statistics, in the same transaction: without them PostgreSQL
	// plans the queries that follow an import (classifying its comments,
	// the first reports) as if the table were as small as before, and a
	// join that should take milliseconds takes a third of a second a batch.
	// ANALYZE counts this transaction's own rows and reads a sample of at
	// most 30,000 rows, so it costs well under a second at any size.
	if added > 0 {
		if _, err := exec("analyze "+table, "ANALYZE "+quote(table)); err != nil {
			return total, 0, 0, err
		}
	}
	if progress != nil && total%1000 != 0 {
		progress(total)
	}
	if added == total || len(cols) <= coreCount {
		return total, added, 0, nil
	}
	changed, err = countCopiedChanged(ctx, pool, table, cols)
	return total, added, changed, err
}

// countCopiedChanged counts the copied rows that repeat a stored respondent
// with different answers or dimension values, as the SQLite path's
// countChanged does: each copied row with a respondent id is compared with
// the row stored for that id. A row this import stored compares equal to
// itself; a skipped one compares with the answers kept.
func countCopiedChanged(ctx context.Context, pool gorm.ConnPool, table string, cols []string) (int, error) {
	var differs []string
	for _, c := range cols[coreCount:] {
		differs = append(differs, fmt.Sprintf("t.%s IS DISTINCT FROM r.%s", quote(c), quote(c)))
	}
	q := fmt.Sprintf(`SELECT count(*) FROM %s t JOIN %s r ON r."respondent_id" = t."respondent_id" WHERE %s`,
		quote(copyTable), quote(table), strings.Join(differs, " OR "))
	var n int
	if err := pool.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("compare repeated respondents with %s: %w", table, err)
	}
	return n, nil
}

// copySource feeds COPY one response at a time, so an import's memory stays
// flat however long the file. pgx calls it from a goroutine of its own
// while the import waits for the COPY to finish.
type copySource struct {
	enc      *encoder
	next     func() (analytics.Response, error)
	progress func(int)
	row      []any // the file position (when ord), then the row's values in column order
	ord      bool
	total    int
	err      error
}

func (c *copySource) Next() bool {
	r, err := c.next()
	if errors.Is(err, io.EOF) {
		return false
	}
	if err != nil {
		c.err = sourceError{err}
		return false
	}
	vals := c.row
	if c.ord {
		c.row[0] = int64(c.total)
		vals = c.row[1:]
	}
	if err := c.enc.encode(vals, r); err != nil {
		c.err = err
		return false
	}
	c.total++
	if c.progress != nil && c.total%1000 == 0 {
		c.progress(c.total)
	}
	return true
}

func (c *copySource) Values() ([]any, error) { return c.row, nil }

func (c *copySource) Err() error { return c.err }
