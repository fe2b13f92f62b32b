package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/importers/synthetic"
)

const (
	surveyName = "bench"
	// The survey's slug, as heard makes it from the name.
	surveySlug = "bench"
	email      = "bench@example.org"
	// heard refuses larger files unless told (heard import -max-file-mb).
	defaultMaxFileMB = 200
)

// csvFile generates (once) a CSV of n respondents.
func (b *bench) csvFile(n int, dated bool) (string, error) {
	name := fmt.Sprintf("survey-%d-%s.csv", n, orderName(dated))
	path := filepath.Join(b.dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	progress("generating %s", name)
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := errors.Join(synthetic.WriteCSVWith(f, n, 1, synthetic.Options{DateOrder: dated}), f.Close()); err != nil {
		return "", err
	}
	return path, nil
}

// xlsxFile generates (once) a workbook of n respondents, dates in random order.
func (b *bench) xlsxFile(n int, shared bool) (string, error) {
	kind := "inline"
	if shared {
		kind = "shared"
	}
	path := filepath.Join(b.dir, fmt.Sprintf("survey-%d-%s.xlsx", n, kind))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	progress("generating %s", filepath.Base(path))
	return path, synthetic.WriteXLSXWith(path, n, 1, synthetic.Options{SharedStrings: shared})
}

func orderLabel(dated bool) string {
	if dated {
		return "in date order"
	}
	return "dates in random order"
}

func orderName(dated bool) string {
	if dated {
		return "dated"
	}
	return "random"
}

func sizeMB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / (1 << 20)
}

// removeDB removes a database and its WAL files.
func removeDB(db string) {
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(db + s)
	}
}

