package api

import (
	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
)

// routes lists every route, one a line, each with its access rule: public,
// signedIn, or need(permission). A route without one is refused (see
// handle), and auth_test.go checks every route against its table. Request
// bodies are limited to 1 MB but for the uploads. Pages answer a problem
// with a page (s.page); the API answers with JSON {"error": ...} (s.handle).
func (s *Server) routes(r *gin.Engine) {
	small, upload := bodyLimit(maxBody), bodyLimit(maxUploadBody)
	aggregates, staff := s.need(analytics.PermReadAggregates), s.need(analytics.PermReadStaff)
	uploader, download := s.need(analytics.PermUpload), s.download()
	r.GET("/healthz", s.public(), s.handle(s.healthz))
	r.GET("/favicon.ico", s.public(), noContent)
	r.GET("/assets/*path", s.public(), s.handle(s.asset))
	r.GET("/login", s.public(), s.page(s.loginForm))
	r.POST("/login", small, s.public(), s.page(s.login))
	r.POST("/logout", small, s.signedIn(), s.page(s.logout))
	r.GET("/", aggregates, s.page(s.home))
	r.POST("/demo", small, uploader, s.page(s.loadDemo))
	r.GET("/upload", uploader, s.handle(s.uploadForm))
	r.POST("/upload", upload, uploader, s.handle(s.uploadFile))
	r.GET("/upload/:token", uploader, s.handle(s.uploadStatus))
	r.POST("/upload/:token", small, uploader, s.handle(s.uploadConfirm))
	r.GET("/imports", staff, s.page(s.importsPage))
	r.POST("/imports/:id/delete", small, uploader, s.page(s.deleteImport))
	r.GET("/surveys/:slug", aggregates, s.page(s.surveyHome))
	r.POST("/surveys/:slug/headline", small, uploader, s.page(s.setHeadline))
	r.GET("/surveys/:slug/dashboard.xlsx", aggregates, download, s.page(s.surveyHomeWorkbook))
	r.GET("/surveys/:slug/questions", aggregates, s.page(s.questionList))
	r.GET("/surveys/:slug/questions/:code", aggregates, s.page(s.showView("question.html", s.questionPage)))
	r.GET("/surveys/:slug/questions/:code/tables.xlsx", aggregates, download, s.page(s.sendView(s.questionPage)))
	r.POST("/surveys/:slug/questions/:code/statements", small, uploader, s.page(s.tagQuestion))
	r.GET("/surveys/:slug/statements", aggregates, s.page(s.showView("statements.html", s.statementsPage)))
	r.GET("/surveys/:slug/statements.xlsx", aggregates, download, s.page(s.sendView(s.statementsPage)))
	r.GET("/surveys/:slug/equality", aggregates, s.page(s.showView("equality.html", s.equalityPage)))
	r.GET("/surveys/:slug/equality.xlsx", aggregates, download, s.page(s.sendView(s.equalityPage)))
	r.GET("/surveys/:slug/downloads", aggregates, s.page(s.downloads))
	r.GET("/surveys/:slug/board-pack", aggregates, s.page(s.boardPack))
	r.GET("/surveys/:slug/themes", aggregates, s.page(s.showView("themes.html", s.themesPage)))
	r.GET("/surveys/:slug/themes.xlsx", aggregates, download, s.page(s.sendView(s.themesPage)))
	r.GET("/surveys/:slug/comments", s.need(analytics.PermReadComments), s.page(s.comments))
	// "You said, we did": everyone reads, the board without owners or
	// quotes as written; analysts who may change the survey write.
	r.GET("/surveys/:slug/actions", aggregates, s.page(s.actionsPage))
	r.POST("/surveys/:slug/actions", small, uploader, s.page(s.addAction))
	r.GET("/surveys/:slug/actions.csv", aggregates, download, s.page(s.actionsCSV))
	r.GET("/surveys/:slug/actions/:id/edit", uploader, s.page(s.editActionForm))
	r.POST("/surveys/:slug/actions/:id/edit", small, uploader, s.page(s.editAction))
	r.POST("/surveys/:slug/actions/:id/delete", small, uploader, s.page(s.deleteAction))
	r.POST("/surveys/:slug/comments/themes", small, uploader, s.page(s.correctThemes))
	// A survey's set-up: rename, delete, relabel, column kinds and scales
	// (analysts who are members of the survey, and admins).
	r.GET("/surveys/:slug/setup", uploader, s.page(s.setupPage))
	r.POST("/surveys/:slug/setup/rename", small, uploader, s.page(s.renameSurvey))
	r.POST("/surveys/:slug/setup/delete", small, uploader, s.page(s.deleteSurvey))
	r.POST("/surveys/:slug/setup/relabel", small, uploader, s.page(s.relabelQuestion))
	r.POST("/surveys/:slug/setup/column", small, uploader, s.page(s.changeColumn))
	r.GET("/surveys/:slug/setup/scale", uploader, s.page(s.scaleForm))
	r.POST("/surveys/:slug/setup/scale", small, uploader, s.page(s.setScale))
	r.GET("/admin/users", s.need(analytics.PermManageUsers), s.page(s.adminUsers))
	r.POST("/admin/users", small, s.need(analytics.PermManageUsers), s.page(s.addAccount))
	r.POST("/admin/users/:id/role", small, s.need(analytics.PermManageUsers), s.page(s.changeRole))
	r.POST("/admin/users/:id/disable", small, s.need(analytics.PermManageUsers), s.page(s.disableAccount))
	r.POST("/admin/users/:id/enable", small, s.need(analytics.PermManageUsers), s.page(s.enableAccount))
	r.GET("/admin/tokens", s.need(analytics.PermManageUsers), s.page(s.adminTokens))
	r.POST("/admin/tokens", small, s.need(analytics.PermManageUsers), s.page(s.createToken))
	r.POST("/admin/tokens/:id/revoke", small, s.need(analytics.PermManageUsers), s.page(s.revokeToken))
	r.GET("/admin/audit", s.need(analytics.PermReadAudit), s.page(s.adminAudit))
	r.GET("/admin/retention", s.need(analytics.PermManageSurveys), s.page(s.adminRetention))
	r.POST("/admin/retention", small, s.need(analytics.PermManageSurveys), s.page(s.setRetention))
	r.POST("/admin/retention/purge", small, s.need(analytics.PermManageSurveys), s.page(s.purgeRetention))
	r.POST("/admin/disclosure", small, s.need(analytics.PermManageSurveys), s.page(s.setDisclosure))
	r.GET("/admin/benchmark", s.need(analytics.PermManageSurveys), s.page(s.adminBenchmark))
	r.POST("/admin/benchmark", small, s.need(analytics.PermManageSurveys), s.page(s.setBenchmarkCouncil))
	r.GET("/api/v1/surveys", aggregates, s.handle(s.apiSurveys))
	r.GET("/api/v1/surveys/:slug/questions", aggregates, s.handle(s.apiQuestions))
	r.GET("/api/v1/surveys/:slug/report", aggregates, s.handle(s.apiReport))
	r.GET("/api/v1/surveys/:slug/statements", aggregates, s.handle(s.apiStatements))
	r.GET("/api/v1/surveys/:slug/statements.csv", aggregates, download, s.handle(s.apiStatementsCSV))
	r.GET("/api/v1/surveys/:slug/trends.csv", aggregates, download, s.handle(s.apiTrends))
	r.GET("/api/v1/surveys/:slug/trends.zip", aggregates, download, s.handle(s.apiTrendsZip))
	r.GET("/api/v1/surveys/:slug/actions", aggregates, s.handle(s.apiActions))
	r.GET("/api/v1/benchmarks", aggregates, s.handle(s.apiBenchmarks))
	r.GET("/api/v1/surveys/:slug/themes", aggregates, s.handle(s.apiThemes))
	r.GET("/api/v1/surveys/:slug/themes.csv", aggregates, download, s.handle(s.apiThemesCSV))
	r.POST("/api/v1/imports", upload, uploader, s.handle(s.apiImport))
	r.NoRoute(s.notFound)
}
