package api

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"
)

// Bounds of an upload's form, read as it arrives.
const (
	maxUploadParts = 1000     // as Go's own multipart reader
	maxFieldBytes  = 64 << 10 // a survey name, not a file
)

// uploadForm is an upload's multipart form: its fields, and the file part
// "file", already kept in the uploads folder.
type uploadForm struct {
	fields      map[string]string
	token, path string
	name        string // the file name the browser sent
}

// field is a form field, trimmed.
func (f *uploadForm) field(name string) string { return strings.TrimSpace(f.fields[name]) }

// receiveUpload reads an upload's multipart form as it arrives, writing the
// file part straight into the uploads folder (Go's own reader would write
// a file of more than 32 MB to the system's temporary folder, where a
// process killed mid-upload leaves it). On an error nothing is kept; the
// error is the reader's, for uploadProblem to word.
func (us *uploads) receiveUpload(c *gin.Context) (*uploadForm, error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, err
	}
	f := &uploadForm{fields: map[string]string{}}
	fail := func(err error) (*uploadForm, error) {
		if f.path != "" {
			os.Remove(f.path)
		}
		return nil, err
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		if parts >= maxUploadParts {
			return fail(multipart.ErrMessageTooLarge)
		}
		if p.FormName() == "file" && p.FileName() != "" && f.path == "" {
			// A request that says it is larger than any upload may be is
			// refused from its Content-Length, before the file is kept.
			if n := c.Request.ContentLength; n > maxUploadBody {
				return fail(uploadTooLarge(cleanFileName(p.FileName()), n))
			}
			if f.token, f.path, err = us.keep(p, cleanFileName(p.FileName())); err != nil {
				return fail(err)
			}
			f.name = p.FileName()
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
		if err != nil {
			return fail(err)
		}
		if len(b) > maxFieldBytes {
			return fail(fmt.Errorf("form field %q: %w", p.FormName(), multipart.ErrMessageTooLarge))
		}
		if _, seen := f.fields[p.FormName()]; !seen {
			f.fields[p.FormName()] = string(b)
		}
	}
	if f.path == "" {
		return nil, http.ErrMissingFile
	}
	return f, nil
}

// forgetForm removes a received file that will not become an upload.
func (f *uploadForm) forget() { os.Remove(f.path) }
