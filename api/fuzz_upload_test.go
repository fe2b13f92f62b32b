package api

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzUpload posts arbitrary bytes, under an arbitrary file name, as the
// file of POST /api/v1/imports through the real handler: heard must answer
// 201, 200 or 422 with JSON, never panic and never fail with a 500.
func FuzzUpload(f *testing.F) {
	// Small seeds: the fuzzer minimises every input that finds new code,
	// and each try is a whole import.
	f.Add("responses.csv", []byte(csvOf(surveyRecords(2, "s"), ",", "\n")))
	f.Add("responses.csv", []byte(csvOf(surveyRecords(3, "semi"), ";", "\r")))
	f.Add("responses.xlsx", buildTestZip(f, workbookEntries(sheetOf(surveyRecords(1, "x")), "")))
	f.Add("bom.csv", append([]byte("\uFEFF"), csvOf(surveyRecords(1, "b"), ";", "\n")...))
	f.Add("utf16.csv", utf16LE(csvOf(surveyRecords(1, "u"), ",", "\r")))
	f.Add("quote.csv", []byte("a,b\n\"x,y\n"))
	f.Add("empty.csv", []byte{})
	f.Add("../x.xlsx", []byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		// A new store for every input, so that an input runs the same code
		// each time the fuzzer tries it (a shared store would answer a
		// repeat "already imported").
		st, _ := newStore(t)
		srv, err := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		token := createFaultAccount(t, st)
		h := srv.Handler()
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("survey", "Fuzz")
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Skip()
		}
		part.Write(data)
		w.Close()
		req := httptest.NewRequest("POST", "/api/v1/imports", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated, http.StatusOK, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%q (%d bytes) answered %d: %s", name, len(data), rec.Code, rec.Body)
		}
		if !bytes.HasPrefix(rec.Body.Bytes(), []byte("{")) {
			t.Fatalf("the answer is not JSON: %s", rec.Body)
		}
		if req.MultipartForm != nil {
			req.MultipartForm.RemoveAll()
		}
	})
}
