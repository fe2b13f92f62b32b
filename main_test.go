package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/heard-council/heard/importers/synthetic"
)

// TestMain lets a test run heard itself as a child process: with
// HEARD_TEST_ARGS set, the test binary is heard, run with those arguments.
func TestMain(m *testing.M) {
	if raw := os.Getenv("HEARD_TEST_ARGS"); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		err := run(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
		var exit exitStatus
		switch {
		case errors.As(err, &exit):
			os.Exit(int(exit))
		case err != nil:
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// heardCommand returns a command that runs heard with args in a child process.
func heardCommand(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HEARD_TEST_ARGS="+string(raw), "HEARD_DB=")
	return cmd
}

func writeSurveyCSV(t testing.TB, path string, rows int, seed uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteCSV(f, rows, seed); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t testing.TB, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func integrityOK(t testing.TB, db *sql.DB) {
	t.Helper()
	var s string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&s); err != nil || s != "ok" {
		t.Fatalf("integrity_check = %q, %v", s, err)
	}
}

// importJSON runs `heard import --json` in a child and decodes its report.
func importJSON(t testing.TB, db string, args ...string) (map[string]any, int) {
	t.Helper()
	cmd := heardCommand(t, append([]string{"import", "--db", db, "--json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out), &rep); err != nil {
		t.Fatalf("import printed %q (stderr %q): %v", out, stderr.String(), err)
	}
	return rep, code
}

// TestImportKilledMidFile kills `heard import` at points through a large
// file and checks each time that the database holds the earlier import and
// either all of the new file or none of it, and passes integrity_check.
func TestImportKilledMidFile(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child imports of a large file")
	}
	dir := t.TempDir()
	small, big := filepath.Join(dir, "may.csv"), filepath.Join(dir, "june.csv")
	writeSurveyCSV(t, small, 50, 1)
	writeSurveyCSV(t, big, 60_000, 2)

	// A full run first, to know how long the import takes.
	full := filepath.Join(dir, "full.db")
	importJSON(t, full, "--survey", "S", small)
	start := time.Now()
	rep, code := importJSON(t, full, "--survey", "S", big)
	took := time.Since(start)
	if code != 0 || rep["responses_added"].(float64) != 60_000 {
		t.Fatalf("full import: exit %d, report %v", code, rep)
	}
	cutShort := 0
	for _, frac := range []float64{0.2, 0.4, 0.6, 0.75, 0.9} {
		t.Run(fmt.Sprintf("at %.0f percent", frac*100), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "heard.db")
			importJSON(t, db, "--survey", "S", small)
			cmd := heardCommand(t, "import", "--db", db, "--survey", "S", big)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(frac * float64(took)))
			cmd.Process.Kill()
			cmd.Wait()
			// A process killed while it has the database open leaves its
			// marker (one killed after it closed the database, or that
			// finished first, does not): the next command checks the file,
			// then forgets the crash.
			killedMarkers, _ := filepath.Glob(db + "-open-*")
			if out, err := heardCommand(t, "surveys", "--db", db).CombinedOutput(); err != nil {
				t.Fatalf("heard surveys after the kill: %v\n%s", err, out)
			}
			if left, _ := filepath.Glob(db + "-open-*"); len(left) != 0 {
				t.Errorf("markers after a checked open: %v", left)
			}
			conn := openDB(t, db)
			integrityOK(t, conn)
			n := queryInt(t, conn, "SELECT COUNT(*) FROM imports")
			id := queryInt(t, conn, "SELECT id FROM surveys WHERE name = 'S'")
			rows := queryInt(t, conn, fmt.Sprintf("SELECT COUNT(*) FROM responses_%d", id))
			switch {
			case n == 1 && rows == 50:
				cutShort++
				t.Logf("killed before the commit: nothing of the new file stored")
				if len(killedMarkers) != 1 {
					t.Errorf("markers after a kill before the commit: %v, want the killed process's", killedMarkers)
				}
			case n == 2 && rows == 60_050:
				t.Logf("killed after the commit: all of the new file stored")
			default:
				t.Fatalf("after the kill: %d imports and %d responses; want 1 and 50, or 2 and 60050", n, rows)
			}
		})
	}
	if cutShort == 0 {
		t.Fatal("no kill landed before the import finished: the test proved nothing")
	}
}

// TestConcurrentImports runs 20 `heard import` processes at once into one
// database: every one must succeed.
func TestConcurrentImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "heard.db")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("team-%02d.csv", i))
		writeSurveyCSV(t, path, 200, uint64(i+10))
		wg.Add(1)
		go func() {
			defer wg.Done()
			survey := fmt.Sprintf("Survey %d", i%4)
			out, err := heardCommand(t, "import", "--db", db, "--survey", survey, path).CombinedOutput()
			if err != nil {
				errs <- fmt.Errorf("import %d: %v: %s", i, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	conn := openDB(t, db)
	integrityOK(t, conn)
	if n := queryInt(t, conn, "SELECT COUNT(*) FROM imports"); n != 20 {
		t.Fatalf("%d imports stored, want 20", n)
	}
	if n := queryInt(t, conn, "SELECT SUM(added) FROM imports"); n != 4000 {
		t.Fatalf("%d responses added, want 4000", n)
	}
}

// TestRunServes runs the service through run() on a free port, as `go run .`
// does, and checks it answers and stops cleanly.
func TestRunServes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "heard.db")
	csvPath := filepath.Join(dir, "survey.csv")
	writeSurveyCSV(t, csvPath, 30, 3)
	if _, code := importJSON(t, db, "--survey", "People feedback", csvPath); code != 0 {
		t.Fatalf("import exit %d", code)
	}
	token := createTestToken(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, func(string) string { return "" }, io.Discard, pw)
		pw.Close()
	}()
	url := waitForURL(t, pr)
	go io.Copy(io.Discard, pr)

	resp, err := authGet(url+"/api/v1/surveys", token)
	if err != nil {
		t.Fatal(err)
	}
	var surveys []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&surveys); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(surveys) != 1 || surveys[0]["name"] != "People feedback" || surveys[0]["responses"].(float64) != 30 {
		t.Fatalf("surveys = %v", surveys)
	}
	for _, path := range []string{"/healthz", "/"} {
		resp, err := authGet(url+path, token)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		if path == "/" && !strings.Contains(string(body), "People feedback") {
			t.Fatalf("home page does not list the survey: %s", body)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the service did not stop")
	}
}

