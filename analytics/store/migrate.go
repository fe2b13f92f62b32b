package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// migrationFiles holds the schema: migrations/NNNN_name.sql, applied in
// order, each once, never edited after release. PostgreSQL applies
// migrations/postgres/NNNN_name.sql instead: the same migrations, written
// in its dialect where the two differ (a test checks that each has both).
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationName is the form of a migration's file name.
var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// afterMigration holds, by version, what a migration needs done in Go
// after its SQL, in its transaction: filling a column from the response
// tables, whose names SQL cannot make.
var afterMigration = map[int]func(ctx context.Context, tx *gorm.DB) error{
	12: fillPurged,
}

// migrations reads the embedded migrations in order and checks that they
// are numbered 1, 2, 3... with no gap or repeat.
func migrations() ([]migration, error) { return migrationsIn("migrations") }

// migrationsIn reads the migrations of one folder, as migrations does.
func migrationsIn(dir string) ([]migration, error) {
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	list := make([]migration, 0, len(names))
	for i, name := range names {
		m := migrationName.FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", name)
		}
		version, _ := strconv.Atoi(m[1])
		if version != i+1 {
			return nil, fmt.Errorf("migration file %s: expected number %04d", name, i+1)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		list = append(list, migration{version: version, name: m[2], sql: string(body)})
	}
	return list, nil
}

// migrate applies the migrations the database lacks, all in one
// transaction, and records each in schema_migrations. Several processes may
// open a new database at once: the immediate transaction makes them take
// turns, and each sees what the one before applied.
func (s *Store) migrate(ctx context.Context) error {
	dir := "migrations"
	if s.pg {
		dir = "migrations/postgres"
	}
	list, err := migrationsIn(dir)
	if err != nil {
		return err
	}
	// Every command opens the database: when it is up to date, a read says
	// so without waiting for the write lock another process may hold.
	var applied, latest int
	err = s.db.WithContext(ctx).Raw("SELECT COUNT(*), COALESCE(MAX(version), 0) FROM schema_migrations").Row().Scan(&applied, &latest)
	if err == nil && applied == len(list) && latest == len(list) {
		return nil
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// PostgreSQL lets several processes' transactions run at once:
		// make them take turns here as SQLite's immediate transaction does.
		if err := s.advisoryLock(tx, "migrate"); err != nil {
			return err
		}
		if err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`).Error; err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var applied []int
		if err := tx.Raw("SELECT version FROM schema_migrations ORDER BY version").Scan(&applied).Error; err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n := len(applied); n > 0 && applied[n-1] > len(list) {
			return fmt.Errorf("the database has schema version %d but this heard knows only up to %d: "+
				"use the newer heard that wrote it", applied[n-1], len(list))
		}
		done := make(map[int]bool, len(applied))
		for _, v := range applied {
			done[v] = true
		}
		for _, m := range list {
			if done[m.version] {
				continue
			}
			// Straight to the driver: the file holds several statements and
			// gorm must not read its text as a template.
			if _, err := tx.Statement.ConnPool.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %04d_%s: %w", m.version, m.name, err)
			}
			if fill := afterMigration[m.version]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return fmt.Errorf("apply migration %04d_%s: %w", m.version, m.name, err)
				}
			}
			if err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, formatTime(time.Now())).Error; err != nil {
				return fmt.Errorf("record migration %04d_%s: %w", m.version, m.name, err)
			}
		}
		return nil
	})
}

// formatTime writes a time as heard stores it: UTC RFC 3339.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// parseTime reads a time written by formatTime; a malformed value gives
// the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
