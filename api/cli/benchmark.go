package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
	"github.com/heard-council/heard/importers/table"
)

// RunBenchmark is `heard benchmark`: import NHS Digital's ASCOF open data,
// list its figures, and choose the council the survey pages compare.
func RunBenchmark(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "benchmark", args, []subcommand{
		{[]string{"import"}, plain(runBenchmarkImport)}, {[]string{"list"}, plain(runBenchmarkList)},
		{[]string{"council"}, plain(runBenchmarkCouncil)},
	})
}

func runBenchmarkImport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("benchmark import", "benchmark import [--year 2020-21] [--sheet NAME] [--json] [--db PATH] FILE", env)
	db := dbFlag(fs, env)
	year := fs.String("year", "", "the financial year of the file, such as 2020-21 (default: from the file or its name)")
	sheet := fs.String("sheet", "", "worksheet of an Excel file to read (default: the first with data)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 1 {
		return usage(env, fs, "name one file: NHS Digital's ASCOF open data, as CSV or Excel")
	}
	p := ingest.BenchmarkParams{Sheet: *sheet, Limits: table.DefaultLimits(), By: cliActor(env)}
	if *year != "" {
		y, err := analytics.ParseFinancialYear(*year)
		if err != nil {
			return usage(env, fs, "--year "+err.Error())
		}
		p.Year = y
	}
	path := fs.Arg(0)
	return withStore(ctx, env, *db, func(st *store.Store) int {
		if _, err := os.Stat(path); err == nil && !*asJSON && isTerminal(rawWriter(env.Stderr)) {
			bar := &progressBar{w: rawWriter(env.Stderr), label: terminalSafe(path)}
			p.Progress = bar.update
			defer bar.finish()
		}
		rep, err := ingest.ImportBenchmarkFile(ctx, st, path, path, p)
		if err != nil || rep.Refused() {
			if aerr := st.Audit(ctx, ingest.BenchmarkAuditEvent(cliActor(env), rep, err)); aerr != nil {
				fmt.Fprintf(env.Stderr, "heard: write the audit log: %v\n", aerr)
			}
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "heard: %v\n", err)
			return ExitRefused
		}
		if *asJSON {
			line, _ := json.Marshal(rep)
			fmt.Fprintf(rawWriter(env.Stdout), "%s\n", line)
		} else {
			printBenchmarkReport(env.Stdout, rep)
		}
		if rep.Refused() {
			return ExitRefused
		}
		return ExitOK
	})
}

// printBenchmarkReport writes what became of a benchmark file.
func printBenchmarkReport(w io.Writer, r *ingest.BenchmarkReport) {
	if r.Refused() {
		fmt.Fprintf(w, "%s: refused, nothing was stored.\n", r.File)
		for _, e := range r.Errors {
			fmt.Fprintf(w, "  - %s\n", e.Error())
		}
		return
	}
	for _, y := range r.Years {
		fmt.Fprintf(w, "%s: imported the ASCOF figures of %s", r.File, y.Year)
		if r.Sheet != "" {
			fmt.Fprintf(w, " (sheet %q)", r.Sheet)
		}
		fmt.Fprintf(w, ".\n  %s stored, %s of them not published by NHS Digital (kept as missing, not zero).\n",
			dashboards.Plural(y.Rows, "value"), dashboards.Thousands(int64(y.Missing)))
		if y.Replaced > 0 {
			fmt.Fprintf(w, "  They replace the %s of %s imported before.\n", dashboards.Plural(y.Replaced, "value"), y.Year)
		}
	}
	for _, c := range r.Warnings {
		fmt.Fprintf(w, "  ! %s\n", c)
	}
}

