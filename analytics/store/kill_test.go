package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// killEnv names the database a child process imports into until killed.
const killEnv = "HEARD_STORE_TEST_KILL_DB"

func TestKilledImportLeavesNothing(t *testing.T) {
	if path := os.Getenv(killEnv); path != "" {
		importUntilKilled(t, path)
		return
	}
	path := newTestDB(t)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFile(context.Background(), request("Care", "march.csv", testMapping()),
		from(manyResponses("m", 100)...), nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledImportLeavesNothing$", "-test.count=1")
	cmd.Env = append(os.Environ(), killEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill the child once it has stored 30,000 rows inside its transaction.
	lines := bufio.NewScanner(out)
	stored := ""
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "stored ") {
			stored = lines.Text()
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if stored == "" {
		t.Fatal("the child process stopped before storing rows")
	}
	t.Logf("killed after %s", stored)

	s = openTest(t, path)
	if after := snapshot(t, s); after != before {
		t.Errorf("a killed import changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

// importUntilKilled is the child process: it imports a file with a new
// question and a new dimension into the survey, reports when 30,000 rows are stored, then
// waits to be killed.
func importUntilKilled(t *testing.T, path string) {
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	m := testMapping()
	m.Questions = append(m.Questions, satisfaction("new", "Yes", "No"))
	m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: "age", Name: "Age band", Kind: "age-band"})
	list := extend(manyResponses("a", 1000))
	i := 0
	stop := make(chan struct{})
	next := func() (analytics.Response, error) {
		select {
		case <-stop:
			select {} // wait to be killed, the transaction open
		default:
		}
		r := list[i%len(list)]
		r.RespondentID = fmt.Sprint("a", i)
		i++
		return r, nil
	}
	reported := false
	progress := func(n int) {
		if n >= 30000 && !reported {
			reported = true
			fmt.Fprintf(os.Stdout, "stored %d\n", n)
			close(stop)
		}
	}
	_, err = s.ImportFile(context.Background(), request("Care", "april.csv", m), next, progress)
	t.Fatalf("import ended: %v", err)
}
