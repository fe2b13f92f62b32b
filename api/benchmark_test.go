package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
)

// ascofExcerpt is the CSV excerpt of NHS Digital's 2020-21 ASCOF file:
// 3A for the Yorkshire and The Humber councils (Kirklees published 66.7,
// base 490, margin of error 4.1; Barnsley suppressed), and every region and
// England (all suppressed in 2020-21).
var ascofExcerpt = fixture("meas-from-asc-of-eng-2021-open-data-excerpt.csv")

// loadBenchmarks imports the excerpt into the fixture's store.
func (m matrixFixture) loadBenchmarks(t testing.TB) {
	t.Helper()
	rep, err := ingest.ImportBenchmarkFile(t.Context(), m.srv.store, ascofExcerpt, "excerpt.csv",
		ingest.BenchmarkParams{Year: "2020-21", By: analytics.CommandLine("test")})
	if err != nil || rep.Refused() {
		t.Fatalf("import the ASCOF excerpt: %v %+v", err, rep)
	}
}

// choose makes code the council, as an admin would.
func (m matrixFixture) choose(t testing.TB, code string) {
	t.Helper()
	if _, err := report.ChooseCouncil(t.Context(), m.srv.store, code, "", analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
}

// TestBenchmarkPanel checks the "Beside England" panel of a survey's first
// page, as staff and as the board see it: the survey's own headline figure
// with its base and interval, the council's published 3A value with its
// base and margin of error, the region's and England's (suppressed in
// 2020-21, which the panel says plainly), and the note that these are not
// like for like.
func TestBenchmarkPanel(t *testing.T) {
	m := newMatrixFixture(t)
	dashboard := "/surveys/" + m.slug
	if page := m.do(t, "analyst", "GET", dashboard).Body.String(); findID(t, page, "beside") != nil {
		t.Fatal("a panel with no council chosen and no figures loaded")
	}
	m.loadBenchmarks(t)
	if page := m.do(t, "analyst", "GET", dashboard).Body.String(); findID(t, page, "beside") != nil {
		t.Fatal("a panel with no council chosen")
	}
	m.choose(t, "E08000034")
	for _, role := range []string{"analyst", "viewer", "board"} {
		t.Run(role, func(t *testing.T) {
			rec := m.do(t, role, "GET", dashboard)
			page := rec.Body.String()
			if rec.Code != http.StatusOK || findID(t, page, "beside") == nil {
				t.Fatalf("%d: no panel", rec.Code)
			}
			checkPage(t, role+" dashboard", page)
			own := textOf(t, page, "beside-own")
			headline := textOf(t, page, "headline-figure")
			value := strings.Fields(headline)[0]
			if !strings.HasSuffix(value, "%") || !strings.Contains(own, value) || !strings.Contains(own, "Overall, how satisfied") {
				t.Errorf("the survey's own row %q does not carry the headline %q", own, headline)
			}
			detail := textOf(t, page, "headline-detail")
			for _, part := range ownParts(t, page) {
				if !strings.Contains(detail, part) {
					t.Errorf("the own row's %q is not the headline's (%q)", part, detail)
				}
			}
			council := textOf(t, page, "beside-council")
			for _, want := range []string{"Kirklees", "ASCOF 3A", "2020-21", "66.7%", "490", "±4.1 points", "62.6% to 70.8%"} {
				if !strings.Contains(council, want) {
					t.Errorf("council row %q lacks %q", council, want)
				}
			}
			for _, id := range []string{"beside-region", "beside-england"} {
				if row := textOf(t, page, id); !strings.Contains(row, "Not published") || strings.Contains(row, "%") {
					t.Errorf("%s: %q; the file suppresses it", id, row)
				}
			}
			if !strings.Contains(textOf(t, page, "beside-region"), "Yorkshire and The Humber") {
				t.Errorf("region row: %q", textOf(t, page, "beside-region"))
			}
			if note := textOf(t, page, "beside-note"); note != besideNote {
				t.Errorf("note %q", note)
			}
		})
	}

	m.choose(t, "204") // Barnsley: no published 3A in 2020-21
	page := m.do(t, "board", "GET", dashboard).Body.String()
	if row := textOf(t, page, "beside-council"); !strings.Contains(row, "Not published: NHS Digital’s 2020-21 figures mark Barnsley’s as not available or suppressed.") {
		t.Errorf("a suppressed council: %q", row)
	}

	// A headline that is not about satisfaction has no national figure beside it.
	var qs SurveyQuestionsJSON
	json.Unmarshal(m.do(t, "admin", "GET", "/api/v1/surveys/"+m.slug+"/questions").Body.Bytes(), &qs)
	other := false
	for _, q := range qs.Questions {
		if q.Kind == analytics.KindScale && headlinePreference(q.Text) < 2 {
			page := m.do(t, "analyst", "GET", dashboard+"?question="+url.QueryEscape(q.Code)).Body.String()
			if !strings.Contains(textOf(t, page, "headline-heading"), q.Text) || findID(t, page, "beside") != nil {
				t.Errorf("headline %q: a national satisfaction figure beside it", q.Text)
			}
			other = true
			break
		}
	}
	if !other {
		t.Error("the demo survey has no scale question other than satisfaction to lead with")
	}
}

// ownParts are the base and interval the panel's own row shows.
func ownParts(t testing.TB, page string) []string {
	t.Helper()
	n := findID(t, page, "beside-own")
	if n == nil {
		t.Fatal("no own row")
	}
	var cells []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "td" {
			text := ""
			if c.FirstChild != nil && c.FirstChild.Type == html.TextNode {
				text = strings.TrimSpace(c.FirstChild.Data)
			}
			cells = append(cells, text)
		}
	}
	if len(cells) != 5 {
		t.Fatalf("own row cells %q", cells)
	}
	return []string{cells[2], cells[4]} // base, interval
}

