package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers"
)

// ImportParams say how to import one file.
type ImportParams struct {
	// Member, when not 0, is an account that may import only into surveys
	// it is a member of (an analyst): it becomes the first member of a
	// survey the import creates, and an import into another survey fails
	// with store.ErrNotMember. The store checks it inside the import.
	Member   int64
	MemberBy analytics.Actor
	// Survey is the survey's name; "" names it after the file.
	Survey  string
	Options importers.Options
	DryRun  bool
	// By is who imported the file, for the record.
	By string
	// SampleRows is how many of the file's first data rows the report
	// carries, for a preview.
	SampleRows int
	// KeepPersonal, on a survey's first import, makes the new survey keep
	// respondents' names and email addresses (store.SetKeepPersonal); it is
	// ignored, with a warning, for a survey that exists and has not opted in.
	KeepPersonal bool
	// KeepPersonalBy is who asked for KeepPersonal, for the audit log; the
	// zero value records By, from "import".
	KeepPersonalBy analytics.Actor
	// Kinds corrects what columns of the file become, by their index
	// (importers.Prepared.Override): a person's choices on the preview.
	Kinds map[int]string
	// Progress, if not nil, is told what is happening: the phase
	// ("reading", "storing" or, with ClassifyThemes, "themes"), how many
	// rows (or comments) are done and, when known, how many there are in
	// all (0 when not yet known).
	Progress func(phase string, done, total int)
	// ClassifyThemes classifies the survey's new comments with its theme
	// model once the import is stored, before ImportFile returns (the
	// command line; the web service leaves them to its theme worker). A
	// failure is a warning: the import stands and the comments are
	// classified later.
	ClassifyThemes bool
}

// ImportReport is what became of one file: the object `heard import --json`
// prints and the import API returns.
type ImportReport struct {
	Survey         string `json:"survey"`
	File           string `json:"file"`
	Format         string `json:"format"`
	Sheet          string `json:"sheet,omitempty"`
	Encoding       string `json:"encoding,omitempty"`
	FileSHA256     string `json:"file_sha256"`
	RowsRead       int    `json:"rows_read"`
	ResponsesAdded int    `json:"responses_added"`
	Duplicates     int    `json:"duplicates"`
	// DuplicatesChanged counts the duplicates whose answers differ from
	// those stored first for the same respondent; the first are kept.
	DuplicatesChanged int                     `json:"duplicates_changed"`
	AlreadyImported   bool                    `json:"already_imported"`
	DryRun            bool                    `json:"dry_run"`
	Columns           []analytics.Column      `json:"columns"`
	Headers           []string                `json:"-"`
	Sample            [][]string              `json:"-"`
	Questions         []analytics.Question    `json:"questions"`
	Dimensions        []analytics.Dimension   `json:"dimensions"`
	Changes           []string                `json:"changes"`
	Warnings          []string                `json:"warnings"`
	Errors            []analytics.ImportError `json:"errors"`
}

// Refused reports whether the file was refused (nothing of it stored).
func (r *ImportReport) Refused() bool { return len(r.Errors) > 0 }

// SurveyNameFromFile names a survey after an uploaded file: its base name
// without the extension.
func SurveyNameFromFile(name string) string {
	base := filepath.Base(name)
	if s := strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base))); s != "" {
		return s
	}
	return base
}

// ImportFile imports the file at path, shown to people as name, into the
// store. A file that cannot be imported is not an error here: the report
// carries its problems and nothing is stored. The error is for failures of
// heard itself (the database, the disk).
func ImportFile(ctx context.Context, st *store.Store, path, name string, p ImportParams) (*ImportReport, error) {
	defer raiseGC()()
	if p.Options.LowPriority {
		// The import runs on a goroutine of its own, which ends with it,
		// so that its thread's lowered priority goes with it.
		type result struct {
			rep *ImportReport
			err error
		}
		done := make(chan result, 1)
		go func() {
			importers.LowerPriority()
			rep, err := importFile(ctx, st, path, name, p)
			done <- result{rep, err}
		}()
		r := <-done
		return r.rep, r.err
	}
	return importFile(ctx, st, path, name, p)
}

