package api

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// maxPause bounds one pause of an import for the requests being served,
// so that a steady stream of requests slows an import down but never stops
// it.
const maxPause = 250 * time.Millisecond

// pacer lets imports run beside the web service at a lower priority. Go
// has no goroutine priorities, and an import (reading, converting,
// inserting and the garbage it makes) keeps both of a small server's cores
// busy: sign-ins (Argon2id, about 150 ms of CPU) and dashboards then took
// seconds. So every request other than an upload is counted while it is
// served, and an import pauses before each row while any is.
type pacer struct{ serving atomic.Int64 }

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
// or after maxPause.
func (p *pacer) pace() {
	if p.serving.Load() == 0 {
		return
	}
	for waited := time.Duration(0); p.serving.Load() > 0 && waited < maxPause; waited += time.Millisecond {
		time.Sleep(time.Millisecond)
	}
}
