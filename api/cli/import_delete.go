package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// ImportJSON is an import as `heard imports --json` lists it.
type ImportJSON struct {
	ID         int64  `json:"id"`
	Survey     string `json:"survey"`
	File       string `json:"file"`
	Format     string `json:"format"`
	RowsRead   int    `json:"rows_read"`
	Added      int    `json:"responses_added"`
	Duplicates int    `json:"duplicates"`
	By         string `json:"by"`
	At         string `json:"at"`
}

// RunImports is `heard imports`: it lists the imports with their ids, and
// `heard imports delete --id N` deletes one with its responses.
func RunImports(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	if len(args) > 0 && args[0] == "delete" {
		return runImportDelete(ctx, env, args[1:])
	}
	fs := newFlagSet("imports", "imports [--survey NAME] [--json] [--db PATH]  |  imports delete --id N [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "list the imports of this survey only")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "imports takes flags only, or `delete --id N`")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		surveys, err := st.Surveys(ctx)
		if err != nil {
			return reportFailed(env, err)
		}
		names := make(map[int64]string, len(surveys))
		for _, s := range surveys {
			names[s.ID] = s.Name
		}
		var surveyID int64
		object := "imports"
		if *survey != "" {
			object = fmt.Sprintf("imports of survey %q", *survey)
			s, err := surveyNamed(ctx, st, *survey)
			if err != nil {
				return commandFailed(ctx, env, st, analytics.AuditList, object, err)
			}
			surveyID = s.ID
		}
		list, err := st.Imports(ctx, surveyID)
		if err == nil {
			err = st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditList, object, analytics.OutcomeOK, ""))
		}
		if err != nil {
			return reportFailed(env, err)
		}
		out := make([]ImportJSON, len(list))
		for i, imp := range list {
			out[i] = ImportJSON{ID: imp.ID, Survey: names[imp.SurveyID], File: imp.File, Format: imp.Format, RowsRead: imp.RowsRead,
				Added: imp.Added, Duplicates: imp.Duplicates, By: imp.By, At: utcText(imp.At)}
		}
		if *asJSON {
			return printJSON(env, out)
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSURVEY\tFILE\tFORMAT\tADDED\tBY\tAT (UTC)")
		for _, imp := range out {
			cliTableRow(tw, fmt.Sprint(imp.ID), imp.Survey, imp.File, imp.Format, fmt.Sprint(imp.Added), dash(imp.By), imp.At)
		}
		tw.Flush()
		return ExitOK
	})
}

// runImportDelete is `heard imports delete --id N`.
func runImportDelete(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("imports delete", "imports delete --id N [--db PATH]", env)
	db := dbFlag(fs, env)
	id := fs.Int64("id", 0, "the import's id, from `heard imports`")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *id <= 0 || fs.NArg() > 0 {
		return usage(env, fs, "give the import's id with --id (see `heard imports`)")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		del, err := st.DeleteImport(ctx, *id, cliActor(env))
		if errors.Is(err, store.ErrNotFound) {
			err = analytics.NotFound(fmt.Sprintf("there is no import %d; `heard imports` lists them", *id))
		}
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditImportDelete, fmt.Sprintf("import %d", *id), err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Deleted import %d (%s) from survey %q with its %s.\n"+
			"The same file can be imported again.\n", del.Import.ID, del.Import.File, del.Survey, dashboards.Plural(int(del.Responses), "response"))))
		return ExitOK
	})
}
