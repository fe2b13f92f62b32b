//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
)

// Every process that opens the database keeps a marker file next to it,
// "<database>-open-<pid>-<n>", locked with flock for as long as it has the
// database open, and removes it when it closes the database. The kernel
// drops a process's locks whatever way it ends, so a marker that can be
// locked belongs to a process that did not close the database: it crashed,
// was killed or lost power mid-way. The next open then runs SQLite's quick
// check (see Open) before anything else, and removes the marker only once
// the check has passed. A process that closes cleanly leaves nothing, and
// later opens need no check. SQLite's own -wal file is no such sign: it
// also stays while another process has the database open, which is the
// usual case of `heard report` beside `heard serve`.

// markers numbers the markers of this process: it may open the database
// more than once.
var markers atomic.Int64

// openMarker is this process's marker.
type openMarker struct {
	f    *os.File
	path string
}

// markerPrefix is the start of the name of a marker of the database at
// path.
func markerPrefix(path string) string { return filepath.Base(path) + "-open-" }

// claimOpen lists the markers left by processes that did not close the
// database (stale) and writes this process's own marker. The marker is
// written under a temporary name, locked, then renamed, so that no other
// process can see it unlocked; the folder is synced so that the marker
// survives a power cut.
func claimOpen(path string) (own *openMarker, stale []string, err error) {
	dir, prefix := filepath.Dir(path), markerPrefix(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		full := filepath.Join(dir, name)
		if !lockable(full) {
			continue // its process still has the database open
		}
		if strings.HasSuffix(name, ".new") {
			// A process ended before its marker was in place, so before it
			// opened the database: nothing to check.
			os.Remove(full)
			continue
		}
		stale = append(stale, full)
	}
	final := filepath.Join(dir, fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), markers.Add(1)))
	f, err := os.OpenFile(final+".new", os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return nil, nil, errors.Join(err, f.Close(), os.Remove(final+".new"))
	}
	if err := os.Rename(final+".new", final); err != nil {
		return nil, nil, errors.Join(err, f.Close(), os.Remove(final+".new"))
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: a marker lost to a power cut only skips one check
		d.Close()
	}
	return &openMarker{f: f, path: final}, stale, nil
}

// lockable reports whether the marker at path can be locked, that is
// whether no process holds it.
func lockable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false
	}
	return true // closing f releases the lock
}

// release removes the marker: the database was closed cleanly. It is
// removed before it is unlocked, so that no other process takes it for a
// crashed one's.
func (m *openMarker) release() error {
	if m == nil || m.f == nil {
		return nil
	}
	f := m.f
	m.f = nil
	return errors.Join(os.Remove(m.path), f.Close())
}
