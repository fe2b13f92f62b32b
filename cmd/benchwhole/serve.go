package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a running `heard serve`.
type server struct {
	cmd     *exec.Cmd
	base    string
	log     string
	token   string
	client  *http.Client
	started float64 // seconds from start until /healthz answered
	done    chan error
}

// freeAddr asks the kernel for a free local port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (b *bench) startServe(ctx context.Context, db string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(b.dir, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	s := &server{
		cmd:    exec.Command(b.heard, "serve", "-db", db, "-addr", addr),
		base:   "http://" + addr,
		log:    logPath,
		token:  b.pristine.token,
		client: &http.Client{Timeout: b.timeout},
		done:   make(chan error, 1),
	}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait() }()
	deadline := time.Now().Add(b.timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/healthz", nil)
		resp, err := (&http.Client{Timeout: time.Second}).Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.started = time.Since(start).Seconds()
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return nil, fmt.Errorf("heard serve ended before answering /healthz (%v): %s", err, s.logTail())
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("heard serve did not answer /healthz in %s: %s", b.timeout, s.logTail())
		}
	}
}

func (s *server) logTail() string {
	b, _ := os.ReadFile(s.log)
	return tail(b, 800)
}

// get times one request, its whole answer read, and wants 200 OK.
func (s *server) get(ctx context.Context, path string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start).Seconds()
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s: %s", path, resp.Status, tail(body, 300))
	}
	return elapsed, nil
}

// peakMB is the server's peak resident memory so far.
func (s *server) peakMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// stop ends the server and whatever it started: SIGTERM, then SIGKILL.
func (s *server) stop() {
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// serveSteps times, on fresh copies of the large import's database, a new
// `heard serve`'s first dashboard page and (in another process) its first
// report JSON; then, on the page's server, later dashboard pages and
// GET /api/v1/surveys.
func (b *bench) serveSteps(ctx context.Context) error {
	if b.pristine == nil {
		return errors.New("needs the large import (step big) first")
	}
	page, report := "/surveys/"+surveySlug, "/api/v1/surveys/"+surveySlug+"/report"
	var starts, firstPage, firstReport, laterPage, surveys []float64
	var peak float64
	db := filepath.Join(b.dir, "serve.db")
	defer removeDB(db)
	for run := range b.bigRuns {
		firsts := []string{page, report}
		if run%2 == 1 {
			firsts = []string{report, page}
		}
		for _, first := range firsts {
			if err := copyDB(b.pristine.db, db); err != nil {
				return err
			}
			srv, err := b.startServe(ctx, db)
			if err != nil {
				return err
			}
			err = func() error {
				t, err := srv.get(ctx, first)
				if err != nil {
					return err
				}
				starts = append(starts, srv.started)
				progress("  serve run %d: ready in %.3f s; first GET %s %.3f s", run+1, srv.started, first, t)
				if first == report {
					firstReport = append(firstReport, t)
					return nil
				}
				firstPage = append(firstPage, t)
				for range min(b.requests, 10) {
					t, err := srv.get(ctx, page)
					if err != nil {
						return err
					}
					laterPage = append(laterPage, t)
				}
				for range b.requests {
					t, err := srv.get(ctx, "/api/v1/surveys")
					if err != nil {
						return err
					}
					surveys = append(surveys, t)
				}
				progress("  serve run %d: later dashboards %.1f ms, GET /api/v1/surveys %.1f ms (medians)", run+1, 1000*median(laterPage), 1000*median(surveys))
				return nil
			}()
			peak = max(peak, srv.peakMB())
			srv.stop()
			if err != nil {
				return fmt.Errorf("%w (server log: %s)", err, srv.logTail())
			}
		}
	}
	serveCmd := "heard serve -db $TMP/serve.db -addr 127.0.0.1:PORT"
	curl := func(path string) string {
		return "curl -H 'Authorization: Bearer TOKEN' http://127.0.0.1:PORT" + path
	}
	n := thousands(b.big)
	b.extra = append(b.extra,
		extra{"`heard serve` start until /healthz answers", secs(median(starts)), len(starts), peak, serveCmd},
		extra{"first dashboard page " + page, secs(median(firstPage)), len(firstPage), 0, curl(page)},
		extra{"first report JSON " + report, secs(median(firstReport)), len(firstReport), 0, curl(report)},
		extra{"later dashboard pages", secs(median(laterPage)), len(laterPage), 0, curl(page)},
		extra{"GET /api/v1/surveys", secs(median(surveys)), len(surveys), 0, curl("/api/v1/surveys")})
	b.targets = append(b.targets,
		target{"first dashboard of a new `heard serve` after a CLI import of " + n + ": under 1 s", secs(median(firstPage)),
			fmt.Sprintf("serve ready in %s; server peak %.0f MB", secs(median(starts)), peak), met(median(firstPage) < 1), serveCmd + "<br>" + curl(page)},
		target{"first report JSON of a new `heard serve` after a CLI import of " + n + ": under 1 s", secs(median(firstReport)),
			"", met(median(firstReport) < 1), serveCmd + "<br>" + curl(report)},
		target{"`GET /api/v1/surveys` at " + n + " responses: under 10 ms", secs(median(surveys)),
			fmt.Sprintf("median of %d; later dashboards %s", len(surveys), secs(median(laterPage))), met(median(surveys) < 0.01), curl("/api/v1/surveys")})
	return nil
}
