package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenTwiceIsIdempotent(t *testing.T) {
	path := newTestDB(t)
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
		if got := count(t, s, "SELECT COUNT(*) FROM schema_migrations"); got != int64(len(list)) {
			t.Errorf("open %d: %d migrations recorded, want %d", i+1, got, len(list))
		}
		if got := count(t, s, "SELECT MAX(version) FROM schema_migrations"); got != int64(len(list)) {
			t.Errorf("open %d: latest migration %d, want %d", i+1, got, len(list))
		}
		for _, table := range []string{"surveys", "questions", "options", "dimensions", "imports"} {
			if !hasTable(t, s, table) {
				t.Errorf("open %d: table %s missing", i+1, table)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenSettings(t *testing.T) {
	s, _ := newTestStore(t)
	// Each pooled connection must carry the settings, so ask several at once.
	ctx := context.Background()
	if s.pg {
		// PostgreSQL's counterpart of the busy timeout: a writer waits as
		// long for another's lock.
		var timeout string
		if err := s.db.Raw("SHOW lock_timeout").Row().Scan(&timeout); err != nil {
			t.Fatal(err)
		}
		if timeout != "1min" {
			t.Errorf("lock_timeout = %s, want 1min", timeout)
		}
		return
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode string
		var fk, timeout int
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 || timeout != 60000 {
			t.Errorf("connection %d: journal_mode=%s foreign_keys=%d busy_timeout=%d, want wal 1 60000", i, mode, fk, timeout)
		}
	}
}

func TestOpenOddFileName(t *testing.T) {
	skipOnPostgres(t, "it is about the SQLite file")
	path := filepath.Join(t.TempDir(), "council's data #1 ?100% .db")
	s := openTest(t, path)
	if _, err := s.ImportFile(context.Background(), request("Odd", "a.csv", testMapping()),
		from(manyResponses("r", 3)...), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not written at the path given: %v", err)
	}
}

// TestOpenRefusesDamagedFile: the service's start (OpenChecked) refuses a
// damaged file whatever page is damaged, with an error naming it, and
// changes nothing; so does any Open after a process ended without closing
// the database. A plain Open after a clean close does not read every page.
func TestOpenRefusesDamagedFile(t *testing.T) {
	skipOnPostgres(t, "it is about the SQLite file")
	tests := []struct {
		name string
		page func(pages int) int // which page (0-based) to overwrite
	}{
		{name: "header page", page: func(int) int { return 0 }},
		{name: "table page", page: func(int) int { return 1 }},
		{name: "last page", page: func(pages int) int { return pages - 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "heard.db")
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportFile(context.Background(), request("Care", "a.csv", testMapping()),
				from(manyResponses("r", 2000)...), nil); err != nil {
				t.Fatal(err)
			}
			pageSize := count(t, s, "PRAGMA page_size")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pages := len(data) / int(pageSize)
			at := tt.page(pages) * int(pageSize)
			copy(data[at:at+int(pageSize)], bytes.Repeat([]byte("junk!"), int(pageSize)))
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}

			refused := func(how string, open func(context.Context, string) (*Store, error)) {
				t.Helper()
				s, err := open(context.Background(), path)
				if err == nil {
					s.Close()
					t.Fatalf("%s of a file with page %d of %d overwritten succeeded", how, at/int(pageSize), pages)
				}
				msg := err.Error()
				t.Log(msg)
				for _, want := range []string{path, "damaged", "backup"} {
					if !strings.Contains(msg, want) {
						t.Errorf("%s: error %q does not mention %q", how, msg, want)
					}
				}
				after, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(after, data) {
					t.Errorf("%s changed the damaged file", how)
				}
			}
			refused("OpenChecked", OpenChecked)
			// A process that had it open was killed: its marker is left.
			stale := path + "-open-999999999-1"
			if err := os.WriteFile(stale, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			refused("Open after a crash", Open)
			refused("Open after a crash, again", Open)
			if _, err := os.Stat(stale); err != nil {
				t.Errorf("a refused open removed the marker of the crash: %v", err)
			}
		})
	}
}

// TestOpenChecksAfterAnUncleanEnd: a clean close leaves no marker and the
// next Open reads no more than it needs; a marker left by a process that
// ended without closing (no process holds its lock) makes the next Open
// check the file, and is removed once the check passes; the marker of a
// process that has the database open is left alone.
func TestOpenChecksAfterAnUncleanEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "heard.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFile(ctx, request("Care", "a.csv", testMapping()), from(manyResponses("r", 2000)...), nil); err != nil {
		t.Fatal(err)
	}
	markers := func() []string {
		t.Helper()
		list, err := filepath.Glob(filepath.Join(dir, "heard.db-open-*"))
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	if got := markers(); len(got) != 1 {
		t.Fatalf("markers while open: %v, want this process's", got)
	}
	live := markers()[0]
	pageSize := count(t, s, "PRAGMA page_size")
	other, err := Open(ctx, path) // a second process: the first one's marker is live
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("a second open removed the first one's marker: %v", err)
	}
	if err := errors.Join(other.Close(), s.Close()); err != nil {
		t.Fatal(err)
	}
	if got := markers(); len(got) != 0 {
		t.Fatalf("markers after a clean close: %v", got)
	}

	// Damage the last page, where no open reads: after a clean close, Open
	// does not see it (the quick check is what would).
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	good := bytes.Clone(data)
	at := (len(data)/int(pageSize) - 1) * int(pageSize)
	copy(data[at:at+int(pageSize)], bytes.Repeat([]byte("junk!"), int(pageSize)))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after a clean close read the whole file: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stale := path + "-open-999999999-1"
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "damaged") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open after an unclean end did not check the file: %v", err)
	}
	// Restored from a backup: the check passes and forgets the crash.
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the crash's marker is still there after a passed check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenMissingFolder(t *testing.T) {
	skipOnPostgres(t, "it is about the SQLite file")
	path := filepath.Join(t.TempDir(), "no-such-folder", "heard.db")
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open in a missing folder: error %v, want one naming %s", err, path)
	}
}