// createTestToken adds a viewer account to the database db with the
// heard command and returns a new API token of it.
func createTestToken(t testing.TB, db string) string {
	t.Helper()
	ctx, none := context.Background(), func(string) string { return "" }
	if err := run(ctx, []string{"user", "add", "--email", "viewer@example.org", "--role", "viewer", "--db", db}, none, io.Discard, io.Discard); err != nil {
		t.Fatalf("heard user add: %v", err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--email", "viewer@example.org", "--db", db}, none, &out, io.Discard); err != nil {
		t.Fatalf("heard token create: %v", err)
	}
	lines := strings.Fields(strings.TrimSpace(out.String()))
	return lines[len(lines)-1]
}

// authGet gets url with an API token.
func authGet(url, token string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return http.DefaultClient.Do(req)
}

var servingURL = regexp.MustCompile(`url=(http://\S+)`)

func waitForURL(t testing.TB, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	t.Fatal("the service never said where it listens")
	return ""
}

func TestRunHelpAndUnknownCommand(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{arg}, func(string) string { return "" }, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		if !strings.Contains(out.String(), "import      import survey exports") {
			t.Fatalf("%s printed %q", arg, out.String())
		}
	}
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"imprt"}, func(string) string { return "" }, io.Discard, &errOut)
	var exit exitStatus
	if !errors.As(err, &exit) || exit != 2 || !strings.Contains(errOut.String(), `unknown command "imprt"`) {
		t.Fatalf("unknown command: %v, %q", err, errOut.String())
	}
}

// TestServeRefusesDamagedFile: the service checks the whole file at every
// start, and refuses a damaged one with an error naming it, unchanged,
// even after a clean close (when commands do not read every page).
func TestServeRefusesDamagedFile(t *testing.T) {
	dir := t.TempDir()
	db, csv := filepath.Join(dir, "heard.db"), filepath.Join(dir, "may.csv")
	writeSurveyCSV(t, csv, 2000, 1)
	if _, code := importJSON(t, db, "--survey", "S", csv); code != 0 {
		t.Fatalf("import: exit %d", code)
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	at := (len(data)/page - 1) * page
	copy(data[at:at+page], bytes.Repeat([]byte("junk!"), page))
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), db) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("serve on a damaged file: %v; want an error naming %s as damaged", err, db)
	}
	if after, err := os.ReadFile(db); err != nil || !bytes.Equal(after, data) {
		t.Fatalf("serve changed the damaged file (%v)", err)
	}
}
