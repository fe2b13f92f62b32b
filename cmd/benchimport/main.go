// Command benchimport measures heard's import against the raw limit of the
// same machine, and prints the figures recorded in docs/benchmarks.md.
//
// It generates a survey of -rows respondents x 25 columns as CSV and XLSX,
// then times, each in a child process of its own so that peak memory (max
// RSS) is measured per step:
//
//   - the whole import (`heard import` through the same code, into a new database);
//   - reading the file alone (encoding/csv, or excelize's streaming reader
//     with raw cell values);
//   - a prepared multi-row INSERT of the same values, in one transaction,
//     into a plain wide table, alone.
//
// Usage: go run ./cmd/benchimport [-rows 100000] [-runs 3]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "step" {
		if err := runStep(os.Args[2], os.Args[3:]); err != nil {
			fmt.Fprintln(os.Stderr, "benchimport:", err)
			os.Exit(1)
		}
		return
	}
	rows := flag.Int("rows", 100_000, "respondents in the generated survey")
	runs := flag.Int("runs", 3, "runs of each step; the median time and the largest peak memory are shown")
	flag.Parse()
	if err := bench(os.Stdout, *rows, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchimport:", err)
		os.Exit(1)
	}
}

// result is one step's measurement, as a child prints it.
type result struct {
	Rows int `json:"rows"`
	// PeakKB is the step's peak resident memory (VmHWM). The process's
	// own figure is used, not the rusage of the child, because Linux
	// carries the parent's peak across fork and exec into the child's.
	PeakKB int64 `json:"peak_kb"`
}

type measured struct {
	seconds float64
	peakMB  float64
	rows    int
}

func bench(w io.Writer, rows, runs int) error {
	dir, err := os.MkdirTemp("", "heard-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	csvPath, xlsxPath := filepath.Join(dir, "survey.csv"), filepath.Join(dir, "survey.xlsx")
	if err := generate(csvPath, xlsxPath, rows); err != nil {
		return err
	}
	steps := []struct{ name, step, file string }{
		{"CSV: heard import (whole)", "import", csvPath},
		{"CSV: read alone (encoding/csv)", "read-csv", csvPath},
		{"XLSX: heard import (whole)", "import", xlsxPath},
		{"XLSX: read alone (excelize stream, raw values)", "read-xlsx", xlsxPath},
		{"INSERT alone (prepared, 100 rows a statement, one transaction)", "insert", csvPath},
	}
	got := make(map[string]measured)
	for _, s := range steps {
		m, err := measure(dir, s.step, s.file, rows, runs)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		got[s.name] = m
	}
	fmt.Fprintf(w, "%d respondents x 25 columns; median of %d runs; peak = the step process's peak resident memory (VmHWM)\n\n", rows, runs)
	fmt.Fprintln(w, "| step | seconds | rows/s | peak MB |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, s := range steps {
		m := got[s.name]
		fmt.Fprintf(w, "| %s | %.2f | %.0f | %.0f |\n", s.name, m.seconds, float64(m.rows)/m.seconds, m.peakMB)
	}
	ins := got[steps[4].name]
	for _, pair := range [][2]string{{steps[0].name, steps[1].name}, {steps[2].name, steps[3].name}} {
		imp, read := got[pair[0]], got[pair[1]]
		limit := read.seconds + ins.seconds
		fmt.Fprintf(w, "\n%s: %.2f s against read + insert back to back %.2f s: %.0f%% of the raw speed (target at least 50%%)",
			pair[0], imp.seconds, limit, 100*limit/imp.seconds)
	}
	fmt.Fprintln(w)
	return nil
}

// measure runs one step in child processes and keeps the median time and
// the largest peak memory.
func measure(dir, step, file string, rows, runs int) (measured, error) {
	self, err := os.Executable()
	if err != nil {
		return measured{}, err
	}
	var times []float64
	var m measured
	for i := range runs {
		db := filepath.Join(dir, fmt.Sprintf("%s-%d.db", step, i))
		cmd := exec.Command(self, "step", step, file, db, fmt.Sprint(rows))
		cmd.Stderr = os.Stderr
		start := time.Now()
		out, err := cmd.Output()
		elapsed := time.Since(start).Seconds()
		if err != nil {
			return m, fmt.Errorf("step %s: %w", step, err)
		}
		var r result
		if err := json.Unmarshal(out, &r); err != nil {
			return m, fmt.Errorf("step %s printed %q: %w", step, out, err)
		}
		if r.Rows != rows {
			return m, fmt.Errorf("step %s handled %d rows, want %d", step, r.Rows, rows)
		}
		times = append(times, elapsed)
		m.peakMB = max(m.peakMB, float64(r.PeakKB)/1024)
		m.rows = r.Rows
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
	}
	slices.Sort(times)
	m.seconds = times[len(times)/2]
	return m, nil
}

func runStep(step string, args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("step %s: want FILE DB ROWS", step)
	}
	file, db := args[0], args[1]
	var rows int
	if _, err := fmt.Sscan(args[2], &rows); err != nil {
		return err
	}
	var n int
	var err error
	switch step {
	case "import":
		n, err = stepImport(context.Background(), file, db)
	case "read-csv":
		n, err = stepReadCSV(file)
	case "read-xlsx":
		n, err = stepReadXLSX(file)
	case "insert":
		n, err = stepInsert(db, rows)
	default:
		err = fmt.Errorf("unknown step %q", step)
	}
	if err != nil {
		return err
	}
	peak, err := peakKB()
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(result{Rows: n, PeakKB: peak})
}

// peakKB reads this process's peak resident memory from /proc.
func peakKB() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read peak memory: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
