package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// retentionView is the admin's page of retention periods.
type retentionView struct {
	layout
	Surveys []retentionItem
	// Saved names the survey whose period was just changed, if any.
	Saved string
	Max   int
}

// retentionItem is one survey on the retention page.
type retentionItem struct {
	ID, Survey, Keep, Days, Oldest, Responses, SetBy string
	HasPeriod                                        bool
	// Policies and Periods are the choices of the survey's board
	// publication, its own selected.
	Policies, Periods []choice
}

// purgeView is the confirmation, and then the result, of a purge.
type purgeView struct {
	layout
	SurveyID, Survey string
	Days             int
	Cutoff           string
	Responses        string
	// Now is the time the dry run counted back from, which the purge
	// confirmed then uses, so that it deletes what the page showed.
	Now string
	// Done marks the result page.
	Done bool
}

// adminRetention is GET /admin/retention: every survey with its retention
// period, its oldest response, and the forms to change the period and to
// purge.
func (s *Server) adminRetention(c *gin.Context) error {
	ctx := c.Request.Context()
	periods, err := s.store.Retentions(ctx)
	if err != nil {
		return err
	}
	summaries, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]analytics.SurveySummary, len(summaries))
	for _, sv := range summaries {
		byID[sv.ID] = sv
	}
	v := retentionView{layout: layout{Title: "Retention", AssetVersion: s.assetVersion}, Max: store.MaxRetentionDays}
	for _, r := range periods {
		sv := byID[r.SurveyID]
		item := retentionItem{ID: strconv.FormatInt(r.SurveyID, 10), Survey: r.Survey, Keep: "until deleted",
			Oldest: londonDay(sv.FirstDate), Responses: dashboards.Thousands(sv.Responses), SetBy: r.SetBy, HasPeriod: r.Days > 0}
		if r.Days > 0 {
			item.Keep, item.Days = dashboards.Plural(r.Days, "day"), strconv.Itoa(r.Days)
		}
		pub, err := s.store.Publication(ctx, r.SurveyID)
		if err != nil {
			return err
		}
		for _, p := range analytics.Policies() {
			item.Policies = append(item.Policies, choice{Value: string(p), Label: string(p), Selected: p == pub.Policy})
		}
		for _, p := range periodChoices() {
			item.Periods = append(item.Periods, choice{Value: p[0], Label: p[1], Selected: p[0] == string(pub.Period)})
		}
		if strconv.FormatInt(r.SurveyID, 10) == c.Query("saved") {
			v.Saved = r.Survey
		}
		v.Surveys = append(v.Surveys, item)
	}
	s.audit(c, analytics.AuditList, "retention periods", analytics.OutcomeOK, "")
	return s.render(c, http.StatusOK, "admin_retention.html", &v)
}

// londonDay writes a stored London date ("2024-05-31") as "31 May 2024",
// or "none" when there is none.
func londonDay(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return "none"
	}
	return dashboards.Date(t)
}

// setRetention is POST /admin/retention: fields survey (its id) and days,
// empty to keep responses until they are deleted.
func (s *Server) setRetention(c *gin.Context) error {
	sv, err := s.formSurvey(c)
	if err != nil {
		return err
	}
	days := 0
	if text := strings.TrimSpace(c.PostForm("days")); text != "" {
		days, err = strconv.Atoi(text)
		if err != nil || days < 1 || days > store.MaxRetentionDays {
			return s.refuse(c, "This retention period cannot be used", fmt.Sprintf("%q is not a number of days from 1 to %d. "+
				"Go back, write a whole number of days, or leave the box empty to keep the responses until they are deleted.",
				text, store.MaxRetentionDays))
		}
	}
	if err := s.store.SetRetention(c.Request.Context(), sv.ID, days, actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/retention?saved="+strconv.FormatInt(sv.ID, 10))
	return nil
}

// purgeRetention is POST /admin/retention/purge: field survey (its id).
// Without confirm=yes it counts what would be deleted and asks; with it,
// it deletes the responses older than the survey's retention period.
func (s *Server) purgeRetention(c *gin.Context) error {
	sv, err := s.formSurvey(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	now := time.Now().UTC()
	if t, err := time.Parse(time.RFC3339, c.PostForm("now")); err == nil && t.Before(now) {
		now = t // the time of the dry run the admin confirmed; never a later one
	}
	confirmed := c.PostForm("confirm") == "yes"
	list, err := s.store.Purge(ctx, store.PurgeRequest{SurveyID: sv.ID, Now: now, DryRun: !confirmed}, actor(c))
	if errors.Is(err, store.ErrNoRetention) {
		return s.refuse(c, "This survey keeps its responses until they are deleted",
			fmt.Sprintf("Survey “%s” has no retention period, so nothing is old enough to purge. "+
				"Set a period on the retention page first.", sv.Name))
	}
	if err != nil {
		return err
	}
	if len(list) != 1 {
		return fmt.Errorf("purge survey %d: %d results, want 1", sv.ID, len(list))
	}
	p := list[0]
	if !confirmed {
		s.audit(c, analytics.AuditRetentionPurge, fmt.Sprintf("survey %d %q", sv.ID, sv.Name), analytics.OutcomeOK,
			"dry run: "+dashboards.Plural(int(p.Responses), "response")+" would be deleted")
	}
	title := "Purge old responses"
	if confirmed {
		title = "Old responses purged"
	}
	return s.render(c, http.StatusOK, "admin_retention_purge.html", &purgeView{
		layout:   layout{Title: title, AssetVersion: s.assetVersion},
		SurveyID: strconv.FormatInt(sv.ID, 10), Survey: sv.Name, Days: p.Days,
		Cutoff: dashboards.DateTime(p.Cutoff.UTC()) + " UTC", Responses: dashboards.Thousands(p.Responses),
		Now: now.Format(time.RFC3339), Done: confirmed,
	})
}

// formSurvey reads the survey a form names by its id (field survey).
func (s *Server) formSurvey(c *gin.Context) (analytics.Survey, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(c.PostForm("survey")), 10, 64)
	if err != nil || id <= 0 {
		return analytics.Survey{}, usageErrorf("the form did not say which survey: go back to the retention page and use its buttons")
	}
	list, err := s.store.Surveys(c.Request.Context())
	if err != nil {
		return analytics.Survey{}, err
	}
	for _, sv := range list {
		if sv.ID == id {
			return sv.Survey, nil
		}
	}
	return analytics.Survey{}, fmt.Errorf("survey %d: %w", id, store.ErrNotFound)
}

// refuse answers a form that cannot be acted on with a page saying why
// and what to do, status 422.
func (s *Server) refuse(c *gin.Context, heading, message string) error {
	return s.render(c, http.StatusUnprocessableEntity, "problem.html", &problemView{
		layout: layout{Title: heading, AssetVersion: s.assetVersion}, Heading: heading, Message: message})
}

// setDisclosure is POST /admin/disclosure: fields survey (its id), policy
// and period, the survey's board publication.
func (s *Server) setDisclosure(c *gin.Context) error {
	sv, err := s.formSurvey(c)
	if err != nil {
		return err
	}
	policy, perr := analytics.ParsePolicy(c.PostForm("policy"))
	kind, kerr := analytics.ParsePeriodKind(c.PostForm("period"))
	if err := errors.Join(perr, kerr); err != nil {
		return s.refuse(c, "This board publication cannot be used", err.Error()+". Go back and choose from the lists.")
	}
	if err := s.store.SetPublication(c.Request.Context(), sv.Name, analytics.Publication{Policy: policy, Period: kind}, actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/retention?saved="+strconv.FormatInt(sv.ID, 10))
	return nil
}
