package api

import (
	"errors"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// Context keys of the request's account and how it was authenticated.
const (
	userKey     = "heard.user"
	badTokenKey = "heard.bad-token"
	// authzKey marks a request whose route declared its access rule
	// (s.need, s.public or s.signedIn); handle refuses any other.
	authzKey = "heard.authz"
)

// authenticate finds the account of the request: a Bearer token, or else
// the session's account. The account is read afresh on every request, so a
// disabled account or a changed role takes effect at once. A request with
// neither goes on without an account; the route's rule decides.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if secret, ok := bearerToken(c.GetHeader("Authorization")); ok {
			u, _, err := s.store.ResolveToken(ctx, secret)
			switch {
			case err == nil:
				c.Set(userKey, u)
			case errors.Is(err, store.ErrNotFound):
				c.Set(badTokenKey, true)
			default:
				s.logger.Error("resolve token", "err", err)
				c.AbortWithStatusJSON(500, gin.H{"error": "internal error"})
				return
			}
		} else if id := s.sessions.For(c.Request).GetInt64(ctx, sessionUserKey); id != 0 {
			u, err := s.store.User(ctx, id)
			switch {
			case err == nil && !u.Disabled:
				c.Set(userKey, u)
			case err == nil || errors.Is(err, store.ErrNotFound):
				// A disabled or missing account: the session ends.
				if err := s.sessions.For(c.Request).Destroy(ctx); err != nil {
					s.logger.Error("end session", "err", err)
				}
			default:
				s.logger.Error("read the session's account", "err", err)
				c.AbortWithStatusJSON(500, gin.H{"error": "internal error"})
				return
			}
		}
		if u, ok := requestUser(c); ok && u.Role == analytics.RoleBoard {
			forceBoard(c)
		}
		c.Next()
	}
}

// bearerToken reads an Authorization: Bearer header.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// forceBoard makes every report of the request a board report, whatever
// its query asks: the board sees disclosure-controlled figures only.
func forceBoard(c *gin.Context) {
	q := c.Request.URL.Query()
	q.Set("board", "1")
	q.Del("include_partial")
	c.Request.URL.RawQuery = q.Encode()
}

// requestUser returns the request's account, if any.
func requestUser(c *gin.Context) (analytics.User, bool) {
	v, ok := c.Get(userKey)
	if !ok {
		return analytics.User{}, false
	}
	u, ok := v.(analytics.User)
	return u, ok
}

// isBoard reports whether the request is made by a board member.
func isBoard(c *gin.Context) bool {
	u, ok := requestUser(c)
	return ok && u.Role == analytics.RoleBoard
}

// actor is who makes the request, for the audit log.
func actor(c *gin.Context) analytics.Actor {
	if u, ok := requestUser(c); ok {
		return analytics.UserActor(u, c.ClientIP())
	}
	return analytics.Actor{Who: "anonymous", From: c.ClientIP()}
}

// audit records an event made by the request's actor; a failure to record
// it is logged, not shown, since what it records has happened.
func (s *Server) audit(c *gin.Context, action analytics.AuditAction, object string, outcome analytics.Outcome, detail string) {
	e := analytics.NewAuditEvent(actor(c), action, object, outcome, detail)
	if err := s.store.Audit(c.Request.Context(), e); err != nil {
		s.logger.Error("write the audit log", "action", action, "err", err)
	}
}

// download records a download in the audit log once it has been sent:
// the address asked for, which names the survey and the view.
func (s *Server) download() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if c.Writer.Status() == 200 {
			s.audit(c, analytics.AuditDownload, c.Request.URL.Path, analytics.OutcomeOK, c.Request.URL.RawQuery)
		}
	}
}
