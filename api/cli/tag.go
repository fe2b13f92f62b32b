package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// TagsJSON is a survey's statement tags as `heard tag --list --json`
// prints them.
type TagsJSON struct {
	Survey string                   `json:"survey"`
	Tags   []analytics.StatementTag `json:"tags"`
}

// RunTag is `heard tag`: tag a survey's question, or comment theme, with a
// statement of a framework, remove such a tag, or list a survey's tags.
func RunTag(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	fs := newFlagSet("tag", "tag --survey NAME (--question CODE | --theme MODEL:THEME) --statement FRAMEWORK:ID [--remove] [--db PATH]\n"+
		"       heard tag --survey NAME --list [--json] [--db PATH]\n\n"+
		"Tags a question, or a comment theme, with a statement of a framework (heard framework list lists them),\n"+
		"so that the survey's results by statement show it.", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	question := fs.String("question", "", "the question's code (heard questions --survey NAME lists them)")
	theme := fs.String("theme", "", "a comment theme, as MODEL:THEME")
	statement := fs.String("statement", "", "the statement, as FRAMEWORK:ID, such as cqc:assessing-needs")
	remove := fs.Bool("remove", false, "remove the tag instead")
	list := fs.Bool("list", false, "list the survey's tags")
	asJSON := fs.Bool("json", false, "with --list, print JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	switch {
	case *survey == "" || fs.NArg() > 0:
		return usage(env, fs, "give --survey")
	case *list && (*question != "" || *theme != "" || *statement != "" || *remove):
		return usage(env, fs, "--list takes --survey (and --json) only")
	case !*list && (*question == "") == (*theme == ""):
		return usage(env, fs, "give --question or --theme (one of them), or --list")
	case !*list && *statement == "":
		return usage(env, fs, "give --statement FRAMEWORK:ID")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		sv, err := surveyNamed(ctx, st, *survey)
		if err != nil {
			return reportFailed(env, err)
		}
		if *list {
			return printTags(ctx, env, st, sv, *asJSON)
		}
		action := store.AuditStatementTag
		if *remove {
			action = store.AuditStatementUntag
		}
		object := fmt.Sprintf("survey %q", sv.Name)
		t, err := tagOf(ctx, st, sv, *question, *theme, *statement)
		if err != nil {
			return commandFailed(ctx, env, st, action, object, err)
		}
		if *remove {
			if err := st.Untag(ctx, sv.ID, t, cliActor(env)); err != nil {
				return commandFailed(ctx, env, st, action, object, err)
			}
			fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("The %s of survey %q is no longer tagged with %s.\n", t.Subject(), sv.Name, t.Statement)))
			return ExitOK
		}
		added, err := st.Tag(ctx, sv.ID, t, cliActor(env))
		if err != nil {
			return commandFailed(ctx, env, st, action, object, err)
		}
		already := ""
		if !added {
			already = " already"
		}
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("The %s of survey %q is%s tagged with %s.\n", t.Subject(), sv.Name, already, t.Statement)))
		return ExitOK
	})
}

// tagOf reads a tag from the command's flags: the question by its code
// (case ignored), or the theme as MODEL:THEME, and the statement.
func tagOf(ctx context.Context, st *store.Store, sv analytics.Survey, question, theme, statement string) (analytics.StatementTag, error) {
	ref, err := analytics.ParseStatementRef(statement)
	if err != nil {
		return analytics.StatementTag{}, analytics.ParamErrorf("{statement} " + err.Error())
	}
	t := analytics.StatementTag{Statement: ref}
	if theme != "" {
		model, name, ok := strings.Cut(theme, ":")
		if t.ThemeModel, t.Theme = strings.TrimSpace(model), strings.TrimSpace(name); !ok || t.ThemeModel == "" || t.Theme == "" {
			return t, analytics.ParamErrorf(fmt.Sprintf("{theme} %q: write it as MODEL:THEME, the theme model's name and the theme's", theme))
		}
		return t, nil
	}
	qs, _, err := st.Questions(ctx, sv.ID)
	if err != nil {
		return t, err
	}
	codes := make([]string, len(qs))
	for i, q := range qs {
		if report.Fold(q.Code) == report.Fold(question) {
			t.Question = q.Code
			return t, nil
		}
		codes[i] = q.Code
	}
	return t, analytics.ParamErrorf(fmt.Sprintf("{question} %q is not a question of survey %q; its questions are %s",
		question, sv.Name, strings.Join(codes, ", ")))
}

// printTags lists a survey's tags, each with its statement's words.
func printTags(ctx context.Context, env Env, st *store.Store, sv analytics.Survey, asJSON bool) int {
	tags, err := st.StatementTags(ctx, sv.ID)
	if err != nil {
		return reportFailed(env, err)
	}
	if asJSON {
		return printJSON(env, TagsJSON{Survey: sv.Name, Tags: report.NonNil(tags)})
	}
	if len(tags) == 0 {
		fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("No question or comment theme of survey %q is tagged with a statement.\n", sv.Name)))
		return ExitOK
	}
	frameworks, err := st.Frameworks(ctx)
	if err != nil {
		return reportFailed(env, err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TAGGED\tSTATEMENT\tTHEME\tWORDS")
	for _, t := range tags {
		s, _ := analytics.FindStatement(frameworks, t.Statement)
		cliTableRow(tw, t.Subject(), t.Statement.String(), s.Theme, s.Text)
	}
	tw.Flush()
	return ExitOK
}
