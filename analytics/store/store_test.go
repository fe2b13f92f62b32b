package store

import (
	"bytes"
	"context"
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

			s, err = Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatalf("Open of a file with page %d of %d overwritten succeeded", at/int(pageSize), pages)
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range []string{path, "damaged", "backup"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(after, data) {
				t.Error("Open changed the damaged file")
			}
		})
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
