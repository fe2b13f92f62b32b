package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
)

// reportCache keeps the reports the pages and the API have built, keyed by
// their parameters and the survey's data version (its imports, the
// responses it holds and its saved metrics), so that the same view asked
// for again costs a few small queries instead of a count of every
// response: a dashboard counts each scale question, about 1.2 s at 100,000
// responses. A new or deleted import, a purge or a changed metric changes
// the version, so no stale report is served; maxAge bounds an entry's life
// against any other change. Requests for a report being built wait for it
// instead of building it again.
type reportCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	max     int
	maxAge  time.Duration
	now     func() time.Time
}

type cacheEntry struct {
	value   any
	err     error
	done    chan struct{}
	created time.Time
	used    time.Time
}

// newReportCache keeps up to max reports for up to maxAge each.
func newReportCache(max int, maxAge time.Duration) *reportCache {
	return &reportCache{entries: make(map[string]*cacheEntry), max: max, maxAge: maxAge, now: time.Now}
}

// get returns the value kept under key, or builds it. A failed build is
// not kept. A nil cache builds every time.
func (rc *reportCache) get(ctx context.Context, key string, build func(context.Context) (any, error)) (any, error) {
	if rc == nil {
		return build(ctx)
	}
	rc.mu.Lock()
	now := rc.now()
	e, ok := rc.entries[key]
	if ok && now.Sub(e.created) > rc.maxAge {
		delete(rc.entries, key)
		ok = false
	}
	if ok {
		e.used = now
		rc.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			// The build this request waited for failed, perhaps because its
			// own request went away: build again for this one.
			return build(ctx)
		}
		return e.value, nil
	}
	e = &cacheEntry{done: make(chan struct{}), created: now, used: now}
	rc.evict()
	rc.entries[key] = e
	rc.mu.Unlock()

	e.value, e.err = build(ctx)
	if e.err != nil {
		rc.mu.Lock()
		if rc.entries[key] == e {
			delete(rc.entries, key)
		}
		rc.mu.Unlock()
	}
	close(e.done)
	return e.value, e.err
}

// evict makes room for one entry by dropping the least recently used
// finished one. It is called with rc.mu held.
func (rc *reportCache) evict() {
	for len(rc.entries) >= rc.max {
		var oldest string
		var at time.Time
		for k, e := range rc.entries {
			select {
			case <-e.done:
			default:
				continue // still being built: others wait for it
			}
			if oldest == "" || e.used.Before(at) {
				oldest, at = k, e.used
			}
		}
		if oldest == "" {
			return
		}
		delete(rc.entries, oldest)
	}
}

// cacheKey is the key of a report of a survey: what is built, the survey's
// data version and the parameters.
func (s *Server) cacheKey(ctx context.Context, kind string, survey analytics.Survey, p report.Params) (string, error) {
	imports, err := s.store.Imports(ctx, survey.ID)
	if err != nil {
		return "", err
	}
	metrics, err := s.store.Metrics(ctx, survey.ID)
	if err != nil {
		return "", err
	}
	// The imports alone can repeat a version: an import's id is reused
	// when the newest is deleted, and a purge deletes responses but no
	// import. The responses held now and the newest import's time cannot.
	held, err := s.store.ResponseCount(ctx, survey.ID)
	if err != nil {
		return "", err
	}
	var last, newest int64
	var added int
	for _, imp := range imports {
		last, added, newest = max(last, imp.ID), added+imp.Added, max(newest, imp.At.UnixNano())
	}
	// An analyst's set-up (labels, column kinds, polarities, the name) is
	// a new report at once too.
	questions, dimensions, err := s.store.Questions(ctx, survey.ID)
	if err != nil {
		return "", err
	}
	// A board report follows the survey's publication: a changed policy
	// or period is a new report at once, never a cached one under the old.
	var pub analytics.Publication
	if p.Board {
		if pub, err = s.store.Publication(ctx, survey.ID); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(struct {
		Kind        string
		Survey      int64
		Imports     [5]int64
		Metrics     []analytics.Metric
		Params      report.Params
		Publication analytics.Publication
		Name        string
		Questions   []analytics.Question
		Dimensions  []analytics.Dimension
	}{kind, survey.ID, [5]int64{int64(len(imports)), last, int64(added), newest, held}, metrics, p, pub,
		survey.Name, questions, dimensions})
	if err != nil {
		return "", fmt.Errorf("cache key: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// cached returns the value kept for (kind, survey, p) or builds it.
func cached[T any](ctx context.Context, s *Server, kind string, survey analytics.Survey, p report.Params,
	build func(context.Context) (T, error)) (T, error) {
	var zero T
	if s.cache == nil {
		return build(ctx)
	}
	key, err := s.cacheKey(ctx, kind, survey, p)
	if err != nil {
		return zero, err
	}
	v, err := s.cache.get(ctx, key, func(ctx context.Context) (any, error) { return build(ctx) })
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, errors.New("report cache: a value of the wrong type")
	}
	return t, nil
}

// surveyReports is report.BuildAll through the cache.
func (s *Server) surveyReports(ctx context.Context, survey analytics.Survey, p report.Params) (report.SurveyReports, error) {
	return cached(ctx, s, "reports", survey, p, func(ctx context.Context) (report.SurveyReports, error) {
		return report.BuildAll(ctx, s.store, p)
	})
}

// surveyReport is report.Build through the cache.
func (s *Server) surveyReport(ctx context.Context, survey analytics.Survey, p report.Params) (report.JSON, error) {
	return cached(ctx, s, "report", survey, p, func(ctx context.Context) (report.JSON, error) {
		return report.Build(ctx, s.store, p)
	})
}

// answerCounts is report.Counts through the cache.
func (s *Server) answerCounts(ctx context.Context, survey analytics.Survey, p report.Params) (report.Answers, error) {
	return cached(ctx, s, "counts", survey, p, func(ctx context.Context) (report.Answers, error) {
		return report.Counts(ctx, s.store, p)
	})
}
