package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// labels lists a question's option labels.
func labels(q analytics.Question) []string {
	var out []string
	for _, o := range q.Options {
		out = append(out, o.Label)
	}
	return out
}

func TestImportFileExtendsMapping(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	first, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()),
		from(response("m1", 2, time.Time{}, 1, "A")), nil) // answers "Good"
	if err != nil {
		t.Fatal(err)
	}

	// April's export lists the options in another order, with one new one,
	// leaves out two questions, and adds a question and a dimension.
	m := testMapping()
	m.Questions[0] = satisfaction("overall", "Excellent", "Very good", "Poor", "Good")
	m.Questions[2].Options = []analytics.Option{{Label: "Transport"}, {Label: "Equipment"}, {Label: "Staff"}}
	m.Questions[2].Tags = []string{"wellbeing"}
	m.Questions = slices.Delete(m.Questions, 3, 5) // no comment, no visits
	m.Questions = append(m.Questions, analytics.Question{Code: "recommend", Text: "Would you recommend us?",
		Kind: analytics.KindSingle, Options: []analytics.Option{{Label: "Yes"}, {Label: "No"}}})
	m.Dimensions = append([]analytics.Dimension{{Code: "locality", Name: "Locality", Kind: "locality"}}, m.Dimensions...)
	m.Columns = []analytics.Column{{Index: 0, Header: "ID", Role: analytics.RoleRespondentID},
		{Index: 1, Header: "Locality", Role: analytics.RoleDimension, Code: "locality"}}
	april := analytics.Response{RespondentID: "a1", Row: 2, Complete: true, Dimensions: []string{"North", "B"},
		Answers: []analytics.Answer{
			{Option: 3},                           // "Good" in April's order
			{Option: 0},                           // "Home care"
			{Option: -1, Options: []int{2, 0, 1}}, // Staff, Transport, Equipment
			{Option: -1, Text: "2024-04-02T00:00:00Z"}, // assessed
			{Option: 1}, // "No"
		}}
	second, err := s.ImportFile(ctx, request("Care", "april.csv", m), from(april), nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.SurveyID != first.SurveyID {
		t.Fatalf("second import went to survey %d, want %d", second.SurveyID, first.SurveyID)
	}

	saved, err := s.SurveyMapping(ctx, "Care")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, q := range saved.Questions {
		codes = append(codes, q.Code)
	}
	if want := []string{"overall", "service", "helped", "comment", "visits", "assessed", "recommend"}; !slices.Equal(codes, want) {
		t.Errorf("saved questions %v, want %v", codes, want)
	}
	if got, want := labels(saved.Questions[0]), []string{"Very good", "Good", "Poor", "Don't know", "Excellent"}; !slices.Equal(got, want) {
		t.Errorf("saved options of overall %q, want %q", got, want)
	}
	if got, want := labels(saved.Questions[2]), []string{"Staff", "Advice", "Equipment", "Transport"}; !slices.Equal(got, want) {
		t.Errorf("saved options of helped %q, want %q", got, want)
	}
	if !slices.Equal(saved.Questions[2].Tags, []string{"wellbeing"}) {
		t.Errorf("tags of helped %q, want [wellbeing]", saved.Questions[2].Tags)
	}
	if len(saved.Dimensions) != 2 || saved.Dimensions[0].Code != "team" || saved.Dimensions[1].Code != "locality" {
		t.Errorf("saved dimensions %+v, want team then locality", saved.Dimensions)
	}
	var headers []string
	for _, c := range saved.Columns {
		headers = append(headers, c.Header)
	}
	if want := []string{"ID", "Locality", "Overall satisfaction", "Team"}; !slices.Equal(headers, want) {
		t.Errorf("saved columns %q, want %q", headers, want)
	}

	// Read each answer back through the saved mapping.
	table := responseTable(first.SurveyID)
	answer := func(id string, q analytics.Question) string {
		t.Helper()
		var v *string
		if err := s.db.Raw(fmt.Sprintf("SELECT CAST(%s AS TEXT) FROM %s WHERE respondent_id = ?", questionColumn(q.ID), table), id).
			Row().Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			return "-"
		}
		var out []string
		for _, p := range strings.Split(strings.Trim(*v, ";"), ";") {
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || q.Kind == analytics.KindDate {
				return *v
			}
			out = append(out, q.Options[i].Label)
		}
		return strings.Join(out, "+")
	}
	tests := []struct {
		id, code, want string
	}{
		{"m1", "overall", "Good"},
		{"a1", "overall", "Good"},
		{"m1", "helped", "Staff+Equipment"},
		{"a1", "helped", "Staff+Equipment+Transport"},
		{"a1", "service", "Home care"},
		{"a1", "recommend", "No"},
		{"m1", "recommend", "-"},
		{"a1", "comment", "-"},
		{"a1", "assessed", "2024-04-02T00:00:00Z"},
	}
	for _, tt := range tests {
		i := slices.IndexFunc(saved.Questions, func(q analytics.Question) bool { return q.Code == tt.code })
		if got := answer(tt.id, saved.Questions[i]); got != tt.want {
			t.Errorf("%s's answer to %s = %q, want %q", tt.id, tt.code, got, tt.want)
		}
	}
	var team, locality *string
	if err := s.db.Raw(fmt.Sprintf("SELECT %s, %s FROM %s WHERE respondent_id = 'a1'",
		dimensionColumn(saved.Dimensions[0].ID), dimensionColumn(saved.Dimensions[1].ID), table)).Row().Scan(&team, &locality); err != nil {
		t.Fatal(err)
	}
	if team == nil || *team != "B" || locality == nil || *locality != "North" {
		t.Errorf("a1's team %v and locality %v, want B and North", team, locality)
	}
}

