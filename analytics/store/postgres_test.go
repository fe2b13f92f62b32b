package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Every migration has its PostgreSQL copy, with the same number and name,
// so that both databases reach the same schema version.
func TestPostgresMigrationsMatch(t *testing.T) {
	lite, err := migrationsIn("migrations")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrationsIn("migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) != len(lite) {
		t.Fatalf("%d PostgreSQL migrations, %d SQLite ones: write migrations/postgres/ for each", len(pg), len(lite))
	}
	for i := range lite {
		if pg[i].version != lite[i].version || pg[i].name != lite[i].name {
			t.Errorf("PostgreSQL migration %04d_%s, SQLite %04d_%s", pg[i].version, pg[i].name, lite[i].version, lite[i].name)
		}
		var code strings.Builder
		for _, line := range strings.Split(pg[i].sql, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "--") {
				code.WriteString(line + "\n")
			}
		}
		for _, sqliteOnly := range []string{"WITHOUT ROWID", "strftime", "BLOB", "AUTOINCREMENT"} {
			if strings.Contains(code.String(), sqliteOnly) {
				t.Errorf("PostgreSQL migration %04d_%s says %s", pg[i].version, pg[i].name, sqliteOnly)
			}
		}
	}
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b IN (?, ?)", "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"},
		{"SELECT '?', \"a?\" FROM t WHERE x = ?", "SELECT '?', \"a?\" FROM t WHERE x = $1"},
		{"SELECT 'it''s ?' WHERE x = ?", "SELECT 'it''s ?' WHERE x = $1"},
		{"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2"},
		{"SELECT ? /* a ? b */, ?", "SELECT $1 /* a ? b */, $2"},
		{"SELECT x LIKE '%\n?%' AND y = ?", "SELECT x LIKE '%\n?%' AND y = $1"},
		{"SELECT 'unclosed ?", "SELECT 'unclosed ?"},
		{"SELECT ? - ?", "SELECT $1 - $2"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsPostgres(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://h/db": true, "POSTGRES://h/db": true,
		"heard.db": false, "postgres.db": false, "./postgres://x": false, "": false,
	} {
		if got := isPostgres(in); got != want {
			t.Errorf("isPostgres(%q) = %v, want %v", in, got, want)
		}
	}
	for dsn, want := range map[string]string{
		"postgres://heard:s3cret@db.example/heard":            "postgres://heard:xxxxx@db.example/heard",
		"postgres://heard@db.example/heard?password=s3cret":   "postgres://heard@db.example/heard?password=xxxxx",
		"host=db.example user=heard password=s3cret dbname=h": "host=db.example user=heard password=xxxxx dbname=h",
		"/var/lib/heard/heard.db":                             "/var/lib/heard/heard.db",
	} {
		if got := RedactDSN(dsn); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// A key=value connection string given as --db is refused with the URL form
// heard takes, its password hidden, and no SQLite file is made of it.
func TestOpenRefusesKeywordConnectionString(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, dsn := range []string{"host=127.0.0.1 user=postgres password=s3cret dbname=heard", "dbname=heard", "  user = heard"} {
		_, err := Open(context.Background(), dsn)
		if err == nil {
			t.Fatalf("%q was opened", dsn)
		}
		if msg := err.Error(); strings.Contains(msg, "s3cret") || !strings.Contains(msg, "postgres://USER:PASSWORD@HOST") {
			t.Errorf("%q: %s", dsn, msg)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files made: %v", left)
	}
	// A file whose name merely holds an equals sign is still a file.
	s, err := Open(context.Background(), filepath.Join(dir, "survey=2024.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// A store on PostgreSQL keeps no journal file and has no path; a flag
// written as a Go bool is stored as 1, as SQLite stores it.
func TestPostgresBasics(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: run with HEARD_TEST_BACKEND=postgres")
	}
	s, _ := newTestStore(t)
	if s.Path() != "" || !s.Postgres() {
		t.Errorf("Path() = %q, Postgres() = %v; want \"\" and true", s.Path(), s.Postgres())
	}
	ctx := context.Background()
	if err := s.db.WithContext(ctx).Exec("CREATE TABLE flags (f INTEGER NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.ExecContext(ctx, "INSERT INTO flags (f) VALUES (?), (?)", true, false); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT SUM(f) FROM flags"); got != 1 {
		t.Errorf("SUM(f) = %d, want 1", got)
	}
}

// Inside transactionOnOneConn, pgx's COPY writes in the same transaction
// as gorm's statements: rolled back together, committed together. This is
// the seam imports use for COPY.
func TestPostgresCopyInTransaction(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: run with HEARD_TEST_BACKEND=postgres")
	}
	s, _ := newTestStore(t)
	ctx := context.Background()
	if err := s.db.Exec("CREATE TABLE copied (n BIGINT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	write := func(fail bool) error {
		return s.transactionOnOneConn(ctx, func(ctx context.Context, tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO copied (n) VALUES (?)", 1).Error; err != nil {
				return err
			}
			used, err := withPgx(ctx, func(c *pgx.Conn) error {
				_, err := c.CopyFrom(ctx, pgx.Identifier{"copied"}, []string{"n"},
					pgx.CopyFromRows([][]any{{int64(2)}, {int64(3)}}))
				return err
			})
			if err != nil || !used {
				return fmt.Errorf("COPY: used %v, %v", used, err)
			}
			// gorm sees the copied rows: the same transaction.
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM copied").Row().Scan(&n); err != nil {
				return err
			}
			if n != 3 {
				return fmt.Errorf("%d rows seen inside the transaction, want 3", n)
			}
			if fail {
				return errors.New("roll back")
			}
			return nil
		})
	}
	if err := write(true); err == nil || err.Error() != "roll back" {
		t.Fatalf("failing write: %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM copied"); n != 0 {
		t.Fatalf("%d rows left by a rolled-back transaction", n)
	}
	if err := write(false); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COALESCE(SUM(n), 0) FROM copied"); n != 6 {
		t.Fatalf("SUM(n) = %d after commit, want 6", n)
	}
	if used, err := withPgx(ctx, func(*pgx.Conn) error { return nil }); used || err != nil {
		t.Errorf("withPgx outside a pinned transaction: %v, %v", used, err)
	}
}
