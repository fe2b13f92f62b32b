package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// ErrAlreadyImported is what an *AlreadyImportedError unwraps to.
var ErrAlreadyImported = errors.New("file already imported")

// AlreadyImportedError says that a file with the same content (sha256) was
// imported before, and where.
type AlreadyImportedError struct {
	// Survey is the name of the survey the earlier import went into.
	Survey string
	// Import is the earlier import.
	Import analytics.Import
	// london is the time zone the message gives the time in.
	london *time.Location
}

// Error says which earlier import holds the file, in plain English.
func (e *AlreadyImportedError) Error() string {
	at := e.Import.At.UTC().Format("2 January 2006 at 15:04 UTC")
	if e.london != nil {
		at = e.Import.At.In(e.london).Format("2 January 2006 at 15:04")
	}
	by := ""
	if e.Import.By != "" {
		by = " by " + e.Import.By
	}
	return fmt.Sprintf("this file was already imported: it is identical to %q, imported into survey %q on %s%s "+
		"(import %d), so nothing has been changed; to add newer responses, export them again and import the new file",
		e.Import.File, e.Survey, at, by, e.Import.ID)
}

// Unwrap makes errors.Is(err, ErrAlreadyImported) true.
func (e *AlreadyImportedError) Unwrap() error { return ErrAlreadyImported }

// ImportRequest is one file to store.
type ImportRequest struct {
	// Survey is the survey's name; the survey is created on first use.
	Survey string
	// Import describes the file: File, SHA256, Format, Sheet, RowsRead, By
	// (and Rejected, when rows were rejected) are set by the caller.
	Import analytics.Import
	// Mapping is this file's mapping. Each response's Answers and
	// Dimensions follow the order of its Questions and Dimensions.
	Mapping analytics.Mapping
	// Remap, when not nil, decides the file's mapping inside the import's
	// transaction, from the survey's saved mapping as it is there (nil for
	// a new survey), and replaces Mapping. Two first imports of one survey
	// running at once then agree: the second is matched against the
	// first's mapping instead of racing it.
	Remap func(saved *analytics.Mapping) (analytics.Mapping, error)
	// KeepPersonal, when the survey is created by this import, records
	// (and audits, as by KeepPersonalBy) that it keeps personal data: see
	// SetKeepPersonal. It changes nothing for a survey that exists.
	KeepPersonal   bool
	KeepPersonalBy analytics.Actor
	// Member, when not 0, is the account importing under the survey
	// membership rule: it becomes the first member of a survey this import
	// creates, and an import into a survey it is not a member of is refused
	// with ErrNotMember. Checked and claimed under the write lock, so that
	// concurrent first uploads of one new survey agree. 0 skips the rule
	// (admins, the command line).
	Member   int64
	MemberBy analytics.Actor
}

// ImportFile stores one file in one transaction: nothing of it is visible
// before the commit, and a failure or a killed process leaves nothing.
//
// It refuses a file imported before (an *AlreadyImportedError); creates the
// survey if needed; merges the file's mapping into the survey's (questions
// and dimensions matched by code, options by label, new ones appended) and
// extends the survey's response table; then stores every response next
// returns until io.EOF. A response whose RespondentID is already stored in
// the survey (from an earlier file or earlier in this one) is counted as a
// duplicate and skipped; responses without a RespondentID are all added.
// An error from next aborts the import and is returned as it is.
//
// progress, when not nil, is called about every 1,000 rows with the
// number of responses stored so far. The returned Import has its ID,
// SurveyID, Added, Duplicates and At set.
func (s *Store) ImportFile(ctx context.Context, req ImportRequest, next func() (analytics.Response, error),
	progress func(done int)) (analytics.Import, error) {
	if next == nil {
		return analytics.Import{}, errors.New("import: no responses given")
	}
	if err := checkMapping(req.Mapping); err != nil && req.Remap == nil {
		return analytics.Import{}, fmt.Errorf("import %s: %w", req.Import.File, err)
	}
	if req.Import.SHA256 == "" {
		return analytics.Import{}, fmt.Errorf("import %s: the file's sha256 is missing", req.Import.File)
	}
	if err := s.lockWriter(ctx); err != nil {
		return analytics.Import{}, err
	}
	defer s.unlockWriter()
	var imp analytics.Import
	// One connection for the whole transaction: on SQLite it is set up for
	// the import (importPragmas); on PostgreSQL it lets the rows go in by
	// COPY inside the transaction (withPgx).
	err := s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		ctx := ctx
		if s.pg {
			ctx = pinConn(ctx, conn)
		} else {
			restore, err := importPragmas(ctx, conn)
			if err != nil {
				return err
			}
			defer restore()
		}
		return conn.Transaction(func(tx *gorm.DB) error {
			var err error
			imp, err = s.importFile(ctx, tx, req, next, progress)
			return err
		})
	})
	if err != nil {
		return analytics.Import{}, s.repeatFromConflict(ctx, err, req.Import.SHA256)
	}
	return imp, nil
}

