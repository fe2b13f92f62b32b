package api

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/api/report"
)

// apiTrendsZip is GET /api/v1/surveys/:slug/trends.zip: the trend CSV of
// apiTrends, with the same parameters, in a zip beside a README.txt that
// says what the file is, what each column means, the disclosure rule its
// figures obey and when it was made.
func (s *Server) apiTrendsZip(c *gin.Context) error {
	v, reports, err := s.trendReports(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	pub, err := s.store.Publication(ctx, v.survey.ID)
	if err != nil {
		return err
	}
	readme := report.TrendReadme{Survey: v.survey.Name, CSV: v.survey.Slug + "-trends.csv", Made: time.Now(),
		Disclosure: pub.Policy.Disclosure().WithDefaults(), Period: pub.Period, Reports: reports}
	if len(reports) > 0 {
		readme.Disclosure, readme.Period = reports[0].Disclosure, reports[0].Period
	}
	if len(v.query.By) > 0 {
		_, ds, err := s.store.Questions(ctx, v.survey.ID)
		if err != nil {
			return err
		}
		readme.By = v.query.By[0]
		for _, d := range ds {
			if d.Code == v.query.By[0] {
				readme.By = d.Name
			}
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct {
		name  string
		write func(w *bytes.Buffer) error
	}{
		{readme.CSV, func(w *bytes.Buffer) error { return report.WriteTrendCSV(w, reports) }},
		{"README.txt", func(w *bytes.Buffer) error { return report.WriteTrendReadme(w, readme) }},
	} {
		var part bytes.Buffer
		if err := f.write(&part); err != nil {
			return fmt.Errorf("write %s of the trend zip: %w", f.name, err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: readme.Made})
		if err == nil {
			_, err = w.Write(part.Bytes())
		}
		if err != nil {
			return fmt.Errorf("write %s of the trend zip: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write the trend zip: %w", err)
	}
	attach(c, v.survey.Slug+"-trends.zip")
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
	return nil
}
