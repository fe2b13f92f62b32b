package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestSaveAction(t *testing.T) {
	s, _ := newTestStore(t)
	sv, _, _, _ := reportSurvey(t, s)
	ctx := context.Background()
	by := analytics.Actor{UserID: 3, Who: "analyst@council.example", From: "127.0.0.1"}
	a, err := s.SaveAction(ctx, analytics.Action{SurveyID: sv.ID, Question: "overall", Said: "  Hard to reach us ",
		Quote: "Ring Jo Bloggs on 07700 900123", Did: "A named worker for each person", Owner: "Sam Patel",
		Agreed: "2024-01-10", Done: "2024-02-15"}, by)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Question != "overall" || a.Said != "Hard to reach us" || a.Status != analytics.ActionDone ||
		a.Months != analytics.DefaultEffectMonths || a.CreatedBy != by.Who || a.CreatedAt.IsZero() ||
		a.Quote != "Ring Jo Bloggs on 07700 900123" || a.Owner != "Sam Patel" {
		t.Fatalf("saved action read back as %+v", a)
	}
	planned, err := s.SaveAction(ctx, analytics.Action{SurveyID: sv.ID, Statement: "cqc:assessing-needs",
		Said: "Waits too long", Did: "Extra assessors", Status: analytics.ActionPlanned}, by)
	if err != nil {
		t.Fatal(err)
	}

	// Editing replaces every field, blanks too, and keeps who created it.
	edit := a
	edit.Quote, edit.Owner, edit.Status, edit.Months = "", "", analytics.ActionInProgress, 3
	other := analytics.Actor{Who: "command line:ops", From: analytics.CommandLineSource}
	got, err := s.SaveAction(ctx, edit, other)
	if err != nil {
		t.Fatal(err)
	}
	if got.Quote != "" || got.Owner != "" || got.Status != analytics.ActionInProgress || got.Months != 3 ||
		got.CreatedBy != by.Who || got.UpdatedBy != other.Who {
		t.Fatalf("edited action read back as %+v", got)
	}

	list, err := s.Actions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != planned.ID || list[1].Statement != "cqc:assessing-needs" {
		t.Fatalf("actions = %+v, want the done one first, then the planned one", list)
	}

	events, err := s.AuditEvents(ctx, AuditQuery{OldestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range events {
		if strings.HasPrefix(string(e.Action), "action-") {
			seen = append(seen, string(e.Action)+": "+e.Detail)
			if strings.Contains(e.Detail, "Jo Bloggs") || strings.Contains(e.Detail, "Sam Patel") {
				t.Errorf("audit event %q holds the quote or owner", e.Detail)
			}
		}
	}
	want := []string{"action-add: question overall, status done, agreed 2024-01-10, done 2024-02-15",
		"action-add: statement cqc:assessing-needs, status planned", "action-edit: changed: quote, owner, status, months"}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit events:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}

	deleted, err := s.DeleteAction(ctx, a.ID, other)
	if err != nil || deleted.ID != a.ID {
		t.Fatalf("delete: %+v, %v", deleted, err)
	}
	if _, err := s.Action(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted action: error %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteAction(ctx, a.ID, other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting twice: error %v, want ErrNotFound", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM audit_events WHERE action = 'action-delete'"); n != 1 {
		t.Errorf("%d delete events, want 1", n)
	}
}

func TestSaveActionRefuses(t *testing.T) {
	s, _ := newTestStore(t)
	sv, _, _, _ := reportSurvey(t, s)
	ctx := context.Background()
	by := analytics.Actor{Who: "analyst", From: "test"}
	good := analytics.Action{SurveyID: sv.ID, Question: "overall", Said: "x", Did: "y", Done: "2024-02-15"}
	tests := []struct {
		name  string
		edit  func(a *analytics.Action)
		param string
	}{
		{"unknown question", func(a *analytics.Action) { a.Question = "nope" }, "question"},
		{"bad date", func(a *analytics.Action) { a.Done = "2024-13-01" }, "done"},
		{"done in the future", func(a *analytics.Action) { a.Done = "2999-01-01" }, "done"},
		{"nothing said", func(a *analytics.Action) { a.Said = "" }, "said"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.edit(&a)
			_, err := s.SaveAction(ctx, a, by)
			var pe *analytics.ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Fatalf("error %v, want a ParamError naming %q", err, tt.param)
			}
		})
	}
	if _, err := s.SaveAction(ctx, analytics.Action{SurveyID: 999, Theme: "t", Said: "x", Did: "y"}, by); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown survey: error %v, want ErrNotFound", err)
	}
	if _, err := s.SaveAction(ctx, analytics.Action{ID: 999, SurveyID: sv.ID, Theme: "t", Said: "x", Did: "y"}, by); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown action: error %v, want ErrNotFound", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM actions"); n != 0 {
		t.Errorf("%d actions stored after refusals, want 0", n)
	}
}

func TestActionOutlivesItsQuestion(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, _, _ := reportSurvey(t, s)
	ctx := context.Background()
	a, err := s.SaveAction(ctx, analytics.Action{SurveyID: sv.ID, Question: "overall", Said: "x", Did: "y", Done: "2024-02-15"},
		analytics.Actor{Who: "analyst", From: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("DELETE FROM questions WHERE id = ?", qs["overall"].ID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := s.Action(ctx, a.ID)
	if err != nil || got.Question != "" || got.Said != "x" {
		t.Fatalf("after deleting its question: %+v, %v; want the action kept without a question", got, err)
	}
}
