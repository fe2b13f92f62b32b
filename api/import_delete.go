package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/dashboards"
)

// importDeleteView is the confirmation, and then the result, of deleting
// an import.
type importDeleteView struct {
	layout
	ID, File, Survey, SurveyURL, At, By string
	// Responses is how many responses the import still holds (before) or
	// how many were deleted (after).
	Responses string
	Action    string
	Done      bool
}

// deleteImport is POST /imports/:id/delete. Without confirm=yes it shows
// what deleting the import would remove and asks; with it, it deletes the
// import with its responses (the store records it in the audit log).
func (s *Server) deleteImport(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("import %q: %w", c.Param("id"), store.ErrNotFound)
	}
	imp, sv, err := s.findImport(c, id)
	if err != nil {
		return err
	}
	if err := s.mayWriteSurvey(c, sv.ID); err != nil {
		return err
	}
	v := importDeleteView{layout: layout{Title: "Delete an import", AssetVersion: s.assetVersion, OnImports: true},
		ID: strconv.FormatInt(id, 10), File: imp.File, Survey: sv.Name, SurveyURL: "/surveys/" + url.PathEscape(sv.Slug),
		By: imp.By, Action: "/imports/" + strconv.FormatInt(id, 10) + "/delete"}
	london, err := analytics.LoadLondon()
	if err != nil {
		return err
	}
	v.At = dashboards.DateTime(imp.At.In(london))
	if c.PostForm("confirm") != "yes" {
		n, err := s.store.ImportResponses(ctx, id)
		if err != nil {
			return err
		}
		v.Responses = dashboards.Thousands(n)
		return s.render(c, http.StatusOK, "import_delete.html", &v)
	}
	del, err := s.store.DeleteImport(ctx, id, actor(c))
	if err != nil {
		return err
	}
	v.Title, v.Done, v.Responses = "Import deleted", true, dashboards.Thousands(del.Responses)
	return s.render(c, http.StatusOK, "import_delete.html", &v)
}

// findImport returns import id and its survey.
func (s *Server) findImport(c *gin.Context, id int64) (analytics.Import, analytics.Survey, error) {
	ctx := c.Request.Context()
	imports, err := s.store.Imports(ctx, 0)
	if err != nil {
		return analytics.Import{}, analytics.Survey{}, err
	}
	for _, imp := range imports {
		if imp.ID != id {
			continue
		}
		surveys, err := s.store.Surveys(ctx)
		if err != nil {
			return analytics.Import{}, analytics.Survey{}, err
		}
		for _, sv := range surveys {
			if sv.ID == imp.SurveyID {
				return imp, sv.Survey, nil
			}
		}
		return analytics.Import{}, analytics.Survey{}, errors.New("an import of no survey")
	}
	return analytics.Import{}, analytics.Survey{}, fmt.Errorf("import %d: %w", id, store.ErrNotFound)
}
