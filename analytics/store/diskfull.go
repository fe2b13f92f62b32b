package store

import (
	"errors"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// IsDiskFull reports whether err comes from a full disk: SQLite's "database
// or disk is full", PostgreSQL's disk_full, or the system's "no space
// left on device". The import
// that met it was rolled back; what is already stored is unchanged.
func IsDiskFull(err error) bool {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && sqlErr.Code == sqlite3.ErrFull {
		return true
	}
	if pgCode(err) == pgDiskFull {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}
