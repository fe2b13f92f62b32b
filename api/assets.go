package api

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// addCharts parses the chart templates of dashboards into the page set, so
// that a page places a chart with {{template "heard-chart" .Chart}}.
func (p *pages) addCharts() error {
	if _, err := p.t.ParseFS(dashboards.Templates(), "*.html"); err != nil {
		return fmt.Errorf("parse the chart templates: %w", err)
	}
	return nil
}

// contentSecurity allows the pages nothing from any other host, and no
// inline script: charts are drawn by /assets/heard-charts.js from JSON
// blocks. Styles may be inline (the layout's, and those ECharts sets on its
// elements); images may be data: URLs (a chart's PNG download).
const contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		setSecurityHeaders(c.Writer.Header())
		c.Next()
	}
}

// setSecurityHeaders sets the security headers on a response.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// asset serves the charts' static files (ECharts, heard-charts.js,
// heard.css) from the binary. A request carrying the current asset version
// (?v=...) may be cached for a year, since a new release changes the
// version in every page's links; others must be checked again.
func (s *Server) asset(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("path"), "/")
	assets := dashboards.Assets()
	info, err := fs.Stat(assets, name)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || err == nil && info.IsDir():
		return store.ErrNotFound
	case err != nil:
		return fmt.Errorf("asset %s: %w", name, err)
	}
	if v := c.Query("v"); v != "" && v == s.assetVersion {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	http.ServeFileFS(c.Writer, c.Request, assets, name)
	return nil
}

// noContent answers 204, for /favicon.ico: heard has no icon, and a 404
// there fills browsers' consoles with errors.
func noContent(c *gin.Context) { c.Status(http.StatusNoContent) }
