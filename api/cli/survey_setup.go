package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// setupFlags are the flags every `heard survey` set-up command shares.
type setupFlags struct {
	fs             *flag.FlagSet
	db, survey     *string
	question       *string
	yes            *bool
	needQuestion   bool
	needConfirming bool
}

// newSetupFlags declares --db, --survey and, as asked, --question and --yes.
func newSetupFlags(env Env, name, usageLine string, question, yes bool) *setupFlags {
	f := &setupFlags{fs: newFlagSet(name, usageLine, env), needQuestion: question, needConfirming: yes}
	f.db, f.survey = dbFlag(f.fs, env), f.fs.String("survey", "", "the survey's name")
	if question {
		f.question = f.fs.String("question", "", "the question's (or dimension's) code or label")
	}
	if yes {
		f.yes = f.fs.Bool("yes", false, "make the change; without it, show what it would do and change nothing")
	}
	return f
}

// parse reads args and checks the shared flags.
func (f *setupFlags) parse(env Env, args []string) (int, bool) {
	if err := f.fs.Parse(args); err != nil {
		return ExitUsage, false
	}
	if *f.survey == "" || f.fs.NArg() > 0 {
		return usage(env, f.fs, "give --survey"), false
	}
	if f.needQuestion && strings.TrimSpace(*f.question) == "" {
		return usage(env, f.fs, "give --question"), false
	}
	return ExitOK, true
}

// findColumn finds a survey's question or dimension by code or label
// (case and spaces ignored).
func findColumn(ctx context.Context, st *store.Store, sv analytics.Survey, name string) (*analytics.Question, *analytics.Dimension, error) {
	qs, ds, err := st.Questions(ctx, sv.ID)
	if err != nil {
		return nil, nil, err
	}
	want := report.Fold(name)
	for i := range qs {
		if qs[i].Code == name || report.Fold(qs[i].Text) == want {
			return &qs[i], nil, nil
		}
	}
	for i := range ds {
		if ds[i].Code == name || report.Fold(ds[i].Name) == want {
			return nil, &ds[i], nil
		}
	}
	return nil, nil, analytics.NotFound(fmt.Sprintf("survey %q has no question or dimension %q; `heard questions --survey %q` lists them",
		sv.Name, name, sv.Name))
}

// say prints a line made safe for a terminal.
func say(env Env, format string, args ...any) {
	fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf(format, args...)+"\n"))
}

// runSurveyRename is `heard survey rename --survey NAME --name NEW`.
func runSurveyRename(ctx context.Context, env Env, args []string) int {
	f := newSetupFlags(env, "survey rename", "survey rename --survey NAME --name NEW [--db PATH]\n\n"+
		"Renames a survey. A name that is, or looks like, another survey's is refused.", false, false)
	name := f.fs.String("name", "", "the survey's new name")
	if code, ok := f.parse(env, args); !ok {
		return code
	}
	return withStore(ctx, env, *f.db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *f.survey)
		sv, err := surveyNamed(ctx, st, *f.survey)
		if err == nil {
			sv, err = st.RenameSurvey(ctx, sv.ID, *name, cliActor(env))
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyRename, object, err)
		}
		say(env, "Survey %q is now called %q.", *f.survey, sv.Name)
		return ExitOK
	})
}

// runSurveyDelete is `heard survey delete --survey NAME [--yes]`.
func runSurveyDelete(ctx context.Context, env Env, args []string) int {
	f := newSetupFlags(env, "survey delete", "survey delete --survey NAME [--yes] [--db PATH]\n\n"+
		"Deletes a survey with its responses, imports, questions and saved metrics. Without --yes it says what\n"+
		"would be deleted and deletes nothing.", false, true)
	if code, ok := f.parse(env, args); !ok {
		return code
	}
	return withStore(ctx, env, *f.db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *f.survey)
		sv, err := surveyNamed(ctx, st, *f.survey)
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyDelete, object, err)
		}
		if !*f.yes {
			n, err := st.ResponseCount(ctx, sv.ID)
			if err != nil {
				return reportFailed(env, err)
			}
			say(env, "Deleting survey %q would delete its %s. Nothing is deleted: run again with --yes to delete it.",
				sv.Name, dashboards.Plural(int(n), "response"))
			return ExitOK
		}
		n, err := st.DeleteSurvey(ctx, sv.ID, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyDelete, object, err)
		}
		say(env, "Survey %q is deleted, with its %s.", sv.Name, dashboards.Plural(int(n), "response"))
		return ExitOK
	})
}

// runSurveyRelabel is `heard survey relabel --survey NAME --question CODE --label TEXT`.
func runSurveyRelabel(ctx context.Context, env Env, args []string) int {
	f := newSetupFlags(env, "survey relabel", "survey relabel --survey NAME --question CODE|LABEL --label TEXT [--db PATH]\n\n"+
		"Changes the label people read for a question or dimension. The next file's column is still matched by\n"+
		"its header.", true, false)
	label := f.fs.String("label", "", "the new label")
	if code, ok := f.parse(env, args); !ok {
		return code
	}
	return withStore(ctx, env, *f.db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *f.survey)
		sv, err := surveyNamed(ctx, st, *f.survey)
		var q *analytics.Question
		var d *analytics.Dimension
		if err == nil {
			q, d, err = findColumn(ctx, st, sv, *f.question)
		}
		if err == nil {
			code := ""
			if q != nil {
				code = q.Code
			} else {
				code = d.Code
			}
			err = st.RelabelQuestion(ctx, sv.ID, code, *label, cliActor(env))
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyRelabel, object, err)
		}
		say(env, "The label is saved: %q.", strings.Join(strings.Fields(*label), " "))
		return ExitOK
	})
}
