// Command benchhostile measures how fast, and in how much memory, `heard
// import` refuses the crafted workbooks of issue 8 finding 6: cells and
// parts nesting millions of elements, and shared strings repeated in
// thousands of cells. Each import runs in its own process of the heard
// binary (built first, from the repository the command is run in) under
// /usr/bin/time, so the time is the whole process's wall time and the
// memory its peak resident set (max RSS).
//
// Usage, from the repository root: go run ./cmd/benchhostile [-runs 3]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-council/heard/importers/synthetic"
)

// crafted is one hostile workbook.
type crafted struct {
	name  string
	file  string
	write func(io.Writer) error
}

func nestedAt(where synthetic.Nest, depth int) func(io.Writer) error {
	return func(w io.Writer) error { return synthetic.WriteNestedXLSX(w, where, depth) }
}

func repeated(texts, textBytes, refs int) func(io.Writer) error {
	return func(w io.Writer) error { return synthetic.WriteRepeatedTextXLSX(w, texts, textBytes, refs) }
}

var files = []crafted{
	{"cell nesting 10,000,000 elements", "nested-cell-10m.xlsx", nestedAt(synthetic.NestCell, 10_000_000)},
	{"cell nesting 30,000,000 elements", "nested-cell-30m.xlsx", nestedAt(synthetic.NestCell, 30_000_000)},
	{"inline string nesting 10,000,000 <is><t>", "nested-inline-10m.xlsx", nestedAt(synthetic.NestInlineString, 10_000_000)},
	{"rich-text runs nesting 10,000,000 deep", "nested-rich-10m.xlsx", nestedAt(synthetic.NestRichText, 10_000_000)},
	{"shared strings nesting 10,000,000 runs", "nested-sst-10m.xlsx", nestedAt(synthetic.NestSharedStrings, 10_000_000)},
	{"workbook.xml nesting 10,000,000 elements", "nested-workbook-10m.xlsx", nestedAt(synthetic.NestWorkbook, 10_000_000)},
	{"styles.xml nesting 10,000,000 elements", "nested-styles-10m.xlsx", nestedAt(synthetic.NestStyles, 10_000_000)},
	{"6,000,000 empty shared strings", "entries-6m.xlsx", func(w io.Writer) error {
		return synthetic.WriteManySharedStringsXLSX(w, 6_000_000)
	}},
	{"100,000,000 empty shared strings", "entries-100m.xlsx", func(w io.Writer) error {
		return synthetic.WriteManySharedStringsXLSX(w, 100_000_000)
	}},
	{"one 900 KB shared string in 20,000 rows", "repeated-900kb-x20000.xlsx", repeated(1, 900_000, 20_000)},
	{"500 shared strings of 100 KB in 15,000 rows", "repeated-500x100kb-x15000.xlsx", repeated(500, 100_000, 15_000)},
}

func main() {
	runs := flag.Int("runs", 3, "imports of each file; the median time and the largest peak are shown")
	flag.Parse()
	if err := bench(os.Stdout, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchhostile:", err)
		os.Exit(1)
	}
}

func bench(out io.Writer, runs int) error {
	dir, err := os.MkdirTemp("", "benchhostile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	heard := filepath.Join(dir, "heard")
	if b, err := exec.Command("go", "build", "-o", heard, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, b)
	}
	fmt.Fprintf(out, "heard import of each file into a new database, %d runs; median wall time, largest max RSS\n\n", runs)
	fmt.Fprintln(out, "| crafted workbook | zipped | seconds | peak MB | heard says |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---|")
	for i, f := range files {
		path := filepath.Join(dir, f.file)
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			return err
		}
		var secs, peaks []float64
		var said string
		for r := range runs {
			db := fmt.Sprintf("run-%d-%d.db", i, r)
			s, peak, msg, err := timeImport(dir, heard, db, f.file)
			if err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
			secs, peaks, said = append(secs, s), append(peaks, peak), msg
		}
		slices.Sort(secs)
		fmt.Fprintf(out, "| %s (%s) | %s | %.2f | %.0f | %s |\n", f.name, f.file, kb(buf.Len()), secs[len(secs)/2],
			slices.Max(peaks), said)
		os.Remove(path)
	}
	return nil
}

// timeImport runs heard import under /usr/bin/time and returns the wall
// seconds, the peak resident MB and the message (heard must refuse the file).
func timeImport(dir, heard, db, file string) (float64, float64, string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("/usr/bin/time", "-f", "TIME %e %M", heard, "import", "--db", db, file)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return 0, 0, "", fmt.Errorf("heard imported it:\n%s", stdout.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()+"\n"+stdout.String()), "\n")
	var secs, peakKB float64
	var msg []string
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, "TIME "); ok {
			f := strings.Fields(rest)
			secs, _ = strconv.ParseFloat(f[0], 64)
			peakKB, _ = strconv.ParseFloat(f[1], 64)
		} else if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Command exited") {
			msg = append(msg, l)
		}
	}
	if secs == 0 && peakKB == 0 {
		return 0, 0, "", fmt.Errorf("no figures from /usr/bin/time: %s", stderr.String())
	}
	said := strings.Join(msg, " ")
	if _, after, ok := strings.Cut(said, "nothing was stored. - "); ok {
		said = after
	}
	if len(said) > 240 {
		said = said[:240] + "..."
	}
	return secs, peakKB / 1024, said, nil
}

func kb(n int) string { return fmt.Sprintf("%d KB", (n+512)/1024) }
