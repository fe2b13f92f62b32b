// Package wholeproc times a command as a whole process and reads its peak
// resident memory, for the benchmark commands under cmd/.
//
// The figure must come from a small process of its own. Go starts a child
// with vfork (the child shares its parent's memory until exec) and Linux
// carries the peak resident memory of that shared memory into the child's
// rusage, so a child started by a harness that has held a generated
// workbook reports the harness's peak (300 MB) when its own is a quarter of
// it. A harness therefore re-executes itself with Child's arguments (as
// `NAME measure ...`, through Launch), and that small process runs the
// command; its own peak, a few megabytes, is the floor of every figure.
package wholeproc

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
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Sample is one whole process, as the measuring child reports it.
type Sample struct {
	Seconds  float64 `json:"seconds"`
	PeakKB   int64   `json:"peak_kb"`
	Exit     int     `json:"exit"`
	TimedOut bool    `json:"timed_out"`
}

// PeakMB is the sample's peak resident memory in megabytes.
func (s Sample) PeakMB() float64 { return float64(s.PeakKB) / 1024 }

// Child is the measuring process (`NAME measure [flags] -- command...`):
// it runs one command and writes its wall time and peak resident memory to
// w as JSON.
func Child(w io.Writer, args []string) error {
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
	s := Sample{Seconds: elapsed.Seconds(), Exit: cmd.ProcessState.ExitCode(), TimedOut: timedOut.Load()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.PeakKB = ru.Maxrss // kilobytes on Linux
	}
	return json.NewEncoder(w).Encode(s)
}

// Options are where a launched command reads and writes.
type Options struct {
	// Stdin, Stdout and Stderr are file paths ("" for none).
	Stdin, Stdout, Stderr string
	Timeout               time.Duration
}

// Launch runs argv through the measuring child `self measure` and returns
// its sample. An error means the measuring itself failed (or ctx ended);
// the command's exit status and a timeout are in the sample.
func Launch(ctx context.Context, self string, o Options, argv []string) (Sample, error) {
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Minute
	}
	args := []string{"measure", "-timeout", o.Timeout.String()}
	for _, f := range []struct{ flag, path string }{{"-in", o.Stdin}, {"-out", o.Stdout}, {"-err", o.Stderr}} {
		if f.path != "" {
			args = append(args, f.flag, f.path)
		}
	}
	args = append(append(args, "--"), argv...)
	ctx, cancel := context.WithTimeout(ctx, o.Timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, args...)
	// Stopped early, the measuring child ends its command before it goes.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	js, err := cmd.Output()
	if err != nil {
		return Sample{}, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, stderr.String())
	}
	var s Sample
	if err := json.Unmarshal(js, &s); err != nil {
		return s, fmt.Errorf("measure printed %q: %w", js, err)
	}
	return s, nil
}
