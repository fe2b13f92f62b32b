package api

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/dashboards"
)

// The quote and owner of the action the page tests record: personal
// details redact.Text takes out (a phone number, an email address, a name
// after "thank you to"), and a name that only staff may read.
const (
	actionQuote = "Nobody rang back; thank you to Julie, call me on 07700 900123 or mail jo.bloggs@example.com"
	actionOwner = "Sam Patel"
)

// actionsFixture is the comments fixture's survey (70 responses, one a
// day from 1 January 2024) with one action on its scale question, done on
// 15 February 2024 and compared over one month: January (31 answers, 7
// "Very satisfied", which is what the question's ASCOF metric counts: the
// responses i = 0..30 whose i mod 5 is 0) against March (10 answers,
// i = 60..69, 2 of them). Staff see both; under heard's rule a count of 2
// is not published, so the board sees no figures.
type actionsFixture struct {
	commentsFixture
	base string
	id   int64
}

func newActionsFixture(t *testing.T) actionsFixture {
	t.Helper()
	f := actionsFixture{commentsFixture: newCommentsFixture(t, 70)}
	f.base = "/surveys/" + f.slug
	form := url.Values{"question": {f.scale}, "said": {"People waited too long for a call back, as Mrs Bloggs told us"},
		"quote": {actionQuote}, "did": {"A duty worker rings back the same day"}, "owner": {actionOwner},
		"agreed": {"2024-02-01"}, "done": {"2024-02-15"}, "status": {"done"}, "months": {"1"}}
	rec := f.post(t, analytics.RoleAnalyst, f.base+"/actions", form)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, f.base+"/actions#action-") {
		t.Fatalf("POST the action form: %d %s %s", rec.Code, loc, firstLine(rec.Body.String()))
	}
	f.id, _ = strconv.ParseInt(strings.TrimPrefix(loc, f.base+"/actions#action-"), 10, 64)
	return f
}

// post sends a form as role.
func (f actionsFixture) post(t testing.TB, role analytics.UserRole, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	return doReq(f.h, req)
}

// list reads the actions API as role.
func (f actionsFixture) list(t testing.TB, role analytics.UserRole, query string) ([]action.JSON, string) {
	t.Helper()
	rec := f.as(t, role, "/api/v1/surveys/"+f.slug+"/actions"+query)
	var list []action.JSON
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &list) != nil || len(list) != 1 {
		t.Fatalf("the actions API as %s: %d %s", role, rec.Code, rec.Body)
	}
	return list, rec.Body.String()
}

func TestActionsPageByRole(t *testing.T) {
	f := newActionsFixture(t)
	redacted := []string{"07700 900123", "jo.bloggs@example.com", "Julie"}
	// What staff wrote is redacted for the board only.
	const named = "as Mrs Bloggs told us"
	tests := []struct {
		role analytics.UserRole
		// asWritten: the quote as written; owner: the owner's name shown;
		// form: the forms to record, change and delete.
		asWritten, owner, form bool
	}{
		{analytics.RoleBoard, false, false, false},
		{analytics.RoleViewer, false, true, false},
		{analytics.RoleAnalyst, true, true, true},
		{analytics.RoleAdmin, true, true, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			rec := f.as(t, tt.role, f.base+"/actions")
			page := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("GET: %d %s", rec.Code, firstLine(page))
			}
			checkPage(t, "actions as "+string(tt.role), page)
			for _, s := range []string{"People waited too long for a call back", "A duty worker rings back the same day",
				`id="effect-` + strconv.FormatInt(f.id, 10) + `"`} {
				if !strings.Contains(page, s) {
					t.Errorf("the page does not say %q", s)
				}
			}
			for _, s := range redacted {
				if strings.Contains(page, s) != tt.asWritten {
					t.Errorf("the page says %q: %v, want %v", s, !tt.asWritten, tt.asWritten)
				}
			}
			if !tt.asWritten && !strings.Contains(page, "[phone]") {
				t.Errorf("the redacted quote is not on the page")
			}
			if board := tt.role == analytics.RoleBoard; strings.Contains(page, named) == board || strings.Contains(page, "as Mrs [name] told us") != board {
				t.Errorf("what people said, with a name in it, as the page shows it to %s", tt.role)
			}
			if strings.Contains(page, actionOwner) != tt.owner {
				t.Errorf("the owner's name shown: %v, want %v", !tt.owner, tt.owner)
			}
			if strings.Contains(page, `id="action-form"`) != tt.form || strings.Contains(page, `class="delete-action"`) != tt.form {
				t.Errorf("forms shown: %v, want %v", !tt.form, tt.form)
			}
			list, raw := f.list(t, tt.role, "")
			for _, s := range redacted {
				if strings.Contains(raw, s) != tt.asWritten {
					t.Errorf("the API says %q: %v, want %v", s, !tt.asWritten, tt.asWritten)
				}
			}
			if strings.Contains(raw, `"owner"`) != tt.owner || strings.Contains(raw, "analyst-comments@example.org") != tt.owner {
				t.Errorf("the API names the owner or the account: %v, want %v: %s", !tt.owner, tt.owner, raw)
			}
			if strings.Contains(raw, named) == (tt.role == analytics.RoleBoard) {
				t.Errorf("the API's said for %s: %q", tt.role, list[0].Said)
			}
			if list[0].QuoteRedacted == tt.asWritten {
				t.Errorf("quote_redacted = %v", list[0].QuoteRedacted)
			}
		})
	}
}

