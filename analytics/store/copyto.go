package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// CopyTo (heard migrate-to) copies a whole heard database into another one,
// typically a council's SQLite file into a new PostgreSQL database. The
// target must have been opened with Open, so that its migrations are
// applied, and must be empty. The copy is one transaction on the target:
// it either holds the whole copy, every count checked, or nothing at all,
// so a failed or interrupted copy can simply be run again.

// AuditDatabaseCopy is the audit log's action for a database copied to
// another with `heard migrate-to`; it is recorded in the source.
const AuditDatabaseCopy analytics.AuditAction = "database-copy"

// ErrTargetNotEmpty is returned when the database a copy would go into
// already holds data.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// ErrNotHeard is returned when a file given as a heard database is not one.
var ErrNotHeard = errors.New("not a heard database")

// ErrCountMismatch is returned when a copy's row counts differ from the
// source's.
var ErrCountMismatch = errors.New("the copy's row counts differ from the source's")

// ImportRowCount is how many rows of one import a response table holds in
// the source and in the target.
type ImportRowCount struct {
	ImportID int64 `json:"import_id"`
	Source   int64 `json:"source"`
	Target   int64 `json:"target"`
}

// TableCount is how many rows one table holds in the source and in the
// target after the copy; for a response table, also per import.
type TableCount struct {
	Table    string           `json:"table"`
	Source   int64            `json:"source"`
	Target   int64            `json:"target"`
	ByImport []ImportRowCount `json:"by_import,omitempty"`
}

// CopyResult is what a copy did: every table's counts, in the order the
// tables were copied, the rows copied, and each count that differs.
type CopyResult struct {
	Tables     []TableCount `json:"tables"`
	Rows       int64        `json:"rows"`
	Mismatches []string     `json:"mismatches,omitempty"`
}

// CopyProgress is told, after each batch, which table is being copied and
// how many rows of all tables have been copied out of how many.
type CopyProgress func(table string, done, total int64)

// copyBatchRows is the most rows one INSERT of the copy carries; wide
// tables carry fewer, to stay under maxVariables values a statement.
const copyBatchRows = 500

// notCopied are the tables each database keeps for itself: the target's
// schema_migrations were written when it was opened.
var notCopied = []string{"schema_migrations"}

// responseTableName matches the name of a survey's response table.
var responseTableName = regexp.MustCompile(`^responses_([0-9]+)$`)

// OpenExisting opens the heard database file at path as Open does, but
// first makes sure it is one: a file that does not exist, is not SQLite,
// or is SQLite without heard's schema is refused with ErrNotHeard and left
// as it was (Open would create a missing file, or add heard's tables to
// another program's database). It is for reading a database whole, as
// `heard migrate-to --from` does.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	if err := checkHeardFile(ctx, path); err != nil {
		return nil, err
	}
	return Open(ctx, path)
}

