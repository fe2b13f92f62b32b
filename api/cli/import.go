package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/importers/table"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers"
)

// Exit statuses of the commands.
const (
	ExitOK      = 0 // done, or the file was already imported
	ExitRefused = 1 // a file was refused; nothing of it was stored
	ExitUsage   = 2 // the command was used wrongly
)

// Env is what a command needs from its surroundings.
type Env struct {
	// Stdin is what a command reads passwords from (--password-stdin).
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads configuration from the environment (HEARD_DB...).
	Getenv func(string) string
	// OpenStore opens the database named by --db or HEARD_DB.
	OpenStore func(ctx context.Context, path string) (*store.Store, error)
}

// stdin is Env.Stdin, or an empty reader when there is none.
func (e Env) stdin() io.Reader {
	if e.Stdin == nil {
		return strings.NewReader("")
	}
	return e.Stdin
}

// UsageError is a command used wrongly; its text says how to use it.
type UsageError = analytics.ParamError

// dbFlag adds --db to a command's flags, defaulting to HEARD_DB or heard.db.
func dbFlag(fs *flag.FlagSet, env Env) *string {
	def := env.Getenv("HEARD_DB")
	if def == "" {
		def = "heard.db"
	}
	return fs.String("db", def, "SQLite database file, or a postgres:// URL for PostgreSQL (env HEARD_DB)")
}

func newFlagSet(name, usage string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: heard %s\n\nflags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// RunImport is `heard import`: it imports each file and prints a summary
// (or one JSON object per file with --json). It returns the exit status.
func RunImport(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("import", "import [--db PATH] [--survey NAME] [--format auto|"+strings.Join(formatWords(), "|")+
		"] [--sheet NAME] [--dayfirst|--monthfirst] [--keep-personal] [--themes] [--dry-run] [--json] FILE...", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "survey to import into (created on first use; default: named after the file)")
	format := fs.String("format", "auto", "the export's layout: auto, or "+strings.Join(formatWords(), ", "))
	sheet := fs.String("sheet", "", "worksheet of an Excel file to read (default: the first with data)")
	dayFirst := fs.Bool("dayfirst", false, "read ambiguous dates such as 03/04/2024 as day first (3 April)")
	monthFirst := fs.Bool("monthfirst", false, "read ambiguous dates such as 03/04/2024 as month first (4 March)")
	def := table.DefaultLimits()
	maxMB := fs.Int64("max-file-mb", def.MaxFileBytes>>20, "refuse files larger than this many megabytes")
	maxUnzippedMB := fs.Int64("max-unzipped-mb", def.MaxUnzippedBytes>>20, "refuse Excel files that unpack to more than this many megabytes")
	maxRows := fs.Int("max-rows", def.MaxRows, "refuse files with more rows than this")
	maxColumns := fs.Int("max-columns", def.MaxColumns, "refuse files with more columns than this")
	dry := fs.Bool("dry-run", false, "read and check the files, store nothing")
	keepPersonal := fs.Bool("keep-personal", false, "on a survey's first import, make it keep respondents' names and email addresses (see heard personal)")
	// Working out the comments' themes costs more than storing them (about
	// four fifths of a 100,000-row import), so an import stores and ends,
	// and heard serve works the themes out in the background, as it does
	// after a web upload. --themes does it before the import ends.
	themes := fs.Bool("themes", false, "work out the new comments' themes before ending (otherwise heard serve does it in the background)")
	fs.Bool("no-themes", true, "leave the comments' themes to heard serve (the default; kept for scripts that name it)")
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	f, err := importers.ParseFormat(*format)
	if err != nil {
		return usage(env, fs, err.Error())
	}
	if *dayFirst && *monthFirst {
		return usage(env, fs, "use --dayfirst or --monthfirst, not both")
	}
	if fs.NArg() == 0 {
		return usage(env, fs, "name at least one file to import")
	}
	if *maxMB <= 0 || *maxUnzippedMB <= 0 || *maxRows <= 0 || *maxColumns <= 0 {
		return usage(env, fs, "the --max-... limits must be positive")
	}
	limits := table.Limits{MaxFileBytes: *maxMB << 20, MaxUnzippedBytes: *maxUnzippedMB << 20,
		MaxRows: *maxRows, MaxColumns: *maxColumns, MaxCellBytes: def.MaxCellBytes, MaxFileFlag: "--max-file-mb"}
	params := ingest.ImportParams{Survey: *survey, DryRun: *dry, By: currentUser(env), KeepPersonal: *keepPersonal, KeepPersonalBy: cliActor(env),
		ClassifyThemes: *themes,
		Options:        importers.Options{Format: f, Sheet: *sheet, DateOrder: dateOrder(*dayFirst, *monthFirst), Limits: limits}}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		status := ExitOK
		who := analytics.CommandLine(env.Getenv("USER"))
		for _, path := range fs.Args() {
			if code := refuseKeepPersonal(ctx, env, fs, st, *keepPersonal, cmp.Or(*survey, ingest.SurveyNameFromFile(path))); code != ExitOK {
				return code
			}
			rep, err := importOne(ctx, env, st, path, params, !*asJSON)
			if !*dry {
				if aerr := st.Audit(ctx, ingest.AuditEvent(who, rep, err)); aerr != nil {
					fmt.Fprintf(env.Stderr, "heard: write the audit log: %v\n", aerr)
				}
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "heard: %v\n", err)
				return ExitRefused
			}
			if rep.Refused() {
				status = ExitRefused
			}
			if *asJSON {
				line, _ := json.Marshal(rep)
				fmt.Fprintf(rawWriter(env.Stdout), "%s\n", line)
			} else {
				printImportReport(env.Stdout, rep)
			}
		}
		return status
	})
}