func runBenchmarkList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("benchmark list", "benchmark list --measure CODE [--year 2020-21] [--level council|region|council-type|england] "+
		"[--disaggregation Total] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	measure := fs.String("measure", "", "the ASCOF measure, such as 3A (overall satisfaction with care and support)")
	year := fs.String("year", "", "the financial year, such as 2020-21 (default: the latest loaded with the measure)")
	level := fs.String("level", "", "only areas of this level: council, region, council-type or england")
	disagg := fs.String("disaggregation", "", "only this disaggregation, such as Total (default: all)")
	asJSON := fs.Bool("json", false, "print one JSON object a line, one per area")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage(env, fs, "benchmark list takes no arguments")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		list, err := report.Benchmarks(ctx, st, report.BenchmarkParams{Measure: *measure, Year: *year, Level: *level, Disaggregation: *disagg})
		if err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			out := rawWriter(env.Stdout)
			for _, b := range list {
				line, err := json.Marshal(b)
				if err != nil {
					return reportFailed(env, err)
				}
				fmt.Fprintf(out, "%s\n", line)
			}
			return ExitOK
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "No areas match these choices.")
			return ExitOK
		}
		fmt.Fprintf(env.Stdout, "ASCOF %s, %s (NHS Digital; \"not published\" where the file marks a value as not available)\n", list[0].Measure, list[0].Year)
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tNAME\tLEVEL\tDISAGGREGATION\tOUTCOME\tBASE\tMARGIN OF ERROR")
		const missing = "not published"
		for _, b := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Code, b.Name, b.Level, b.Disaggregation,
				dashboards.Published(b.Outcome, missing), dashboards.Published(b.Base, missing), dashboards.Published(b.MarginOfError, missing))
		}
		tw.Flush()
		return ExitOK
	})
}

func runBenchmarkCouncil(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("benchmark council", "benchmark council [--code CODE [--region CODE] | --clear] [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	code := fs.String("code", "", "the council: its ONS code (such as E08000034), NHS Digital's code (211) or its name")
	region := fs.String("region", "", "its region (default: the region heard knows the council is in)")
	clear := fs.Bool("clear", false, "forget the council: the survey pages show no national figures")
	asJSON := fs.Bool("json", false, "print the council as JSON")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 || *clear && (*code != "" || *region != "") || *region != "" && *code == "" {
		return usage(env, fs, "give --code (and --region if you like), or --clear, or nothing to see the council chosen")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		var (
			c   report.Council
			ok  = true
			err error
		)
		switch {
		case *clear:
			ok = false
			err = st.SetBenchmarkCouncil(ctx, analytics.BenchmarkCouncil{}, cliActor(env))
		case *code != "":
			c, err = report.ChooseCouncil(ctx, st, *code, *region, cliActor(env))
		default:
			c, ok, err = report.CurrentCouncil(ctx, st)
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditBenchmarkCouncil, "benchmark council", err)
		}
		if *asJSON {
			if !ok {
				return printJSON(env, nil)
			}
			return printJSON(env, councilJSON(c))
		}
		switch {
		case !ok && *clear:
			fmt.Fprintln(env.Stdout, "No council is chosen now: the survey pages show no national figures.")
		case !ok:
			fmt.Fprintln(env.Stdout, "No council is chosen: choose one with `heard benchmark council --code E08000034` (its ONS code).")
		default:
			how := "heard's lookup of councils to regions"
			if c.RegionChosen {
				how = "chosen by an admin"
			}
			fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("The survey pages compare %s with %s (%s, region %s) and England.\n",
				c.Council.Name+" ("+c.Council.Key()+")", c.Region.Name, how, c.Region.Key())))
		}
		return ExitOK
	})
}

// councilJSON is the council chosen, as `heard benchmark council --json`
// prints it.
func councilJSON(c report.Council) map[string]any {
	return map[string]any{
		"council":       map[string]string{"code": c.Council.Key(), "nhs_code": c.Council.Code, "name": c.Council.Name},
		"region":        map[string]string{"code": c.Region.Key(), "nhs_code": c.Region.Code, "name": c.Region.Name},
		"region_chosen": c.RegionChosen, "set_by": strings.TrimSpace(c.SetBy), "set_at": c.SetAt,
	}
}
