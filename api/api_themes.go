package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/api/report"
)

// apiThemes is GET /api/v1/surveys/:slug/themes: the themes of the
// survey's comments by period and group (question, period, by, from, to,
// where, confidence, as a report takes them); disclosure-controlled for
// the board, and never a comment.
func (s *Server) apiThemes(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	figs, err := report.Themes(c.Request.Context(), s.store, themeParams(v))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, figs.JSON)
	return nil
}

// apiThemesCSV is GET /api/v1/surveys/:slug/themes.csv: the same figures
// as a CSV download, one line per period, group and theme.
func (s *Server) apiThemesCSV(c *gin.Context) error {
	v, err := s.loadSurveyView(c)
	if err != nil {
		return err
	}
	figs, err := report.Themes(c.Request.Context(), s.store, themeParams(v))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteThemeCSV(&buf, figs.JSON); err != nil {
		return err
	}
	attach(c, v.survey.Slug+"-themes.csv")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
