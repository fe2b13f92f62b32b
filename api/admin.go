package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// adminUsersView is the list of accounts.
type adminUsersView struct {
	layout
	Users []analytics.User
}

// Names reports whether any account has a name: the Name column is left
// out when it would be empty in every row.
func (v adminUsersView) Names() bool {
	for _, u := range v.Users {
		if strings.TrimSpace(u.Name) != "" {
			return true
		}
	}
	return false
}

// adminUsers is GET /admin/users: the accounts, with their roles. Accounts
// are added and changed with the heard command (heard user ...).
func (s *Server) adminUsers(c *gin.Context) error {
	list, err := s.store.Users(c.Request.Context())
	if err != nil {
		return err
	}
	s.audit(c, analytics.AuditList, "accounts", analytics.OutcomeOK, "")
	return s.render(c, http.StatusOK, "admin_users.html", &adminUsersView{
		layout: layout{Title: "Accounts", AssetVersion: s.assetVersion}, Users: list})
}

// adminAuditView is a page of the audit log.
type adminAuditView struct {
	layout
	Events []analytics.AuditEvent
	Action string
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
	if n := len(events); n == store.DefaultAuditLimit {
		older := "/admin/audit?before=" + strconv.FormatInt(events[n-1].ID, 10)
		if q.Action != "" {
			older += "&action=" + string(q.Action)
		}
		v.Older = older
	}
	return s.render(c, http.StatusOK, "admin_audit.html", &v)
}
