package api

import "github.com/gin-gonic/gin"

// routes lists every route, one a line. Request bodies are limited to 1 MB
// but for the uploads.
func (s *Server) routes(r *gin.Engine) {
	small, upload := bodyLimit(maxBody), bodyLimit(maxUpload+1<<20)
	r.GET("/healthz", s.handle(s.healthz))
	r.GET("/", s.handle(s.home))
	r.GET("/upload", s.handle(s.uploadForm))
	r.POST("/upload", upload, s.handle(s.uploadFile))
	r.GET("/upload/:token", s.handle(s.uploadStatus))
	r.POST("/upload/:token", small, s.handle(s.uploadConfirm))
	r.GET("/api/v1/surveys", s.handle(s.apiSurveys))
	r.POST("/api/v1/imports", upload, s.handle(s.apiImport))
}