func TestImportFileRefusesKindChange(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	if _, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()), from(), nil); err != nil {
		t.Fatal(err)
	}
	m := testMapping()
	m.Questions[0].Kind = analytics.KindText
	_, err := s.ImportFile(ctx, request("Care", "april.csv", m), from(), nil)
	var bad *analytics.ImportError
	if !errors.As(err, &bad) || bad.File != "april.csv" || bad.Column != "Overall satisfaction" ||
		!strings.Contains(bad.Message, "scale") {
		t.Fatalf("error %v, want an *analytics.ImportError about the scale question", err)
	}
	if got := count(t, s, "SELECT COUNT(*) FROM imports"); got != 1 {
		t.Errorf("%d imports, want 1", got)
	}
}

func TestImportFileRefusesBadInput(t *testing.T) {
	tests := []struct {
		name    string
		mapping func(m *analytics.Mapping)
		resp    func(r *analytics.Response)
		want    string
	}{
		{name: "repeated question code", mapping: func(m *analytics.Mapping) { m.Questions[1].Code = "overall" },
			want: `two questions have the code "overall"`},
		{name: "question without code", mapping: func(m *analytics.Mapping) { m.Questions[1].Code = "" },
			want: "has no code"},
		{name: "unknown kind", mapping: func(m *analytics.Mapping) { m.Questions[1].Kind = "grid" },
			want: "unknown kind"},
		{name: "repeated dimension code",
			mapping: func(m *analytics.Mapping) { m.Dimensions = append(m.Dimensions, m.Dimensions[0]) },
			want:    `two dimensions have the code "team"`},
		{name: "option out of range", resp: func(r *analytics.Response) { r.Answers[0].Option = 4 },
			want: "row 2: answer 1 of question 1 is option 4, but the question has 4 options"},
		{name: "multi option out of range", resp: func(r *analytics.Response) { r.Answers[2].Options = []int{-1} },
			want: "is option -1"},
		{name: "answers missing", resp: func(r *analytics.Response) { r.Answers = r.Answers[:2] },
			want: "2 answers and 1 dimension values, but the mapping has 6 questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			m := testMapping()
			if tt.mapping != nil {
				tt.mapping(&m)
			}
			r := response("r1", 2, time.Time{}, 0, "A")
			if tt.resp != nil {
				tt.resp(&r)
			}
			_, err := s.ImportFile(context.Background(), request("Care", "a.csv", m), from(r), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if got := count(t, s, "SELECT COUNT(*) FROM surveys"); got != 0 {
				t.Errorf("%d surveys after a refused import, want 0", got)
			}
		})
	}
}

