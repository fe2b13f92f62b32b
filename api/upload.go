package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/heard-council/heard/api/ingest"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/importers"
)

// previewRows is how many of a file's first rows the preview shows.
const previewRows = 5

// uploadForm is the upload page: choose a survey, choose a file.
func (s *Server) uploadForm(c *gin.Context) error {
	list, err := s.store.Surveys(c.Request.Context())
	if err == nil {
		list, err = s.writableSurveys(c, list)
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "upload.html", &uploadView{layout: layout{Title: "Upload a survey export"}, Surveys: list})
}

// uploadView is the upload page: the surveys the account may upload into.
type uploadView struct {
	layout
	Surveys []analytics.SurveySummary
}

// uploadStatusView is the page of one upload.
type uploadStatusView struct {
	layout
	Upload uploadStatus
	// Slug is the survey the upload was imported into, once it was.
	Slug string
	// NewSurvey says the upload makes a new survey: its columns' kinds
	// can be corrected, and there are no earlier files to compare with.
	NewSurvey bool
	// Columns are the preview's columns in words.
	Columns []previewColumn
}

// uploadFile keeps the uploaded file, reads it without storing anything
// and shows the preview: the format, the mapping, the first rows and every
// problem found.
func (s *Server) uploadFile(c *gin.Context) error {
	u, err := s.acceptUpload(c, "choose the file to upload", "new_survey", "survey")
	var both bothSurveysError
	if errors.As(err, &both) {
		return s.refuse(c, "Which survey is the file for?", string(both))
	}
	if err != nil {
		return err
	}
	me, _ := requestUser(c)
	u.mu.Lock()
	u.owner = me.ID
	u.mu.Unlock()
	rep, err := ingest.ImportFile(c.Request.Context(), s.store, u.path, u.File, ingest.ImportParams{Survey: u.Survey, DryRun: true, SampleRows: previewRows,
		Options: importers.Options{Pace: s.pacer.pace, LowPriority: true}})
	if err != nil {
		s.uploads.forget(u)
		return err
	}
	if rep.Refused() {
		s.auditImport(actor(c), rep, nil)
	}
	u.mu.Lock()
	u.preview = rep
	if rep.Refused() || rep.AlreadyImported {
		u.state = uploadDone
		u.result = rep
	}
	u.mu.Unlock()
	s.shareUpload(c.Request.Context(), u)
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
	u, err := s.ownUpload(c)
	if err != nil {
		return err
	}
	st := u.status()
	data := uploadStatusView{layout: layout{Title: "Upload: " + st.File}, Upload: st}
	if _, err := s.store.SurveyByName(c.Request.Context(), st.Survey); errors.Is(err, store.ErrNotFound) {
		data.NewSurvey = true
	} else if err != nil {
		return err
	}
	if st.Preview != nil {
		data.Columns = previewColumns(st.Preview, data.NewSurvey && st.State == uploadPreview)
	}
	if st.State == uploadRunning {
		data.Refresh = 1
	}
	if st.Result != nil && !st.Result.Refused() {
		if sv, err := s.store.SurveyByName(c.Request.Context(), st.Result.Survey); err == nil {
			data.Slug = sv.Slug
			// The survey's first file has no earlier files to differ from.
			if imports, err := s.store.Imports(c.Request.Context(), sv.ID); err == nil {
				data.NewSurvey = len(imports) <= 1
			}
		}
	}
	return s.render(c, http.StatusOK, "upload_status.html", &data)
}

// uploadConfirm starts the import of a previewed upload.
func (s *Server) uploadConfirm(c *gin.Context) error {
	u, err := s.ownUpload(c)
	if err != nil {
		return err
	}
	if err := s.mayUploadInto(c, u.Survey); err != nil {
		return err
	}
	kinds, err := s.uploadKinds(c, u)
	if err != nil {
		return err
	}
	if u.remote {
		// Another process's upload: its file is fetched here to be read,
		// unless it was confirmed already.
		if u.status().State == uploadPreview {
			u, err = s.localUpload(c.Request.Context(), u)
		} else {
			err = errAlreadyConfirmed
		}
		if errors.Is(err, errAlreadyConfirmed) && c.PostForm("check") != "" {
			c.Redirect(http.StatusSeeOther, "/upload/"+c.Param("token"))
			return nil
		}
		if errors.Is(err, errAlreadyConfirmed) {
			return &analytics.ParamError{Msg: err.Error()}
		}
		if err != nil {
			return err
		}
	}
	if c.PostForm("check") != "" {
		return s.recheckUpload(c, u, kinds)
	}
	me, _ := requestUser(c)
	who := actor(c)
	by := "web upload by " + who.Who + " from " + who.From
	var claim func() error
	var ended func(uploadStatus)
	if u.shared {
		// The database decides which confirmation imports the file.
		claim = func() error { return s.claimUpload(c.Request.Context(), u, kinds) }
		ended = s.finishUpload
	}
	err = s.uploads.start(s.jobCtx, u, claim, func(ctx context.Context, u *upload) (*ingest.ImportReport, error) {
		if u.shared {
			defer s.followUpload(u)()
		}
		rep, err := ingest.ImportFile(ctx, s.store, u.path, u.File, ingest.ImportParams{Survey: u.Survey, By: by, Progress: u.progress, Kinds: kinds,
			Member: importMember(me), MemberBy: who, Options: importers.Options{Pace: s.pacer.pace, LowPriority: true}})
		s.auditImport(who, rep, err)
		if err != nil {
			s.logger.Error("web import failed", "file", u.File, "survey", u.Survey, "err", err)
			return rep, err
		}
		if rep.ResponsesAdded > 0 {
			s.warm(rep.Survey)
		}
		return rep, nil
	}, ended)
	if errors.Is(err, errAlreadyConfirmed) {
		return &analytics.ParamError{Msg: err.Error()}
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+u.Token)
	return nil
}

