package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// faultToken creates an analyst account in the database at db and returns
// an API token for it.
func faultToken(t testing.TB, db string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
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

// servedHeard is `heard serve` running in a child process.
type servedHeard struct {
	cmd *exec.Cmd
	url string
}

// serveHeard starts `heard serve` on a free loopback port over db, with
// its temporary files in tmp, and waits until it listens.
func serveHeard(t testing.TB, db, tmp string) *servedHeard {
	t.Helper()
	cmd := heardCommand(t, "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp, "HEARD_ADMIN_PASSWORD=correct horse battery staple")
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &servedHeard{cmd: cmd}
	t.Cleanup(func() { h.kill() })
	h.url = waitForURL(t, logs)
	go io.Copy(io.Discard, logs)
	return h
}

// kill stops the child at once, as a power cut or kill -9 would.
func (h *servedHeard) kill() {
	if h.cmd.ProcessState == nil {
		h.cmd.Process.Kill()
		h.cmd.Wait()
	}
}

// postCSV posts the file at path to POST /api/v1/imports of url.
func postCSV(ctx context.Context, url, token, path, survey string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("survey", survey)
	part, _ := w.CreateFormFile("file", filepath.Base(path))
	part.Write(data)
	w.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/imports", &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return resp.StatusCode, fmt.Errorf("%d: %.300s", resp.StatusCode, body)
	}
	return resp.StatusCode, nil
}

func fileSHA256(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestFaultKilledServerMidImport posts a 30,000-row file to `heard serve`
// and kills the server with SIGKILL at a random point of the import, 20
// times, restarting it each time: each upload must be stored whole or not
// at all, and the database must pass integrity_check.
func TestFaultKilledServerMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 20 times mid-import")
	}
	dir, tmp := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "heard.db")
	token := faultToken(t, db)
	small := filepath.Join(dir, "may.csv")
	writeSurveyCSV(t, small, 50, 1)
	h := serveHeard(t, db, tmp)
	if _, err := postCSV(context.Background(), h.url, token, small, "S"); err != nil {
		t.Fatalf("the first import: %v", err)
	}
	// One whole upload, to know how long one takes.
	timing := filepath.Join(dir, "timing.csv")
	writeSurveyCSV(t, timing, 30_000, 1000)
	start := time.Now()
	if _, err := postCSV(context.Background(), h.url, token, timing, "Timing"); err != nil {
		t.Fatalf("the timing import: %v", err)
	}
	took := time.Since(start)
	h.kill()
	t.Logf("a 30,000-row upload takes %v", took.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(5, 20))
	var absent, whole int
	for i := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("june-%02d.csv", i))
		writeSurveyCSV(t, path, 30_000, uint64(100+i))
		sum := fileSHA256(t, path)
		h := serveHeard(t, db, tmp)
		at := time.Duration(rng.Float64() * 1.2 * float64(took))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := postCSV(ctx, h.url, token, path, "S"); done <- err }()
		select {
		case <-time.After(at):
			h.kill()
			cancel()
			<-done
		case <-done:
			h.kill()
			cancel()
		}
		conn := openDB(t, db)
		integrityOK(t, conn)
		n := queryInt(t, conn, fmt.Sprintf("SELECT COUNT(*) FROM imports WHERE sha256 = '%s'", sum))
		switch {
		case n == 0:
			absent++
		case n == 1 && queryInt(t, conn, fmt.Sprintf("SELECT rows_read = 30000 AND added + duplicates = rows_read FROM imports WHERE sha256 = '%s'", sum)) == 1:
			whole++
		default:
			t.Fatalf("kill %d at %v: %d imports of the file, or not whole", i, at, n)
		}
		id := queryInt(t, conn, "SELECT id FROM surveys WHERE name = 'S'")
		stored := queryInt(t, conn, fmt.Sprintf("SELECT COUNT(*) FROM responses_%d", id))
		added := queryInt(t, conn, "SELECT SUM(added) FROM imports i JOIN surveys s ON s.id = i.survey_id WHERE s.name = 'S'")
		if stored != added {
			t.Fatalf("kill %d at %v: survey S holds %d responses but its imports added %d", i, at, stored, added)
		}
		conn.Close()
	}
	t.Logf("20 kills: %d uploads absent, %d whole", absent, whole)
	if absent == 0 {
		t.Fatal("no kill landed before an import's commit: the test proved nothing")
	}
}

// TestFaultConcurrentUploads sends 20 uploads at once to one `heard serve`:
// every one must be imported.
func TestFaultConcurrentUploads(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "heard.db")
	token := faultToken(t, db)
	h := serveHeard(t, db, t.TempDir())
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("team-%02d.csv", i))
		writeSurveyCSV(t, path, 200, uint64(i+10))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := postCSV(context.Background(), h.url, token, path, fmt.Sprintf("Survey %d", i%4)); err != nil {
				errs <- fmt.Errorf("upload %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	h.kill()
	conn := openDB(t, db)
	integrityOK(t, conn)
	if n := queryInt(t, conn, "SELECT COUNT(*) FROM imports"); n != 20 {
		t.Fatalf("%d imports stored, want 20", n)
	}
	if n := queryInt(t, conn, "SELECT SUM(added) FROM imports"); n != 4000 {
		t.Fatalf("%d responses added, want 4000", n)
	}
}
