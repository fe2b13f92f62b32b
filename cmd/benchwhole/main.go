// Command benchwhole measures the targets of issue 13 on whole processes,
// beside the tools a council would otherwise use, in one run:
//
//   - CSV, -rows respondents x 25 columns, with dates in random order and
//     in date order: `heard import` into a new database against the sqlite3
//     command line's `.import --csv` of the same file into a new WAL database;
//   - CSV, -big respondents: `heard import` time and peak memory, and sqlite3's;
//   - XLSX, -rows respondents, an inline-string and a shared-string workbook:
//     `heard import`, excelize's streaming reader alone, and pandas
//     `read_excel` (through Debian's python3-pandas and python3-openpyxl);
//   - after the -big import: the first `heard report` process, the first
//     dashboard page and the first report JSON of a new `heard serve`
//     process (each on a fresh copy of the database as the import left it),
//     later `heard report` processes and `GET /api/v1/surveys`.
//
// Beside each `heard import`, `heard import --no-themes` is timed too (unless
// -also-no-themes=false): the import works out the comments' themes by
// default, which sqlite3 and pandas do not.
//
// heard is built once from this module into a temporary folder. Every
// process is timed whole (wall time, and peak resident memory from the
// kernel's accounting), each run in turn with the others (interleaved), and
// the median shown. It ends with a markdown table for docs/benchmarks.md:
// each target, the figure, whether it is met, and the command.
//
// Usage: go run ./cmd/benchwhole [-rows 100000] [-big 1000000] [-runs 3] [-steps csv,big,xlsx,report,serve]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/heard-council/heard/cmd/internal/wholeproc"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "measure":
			exitOn(wholeproc.Child(os.Stdout, os.Args[2:]))
			return
		case "read-xlsx":
			exitOn(readXLSX(os.Args[2:]))
			return
		}
	}
	var c config
	flag.IntVar(&c.rows, "rows", 100_000, "respondents in the CSV and XLSX files compared with sqlite3 and pandas")
	flag.IntVar(&c.big, "big", 1_000_000, "respondents in the large CSV, also imported for the report and serve steps; 0 skips them")
	flag.IntVar(&c.runs, "runs", 3, "interleaved runs of each timed process; the median is shown")
	flag.IntVar(&c.bigRuns, "big-runs", 0, "runs of the large imports and of the first report and dashboard (default: -runs)")
	flag.IntVar(&c.pandasRuns, "pandas-runs", 1, "runs of pandas read_excel, which is slow")
	flag.IntVar(&c.later, "later", 10, "later `heard report` processes timed after the first")
	flag.IntVar(&c.requests, "requests", 20, "requests of GET /api/v1/surveys (and of later dashboards) timed")
	flag.StringVar(&c.steps, "steps", "csv,big,xlsx,report,serve", "the steps to run, any of csv, big, xlsx, report, serve (report and serve need big)")
	flag.DurationVar(&c.timeout, "timeout", 10*time.Minute, "longest any one process or request may take")
	flag.StringVar(&c.sqlite3, "sqlite3", "sqlite3", "the sqlite3 command line (Debian: apt-get install sqlite3)")
	flag.StringVar(&c.python, "python", "", "a python3 that imports pandas and openpyxl (default: the first of /usr/bin/python3 and python3 on PATH that does)")
	flag.BoolVar(&c.noThemes, "also-no-themes", true, "also time `heard import --no-themes` beside each import: what working out the comments' themes costs")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary folder (files, databases, logs) and print its path")
	flag.Parse()
	if c.bigRuns <= 0 {
		c.bigRuns = c.runs
	}
	c.args = os.Args[1:]
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	exitOn(run(ctx, c))
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchwhole:", err)
		os.Exit(1)
	}
}

type config struct {
	rows, big, runs, bigRuns, pandasRuns, later, requests int
	steps                                                 string
	timeout                                               time.Duration
	sqlite3, python                                       string
	keep, noThemes                                        bool
	args                                                  []string
}

func (c config) want(step string) bool {
	for _, s := range strings.Split(c.steps, ",") {
		if strings.TrimSpace(s) == step {
			return true
		}
	}
	return false
}

// bench holds what the steps share: the tools found, the folder, the
// results so far.
type bench struct {
	config
	run      *runner
	dir      string
	heard    string // the built binary
	sqlite3  string // "" when missing
	python   string // "" when pandas cannot be imported
	results  []*series
	targets  []target
	extra    []extra
	notes    []string
	pristine *pristine // the large import's database, as the import left it
}

