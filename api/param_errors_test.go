package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// TestHTTPErrorsNameParametersNotFlags: a report's errors name the
// command line's flags there (--period) and the query's parameters over
// HTTP (period), from one message; no error seen over HTTP names a flag.
func TestHTTPErrorsNameParametersNotFlags(t *testing.T) {
	f := newPagesFixture(t)
	api := "/api/v1/surveys/" + f.demo + "/report?"
	page := "/surveys/" + f.demo + "?"
	for _, q := range []string{
		"period=weekly", "from=2025-05-01&to=2024-01-01", "from=yesterday", "by=shoe", "by=team&by=team",
		"where=nonsense", "where=shoe%3D9", "metric=nope", "question=nope", "confidence=7", "min_base=-3",
		"question=i_was_listened_to&where=i_was_listened_to%3DMaybe",
	} {
		paths := []string{api + q, page + q}
		if strings.HasPrefix(q, "by=") { // the dashboard has no breakdown
			paths = paths[:1]
		}
		for _, path := range paths {
			rec := get(t, f.h, path)
			if rec.Code != 422 {
				t.Errorf("%s: %d, want 422", path, rec.Code)
				continue
			}
			if body := rec.Body.String(); strings.Contains(body, "--") {
				t.Errorf("%s names a command-line flag: %.300s", path, body)
			}
		}
	}
	var e struct{ Error string }
	if err := json.Unmarshal(get(t, f.h, api+"period=weekly").Body.Bytes(), &e); err != nil || !strings.HasPrefix(e.Error, "period: ") {
		t.Errorf("the API's error is %q (%v), want it to start with the parameter", e.Error, err)
	}
	pe := analytics.ParamErrorf(`{from} 2025-05-01 is after {to} 2024-01-01; or lower {min-base}`)
	if pe.Param != "from" || pe.Flags() != "--from 2025-05-01 is after --to 2024-01-01; or lower --min-base" ||
		pe.Query() != "from 2025-05-01 is after to 2024-01-01; or lower min_base" {
		t.Errorf("param %q, flags %q, query %q", pe.Param, pe.Flags(), pe.Query())
	}
}
