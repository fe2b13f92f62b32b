package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// SetBenchmarkCouncil records the council this deployment serves and its
// region (area keys), or forgets them when c.Council is "", and records
// the change in the audit log.
func (s *Store) SetBenchmarkCouncil(ctx context.Context, c analytics.BenchmarkCouncil, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		if err := db.Exec("DELETE FROM benchmark_council").Error; err != nil {
			return fmt.Errorf("set the council: %w", err)
		}
		detail := "none"
		if c.Council != "" {
			err := db.Exec("INSERT INTO benchmark_council (id, council, region, set_by, set_at) VALUES (1, ?, ?, ?, ?)",
				c.Council, c.Region, by.Who, formatTime(tx.NowFunc())).Error
			if err != nil {
				return fmt.Errorf("set the council: %w", err)
			}
			detail = "council " + c.Council + ", region " + c.Region
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, AuditBenchmarkCouncil, "benchmark council", analytics.OutcomeOK, detail))
	})
}

// BenchmarkCouncil returns the council this deployment serves, as an admin
// chose it, and whether one was chosen.
func (s *Store) BenchmarkCouncil(ctx context.Context) (analytics.BenchmarkCouncil, bool, error) {
	var rows []struct {
		Council, Region, SetBy, SetAt string
	}
	err := s.db.WithContext(ctx).Raw("SELECT council, region, set_by, set_at FROM benchmark_council WHERE id = 1").Scan(&rows).Error
	if err != nil {
		return analytics.BenchmarkCouncil{}, false, fmt.Errorf("read the council: %w", err)
	}
	if len(rows) == 0 {
		return analytics.BenchmarkCouncil{}, false, nil
	}
	r := rows[0]
	return analytics.BenchmarkCouncil{Council: r.Council, Region: r.Region, SetBy: r.SetBy, SetAt: r.SetAt}, true, nil
}
