package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) healthz(c *gin.Context) error {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

func (s *Server) apiSurveys(c *gin.Context) error {
	list, err := s.store.Surveys(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]SurveyJSON, 0, len(list))
	for _, sv := range list {
		out = append(out, surveyJSON(sv))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *Server) home(c *gin.Context) error {
	list, err := s.store.Surveys(c.Request.Context())
	if err != nil {
		return err
	}
	return s.pages.render(c, "home.html", map[string]any{"Title": "Surveys", "Surveys": list})
}