// copyDB copies a closed database (and its WAL, if any) to dst.
func copyDB(src, dst string) error {
	removeDB(dst)
	for _, s := range []string{"", "-wal"} {
		in, err := os.Open(src + s)
		if errors.Is(err, os.ErrNotExist) && s != "" {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.Create(dst + s)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err := errors.Join(err, out.Close()); err != nil {
			return err
		}
	}
	return nil
}

// heardImport is `heard import` of file into a new database at db.
// seed, if given, prepares the new database first, untimed; flags go
// before the file.
func (b *bench) heardImport(file, db string, rows int, seed func(db string) error, flags ...string) proc {
	argv := append([]string{b.heard, "import", "--db", db, "--survey", surveyName, "--json"}, flags...)
	if mb := int(sizeMB(file)) + 1; mb > defaultMaxFileMB {
		argv = append(argv, "--max-file-mb", strconv.Itoa(mb))
	}
	argv = append(argv, file)
	return proc{
		argv: argv,
		prepare: func(int) error {
			removeDB(db)
			if seed != nil {
				return seed(db)
			}
			return nil
		},
		check: func(_ int, out []byte) error {
			var rep struct {
				Added  int   `json:"responses_added"`
				Errors []any `json:"errors"`
			}
			if err := json.NewDecoder(bytes.NewReader(out)).Decode(&rep); err != nil {
				return fmt.Errorf("read its JSON report: %w (%s)", err, tail(out, 300))
			}
			if rep.Added != rows || len(rep.Errors) > 0 {
				return fmt.Errorf("added %d responses, want %d (errors: %v)", rep.Added, rows, rep.Errors)
			}
			return nil
		},
		after: func(int) { removeDB(db) },
	}
}

// sqliteImport is the sqlite3 command line's `.import --csv` of file into
// a new WAL database at db.
func (b *bench) sqliteImport(file, db string, rows int) (proc, string, error) {
	script := filepath.Join(b.dir, "import-"+filepath.Base(file)+".sql")
	body := "PRAGMA journal_mode=WAL;\n.import --csv " + file + " t\n"
	if err := os.WriteFile(script, []byte(body), 0o600); err != nil {
		return proc{}, "", err
	}
	shownIn := "printf 'PRAGMA journal_mode=WAL;\\n.import --csv " + strings.ReplaceAll(file, b.dir, "$TMP") + " t\\n'"
	return proc{
		argv:    []string{b.sqlite3, db},
		stdin:   script,
		prepare: func(int) error { removeDB(db); return nil },
		check: func(int, []byte) error {
			out, err := exec.Command(b.sqlite3, db, "SELECT count(*) FROM t").Output()
			if err != nil {
				return fmt.Errorf("count the imported rows: %w", err)
			}
			if got := strings.TrimSpace(string(out)); got != strconv.Itoa(rows) {
				return fmt.Errorf("imported %s rows, want %d", got, rows)
			}
			return nil
		},
		after: func(int) { removeDB(db) },
	}, shownIn, nil
}

// add appends a series for p and returns it.
func (b *bench) add(name string, p proc, shownIn string) *series {
	s := &series{name: name, command: b.shown(p.argv, shownIn)}
	b.results = append(b.results, s)
	return s
}

func (b *bench) csvSteps(ctx context.Context) error {
	var procs []proc
	var out []*series
	type pair struct{ heard, noThemes, sqlite *series }
	var pairs []pair
	for _, dated := range []bool{false, true} {
		file, err := b.csvFile(b.rows, dated)
		if err != nil {
			return err
		}
		label := fmt.Sprintf("CSV %s rows (%.1f MB), %s", thousands(b.rows), sizeMB(file), orderLabel(dated))
		h := b.heardImport(file, filepath.Join(b.dir, "csv-heard.db"), b.rows, nil)
		p := pair{heard: b.add(label+": heard import", h, "")}
		procs, out = append(procs, h), append(out, p.heard)
		if b.noThemes {
			nt := b.heardImport(file, filepath.Join(b.dir, "csv-heard-nt.db"), b.rows, nil, "--no-themes")
			p.noThemes = b.add(label+": heard import --no-themes", nt, "")
			procs, out = append(procs, nt), append(out, p.noThemes)
		}
		if b.sqlite3 != "" {
			s, in, err := b.sqliteImport(file, filepath.Join(b.dir, "csv-sqlite.db"), b.rows)
			if err != nil {
				return err
			}
			p.sqlite = b.add(label+": sqlite3 .import", s, in)
			procs, out = append(procs, s), append(out, p.sqlite)
		}
		pairs = append(pairs, p)
	}
	if err := b.run.interleave(ctx, b.runs, procs, nil, out); err != nil {
		return err
	}
	for i, p := range pairs {
		what := fmt.Sprintf("CSV %s rows, %s: at most 1.2x sqlite3 `.import --csv` (WAL)", thousands(b.rows), orderLabel(i == 1))
		if p.sqlite == nil {
			b.targets = append(b.targets, target{what, secs(p.heard.median()), "sqlite3 missing", "not measured", p.heard.command})
			continue
		}
		ratio := p.heard.median() / p.sqlite.median()
		beside := "sqlite3 " + secs(p.sqlite.median())
		if p.noThemes != nil {
			beside += fmt.Sprintf("; heard import --no-themes %s = %.2fx", secs(p.noThemes.median()), p.noThemes.median()/p.sqlite.median())
		}
		b.targets = append(b.targets, target{what,
			fmt.Sprintf("%s = %.2fx", secs(p.heard.median()), ratio),
			beside, met(ratio <= 1.2),
			p.heard.command + "<br>" + p.sqlite.command})
	}
	return nil
}

// pristine is the large import's database as `heard import` left it, with
// an account and an API token made before the import.
type pristine struct {
	db, token string
}

// seedAccount makes an admin account and an API token in a new database,
// as a council's set-up would before its first import.
func (b *bench) seedAccount(db string) (string, error) {
	add := exec.Command(b.heard, "user", "add", "--db", db, "--email", email, "--role", "admin", "--password-stdin")
	add.Stdin = strings.NewReader("benchwhole-password-not-secret\n")
	if out, err := add.CombinedOutput(); err != nil {
		return "", fmt.Errorf("heard user add: %w: %s", err, out)
	}
	out, err := exec.Command(b.heard, "token", "create", "--db", db, "--email", email, "--name", "benchwhole").Output()
	if err != nil {
		return "", fmt.Errorf("heard token create: %w", err)
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	if len(lines) == 0 {
		return "", errors.New("heard token create printed no token")
	}
	return lines[len(lines)-1], nil
}

func (b *bench) bigSteps(ctx context.Context) error {
	if b.big <= 0 {
		return errors.New("-big is 0")
	}
	file, err := b.csvFile(b.big, false)
	if err != nil {
		return err
	}
	label := fmt.Sprintf("CSV %s rows (%.1f MB), %s", thousands(b.big), sizeMB(file), orderLabel(false))
	db := filepath.Join(b.dir, "big-heard.db")
	keep := filepath.Join(b.dir, "pristine.db")
	var token string
	h := b.heardImport(file, db, b.big, func(db string) (err error) {
		token, err = b.seedAccount(db)
		return err
	})
	h.after = func(run int) {
		if run == 0 {
			// The first run's database is kept for the report and serve
			// steps, as the import left it.
			removeDB(keep)
			for _, s := range []string{"", "-wal", "-shm"} {
				os.Rename(db+s, keep+s)
			}
			b.pristine = &pristine{db: keep, token: token}
			return
		}
		removeDB(db)
	}
	procs := []proc{h}
	out := []*series{b.add(label+": heard import", h, "")}
	var nt *series
	if b.noThemes {
		p := b.heardImport(file, filepath.Join(b.dir, "big-heard-nt.db"), b.big, nil, "--no-themes")
		nt = b.add(label+": heard import --no-themes", p, "")
		procs, out = append(procs, p), append(out, nt)
	}
	var sq *series
	if b.sqlite3 != "" {
		s, in, err := b.sqliteImport(file, filepath.Join(b.dir, "big-sqlite.db"), b.big)
		if err != nil {
			return err
		}
		sq = b.add(label+": sqlite3 .import", s, in)
		procs, out = append(procs, s), append(out, sq)
	}
	if err := b.run.interleave(ctx, b.bigRuns, procs, nil, out); err != nil {
		return err
	}
	timeBeside, peakBeside := "sqlite3 missing", "sqlite3 missing"
	if sq != nil {
		timeBeside, peakBeside = "sqlite3 "+secs(sq.median()), fmt.Sprintf("sqlite3 %.0f MB", sq.peakMB())
	}
	if nt != nil {
		timeBeside += "; heard import --no-themes " + secs(nt.median())
		peakBeside += fmt.Sprintf("; heard import --no-themes %.0f MB", nt.peakMB())
	}
	b.targets = append(b.targets,
		target{fmt.Sprintf("CSV %s rows: under 12 s", thousands(b.big)), secs(out[0].median()), timeBeside, met(out[0].median() < 12), out[0].command},
		target{fmt.Sprintf("CSV %s rows: peak memory under 100 MB", thousands(b.big)), fmt.Sprintf("%.0f MB", out[0].peakMB()), peakBeside, met(out[0].peakMB() < 100), out[0].command})
	return nil
}

func (b *bench) xlsxSteps(ctx context.Context) error {
	var procs []proc
	var limit []int
	var out []*series
	type trio struct{ heard, noThemes, excelize, pandas *series }
	var kinds []trio
	for _, shared := range []bool{false, true} {
		file, err := b.xlsxFile(b.rows, shared)
		if err != nil {
			return err
		}
		kind := "inline strings"
		if shared {
			kind = "shared strings"
		}
		label := fmt.Sprintf("XLSX %s rows (%.1f MB), %s", thousands(b.rows), sizeMB(file), kind)
		var t trio
		h := b.heardImport(file, filepath.Join(b.dir, "xlsx-heard.db"), b.rows, nil)
		t.heard = b.add(label+": heard import", h, "")
		procs, limit, out = append(procs, h), append(limit, 0), append(out, t.heard)
		if b.noThemes {
			nt := b.heardImport(file, filepath.Join(b.dir, "xlsx-heard-nt.db"), b.rows, nil, "--no-themes")
			t.noThemes = b.add(label+": heard import --no-themes", nt, "")
			procs, limit, out = append(procs, nt), append(limit, 0), append(out, t.noThemes)
		}
		x := proc{argv: []string{b.run.self, "read-xlsx", file}, check: countIs(b.rows)}
		t.excelize = b.add(label+": excelize streaming read alone (raw values)", x, "")
		t.excelize.command = strings.Replace(t.excelize.command, b.run.self, "go run ./cmd/benchwhole", 1)
		procs, limit, out = append(procs, x), append(limit, 0), append(out, t.excelize)
		if b.python != "" {
			p := proc{argv: []string{b.python, "-c", "import sys, pandas; print(len(pandas.read_excel(sys.argv[1])))", file}, check: countIs(b.rows)}
			t.pandas = b.add(label+": pandas read_excel", p, "")
			procs, limit, out = append(procs, p), append(limit, max(1, b.pandasRuns)), append(out, t.pandas)
		}
		kinds = append(kinds, t)
	}
	if err := b.run.interleave(ctx, b.runs, procs, limit, out); err != nil {
		return err
	}
	for i, t := range kinds {
		kind := []string{"inline strings", "shared strings"}[i]
		b.targets = append(b.targets, target{fmt.Sprintf("XLSX %s rows, %s: under 2.5 s", thousands(b.rows), kind),
			fmt.Sprintf("%s, peak %.0f MB", secs(t.heard.median()), t.heard.peakMB()),
			"excelize read alone " + secs(t.excelize.median()) + t.noThemes.figure(), met(t.heard.median() < 2.5), t.heard.command})
		if t.pandas == nil {
			b.targets = append(b.targets, target{fmt.Sprintf("XLSX %s rows, %s: at least 10x faster than pandas read_excel", thousands(b.rows), kind),
				secs(t.heard.median()), "pandas missing; excelize read alone " + secs(t.excelize.median()), "not measured", t.heard.command})
			continue
		}
		ratio := t.pandas.median() / t.heard.median()
		b.targets = append(b.targets, target{fmt.Sprintf("XLSX %s rows, %s: at least 10x faster than pandas read_excel", thousands(b.rows), kind),
			fmt.Sprintf("%s = %.1fx faster", secs(t.heard.median()), ratio),
			fmt.Sprintf("pandas %s (%d run%s); excelize read alone %s", secs(t.pandas.median()), len(t.pandas.samples), plural(len(t.pandas.samples)), secs(t.excelize.median())),
			met(ratio >= 10), t.heard.command + "<br>" + t.pandas.command})
	}
	return nil
}

// countIs checks that a process printed n.
func countIs(n int) func(int, []byte) error {
	return func(_ int, out []byte) error {
		if got := strings.TrimSpace(string(out)); got != strconv.Itoa(n) {
			return fmt.Errorf("read %q rows, want %d", got, n)
		}
		return nil
	}
}

func (b *bench) reportSteps(ctx context.Context) error {
	if b.pristine == nil {
		return errors.New("needs the large import (step big) first")
	}
	db := filepath.Join(b.dir, "report.db")
	argv := []string{b.heard, "report", "--db", db, "--survey", surveyName}
	check := func(_ int, out []byte) error {
		if len(bytes.TrimSpace(out)) == 0 {
			return errors.New("printed no report")
		}
		return nil
	}
	first := proc{argv: argv, check: check,
		prepare: func(int) error { return copyDB(b.pristine.db, db) },
		after:   func(int) { removeDB(db) }}
	fs := b.add(fmt.Sprintf("first `heard report` after importing %s rows", thousands(b.big)), first, "")
	if err := b.run.interleave(ctx, b.bigRuns, []proc{first}, nil, []*series{fs}); err != nil {
		return err
	}
	// Later reports: the first one is run untimed, then each later one timed.
	if err := copyDB(b.pristine.db, db); err != nil {
		return err
	}
	defer removeDB(db)
	if _, _, err := b.run.once(ctx, proc{argv: argv, check: check}, 0); err != nil {
		return fmt.Errorf("first report before the later ones: %w", err)
	}
	later := proc{argv: argv, check: check}
	ls := b.add("later `heard report` (the same database, after the first)", later, "")
	if err := b.run.interleave(ctx, max(1, b.later), []proc{later}, nil, []*series{ls}); err != nil {
		return err
	}
	b.targets = append(b.targets,
		target{fmt.Sprintf("first `heard report` after a CLI import of %s: under 1 s", thousands(b.big)), secs(fs.median()), fmt.Sprintf("peak %.0f MB", fs.peakMB()), met(fs.median() < 1), fs.command},
		target{"later `heard report` processes: under 50 ms each", secs(ls.median()), fmt.Sprintf("median of %d", len(ls.samples)), met(ls.median() < 0.05), ls.command})
	return nil
}

// readXLSX is `benchwhole read-xlsx FILE`: every row of the first sheet
// through excelize's streaming reader with raw values, the way heard read
// workbooks before issue 13; it prints the number of rows below the header.
func readXLSX(args []string) error {
	if len(args) != 1 {
		return errors.New("read-xlsx: want FILE")
	}
	// heard's limits: 1 GB unpacked; at most 32 MB of a sheet kept in
	// memory, the rest read back from excelize's temporary file.
	f, err := excelize.OpenFile(args[0], excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return err
	}
	defer rows.Close()
	n := -1
	for rows.Next() {
		if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
			return err
		}
		n++
	}
	if err := rows.Error(); err != nil {
		return err
	}
	fmt.Println(n)
	return nil
}

// memoryTarget is the largest peak of every `heard import` timed.
func (b *bench) memoryTarget() {
	var top *series
	var all []string
	for _, s := range b.results {
		if !strings.Contains(s.name, ": heard import") || len(s.samples) == 0 {
			continue
		}
		// "CSV 100,000 rows (35.9 MB), in date order: heard import" -> "CSV 100,000 rows, in date order"
		name, flags, _ := strings.Cut(s.name, ": heard import")
		if open := strings.Index(name, " ("); open >= 0 {
			if end := strings.Index(name[open:], ")"); end >= 0 {
				name = name[:open] + name[open+end+1:]
			}
		}
		all = append(all, fmt.Sprintf("%s%s %.0f MB", name, flags, s.peakMB()))
		if top == nil || s.peakMB() > top.peakMB() {
			top = s
		}
	}
	if top == nil {
		return
	}
	b.targets = append(b.targets, target{"Memory: every import's peak under 100 MB, flat in the rows",
		fmt.Sprintf("largest %.0f MB", top.peakMB()), strings.Join(all, "; "), met(top.peakMB() < 100), top.command})
}

// figure is "; heard import --no-themes TIME", or "" without the series.
func (s *series) figure() string {
	if s == nil || len(s.samples) == 0 {
		return ""
	}
	return fmt.Sprintf("; heard import --no-themes %s", secs(s.median()))
}