func TestActionsEffectStaffAndBoard(t *testing.T) {
	f := newActionsFixture(t)
	staff, _ := f.list(t, analytics.RoleViewer, "")
	a := staff[0]
	if a.Before == nil || *a.Before.N != 31 || *a.Before.Positive != 7 || a.Before.From != "2024-01-01" || a.Before.To != "2024-01-31" ||
		a.After == nil || *a.After.N != 10 || *a.After.Positive != 2 || a.After.From != "2024-03-01" || a.After.To != "2024-03-31" {
		t.Fatalf("staff effect %+v %+v, want 7 of 31 in January and 2 of 10 in March", a.Before, a.After)
	}
	low, high := analytics.DifferenceInterval(2, 10, 7, 31, 0.95)
	_, p := analytics.TwoProportionZ(2, 10, 7, 31)
	if math.Abs(*a.Difference-(2.0/10-7.0/31)) > 1e-15 || *a.CILow != low || *a.CIHigh != high || *a.P != p || a.Effect != string(analytics.EffectNoClearChange) {
		t.Errorf("staff effect: difference %v (%v to %v), p %v, %s; want %v (%v to %v), p %v", *a.Difference, *a.CILow, *a.CIHigh, *a.P, a.Effect,
			2.0/10-7.0/31, low, high, p)
	}
	board, raw := f.list(t, analytics.RoleBoard, "")
	b := board[0]
	// January is published (7 of 31), March is not (2 of 10): no verdict,
	// and only January's figure, as the board's trend shows it.
	if b.Effect != string(analytics.EffectNotShown) || b.Before.N == nil || *b.Before.N != 31 || *b.Before.Positive != 7 ||
		b.After.N != nil || b.Difference != nil || b.P != nil || strings.Contains(raw, `"n":10`) || strings.Contains(raw, `"positive":2`) {
		t.Errorf("board effect %s: %s", b.Effect, raw)
	}
	// Staff asking for the board's view get the board's list.
	if preview, _ := f.list(t, analytics.RoleAdmin, "?board=1"); preview[0].Effect != b.Effect || preview[0].Owner != nil {
		t.Errorf("the board view asked for by staff: %+v", preview[0])
	}
}

func TestActionsCSVEqualsJSON(t *testing.T) {
	f := newActionsFixture(t)
	for _, role := range []analytics.UserRole{analytics.RoleAdmin, analytics.RoleViewer, analytics.RoleBoard} {
		t.Run(string(role), func(t *testing.T) {
			list, _ := f.list(t, role, "")
			rec := f.as(t, role, f.base+"/actions.csv")
			if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "-actions.csv") {
				t.Fatalf("CSV: %d %s", rec.Code, rec.Header())
			}
			rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("CSV %q: %v", rec.Body, err)
			}
			cell := map[string]string{}
			for i, h := range rows[0] {
				cell[h] = rows[1][i]
			}
			if _, has := cell["owner"]; has != (role != analytics.RoleBoard) {
				t.Errorf("owner column: %v", has)
			}
			a := list[0]
			num := func(v *float64) string { return dashboards.FloatCell(v, 6) }
			want := map[string]string{"id": strconv.FormatInt(a.ID, 10), "question": a.Question, "said": a.Said,
				"quote": dashboards.SafeCell(a.Quote), "did": a.Did, "done": a.Done, "status": a.Status, "months": strconv.Itoa(a.Months),
				"before_from": a.Before.From, "before_to": a.Before.To, "before_n": dashboards.IntCell(a.Before.N),
				"before_positive": dashboards.IntCell(a.Before.Positive), "before_rate": num(a.Before.Rate),
				"after_n": dashboards.IntCell(a.After.N), "after_rate": num(a.After.Rate), "difference": num(a.Difference),
				"ci_low": num(a.CILow), "ci_high": num(a.CIHigh), "effect": a.Effect, "effect_sentence": a.EffectSentence}
			if a.P != nil {
				want["p"] = strconv.FormatFloat(*a.P, 'g', 6, 64)
			}
			for k, v := range want {
				if cell[k] != v {
					t.Errorf("CSV %s = %q, JSON says %q", k, cell[k], v)
				}
			}
			if role != analytics.RoleBoard {
				if got, _ := strconv.ParseFloat(cell["difference"], 64); math.Abs(got-(2.0/10-7.0/31)) > 1e-6 {
					t.Errorf("CSV difference %s", cell["difference"])
				}
			}
		})
	}
}