// repeatFromConflict turns the failure of an import that lost a race for
// imports.sha256 (UNIQUE) into the answer a repeated file gets. The check
// in importFile is not what makes an import happen once: on SQLite the
// transaction holds the only write lock, so the check sees every other
// import, but on PostgreSQL two instances given the same file at once may
// both pass it; the second then waits at its INSERT into imports (or into
// surveys, for a new survey) until the first commits, and fails with a
// unique violation. The constraint decides; this only explains, after the
// loser's transaction has been rolled back. Any other error is returned as
// it is.
func (s *Store) repeatFromConflict(ctx context.Context, err error, sha string) error {
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		return err
	}
	earlier, survey, lookErr := s.importBySHA256(ctx, s.db, sha)
	if lookErr != nil {
		return err // another constraint: not a repeated file
	}
	return &AlreadyImportedError{Survey: survey, Import: earlier, london: s.london}
}

// sourceError marks an error from the caller's next, to be returned as it is.
type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }

// importFile is ImportFile inside its transaction.
func (s *Store) importFile(ctx context.Context, tx *gorm.DB, req ImportRequest,
	next func() (analytics.Response, error), progress func(int)) (analytics.Import, error) {
	fail := func(err error) (analytics.Import, error) {
		var src sourceError
		var imported *AlreadyImportedError
		var bad *analytics.ImportError
		switch {
		case errors.As(err, &src):
			return analytics.Import{}, src.err
		case errors.As(err, &imported), errors.As(err, &bad):
			return analytics.Import{}, err
		}
		return analytics.Import{}, fmt.Errorf("import %s into survey %q: %w", req.Import.File, req.Survey, err)
	}
	if err := s.advisoryLock(tx, "writer"); err != nil {
		return fail(err)
	}
	if err := s.refuseRepeat(ctx, tx, req.Import.SHA256); err != nil {
		return fail(err)
	}
	if err := remap(ctx, tx, &req); err != nil {
		return fail(err)
	}
	survey, created, err := surveyForImport(ctx, tx, req.Survey)
	if err != nil {
		return fail(err)
	}
	if err := checkMember(ctx, tx, survey, created, req.Member, req.MemberBy); err != nil {
		return fail(err)
	}
	if created && req.KeepPersonal {
		if err := setKeepPersonal(ctx, tx, survey, true, req.KeepPersonalBy); err != nil {
			return fail(err)
		}
	}
	p, err := placeMapping(ctx, tx, survey.ID, req.Import.File, req.Mapping)
	if err != nil {
		return fail(err)
	}
	if err := saveMapping(ctx, tx, survey, req.Mapping); err != nil {
		return fail(err)
	}
	newTable, err := ensureResponseTable(ctx, tx, req.Import.File, survey.ID, p.allQuestions, p.allDimensions)
	if err != nil {
		return fail(err)
	}
	imp, err := createImport(ctx, tx, survey.ID, req)
	if err != nil {
		return fail(err)
	}
	tally := newImportTally(p, s.london)
	if err := keepBreakdownsInUse(ctx, tx, tally, survey.ID); err != nil {
		return fail(err)
	}
	if err := s.storeRows(ctx, tx, &imp, p, tally.wrap(next), progress, newTable); err != nil {
		return fail(err)
	}
	if err := keepImportCounts(ctx, tx, tally, imp); err != nil {
		return fail(err)
	}
	return imp, nil
}

