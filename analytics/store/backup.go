package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// BackupResult describes a backup file.
type BackupResult struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	// Integrity is what SQLite's integrity check said of the copy: "ok".
	Integrity string `json:"integrity"`
}

// Backup writes a consistent copy of the database to a new file at path
// while the service keeps running, checks the copy with SQLite's full
// integrity check and records the backup in the audit log.
//
// The copy is SQLite's VACUUM INTO: one read transaction, so it holds
// exactly the data committed when it started, imports running meanwhile
// are not in it and are not held up. An existing file at path is never
// overwritten. The copy is created readable by its owner only, as it holds
// every response. A copy that fails the check is deleted.
func (s *Store) Backup(ctx context.Context, path string, by analytics.Actor) (BackupResult, error) {
	if s.pg {
		// A copy of a PostgreSQL database is the server's business, and
		// pg_dump makes a consistent one while heard runs.
		return BackupResult{}, &analytics.ParamError{Msg: "back up: heard backup copies a SQLite database; " +
			"this one is on PostgreSQL (" + s.path + "): back it up with pg_dump"}
	}
	if strings.TrimSpace(path) == "" {
		return BackupResult{}, errors.New("back up: no file name given")
	}
	// Create the file first, exclusively: this refuses an existing file
	// without a race, and sets its permissions before any data is in it.
	// VACUUM INTO accepts an empty file.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return BackupResult{}, fmt.Errorf("back up: heard never overwrites a file, and %s %w: choose a new name", path, ErrExists)
	}
	if err != nil {
		return BackupResult{}, fmt.Errorf("back up: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return BackupResult{}, errors.Join(fmt.Errorf("back up: create %s: %w", path, err), os.Remove(path))
	}
	res, err := s.backup(ctx, path)
	if err != nil {
		return BackupResult{}, errors.Join(err, os.Remove(path))
	}
	detail := fmt.Sprintf("%d bytes, integrity %s", res.Bytes, res.Integrity)
	if err := s.Audit(ctx, analytics.NewAuditEvent(by, analytics.AuditBackup, "file "+path, analytics.OutcomeOK, detail)); err != nil {
		return BackupResult{}, fmt.Errorf("back up to %s: the copy is good, but: %w", path, err)
	}
	return res, nil
}

// backup copies the database into the empty file at path and checks it.
func (s *Store) backup(ctx context.Context, path string) (BackupResult, error) {
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return BackupResult{}, fmt.Errorf("back up to %s: %w", path, err)
	}
	integrity, err := checkFile(ctx, path)
	if err != nil {
		return BackupResult{}, fmt.Errorf("back up to %s: check the copy: %w", path, err)
	}
	if integrity != "ok" {
		return BackupResult{}, fmt.Errorf("back up to %s: the copy fails SQLite's integrity check (%s); the database itself may be damaged", path, integrity)
	}
	info, err := os.Stat(path)
	if err != nil {
		return BackupResult{}, fmt.Errorf("back up to %s: %w", path, err)
	}
	return BackupResult{Path: path, Bytes: info.Size(), Integrity: integrity}, nil
}

// CheckFile runs SQLite's full integrity check on the database file at
// path, opened read-only, and returns its verdict: "ok", or the problems
// found. Use it on a backup before restoring it.
func CheckFile(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("check %s: %w", path, err)
	}
	return checkFile(ctx, path)
}

// checkFile is CheckFile without the check that the file exists.
func checkFile(ctx context.Context, path string) (string, error) {
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	opts := url.Values{}
	opts.Set("mode", "ro")
	db, err := sql.Open("sqlite3", "file:"+escaped+"?"+opts.Encode())
	if err != nil {
		return "", err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", openError(path, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", openError(path, err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return "", openError(path, err)
	}
	return strings.Join(lines, "; "), nil
}
