package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ResponseCount is the number of responses a survey holds now. Unlike the
// imports' added counts, it falls when a purge deletes old responses, so
// it tells whether anything kept about the survey's data is out of date.
func (s *Store) ResponseCount(ctx context.Context, surveyID int64) (int64, error) {
	return heldResponses(ctx, s.db, surveyID)
}

// ImportResponses is the number of responses of an import the survey
// still holds: what DeleteImport would delete. An unknown import gives an
// error wrapping ErrNotFound.
func (s *Store) ImportResponses(ctx context.Context, importID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT added - purged FROM imports WHERE id = ?", importID).Row().Scan(&n)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("import %d: %w", importID, ErrNotFound)
		}
		return 0, fmt.Errorf("read import %d: %w", importID, err)
	}
	return n, nil
}
