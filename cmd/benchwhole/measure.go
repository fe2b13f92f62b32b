package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/heard-council/heard/cmd/internal/wholeproc"
)

// sample is one whole process, as the measuring child reports it.
type sample = wholeproc.Sample

// proc is a command to time as a whole process.
type proc struct {
	argv  []string
	stdin string // a file, or ""
	// prepare runs before each run, untimed (a new database, say).
	prepare func(run int) error
	// check looks at the output of each run, untimed.
	check func(run int, stdout []byte) error
	// after runs after each run and its check, untimed (remove the database).
	after func(run int)
}

// runner times processes through `benchwhole measure`.
type runner struct {
	self    string
	dir     string
	timeout time.Duration
}

// once runs p once and returns its sample and standard output.
func (r *runner) once(ctx context.Context, p proc, run int) (sample, []byte, error) {
	if p.prepare != nil {
		if err := p.prepare(run); err != nil {
			return sample{}, nil, fmt.Errorf("prepare: %w", err)
		}
	}
	outPath, errPath := r.dir+"/stdout.txt", r.dir+"/stderr.txt"
	s, err := wholeproc.Launch(ctx, r.self, wholeproc.Options{Stdin: p.stdin, Stdout: outPath, Stderr: errPath, Timeout: r.timeout}, p.argv)
	if err != nil {
		return s, nil, err
	}
	stdout, _ := os.ReadFile(outPath)
	if s.TimedOut {
		return s, stdout, fmt.Errorf("%s: killed after %s (raise -timeout)", strings.Join(p.argv, " "), r.timeout)
	}
	if s.Exit != 0 {
		msg, _ := os.ReadFile(errPath)
		return s, stdout, fmt.Errorf("%s: exit status %d: %s", strings.Join(p.argv, " "), s.Exit, tail(msg, 800))
	}
	if p.check != nil {
		if err := p.check(run, stdout); err != nil {
			return s, stdout, fmt.Errorf("%s: %w", strings.Join(p.argv, " "), err)
		}
	}
	if p.after != nil {
		p.after(run)
	}
	return s, stdout, nil
}

// series is the samples of one process over the runs.
type series struct {
	name    string
	command string
	samples []sample
}

func (s *series) median() float64 {
	t := make([]float64, len(s.samples))
	for i, x := range s.samples {
		t[i] = x.Seconds
	}
	return median(t)
}

// peakMB is the largest peak over the runs.
func (s *series) peakMB() float64 {
	var p int64
	for _, x := range s.samples {
		p = max(p, x.PeakKB)
	}
	return float64(p) / 1024
}

func median(t []float64) float64 {
	if len(t) == 0 {
		return 0
	}
	t = slices.Clone(t)
	slices.Sort(t)
	if len(t)%2 == 1 {
		return t[len(t)/2]
	}
	return (t[len(t)/2-1] + t[len(t)/2]) / 2
}

// interleave runs each process once a round, for runs rounds, in reverse
// order every other round, so that the machine's changing load falls on
// all of them alike. A process with fewer runs (limit) sits out later rounds.
func (r *runner) interleave(ctx context.Context, runs int, procs []proc, limit []int, out []*series) error {
	for round := range runs {
		order := make([]int, len(procs))
		for i := range order {
			order[i] = i
		}
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, i := range order {
			if limit != nil && limit[i] > 0 && round >= limit[i] {
				continue
			}
			s, _, err := r.once(ctx, procs[i], round)
			if err != nil {
				return fmt.Errorf("%s: %w", out[i].name, err)
			}
			out[i].samples = append(out[i].samples, s)
			progress("  %s run %d: %.3f s, peak %.0f MB", out[i].name, round+1, s.Seconds, float64(s.PeakKB)/1024)
		}
	}
	return nil
}

func tail(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}