// checkHeardFile refuses a file that is not a heard SQLite database,
// reading it only.
func checkHeardFile(ctx context.Context, path string) error {
	notHeard := func(why string) error {
		return fmt.Errorf("%s is %w: %s; give the database file heard serve uses (its --db or HEARD_DB)", path, ErrNotHeard, why)
	}
	f, err := os.Open(path)
	if err != nil {
		return notHeard(fmt.Sprintf("heard cannot open it (%v)", err))
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || string(head) != "SQLite format 3\x00" {
		return notHeard("it is not an SQLite database file")
	}
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite3", "file:"+escaped+"?mode=ro")
	if err != nil {
		return openError(path, err)
	}
	defer db.Close()
	var name string
	err = db.QueryRowContext(ctx, "SELECT name FROM schema_migrations WHERE version = 1").Scan(&name)
	if err != nil || name != "init" {
		return notHeard("it is an SQLite database, but without heard's tables")
	}
	return nil
}

// CopyTo copies every table of s into dst, which must be an empty heard
// database opened with Open, keeping every row's id, and checks that each
// table (and each import of each response table) holds as many rows in
// dst as in s. Tables are found in s's own catalogue, so a table added by
// a later migration is copied without a change here; a table dst lacks is
// refused. Static tables go first, parents before the tables whose foreign
// keys point at them, then each survey's response table, created in dst by
// the store's own DDL so that its column types are dst's dialect's.
//
// The copy is one transaction on dst: on any failure, a count that
// differs included, dst is left as it was. s is read in one transaction
// too, holding its writer, so that the copy is of one moment and nothing
// written meanwhile can be left out unnoticed: writers wait, and time out
// after a minute. progress, if not nil, is told how far the copy is.
func (s *Store) CopyTo(ctx context.Context, dst *Store, progress CopyProgress) (CopyResult, error) {
	if sameDatabase(s, dst) {
		return CopyResult{}, fmt.Errorf("copy %s: the source and the target are the same database", s.path)
	}
	var res CopyResult
	err := dst.writeTx(ctx, func(to *gorm.DB) error {
		if err := s.lockWriter(ctx); err != nil {
			return err
		}
		defer s.unlockWriter()
		return s.db.WithContext(ctx).Transaction(func(from *gorm.DB) error {
			if err := readOneMoment(from); err != nil {
				return fmt.Errorf("read %s: %w", s.path, err)
			}
			c := &copier{ctx: ctx, from: from, to: to, src: s.path, dst: dst.path, progress: progress}
			var err error
			res, err = c.run()
			return err
		})
	})
	if err != nil {
		return res, err
	}
	// The counts were checked inside the transaction; check them again as
	// committed, through a new read of dst.
	return res, dst.recheck(ctx, &res)
}

// sameDatabase reports whether a and b are one database: the same Store,
// or the same SQLite file by two names.
func sameDatabase(a, b *Store) bool {
	if a == b || a.path == b.path {
		return true
	}
	ia, errA := os.Stat(a.path)
	ib, errB := os.Stat(b.path)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	pa, errA := filepath.Abs(a.path)
	pb, errB := filepath.Abs(b.path)
	return errA == nil && errB == nil && pa == pb
}

// copier is one copy in progress: the source's and target's transactions.
type copier struct {
	ctx      context.Context
	from, to *gorm.DB
	src, dst string
	progress CopyProgress
	done     int64
	total    int64
}

// run copies and checks; it returns the counts, with every mismatch.
func (c *copier) run() (CopyResult, error) {
	static, responses, err := c.sourceTables()
	if err != nil {
		return CopyResult{}, err
	}
	if err := c.checkTarget(static); err != nil {
		return CopyResult{}, err
	}
	order, err := foreignKeyOrder(c.ctx, c.from, static)
	if err != nil {
		return CopyResult{}, fmt.Errorf("read %s: %w", c.src, err)
	}
	all := slices.Concat(order, responses)
	var res CopyResult
	for _, t := range all {
		tc, err := countRows(c.ctx, c.from, t)
		if err != nil {
			return CopyResult{}, fmt.Errorf("read %s: %w", c.src, err)
		}
		res.Tables = append(res.Tables, tc)
		c.total += tc.Source
	}
	for _, t := range order {
		if err := c.copyTable(t); err != nil {
			return CopyResult{}, err
		}
	}
	for _, t := range responses {
		if err := c.createResponseTable(t); err != nil {
			return CopyResult{}, err
		}
		if err := c.copyTable(t); err != nil {
			return CopyResult{}, err
		}
	}
	res.Rows = c.done
	if err := compareCounts(c.ctx, c.to, &res); err != nil {
		return res, fmt.Errorf("check the copy in %s: %w", c.dst, err)
	}
	if len(res.Mismatches) > 0 {
		return res, fmt.Errorf("%w, so the copy was undone and %s is left empty: %s", ErrCountMismatch, c.dst,
			strings.Join(res.Mismatches, "; "))
	}
	return res, nil
}

// sourceTables lists the source's tables to copy: the static ones, and
// the survey response tables in order of survey id.
func (c *copier) sourceTables() (static, responses []string, err error) {
	names, err := c.from.Migrator().GetTables()
	if err != nil {
		return nil, nil, fmt.Errorf("list the tables of %s: %w", c.src, err)
	}
	var ids []int64
	for _, name := range names {
		switch {
		case strings.HasPrefix(name, "sqlite_") || slices.Contains(notCopied, name):
		case responseTableName.MatchString(name):
			id, err := strconv.ParseInt(responseTableName.FindStringSubmatch(name)[1], 10, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: table %s: %w", c.src, name, err)
			}
			ids = append(ids, id)
		default:
			static = append(static, name)
		}
	}
	slices.Sort(static)
	slices.Sort(ids)
	for _, id := range ids {
		responses = append(responses, responseTable(id))
	}
	return static, responses, nil
}

// checkTarget refuses a target that lacks one of the source's tables, or
// holds any row in one of them, or any survey's responses.
func (c *copier) checkTarget(static []string) error {
	have, err := c.to.Migrator().GetTables()
	if err != nil {
		return fmt.Errorf("list the tables of %s: %w", c.dst, err)
	}
	for _, name := range have {
		if responseTableName.MatchString(name) {
			return fmt.Errorf("%w: %s holds survey responses (table %s); heard copies only into a new, empty database",
				ErrTargetNotEmpty, c.dst, name)
		}
	}
	for _, t := range static {
		if !slices.Contains(have, t) {
			return fmt.Errorf("%s has no table %s, which %s has: open it with the same version of heard as the source (or a newer one) "+
				"so that its migrations are applied, then copy again", c.dst, t, c.src)
		}
	}
	var held []string
	for _, t := range static {
		var n int64
		if err := c.to.Raw("SELECT COUNT(*) FROM " + quote(t)).Scan(&n).Error; err != nil {
			return fmt.Errorf("count the rows of %s in %s: %w", t, c.dst, err)
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%d in %s", n, t))
		}
	}
	if len(held) > 0 {
		hint := ""
		if slices.ContainsFunc(held, func(s string) bool { return strings.HasSuffix(s, " in users") }) {
			hint = " (heard serve creates the first admin account when it starts on an empty database: copy before starting it)"
		}
		return fmt.Errorf("%w: %s holds rows (%s)%s; heard copies only into a new, empty database, "+
			"so that no row of the copy can clash with one already there", ErrTargetNotEmpty, c.dst, strings.Join(held, ", "), hint)
	}
	return nil
}

// createResponseTable creates a survey's response table in the target
// from the survey's questions and dimensions, already copied, and checks
// that it has the source table's columns.
func (c *copier) createResponseTable(table string) error {
	id, _ := strconv.ParseInt(responseTableName.FindStringSubmatch(table)[1], 10, 64)
	qs, ds, err := loadQuestions(c.ctx, c.to, id)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	created, err := ensureResponseTable(c.ctx, c.to, c.src, id, qs, ds)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	// A new response table comes without its indexes, which an import
	// builds after its load; the copy builds them now, on the empty table.
	if created {
		if _, _, err := indexNewTable(c.ctx, c.to, id, nil); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
	}
	want, err := tableColumns(c.ctx, c.from, table)
	if err != nil {
		return err
	}
	got, err := tableColumns(c.ctx, c.to, table)
	if err != nil {
		return err
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return fmt.Errorf("copy %s: in %s it has the columns %s, but survey %d's questions and dimensions make %s; "+
			"the source does not hold together (run heard backup --check on it)",
			table, c.src, strings.Join(want, ", "), id, strings.Join(got, ", "))
	}
	return nil
}

// copyTable copies every row of table, in batches of multi-row INSERTs
// naming the source's columns, so that the column order of the two
// databases need not agree.
func (c *copier) copyTable(table string) error {
	cols, err := tableColumns(c.ctx, c.from, table)
	if err != nil {
		return err
	}
	have, err := tableColumns(c.ctx, c.to, table)
	if err != nil {
		return err
	}
	for _, col := range cols {
		if !slices.Contains(have, col) {
			return fmt.Errorf("copy %s: %s has no column %s, which %s has: open it with the same version of heard as the source",
				table, c.dst, col, c.src)
		}
	}
	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = quote(col)
	}
	rows, err := c.from.Statement.ConnPool.QueryContext(c.ctx, "SELECT "+strings.Join(quoted, ", ")+" FROM "+quote(table))
	if err != nil {
		return fmt.Errorf("read %s from %s: %w", table, c.src, err)
	}
	defer rows.Close()
	per := max(1, min(copyBatchRows, maxVariables/len(cols)))
	vals := make([]any, per*len(cols))
	ptrs := make([]any, len(cols))
	var full *sql.Stmt
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		var err error
		if n == per {
			if full == nil {
				full, err = c.to.Statement.ConnPool.PrepareContext(c.ctx, c.insertSQL(table, quoted, per))
				if err != nil {
					return fmt.Errorf("copy %s into %s: %w", table, c.dst, err)
				}
			}
			_, err = full.ExecContext(c.ctx, vals...)
		} else {
			_, err = c.to.Statement.ConnPool.ExecContext(c.ctx, c.insertSQL(table, quoted, n), vals[:n*len(cols)]...)
		}
		if err != nil {
			if ctxErr := c.ctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return fmt.Errorf("copy %s into %s: %w", table, c.dst, err)
		}
		c.done += int64(n)
		n = 0
		if c.progress != nil {
			c.progress(table, c.done, c.total)
		}
		return nil
	}
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for rows.Next() {
		row := vals[n*len(cols) : (n+1)*len(cols)]
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s from %s: %w", table, c.src, err)
		}
		n++
		if n == per {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s from %s: %w", table, c.src, err)
	}
	if err := flush(); err != nil {
		return err
	}
	if slices.Contains(cols, "id") {
		if err := advanceIDSequence(c.ctx, c.to, table); err != nil {
			return fmt.Errorf("copy %s into %s: %w", table, c.dst, err)
		}
	}
	return nil
}

