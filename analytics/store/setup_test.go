package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// wantParamError fails unless err is a *analytics.ParamError mentioning want.
func wantParamError(tb testing.TB, err error, want string) {
	tb.Helper()
	var pe *analytics.ParamError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, want) {
		tb.Errorf("error %v, want a plain message mentioning %q", err, want)
	}
}

func TestRenameSurvey(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	for _, name := range []string{"Feedback", "Carers"} {
		if _, err := s.ImportFile(ctx, request(name, name+".csv", testMapping()), from(), nil); err != nil {
			t.Fatal(err)
		}
	}
	sv, err := s.SurveyByName(ctx, "Feedback")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ name, want string }{
		{"Carers", `already a survey called "Carers"`},
		{"\uff23arers\u200b", `already a survey called "Carers"`},
		{" \u200b ", "empty"},
		{"Two\nlines", "line break"},
	} {
		_, err := s.RenameSurvey(ctx, sv.ID, bad.name, tester())
		wantParamError(t, err, bad.want)
	}
	if got, err := s.SurveyByName(ctx, "Feedback"); err != nil || got.ID != sv.ID {
		t.Fatalf("after refused renames, Feedback = %+v, %v", got, err)
	}
	renamed, err := s.RenameSurvey(ctx, sv.ID, "People\u200b feedback  survey", tester())
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Name != "People feedback survey" || renamed.Slug != sv.Slug {
		t.Errorf("renamed to %+v, want the name without invisible characters and the same slug", renamed)
	}
	checkEvent(t, lastEvent(t, s), AuditSurveyRename, `"Feedback"`)
	if _, err := s.SurveyByName(ctx, "Feedback"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the old name still finds a survey: %v", err)
	}
}

func TestDeleteSurvey(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, _, _, all := reportSurvey(t, s)
	n, err := s.DeleteSurvey(ctx, sv.ID, tester())
	if err != nil || n != int64(len(all)) {
		t.Fatalf("DeleteSurvey = %d, %v; want %d responses", n, err, len(all))
	}
	checkEvent(t, lastEvent(t, s), AuditSurveyDelete, `"Reports"`)
	if hasTable(t, s, responseTable(sv.ID)) {
		t.Error("the response table is still there")
	}
	for _, table := range []string{"surveys", "questions", "dimensions", "imports", "options"} {
		if n := count(t, s, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	if _, err := s.DeleteSurvey(ctx, sv.ID, tester()); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting again: %v, want not found", err)
	}
}

func TestRelabelQuestionSurvivesReimport(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, _, _, _ := reportSurvey(t, s)
	if err := s.RelabelQuestion(ctx, sv.ID, "overall", "Overall, how satisfied were you?", tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), AuditSurveyRelabel, `"Reports"`)
	wantParamError(t, s.RelabelQuestion(ctx, sv.ID, "overall", "  ", tester()), "empty")
	if err := s.RelabelQuestion(ctx, sv.ID, "nope", "x", tester()); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := s.ImportFile(ctx, request("Reports", "next-month.csv", testMapping()), from(reportResponses("b", 10)...), nil); err != nil {
		t.Fatal(err)
	}
	qs, _, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := questionByCode(qs, "overall")
	if q.Text != "Overall, how satisfied were you?" {
		t.Errorf("after the next import the label is %q", q.Text)
	}
	m, err := s.SurveyMapping(ctx, "Reports")
	if err != nil || header(m, "overall") != "Overall satisfaction" {
		t.Errorf("the header matched on import became %q (%v)", header(m, "overall"), err)
	}
}