// importCacheKiB is the page cache of the import's connection, in KiB,
// while the rows are written: with SQLite's default 2 MB a large import
// writes pages out to the WAL and reads them back more often (1,000,000
// rows into an indexed table: 18.0 s of CPU with 2 MB, 16.8 s with 8 MB,
// 15.7 s with 32 MB). It is kept small because an import's memory must
// stay flat and well under 100 MB in all, and the process itself takes
// about 45 MB before it reads a file.
const importCacheKiB = 8 << 10

// defaultCacheKiB is SQLite's default page cache, which the pool's other
// connections keep.
const defaultCacheKiB = 2000

// importPragmas sets up the import's connection before its transaction
// begins: temporary files in memory, which keeps the statement journal of
// each multi-row INSERT out of a file (it spilled to one for most
// statements: half a gigabyte of writes for a 100,000-row import), and a
// larger page cache. The write transaction decides where its statement
// journals go when it begins, so indexNewTable can put temporary files
// back on disk for its sorts. restore puts the connection back as the
// pool's other connections are, or, if it cannot, has the pool close it;
// either way the import's own result stands.
func importPragmas(ctx context.Context, conn *gorm.DB) (restore func(), err error) {
	exec := func(ctx context.Context, sql string) error {
		if _, err := conn.Statement.ConnPool.ExecContext(ctx, sql); err != nil {
			return fmt.Errorf("set up the import's connection: %w", err)
		}
		return nil
	}
	if err := exec(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
		return nil, err
	}
	if err := exec(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
		return nil, err
	}
	return func() {
		// Restored even when the import was cancelled.
		ctx := context.WithoutCancel(ctx)
		err := errors.Join(exec(ctx, "PRAGMA temp_store = DEFAULT"),
			exec(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", defaultCacheKiB)))
		if c, ok := conn.Statement.ConnPool.(*sql.Conn); ok && err != nil {
			// A bad connection is closed instead of going back to the pool.
			_ = c.Raw(func(any) error { return driver.ErrBadConn })
		}
	}, nil
}

// refuseRepeat returns an *AlreadyImportedError when a file with this
// sha256 was imported before.
func (s *Store) refuseRepeat(ctx context.Context, tx *gorm.DB, sha string) error {
	earlier, survey, err := s.importBySHA256(ctx, tx, sha)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for an earlier import: %w", err)
	}
	return &AlreadyImportedError{Survey: survey, Import: earlier, london: s.london}
}

// ImportBySHA256 returns the import of the file whose content has this
// sha256, with the name of its survey, or ErrNotFound.
func (s *Store) ImportBySHA256(ctx context.Context, sha string) (analytics.Import, string, error) {
	return s.importBySHA256(ctx, s.db, sha)
}

func (s *Store) importBySHA256(ctx context.Context, db *gorm.DB, sha string) (analytics.Import, string, error) {
	rows, err := gorm.G[importRow](db).Omit("mapping_json").Where("sha256 = ?", sha).Limit(1).Find(ctx)
	if err != nil {
		return analytics.Import{}, "", fmt.Errorf("read imports: %w", err)
	}
	if len(rows) == 0 {
		return analytics.Import{}, "", fmt.Errorf("import of file %s: %w", sha, ErrNotFound)
	}
	imp := rows[0].importValue()
	survey, err := findSurvey(ctx, db, "id = ?", imp.SurveyID)
	if err != nil {
		return analytics.Import{}, "", fmt.Errorf("survey of import %d: %w", imp.ID, err)
	}
	return imp, survey.Name, nil
}

// createImport stores the imports row before the responses that refer to
// it; its counts are written at the end.
func createImport(ctx context.Context, tx *gorm.DB, surveyID int64, req ImportRequest) (analytics.Import, error) {
	mapping, err := json.Marshal(req.Mapping)
	if err != nil {
		return analytics.Import{}, fmt.Errorf("encode mapping: %w", err)
	}
	imp := req.Import
	imp.SurveyID, imp.Added, imp.Duplicates = surveyID, 0, 0
	imp.At = tx.NowFunc()
	row := importRowOf(imp)
	row.MappingJSON = string(mapping)
	if err := gorm.G[importRow](tx).Create(ctx, &row); err != nil {
		return analytics.Import{}, fmt.Errorf("record import: %w", err)
	}
	imp.ID = row.ID
	imp.At = parseTime(row.At)
	return imp, nil
}

// importRow is a row of imports.
type importRow struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	SurveyID    int64  `gorm:"column:survey_id"`
	File        string `gorm:"column:file"`
	SHA256      string `gorm:"column:sha256"`
	Format      string `gorm:"column:format"`
	Sheet       string `gorm:"column:sheet"`
	RowsRead    int    `gorm:"column:rows_read"`
	Added       int    `gorm:"column:added"`
	Duplicates  int    `gorm:"column:duplicates"`
	Rejected    int    `gorm:"column:rejected"`
	By          string `gorm:"column:by_user"`
	At          string `gorm:"column:at"`
	MappingJSON string `gorm:"column:mapping_json"`
}