// extra is a figure measured other than as a whole process (requests).
type extra struct {
	name, figure string
	n            int
	peakMB       float64
	command      string
}

// target is one line of the final table.
type target struct {
	what, figure, beside, met, command string
}

func run(ctx context.Context, c config) (err error) {
	b := &bench{config: c}
	b.dir, err = os.MkdirTemp("", "heard-whole-*")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Fprintln(os.Stderr, "benchwhole: keeping", b.dir)
	} else {
		defer os.RemoveAll(b.dir)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b.run = &runner{self: self, dir: b.dir, timeout: c.timeout}
	startLoad := loadavg()
	progress("load average at start: %s; temporary folder %s", startLoad, b.dir)
	if err := b.tools(ctx); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"csv", b.csvSteps},
		{"big", b.bigSteps},
		{"xlsx", b.xlsxSteps},
		{"report", b.reportSteps},
		{"serve", b.serveSteps},
	}
	for _, s := range steps {
		if !c.want(s.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		progress("== %s (load %s)", s.name, loadavg())
		if err := s.fn(ctx); err != nil {
			// A step that fails is reported and the others still run:
			// one broken path should not hide the other figures.
			b.notes = append(b.notes, fmt.Sprintf("step %s failed: %v", s.name, err))
			progress("step %s failed: %v", s.name, err)
		}
	}
	b.memoryTarget()
	b.print(os.Stdout, startLoad, loadavg())
	return nil
}

// tools builds heard and looks for sqlite3 and pandas.
func (b *bench) tools(ctx context.Context) error {
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	b.heard = filepath.Join(b.dir, "heard")
	build := exec.CommandContext(ctx, "go", "build", "-o", b.heard, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build heard in %s: %w\n%s", root, err, out)
	}
	rev, _ := exec.CommandContext(ctx, "git", "-C", root, "describe", "--always", "--dirty").Output()
	goVersion, _ := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	b.notes = append(b.notes, fmt.Sprintf("heard built from %s at %s with %s", root, strings.TrimSpace(string(rev)), strings.TrimSpace(string(goVersion))))

	if path, err := exec.LookPath(b.config.sqlite3); err != nil {
		b.notes = append(b.notes, fmt.Sprintf("sqlite3 not found (%v): the sqlite3 figures are left out; on Debian: apt-get install -y sqlite3", err))
	} else {
		b.sqlite3 = path
		v, _ := exec.CommandContext(ctx, path, "--version").Output()
		b.notes = append(b.notes, "sqlite3 "+strings.Join(strings.Fields(string(v))[:min(2, len(strings.Fields(string(v))))], " "))
	}

	candidates := []string{"/usr/bin/python3", "python3"}
	if b.config.python != "" {
		candidates = []string{b.config.python}
	}
	for _, py := range candidates {
		out, err := exec.CommandContext(ctx, py, "-c", "import pandas, openpyxl; print(pandas.__version__, openpyxl.__version__)").Output()
		if err == nil {
			b.python = py
			v := strings.Fields(string(out))
			b.notes = append(b.notes, fmt.Sprintf("pandas %s, openpyxl %s (%s)", v[0], v[1], py))
			break
		}
	}
	if b.python == "" {
		b.notes = append(b.notes, "pandas with openpyxl cannot be imported by "+strings.Join(candidates, " or ")+": the pandas figures are left out; on Debian: apt-get install -y python3-pandas python3-openpyxl, then -python /usr/bin/python3")
	}
	return nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run this inside heard's module (go run ./cmd/benchwhole from its folder)")
	}
	return filepath.Dir(mod), nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().UTC().Format("15:04:05")+" "+format+"\n", args...)
}

// shown is a command line as printed: the temporary folder is $TMP.
func (b *bench) shown(argv []string, stdin string) string {
	var parts []string
	for _, a := range argv {
		a = strings.ReplaceAll(a, b.dir, "$TMP")
		if a == filepath.Join("$TMP", "heard") {
			a = "heard"
		}
		if a == b.sqlite3 {
			a = filepath.Base(a)
		}
		if strings.ContainsAny(a, " '\"$;|&<>()*?") && !strings.HasPrefix(a, "$TMP") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	s := strings.Join(parts, " ")
	if stdin != "" {
		s = stdin + " | " + s
	}
	return s
}
