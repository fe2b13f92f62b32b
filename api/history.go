package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// importsView is the history of imports, of every survey or of one.
type importsView struct {
	layout
	// Survey is the survey shown, "" for all.
	Survey    string
	SurveyURL string
	Imports   []importRow
	// CanDelete shows the Delete column, to roles that may delete
	// imports.
	CanDelete bool
}

// importRow is one import as the history shows it.
type importRow struct {
	At, AtISO, Survey, SurveyURL, File, Format, By string
	// DeleteURL is where the import's Delete button posts; "" when the
	// account may not delete it.
	DeleteURL                             string
	RowsRead, Added, Duplicates, Rejected string
}

// importsPage lists the imports, newest first: ?survey=SLUG keeps one
// survey's.
func (s *Server) importsPage(c *gin.Context) error {
	ctx := c.Request.Context()
	list, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]analytics.SurveySummary, len(list))
	for _, sv := range list {
		byID[sv.ID] = sv
	}
	out := importsView{layout: layout{Title: "Imports", AssetVersion: s.assetVersion, OnImports: true}}
	mayDelete, err := s.deletableSurveys(c)
	if err != nil {
		return err
	}
	out.CanDelete = mayDelete != nil
	var id int64
	if slug := strings.TrimSpace(c.Query("survey")); slug != "" {
		sv, err := s.store.SurveyBySlug(ctx, slug)
		if err != nil {
			return err
		}
		id, out.Survey, out.SurveyURL = sv.ID, sv.Name, "/surveys/"+url.PathEscape(sv.Slug)
		out.Title = "Imports of " + sv.Name
	}
	imports, err := s.store.Imports(ctx, id)
	if err != nil {
		return err
	}
	london, err := analytics.LoadLondon()
	if err != nil {
		return err
	}
	for _, imp := range imports {
		sv := byID[imp.SurveyID]
		format := imp.Format
		if imp.Sheet != "" {
			format += ", sheet “" + imp.Sheet + "”"
		}
		out.Imports = append(out.Imports, importRow{
			At: dashboards.DateTime(imp.At.In(london)), AtISO: imp.At.UTC().Format("2006-01-02T15:04:05Z"),
			Survey: sv.Name, SurveyURL: "/surveys/" + url.PathEscape(sv.Slug), File: imp.File, Format: format,
			By: imp.By, RowsRead: dashboards.Thousands(int64(imp.RowsRead)), Added: dashboards.Thousands(int64(imp.Added)),
			Duplicates: dashboards.Thousands(int64(imp.Duplicates)), Rejected: dashboards.Thousands(int64(imp.Rejected)),
		})
		if mayDelete != nil && mayDelete(imp.SurveyID) {
			out.Imports[len(out.Imports)-1].DeleteURL = "/imports/" + strconv.FormatInt(imp.ID, 10) + "/delete"
		}
	}
	return s.render(c, http.StatusOK, "imports.html", &out)
}

// deletableSurveys says which surveys' imports the request's account may
// delete: nil for none, as for a viewer; every survey for an admin; an
// analyst's own surveys.
func (s *Server) deletableSurveys(c *gin.Context) (func(surveyID int64) bool, error) {
	u, ok := requestUser(c)
	if !ok || !u.Role.Can(analytics.PermUpload) {
		return nil, nil
	}
	if !needsMembership(u.Role, analytics.PermUpload) {
		return func(int64) bool { return true }, nil
	}
	ids, err := s.store.MemberSurveys(c.Request.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	return func(id int64) bool { return slices.Contains(ids, id) }, nil
}