// insertSQL is an INSERT of rows rows of cols into table, with the
// target's own placeholders (? for SQLite, $1... for PostgreSQL).
func (c *copier) insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	stmt := &gorm.Statement{DB: c.to}
	b.WriteString("INSERT INTO " + quote(table) + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for i := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			stmt.Vars = append(stmt.Vars, nil)
			c.to.Dialector.BindVarTo(&b, stmt, nil)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// countRows counts table's rows in db (as the source): for a response
// table, per import too.
func countRows(ctx context.Context, db *gorm.DB, table string) (TableCount, error) {
	tc := TableCount{Table: table}
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM " + quote(table)).Scan(&tc.Source).Error; err != nil {
		return tc, fmt.Errorf("count the rows of %s: %w", table, err)
	}
	if responseTableName.MatchString(table) {
		byImport, err := countByImport(ctx, db, table)
		if err != nil {
			return tc, err
		}
		for _, id := range sortedKeys(byImport) {
			tc.ByImport = append(tc.ByImport, ImportRowCount{ImportID: id, Source: byImport[id]})
		}
	}
	return tc, nil
}

// countByImport counts a response table's rows per import.
func countByImport(ctx context.Context, db *gorm.DB, table string) (map[int64]int64, error) {
	var got []struct {
		ImportID int64
		N        int64
	}
	err := db.WithContext(ctx).Raw("SELECT import_id, COUNT(*) AS n FROM " + quote(table) + " GROUP BY import_id").Scan(&got).Error
	if err != nil {
		return nil, fmt.Errorf("count the rows of %s by import: %w", table, err)
	}
	out := make(map[int64]int64, len(got))
	for _, g := range got {
		out[g.ImportID] = g.N
	}
	return out, nil
}

