package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics/store"
)

// previewRows is how many of a file's first rows the preview shows.
const previewRows = 5

// uploadForm is the upload page: choose a survey, choose a file.
func (s *Server) uploadForm(c *gin.Context) error {
	list, err := s.store.Surveys(c.Request.Context())
	if err != nil {
		return err
	}
	return s.pages.render(c, "upload.html", map[string]any{"Title": "Upload a survey export", "Surveys": list})
}

// uploadFile keeps the uploaded file, reads it without storing anything
// and shows the preview: the format, the mapping, the first rows and every
// problem found.
func (s *Server) uploadFile(c *gin.Context) error {
	survey := strings.TrimSpace(c.PostForm("new_survey"))
	if survey == "" {
		survey = strings.TrimSpace(c.PostForm("survey"))
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return &UsageError{Msg: "choose the file to upload"}
	}
	if fh.Size > maxUpload {
		return &UsageError{Msg: fmt.Sprintf("the file is %d MB; heard takes files up to %d MB", fh.Size>>20, maxUpload>>20)}
	}
	if survey == "" {
		survey = SurveyNameFromFile(cleanFileName(fh.Filename))
	}
	u, err := s.uploads.save(fh, survey)
	if err != nil {
		return err
	}
	rep, err := ImportFile(c.Request.Context(), s.store, u.path, u.File, ImportParams{Survey: survey, DryRun: true, SampleRows: previewRows})
	if err != nil {
		s.uploads.forget(u)
		return err
	}
	u.mu.Lock()
	u.preview = rep
	if rep.Refused() || rep.AlreadyImported {
		u.state = uploadDone
		u.result = rep
	}
	u.mu.Unlock()
	if rep.Refused() || rep.AlreadyImported {
		s.uploads.forget(u)
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+u.Token)
	return nil
}

// uploadStatus shows an upload: its preview, its progress while it is
// imported (the page refreshes itself, so no script is needed) or what
// became of it.
func (s *Server) uploadStatus(c *gin.Context) error {
	u := s.uploads.get(c.Param("token"))
	if u == nil {
		return store.ErrNotFound
	}
	st := u.status()
	data := map[string]any{"Title": "Upload: " + st.File, "Upload": st}
	if st.State == uploadRunning {
		data["Refresh"] = 1
	}
	if st.Result != nil && !st.Result.Refused() {
		if sv, err := s.store.SurveyByName(c.Request.Context(), st.Result.Survey); err == nil {
			data["Slug"] = sv.Slug
		}
	}
	return s.pages.render(c, "upload_status.html", data)
}

// uploadConfirm starts the import of a previewed upload.
func (s *Server) uploadConfirm(c *gin.Context) error {
	u := s.uploads.get(c.Param("token"))
	if u == nil {
		return store.ErrNotFound
	}
	by := "web upload from " + c.ClientIP()
	err := s.uploads.start(s.jobCtx, u, func(ctx context.Context, u *upload) (*ImportReport, error) {
		rep, err := ImportFile(ctx, s.store, u.path, u.File, ImportParams{Survey: u.Survey, By: by, Progress: u.progress})
		if err != nil {
			s.logger.Error("web import failed", "file", u.File, "survey", u.Survey, "err", err)
			return rep, err
		}
		if rep.ResponsesAdded > 0 {
			s.warm(rep.Survey)
		}
		return rep, nil
	})
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+u.Token)
	return nil
}

// apiImport is POST /api/v1/imports: multipart fields file and survey.
// 201 with the import's report; 200 when the file was imported before;
// 422 with the errors when it is refused.
func (s *Server) apiImport(c *gin.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return &UsageError{Msg: "send the export as the multipart field \"file\""}
	}
	survey := strings.TrimSpace(c.PostForm("survey"))
	if survey == "" {
		survey = SurveyNameFromFile(cleanFileName(fh.Filename))
	}
	u, err := s.uploads.save(fh, survey)
	if err != nil {
		return err
	}
	defer s.uploads.forget(u)
	rep, err := ImportFile(c.Request.Context(), s.store, u.path, u.File, ImportParams{Survey: survey, By: "api from " + c.ClientIP()})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return &UsageError{Msg: "the request was cancelled; nothing was stored"}
		}
		return err
	}
	if rep.ResponsesAdded > 0 {
		s.warm(rep.Survey)
	}
	switch {
	case rep.Refused():
		c.JSON(http.StatusUnprocessableEntity, rep)
	case rep.AlreadyImported:
		c.JSON(http.StatusOK, rep)
	default:
		c.JSON(http.StatusCreated, rep)
	}
	return nil
}