// TestAPIBenchmarks checks GET /api/v1/benchmarks: the rows as `heard
// benchmark list --json` gives them, open to the board, null where
// suppressed, and clear 422s for a request that does not fit.
func TestAPIBenchmarks(t *testing.T) {
	m := newMatrixFixture(t)
	if rec := m.do(t, "board", "GET", "/api/v1/benchmarks?measure=3A"); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "no ASCOF figures are loaded yet") {
		t.Errorf("before any import: %d %s", rec.Code, rec.Body)
	}
	m.loadBenchmarks(t)
	rec := m.do(t, "board", "GET", "/api/v1/benchmarks?measure=3A&level=council")
	var rows []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &rows); rec.Code != http.StatusOK || err != nil || len(rows) != 15 {
		t.Fatalf("%d %v: %s", rec.Code, err, rec.Body)
	}
	var kirklees, barnsley map[string]any
	for _, r := range rows {
		switch r["name"] {
		case "Kirklees":
			kirklees = r
		case "Barnsley":
			barnsley = r
		}
	}
	if kirklees["code"] != "E08000034" || kirklees["nhs_code"] != "211" || kirklees["outcome"] != 66.7 || kirklees["base"] != 490.0 ||
		kirklees["margin_of_error"] != 4.1 || kirklees["level"] != "council" || kirklees["year"] != "2020-21" {
		t.Errorf("Kirklees: %v", kirklees)
	}
	if v, ok := barnsley["outcome"]; !ok || v != nil {
		t.Errorf("Barnsley's suppressed outcome must be null: %v", barnsley)
	}
	for query, want := range map[string]string{
		"":                         "measure is missing",
		"?measure=3A&level=ward":   `level \"ward\" is not a level of area`,
		"?measure=3A&year=2020":    `year \"2020\" is not a financial year`,
		"?measure=9Z":              "measure 9Z is not in the ASCOF figures loaded",
		"?measure=3A&year=2019-20": "year 2019-20: no ASCOF figures are loaded for it (loaded: 2020-21)",
	} {
		rec := m.do(t, "viewer", "GET", "/api/v1/benchmarks"+query)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d %s; want 422 with %q", query, rec.Code, rec.Body, want)
		}
	}
	rec = m.do(t, "viewer", "GET", "/api/v1/benchmarks?measure=3A&disaggregation=Female")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("a disaggregation the measure lacks: %d %s", rec.Code, rec.Body)
	}
}

// TestAdminBenchmarkPage checks the admin's page: the years loaded, the
// form listing the councils, choosing one (its region from heard's
// lookup), a choice that does not fit, and clearing it.
func TestAdminBenchmarkPage(t *testing.T) {
	m := newMatrixFixture(t)
	page := m.do(t, "admin", "GET", "/admin/benchmark").Body.String()
	if !strings.Contains(textOf(t, page, "benchmark-none"), "No national figures are loaded") || findID(t, page, "benchmark-form") != nil {
		t.Fatalf("empty: %s", textOf(t, page, "main"))
	}
	m.loadBenchmarks(t)
	page = m.do(t, "admin", "GET", "/admin/benchmark").Body.String()
	checkPage(t, "admin benchmark", page)
	if years := textOf(t, page, "benchmark-years"); !strings.Contains(years, "2020-21 excerpt.csv 161") {
		t.Errorf("years: %q", years)
	}
	if opts := optionsOf(t, page, "b-council"); len(opts) != 16 {
		t.Errorf("the council list has %d options, want the 16 councils of the excerpt", len(opts))
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/admin/benchmark", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+m.tokens["admin"])
		rec := httptest.NewRecorder()
		m.h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(url.Values{"council": {"E08000034"}, "region": {""}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("choose Kirklees: %d %s", rec.Code, rec.Body)
	}
	page = m.do(t, "admin", "GET", "/admin/benchmark?saved=1").Body.String()
	if c := textOf(t, page, "benchmark-council"); !strings.Contains(c, "Kirklees (E08000034) with Yorkshire and The Humber (E12000003, the council’s own region)") {
		t.Errorf("after choosing: %q", c)
	}
	if rec := post(url.Values{"council": {"Nowhere"}}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "is not a council in the ASCOF figures loaded") {
		t.Errorf("a council not in the figures: %d", rec.Code)
	}
	if rec := post(url.Values{"clear": {"1"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("clear: %d", rec.Code)
	}
	if _, ok, _ := m.srv.store.BenchmarkCouncil(t.Context()); ok {
		t.Error("the council is still chosen after clearing")
	}
	if rec := m.do(t, "analyst", "GET", "/admin/benchmark"); rec.Code != http.StatusForbidden {
		t.Errorf("an analyst: %d", rec.Code)
	}
}
