package api

import "github.com/gin-gonic/gin"

// routes lists every route, one a line.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handle(s.healthz))
	r.GET("/", s.handle(s.home))
	r.GET("/api/v1/surveys", s.handle(s.apiSurveys))
}