func importOne(ctx context.Context, env Env, st *store.Store, path string, p ingest.ImportParams, showProgress bool) (*ingest.ImportReport, error) {
	refused := func(e analytics.ImportError) *ingest.ImportReport {
		return &ingest.ImportReport{File: path, Survey: p.Survey, Changes: []string{}, Warnings: []string{}, Errors: []analytics.ImportError{e}}
	}
	if _, err := os.Stat(path); err != nil {
		return refused(analytics.ImportError{File: path,
			Message: "heard cannot open this file: check the name and that you may read it (" + err.Error() + ")"}), nil
	}
	// A file over --max-file-mb is refused from its size, before the
	// import hashes or reads any of it.
	var tooBig *analytics.ImportError
	if err := table.CheckSize(path, path, p.Options.Limits); errors.As(err, &tooBig) {
		return refused(*tooBig), nil
	} else if err != nil {
		return nil, err
	}
	var bar *progressBar
	if showProgress && isTerminal(rawWriter(env.Stderr)) { // the bar redraws its line with \r
		bar = &progressBar{w: rawWriter(env.Stderr), label: terminalSafe(path)}
		p.Progress = bar.update
		defer bar.finish()
	}
	return ingest.ImportFile(ctx, st, path, path, p)
}

func usage(env Env, fs *flag.FlagSet, msg string) int {
	fmt.Fprintf(env.Stderr, "heard: %s\n", msg)
	fs.Usage()
	return ExitUsage
}

func formatWords() []string {
	return []string{"qualtrics", "surveymonkey", "smartsurvey", "microsoft-forms", "google-forms", "limesurvey", "kobotoolbox", "generic"}
}

func dateOrder(dayFirst, monthFirst bool) analytics.DateOrder {
	switch {
	case dayFirst:
		return analytics.DayFirst
	case monthFirst:
		return analytics.MonthFirst
	}
	return analytics.DateAuto
}

func currentUser(env Env) string {
	if u := env.Getenv("USER"); u != "" {
		return u
	}
	return "command line"
}

// printImportReport writes a short plain-English summary of one file.
func printImportReport(w io.Writer, r *ingest.ImportReport) {
	switch {
	case r.Refused():
		fmt.Fprintf(w, "%s: refused, nothing was stored.\n", r.File)
		for _, e := range r.Errors {
			fmt.Fprintf(w, "  - %s\n", e.Error())
		}
		return
	case r.AlreadyImported:
		fmt.Fprintf(w, "%s: already imported into survey %q; nothing added.\n", r.File, r.Survey)
		return
	}
	verb := "imported into"
	if r.DryRun {
		verb = "checked (dry run, nothing stored) for"
	}
	fmt.Fprintf(w, "%s: %s survey %q as a %s export", r.File, verb, r.Survey, r.Format)
	if r.Sheet != "" {
		fmt.Fprintf(w, " (sheet %q)", r.Sheet)
	}
	fmt.Fprintf(w, ".\n  %s read, %s added, %s skipped; %s, %s.\n",
		dashboards.Plural(r.RowsRead, "row"), dashboards.Plural(r.ResponsesAdded, "response"), dashboards.Plural(r.Duplicates, "duplicate"),
		dashboards.Plural(len(r.Questions), "question"), dashboards.Plural(len(r.Dimensions), "dimension"))
	for _, c := range r.Changes {
		fmt.Fprintf(w, "  - %s\n", c)
	}
	for _, c := range r.Warnings {
		fmt.Fprintf(w, "  ! %s\n", c)
	}
}