func TestSetColumnKind(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, team, all := reportSurvey(t, s)
	if err := s.SaveMetric(ctx, sv.ID, analytics.Metric{Name: "Home care", Question: "service", Positive: []int{0}}, "analyst"); err != nil {
		t.Fatal(err)
	}
	// Counts kept for the question before it changes.
	if _, err := s.Counts(ctx, sv.ID, CountQuery{Question: qs["service"].ID, keep: true}); err != nil {
		t.Fatal(err)
	}
	vals, err := s.PreviewColumn(ctx, sv.ID, "service", ColumnDimension)
	if err != nil || len(vals) != 2 || vals[0].N+vals[1].N != int64(len(all)) {
		t.Fatalf("PreviewColumn = %+v, %v", vals, err)
	}
	if err := s.SetColumnKind(ctx, sv.ID, "service", ColumnDimension, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), AuditSurveyColumn, `"Reports"`)
	qs2, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := questionByCode(qs2, "service"); ok {
		t.Error("service is still a question")
	}
	d, ok := dimensionByCode(ds, "service")
	if !ok || d.Name != "Which service?" {
		t.Fatalf("dimensions %+v, want service", ds)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM metrics"); n != 0 {
		t.Errorf("%d metrics of the old question left", n)
	}
	counts, err := s.Counts(ctx, sv.ID, CountQuery{Question: qs["overall"].ID, By: []Field{{Dimension: d.ID}}, IncludePartial: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range counts {
		if c.Group != "Day centre" && c.Group != "Home care" {
			t.Errorf("group %q, want an option of the old question", c.Group)
		}
		n += c.N
	}
	if n != int64(len(all)) {
		t.Errorf("%d responses by the new dimension, want %d", n, len(all))
	}
	// The team dimension becomes a question whose options are its values.
	if err := s.SetColumnKind(ctx, sv.ID, team.Code, ColumnQuestion, tester()); err != nil {
		t.Fatal(err)
	}
	qs3, _, _ := s.Questions(ctx, sv.ID)
	tq, ok := questionByCode(qs3, "team")
	if !ok || tq.Kind != analytics.KindSingle || len(tq.Options) != 4 {
		t.Fatalf("team question %+v", tq)
	}
	tc, err := s.Counts(ctx, sv.ID, CountQuery{Question: tq.ID, IncludePartial: true})
	if err != nil {
		t.Fatal(err)
	}
	n = 0
	for _, c := range tc {
		n += c.N
	}
	if n != int64(len(all)) {
		t.Errorf("%d answers to the new question, want %d", n, len(all))
	}
	// The saved mapping follows, for the next file.
	m, err := s.SurveyMapping(ctx, "Reports")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Columns {
		if c.Header == "Team" && c.Role != analytics.RoleQuestion {
			t.Errorf("saved mapping column Team is %s, want question", c.Role)
		}
	}
	// Refusals change nothing.
	before := count(t, s, "SELECT COUNT(*) FROM audit_events")
	wantParamError(t, s.SetColumnKind(ctx, sv.ID, "helped", ColumnDimension, tester()), "only be ignored")
	wantParamError(t, s.SetColumnKind(ctx, sv.ID, "comment", ColumnDimension, tester()), "too many")
	wantParamError(t, s.SetColumnKind(ctx, sv.ID, "team", ColumnQuestion, tester()), "already")
	if after := count(t, s, "SELECT COUNT(*) FROM audit_events"); after != before {
		t.Error("a refused change was audited as done")
	}
	if err := s.SetColumnKind(ctx, sv.ID, "helped", ColumnIgnore, tester()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetColumnKind(ctx, sv.ID, "overall", ColumnText, tester()); err != nil {
		t.Fatal(err)
	}
	var texts []string
	col := quote(questionColumn(mustQuestion(t, s, sv.ID, "overall").ID))
	if err := s.db.Raw("SELECT DISTINCT " + col + " FROM " + quote(responseTable(sv.ID)) + " WHERE " + col +
		" IS NOT NULL ORDER BY 1").Scan(&texts).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(texts, "|") != "Don't know|Good|Poor|Very good" {
		t.Errorf("overall as text holds %q", texts)
	}
}

// mustQuestion returns a stored question by code.
func mustQuestion(tb testing.TB, s *Store, surveyID int64, code string) analytics.Question {
	tb.Helper()
	qs, _, err := s.Questions(context.Background(), surveyID)
	if err != nil {
		tb.Fatal(err)
	}
	q, ok := questionByCode(qs, code)
	if !ok {
		tb.Fatalf("no question %q", code)
	}
	return q
}

func TestSetScale(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, _, _, _ := reportSurvey(t, s)
	p := []analytics.Polarity{analytics.Positive, analytics.Neutral, analytics.Negative, analytics.Excluded}
	wantParamError(t, s.SetScale(ctx, sv.ID, "overall", p[:2], tester()), "give each one")
	wantParamError(t, s.SetScale(ctx, sv.ID, "overall", []analytics.Polarity{"neutral", "neutral", "negative", "excluded"}, tester()), "positive")
	wantParamError(t, s.SetScale(ctx, sv.ID, "comment", nil, tester()), "no polarity")
	if err := s.SetScale(ctx, sv.ID, "overall", p, tester()); err != nil {
		t.Fatal(err)
	}
	checkEvent(t, lastEvent(t, s), AuditSurveyScale, `"Reports"`)
	q := mustQuestion(t, s, sv.ID, "overall")
	m, err := analytics.DefaultMetric(q)
	if err != nil || m.Preset != analytics.PresetPositive || len(m.Positive) != 1 || m.Positive[0] != 0 || len(m.Excluded) != 1 {
		t.Errorf("default metric after setting the scale: %+v, %v", m, err)
	}
	// A single choice becomes a scale.
	if err := s.SetScale(ctx, sv.ID, "service", []analytics.Polarity{analytics.Positive, analytics.Negative}, tester()); err != nil {
		t.Fatal(err)
	}
	if q := mustQuestion(t, s, sv.ID, "service"); q.Kind != analytics.KindScale || q.Options[1].Polarity != analytics.Negative {
		t.Errorf("service after SetScale: %+v", q)
	}
}
