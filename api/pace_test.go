package api

import (
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestPacerCountsRequestsButNotUploads: a request is counted while it is
// served, so that an import pauses for it; an upload, which runs the import
// itself, is not, or the import would wait for itself.
func TestPacerCountsRequestsButNotUploads(t *testing.T) {
	var p pacer
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(p.count())
	seen := map[string]int64{}
	note := func(c *gin.Context) { seen[c.Request.Method+" "+c.FullPath()] = p.serving.Load() }
	r.GET("/surveys/:slug", note)
	r.POST("/login", note)
	r.POST("/upload", note)
	r.POST("/api/v1/imports", note)
	for _, req := range []struct{ method, path string }{
		{"GET", "/surveys/x"}, {"POST", "/login"}, {"POST", "/upload"}, {"POST", "/api/v1/imports"},
	} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(req.method, req.path, nil))
	}
	want := map[string]int64{"GET /surveys/:slug": 1, "POST /login": 1, "POST /upload": 0, "POST /api/v1/imports": 0}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("%s: %d requests counted while it was served, want %d", k, seen[k], v)
		}
	}
	if n := p.serving.Load(); n != 0 {
		t.Errorf("%d requests still counted after all were served", n)
	}
	// With nothing served pace returns at once; with a request that never
	// ends it still returns (after maxPause) and lets the import run a
	// slice, so an import is slowed, never stopped.
	p.pace()
	if p.runUntil.Load() != 0 {
		t.Error("a run slice was given without a pause")
	}
	p.serving.Add(1)
	p.pace()
	if p.runUntil.Load() == 0 {
		t.Error("no run slice after a full pause")
	}
	p.serving.Add(-1)
}
