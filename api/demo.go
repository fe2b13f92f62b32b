package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/heard-council/heard/api/ingest"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/importers/synthetic"
)

// The demo survey: generated, realistic answers to a people feedback
// survey over two financial years (April 2023 to March 2025), from ten
// teams, with the usual equality dimensions and free-text comments.
const (
	demoSurvey    = "Demo: people feedback survey"
	demoFile      = "demo-people-feedback.csv"
	demoResponses = 5000
	demoSeed      = 2025
)

// loadDemo is POST /demo: on an empty database it imports the demo survey,
// through the same import as any uploaded file, and opens its dashboard.
func (s *Server) loadDemo(c *gin.Context) error {
	ctx := c.Request.Context()
	if sv, err := s.store.SurveyByName(ctx, demoSurvey); err == nil {
		c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(sv.Slug))
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	list, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return usageErrorf("heard already holds surveys, so it does not add the demo survey: it is offered only to try heard on an empty database")
	}
	f, err := os.CreateTemp("", "heard-demo-*.csv")
	if err != nil {
		return fmt.Errorf("demo survey: %w", err)
	}
	defer os.Remove(f.Name())
	if err := errors.Join(synthetic.WriteCSV(f, demoResponses, demoSeed), f.Close()); err != nil {
		return fmt.Errorf("demo survey: %w", err)
	}
	me, _ := requestUser(c)
	rep, err := ingest.ImportFile(ctx, s.store, f.Name(), demoFile, ingest.ImportParams{Survey: demoSurvey, By: "demo",
		Member: importMember(me), MemberBy: actor(c)})
	if err != nil {
		return err
	}
	if rep.Refused() {
		return fmt.Errorf("demo survey refused: %v", rep.Errors)
	}
	sv, err := s.store.SurveyByName(ctx, rep.Survey)
	if err != nil {
		return err
	}
	if err := s.tagDemo(ctx, sv, actor(c)); err != nil {
		return err
	}
	s.warm(sv.Name)
	c.Redirect(http.StatusSeeOther, "/surveys/"+url.PathEscape(sv.Slug))
	return nil
}
