package api

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// maxPause bounds one pause of an import for the requests being served;
// after a pause that long the import runs for runSlice without pausing, so
// that a steady stream of requests slows an import (to a sixth of its
// speed at worst) but never stops it.
const (
	maxPause = 250 * time.Millisecond
	runSlice = 50 * time.Millisecond
)

// pacer lets imports run beside the web service at a lower priority. Go
// has no goroutine priorities, and an import (reading, converting,
// inserting and the garbage it makes) keeps both of a small server's cores
// busy: sign-ins (Argon2id, about 150 ms of CPU) and dashboards then took
// seconds. So every request other than an upload is counted while it is
// served, and an import pauses before each row while any is.
type pacer struct {
	serving atomic.Int64
	// runUntil is when the import's run after a full pause ends (UnixNano).
	runUntil atomic.Int64
}

// count is the middleware that counts the requests being served, uploads
// (which run the import themselves) excepted.
func (p *pacer) count() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodPost && (c.FullPath() == "/upload" || c.FullPath() == "/api/v1/imports") {
			c.Next()
			return
		}
		p.serving.Add(1)
		defer p.serving.Add(-1)
		c.Next()
	}
}

// pace is an import's pause: it returns once no request is being served,
// or after maxPause, or at once during the runSlice that follows a pause
// of maxPause.
func (p *pacer) pace() {
	if p.serving.Load() == 0 || time.Now().UnixNano() < p.runUntil.Load() {
		return
	}
	for start := time.Now(); p.serving.Load() > 0; {
		if time.Since(start) >= maxPause {
			p.runUntil.Store(time.Now().Add(runSlice).UnixNano())
			return
		}
		time.Sleep(time.Millisecond)
	}
}