// importFile is ImportFile on the calling goroutine.
func importFile(ctx context.Context, st *store.Store, path, name string, p ImportParams) (*ImportReport, error) {
	rep := &ImportReport{Survey: p.Survey, File: name, DryRun: p.DryRun, Changes: []string{}, Warnings: []string{}, Errors: []analytics.ImportError{}}
	if rep.Survey == "" {
		rep.Survey = SurveyNameFromFile(name)
	}
	// The survey is named as stored: a look-alike of its name (an
	// invisible character, a fullwidth letter) is the same survey.
	if sv, err := st.SurveyByName(ctx, rep.Survey); err == nil {
		rep.Survey = sv.Name
	} else if errors.Is(err, store.ErrNotFound) {
		rep.Survey = store.SurveyName(rep.Survey)
	} else {
		return nil, err
	}
	if rep.Survey == "" {
		return refuse(rep, &analytics.ParamError{Param: "survey", Msg: "the survey's name is empty once its invisible characters are removed: choose a name people can read"})
	}
	sum, err := importers.FileSHA256(path, p.Options.Pace)
	if err != nil {
		return refuse(rep, err)
	}
	rep.FileSHA256 = sum
	if earlier, survey, err := st.ImportBySHA256(ctx, sum); err == nil {
		return alreadyImported(ctx, st, rep, survey, earlier)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var saved *analytics.Mapping
	if m, err := st.SurveyMapping(ctx, rep.Survey); err == nil {
		saved = &m
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	keepSaved, err := st.KeepPersonal(ctx, rep.Survey)
	if err != nil {
		return nil, err
	}
	keep := func(saved *analytics.Mapping) bool { return keepSaved || (saved == nil && p.KeepPersonal) }
	if p.KeepPersonal && !keep(saved) {
		rep.Warnings = append(rep.Warnings, NotOptedIn(rep.Survey))
	}
	opts := p.Options
	opts.KeepPersonal, opts.SHA256 = keep(saved), sum
	pace := opts.Pace
	if pace == nil {
		pace = func() {}
	}
	readProgress := func(rows int) {
		if p.Progress != nil {
			p.Progress("reading", rows, 0)
		}
	}
	prep, err := importers.Prepare(ctx, path, name, saved, opts, readProgress)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return refuse(rep, err)
	}
	defer prep.Close()
	rep.Format, rep.Sheet, rep.Encoding = string(prep.Layout.Format), prep.Info.Sheet, prep.Info.Encoding
	rep.RowsRead = prep.RowsRead
	rep.Headers = prep.Layout.Headers
	if p.SampleRows > 0 {
		if rep.Sample, err = prep.Sample(p.SampleRows); err != nil {
			return nil, err
		}
		datesForPeople(rep.Sample, prep)
	}
	if len(p.Kinds) > 0 {
		if err := prep.Override(p.Kinds); err != nil {
			return refuse(rep, err)
		}
	}
	describe := func() {
		rep.Columns = prep.Mapping.Columns
		rep.Questions, rep.Dimensions = prep.Mapping.Questions, prep.Mapping.Dimensions
		rep.Changes = append(rep.Changes[:0], prep.Changes...)
	}
	describe()
	if p.DryRun {
		next, err := prep.Responses()
		if err != nil {
			return nil, err
		}
		rep, err := dryRun(rep, next, prep.RowsRead)
		if rep != nil {
			rep.Warnings = append(rep.Warnings, prep.Warnings()...)
			rep.Warnings = appendChangedWarning(rep.Warnings, rep.DuplicatesChanged, true)
		}
		return rep, err
	}
	storeProgress := func(done int) {
		if p.Progress != nil {
			p.Progress("storing", done, prep.RowsRead)
		}
	}
	// The mapping is decided again inside the store's transaction, against
	// the survey as it is then, and the rows converted by that mapping, in a
	// goroutine of their own while the store inserts the ones before.
	var next func() (analytics.Response, error)
	stop := func() {}
	defer func() { stop() }()
	remap := func(saved *analytics.Mapping) (analytics.Mapping, error) {
		prep.KeepPersonal = keep(saved)
		prep.Remap(saved)
		if err := prep.Override(p.Kinds); err != nil {
			return analytics.Mapping{}, err
		}
		describe()
		rows, err := prep.Responses()
		next, stop = prefetch(func() (analytics.Response, error) { pace(); return rows() }, opts.LowPriority)
		return prep.Mapping, err
	}
	imp, err := st.ImportFile(ctx, store.ImportRequest{
		Survey:  rep.Survey,
		Import:  analytics.Import{File: name, SHA256: sum, Format: rep.Format, Sheet: rep.Sheet, RowsRead: prep.RowsRead, By: p.By},
		Mapping: prep.Mapping,
		Remap:   remap,
		// Set only when this import creates the survey.
		KeepPersonal: p.KeepPersonal, KeepPersonalBy: cmp.Or(p.KeepPersonalBy, analytics.Actor{Who: p.By, From: "import"}),
		Member: p.Member, MemberBy: p.MemberBy,
	}, func() (analytics.Response, error) { pace(); return next() }, storeProgress)
	stop()
	var already *store.AlreadyImportedError
	switch {
	case errors.As(err, &already):
		return alreadyImported(ctx, st, rep, already.Survey, already.Import)
	case err != nil:
		if isFileProblem(err) {
			return refuse(rep, err)
		}
		return nil, err
	}
	rep.ResponsesAdded, rep.Duplicates, rep.DuplicatesChanged = imp.Added, imp.Duplicates, imp.Changed
	rep.Warnings = append(rep.Warnings, prep.Warnings()...)
	rep.Warnings = appendChangedWarning(rep.Warnings, rep.DuplicatesChanged, p.DryRun)
	if p.ClassifyThemes && imp.Added > 0 {
		rep.Warnings = append(rep.Warnings, classifyThemes(ctx, st, imp.SurveyID, p.Progress)...)
	}
	return rep, nil
}

// classifyThemes classifies a survey's comments waiting for themes, and
// returns a warning if it could not.
func classifyThemes(ctx context.Context, st *store.Store, surveyID int64, progress func(phase string, done, total int)) []string {
	var tell func(done, total int)
	if progress != nil {
		tell = func(done, total int) { progress("themes", done, total) }
	}
	if _, err := st.ClassifyComments(ctx, surveyID, tell); err != nil {
		return []string{"the comments were stored but their themes could not be worked out yet (" + err.Error() +
			"); heard works them out when it next runs heard serve or imports into this survey"}
	}
	return nil
}

// appendChangedWarning says, when some duplicates' answers differ from the
// ones kept, how many, and which answers were kept.
func appendChangedWarning(warnings []string, changed int, dryRun bool) []string {
	if changed == 0 {
		return warnings
	}
	where := "already stored or earlier in this file"
	if dryRun {
		where = "earlier in this file"
	}
	what := fmt.Sprintf("%d responses repeat a respondent id %s with different answers", changed, where)
	if changed == 1 {
		what = fmt.Sprintf("1 response repeats a respondent id %s with different answers", where)
	}
	return append(warnings, what+"; the first answers were kept and the later ones were not stored: "+
		"if the later answers are the right ones, delete the earlier import and import the files again")
}

// dryRun converts every row without storing any, to report what an import
// would do and every problem it would meet; rows is the file's number of
// rows.
//
// Repeated respondents are found from a digest of each id, kept with the
// digest of its answers in one flat slice (24 bytes a response) and sorted
// at the end: a map of the ids themselves held every row's text, 125 MB
// for 600,000 rows of a workbook, and its pointers made each collection
// under the import's memory limit slower than the last.
func dryRun(rep *ImportReport, next func() (analytics.Response, error), rows int) (*ImportReport, error) {
	type seen struct {
		id      [2]uint64
		answers uint64
	}
	ids := make([]seen, 0, rows) // the first pass counted the rows
	idSeeds := [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
	seed := maphash.MakeSeed()
	for {
		r, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refuse(rep, err)
		}
		if r.RespondentID == "" {
			rep.ResponsesAdded++
			continue
		}
		ids = append(ids, seen{
			id:      [2]uint64{maphash.String(idSeeds[0], r.RespondentID), maphash.String(idSeeds[1], r.RespondentID)},
			answers: answersHash(seed, r),
		})
	}
	// A stable sort keeps each id's responses in file order: the first is
	// the one an import keeps.
	slices.SortStableFunc(ids, func(a, b seen) int {
		if c := cmp.Compare(a.id[0], b.id[0]); c != 0 {
			return c
		}
		return cmp.Compare(a.id[1], b.id[1])
	})
	for i := 0; i < len(ids); {
		first := ids[i]
		rep.ResponsesAdded++
		for i++; i < len(ids) && ids[i].id == first.id; i++ {
			rep.Duplicates++
			if ids[i].answers != first.answers {
				rep.DuplicatesChanged++
			}
		}
	}
	return rep, nil
}

// answersHash digests a response's answers and dimension values, to tell
// a repeated respondent's changed answers from the same ones.
func answersHash(seed maphash.Seed, r analytics.Response) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, a := range r.Answers {
		fmt.Fprintf(&h, "%d|%v|%q|%v|%v;", a.Option, a.Options, a.Text, a.Number, a.HasNumber)
	}
	for _, d := range r.Dimensions {
		fmt.Fprintf(&h, "%q;", d)
	}
	return h.Sum64()
}

