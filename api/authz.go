package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
)

// need is the access rule of a route that needs permission p: a request
// without an account is sent to sign in (a page) or answered 401 (the
// API); an account whose role lacks p gets 403, recorded in the audit log.
// Every answer of such a route is marked not to be stored by caches.
func (s *Server) need(p analytics.Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		u, ok := requestUser(c)
		if !ok {
			s.unauthenticated(c)
			return
		}
		if !u.Role.Can(p) {
			s.forbidden(c, string(p))
			return
		}
		c.Set(authzKey, true)
		c.Next()
	}
}

// signedIn is the access rule of a route open to every signed-in account,
// whatever its role (signing out).
func (s *Server) signedIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		if _, ok := requestUser(c); !ok {
			s.unauthenticated(c)
			return
		}
		c.Set(authzKey, true)
		c.Next()
	}
}

// public is the access rule of a route open to all: the health check,
// static assets and the sign-in page.
func (s *Server) public() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(authzKey, true)
		c.Next()
	}
}

// isAPI reports whether a request is for the JSON API rather than a page.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// unauthenticated answers a request that needs an account and has none.
func (s *Server) unauthenticated(c *gin.Context) {
	if isAPI(c) || c.GetBool(badTokenKey) {
		c.Header("WWW-Authenticate", `Bearer realm="heard"`)
		msg := "sign in first: send an API token as Authorization: Bearer TOKEN"
		if c.GetBool(badTokenKey) {
			msg = "the API token is unknown, revoked or of a disabled account: ask an admin for a new one"
		}
		c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": msg})
		return
	}
	target := "/login"
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// forbidden answers a request whose account's role does not allow it, and
// records the refusal.
func (s *Server) forbidden(c *gin.Context, why string) {
	s.audit(c, analytics.AuditAccessDenied, c.Request.Method+" "+c.Request.URL.Path, analytics.OutcomeRefused,
		"needs "+why)
	if isAPI(c) {
		c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": "your account's role does not allow this"})
		return
	}
	err := s.render(c, http.StatusForbidden, "problem.html", &problemView{
		layout:  layout{Title: "Not allowed", AssetVersion: s.assetVersion},
		Heading: "Your account cannot open this page",
		Message: "Your role does not allow it. If you need it for your work, ask an admin of heard to change your role.",
	})
	if err != nil {
		s.logger.Error("render the refusal", "err", err)
		c.Status(http.StatusForbidden)
	}
	c.Abort()
}

// declared reports whether the route of a request declared its access
// rule. A route that did not is refused: access is denied by default.
func (s *Server) declared(c *gin.Context) bool {
	if c.GetBool(authzKey) {
		return true
	}
	s.logger.Error("route declares no access rule", "route", c.FullPath())
	c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": "forbidden"})
	return false
}