// compareCounts fills in the target's counts of res from db and lists
// every one that differs from the source's in res.Mismatches.
func compareCounts(ctx context.Context, db *gorm.DB, res *CopyResult) error {
	res.Mismatches = nil
	for i := range res.Tables {
		tc := &res.Tables[i]
		if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM " + quote(tc.Table)).Scan(&tc.Target).Error; err != nil {
			return fmt.Errorf("count the rows of %s: %w", tc.Table, err)
		}
		if tc.Target != tc.Source {
			res.Mismatches = append(res.Mismatches, fmt.Sprintf("table %s has %d rows in the source and %d in the copy", tc.Table, tc.Source, tc.Target))
		}
		if !responseTableName.MatchString(tc.Table) {
			continue
		}
		got, err := countByImport(ctx, db, tc.Table)
		if err != nil {
			return err
		}
		for j := range tc.ByImport {
			ic := &tc.ByImport[j]
			ic.Target = got[ic.ImportID]
			delete(got, ic.ImportID)
			if ic.Target != ic.Source {
				res.Mismatches = append(res.Mismatches, fmt.Sprintf("table %s has %d rows of import %d in the source and %d in the copy",
					tc.Table, ic.Source, ic.ImportID, ic.Target))
			}
		}
		for _, id := range sortedKeys(got) {
			tc.ByImport = append(tc.ByImport, ImportRowCount{ImportID: id, Target: got[id]})
			res.Mismatches = append(res.Mismatches, fmt.Sprintf("table %s has no rows of import %d in the source but %d in the copy",
				tc.Table, id, got[id]))
		}
	}
	return nil
}

