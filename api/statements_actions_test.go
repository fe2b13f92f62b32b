package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
)

// TestStatementsActions: a statement lists the "you said, we did" actions
// linked to it and to the questions tagged with it, on its page and in its
// JSON; the board reads them redacted, never with an owner or a quote.
func TestStatementsActions(t *testing.T) {
	b := newBoardFixture(t)
	ctx := t.Context()
	sv, err := b.f.srv.store.SurveyBySlug(ctx, b.f.demo)
	if err != nil {
		t.Fatal(err)
	}
	by := analytics.CommandLine("test")
	byStatement, err := action.Save(ctx, b.f.srv.store, 0, action.Params{Survey: sv.Name, Statement: "cqc:assessing-needs",
		Said: "Assessments took too long, said Julie Marsh on 07700 900123", Did: "A second assessor in each team",
		Owner: "Priya Owner", Quote: "thank you to Julie", Done: "2024-09-15", Status: "done", Months: 3}, by, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byQuestion, err := action.Save(ctx, b.f.srv.store, 0, action.Params{Survey: sv.Name, Question: "I was listened to",
		Said: "People did not feel heard", Did: "Listening training for every social worker", Done: "2024-06-15", Status: "done"}, by, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := action.Save(ctx, b.f.srv.store, 0, action.Params{Survey: sv.Name, Statement: "cqc:safeguarding",
		Said: "Unrelated", Did: "Something else", Done: "2024-06-15", Status: "done"}, by, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := "/surveys/" + b.f.demo + "/statements?framework=cqc"
	staff := statementsJSON(t, b.f.h, "/api/v1"+path)
	ids := func(r StatementsJSON, id string) map[int64]StatementActionJSON {
		out := map[int64]StatementActionJSON{}
		for _, st := range r.Statements {
			if st.ID == id {
				for _, a := range st.Actions {
					out[a.ID] = a
				}
			}
		}
		return out
	}
	got := ids(staff, "assessing-needs")
	if len(got) != 2 || got[byStatement.ID].Did != "A second assessor in each team" || got[byQuestion.ID].Question == "" {
		t.Fatalf("assessing-needs lists %+v, want actions %d and %d", got, byStatement.ID, byQuestion.ID)
	}
	if _, ok := got[elsewhere.ID]; ok {
		t.Error("an action about safeguarding is listed under assessing needs")
	}
	if s := ids(staff, "safeguarding"); len(s) != 1 {
		t.Errorf("safeguarding lists %+v", s)
	}
	page := get(t, b.f.h, path)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Listening training for every social worker") {
		t.Fatalf("the statements page does not show the action: %d", page.Code)
	}

	for _, p := range []string{"/api/v1" + path, path} {
		rec := b.get(t, p)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("board %s: %d", p, rec.Code)
		}
		for _, secret := range []string{"Julie", "07700", "Priya Owner", "thank you to"} {
			if strings.Contains(body, secret) {
				t.Errorf("the board's %s holds %q", p, secret)
			}
		}
		if !strings.Contains(body, "A second assessor in each team") {
			t.Errorf("the board's %s does not list the action", p)
		}
	}
	var board StatementsJSON
	if err := json.Unmarshal(b.get(t, "/api/v1"+path).Body.Bytes(), &board); err != nil {
		t.Fatal(err)
	}
	if a := ids(board, "assessing-needs")[byStatement.ID]; !strings.Contains(a.Said, "[name]") || !strings.Contains(a.Said, "[phone]") {
		t.Errorf("the board reads what was said as %q, want it redacted", a.Said)
	}
}
