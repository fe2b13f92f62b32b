package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers"
)

// RunFramework is `heard framework`: import a framework's statements from
// a file, list the frameworks, or delete a loaded one.
func RunFramework(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "framework", args, []subcommand{
		{[]string{"import"}, plain(runFrameworkImport)},
		{[]string{"list"}, plain(runFrameworkList)},
		{[]string{"delete"}, plain(runFrameworkDelete)},
	})
}

func runFrameworkImport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("framework import", "framework import --name NAME [--title TITLE] [--db PATH] FILE.csv\n\n"+
		"Loads a framework's statements from a CSV (or Excel) file with a heading row and the columns id, theme,\n"+
		"statement and, optionally, parent (FRAMEWORK:ID, the statement it refines, such as cqc:assessing-needs).\n"+
		"Importing a framework again replaces its statements, unless a statement it leaves out is still tagged.", env)
	db := dbFlag(fs, env)
	name := fs.String("name", "", "the framework's short name, used in tags as NAME:ID (lower-case letters, digits, hyphens)")
	title := fs.String("title", "", "the framework's name in words (default: as before, or NAME)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *name == "" || fs.NArg() != 1 {
		return usage(env, fs, "give --name and one file")
	}
	path := fs.Arg(0)
	return withStore(ctx, env, *db, func(st *store.Store) int {
		object := fmt.Sprintf("framework %q", *name)
		fail := func(err error) int {
			return commandFailed(ctx, env, st, store.AuditFrameworkImport, object, err)
		}
		if _, err := os.Stat(path); err != nil {
			return fail(&analytics.ImportError{File: path, Message: "heard cannot open this file: check the name and that you may read it (" + err.Error() + ")"})
		}
		known, err := st.Frameworks(ctx)
		if err != nil {
			return reportFailed(env, err)
		}
		if analytics.IsBuiltInFramework(*name) {
			return fail(analytics.ParamErrorf(fmt.Sprintf("{name} %q is a framework heard ships, which cannot be replaced: import yours "+
				"under another name, and give its statements a parent such as %s:%s to say what they refine", *name, *name, known[0].Statements[0].ID)))
		}
		fw, err := importers.ReadFramework(path, path, *name, known)
		if err != nil {
			return fail(err)
		}
		fw.Title = strings.TrimSpace(*title)
		replaced, err := st.ImportFramework(ctx, fw, path, cliActor(env))
		if err != nil {
			return fail(err)
		}
		verb := "Imported"
		if replaced {
			verb = "Replaced the statements of"
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("%s framework %q: %s from %s.\nTag questions with them: heard tag --survey NAME --question CODE --statement %s:%s\n",
			verb, fw.Name, dashboards.Plural(len(fw.Statements), "statement"), path, fw.Name, fw.Statements[0].ID)))
		return ExitOK
	})
}

func runFrameworkList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("framework list", "framework list [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	asJSON := fs.Bool("json", false, "print a JSON array of the frameworks, each with its statements")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "framework list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := st.Frameworks(ctx)
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, list)
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		for i, f := range list {
			if i > 0 {
				fmt.Fprintln(tw)
			}
			kind := "loaded"
			if f.BuiltIn {
				kind = "built in"
			}
			fmt.Fprint(tw, terminalSafe(fmt.Sprintf("%s: %s (%s, %s)\n", f.Name, f.Title, kind, dashboards.Plural(len(f.Statements), "statement"))))
			for _, s := range f.Statements {
				refines := ""
				if s.Parent != "" {
					refines = "refines " + s.Parent
				}
				cliTableRow(tw, "", f.Name+":"+s.ID, s.Theme, s.Text, refines)
			}
		}
		tw.Flush()
		return ExitOK
	})
}

func runFrameworkDelete(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("framework delete", "framework delete --name NAME [--db PATH]", env)
	db := dbFlag(fs, env)
	name := fs.String("name", "", "the loaded framework's name")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *name == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --name")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		if err := st.DeleteFramework(ctx, *name, cliActor(env)); err != nil {
			return commandFailed(ctx, env, st, store.AuditFrameworkDelete, fmt.Sprintf("framework %q", *name), err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Deleted framework %q.\n", *name)))
		return ExitOK
	})
}

// isFileProblem reports whether err is a problem with a file read, as
// ReadFramework gives it.
func isFileProblem(err error) bool {
	var list importers.ErrorList
	var one *analytics.ImportError
	return errors.As(err, &list) || errors.As(err, &one)
}

// printImportErrors writes each problem of a file on a line of its own;
// it reports whether err was such a problem.
func printImportErrors(env Env, err error) bool {
	var list importers.ErrorList
	var one *analytics.ImportError
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			fmt.Fprintf(env.Stderr, "heard: %s\n", terminalSafe(e.Error()))
		}
	case errors.As(err, &one):
		fmt.Fprintf(env.Stderr, "heard: %s\n", terminalSafe(one.Error()))
	default:
		return false
	}
	return true
}
