package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// sample is one whole process, as the measuring child reports it.
type sample struct {
	Seconds  float64 `json:"seconds"`
	PeakKB   int64   `json:"peak_kb"`
	Exit     int     `json:"exit"`
	TimedOut bool    `json:"timed_out"`
}

// measureChild is `benchwhole measure`: it runs one command and prints its
// wall time and peak resident memory as JSON. It runs as a small process of
// its own because Linux gives a child the peak memory of the process that
// started it (the forked copy shares its parent's memory until exec), so a
// child of the harness itself, which holds generated files and results,
// would report the harness's peak when its own is smaller; this process's
// peak, a few megabytes, is the floor of every figure.
func measureChild(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	in := fs.String("in", "", "file for the command's standard input")
	out := fs.String("out", "", "file for the command's standard output")
	errOut := fs.String("err", "", "file for the command's standard error")
	timeout := fs.Duration("timeout", 10*time.Minute, "kill the command after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return errors.New("measure: no command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	// A group of its own, so that a timeout ends whatever it started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	for _, o := range []struct {
		path string
		to   *io.Writer
	}{{*out, &cmd.Stdout}, {*errOut, &cmd.Stderr}} {
		if o.path == "" {
			continue
		}
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		defer f.Close()
		*o.to = f
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	var timedOut atomic.Bool
	timer := time.AfterFunc(*timeout, func() {
		timedOut.Store(true)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})
	// The harness stopped (Ctrl-C, or its own deadline): the command's
	// group is not the terminal's, so end it here rather than leave it.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		if _, ok := <-stop; ok {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}()
	err := cmd.Wait()
	elapsed := time.Since(start)
	timer.Stop()
	signal.Stop(stop)
	close(stop)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return err
	}
	s := sample{Seconds: elapsed.Seconds(), Exit: cmd.ProcessState.ExitCode(), TimedOut: timedOut.Load()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.PeakKB = ru.Maxrss // kilobytes on Linux
	}
	return json.NewEncoder(w).Encode(s)
}

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
	args := []string{"measure", "-out", outPath, "-err", errPath, "-timeout", r.timeout.String()}
	if p.stdin != "" {
		args = append(args, "-in", p.stdin)
	}
	args = append(append(args, "--"), p.argv...)
	ctx, cancel := context.WithTimeout(ctx, r.timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.self, args...)
	// Stopped early, the measuring child ends its command before it goes.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	js, err := cmd.Output()
	if err != nil {
		return sample{}, nil, fmt.Errorf("%s: %w: %s", strings.Join(p.argv, " "), err, stderr.String())
	}
	var s sample
	if err := json.Unmarshal(js, &s); err != nil {
		return s, nil, fmt.Errorf("measure printed %q: %w", js, err)
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
