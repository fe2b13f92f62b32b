// Command benchscale measures heard at scale on SQLite and PostgreSQL and
// prints a markdown table of each figure against its target (issue 14).
//
// For each backend it builds heard once (go build), generates synthetic
// surveys of 1,000,000 responses (importers/synthetic, as cmd/benchimport),
// and then, each step a process of its own:
//
//   - imports the first file with `heard import` (time, and peak memory from
//     the rusage of the import, started from a small measuring child of its
//     own: see cmd/internal/wholeproc);
//   - times `heard report` for the monthly report of one question and for a
//     40-group breakdown (team x gender, by month): the first run after the
//     import (another process), then the median of -warm runs. These are
//     whole processes, start-up and store opening included;
//   - imports further 1,000,000-response files in turn up to each size in
//     -rows, and times the reports again;
//   - reads the database size (the SQLite file, or pg_database_size);
//   - on PostgreSQL, starts two `heard serve` on the same database and
//     attacks the survey's report JSON with vegeta at -rate for -duration,
//     round-robin over both, with an API token made by `heard token create`.
//
// Usage: go run ./cmd/benchscale [-backend sqlite|postgres|both] [-rows 1000000,10000000]
// [-pg postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable] [-xlsx]
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/heard-council/heard/cmd/internal/wholeproc"
	"github.com/heard-council/heard/importers/synthetic"
)

// question is the generated survey's question the reports are of.
const question = "Overall, how satisfied or dissatisfied are you with the care and support you receive?"

// perFile is the number of responses in each generated file (-per, for a
// quick trial run).
var perFile = 1_000_000

type config struct {
	backends []string
	sizes    []int
	pg       string
	xlsx     bool
	warm     int
	rate     int
	duration time.Duration
	dir      string
	heard    string
}

// row is one line of the final table.
type row struct {
	target, figure, met, command string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "measure" {
		if err := wholeproc.Child(os.Stdout, os.Args[2:]); err != nil {
			fail(err)
		}
		return
	}
	backend := flag.String("backend", "both", "sqlite, postgres or both")
	rows := flag.String("rows", "1000000,10000000", "database sizes to measure the reports at, comma-separated (multiples of 1,000,000)")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server URL; a database is made on it for the run and dropped after")
	xlsx := flag.Bool("xlsx", false, "also import the first 1,000,000 responses from XLSX (into a database of its own)")
	warm := flag.Int("warm", 10, "warm runs of each report; the median is shown")
	rate := flag.Int("rate", 50, "requests a second of the dashboard attack")
	duration := flag.Duration("duration", 30*time.Second, "length of the dashboard attack")
	flag.IntVar(&perFile, "per", perFile, "responses in each generated file (fewer only for a trial run of the command)")
	flag.Parse()
	c := config{pg: *pg, xlsx: *xlsx, warm: *warm, rate: *rate, duration: *duration}
	switch *backend {
	case "both":
		c.backends = []string{"sqlite", "postgres"}
	case "sqlite", "postgres":
		c.backends = []string{*backend}
	default:
		fail(fmt.Errorf("-backend %q: want sqlite, postgres or both", *backend))
	}
	for _, s := range strings.Split(*rows, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < perFile || n%perFile != 0 {
			fail(fmt.Errorf("-rows: %q is not a multiple of %d", s, perFile))
		}
		c.sizes = append(c.sizes, n)
	}
	slices.Sort(c.sizes)
	if err := run(c); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchscale:", err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s load %s  %s\n", time.Now().UTC().Format("15:04:05"), load(), fmt.Sprintf(format, args...))
}

// load is the machine's load average over 1, 5 and 15 minutes.
func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

