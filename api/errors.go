package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// handle adapts a handler that returns an error, mapping errors to
// responses in one place: a 5xx body never carries internal detail. A
// route that declared no access rule (need, signedIn, public) is refused.
func (s *Server) handle(h func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.declared(c) {
			return
		}
		err := h(c)
		if err == nil {
			return
		}
		status, msg := http.StatusInternalServerError, "internal error"
		var ue *analytics.ParamError
		switch {
		case errors.Is(err, errNotMember), errors.Is(err, store.ErrNotMember):
			s.notMember(c)
			return
		case errors.Is(err, store.ErrNotFound):
			status, msg = http.StatusNotFound, "not found"
		case errors.As(err, &ue):
			status, msg = http.StatusUnprocessableEntity, ue.Query()
		case store.IsDiskFull(err):
			s.logger.Error("request failed: the disk is full", "path", c.Request.URL.Path, "err", err)
			status, msg = http.StatusInsufficientStorage, "the server's disk is full, so nothing was stored; ask your IT team to free some space, then try again"
		default:
			s.logger.Error("request failed", "path", c.Request.URL.Path, "err", err)
		}
		c.AbortWithStatusJSON(status, gin.H{"error": msg})
	}
}

// usageErrorf is a *analytics.ParamError with a formatted message, which names
// parameters as {name} (see analytics.ParamError).
func usageErrorf(format string, args ...any) error {
	return analytics.ParamErrorf(fmt.Sprintf(format, args...))
}