func alreadyImported(ctx context.Context, st *store.Store, rep *ImportReport, survey string, earlier analytics.Import) (*ImportReport, error) {
	rep.AlreadyImported = true
	rep.Survey = survey
	rep.Format, rep.Sheet, rep.RowsRead = earlier.Format, earlier.Sheet, earlier.RowsRead
	if m, err := st.SurveyMapping(ctx, survey); err == nil {
		rep.Questions, rep.Dimensions = m.Questions, m.Dimensions
	}
	return rep, nil
}

// isFileProblem tells a problem with the uploaded file from a failure of
// heard itself.
func isFileProblem(err error) bool {
	var list importers.ErrorList
	var one *analytics.ImportError
	return errors.As(err, &list) || errors.As(err, &one)
}

// refuse records a file's problems in the report. Errors that are not
// about the file are returned as failures.
func refuse(rep *ImportReport, err error) (*ImportReport, error) {
	var list importers.ErrorList
	var one *analytics.ImportError
	switch {
	case errors.As(err, &list):
		rep.Errors = append(rep.Errors, list...)
	case errors.As(err, &one):
		rep.Errors = append(rep.Errors, *one)
	default:
		return nil, fmt.Errorf("import %s: %w", rep.File, err)
	}
	rep.ResponsesAdded, rep.Duplicates, rep.DuplicatesChanged = 0, 0, 0
	return rep, nil
}