func TestActionsFormRefusedAndChanged(t *testing.T) {
	f := newActionsFixture(t)
	bad := url.Values{"question": {f.scale}, "said": {"Something <b>bold</b>"}, "did": {"y"}, "done": {"2024-02-30"}, "status": {"done"}, "months": {"6"}}
	rec := f.post(t, analytics.RoleAnalyst, f.base+"/actions", bad)
	page := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "Nothing was saved") ||
		!strings.Contains(page, "Done &#34;2024-02-30&#34; is not a date") || !strings.Contains(page, "Something &lt;b&gt;bold&lt;/b&gt;") ||
		!strings.Contains(page, `name="done" type="date" value="2024-02-30" aria-invalid="true"`) {
		t.Fatalf("a bad day: %d %s", rec.Code, page)
	}
	checkPage(t, "refused form", page)
	if list, _ := f.list(t, analytics.RoleAdmin, ""); len(list) != 1 {
		t.Fatalf("a refused form stored an action")
	}
	// Viewers and the board may not write; an analyst of another survey may not either.
	for _, role := range []analytics.UserRole{analytics.RoleViewer, analytics.RoleBoard} {
		if rec := f.post(t, role, f.base+"/actions", bad); rec.Code != http.StatusForbidden {
			t.Errorf("POST as %s: %d", role, rec.Code)
		}
	}
	other := createAccount(t, f.srv.store, "other-analyst@example.org", analytics.RoleAnalyst)
	req := httptest.NewRequest("POST", f.base+"/actions/"+strconv.FormatInt(f.id, 10)+"/delete", nil)
	req.Header.Set("Authorization", "Bearer "+other.token)
	if rec := doReq(f.h, req); rec.Code != http.StatusForbidden {
		t.Errorf("delete by an analyst who is not a member: %d", rec.Code)
	}

	edit := f.base + "/actions/" + strconv.FormatInt(f.id, 10) + "/edit"
	if rec := f.as(t, analytics.RoleAnalyst, edit); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), actionQuote) {
		t.Fatalf("the edit form: %d", rec.Code)
	}
	changed := url.Values{"question": {f.scale}, "said": {"People waited too long"}, "did": {"Same-day call backs"},
		"done": {"2024-02-15"}, "status": {"done"}, "months": {"2"}}
	if rec := f.post(t, analytics.RoleAnalyst, edit, changed); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	list, raw := f.list(t, analytics.RoleAdmin, "")
	if list[0].Did != "Same-day call backs" || list[0].Months != 2 || list[0].Quote != "" || *list[0].Owner != "" ||
		list[0].Before.From != "2023-12-01" {
		t.Errorf("after the edit: %s", raw)
	}
	if rec := f.post(t, analytics.RoleAnalyst, f.base+"/actions/"+strconv.FormatInt(f.id, 10)+"/delete", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	if rec := f.as(t, analytics.RoleAdmin, "/api/v1/surveys/"+f.slug+"/actions"); strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("after delete: %s", rec.Body)
	}
}

func TestActionsMarkTrends(t *testing.T) {
	f := newActionsFixture(t)
	for _, role := range []analytics.UserRole{analytics.RoleViewer, analytics.RoleBoard} {
		for _, path := range []string{f.base + "/questions/" + f.scale, f.base} {
			page := f.as(t, role, path).Body.String()
			js := between(page, `data-chart-for="chart-trend">`, `</script>`)
			if !strings.Contains(js, `"markLine":{`) || !strings.Contains(js, `"name":"Action: A duty worker rings`) ||
				!strings.Contains(js, `"xAxis":"Feb 2024"`) {
				t.Errorf("%s as %s: the trend chart marks no action: %.400s", path, role, js)
			}
		}
	}
	nav := f.as(t, analytics.RoleBoard, f.base).Body.String()
	if !strings.Contains(between(nav, `id="survey-nav"`, `</nav>`), `/actions`) {
		t.Errorf("the survey's navigation does not link the actions page")
	}
}
