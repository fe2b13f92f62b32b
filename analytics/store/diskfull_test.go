package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

func TestIsDiskFull(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"sqlite full", fmt.Errorf("insert: %w", sqlite3.Error{Code: sqlite3.ErrFull}), true},
		{"no space left", &os.PathError{Op: "write", Path: "/tmp/x", Err: syscall.ENOSPC}, true},
		{"sqlite busy", sqlite3.Error{Code: sqlite3.ErrBusy}, false},
		{"postgres disk full", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "53100"}), true},
		{"postgres unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"other", errors.New("boom"), false},
	}
	for _, tc := range tests {
		if got := IsDiskFull(tc.err); got != tc.want {
			t.Errorf("%s: IsDiskFull = %v, want %v", tc.name, got, tc.want)
		}
	}
}
