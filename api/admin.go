package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// adminAuditView is a page of the audit log.
type adminAuditView struct {
	layout
	Events []analytics.AuditEvent
	Action string
	// ActionWords is the chosen action in plain words; Actions are the
	// actions to choose from.
	ActionWords string
	Actions     []choice
	// Older links to the next page of older events, if any.
	Older string
}

// adminAudit is GET /admin/audit: the newest events of the audit log,
// optionally of one action (?action=sign-in), paged back with ?before=ID.
func (s *Server) adminAudit(c *gin.Context) error {
	q := store.AuditQuery{Action: analytics.AuditAction(strings.TrimSpace(c.Query("action")))}
	if b := strings.TrimSpace(c.Query("before")); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			return usageErrorf("before=%q is not an event number: follow the link to older events", b)
		}
		q.BeforeID = id
	}
	events, err := s.store.AuditEvents(c.Request.Context(), q)
	if err != nil {
		return err
	}
	s.audit(c, analytics.AuditRead, "audit log", analytics.OutcomeOK, "")
	v := adminAuditView{layout: layout{Title: "Audit log", AssetVersion: s.assetVersion}, Events: events,
		Action: string(q.Action)}
	v.Actions = append(v.Actions, choice{Value: "", Label: "Every action", Selected: q.Action == ""})
	for _, a := range analytics.AuditActions() {
		v.Actions = append(v.Actions, choice{Value: string(a), Label: a.Words(), Selected: a == q.Action})
	}
	if q.Action != "" {
		v.ActionWords = q.Action.Words()
	}
	if n := len(events); n == store.DefaultAuditLimit {
		older := "/admin/audit?before=" + strconv.FormatInt(events[n-1].ID, 10)
		if q.Action != "" {
			older += "&action=" + string(q.Action)
		}
		v.Older = older
	}
	return s.render(c, http.StatusOK, "admin_audit.html", &v)
}