// prefetch runs next in a goroutine of its own, a few hundred responses
// ahead of the caller, so that converting rows and storing them use both
// cores. stop ends the goroutine and waits for it; call it before reading
// anything next's goroutine writes.
func prefetch(next func() (analytics.Response, error), lowPriority bool) (func() (analytics.Response, error), func()) {
	type item struct {
		r   analytics.Response
		err error
	}
	ch := make(chan item, 256)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if lowPriority {
			importers.LowerPriority()
		}
		for {
			r, err := next()
			select {
			case ch <- item{r, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var last error
	get := func() (analytics.Response, error) {
		if last != nil {
			return analytics.Response{}, last
		}
		it := <-ch
		last = it.err
		return it.r, it.err
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
	return get, stop
}

// NotOptedIn says why keeping personal data does nothing for a survey
// that exists and does not keep it: the choice applies to a survey's first
// import only. Only the command line asks to keep personal data.
func NotOptedIn(survey string) string {
	return fmt.Sprintf("survey %q already exists and does not keep personal data, so keeping names and email addresses "+
		"applies only to a survey's first import: run `heard personal --survey %q --keep` first if the survey should keep them",
		survey, survey)
}

// AuditEvent records an import, refused or not, without any of the
// file's contents: the file's name, the survey, the outcome and the counts.
func AuditEvent(who analytics.Actor, rep *ImportReport, err error) analytics.AuditEvent {
	object, outcome, detail := "an uploaded file", analytics.OutcomeFailed, "heard could not import it"
	if rep != nil {
		object = fmt.Sprintf("file %s into survey %s", rep.File, rep.Survey)
		switch {
		case err != nil:
		case rep.Refused():
			outcome, detail = analytics.OutcomeRefused, dashboards.Plural(len(rep.Errors), "problem")+" found"
		case rep.AlreadyImported:
			outcome, detail = analytics.OutcomeOK, "imported before: nothing added"
		default:
			outcome, detail = analytics.OutcomeOK, dashboards.Plural(rep.RowsRead, "row")+" read, "+dashboards.Plural(rep.ResponsesAdded, "response")+" added"
		}
	}
	return analytics.NewAuditEvent(who, analytics.AuditImport, object, outcome, detail)
}

// datesForPeople writes the sample's cells of date columns (submitted,
// started, date questions) as dates ("2024-04-01 09:00"), as they will be
// stored, rather than as the file holds them (an Excel serial such as
// 45383.375). A cell that does not read as a date is left as it is.
func datesForPeople(sample [][]string, prep *importers.Prepared) {
	dates := map[int]bool{}
	kinds := map[string]analytics.Kind{}
	for _, q := range prep.Mapping.Questions {
		kinds[q.Code] = q.Kind
	}
	for _, c := range prep.Mapping.Columns {
		if c.Role == analytics.RoleSubmitted || c.Role == analytics.RoleStarted ||
			(c.Role == analytics.RoleQuestion && kinds[c.Code] == analytics.KindDate) {
			dates[c.Index] = true
		}
	}
	for _, row := range sample {
		for i, cell := range row {
			if !dates[i] || strings.TrimSpace(cell) == "" {
				continue
			}
			t, err := importers.ParseDate(cell, prep.Mapping.DateOrder, prep.Info.Date1904)
			if err != nil {
				continue
			}
			row[i] = strings.TrimSuffix(t.Format("2006-01-02 15:04"), " 00:00")
		}
	}
}
