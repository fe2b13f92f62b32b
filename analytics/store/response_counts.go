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
	table := responseTable(surveyID)
	if !s.db.WithContext(ctx).Migrator().HasTable(table) {
		return 0, nil
	}
	var n int64
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM " + quote(table)).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("count the responses of survey %d: %w", surveyID, err)
	}
	return n, nil
}

// ImportResponses is the number of responses of an import the survey
// still holds: what DeleteImport would delete. An unknown import gives an
// error wrapping ErrNotFound.
func (s *Store) ImportResponses(ctx context.Context, importID int64) (int64, error) {
	var surveyID int64
	err := s.db.WithContext(ctx).Raw("SELECT survey_id FROM imports WHERE id = ?", importID).Row().Scan(&surveyID)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("import %d: %w", importID, ErrNotFound)
		}
		return 0, fmt.Errorf("read import %d: %w", importID, err)
	}
	table := responseTable(surveyID)
	if !s.db.WithContext(ctx).Migrator().HasTable(table) {
		return 0, nil
	}
	var n int64
	err = s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM "+quote(table)+" WHERE import_id = ?", importID).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the responses of import %d: %w", importID, err)
	}
	return n, nil
}