// recheck counts the committed copy again, through a new read of s.
func (s *Store) recheck(ctx context.Context, res *CopyResult) error {
	if err := compareCounts(ctx, s.db, res); err != nil {
		return fmt.Errorf("check the copy in %s: %w", s.path, err)
	}
	if len(res.Mismatches) > 0 {
		return fmt.Errorf("%w once committed to %s (delete that database and copy again): %s", ErrCountMismatch, s.path,
			strings.Join(res.Mismatches, "; "))
	}
	return nil
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[int64]int64) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// foreignKeyOrder orders tables so that each comes after the tables its
// foreign keys point at, ties in name order. The foreign keys are read
// from db's catalogue.
func foreignKeyOrder(ctx context.Context, db *gorm.DB, tables []string) ([]string, error) {
	parents := make(map[string][]string, len(tables))
	for _, t := range tables {
		var refs []string
		if err := db.WithContext(ctx).Raw(foreignKeyQuery(db), t).Scan(&refs).Error; err != nil {
			return nil, fmt.Errorf("read the foreign keys of %s: %w", t, err)
		}
		for _, r := range refs {
			if r != t && slices.Contains(tables, r) {
				parents[t] = append(parents[t], r)
			}
		}
	}
	var order []string
	placed := make(map[string]bool, len(tables))
	for len(order) < len(tables) {
		progressed := false
		for _, t := range tables {
			if placed[t] {
				continue
			}
			ready := true
			for _, p := range parents[t] {
				ready = ready && placed[p]
			}
			if ready {
				order, placed[t], progressed = append(order, t), true, true
			}
		}
		if !progressed {
			var left []string
			for _, t := range tables {
				if !placed[t] {
					left = append(left, t)
				}
			}
			return nil, fmt.Errorf("the foreign keys of tables %s form a cycle, so heard cannot order the copy", strings.Join(left, ", "))
		}
	}
	return order, nil
}

// --- Dialect hooks -------------------------------------------------------
//
// The copy is portable SQL but for the three functions below, chosen by
// the name of gorm's dialect: "sqlite" or "postgres".

// copyOnPostgres reports whether db is a PostgreSQL database.
func copyOnPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// readOneMoment makes the source's transaction read one moment of the
// database. SQLite's transactions always do (and heard's take the write
// lock); PostgreSQL's default, READ COMMITTED, sees each statement's
// moment, so the copy asks for REPEATABLE READ, as its first statement.
func readOneMoment(tx *gorm.DB) error {
	if !copyOnPostgres(tx) {
		return nil
	}
	return tx.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").Error
}

// foreignKeyQuery lists the tables that a table's foreign keys point at,
// given the table's name as its one parameter.
func foreignKeyQuery(db *gorm.DB) string {
	if copyOnPostgres(db) {
		return `SELECT DISTINCT ref.relname FROM pg_constraint c
			JOIN pg_class tbl ON tbl.oid = c.conrelid
			JOIN pg_class ref ON ref.oid = c.confrelid
			WHERE c.contype = 'f' AND tbl.relname = ? AND tbl.relnamespace = current_schema()::regnamespace`
	}
	return `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`
}

// advanceIDSequence makes the next id the target gives a table follow the
// ids copied into it. SQLite's INTEGER PRIMARY KEY takes the largest id
// plus one by itself; a PostgreSQL identity (or serial) column draws from
// a sequence that copying explicit ids does not move, so it is set to the
// largest id (left alone when the table is empty or has no sequence).
func advanceIDSequence(ctx context.Context, tx *gorm.DB, table string) error {
	if !copyOnPostgres(tx) {
		return nil
	}
	return tx.WithContext(ctx).Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), MAX(id)) FROM "+quote(table), quote(table)).Error
}
