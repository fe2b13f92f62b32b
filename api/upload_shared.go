package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"time"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
)

// Uploads shared by the heard processes on one PostgreSQL database (several
// instances behind a load balancer): the process that receives a file keeps
// the upload in its memory as before, and also in the database (store's
// shared uploads), with its preview and its file. Any process then shows,
// reads again, confirms and follows the upload: a process asked for an
// upload it does not hold reads it from the database, and fetches the file
// into its own uploads folder when it must read or import it. The database
// decides which of several confirmations imports the file (one claim), and
// the importing process writes its progress there every second and its
// result at the end, for the others' pages. On SQLite, where these writes
// would wait for an import holding the single writer, uploads stay with
// the process that received them, as before.

// sharedProgressEvery is how often an import's progress is written for the
// other processes' pages; sharedAliveEvery is how often it is written even
// when it has not moved, to show the import's process is still running.
// An import whose progress was last written more than sharedStalled ago
// ended with its process (killed mid-import, which rolls the import back):
// the other processes show it as failed rather than running for ever.
const (
	sharedProgressEvery = time.Second
	sharedAliveEvery    = 20 * time.Second
	sharedStalled       = 2 * time.Minute
)

// sharedUploads says whether uploads are kept in the database.
func (s *Server) sharedUploads() bool { return s.store.Postgres() }

// sharedReport is an import report as kept in the database: with the
// preview's headers and first rows, which the API's JSON leaves out.
type sharedReport struct {
	ingest.ImportReport
	Headers []string   `json:"headers,omitempty"`
	Sample  [][]string `json:"sample,omitempty"`
}

func encodeReport(rep *ingest.ImportReport) (string, error) {
	if rep == nil {
		return "", nil
	}
	b, err := json.Marshal(sharedReport{ImportReport: *rep, Headers: rep.Headers, Sample: rep.Sample})
	return string(b), err
}

func decodeReport(s string) (*ingest.ImportReport, error) {
	if s == "" {
		return nil, nil
	}
	var r sharedReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return nil, err
	}
	rep := r.ImportReport
	rep.Headers, rep.Sample = r.Headers, r.Sample
	return &rep, nil
}

func encodeKinds(kinds map[int]string) (string, error) {
	if len(kinds) == 0 {
		return "", nil
	}
	b, err := json.Marshal(kinds)
	return string(b), err
}

func decodeKinds(s string) (map[int]string, error) {
	if s == "" {
		return nil, nil
	}
	var kinds map[int]string
	err := json.Unmarshal([]byte(s), &kinds)
	return kinds, err
}

// shareUpload keeps a previewed upload in the database, with its file
// while it waits for confirmation, and deletes the expired ones. A failure
// is logged: the upload still works on this process.
func (s *Server) shareUpload(ctx context.Context, u *upload) {
	if !s.sharedUploads() {
		return
	}
	now := time.Now()
	if _, err := s.store.DeleteExpiredSharedUploads(ctx, now.Add(-uploadTTL), now.Add(-uploadTTL)); err != nil {
		s.logger.Error("delete expired uploads", "err", err)
	}
	u.mu.Lock()
	row := store.SharedUpload{Token: u.Token, Owner: u.owner, Survey: u.Survey, File: u.File, State: u.state, Created: u.created}
	preview, result := u.preview, u.result
	u.mu.Unlock()
	err := func() error {
		var err error
		if row.Preview, err = encodeReport(preview); err != nil {
			return err
		}
		if row.Result, err = encodeReport(result); err != nil {
			return err
		}
		if row.State != uploadPreview {
			return s.store.SaveSharedUpload(ctx, row, nil)
		}
		f, err := os.Open(u.path)
		if err != nil {
			return err
		}
		defer f.Close()
		return s.store.SaveSharedUpload(ctx, row, f)
	}()
	if err != nil {
		s.logger.Error("keep the upload in the database for the other heard processes", "file", u.File, "err", err)
		return
	}
	u.mu.Lock()
	u.shared = true
	u.mu.Unlock()
}

