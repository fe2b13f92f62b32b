package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// countedZeros is an endless file body of zeros that counts what is read.
type countedZeros struct{ n int64 }

func (z *countedZeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// An upload whose request says it is 357 MB (the 1,000,000-row export of
// issue 13) is refused from its Content-Length as soon as the file part's
// header names the file: the message names the file, its size, the limit,
// that heard serve has no setting for it and the heard import flag that
// imports it instead; next to nothing of the file is read and nothing is
// kept in the uploads folder.
func TestUploadRefusedFromItsDeclaredSize(t *testing.T) {
	for _, path := range []string{"/api/v1/imports", "/upload"} {
		t.Run(path, func(t *testing.T) {
			srv, h := newTestServer(t)
			var head bytes.Buffer
			w := multipart.NewWriter(&head)
			w.WriteField("survey", "People feedback")
			if _, err := w.CreateFormFile("file", "million.csv"); err != nil {
				t.Fatal(err)
			}
			zeros := &countedZeros{}
			req := httptest.NewRequest("POST", path, io.MultiReader(&head, zeros))
			req.Header.Set("Content-Type", w.FormDataContentType())
			req.ContentLength = int64(head.Len()) + 357<<20
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %.300s", rec.Code, rec.Body)
			}
			var got struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("not a JSON refusal: %.300s", rec.Body)
			}
			for _, want := range []string{`the file "million.csv" is about 358 MB, larger than 200 MB`,
				"heard serve has no setting or flag", "heard import --max-file-mb 358"} {
				if !strings.Contains(got.Error, want) {
					t.Errorf("message %q does not say %q", got.Error, want)
				}
			}
			if zeros.n > 1<<20 {
				t.Errorf("%d MB of the file were read before it was refused", zeros.n>>20)
			}
			if entries, _ := os.ReadDir(srv.uploads.dir); len(entries) != 0 {
				t.Errorf("files kept in the uploads folder: %v", entries)
			}
		})
	}
}

// A body no larger than the limit allows is read as before: the
// Content-Length check refuses only what the body limit would refuse.
func TestUploadDeclaredSizeWithinLimit(t *testing.T) {
	_, h := newTestServer(t)
	body, ct := multipartBody(t, "May.csv", fixture("smartsurvey-small.csv"), map[string]string{"survey": "People feedback"})
	req := httptest.NewRequest("POST", "/api/v1/imports", body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d: %.300s", rec.Code, rec.Body)
	}
}