func TestImportFileWideSurvey(t *testing.T) {
	// 400 questions: 407 columns, so one INSERT carries only 80 rows.
	s, _ := newTestStore(t)
	m := analytics.Mapping{Format: "qualtrics"}
	for i := range 400 {
		m.Questions = append(m.Questions, satisfaction(fmt.Sprintf("Q%d", i+1), "Yes", "No", "Not sure"))
	}
	var list []analytics.Response
	for i := range 1000 {
		r := analytics.Response{RespondentID: fmt.Sprintf("R_%d", i), Row: i + 4, Complete: true}
		for j := range 400 {
			r.Answers = append(r.Answers, analytics.Answer{Option: (i + j) % 3})
		}
		list = append(list, r)
	}
	list = append(list, list[0], list[500]) // two duplicates in the last, partial batch
	var progress []int
	imp, err := s.ImportFile(context.Background(), request("Wide", "wide.csv", m), from(list...),
		func(n int) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 1000 || imp.Duplicates != 2 {
		t.Errorf("added %d, duplicates %d, want 1000 and 2", imp.Added, imp.Duplicates)
	}
	want := []int{1002}
	if s.pg {
		// COPY reports every 1,000 rows read, not per batch of INSERTs.
		want = []int{1000, 1002}
	}
	if !slices.Equal(progress, want) {
		t.Errorf("progress calls %v, want %v", progress, want)
	}
	qs, _, err := s.Questions(context.Background(), imp.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	table := responseTable(imp.SurveyID)
	for _, tt := range []struct{ row, q, want int }{{0, 0, 0}, {999, 399, (999 + 399) % 3}, {517, 12, (517 + 12) % 3}} {
		got := count(t, s, fmt.Sprintf("SELECT %s FROM %s WHERE respondent_id = ?", questionColumn(qs[tt.q].ID), table),
			fmt.Sprintf("R_%d", tt.row))
		if got != int64(tt.want) {
			t.Errorf("R_%d's answer to Q%d = %d, want %d", tt.row, tt.q+1, got, tt.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Care survey", "care-survey"},
		{"punctuation", "People feedback — assessment & care planning!", "people-feedback-assessment-care-planning"},
		{"accents", "Café résumé", "cafe-resume"},
		{"digits", "  2024-25 Q1 ", "2024-25-q1"},
		{"nothing usable", "—", "survey"},
		{"not latin", "Опрос", "survey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSurveySlugsAreUnique(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	names := []string{"Care survey", "Care-survey", "CARE SURVEY!"}
	for i, name := range names {
		if _, err := s.ImportFile(ctx, request(name, fmt.Sprintf("%d.csv", i), testMapping()), from(), nil); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{"care-survey", "care-survey-2", "care-survey-3"} {
		sv, err := s.SurveyByName(ctx, names[i])
		if err != nil || sv.Slug != want {
			t.Errorf("survey %q: slug %q (%v), want %q", names[i], sv.Slug, err, want)
		}
	}
	sums, err := s.Surveys(ctx)
	if err != nil || len(sums) != 3 {
		t.Fatalf("Surveys: %d, %v", len(sums), err)
	}
	if sums[0].Responses != 0 || sums[0].FirstDate != "" {
		t.Errorf("empty survey summary %+v", sums[0])
	}
}