// TableName tells gorm the table.
func (importRow) TableName() string { return "imports" }

func importRowOf(i analytics.Import) importRow {
	return importRow{
		ID: i.ID, SurveyID: i.SurveyID, File: i.File, SHA256: i.SHA256, Format: i.Format, Sheet: i.Sheet,
		RowsRead: i.RowsRead, Added: i.Added, Duplicates: i.Duplicates, Rejected: i.Rejected, By: i.By,
		At: formatTime(i.At), MappingJSON: "{}",
	}
}

func (r importRow) importValue() analytics.Import {
	return analytics.Import{
		ID: r.ID, SurveyID: r.SurveyID, File: r.File, SHA256: r.SHA256, Format: r.Format, Sheet: r.Sheet,
		RowsRead: r.RowsRead, Added: r.Added, Duplicates: r.Duplicates, Rejected: r.Rejected, By: r.By,
		At: parseTime(r.At),
	}
}

// Imports lists the imports of a survey, or of all surveys when surveyID
// is 0, newest first.
func (s *Store) Imports(ctx context.Context, surveyID int64) ([]analytics.Import, error) {
	q := gorm.G[importRow](s.db).Omit("mapping_json").Order("id DESC")
	if surveyID != 0 {
		q = q.Where("survey_id = ?", surveyID)
	}
	rows, err := q.Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	list := make([]analytics.Import, len(rows))
	for i, r := range rows {
		list[i] = r.importValue()
	}
	return list, nil
}

// remap lets the caller decide the file's mapping from the survey's saved
// mapping as it stands inside the transaction.
func remap(ctx context.Context, tx *gorm.DB, req *ImportRequest) error {
	if req.Remap == nil {
		return nil
	}
	var saved *analytics.Mapping
	m, err := surveyMapping(ctx, tx, req.Survey)
	switch {
	case err == nil:
		saved = &m
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if req.Mapping, err = req.Remap(saved); err != nil {
		return sourceError{err}
	}
	if err := checkMapping(req.Mapping); err != nil {
		return fmt.Errorf("import %s: %w", req.Import.File, err)
	}
	return nil
}

// keepBreakdownsInUse has the tally keep the breakdowns by several
// dimensions in use in the survey (see breakdownsInUse).
func keepBreakdownsInUse(ctx context.Context, tx *gorm.DB, tally *importTally, surveyID int64) error {
	db, ok := tx.Statement.ConnPool.(queryer)
	if !ok {
		return nil
	}
	inUse, err := breakdownsInUse(ctx, db, surveyID)
	if err != nil {
		return fmt.Errorf("read kept counts: %w", err)
	}
	tally.keepBreakdowns(inUse)
	return nil
}

// keepImportCounts keeps the answer counts tallied during the import (see
// importTally), so that the first report after it needs no scan.
func keepImportCounts(ctx context.Context, tx *gorm.DB, tally *importTally, imp analytics.Import) error {
	var size int64
	err := tx.WithContext(ctx).Raw("SELECT COALESCE(SUM(added), 0) FROM imports WHERE survey_id = ?", imp.SurveyID).Row().Scan(&size)
	if err != nil {
		return fmt.Errorf("count responses: %w", err)
	}
	return tally.store(ctx, tx.Statement.ConnPool, imp, size)
}
