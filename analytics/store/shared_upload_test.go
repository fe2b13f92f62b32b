package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestSharedUploadLifecycle: an upload kept by one process is read back
// whole by another (its file over several chunks), confirmed by exactly one
// of several processes at once, followed, finished (its bytes deleted) and
// deleted once expired, but not while it runs and records progress.
func TestSharedUploadLifecycle(t *testing.T) {
	s, path := newTestStore(t)
	other := openTest(t, path)
	ctx := context.Background()
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	file := make([]byte, 2*SharedUploadChunk+12345)
	if _, err := rand.Read(file); err != nil {
		t.Fatal(err)
	}
	up := SharedUpload{Token: "tok1", Owner: 7, Survey: "Care", File: "may.csv", State: SharedUploadPreview,
		Preview: `{"rows_read":3}`, Created: t0}
	if err := s.SaveSharedUpload(ctx, up, bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM shared_upload_chunks WHERE token = 'tok1'"); n != 3 {
		t.Errorf("%d chunks, want 3", n)
	}
	if err := s.SaveSharedUpload(ctx, up, nil); err == nil {
		t.Error("a second upload with the same token was kept")
	}
	got, err := other.SharedUploadByToken(ctx, "tok1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != 7 || got.Survey != "Care" || got.File != "may.csv" || got.State != SharedUploadPreview ||
		got.Preview != `{"rows_read":3}` || got.Size != int64(len(file)) || !got.Created.Equal(t0) {
		t.Errorf("read back %+v", got)
	}
	if _, err := other.SharedUploadByToken(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown token: %v, want ErrNotFound", err)
	}
	var buf bytes.Buffer
	if err := other.SharedUploadFile(ctx, "tok1", &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), file) {
		t.Errorf("file read back: %d bytes, differs from the %d kept", buf.Len(), len(file))
	}
	if err := other.SetSharedUploadPreview(ctx, "tok1", `{"rows_read":4}`, `{"2":"ignore"}`, t0); err != nil {
		t.Fatal(err)
	}

	// Four confirmations at once, two a process: one claims it.
	var wg sync.WaitGroup
	claimed := make([]bool, 4)
	for i := range claimed {
		wg.Go(func() {
			st := []*Store{s, other}[i%2]
			ok, err := st.ClaimSharedUpload(ctx, "tok1", `{"2":"text"}`, t0.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			claimed[i] = ok
		})
	}
	wg.Wait()
	n := 0
	for _, ok := range claimed {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d of 4 confirmations claimed the upload, want 1", n)
	}
	// A preview read again after the confirmation does not change it.
	if err := s.SetSharedUploadPreview(ctx, "tok1", `{"rows_read":9}`, `{}`, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SharedUploadProgress(ctx, "tok1", "importing", 40, 100, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = other.SharedUploadByToken(ctx, "tok1")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != SharedUploadRunning || got.Kinds != `{"2":"text"}` || got.Preview != `{"rows_read":4}` ||
		got.Phase != "importing" || got.Done != 40 || got.Total != 100 {
		t.Errorf("while running: %+v", got)
	}
	// Expired, but running with recent progress: kept.
	if n, err := s.DeleteExpiredSharedUploads(ctx, t0.Add(2*time.Hour), t0.Add(2*time.Hour)); err != nil || n != 0 {
		t.Errorf("deleted %d running uploads (%v), want 0", n, err)
	}
	// A second upload, never confirmed and expired: deleted.
	if err := other.SaveSharedUpload(ctx, SharedUpload{Token: "tok2", Owner: 8, Survey: "S", File: "f.csv",
		State: SharedUploadPreview, Created: t0}, bytes.NewReader([]byte("a,b\n1,2\n"))); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteExpiredSharedUploads(ctx, t0.Add(2*time.Hour), t0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Errorf("deleted %d expired uploads (%v), want 1", n, err)
	}
	if _, err := s.SharedUploadByToken(ctx, "tok2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the expired upload: %v, want ErrNotFound", err)
	}

	if err := other.FinishSharedUpload(ctx, SharedUpload{Token: "tok1", State: "done", Result: `{"responses_added":3}`,
		Phase: "done", Done: 100, Total: 100}, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.SharedUploadByToken(ctx, "tok1")
	if err != nil || got.State != "done" || got.Result != `{"responses_added":3}` || got.Done != 100 {
		t.Errorf("finished: %+v %v", got, err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM shared_upload_chunks"); n != 0 {
		t.Errorf("%d chunks left after the import ended, want 0", n)
	}
	if err := s.SharedUploadFile(ctx, "tok1", &bytes.Buffer{}); err == nil {
		t.Error("the file of a finished upload was read back")
	}
	if n, err := s.DeleteExpiredSharedUploads(ctx, t0.Add(2*time.Hour), t0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Errorf("deleted %d finished expired uploads (%v), want 1", n, err)
	}
}
