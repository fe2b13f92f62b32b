package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// The audit log's actions for frameworks and statement tags.
const (
	AuditFrameworkImport analytics.AuditAction = "framework-import"
	AuditFrameworkDelete analytics.AuditAction = "framework-delete"
	AuditStatementTag    analytics.AuditAction = "statement-tag"
	AuditStatementUntag  analytics.AuditAction = "statement-untag"
)

// frameworkRow is a row of frameworks.
type frameworkRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	Name       string `gorm:"column:name"`
	Title      string `gorm:"column:title"`
	File       string `gorm:"column:file"`
	ImportedBy string `gorm:"column:imported_by"`
	ImportedAt string `gorm:"column:imported_at"`
}

// TableName tells gorm the table.
func (frameworkRow) TableName() string { return "frameworks" }

// statementRow is a row of framework_statements.
type statementRow struct {
	FrameworkID int64  `gorm:"column:framework_id;primaryKey;autoIncrement:false"`
	Position    int    `gorm:"column:position;primaryKey;autoIncrement:false"`
	Code        string `gorm:"column:code"`
	Theme       string `gorm:"column:theme"`
	Statement   string `gorm:"column:statement"`
	Parent      string `gorm:"column:parent"`
}

// TableName tells gorm the table.
func (statementRow) TableName() string { return "framework_statements" }

// Frameworks returns every framework: the built-in ones first, then the
// loaded ones by name, each with its statements in order.
func (s *Store) Frameworks(ctx context.Context) ([]analytics.Framework, error) {
	return loadFrameworks(ctx, s.db)
}

// Framework returns the framework called name, or an error wrapping
// ErrNotFound that lists the frameworks there are.
func (s *Store) Framework(ctx context.Context, name string) (analytics.Framework, error) {
	all, err := loadFrameworks(ctx, s.db)
	if err != nil {
		return analytics.Framework{}, err
	}
	return findFramework(all, name)
}

// findFramework returns the framework of all called name.
func findFramework(all []analytics.Framework, name string) (analytics.Framework, error) {
	names := make([]string, len(all))
	for i, f := range all {
		if f.Name == name {
			return f, nil
		}
		names[i] = f.Name
	}
	return analytics.Framework{}, analytics.NotFound(fmt.Sprintf("there is no framework %q; the frameworks are %s",
		name, strings.Join(names, ", ")))
}

// loadFrameworks reads the built-in frameworks and the loaded ones, in two
// queries.
func loadFrameworks(ctx context.Context, db *gorm.DB) ([]analytics.Framework, error) {
	rows, err := gorm.G[frameworkRow](db).Order("name").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("read frameworks: %w", err)
	}
	stmts, err := gorm.G[statementRow](db).Order("framework_id, position").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("read framework statements: %w", err)
	}
	byID := map[int64][]analytics.Statement{}
	for _, st := range stmts {
		byID[st.FrameworkID] = append(byID[st.FrameworkID],
			analytics.Statement{ID: st.Code, Theme: st.Theme, Text: st.Statement, Parent: st.Parent})
	}
	out := analytics.BuiltInFrameworks()
	for _, r := range rows {
		out = append(out, analytics.Framework{Name: r.Name, Title: r.Title, Statements: byID[r.ID]})
	}
	return out, nil
}

// ImportFramework stores a framework loaded from file, or replaces the
// statements (and the title, when fw has one) of the loaded framework of
// the same name, and records it in the audit log. It reports whether it
// replaced one. A built-in framework's name, or a framework that does not
// validate against the others, is refused with an *analytics.ParamError; a
// replacement that would remove statements still tagged, or refined by
// another framework, with an *analytics.InUseError naming each. Nothing
// changes when it fails.
func (s *Store) ImportFramework(ctx context.Context, fw analytics.Framework, file string, by analytics.Actor) (bool, error) {
	replaced := false
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		if analytics.IsBuiltInFramework(fw.Name) {
			return analytics.ParamErrorf(fmt.Sprintf("%q is the name of a framework heard ships, which cannot be replaced: "+
				"import yours under another {name}, and give its statements a parent such as %s:%s to say what they refine",
				fw.Name, fw.Name, analytics.BuiltInFrameworks()[0].Statements[0].ID))
		}
		known, err := loadFrameworks(ctx, tx)
		if err != nil {
			return err
		}
		if err := fw.Validate(known); err != nil {
			return analytics.ParamErrorf(err.Error())
		}
		old, err := gorm.G[frameworkRow](tx).Where("name = ?", fw.Name).Find(ctx)
		if err != nil {
			return fmt.Errorf("read framework %q: %w", fw.Name, err)
		}
		row := frameworkRow{Name: fw.Name, Title: fw.Title, File: file, ImportedBy: by.Who, ImportedAt: formatTime(tx.NowFunc())}
		if len(old) > 0 {
			replaced, row.ID = true, old[0].ID
			if row.Title == "" {
				row.Title = old[0].Title
			}
			if err := checkRemovable(ctx, tx, fw, known); err != nil {
				return err
			}
			if _, err := gorm.G[statementRow](tx).Where("framework_id = ?", row.ID).Delete(ctx); err != nil {
				return fmt.Errorf("replace the statements of framework %q: %w", fw.Name, err)
			}
		}
		if row.Title == "" {
			row.Title = fw.Name
		}
		if err := tx.WithContext(ctx).Save(&row).Error; err != nil {
			return fmt.Errorf("store framework %q: %w", fw.Name, err)
		}
		stmts := make([]statementRow, len(fw.Statements))
		for i, st := range fw.Statements {
			stmts[i] = statementRow{FrameworkID: row.ID, Position: i, Code: st.ID, Theme: st.Theme, Statement: st.Text, Parent: st.Parent}
		}
		if err := tx.WithContext(ctx).CreateInBatches(stmts, 100).Error; err != nil {
			return fmt.Errorf("store the statements of framework %q: %w", fw.Name, err)
		}
		detail := fmt.Sprintf("%d statements from %s", len(fw.Statements), file)
		if replaced {
			detail = "replaced by " + detail
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditFrameworkImport, frameworkObject(fw.Name), analytics.OutcomeOK, detail))
	})
	return replaced, err
}

