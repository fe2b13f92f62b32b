package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics"
)

// newTestServer returns a server and its handler, which takes requests
// without credentials as an admin's (see withToken).
func newTestServer(t testing.TB) (*Server, http.Handler) {
	t.Helper()
	st, _ := newStore(t)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	admin := createAccount(t, st, "admin@example.org", analytics.RoleAdmin)
	return srv, withToken{h: srv.Handler(), token: admin.token}
}

// multipartBody builds a form with a file and other fields.
func multipartBody(t testing.TB, fileName, path string, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		part, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func do(t testing.TB, h http.Handler, method, url string, body io.Reader, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, url, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestUploadFlow uploads a file through the pages: preview, confirm,
// progress, result.
func TestUploadFlow(t *testing.T) {
	srv, h := newTestServer(t)
	if rec := do(t, h, "GET", "/upload", nil, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `enctype="multipart/form-data"`) {
		t.Fatalf("GET /upload: %d %s", rec.Code, rec.Body)
	}
	body, ct := multipartBody(t, "../../etc/May responses.csv", fixture("smartsurvey-small.csv"), map[string]string{"new_survey": "People feedback"})
	rec := do(t, h, "POST", "/upload", body, ct)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/upload/") {
		t.Fatalf("POST /upload: %d %s", rec.Code, rec.Body)
	}
	status := rec.Header().Get("Location")
	page := do(t, h, "GET", status, nil, "").Body.String()
	for _, want := range []string{"May responses.csv", "SmartSurvey", "40 of 40 rows", "Overall, how satisfied are you with the support you received?", "scale", "group (for breakdowns)", "Hospital Discharge Team", "Import these responses"} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if strings.Contains(page, "etc/") {
		t.Error("the preview shows the path the browser sent")
	}
	if list, _ := srv.store.Surveys(t.Context()); len(list) != 0 {
		t.Fatalf("the preview stored something: %+v", list)
	}
	if rec := do(t, h, "POST", status, nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		page = do(t, h, "GET", status, nil, "").Body.String()
		if !strings.Contains(page, `http-equiv="refresh"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(page, "40 responses were added to survey “People feedback”") {
		t.Fatalf("result page: %s", page)
	}
	if rec := do(t, h, "POST", status, nil, ""); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("confirming twice: %d", rec.Code)
	}
	if rec := do(t, h, "GET", "/upload/0000", nil, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown upload: %d", rec.Code)
	}
	entries, _ := os.ReadDir(srv.uploads.dir)
	if len(entries) != 0 {
		t.Fatalf("uploaded files left behind: %v", entries)
	}
}

func TestUploadRefusedFile(t *testing.T) {
	srv, h := newTestServer(t)
	body, ct := multipartBody(t, "responses.xlsx", fixture("password-protected.xlsx"), nil)
	rec := do(t, h, "POST", "/upload", body, ct)
	page := do(t, h, "GET", rec.Header().Get("Location"), nil, "").Body.String()
	if !strings.Contains(page, "The file was not imported") || !strings.Contains(page, "password") {
		t.Fatalf("page: %s", page)
	}
	if strings.Contains(page, "Import these responses") {
		t.Fatal("a refused file can be confirmed")
	}
	entries, _ := os.ReadDir(srv.uploads.dir)
	if len(entries) != 0 {
		t.Fatalf("refused upload left behind: %v", entries)
	}
}

func TestImportAPI(t *testing.T) {
	_, h := newTestServer(t)
	post := func(name, path string, fields map[string]string) (int, ingest.ImportReport, map[string]any) {
		body, ct := multipartBody(t, name, path, fields)
		rec := do(t, h, "POST", "/api/v1/imports", body, ct)
		var rep ingest.ImportReport
		var raw map[string]any
		json.Unmarshal(rec.Body.Bytes(), &rep)
		json.Unmarshal(rec.Body.Bytes(), &raw)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("content type %q", ct)
		}
		return rec.Code, rep, raw
	}
	code, rep, _ := post("may.csv", fixture("smartsurvey-small.csv"), map[string]string{"survey": "Feedback"})
	if code != http.StatusCreated || rep.ResponsesAdded != 40 || rep.Survey != "Feedback" || rep.Format != "smartsurvey" {
		t.Fatalf("first: %d %+v", code, rep)
	}
	if code, rep, _ = post("may-again.csv", fixture("smartsurvey-small.csv"), map[string]string{"survey": "Feedback"}); code != http.StatusOK || !rep.AlreadyImported {
		t.Fatalf("repeat: %d %+v", code, rep)
	}
	if code, rep, _ = post("old.xls", fixture("old-format.xls"), nil); code != http.StatusUnprocessableEntity || len(rep.Errors) != 1 || rep.Errors[0].File != "old.xls" {
		t.Fatalf("xls: %d %+v", code, rep)
	}
	if code, _, raw := post("", "", map[string]string{"survey": "x"}); code != http.StatusUnprocessableEntity || raw["error"] == nil {
		t.Fatalf("no file: %d %v", code, raw)
	}
}
