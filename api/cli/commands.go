package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics/store"
)

// command is one of heard's commands: its name, what it is for in a line,
// and the function that runs it with its arguments.
type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) int
}

// commands is the table of heard's commands but serve, which main runs;
// a new command is a row here and a Run function in a file of its own.
var commands = []command{
	{"import", "import survey exports: heard import [--survey NAME] FILE...", RunImport},
	{"surveys", "list the surveys", RunSurveys},
	{"survey", "a survey's members (the analysts who may change it), the disclosure policy of its board figures, its " +
		"dashboard's headline question and its set-up: heard survey " +
		"members|add-member|remove-member|disclosure|headline|rename|delete|relabel|column|scale --survey NAME ...", RunSurvey},
	{"questions", "list a survey's questions: heard questions --survey NAME", RunQuestions},
	{"report", "a question's figures by period and group: heard report --survey NAME [--question CODE] [--by COLUMN]", RunReport},
	{"export", "the board's trend CSV: heard export trends --survey NAME [--out FILE]", RunExport},
	{"actions", "\"you said, we did\": heard actions add --survey NAME --question CODE --said TEXT --did TEXT --done YYYY-MM-DD " +
		"[--months N] [--json] | list --survey NAME [--json] | delete --id N", RunActions},
	{"metric", "save, list or delete a survey's own metrics: heard metric save|list|delete --survey NAME ...", RunMetric},
	{"framework", "frameworks of statements (CQC, Making It Real, a council's own): heard framework import --name NAME FILE.csv | list [--json] | delete --name NAME", RunFramework},
	{"tag", "tag a question or comment theme with a statement: heard tag --survey NAME --question CODE --statement FRAMEWORK:ID [--remove] | --list", RunTag},
	{"imports", "list imports, or delete one with its responses: heard imports [--survey NAME] | heard imports delete --id N", RunImports},
	{"user", "accounts: heard user add --email EMAIL --role admin|analyst|viewer|board --password-stdin | list | disable | enable | role | password", RunUser},
	{"token", "API tokens: heard token create --email EMAIL [--name NAME] | list | revoke --id N", RunToken},
	{"audit", "the audit log: heard audit [--since DATE] [--json]", RunAudit},
	{"retention", "how long surveys keep responses: heard retention set --survey NAME --days N | list | purge [--survey NAME] [--dry-run]", RunRetention},
	{"personal", "whether a survey keeps respondents' names and emails: heard personal --survey NAME [--keep|--drop]", RunPersonal},
	{"benchmark", "national figures beside the council's: heard benchmark import FILE | list --measure 3A [--json] | council --code E08000034", RunBenchmark},
	{"backup", "a consistent copy of the database: heard backup --out FILE | heard backup --check FILE", RunBackup},
	{"migrate-to", "copy the whole database into a new, empty one (PostgreSQL), checking every count: heard migrate-to --db TARGET --from FILE", RunMigrateTo},
	{"themes", "comment themes: heard themes train|retrain|classify|evaluate|list|delete|use --name MODEL ...", RunThemes},
}

// Has reports whether name is one of the table's commands.
func Has(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run runs the command named by args[0] with the rest of args and returns
// its exit status; "help" prints the list of commands, and an unknown
// command is a usage error.
func Run(ctx context.Context, env Env, args []string) int {
	name, rest := "help", []string(nil)
	if len(args) > 0 {
		name, rest = args[0], args[1:]
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, env, rest)
		}
	}
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(env.Stdout, Usage())
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "heard: unknown command %q\n\n%s", name, Usage())
	return ExitUsage
}

// Usage is the list of commands that `heard help` prints.
func Usage() string {
	var b strings.Builder
	b.WriteString("usage: heard [command] [flags]\n\ncommands:\n")
	fmt.Fprintf(&b, "  %-10s  %s\n", "serve", "run the web service (the default)")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-10s  %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'heard COMMAND -h' for a command's flags.\n")
	return b.String()
}

// subcommand is one of a command's subcommands: the names it answers to,
// and how it runs (given the name it was called by).
type subcommand struct {
	names []string
	run   func(ctx context.Context, env Env, name string, args []string) int
}

// dispatch runs the subcommand that args[0] names, or says which there are
// (`heard user add|list|...`) and returns ExitUsage.
func dispatch(ctx context.Context, env Env, command string, args []string, subs []subcommand) int {
	name := ""
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	var all []string
	for _, s := range subs {
		for _, n := range s.names {
			if n == name {
				return s.run(ctx, env, name, args)
			}
		}
		all = append(all, s.names...)
	}
	fmt.Fprintf(env.Stderr, "heard: use heard %s %s (heard %s %s -h for its flags)\n", command, strings.Join(all, "|"), command, all[0])
	return ExitUsage
}

// plain adapts a subcommand that does not need the name it was called by.
func plain(run func(ctx context.Context, env Env, args []string) int) func(context.Context, Env, string, []string) int {
	return func(ctx context.Context, env Env, _ string, args []string) int { return run(ctx, env, args) }
}

// withStore opens the database of a command's --db, runs fn on it and
// closes it; a database that cannot be opened is said on standard error
// and ends the command with ExitRefused.
func withStore(ctx context.Context, env Env, db string, fn func(st *store.Store) int) int {
	st, ok := openForCommand(ctx, env, db)
	if !ok {
		return ExitRefused
	}
	defer st.Close()
	return fn(st)
}