// apiImport is POST /api/v1/imports: multipart fields file and survey.
// 201 with the import's report; 200 when the file was imported before;
// 422 with the errors when it is refused.
func (s *Server) apiImport(c *gin.Context) error {
	u, err := s.acceptUpload(c, "send the export as the multipart field \"file\"", "survey")
	if err != nil {
		return err
	}
	survey := u.Survey
	defer s.uploads.forget(u)
	who := actor(c)
	me, _ := requestUser(c)
	rep, err := ingest.ImportFile(c.Request.Context(), s.store, u.path, u.File, ingest.ImportParams{Survey: survey, By: "api by " + who.Who + " from " + who.From,
		Member: importMember(me), MemberBy: who, Options: importers.Options{Pace: s.pacer.pace, LowPriority: true}})
	s.auditImport(who, rep, err)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return &analytics.ParamError{Msg: "the request was cancelled; nothing was stored"}
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

// ownUpload returns the upload of the :token in the path, this process's
// or another's (findUpload), if the request's account made it (or is an
// admin), else store.ErrNotFound: another account's upload is not found.
func (s *Server) ownUpload(c *gin.Context) (*upload, error) {
	u, err := s.findUpload(c.Request.Context(), c.Param("token"))
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, store.ErrNotFound
	}
	me, _ := requestUser(c)
	u.mu.Lock()
	owner := u.owner
	u.mu.Unlock()
	if owner != me.ID && !me.Role.Can(analytics.PermManageUsers) {
		return nil, store.ErrNotFound
	}
	return u, nil
}

// auditImport records an import, refused and failed ones included. It
// names the file and survey and counts rows, never the file's contents.
func (s *Server) auditImport(who analytics.Actor, rep *ingest.ImportReport, err error) {
	e := ingest.AuditEvent(who, rep, err)
	if aerr := s.store.Audit(context.Background(), e); aerr != nil {
		s.logger.Error("write the audit log", "action", e.Action, "err", aerr)
	}
}

// uploadProblem explains why an upload's file could not be read: too
// large, cut short, or missing (missing says what to do).
func uploadProblem(err error, missing string) error {
	var ue *analytics.ParamError
	var pe *os.PathError
	switch {
	case errors.As(err, &ue):
		return ue
	case errors.As(err, &pe), store.IsDiskFull(err):
		return err // the uploads folder could not be written: heard's problem
	}
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		return uploadTooLarge("", 0)
	}
	if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
		return &analytics.ParamError{Msg: "the upload stopped arriving before it was complete, so nothing was stored; check the connection and upload the file again"}
	}
	return &analytics.ParamError{Msg: missing}
}

// acceptUpload receives an upload (the page's and the API's alike): its
// file, kept in the uploads folder, and the survey it goes into, the first
// of the form's fields named that is filled in, else a name made from the
// file's. An account that may not import into that survey is refused and
// the file forgotten. missing says what to do when there is no file.
func (s *Server) acceptUpload(c *gin.Context, missing string, surveyFields ...string) (*upload, error) {
	form, err := s.uploads.receiveUpload(c)
	if err != nil {
		return nil, uploadProblem(err, missing)
	}
	survey := ""
	for _, f := range surveyFields {
		v := form.field(f)
		if v != "" && survey != "" && store.SurveyName(v) != store.SurveyName(survey) {
			form.forget()
			return nil, bothSurveysError(fmt.Sprintf("You chose the survey “%s” and also typed the new name “%s”. "+
				"Go back and either choose an existing survey or type a new name, not both.", v, survey))
		}
		if survey == "" {
			survey = v
		}
	}
	if survey == "" {
		survey = ingest.SurveyNameFromFile(cleanFileName(form.name))
	}
	if err := s.mayUploadInto(c, survey); err != nil {
		form.forget()
		return nil, err
	}
	return s.uploads.add(form.token, form.path, form.name, survey), nil
}
