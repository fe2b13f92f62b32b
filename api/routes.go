package api

import "github.com/gin-gonic/gin"

// routes lists every route, one a line. Request bodies are limited to 1 MB
// but for the uploads. Pages answer a problem with a page (s.page); the
// API answers with JSON {"error": ...} (s.handle).
func (s *Server) routes(r *gin.Engine) {
	small, upload := bodyLimit(maxBody), bodyLimit(maxUpload+1<<20)
	r.GET("/healthz", s.handle(s.healthz))
	r.GET("/favicon.ico", noContent)
	r.GET("/assets/*path", s.handle(s.asset))
	r.GET("/", s.page(s.home))
	r.POST("/demo", small, s.page(s.loadDemo))
	r.GET("/upload", s.handle(s.uploadForm))
	r.POST("/upload", upload, s.handle(s.uploadFile))
	r.GET("/upload/:token", s.handle(s.uploadStatus))
	r.POST("/upload/:token", small, s.handle(s.uploadConfirm))
	r.GET("/imports", s.page(s.importsPage))
	r.GET("/surveys/:slug", s.page(s.dashboard))
	r.GET("/surveys/:slug/dashboard.xlsx", s.page(s.dashboardXLSX))
	r.GET("/surveys/:slug/questions", s.page(s.questionList))
	r.GET("/surveys/:slug/questions/:code", s.page(s.questionPage))
	r.GET("/surveys/:slug/questions/:code/tables.xlsx", s.page(s.questionXLSX))
	r.GET("/surveys/:slug/equality", s.page(s.equality))
	r.GET("/surveys/:slug/equality.xlsx", s.page(s.equalityXLSX))
	r.GET("/surveys/:slug/downloads", s.page(s.downloads))
	r.GET("/api/v1/surveys", s.handle(s.apiSurveys))
	r.GET("/api/v1/surveys/:slug/questions", s.handle(s.apiQuestions))
	r.GET("/api/v1/surveys/:slug/report", s.handle(s.apiReport))
	r.GET("/api/v1/surveys/:slug/trends.csv", s.handle(s.apiTrends))
	r.POST("/api/v1/imports", upload, s.handle(s.apiImport))
	r.NoRoute(s.notFound)
}
