package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// Each survey's responses live in one wide table, responses_<survey id>,
// with one column per question (q<question id>) and per dimension
// (d<dimension id>). Identifiers are made from ids, never from uploaded
// text. A wide table keeps imports and GROUP BY queries fast (a long
// answers table measured twice as slow to import and 3.5 times slower to
// aggregate).

// coreColumns returns the columns every response table starts with, in
// the order the insert binds them (id is assigned by the database).
func coreColumns() []string {
	return []string{"import_id", "respondent_id", "row_number", "submitted_at", "day", "month", "complete"}
}

// coreCount is len(coreColumns()).
const coreCount = 7

// maxColumns is SQLite's default limit on the columns of a table.
const maxColumns = 2000

// responseTable names a survey's response table.
func responseTable(surveyID int64) string { return "responses_" + strconv.FormatInt(surveyID, 10) }

// questionColumn names a question's column.
func questionColumn(id int64) string { return "q" + strconv.FormatInt(id, 10) }

// dimensionColumn names a dimension's column.
func dimensionColumn(id int64) string { return "d" + strconv.FormatInt(id, 10) }

// quote quotes a generated identifier.
func quote(name string) string { return `"` + name + `"` }

// columnType is the SQL type of a question's column: an option position
// for scale and single questions, ";0;3;" for multi, text for text and
// dates, a number for numbers. It is "" for an unknown kind.
func columnType(k analytics.Kind) string {
	switch k {
	case analytics.KindScale, analytics.KindSingle:
		return "INTEGER"
	case analytics.KindMulti, analytics.KindText, analytics.KindDate:
		return "TEXT"
	case analytics.KindNumber:
		return "DOUBLE PRECISION"
	}
	return ""
}

// wantedColumns lists a survey's question and dimension columns with their
// types.
func wantedColumns(qs []analytics.Question, ds []analytics.Dimension) (names, types []string) {
	for _, q := range qs {
		names, types = append(names, questionColumn(q.ID)), append(types, columnType(q.Kind))
	}
	for _, d := range ds {
		names, types = append(names, dimensionColumn(d.ID)), append(types, "TEXT")
	}
	return names, types
}

// ensureResponseTable creates a survey's response table, or adds the
// columns it lacks for questions and dimensions new in this import. It
// reports whether it created the table: a new table is created without
// its indexes, which the caller builds with createResponseIndexes once the
// rows are in (see storeRows).
func ensureResponseTable(ctx context.Context, tx *gorm.DB, file string, surveyID int64,
	qs []analytics.Question, ds []analytics.Dimension) (created bool, err error) {
	table := responseTable(surveyID)
	names, types := wantedColumns(qs, ds)
	if n := coreCount + 1 + len(names); n > maxColumns {
		return false, &analytics.ImportError{File: file, Message: fmt.Sprintf("this survey would have %d questions and "+
			"dimensions, more than heard can hold (%d): mark the columns you do not need as ignored",
			len(names), maxColumns-coreCount-1)}
	}
	exec := func(sql string) error {
		if _, err := tx.Statement.ConnPool.ExecContext(ctx, sql); err != nil {
			return fmt.Errorf("response table of survey %d: %w", surveyID, err)
		}
		return nil
	}
	if !tx.Migrator().HasTable(table) {
		var b strings.Builder
		fmt.Fprintf(&b, `CREATE TABLE %s (
			%s,
			respondent_id TEXT,
			row_number INTEGER,
			submitted_at TEXT,
			day TEXT,
			month TEXT,
			complete INTEGER NOT NULL`, quote(table), responseKeyColumns(tx))
		for i, name := range names {
			fmt.Fprintf(&b, ",\n\t\t\t%s %s", quote(name), types[i])
		}
		b.WriteString(")")
		if err := exec(b.String()); err != nil {
			return false, err
		}
		return true, nil
	}
	have, err := tableColumns(ctx, tx, table)
	if err != nil {
		return false, err
	}
	for i, name := range names {
		if !slices.Contains(have, name) {
			if err := exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quote(table), quote(name), types[i])); err != nil {
				return false, err
			}
		}
	}
	return false, nil
}