func run(c config) error {
	dir, err := os.MkdirTemp("", "heard-benchscale-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	c.dir = dir
	c.heard = filepath.Join(dir, "heard")
	logf("go build -o %s .", c.heard)
	if out, err := exec.Command("go", "build", "-o", c.heard, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	var table []row
	for _, b := range c.backends {
		rows, err := c.backend(b)
		table = append(table, rows...)
		if err != nil {
			printTable(table)
			return fmt.Errorf("%s: %w", b, err)
		}
	}
	printTable(table)
	return nil
}

func printTable(rows []row) {
	fmt.Printf("\nLoad average at the end: %s (2 cores)\n\n", load())
	fmt.Println("| target | figure | met | command |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.target, r.figure, r.met, r.command)
	}
}

// csvFile generates (once) the i-th file of 1,000,000 responses.
func (c config) csvFile(i int) (string, error) {
	path := filepath.Join(c.dir, fmt.Sprintf("survey-%d.csv", i))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	logf("generate %s", path)
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	// Each seed gives respondent ids of its own, so no file repeats another.
	if err := synthetic.WriteCSV(f, perFile, uint64(i)); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// database makes an empty database for backend and returns its --db value
// and a function that drops it and reports its size.
func (c config) database(backend, name string) (string, func() (int64, error), func(), error) {
	if backend == "sqlite" {
		path := filepath.Join(c.dir, name+".db")
		size := func() (int64, error) {
			var n int64
			for _, suffix := range []string{"", "-wal"} {
				if st, err := os.Stat(path + suffix); err == nil {
					n += st.Size()
				}
			}
			return n, nil
		}
		drop := func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		return path, size, drop, nil
	}
	admin, err := sql.Open("pgx", c.pg)
	if err != nil {
		return "", nil, nil, err
	}
	dbName := fmt.Sprintf("heard_bench_%d_%s", os.Getpid(), name)
	if _, err := admin.Exec(`CREATE DATABASE "` + dbName + `"`); err != nil {
		admin.Close()
		return "", nil, nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(c.pg)
	if err != nil {
		return "", nil, nil, err
	}
	u.Path = "/" + dbName
	size := func() (int64, error) {
		var n int64
		err := admin.QueryRow("SELECT pg_database_size($1)", dbName).Scan(&n)
		return n, err
	}
	drop := func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS "` + dbName + `" WITH (FORCE)`); err != nil {
			logf("drop %s: %v", dbName, err)
		}
		admin.Close()
	}
	return u.String(), size, drop, nil
}

// result of one child process.
type result struct {
	seconds float64
	peakMB  float64
	out     []byte
}

// heardRun runs heard with args and measures it, through the measuring
// child (wholeproc): this process holds the generated workbook, whose peak
// a child started from here would report as its own.
func (c config) heardRun(args ...string) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	outPath, errPath := filepath.Join(c.dir, "stdout.txt"), filepath.Join(c.dir, "stderr.txt")
	s, err := wholeproc.Launch(context.Background(), self, wholeproc.Options{Stdout: outPath, Stderr: errPath, Timeout: time.Hour},
		append([]string{c.heard}, args...))
	if err != nil {
		return result{}, err
	}
	out, _ := os.ReadFile(outPath)
	r := result{seconds: s.Seconds, peakMB: s.PeakMB(), out: out}
	if s.Exit != 0 || s.TimedOut {
		errOut, _ := os.ReadFile(errPath)
		return r, fmt.Errorf("heard %s: exit %d (timed out: %v)\n%s%s", strings.Join(redactArgs(args), " "), s.Exit, s.TimedOut, out, errOut)
	}
	return r, nil
}

// redactArgs shows a postgres URL as "$DSN".
func redactArgs(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if strings.HasPrefix(a, "postgres") {
			out[i] = "$DSN"
		}
	}
	return out
}

func cmdline(args ...string) string { return "`heard " + strings.Join(redactArgs(args), " ") + "`" }

func (c config) backend(backend string) ([]row, error) {
	var rows []row
	pg := backend == "postgres"
	db, size, drop, err := c.database(backend, "csv")
	if err != nil {
		return nil, err
	}
	defer drop()
	const importLimitMB = 150
	imported := 0
	for _, target := range c.sizes {
		var worst result
		for imported < target {
			file, err := c.csvFile(imported/perFile + 1)
			if err != nil {
				return rows, err
			}
			// A file of 1,000,000 responses is about 360 MB, over the default limit of 200 MB.
			args := []string{"import", "--db", db, "--survey", "bench", "--max-file-mb", "2000", file}
			logf("%s: import file %d", backend, imported/perFile+1)
			r, err := c.heardRun(args...)
			if err != nil {
				return rows, err
			}
			logf("%s: import took %.1f s, peak %.0f MB", backend, r.seconds, r.peakMB)
			if imported == 0 {
				target := "import of " + human(perFile) + " responses from CSV (whole process)"
				met := "-"
				if pg && perFile == 1_000_000 {
					target = "1M-row CSV import < 15 s (whole process)"
					met = yes(r.seconds < 15)
				}
				rows = append(rows, row{backend + ": " + target, fmt.Sprintf("%.1f s (load %s)", r.seconds, load()), met,
					cmdline("import", "--db", db, "--survey", "bench", "--max-file-mb", "2000", "survey-1.csv")})
			}
			worst.peakMB = max(worst.peakMB, r.peakMB)
			worst.seconds = max(worst.seconds, r.seconds)
			imported += perFile
		}
		rows = append(rows, row{fmt.Sprintf("%s: every import's peak memory < %d MB (files of %s up to %s)", backend, importLimitMB, human(perFile), human(target)),
			fmt.Sprintf("%.0f MB largest (slowest import %.1f s)", worst.peakMB, worst.seconds), yes(worst.peakMB < importLimitMB), "ru_maxrss of each `heard import`, started from a small measuring child (cmd/internal/wholeproc)"})
		for _, rep := range []struct {
			name string
			args []string
		}{
			{"monthly report of one question", []string{"--period", "month"}},
			{"40-group breakdown (team x gender, by month)", []string{"--period", "month", "--by", "Team,Gender"}},
		} {
			args := append([]string{"report", "--db", db, "--survey", "bench", "--question", question, "--format", "json"}, rep.args...)
			first, err := c.heardRun(args...)
			if err != nil {
				return rows, err
			}
			var times []float64
			for range c.warm {
				r, err := c.heardRun(args...)
				if err != nil {
					return rows, err
				}
				times = append(times, r.seconds)
			}
			slices.Sort(times)
			warm := times[len(times)/2]
			logf("%s at %s: %s first %.3f s, warm median %.3f s", backend, human(target), rep.name, first.seconds, warm)
			warmLimit, firstLimit := 0.5, 0.0
			if pg {
				warmLimit, firstLimit = 0.2, 2
			}
			label := fmt.Sprintf("%s: %s at %s responses", backend, rep.name, human(target))
			cmd := strings.Replace(cmdline(args...), question, "'"+question+"'", 1) + " (whole process)"
			if target >= 10_000_000 {
				rows = append(rows, row{label + fmt.Sprintf(", warm < %.0f ms", warmLimit*1000), ms(warm), yes(warm < warmLimit), cmd})
				if firstLimit > 0 {
					rows = append(rows, row{label + ", first request after another process's import < 2 s", ms(first.seconds), yes(first.seconds < firstLimit), cmd})
				} else {
					rows = append(rows, row{label + ", first request after the import", ms(first.seconds), "-", cmd})
				}
			} else {
				rows = append(rows, row{label + ", warm / first request", ms(warm) + " / " + ms(first.seconds), "-", cmd})
			}
		}
		n, err := size()
		if err != nil {
			return rows, err
		}
		how := "size of the SQLite file (and its -wal)"
		if pg {
			how = "SELECT pg_database_size(...)"
		}
		rows = append(rows, row{fmt.Sprintf("%s: database size at %s responses", backend, human(target)), fmt.Sprintf("%.0f MB", float64(n)/1e6), "-", how})
	}
	if pg {
		r, err := c.dashboard(db)
		rows = append(rows, r...)
		if err != nil {
			return rows, err
		}
	}
	if c.xlsx {
		r, err := c.xlsxImport(backend)
		rows = append(rows, r...)
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

func (c config) xlsxImport(backend string) ([]row, error) {
	path := filepath.Join(c.dir, "survey-1.xlsx")
	if _, err := os.Stat(path); err != nil {
		logf("generate %s", path)
		if err := synthetic.WriteXLSX(path, perFile, 1); err != nil {
			return nil, err
		}
	}
	db, _, drop, err := c.database(backend, "xlsx")
	if err != nil {
		return nil, err
	}
	defer drop()
	// A 1,000,000-row workbook unpacks to more than the default 1 GB.
	r, err := c.heardRun("import", "--db", db, "--survey", "bench", "--max-file-mb", "2000", "--max-unzipped-mb", "8000", path)
	if err != nil {
		return nil, err
	}
	return []row{{backend + ": import of " + human(perFile) + " responses from XLSX (whole process); peak memory < 150 MB",
		fmt.Sprintf("%.1f s, peak %.0f MB (load %s)", r.seconds, r.peakMB, load()), yes(r.peakMB < 150),
		cmdline("import", "--db", db, "--survey", "bench", "--max-file-mb", "2000", "--max-unzipped-mb", "8000", "survey-1.xlsx")}}, nil
}

// dashboard attacks the report JSON of two heard serve on db.
func (c config) dashboard(db string) ([]row, error) {
	email := "bench@example.org"
	add := exec.Command(c.heard, "user", "add", "--db", db, "--email", email, "--role", "admin", "--name", "Bench", "--password-stdin")
	add.Stdin = strings.NewReader("correct horse battery staple 12345\n")
	if out, err := add.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("heard user add: %v\n%s", err, out)
	}
	tok, err := c.heardRun("token", "create", "--db", db, "--email", email, "--name", "benchscale")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(tok.out)), "\n")
	secret := strings.TrimSpace(lines[len(lines)-1])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var targets []vegeta.Target
	header := http.Header{"Authorization": {"Bearer " + secret}}
	for i, port := range []int{18471, 18472} {
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		srv := exec.CommandContext(ctx, c.heard, "serve", "--db", db, "--addr", addr)
		srv.Stdout, srv.Stderr = io.Discard, io.Discard
		if err := srv.Start(); err != nil {
			return nil, err
		}
		defer func() { cancel(); _ = srv.Wait() }()
		q := url.Values{"question": {question}, "period": {"month"}}
		u := "http://" + addr + "/api/v1/surveys/bench/report?" + q.Encode()
		if err := waitUp(u, header); err != nil {
			return nil, fmt.Errorf("instance %d: %w", i+1, err)
		}
		targets = append(targets, vegeta.Target{Method: "GET", URL: u, Header: header})
	}
	logf("postgres: vegeta %d rps for %s over two instances", c.rate, c.duration)
	attacker := vegeta.NewAttacker(vegeta.Timeout(10 * time.Second))
	var m vegeta.Metrics
	for res := range attacker.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: c.rate, Per: time.Second}, c.duration, "dashboard") {
		m.Add(res)
	}
	m.Close()
	logf("postgres: p50 %s p95 %s p99 %s success %.3f", m.Latencies.P50, m.Latencies.P95, m.Latencies.P99, m.Success)
	p95 := m.Latencies.P95.Seconds()
	return []row{{fmt.Sprintf("postgres: dashboard JSON p95 < 100 ms at %d rps across two instances (%s, %.0f%% 200s, at %s responses)",
		c.rate, c.duration, 100*m.Success, human(c.sizes[len(c.sizes)-1])),
		fmt.Sprintf("p95 %s (p50 %s, load %s)", ms(p95), ms(m.Latencies.P50.Seconds()), load()), yes(p95 < 0.1 && m.Success == 1),
		"vegeta (library) GET /api/v1/surveys/bench/report?question=...&period=month, Bearer token from `heard token create`"}}, nil
}

// waitUp waits for a heard serve to answer u with 200.
func waitUp(u string, header http.Header) error {
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header = header
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("status %d: %.200s", res.StatusCode, body)
		} else {
			last = err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.Join(errors.New("did not answer within 60 s"), last)
}

func yes(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func ms(s float64) string { return fmt.Sprintf("%.0f ms", s*1000) }

func human(n int) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return strconv.Itoa(n)
}
