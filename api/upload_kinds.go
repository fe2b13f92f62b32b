package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/importers"
)

// bothSurveysError is an upload that names an existing survey and a new
// one: heard does not guess which was meant.
type bothSurveysError string

func (e bothSurveysError) Error() string { return string(e) }

// uploadKinds reads the preview's corrections of what each column becomes
// (fields kind_<column index>) for an upload into a new survey; an upload
// into an existing survey keeps the survey's own mapping, which its set-up
// page changes.
func (s *Server) uploadKinds(c *gin.Context, u *upload) (map[int]string, error) {
	if _, err := s.store.SurveyByName(c.Request.Context(), u.Survey); err == nil {
		return nil, nil
	}
	u.mu.Lock()
	kinds := u.kinds
	u.mu.Unlock()
	if err := c.Request.ParseForm(); err != nil {
		return nil, usageErrorf("the form could not be read: go back and try again")
	}
	for name, values := range c.Request.PostForm {
		idx, ok := strings.CutPrefix(name, "kind_")
		if !ok || len(values) == 0 {
			continue
		}
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i > 100000 {
			return nil, usageErrorf("the form names a column that is not in the file: go back and try again")
		}
		switch values[0] {
		case importers.KindQuestion, importers.KindDimension, importers.KindText, importers.KindIgnore:
		default:
			return nil, usageErrorf("%q is not a kind of column: choose one from the list", values[0])
		}
		if kinds == nil {
			kinds = map[int]string{}
		}
		kinds[i] = values[0]
	}
	return kinds, nil
}

// recheckUpload reads the upload again with the person's corrections and
// shows the new preview; nothing is stored.
func (s *Server) recheckUpload(c *gin.Context, u *upload, kinds map[int]string) error {
	if u.status().State != uploadPreview {
		c.Redirect(http.StatusSeeOther, "/upload/"+u.Token)
		return nil
	}
	rep, err := ingest.ImportFile(c.Request.Context(), s.store, u.path, u.File, ingest.ImportParams{Survey: u.Survey, DryRun: true,
		SampleRows: previewRows, Kinds: kinds, Options: importers.Options{Pace: s.pacer.pace, LowPriority: true}})
	if err != nil {
		return err
	}
	u.mu.Lock()
	u.preview, u.kinds = rep, kinds
	shared := u.shared
	u.mu.Unlock()
	if shared {
		// For the other heard processes' pages (see upload_shared.go).
		preview, err := encodeReport(rep)
		if err != nil {
			return err
		}
		k, err := encodeKinds(kinds)
		if err != nil {
			return err
		}
		if err := s.store.SetSharedUploadPreview(c.Request.Context(), u.Token, preview, k, time.Now()); err != nil {
			return err
		}
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+u.Token)
	return nil
}

// previewColumn is one column of an upload's preview, as people read it.
type previewColumn struct {
	Index             int
	Header, Role      string
	Detail            string
	Kind              string
	Choices           []choice
	Choosable         bool
	KindLabelForField string
}

// previewColumns describes the preview's columns in words, with the kinds
// a new survey's column may be made.
func previewColumns(rep *ingest.ImportReport, choosable bool) []previewColumn {
	var out []previewColumn
	for _, col := range rep.Columns {
		pc := previewColumn{Index: col.Index, Header: col.Header, Role: roleLabel(col.Role),
			Detail: columnDetail(col, rep.Questions, rep.Dimensions)}
		kind := ""
		switch col.Role {
		case analytics.RoleQuestion:
			kind = importers.KindQuestion
			for _, q := range rep.Questions {
				if q.Code == col.Code && q.Kind == analytics.KindText {
					kind = importers.KindText
				}
				if q.Code == col.Code && q.Kind == analytics.KindMulti {
					kind = "multi"
				}
			}
		case analytics.RoleDimension:
			kind = importers.KindDimension
		case analytics.RoleIgnore:
			kind = importers.KindIgnore
		}
		if choosable && kind != "" && kind != "multi" {
			pc.Choosable = true
			for _, k := range [][2]string{{importers.KindQuestion, "question"}, {importers.KindDimension, roleLabel(analytics.RoleDimension)},
				{importers.KindText, "free text (staff only)"}, {importers.KindIgnore, roleLabel(analytics.RoleIgnore)}} {
				pc.Choices = append(pc.Choices, choice{Value: k[0], Label: k[1], Selected: k[0] == kind})
			}
		}
		out = append(out, pc)
	}
	return out
}