// indexNewTable builds the indexes of a response table that its survey's
// first import has just filled: the unique index of respondent ids, then
// those of import_id, day and month. One sort per index costs a fraction
// of updating each index row by row in the file's order, which for
// respondent ids and dates is often random (a 1,000,000-row file in date
// order, so in random respondent order: about 4 s less CPU of 19 without
// the unique index during the load).
//
// Rows were appended without skipping repeated respondents, so that a
// file whose respondents are all different, the common case, needs no
// more. Otherwise the unique index fails to build, and the repeats are
// removed first with the rule an import follows row by row: the first row
// of a respondent is kept, a later one is skipped, and a skipped one that
// differs from the first in an answer or dimension value is counted as
// changed. It returns how many rows it removed and how many of those
// differed.
func indexNewTable(ctx context.Context, tx *gorm.DB, surveyID int64, cols []string) (removed, changed int, err error) {
	table := responseTable(surveyID)
	db := tx.Statement.ConnPool
	fail := func(err error) (int, int, error) {
		return 0, 0, fmt.Errorf("index the response table of survey %d: %w", surveyID, err)
	}
	// The sorts that build the indexes spill to temporary files beyond the
	// page cache's size instead of holding every key in memory, as they
	// would with the import's temp_store = MEMORY (see importPragmas), and
	// the cache goes back to its default size, which bounds the memory of
	// each sort. The write transaction keeps its statement journals in
	// memory: that was decided when it began.
	// (SQLite's settings; PostgreSQL has no such PRAGMAs and sorts in its
	// own work memory.)
	pg := onPostgresDB(tx)
	if !pg {
		for _, sql := range []string{"PRAGMA temp_store = DEFAULT", fmt.Sprintf("PRAGMA cache_size = -%d", defaultCacheKiB)} {
			if _, err := db.ExecContext(ctx, sql); err != nil {
				return fail(err)
			}
		}
	}
	// On PostgreSQL the table's keys come now (see responseKeyColumns), the
	// primary key first, which removing repeats looks rows up by. A failed
	// statement spoils the whole transaction unless it ran inside a
	// savepoint, which a failed unique index rolls back to.
	if pg {
		for _, sql := range []string{fmt.Sprintf("ALTER TABLE %s ADD PRIMARY KEY (id)", quote(table)), "SAVEPOINT heard_unique"} {
			if _, err := db.ExecContext(ctx, sql); err != nil {
				return fail(err)
			}
		}
	}
	unique := fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s)", quote(table+"_respondent_id"), quote(table), quote("respondent_id"))
	if _, err := db.ExecContext(ctx, unique); err != nil {
		if !isUniqueViolation(err) {
			return fail(err)
		}
		if pg {
			if _, err := db.ExecContext(ctx, "ROLLBACK TO SAVEPOINT heard_unique"); err != nil {
				return fail(err)
			}
		}
		if removed, changed, err = removeRepeats(ctx, db, table, cols, pg); err != nil {
			return fail(err)
		}
		if _, err := db.ExecContext(ctx, unique); err != nil {
			return fail(err)
		}
	}
	for _, col := range []string{"import_id", "day", "month"} {
		sql := fmt.Sprintf("CREATE INDEX %s ON %s (%s)", quote(table+"_"+col), quote(table), quote(col))
		if _, err := db.ExecContext(ctx, sql); err != nil {
			return fail(err)
		}
	}
	if pg {
		sql := fmt.Sprintf("ALTER TABLE %s ADD FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE", quote(table))
		if _, err := db.ExecContext(ctx, sql); err != nil {
			return fail(err)
		}
	}
	return removed, changed, nil
}

// isUniqueViolation reports whether err is SQLite's UNIQUE constraint error,
// or PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && sqlErr.ExtendedCode == sqlite3.ErrConstraintUnique {
		return true
	}
	return pgCode(err) == pgUniqueViolation
}

