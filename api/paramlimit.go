package api

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxParams is the most query or form parameters a request may carry. Go's
// net/url reads none at all past 10,000 (url.ParseQuery returns an error
// that gin's c.Query and c.PostForm drop), so a longer query would turn
// into a report with every filter silently left out.
const maxParams = 10000

// tooManyParams is the answer to a request over maxParams.
const tooManyParams = "The address or form has more than 10,000 parameters, so heard did not read it: " +
	"choose fewer filters and try again."

// limitParams refuses, with 400 and before anything reads them, a query of
// more than maxParams parameters separated by & or ;, and an URL-encoded
// form body (its first maxBody bytes) of more. Empty parameters count, as
// they do for Go's own limit.
func limitParams(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if countParams(r.URL.RawQuery) > maxParams {
			refuseParams(w)
			return
		}
		if r.Body != nil && r.Body != http.NoBody && isURLEncodedForm(r.Header.Get("Content-Type")) {
			head, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			if err != nil {
				http.Error(w, "The form could not be read: send it again.", http.StatusBadRequest)
				return
			}
			if countParams(string(head)) > maxParams {
				refuseParams(w)
				return
			}
			r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		}
		h.ServeHTTP(w, r)
	})
}

// countParams counts the &- or ;-separated parameters of a query or form.
func countParams(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "&") + strings.Count(s, ";") + 1
}

func isURLEncodedForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func refuseParams(w http.ResponseWriter) {
	setSecurityHeaders(w.Header())
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintln(w, tooManyParams)
}

// readCloser reads from one reader and closes another: a body of which
// the start was read already.
type readCloser struct {
	io.Reader
	io.Closer
}
