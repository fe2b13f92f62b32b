package store

import (
	"context"
	"fmt"

	"github.com/heard-council/heard/analytics"
)

// WarmCounts fills the kept answer counts of every scale and single-choice
// question of a survey, overall and by month, as the first report of each
// would. Run after an import, it makes the first dashboard as quick as the
// later ones. A survey smaller than keepCountsFrom is counted directly by
// its reports and needs no warming; a question whose counts cannot be kept
// now because another process is writing is left for its first report.
func (s *Store) WarmCounts(ctx context.Context, surveyID int64) error {
	size, err := s.surveySize(ctx, surveyID)
	if err != nil || size < keepCountsFrom {
		return err
	}
	qs, _, err := loadQuestions(ctx, s.db, surveyID)
	if err != nil {
		return fmt.Errorf("warm counts of survey %d: %w", surveyID, err)
	}
	for _, q := range qs {
		if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
			continue
		}
		if _, err := s.Counts(ctx, surveyID, CountQuery{Question: q.ID}); err != nil {
			return fmt.Errorf("warm counts of survey %d: %w", surveyID, err)
		}
	}
	return nil
}