// removeRepeats deletes every row of a respondent but the first (the one
// with the smallest id, which is the first in the file) and counts the
// deleted rows whose question or dimension values (cols) differ from the
// first's.
func removeRepeats(ctx context.Context, db gorm.ConnPool, table string, cols []string, pg bool) (removed, changed int, err error) {
	firsts, create, isNot := "temp.heard_first_rows", " (respondent_id TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID", "IS NOT"
	if pg {
		// PostgreSQL's temporary table and null-safe comparison.
		firsts, create, isNot = "heard_first_rows", " (respondent_id TEXT PRIMARY KEY, id BIGINT NOT NULL)", "IS DISTINCT FROM"
	}
	steps := []string{
		"CREATE TEMP TABLE heard_first_rows" + create,
		"INSERT INTO " + firsts + " SELECT respondent_id, MIN(id) FROM " + quote(table) +
			" WHERE respondent_id IS NOT NULL GROUP BY respondent_id HAVING COUNT(*) > 1",
	}
	for _, sql := range steps {
		if _, err := db.ExecContext(ctx, sql); err != nil {
			return 0, 0, err
		}
	}
	var differs strings.Builder
	differs.WriteString("false")
	for _, c := range cols {
		fmt.Fprintf(&differs, " OR r.%s %s k.%s", quote(c), isNot, quote(c))
	}
	repeats := " FROM " + quote(table) + " AS r JOIN " + firsts + " AS f ON f.respondent_id = r.respondent_id AND r.id <> f.id"
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*)"+repeats+" JOIN "+quote(table)+" AS k ON k.id = f.id WHERE "+
		differs.String()).Scan(&changed); err != nil {
		return 0, 0, err
	}
	res, err := db.ExecContext(ctx, "DELETE FROM "+quote(table)+" WHERE id IN (SELECT r.id"+repeats+")")
	if err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE "+firsts); err != nil {
		return 0, 0, err
	}
	return int(n), changed, nil
}

// tableColumns lists a table's columns in a way every SQL database allows.
func tableColumns(ctx context.Context, tx *gorm.DB, table string) ([]string, error) {
	rows, err := tx.Statement.ConnPool.QueryContext(ctx, "SELECT * FROM "+quote(table)+" LIMIT 0")
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", table, err)
	}
	return cols, rows.Close()
}

// encoder turns responses into the values of one row of a response table,
// in the order of the insert's columns.
type encoder struct {
	importID  int64
	london    *time.Location
	kinds     []analytics.Kind
	optionPos [][]int
	dims      int
	scratch   []int
}

// width is the number of values in one row.
func (e *encoder) width() int { return coreCount + len(e.kinds) + e.dims }

// encode writes the values of r into dst, which has width() elements.
func (e *encoder) encode(dst []any, r analytics.Response) error {
	if len(r.Answers) != len(e.kinds) || len(r.Dimensions) != e.dims {
		return fmt.Errorf("row %d: %d answers and %d dimension values, but the mapping has %d questions and %d dimensions",
			r.Row, len(r.Answers), len(r.Dimensions), len(e.kinds), e.dims)
	}
	dst[0], dst[1], dst[2] = e.importID, nullText(r.RespondentID), r.Row
	dst[3], dst[4], dst[5] = nil, nil, nil
	if !r.Submitted.IsZero() {
		local := r.Submitted.In(e.london)
		dst[3], dst[4], dst[5] = formatTime(r.Submitted), local.Format("2006-01-02"), local.Format("2006-01")
	}
	dst[6] = 0
	if r.Complete {
		dst[6] = 1
	}
	vals := dst[coreCount:]
	for i, a := range r.Answers {
		v, err := e.answer(i, a)
		if err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		vals[i] = v
	}
	for i, d := range r.Dimensions {
		vals[len(e.kinds)+i] = nullText(d)
	}
	return nil
}

// answer is the stored value of an answer to the request's question i.
func (e *encoder) answer(i int, a analytics.Answer) (any, error) {
	switch e.kinds[i] {
	case analytics.KindScale, analytics.KindSingle:
		if a.Option == -1 {
			return nil, nil
		}
		return e.position(i, a.Option)
	case analytics.KindMulti:
		e.scratch = e.scratch[:0]
		for _, o := range a.Options {
			p, err := e.position(i, o)
			if err != nil {
				return nil, err
			}
			e.scratch = append(e.scratch, p)
		}
		if len(e.scratch) == 0 {
			return nil, nil
		}
		slices.Sort(e.scratch)
		var b strings.Builder
		b.WriteByte(';')
		for _, p := range slices.Compact(e.scratch) {
			b.WriteString(strconv.Itoa(p))
			b.WriteByte(';')
		}
		return b.String(), nil
	case analytics.KindNumber:
		if !a.HasNumber {
			return nil, nil
		}
		return a.Number, nil
	default:
		return nullText(a.Text), nil
	}
}

// position translates option index o of the request's question i to its
// stored position.
func (e *encoder) position(i, o int) (int, error) {
	if o < 0 || o >= len(e.optionPos[i]) {
		return 0, fmt.Errorf("answer %d of question %d is option %d, but the question has %d options",
			i+1, i+1, o, len(e.optionPos[i]))
	}
	return e.optionPos[i][o], nil
}

// nullText stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
