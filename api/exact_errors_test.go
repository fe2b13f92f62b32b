package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// confidenceRoutes are every route that reads a confidence level, with
// {slug} and {code} for the demo survey and one of its questions.
var confidenceRoutes = []string{
	"/surveys/{slug}",
	"/surveys/{slug}/dashboard.xlsx",
	"/surveys/{slug}/questions",
	"/surveys/{slug}/questions/{code}",
	"/surveys/{slug}/questions/{code}/tables.xlsx",
	"/surveys/{slug}/equality",
	"/surveys/{slug}/equality.xlsx",
	"/surveys/{slug}/downloads",
	"/surveys/{slug}/comments",
	"/api/v1/surveys/{slug}/report",
	"/api/v1/surveys/{slug}/trends.csv",
}

// TestExactErrorsInsteadOfSilenceOr500 checks finding 9: a confidence that
// is not a finite number is refused with 422 on every route that reads one,
// and a query or form of more than 10,000 parameters is refused with 400
// instead of being read as no parameters at all.
func TestExactErrorsInsteadOfSilenceOr500(t *testing.T) {
	m := newMatrixFixture(t)
	for _, route := range confidenceRoutes {
		for _, conf := range []string{"NaN", "nan", "Inf", "+Inf", "-Inf", "infinity", "1e400", "-1e400"} {
			path := strings.NewReplacer("{slug}", m.slug, "{code}", m.code).Replace(route)
			t.Run(route+" confidence="+conf, func(t *testing.T) {
				roles := []string{"admin", "board"}
				if strings.HasSuffix(route, "/comments") {
					roles = roles[:1] // the board may not read comments at all
				}
				for _, role := range roles {
					rec := m.do(t, role, "GET", path+"?confidence="+url.QueryEscape(conf))
					if rec.Code != http.StatusUnprocessableEntity {
						t.Fatalf("as %s %s?confidence=%s: %d, want 422 (%s)", role, path, conf, rec.Code, firstLine(rec.Body.String()))
					}
					if !strings.Contains(strings.ToLower(rec.Body.String()), "confidence") {
						t.Errorf("as %s the answer does not name the confidence: %s", role, firstLine(rec.Body.String()))
					}
				}
			})
		}
	}
	many := func(n int, sep string) string {
		return strings.Repeat("where=team%3Dx"+sep, n-1) + "period=month"
	}
	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"10,000 parameters", many(10000, "&"), http.StatusOK},
		{"10,001 parameters", many(10001, "&"), http.StatusBadRequest},
		{"10,001 semicolon parameters", many(10001, ";"), http.StatusBadRequest},
		{"100,000 empty parameters", strings.Repeat("&", 100000), http.StatusBadRequest},
	} {
		for _, route := range []string{"/api/v1/surveys/{slug}/report", "/surveys/{slug}", "/login", "/healthz"} {
			path := strings.NewReplacer("{slug}", m.slug).Replace(route)
			t.Run(tc.name+" "+route, func(t *testing.T) {
				rec := m.do(t, "admin", "GET", path+"?"+tc.query)
				if tc.want == http.StatusOK {
					if rec.Code == http.StatusBadRequest {
						t.Fatalf("%s: refused %d: %s", path, rec.Code, firstLine(rec.Body.String()))
					}
					return
				}
				if rec.Code != tc.want || !strings.Contains(rec.Body.String(), "10,000") {
					t.Fatalf("%s: %d, want %d with a message naming the limit: %s", path, rec.Code, tc.want, firstLine(rec.Body.String()))
				}
			})
		}
	}
	t.Run("form of 10,001 parameters", func(t *testing.T) {
		body := "email=a%40b.example&password=x&" + strings.Repeat("next=%2F&", 10000)
		req := httptestForm(t, "/login", body)
		rec := doReq(m.h, req)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "10,000") {
			t.Fatalf("POST /login with 10,002 fields: %d, want 400: %s", rec.Code, firstLine(rec.Body.String()))
		}
	})
}

// httptestForm is a POST of an URL-encoded form body.
func httptestForm(t testing.TB, path, body string) *http.Request {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
