package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"
)

// Uploads of the upload page kept in the database (migrations/
// 0014_shared_uploads.sql), so that any heard process on it can show,
// confirm and follow an upload another process received. The service
// decides what the reports and kinds hold (JSON it writes and reads) and
// keeps uploads here on PostgreSQL only, where these writes run beside an
// import; on SQLite they wait for this process's writer like any write.

// SharedUploadChunk is the size of the pieces a shared upload's file is
// kept in: a file is never held whole in memory to write or read it.
const SharedUploadChunk = 1 << 20

// The states of a shared upload, as the service names them.
const (
	SharedUploadPreview = "preview"
	SharedUploadRunning = "running"
)

// SharedUpload is one upload kept in the database. Preview, Result and
// Kinds are the service's JSON ("" when there is none).
type SharedUpload struct {
	Token   string
	Owner   int64
	Survey  string
	File    string
	State   string
	Phase   string
	Done    int64
	Total   int64
	Preview string
	Result  string
	Kinds   string
	Size    int64
	Created time.Time
	Updated time.Time
}

// sharedUploadRow is a row of shared_uploads.
type sharedUploadRow struct {
	Token     string
	OwnerID   int64
	Survey    string
	File      string
	State     string
	Phase     string
	Done      int64
	Total     int64
	Preview   string
	Result    string
	Kinds     string
	Size      int64
	CreatedAt int64
	UpdatedAt int64
}

func (r sharedUploadRow) upload() SharedUpload {
	return SharedUpload{Token: r.Token, Owner: r.OwnerID, Survey: r.Survey, File: r.File, State: r.State, Phase: r.Phase,
		Done: r.Done, Total: r.Total, Preview: r.Preview, Result: r.Result, Kinds: r.Kinds, Size: r.Size,
		Created: time.UnixMilli(r.CreatedAt).UTC(), Updated: time.UnixMilli(r.UpdatedAt).UTC()}
}

// uploadWriter takes what a write of shared uploads needs: nothing on
// PostgreSQL, where it runs beside an import; this process's writer on
// SQLite.
func (s *Store) uploadWriter(ctx context.Context) (release func(), err error) {
	if s.pg {
		return func() {}, nil
	}
	if err := s.lockWriter(ctx); err != nil {
		return nil, err
	}
	return s.unlockWriter, nil
}

// SaveSharedUpload keeps an upload and, when file is not nil, its file's
// bytes, read in chunks of SharedUploadChunk: all or nothing. Its token must
// be new.
func (s *Store) SaveSharedUpload(ctx context.Context, u SharedUpload, file io.Reader) error {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	row := sharedUploadRow{Token: u.Token, OwnerID: u.Owner, Survey: u.Survey, File: u.File, State: u.State, Phase: u.Phase,
		Done: u.Done, Total: u.Total, Preview: u.Preview, Result: u.Result, Kinds: u.Kinds,
		CreatedAt: u.Created.UnixMilli(), UpdatedAt: u.Created.UnixMilli()}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO shared_uploads (token, owner_id, survey, file, state, phase, done, total, preview, result, kinds,
			size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, row.Token, row.OwnerID, row.Survey, row.File,
			row.State, row.Phase, row.Done, row.Total, row.Preview, row.Result, row.Kinds, row.CreatedAt, row.UpdatedAt).Error; err != nil {
			return fmt.Errorf("keep the upload: %w", err)
		}
		if file == nil {
			return nil
		}
		buf := make([]byte, SharedUploadChunk)
		var size int64
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(file, buf)
			if n > 0 {
				if err := tx.Exec("INSERT INTO shared_upload_chunks (token, seq, data) VALUES (?, ?, ?)", u.Token, seq, buf[:n]).Error; err != nil {
					return fmt.Errorf("keep the upload's file: %w", err)
				}
				size += int64(n)
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("read the upload's file: %w", err)
			}
		}
		if err := tx.Exec("UPDATE shared_uploads SET size = ? WHERE token = ?", size, u.Token).Error; err != nil {
			return fmt.Errorf("keep the upload: %w", err)
		}
		return nil
	})
}

// SharedUploadByToken returns the upload with this token, or ErrNotFound.
func (s *Store) SharedUploadByToken(ctx context.Context, token string) (SharedUpload, error) {
	var rows []sharedUploadRow
	if err := s.db.WithContext(ctx).Raw(`SELECT token, owner_id, survey, file, state, phase, done, total, preview, result, kinds,
		size, created_at, updated_at FROM shared_uploads WHERE token = ?`, token).Scan(&rows).Error; err != nil {
		return SharedUpload{}, fmt.Errorf("read the upload: %w", err)
	}
	if len(rows) == 0 {
		return SharedUpload{}, ErrNotFound
	}
	return rows[0].upload(), nil
}

