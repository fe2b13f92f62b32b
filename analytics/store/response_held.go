package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// A survey holds the responses its imports added, less those a retention
// purge deleted (imports.purged, migrations/0012_import_purged.sql):
// reading that takes a few rows whatever the number of responses, where
// counting the response table takes about 10 ms at 1,000,000.

// fillPurged sets imports.purged when migration 12 adds it, from what each
// import's response table still holds.
func fillPurged(ctx context.Context, tx *gorm.DB) error {
	var surveys []int64
	if err := tx.WithContext(ctx).Raw("SELECT DISTINCT survey_id FROM imports").Scan(&surveys).Error; err != nil {
		return fmt.Errorf("read imports: %w", err)
	}
	for _, id := range surveys {
		table := responseTable(id)
		if !tx.Migrator().HasTable(table) {
			continue
		}
		err := tx.WithContext(ctx).Exec("UPDATE imports SET purged = added - (SELECT COUNT(*) FROM "+quote(table)+
			" r WHERE r.import_id = imports.id) WHERE survey_id = ?", id).Error
		if err != nil {
			return fmt.Errorf("count the responses of survey %d: %w", id, err)
		}
	}
	return nil
}

// heldResponses is the number of responses a survey holds.
func heldResponses(ctx context.Context, db *gorm.DB, surveyID int64) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Raw("SELECT COALESCE(SUM(added - purged), 0) FROM imports WHERE survey_id = ?", surveyID).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the responses of survey %d: %w", surveyID, err)
	}
	return n, nil
}