// findUpload returns the upload with this token: this process's own, or,
// when it does not hold it, or holds it waiting for a confirmation another
// process may have made, the database's. nil when there is none.
func (s *Server) findUpload(ctx context.Context, token string) (*upload, error) {
	u := s.uploads.get(token)
	if !s.sharedUploads() {
		return u, nil
	}
	if u != nil {
		u.mu.Lock()
		mine := !u.shared || u.state != uploadPreview
		u.mu.Unlock()
		if mine {
			return u, nil
		}
	}
	row, err := s.store.SharedUploadByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return u, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := remoteUpload(row)
	if err != nil {
		return nil, err
	}
	if r.state == uploadRunning && time.Since(row.Updated) > sharedStalled {
		r.state = uploadFailed
	}
	if u == nil {
		return r, nil
	}
	if r.state != uploadPreview {
		u.mu.Lock()
		waiting := u.state == uploadPreview
		u.mu.Unlock()
		if !waiting {
			// Confirmed here meanwhile: this process imports it (its
			// state turns running here before the database's does).
			return u, nil
		}
		// Another process confirmed it: its file here is not needed.
		s.uploads.drop(u)
		return r, nil
	}
	// Still waiting; another process may have read it again with
	// corrections.
	u.mu.Lock()
	if u.state == uploadPreview {
		u.preview, u.kinds = r.preview, r.kinds
	}
	u.mu.Unlock()
	return u, nil
}

// remoteUpload is an upload as the database has it.
func remoteUpload(row store.SharedUpload) (*upload, error) {
	preview, err := decodeReport(row.Preview)
	if err != nil {
		return nil, err
	}
	result, err := decodeReport(row.Result)
	if err != nil {
		return nil, err
	}
	kinds, err := decodeKinds(row.Kinds)
	if err != nil {
		return nil, err
	}
	return &upload{Token: row.Token, Survey: row.Survey, File: row.File, created: row.Created, owner: row.Owner,
		state: row.State, phase: row.Phase, done: int(row.Done), total: int(row.Total),
		preview: preview, result: result, kinds: kinds, shared: true, remote: true}, nil
}

// localUpload returns an upload with its file in this process's uploads
// folder: u itself, or, for another process's upload, a copy fetched from
// the database. An upload confirmed meanwhile is errAlreadyConfirmed.
func (s *Server) localUpload(ctx context.Context, u *upload) (*upload, error) {
	if !u.remote {
		return u, nil
	}
	path, err := s.uploads.fetch(u.Token, func(w io.Writer) error { return s.store.SharedUploadFile(ctx, u.Token, w) })
	if err != nil {
		if row, rerr := s.store.SharedUploadByToken(ctx, u.Token); rerr == nil && row.State != uploadPreview {
			return nil, errAlreadyConfirmed
		}
		return nil, err
	}
	u.mu.Lock()
	local := &upload{Token: u.Token, Survey: u.Survey, File: u.File, path: path, created: u.created, owner: u.owner,
		state: u.state, preview: u.preview, kinds: u.kinds, shared: true}
	u.mu.Unlock()
	return s.uploads.adopt(local), nil
}

// claimUpload asks the database whether this process imports a shared
// upload, with these kinds: nil when it does, errAlreadyConfirmed when
// another confirmation came first.
func (s *Server) claimUpload(ctx context.Context, u *upload, kinds map[int]string) error {
	k, err := encodeKinds(kinds)
	if err != nil {
		return err
	}
	ok, err := s.store.ClaimSharedUpload(ctx, u.Token, k, time.Now())
	if err != nil {
		return err
	}
	if !ok {
		s.uploads.drop(u)
		return errAlreadyConfirmed
	}
	return nil
}

// followUpload writes a shared upload's progress to the database every
// sharedProgressEvery until stop is called.
func (s *Server) followUpload(u *upload) (stop func()) {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(sharedProgressEvery)
		defer t.Stop()
		var last uploadStatus
		written := time.Now()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			st := u.status()
			if st.Phase == last.Phase && st.Done == last.Done && st.Total == last.Total && time.Since(written) < sharedAliveEvery {
				continue
			}
			last, written = st, time.Now()
			if err := s.store.SharedUploadProgress(context.Background(), u.Token, st.Phase, int64(st.Done), int64(st.Total), time.Now()); err != nil {
				s.logger.Error("record an upload's progress for the other heard processes", "file", u.File, "err", err)
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}

// finishUpload records a shared upload's end in the database.
func (s *Server) finishUpload(st uploadStatus) {
	row := store.SharedUpload{Token: st.Token, State: st.State, Phase: st.Phase, Done: int64(st.Done), Total: int64(st.Total)}
	var err error
	if row.Result, err = encodeReport(st.Result); err == nil {
		err = s.store.FinishSharedUpload(context.Background(), row, time.Now())
	}
	if err != nil {
		s.logger.Error("record the end of an upload for the other heard processes", "file", st.File, "err", err)
	}
}
