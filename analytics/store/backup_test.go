package store

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// blockingSource yields list, pausing after the first n responses until
// release is closed; paused is closed when it pauses.
func blockingSource(list []analytics.Response, n int, paused, release chan struct{}) func() (analytics.Response, error) {
	i := 0
	return func() (analytics.Response, error) {
		if i == n {
			close(paused)
			<-release
		}
		if i == len(list) {
			return analytics.Response{}, io.EOF
		}
		i++
		return list[i-1], nil
	}
}

func TestBackup(t *testing.T) {
	skipOnPostgres(t, "heard backup copies a SQLite file; TestBackupRefuses checks it refuses on PostgreSQL")
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, team, all := reportSurvey(t, s)
	addUser(t, s, "admin@localhost", analytics.RoleAdmin)
	q := CountQuery{Question: qs["overall"].ID, By: []Field{{Dimension: team.ID}}}

	// An import is running, half written, while the copy is taken: the
	// copy holds what was committed before it and does not wait for it.
	// (Backup then waits for the writer to record its audit event.)
	paused, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := s.ImportFile(ctx, request("Reports", "part3.csv", testMapping()),
			blockingSource(reportResponses("c", 300), 250, paused, release), nil)
		done <- err
	}()
	<-paused
	dir := t.TempDir()
	path := filepath.Join(dir, "during-import.db")
	res, err := s.backup(ctx, path)
	close(release)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if res.Integrity != "ok" || res.Bytes == 0 || res.Path != path {
		t.Fatalf("backup = %+v", res)
	}
	if integrity, err := CheckFile(ctx, path); err != nil || integrity != "ok" {
		t.Errorf("CheckFile = %q, %v", integrity, err)
	}
	after := filepath.Join(dir, "after-import.db")
	if _, err := s.Backup(ctx, after, tester()); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(after)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v (%v), want 0600", info.Mode(), err)
	}
	checkEvent(t, lastEvent(t, s), analytics.AuditBackup, after)
	if n := count(t, openTest(t, after), "SELECT COUNT(*) FROM imports"); n != 3 {
		t.Errorf("the backup taken after the import has %d imports, want 3", n)
	}

	copied := openTest(t, path)
	checkCounts(t, copied, sv.ID, q, all)
	if n := count(t, copied, "SELECT COUNT(*) FROM imports"); n != 2 {
		t.Errorf("the backup has %d imports, want the 2 committed before it", n)
	}
	if u, err := copied.UserByEmail(ctx, "admin@localhost"); err != nil || u.Role != analytics.RoleAdmin {
		t.Errorf("accounts in the backup: %+v, %v", u, err)
	}
	if want, got := tableDigest(t, s, "SELECT * FROM questions"), tableDigest(t, copied, "SELECT * FROM questions"); got != want {
		t.Error("the backup's questions differ")
	}
	if got := count(t, s, "SELECT COUNT(*) FROM imports"); got != 3 {
		t.Errorf("the import running during the backup did not finish: %d imports", got)
	}
}

func TestBackupRefuses(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	dir := t.TempDir()
	if s.pg {
		path := filepath.Join(dir, "copy.db")
		if _, err := s.Backup(ctx, path, tester()); err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("Backup on PostgreSQL: %v, want an error pointing to pg_dump", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Backup on PostgreSQL left %s (%v)", path, err)
		}
		return
	}
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"existing file", existing, "already exists"},
		{"no name", " ", "no file name"},
		{"missing folder", filepath.Join(dir, "none", "b.db"), "create"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Backup(ctx, tt.path, tester())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file was changed to %q", b)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM audit_events"); n != 0 {
		t.Errorf("%d audit events for refused backups", n)
	}

	damaged := filepath.Join(dir, "damaged.db")
	if err := os.WriteFile(damaged, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := CheckFile(ctx, damaged); err == nil && got == "ok" {
		t.Error("CheckFile passed a file that is not a database")
	}
	if _, err := CheckFile(ctx, filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CheckFile of a missing file: %v", err)
	}
}
