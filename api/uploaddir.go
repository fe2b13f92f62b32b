package api

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// uploadFolder returns this process's folder for uploads under root,
// root/PID, made empty, after removing the folders there of heard
// processes that are no longer running: what a server killed mid-upload
// left. Several heard processes may share a database and so root: a
// folder whose process is alive is left alone (a reused pid keeps a dead
// folder until that process ends too, never the other way round). Entries
// whose name is not a pid are not heard's and are left alone.
func uploadFolder(root string) (string, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", fmt.Errorf("create the uploads folder: %w", err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", fmt.Errorf("read the uploads folder: %w", err)
	}
	me := os.Getpid()
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !e.IsDir() || pid <= 0 || (pid != me && processAlive(pid)) {
			continue
		}
		// Our own pid's folder is a dead process's that had our pid.
		if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
			return "", fmt.Errorf("remove the uploads a stopped heard left: %w", err)
		}
	}
	dir := filepath.Join(root, strconv.Itoa(me))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the uploads folder: %w", err)
	}
	return dir, nil
}
