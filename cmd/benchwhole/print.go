package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// print writes the figures as markdown, ready for docs/benchmarks.md.
func (b *bench) print(w io.Writer, startLoad, endLoad string) {
	fmt.Fprintf(w, "\nThe command:\n\n    go run ./cmd/benchwhole %s\n\n", strings.Join(b.args, " "))
	fmt.Fprintf(w, "Load average (1, 5, 15 min) at start %s, at end %s; $TMP is the run's temporary folder; peak = the process's peak resident memory (the kernel's rusage maxrss; a few MB of it is the timing process).\n", startLoad, endLoad)
	for _, n := range b.notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	fmt.Fprintln(w, "\n| step | median | runs | peak MB | command |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	for _, s := range b.results {
		if len(s.samples) == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.0f | `%s` |\n", s.name, secs(s.median()), len(s.samples), s.peakMB(), cell(s.command))
	}
	for _, e := range b.extra {
		peak := ""
		if e.peakMB > 0 {
			peak = fmt.Sprintf("%.0f", e.peakMB)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | `%s` |\n", e.name, e.figure, e.n, peak, e.command)
	}
	fmt.Fprintln(w, "\n| target | heard | beside it, same run | met | command |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, t := range b.targets {
		cmds := strings.Split(t.command, "<br>")
		for i := range cmds {
			cmds[i] = "`" + cell(cmds[i]) + "`"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", t.what, t.figure, t.beside, t.met, strings.Join(cmds, "<br>"))
	}
}

// cell escapes the pipes of a command for a markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// secs writes a duration in milliseconds below a second, in seconds from
// one second up.
func secs(s float64) string {
	if s >= 1 {
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.1f ms", 1000*s)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
