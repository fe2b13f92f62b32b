package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
)

// maxUpload bounds an uploaded file; the importer's own limits apply too.
// It is fixed: heard serve has no flag or setting for it, and a larger file
// is imported on the server with heard import --max-file-mb.
const maxUpload = 200 << 20

// maxUploadBody bounds an upload request's body: the file and the form's
// few small fields.
const maxUploadBody = maxUpload + 1<<20

// uploadTooLarge refuses a file over maxUpload. name is the file's name
// ("" when not known); size is its size in bytes, or 0 when it is not known
// (the file was cut off at the limit). It names the limit, and since no
// setting of heard serve raises it, says how else to import the file.
func uploadTooLarge(name string, size int64) *analytics.ParamError {
	what, is, flag := "the file", fmt.Sprintf("is larger than %d MB", maxUpload>>20), "--max-file-mb"
	if name != "" {
		what = fmt.Sprintf("the file %q", name)
	}
	if size > 0 {
		mb := (size + 1<<20 - 1) >> 20
		is = fmt.Sprintf("is about %d MB, larger than %d MB", mb, maxUpload>>20)
		flag = fmt.Sprintf("--max-file-mb %d", mb)
	}
	return &analytics.ParamError{Msg: fmt.Sprintf("%s %s, the most the upload page takes (a fixed limit: heard serve has no "+
		"setting or flag that raises it); split the export into smaller files (for example one per quarter), "+
		"or have an administrator import it on the server with heard import %s", what, is, flag)}
}

// uploadTTL is how long an uploaded file waits for its confirmation.
const uploadTTL = 2 * time.Hour

// The states of an upload.
const (
	uploadPreview = "preview" // read and checked, waiting for confirmation
	uploadRunning = "running" // being imported
	uploadDone    = "done"    // imported, already imported or refused
	uploadFailed  = "failed"  // heard itself failed; nothing was stored
)

// upload is one file sent through the upload page, from its preview to the
// end of its import.
type upload struct {
	Token   string
	Survey  string
	File    string
	path    string
	created time.Time

	mu sync.Mutex
	// owner is the id of the account that uploaded the file: only it (or
	// an admin) may see and confirm the upload.
	owner   int64
	state   string
	phase   string
	done    int
	total   int
	preview *ingest.ImportReport
	result  *ingest.ImportReport
	// kinds are the person's corrections of what the file's columns
	// become, by column index, for a new survey.
	kinds map[int]string
	// shared says the upload is kept in the database too (on PostgreSQL,
	// see upload_shared.go), where every heard process on it finds it.
	shared bool
	// remote says the upload is a snapshot of another process's, read from
	// the database: it has no file here and is in no process's list.
	remote bool
}

// uploadStatus is a snapshot of an upload for a page or the API.
type uploadStatus struct {
	Token, Survey, File string
	State, Phase        string
	Done, Total         int
	Percent             int
	Preview, Result     *ingest.ImportReport
}

func (u *upload) status() uploadStatus {
	u.mu.Lock()
	defer u.mu.Unlock()
	st := uploadStatus{Token: u.Token, Survey: u.Survey, File: u.File, State: u.state, Phase: u.phase,
		Done: u.done, Total: u.total, Preview: u.preview, Result: u.result}
	if u.total > 0 {
		st.Percent = min(100, u.done*100/u.total)
	}
	return st
}

func (u *upload) progress(phase string, done, total int) {
	u.mu.Lock()
	u.phase, u.done, u.total = phase, done, total
	u.mu.Unlock()
}

// uploads keeps the files uploaded through the pages and the API, from
// their first byte to the end of their import, in this process's folder
// next to the database (see uploadFolder), emptied as they end and removed
// at shutdown. A process killed mid-upload leaves its folder for the next
// start to remove; nothing goes to the system's temporary folder.
type uploads struct {
	dir string
	mu  sync.Mutex
	all map[string]*upload
	// jobs counts imports running in the background, so that shutdown can
	// wait for them to roll back or finish.
	jobs sync.WaitGroup
}

func newUploads(root string) (*uploads, error) {
	dir, err := uploadFolder(root)
	if err != nil {
		return nil, err
	}
	return &uploads{dir: dir, all: make(map[string]*upload)}, nil
}