// checkRemovable refuses to replace the stored statements of fw.Name with
// fw's when a statement it leaves out is still used.
func checkRemovable(ctx context.Context, tx *gorm.DB, fw analytics.Framework, known []analytics.Framework) error {
	before, err := findFramework(known, fw.Name)
	if err != nil {
		return err
	}
	var removed []string
	for _, id := range before.StatementIDs() {
		if _, ok := fw.Statement(id); !ok {
			removed = append(removed, id)
		}
	}
	uses, err := statementUses(ctx, tx, fw.Name, removed, known)
	if err != nil || len(uses) == 0 {
		return err
	}
	return &analytics.InUseError{What: fmt.Sprintf("heard cannot replace the statements of framework %q, since the file leaves out statements still in use", fw.Name),
		Uses: uses, Advice: "Remove those tags first (heard tag --remove), or keep those statements in the file."}
}

// DeleteFramework deletes the loaded framework called name and records it
// in the audit log. A built-in framework is refused with an
// *analytics.ParamError, an unknown one with an error wrapping ErrNotFound,
// and one whose statements are tagged or refined by another framework with
// an *analytics.InUseError.
func (s *Store) DeleteFramework(ctx context.Context, name string, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		if analytics.IsBuiltInFramework(name) {
			return analytics.ParamErrorf(fmt.Sprintf("%q is a framework heard ships, which cannot be deleted", name))
		}
		known, err := loadFrameworks(ctx, tx)
		if err != nil {
			return err
		}
		fw, err := findFramework(known, name)
		if err != nil {
			return err
		}
		uses, err := statementUses(ctx, tx, name, fw.StatementIDs(), known)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			return &analytics.InUseError{What: fmt.Sprintf("heard cannot delete framework %q, since its statements are in use", name),
				Uses: uses, Advice: "Remove those tags first (heard tag --remove), and the parents that name it."}
		}
		if _, err := gorm.G[frameworkRow](tx).Where("name = ?", name).Delete(ctx); err != nil {
			return fmt.Errorf("delete framework %q: %w", name, err)
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditFrameworkDelete, frameworkObject(name), analytics.OutcomeOK,
			fmt.Sprintf("%d statements", len(fw.Statements))))
	})
}

// statementUses says what uses statements ids of framework: each question
// and comment theme tagged with one, and each statement of another
// framework that names one as its parent.
func statementUses(ctx context.Context, tx *gorm.DB, framework string, ids []string, known []analytics.Framework) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var uses []string
	type use struct{ Survey, Subject, Model, Statement string }
	var qs, ts []use
	err := tx.WithContext(ctx).Raw(`SELECT s.name AS survey, q.code AS subject, t.statement AS statement
		FROM question_statements t JOIN questions q ON q.id = t.question_id JOIN surveys s ON s.id = q.survey_id
		WHERE t.framework = ? AND t.statement IN ? ORDER BY s.name, q.position, t.statement`, framework, ids).Scan(&qs).Error
	if err != nil {
		return nil, fmt.Errorf("read the questions tagged with framework %q: %w", framework, err)
	}
	err = tx.WithContext(ctx).Raw(`SELECT s.name AS survey, t.theme AS subject, t.theme_model AS model, t.statement AS statement
		FROM theme_statements t JOIN surveys s ON s.id = t.survey_id
		WHERE t.framework = ? AND t.statement IN ? ORDER BY s.name, t.theme_model, t.theme, t.statement`, framework, ids).Scan(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("read the comment themes tagged with framework %q: %w", framework, err)
	}
	for _, u := range qs {
		uses = append(uses, fmt.Sprintf("survey %q, question %q is tagged with %s:%s", u.Survey, u.Subject, framework, u.Statement))
	}
	for _, u := range ts {
		uses = append(uses, fmt.Sprintf("survey %q, comment theme %q of model %q is tagged with %s:%s", u.Survey, u.Subject, u.Model, framework, u.Statement))
	}
	for _, k := range known {
		if k.Name == framework {
			continue
		}
		for _, st := range k.Statements {
			if fw, id, _ := strings.Cut(st.Parent, ":"); fw == framework && slices.Contains(ids, id) {
				uses = append(uses, fmt.Sprintf("statement %s:%s refines %s", k.Name, st.ID, st.Parent))
			}
		}
	}
	return uses, nil
}

// frameworkObject names a framework in the audit log.
func frameworkObject(name string) string { return fmt.Sprintf("framework %q", name) }
