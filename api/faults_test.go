package api

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/importers/synthetic"
)

// smallDisk mounts a tmpfs of size megabytes and returns its folder; it
// skips the test, saying why, when mounting is not allowed (not root, or
// no tmpfs in this container).
func smallDisk(t *testing.T, megabytes int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small-disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm", megabytes), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a small file system to fill (%v: %s): skipping the full-disk test", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// TestFaultDiskFull imports a file too big for the disk that holds the
// database, over HTTP: the import must fail with an error and roll back,
// leaving the earlier survey whole, and the service must keep serving.
func TestFaultDiskFull(t *testing.T) {
	disk := smallDisk(t, 3)
	t.Setenv("TMPDIR", t.TempDir())
	big := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteCSV(f, 50_000, 7); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(disk, "heard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct := createFaultAccount(t, st)
	var logs lockedBuffer
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer func() { ts.Close(); srv.Close() }()
	e := &hostileEnv{url: ts.URL, srv: srv, st: st, tmp: os.Getenv("TMPDIR"), tokens: map[analytics.UserRole]string{analytics.RoleAnalyst: acct}}

	if code, body := e.postFile(t, "may.csv", validCSV("may"), "People feedback"); code != http.StatusCreated {
		t.Fatalf("the first import: %d %s", code, body)
	}
	before := surveyState(t, st)
	files := e.tempFiles(t)
	data, err := os.ReadFile(big)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, body := e.postFile(t, "june.csv", data, "People feedback")
	t.Logf("the import into a full disk answered %d in %v: %.200s", code, time.Since(start).Round(time.Millisecond), body)
	if code != http.StatusInsufficientStorage || !strings.Contains(string(body), "disk is full, so nothing was stored") {
		t.Fatalf("an import that cannot fit answered %d: %.300s; want 507 saying the disk is full", code, body)
	}
	if strings.Contains(string(body), "panic") {
		t.Fatalf("the answer mentions a panic: %s", body)
	}
	if !strings.Contains(logs.String(), "disk is full") {
		t.Fatalf("the import failed, but not for a full disk: %s", logs.String())
	}
	e.healthy(t)
	if after := surveyState(t, st); after != before {
		t.Fatalf("after the failed import the store holds %s, before %s", after, before)
	}
	e.sameTempFiles(t, files)
	if code, body := e.get(t, "/api/v1/surveys"); code != http.StatusOK || !strings.Contains(string(body), "People feedback") {
		t.Fatalf("the survey list after a full disk: %d %s", code, body)
	}
	if code, _ := e.get(t, "/api/v1/surveys/people-feedback/report"); code != http.StatusOK {
		t.Fatalf("the report after a full disk: %d", code)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(disk, "heard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}

// lockedBuffer is a log that handlers may write to at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// createFaultAccount makes an analyst and returns an API token for it.
func createFaultAccount(t testing.TB, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	u, err := st.CreateUser(ctx, analytics.User{Email: "analyst@council.example", Role: analytics.RoleAnalyst}, "!", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := st.CreateToken(ctx, u.ID, "faults", analytics.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// surveyState describes the surveys, their responses and the imports.
func surveyState(t testing.TB, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	list, err := st.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := st.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range list {
		fmt.Fprintf(&b, "%s: %d responses, %d questions; ", s.Name, s.Responses, s.Questions)
	}
	fmt.Fprintf(&b, "%d imports", len(imps))
	return b.String()
}

// TestFaultSlowUpload sends half a file and then nothing: the server's read
// timeout (5 minutes in Serve; 1 second here) must end the request, store
// nothing, leave no file behind and keep the service up.
func TestFaultSlowUpload(t *testing.T) {
	e := newHostileEnv(t)
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.Config.ReadTimeout = time.Second
	ts.Start()
	defer ts.Close()
	before, files := e.counts(t), e.tempFiles(t)
	body, ct := formWithFile(t, "slow.csv", validCSV("slow"), map[string]string{"survey": "Slow"})
	whole := body.Bytes()
	pr, pw := io.Pipe()
	go func() {
		pw.Write(whole[:len(whole)/2])
		time.Sleep(4 * time.Second)
		pw.CloseWithError(io.ErrUnexpectedEOF)
	}()
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/imports", pr)
	req.ContentLength = int64(len(whole))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+e.tokens[analytics.RoleAnalyst])
	start := time.Now()
	code, answer := hostileSend(req)
	took := time.Since(start)
	t.Logf("a stalled upload ended after %v with %d %.200s", took.Round(time.Millisecond), code, answer)
	if code == http.StatusCreated || code == http.StatusOK || code >= 500 {
		t.Fatalf("a stalled upload answered %d: %s", code, answer)
	}
	if code == http.StatusUnprocessableEntity && !strings.Contains(string(answer), "stopped arriving") {
		t.Errorf("the answer does not say the upload stopped arriving: %s", answer)
	}
	if took > 3500*time.Millisecond {
		t.Fatalf("the stalled upload held its handler %v; the read timeout is 1s", took)
	}
	if after := e.counts(t); after != before {
		t.Fatalf("a stalled upload wrote: %+v, then %+v", before, after)
	}
	e.sameTempFiles(t, files)
	e.healthy(t)
}
