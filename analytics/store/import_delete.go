package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// ImportDeletion is what DeleteImport removed.
type ImportDeletion struct {
	Import analytics.Import
	// Survey is the name of the import's survey.
	Survey string
	// Responses is the number of responses deleted with it.
	Responses int64
}

// DeleteImport deletes an import: its responses, the answer counts kept
// for it and its record, and writes an audit event, all in one
// transaction. The survey, its mapping and its other imports are left as
// they are, and the same file may be imported again afterwards. An unknown
// import gives an error wrapping ErrNotFound.
func (s *Store) DeleteImport(ctx context.Context, id int64, by analytics.Actor) (ImportDeletion, error) {
	var del ImportDeletion
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		rows, err := gorm.G[importRow](tx).Omit("mapping_json").Where("id = ?", id).Find(ctx)
		if err != nil {
			return fmt.Errorf("read imports: %w", err)
		}
		if len(rows) == 0 {
			return fmt.Errorf("import %d: %w", id, ErrNotFound)
		}
		del.Import = rows[0].importValue()
		survey, err := findSurvey(ctx, tx, "id = ?", del.Import.SurveyID)
		if err != nil {
			return fmt.Errorf("survey of import %d: %w", id, err)
		}
		del.Survey = survey.Name
		if del.Responses, err = deleteImportRows(ctx, tx, del.Import); err != nil {
			return fmt.Errorf("delete import %d: %w", id, err)
		}
		e := analytics.NewAuditEvent(by, analytics.AuditImportDelete, importObject(del.Import, del.Survey), analytics.OutcomeOK,
			fmt.Sprintf("%d responses deleted", del.Responses))
		return writeAudit(ctx, tx, e)
	})
	if err != nil {
		return ImportDeletion{}, err
	}
	return del, nil
}

// deleteImportRows deletes an import's responses, kept counts and record,
// and returns how many responses it deleted.
func deleteImportRows(ctx context.Context, tx *gorm.DB, imp analytics.Import) (int64, error) {
	var n int64
	table := responseTable(imp.SurveyID)
	if tx.Migrator().HasTable(table) {
		res := tx.Exec("DELETE FROM "+quote(table)+" WHERE import_id = ?", imp.ID)
		if res.Error != nil {
			return 0, res.Error
		}
		n = res.RowsAffected
	}
	if err := forgetCounts(ctx, tx, []int64{imp.ID}); err != nil {
		return 0, err
	}
	if err := tx.Exec("DELETE FROM imports WHERE id = ?", imp.ID).Error; err != nil {
		return 0, err
	}
	return n, nil
}

// forgetCounts deletes the answer counts kept for imports whose responses
// have changed, so that the next report counts them again.
func forgetCounts(ctx context.Context, tx *gorm.DB, imports []int64) error {
	if len(imports) == 0 {
		return nil
	}
	for _, table := range []string{"report_counts", "report_counted", "dimension_values", "dimension_values_kept"} {
		if err := tx.WithContext(ctx).Exec("DELETE FROM "+table+" WHERE import_id IN ?", imports).Error; err != nil {
			return fmt.Errorf("forget kept counts: %w", err)
		}
	}
	return nil
}

// importObject names an import in the audit log.
func importObject(imp analytics.Import, survey string) string {
	return fmt.Sprintf("import %d %q of survey %q", imp.ID, imp.File, survey)
}