// SharedUploadFile writes the upload's file to w, one chunk at a time. It
// is ErrNotFound when the upload is not kept, and an error when the bytes
// kept are not the upload's size (its import ended and they were deleted).
func (s *Store) SharedUploadFile(ctx context.Context, token string, w io.Writer) error {
	u, err := s.SharedUploadByToken(ctx, token)
	if err != nil {
		return err
	}
	var written int64
	for seq := 0; ; seq++ {
		var data []byte
		row := s.db.WithContext(ctx).Raw("SELECT data FROM shared_upload_chunks WHERE token = ? AND seq = ?", token, seq).Row()
		if err := row.Scan(&data); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			return fmt.Errorf("read the upload's file: %w", err)
		}
		n, err := w.Write(data)
		written += int64(n)
		if err != nil {
			return fmt.Errorf("copy the upload's file: %w", err)
		}
	}
	if written != u.Size {
		return fmt.Errorf("the upload's file is no longer kept (%d of %d bytes)", written, u.Size)
	}
	return nil
}

// ClaimSharedUpload changes the upload's state from preview to running,
// with kinds as its kinds, and reports whether this call did: only one of
// several processes confirming the same upload at once claims it, and that
// one imports it. false, with no error, means it was claimed before (or is
// not kept).
func (s *Store) ClaimSharedUpload(ctx context.Context, token, kinds string, now time.Time) (bool, error) {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	res := s.db.WithContext(ctx).Exec("UPDATE shared_uploads SET state = ?, kinds = ?, updated_at = ? WHERE token = ? AND state = ?",
		SharedUploadRunning, kinds, now.UnixMilli(), token, SharedUploadPreview)
	if res.Error != nil {
		return false, fmt.Errorf("confirm the upload: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetSharedUploadPreview replaces the preview and kinds of an upload still
// waiting for confirmation (read again with the person's corrections); an
// upload confirmed meanwhile is left as it is.
func (s *Store) SetSharedUploadPreview(ctx context.Context, token, preview, kinds string, now time.Time) error {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.db.WithContext(ctx).Exec("UPDATE shared_uploads SET preview = ?, kinds = ?, updated_at = ? WHERE token = ? AND state = ?",
		preview, kinds, now.UnixMilli(), token, SharedUploadPreview).Error; err != nil {
		return fmt.Errorf("keep the upload's preview: %w", err)
	}
	return nil
}

// SharedUploadProgress records how far the import of a running upload is.
func (s *Store) SharedUploadProgress(ctx context.Context, token, phase string, done, total int64, now time.Time) error {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.db.WithContext(ctx).Exec("UPDATE shared_uploads SET phase = ?, done = ?, total = ?, updated_at = ? WHERE token = ? AND state = ?",
		phase, done, total, now.UnixMilli(), token, SharedUploadRunning).Error; err != nil {
		return fmt.Errorf("record the upload's progress: %w", err)
	}
	return nil
}

// FinishSharedUpload records the end of an upload (state and result; the
// last progress too) and deletes its file's bytes, no longer needed.
func (s *Store) FinishSharedUpload(ctx context.Context, u SharedUpload, now time.Time) error {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE shared_uploads SET state = ?, result = ?, phase = ?, done = ?, total = ?, updated_at = ? WHERE token = ?",
			u.State, u.Result, u.Phase, u.Done, u.Total, now.UnixMilli(), u.Token).Error; err != nil {
			return fmt.Errorf("record the end of the upload: %w", err)
		}
		if err := tx.Exec("DELETE FROM shared_upload_chunks WHERE token = ?", u.Token).Error; err != nil {
			return fmt.Errorf("delete the upload's file: %w", err)
		}
		return nil
	})
}

// DeleteExpiredSharedUploads deletes the uploads made before before,
// with their files, but for those still running whose progress was
// recorded after stalled: a running import's upload stays while its
// process records progress, and goes once that process has stopped. It
// returns how many it deleted.
func (s *Store) DeleteExpiredSharedUploads(ctx context.Context, before, stalled time.Time) (int64, error) {
	release, err := s.uploadWriter(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	var n int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		const expired = "SELECT token FROM shared_uploads WHERE created_at < ? AND (state <> ? OR updated_at < ?)"
		args := []any{before.UnixMilli(), SharedUploadRunning, stalled.UnixMilli()}
		if err := tx.Exec("DELETE FROM shared_upload_chunks WHERE token IN ("+expired+")", args...).Error; err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM shared_uploads WHERE token IN ("+expired+")", args...)
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired uploads: %w", err)
	}
	return n, nil
}
