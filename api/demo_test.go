package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
)

// TestDemoSurvey loads the demo survey from the empty home page, then
// checks that it is offered only while heard holds no survey.
func TestDemoSurvey(t *testing.T) {
	srv, h := newTestServer(t)
	home := get(t, h, "/").Body.String()
	if !strings.Contains(home, `<form id="demo-form" method="post" action="/demo">`) || !strings.Contains(home, "Load a demo survey") {
		t.Fatalf("the empty home page does not offer the demo survey:\n%s", home)
	}
	rec := do(t, h, "POST", "/demo", nil, "")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /demo: %d %s", rec.Code, rec.Body)
	}
	dashboard := rec.Header().Get("Location")
	list, err := srv.store.Surveys(context.Background())
	if err != nil || len(list) != 1 || list[0].Name != demoSurvey || list[0].Responses != demoResponses {
		t.Fatalf("surveys after the demo: %+v, %v", list, err)
	}
	s := list[0]
	if s.FirstDate < "2023-04-01" || s.FirstDate > "2023-04-30" || s.LastDate < "2025-03-01" || s.LastDate > "2025-03-31" {
		t.Errorf("the demo spans %s to %s, not two financial years", s.FirstDate, s.LastDate)
	}
	page := get(t, h, dashboard).Body.String()
	for _, want := range []string{`id="headline-figure"`, `id="chart-trend"`, "Overall, how satisfied"} {
		if !strings.Contains(page, want) {
			t.Errorf("the demo's dashboard lacks %q", want)
		}
	}
	if home := get(t, h, "/").Body.String(); strings.Contains(home, "demo-form") {
		t.Error("the demo survey is still offered once loaded")
	}
	if again := do(t, h, "POST", "/demo", nil, ""); again.Code != http.StatusSeeOther || again.Header().Get("Location") != dashboard {
		t.Errorf("a second POST /demo: %d %q, want the same dashboard", again.Code, again.Header().Get("Location"))
	}
	imports, _ := srv.store.Imports(context.Background(), 0)
	if len(imports) != 1 || imports[0].By != "demo" {
		t.Errorf("imports after two clicks: %+v", imports)
	}
}

func TestDemoRefusedWhenSurveysExist(t *testing.T) {
	srv, h := newTestServer(t)
	if _, err := ingest.ImportFile(context.Background(), srv.store, fixture("smartsurvey-small.csv"), "s.csv", ingest.ImportParams{Survey: "Mine"}); err != nil {
		t.Fatal(err)
	}
	rec := do(t, h, "POST", "/demo", nil, "")
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "already holds surveys") {
		t.Fatalf("POST /demo with a survey: %d %s", rec.Code, rec.Body)
	}
	if list, _ := srv.store.Surveys(context.Background()); len(list) != 1 {
		t.Errorf("the demo was added beside a real survey: %+v", list)
	}
}
