package api

import (
	"context"
	"time"

	"github.com/heard-council/heard/importers"
)

// themeWorkerEvery is how often the theme worker looks for comments to
// classify when nothing wakes it: a model trained or a survey switched to
// another model from the command line, or a classification that failed.
const themeWorkerEvery = time.Minute

// themeWorker classifies comments in the background: every survey's
// comments without themes from its model's current version (new comments,
// and all of them after the model changed), a batch at a time, so that the
// database's writer is never held long and an import never waits behind it.
type themeWorker struct {
	kick chan struct{}
	// failed is the last error logged for each survey, so that a failure
	// retried every minute is logged once.
	failed map[int64]string
}

func newThemeWorker() *themeWorker {
	return &themeWorker{kick: make(chan struct{}, 1), failed: map[int64]string{}}
}

// classifyThemesSoon wakes the theme worker: an import added comments, or
// a model changed.
func (s *Server) classifyThemesSoon() {
	select {
	case s.themes.kick <- struct{}{}:
	default:
	}
}

// startThemeWorker runs the theme worker until the service shuts down, at
// the lowest scheduling priority so that pages come first.
func (s *Server) startThemeWorker() {
	s.uploads.jobs.Add(1)
	go func() {
		defer s.uploads.jobs.Done()
		importers.LowerPriority()
		for {
			s.classifyAllComments(s.jobCtx)
			select {
			case <-s.jobCtx.Done():
				return
			case <-s.themes.kick:
			case <-time.After(themeWorkerEvery):
			}
		}
	}()
}

// classifyAllComments classifies the comments waiting in every survey. A
// failure is logged and left for the next round; it never stops the
// service or an import.
func (s *Server) classifyAllComments(ctx context.Context) {
	list, err := s.store.Surveys(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.logger.Warn("could not list surveys to classify their comments; trying again later", "err", err)
		}
		return
	}
	for _, sv := range list {
		start := time.Now()
		n, err := s.store.ClassifyComments(ctx, sv.ID, nil)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if s.themes.failed[sv.ID] != err.Error() {
				s.logger.Warn("could not classify the survey's comments; trying again later", "survey", sv.Name, "err", err)
				s.themes.failed[sv.ID] = err.Error()
			}
			continue
		}
		delete(s.themes.failed, sv.ID)
		if n > 0 {
			s.logger.Info("comments classified", "survey", sv.Name, "comments", n, "duration", time.Since(start))
		}
	}
}