// keep writes an uploaded file, as it arrives, to a new file of the uploads
// folder under a random name, and returns its token, path and size. A file
// larger than maxUpload is refused and removed; name is the file's name,
// for that refusal.
func (us *uploads) keep(src io.Reader, name string) (token, path string, err error) {
	us.sweep()
	if token, err = newToken(); err != nil {
		return "", "", err
	}
	path = filepath.Join(us.dir, token)
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("keep the uploaded file: %w", err)
	}
	n, err := io.Copy(dst, io.LimitReader(src, maxUpload+1))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxUpload {
		err = uploadTooLarge(name, 0)
	}
	if err != nil {
		os.Remove(path)
		return "", "", err
	}
	return token, path, nil
}

// add registers a kept file as an upload into survey.
func (us *uploads) add(token, path, fileName, survey string) *upload {
	u := &upload{Token: token, Survey: survey, File: cleanFileName(fileName), path: path, created: time.Now(), state: uploadPreview}
	us.mu.Lock()
	us.all[token] = u
	us.mu.Unlock()
	return u
}

// get returns the upload with this token, or nil.
func (us *uploads) get(token string) *upload {
	us.mu.Lock()
	defer us.mu.Unlock()
	return us.all[token]
}

// forget removes an upload's file; its status stays readable until swept.
func (us *uploads) forget(u *upload) {
	if u.path != "" {
		os.Remove(u.path)
	}
}

// drop removes an upload's file and the upload itself: another process
// imports it, and the database has its state.
func (us *uploads) drop(u *upload) {
	us.forget(u)
	us.mu.Lock()
	if us.all[u.Token] == u {
		delete(us.all, u.Token)
	}
	us.mu.Unlock()
}

// fetch writes, with write, another process's upload's file to a new file
// of the uploads folder, and returns its path.
func (us *uploads) fetch(token string, write func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(us.dir, token+"-*")
	if err != nil {
		return "", fmt.Errorf("keep the uploaded file: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// adopt registers another process's upload whose file this process has
// fetched, and returns it; when a request fetched it meanwhile, that one
// is returned and u's file removed.
func (us *uploads) adopt(u *upload) *upload {
	us.mu.Lock()
	defer us.mu.Unlock()
	if had := us.all[u.Token]; had != nil {
		us.forget(u)
		return had
	}
	u.remote = false
	us.all[u.Token] = u
	return u
}

// sweep removes uploads left waiting longer than uploadTTL.
func (us *uploads) sweep() {
	us.mu.Lock()
	defer us.mu.Unlock()
	for token, u := range us.all {
		if time.Since(u.created) > uploadTTL && u.status().State != uploadRunning {
			os.Remove(u.path)
			delete(us.all, token)
		}
	}
}

// close waits for running imports (whose context has been cancelled by
// then) and removes the uploads folder.
func (us *uploads) close() error {
	us.jobs.Wait()
	return os.RemoveAll(us.dir)
}

// errAlreadyConfirmed refuses a second confirmation of an upload.
var errAlreadyConfirmed = errors.New("this upload has already been imported")

// start imports an upload in the background; ctx ends with the service.
// claim, when not nil, is asked once the upload is this process's to
// import and may refuse it (another process confirmed it first): the
// upload then waits again. ended, when not nil, is told the upload's end.
func (us *uploads) start(ctx context.Context, u *upload, claim func() error,
	run func(ctx context.Context, u *upload) (*ingest.ImportReport, error), ended func(uploadStatus)) error {
	u.mu.Lock()
	if u.state != uploadPreview {
		u.mu.Unlock()
		return errAlreadyConfirmed
	}
	u.state = uploadRunning
	u.mu.Unlock()
	if claim != nil {
		if err := claim(); err != nil {
			u.mu.Lock()
			u.state = uploadPreview
			u.mu.Unlock()
			return err
		}
	}
	us.jobs.Add(1)
	go func() {
		defer us.jobs.Done()
		defer us.forget(u)
		rep, err := run(ctx, u)
		u.mu.Lock()
		if err != nil {
			u.state = uploadFailed
		} else {
			u.state, u.result = uploadDone, rep
		}
		u.mu.Unlock()
		if ended != nil {
			ended(u.status())
		}
	}()
	return nil
}

func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make an upload token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// cleanFileName keeps the base name of an uploaded file, for display only:
// the file is stored under a random name.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "upload"
	}
	return name
}
