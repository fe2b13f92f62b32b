package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"

	"github.com/heard-council/heard/analytics"
)

// TestBoardCannotLowerItsThresholds: a board member's request for lower
// thresholds (min_base=1 was honoured and showed a base of 9), a date range,
// a filter or partial responses is answered with the survey's publication
// under its policy, on every board output.
func TestBoardCannotLowerItsThresholds(t *testing.T) {
	m := newMatrixFixture(t)
	for _, query := range []string{
		"min_base=1",
		"min_base=1&small_count=1&all_or_none_base=1&board=0",
		"min_base=1&by=team&period=all",
		"min_base=1&where=team%3DReablement&from=2024-05-01&to=2024-05-02&include_partial=1",
	} {
		rec := m.do(t, "board", "GET", "/api/v1/surveys/"+m.slug+"/report?question=i_was_listened_to&"+query)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", query, rec.Code, rec.Body)
		}
		var rep report.JSON
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		want := analytics.PolicyHeard.Disclosure().WithDefaults()
		if !rep.Board || rep.Disclosure != want {
			t.Errorf("%s: board %v under %+v, want the heard policy %+v", query, rep.Board, rep.Disclosure, want)
		}
		if rep.From != "" || rep.To != "" || len(rep.Where) > 0 || rep.IncludePartial || rep.Period != analytics.PeriodMonth {
			t.Errorf("%s: the board's report kept the request's dates, filters or period: %+v", query, rep)
		}
		shown := 0
		for _, r := range rep.Rows {
			if r.Suppressed || r.N == nil || *r.N == 0 {
				continue
			}
			shown++
			if *r.N < 10 || *r.Positive > 0 && *r.Positive < 5 || *r.N-*r.Positive > 0 && *r.N-*r.Positive < 5 {
				t.Errorf("%s: the board sees %d of %d in %s %q", query, *r.Positive, *r.N, r.Period, r.Group)
			}
		}
		if shown == 0 {
			t.Errorf("%s: the board sees no figure at all: the check proves nothing", query)
		}
	}
	// The trend CSV and the pages take no threshold from the address either.
	rec := m.do(t, "board", "GET", "/api/v1/surveys/"+m.slug+"/trends.csv?min_base=1&by=team")
	recs, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil || rec.Code != 200 {
		t.Fatalf("trend CSV: %d %v", rec.Code, err)
	}
	for _, r := range recs[1:] {
		if n, err := strconv.Atoi(r[6]); err == nil && n > 0 && n < 10 {
			t.Errorf("the board's trend CSV shows a base of %d: %q", n, r)
		}
	}
	page := m.do(t, "board", "GET", "/surveys/"+m.slug+"?min_base=1&where=team%3DReablement").Body.String()
	for _, want := range []string{`id="board-rule"`, "heard&#39;s rule", `id="board-period"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the board's dashboard lacks %s", want)
		}
	}
	if strings.Contains(page, `name="min_base"`) || strings.Contains(page, `name="where"`) || strings.Contains(page, `name="from"`) {
		t.Error("the board's dashboard offers thresholds, filters or dates")
	}
}

// TestBoardAnswerSharesAndTrendAgree: on a small SmartSurvey yes/no
// question the board's answer-share table hid May and June 2024 while the
// trend table beside it showed a base of 12 with 11 positive, so the one
// "No" was plain to see. Now no period the board sees a figure for has 1
// to 4 answers that are not positive, and a period whose answer shares
// are hidden has its figure hidden too, on every question of the file.
func TestBoardAnswerSharesAndTrendAgree(t *testing.T) {
	f := newPagesFixture(t)
	board := createAccount(t, f.srv.store, "board-shares@example.org", analytics.RoleBoard)
	h := withToken{h: f.srv.Handler(), token: board.token}
	rec := get(t, h, "/api/v1/surveys/"+f.real+"/questions")
	var qs SurveyQuestionsJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &qs); err != nil {
		t.Fatalf("%v %s", err, rec.Body)
	}
	checked := 0
	for _, q := range qs.Questions {
		if q.Kind != analytics.KindScale {
			continue
		}
		rec := get(t, h, "/api/v1/surveys/"+f.real+"/report?question="+url.QueryEscape(q.Code))
		if rec.Code != 200 {
			continue // no default figure
		}
		var rep report.JSON
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		page := get(t, h, "/surveys/"+f.real+"/questions/"+url.PathEscape(q.Code)).Body.String()
		for _, r := range rep.Rows {
			if r.Group != analytics.AllGroup {
				continue
			}
			checked++
			if !r.Suppressed && r.Positive != nil {
				if rest := *r.N - *r.Positive; rest > 0 && rest < 5 {
					t.Errorf("%s %s: the board sees %d of %d positive, so %d other answers", q.Code, r.Period, *r.Positive, *r.N, rest)
				}
			}
			if !strings.Contains(page, "Suppressed: too few answers to publish") && r.Suppressed {
				t.Errorf("%s %s: the figure is hidden but the page hides no answer shares", q.Code, r.Period)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no question of the SmartSurvey export was checked")
	}
}

// TestAdminSetsTheBoardPublication: the retention page's form sets a
// survey's disclosure policy and period, audited, and the board's next
// report follows them.
func TestAdminSetsTheBoardPublication(t *testing.T) {
	m := newMatrixFixture(t)
	sv, err := m.srv.store.SurveyBySlug(t.Context(), m.slug)
	if err != nil {
		t.Fatal(err)
	}
	page := m.do(t, "admin", "GET", "/admin/retention").Body.String()
	if !strings.Contains(page, `<option value="heard" selected>`) || !strings.Contains(page, `name="policy"`) {
		t.Fatal("the retention page has no board publication form")
	}
	form := url.Values{"survey": {strconv.FormatInt(sv.ID, 10)}, "policy": {"nhs-digital"}, "period": {"quarter"}}
	req := httptest.NewRequest("POST", "/admin/disclosure", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+m.tokens["admin"])
	if rec := doReq(m.h, req); rec.Code != 303 {
		t.Fatalf("POST /admin/disclosure: %d %s", rec.Code, rec.Body)
	}
	rec := m.do(t, "board", "GET", "/api/v1/surveys/"+m.slug+"/report?question=i_was_listened_to&period=month")
	var rep report.JSON
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Disclosure.Policy != analytics.PolicyNHSDigital || rep.Period != analytics.PeriodQuarter {
		t.Fatalf("the board's report is under %s by %s", rep.Disclosure.Policy, rep.Period)
	}
	for _, r := range rep.Rows {
		if !r.Suppressed && r.N != nil && (*r.N%5 != 0 || *r.Positive%5 != 0) {
			t.Errorf("nhs-digital shows an unrounded count: %+v", r)
		}
	}
	form.Set("policy", "lenient")
	req = httptest.NewRequest("POST", "/admin/disclosure", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+m.tokens["admin"])
	if rec := doReq(m.h, req); rec.Code < 400 || rec.Code >= 500 {
		t.Errorf("an unknown policy: %d, want a 4xx page", rec.Code)
	}
}

// TestBoardSeesNoRawCounts: the list of surveys gives the board the
// survey's published figures, not its raw count of responses and imports
// or the days of its first and latest response.
func TestBoardSeesNoRawCounts(t *testing.T) {
	m := newMatrixFixture(t)
	body := m.do(t, "board", "GET", "/api/v1/surveys").Body.String()
	for _, field := range []string{`"responses"`, `"imports"`, `"first_date"`, `"last_date"`} {
		if strings.Contains(body, field) {
			t.Errorf("the board's list of surveys has %s: %s", field, body)
		}
	}
	if !strings.Contains(m.do(t, "admin", "GET", "/api/v1/surveys").Body.String(), `"responses"`) {
		t.Error("staff lost the count of responses")
	}
	page := m.do(t, "board", "GET", "/").Body.String()
	if !strings.Contains(page, `<td class="num">–</td><td class="nowrap">–</td>`) {
		t.Error("the board's home page shows the count of responses or the latest day")
	}
}

// TestWrittenGroupNamesNeverReachTheBoard: a breakdown column where people
// wrote sentences ("My carer Jane Smith at 4 Elm Road...") never shows them
// to the board, as a group name of a report, a trend CSV, the equality
// page or a question page, even on rows whose figures are hidden.
func TestWrittenGroupNamesNeverReachTheBoard(t *testing.T) {
	srv, _ := newTestServer(t)
	board := createAccount(t, srv.store, "board-written@example.org", analytics.RoleBoard)
	var b strings.Builder
	b.WriteString("Response ID,Date submitted,Team,Overall satisfaction\n")
	teams := []string{"North", "South", "My carer Jane Smith at 4 Elm Road was late again, twice."}
	for i := range 90 {
		fmt.Fprintf(&b, "R%d,%02d/05/2024,\"%s\",%s\n", i, 1+i%28, teams[i%3], []string{"Very satisfied", "Fairly satisfied", "Very dissatisfied"}[i%3])
	}
	path := filepath.Join(t.TempDir(), "written.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, err := ingest.ImportFile(t.Context(), srv.store, path, "written.csv", ingest.ImportParams{Survey: "Written"}); err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(t.Context(), "Written")
	if err != nil {
		t.Fatal(err)
	}
	h := withToken{h: srv.Handler(), token: board.token}
	base := "/surveys/" + sv.Slug
	for _, path := range []string{
		"/api/v1/surveys/" + sv.Slug + "/report?question=overall_satisfaction&by=team",
		"/api/v1/surveys/" + sv.Slug + "/report?by=team",
		"/api/v1/surveys/" + sv.Slug + "/trends.csv?by=team",
		"/api/v1/surveys/" + sv.Slug + "/questions",
		base, base + "/equality", base + "/questions", base + "/questions/overall_satisfaction?by=team",
		base + "/equality.xlsx", base + "/questions/overall_satisfaction/tables.xlsx?by=team",
	} {
		rec := get(t, h, path)
		if rec.Code >= 500 {
			t.Errorf("%s: %d", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "Jane Smith") {
			t.Errorf("%s (%d) shows the board what someone wrote", path, rec.Code)
		}
	}
}

// TestBoardPolicyChangeIsSeenAtOnce: reports are cached, but a board
// report made under one policy is never served after the survey moves to
// a stricter one.
func TestBoardPolicyChangeIsSeenAtOnce(t *testing.T) {
	m := newMatrixFixture(t)
	sv, err := m.srv.store.SurveyBySlug(t.Context(), m.slug)
	if err != nil {
		t.Fatal(err)
	}
	policyOf := func() analytics.Policy {
		rec := m.do(t, "board", "GET", "/api/v1/surveys/"+m.slug+"/report?question=i_was_listened_to&by=team")
		var rep report.JSON
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("%v %s", err, rec.Body)
		}
		return rep.Disclosure.Policy
	}
	for _, p := range []analytics.Policy{analytics.PolicyNHSFFT, analytics.PolicyHeard, analytics.PolicyNHSDigital, analytics.PolicyHeard} {
		if err := m.srv.store.SetPublication(t.Context(), sv.Name, analytics.Publication{Policy: p, Period: analytics.PeriodMonth},
			analytics.CommandLine("test")); err != nil {
			t.Fatal(err)
		}
		if got := policyOf(); got != p {
			t.Fatalf("after setting %s the board's report is under %s", p, got)
		}
	}
}
