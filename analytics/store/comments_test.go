package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// commentSurvey imports five responses to testMapping with a second text
// question, "other", and returns the survey, its questions by code and its
// team dimension.
func commentSurvey(tb testing.TB, s *Store) (analytics.Survey, map[string]analytics.Question, analytics.Dimension) {
	tb.Helper()
	m := testMapping()
	m.Questions = append(m.Questions, analytics.Question{Code: "other", Text: "Anything else?", Kind: analytics.KindText})
	day := func(month int) time.Time { return time.Date(2024, time.Month(month), 10, 12, 0, 0, 0, time.UTC) }
	with := func(r analytics.Response, comment, other string) analytics.Response {
		r.Answers[3].Text = comment
		r.Answers = append(r.Answers, analytics.Answer{Option: -1, Text: other})
		return r
	}
	list := []analytics.Response{
		with(response("r1", 2, day(1), 0, "North"), "January comment", ""),
		with(response("r2", 3, day(2), 1, "South"), "<img src=x onerror=alert(1)>", "February other"),
		with(response("r3", 4, time.Time{}, 2, "North"), "Undated comment", ""),
		with(response("r4", 5, day(3), 0, "North"), "", "  "),
		with(response("r5", 6, day(4), 3, "south"), "April comment", ""),
	}
	if _, err := s.ImportFile(context.Background(), request("Comments", "comments.csv", m), from(list...), nil); err != nil {
		tb.Fatal(err)
	}
	sv, err := s.SurveyByName(context.Background(), "Comments")
	if err != nil {
		tb.Fatal(err)
	}
	qs, ds, err := s.Questions(context.Background(), sv.ID)
	if err != nil {
		tb.Fatal(err)
	}
	byCode := map[string]analytics.Question{}
	for _, q := range qs {
		byCode[q.Code] = q
	}
	return sv, byCode, ds[0]
}

func TestComments(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, team := commentSurvey(t, s)
	byTeam := func(v ...string) []Filter { return []Filter{{Field: Field{Dimension: team.ID}, Values: v}} }
	cases := []struct {
		name  string
		q     CommentQuery
		want  []string
		total int
	}{
		{name: "every text question, newest first, undated last", q: CommentQuery{},
			want:  []string{"April comment", "<img src=x onerror=alert(1)>", "February other", "January comment", "Undated comment"},
			total: 5},
		{name: "one question", q: CommentQuery{Question: qs["other"].ID}, want: []string{"February other"}, total: 1},
		{name: "a team, any case", q: CommentQuery{Where: byTeam("SOUTH")},
			want: []string{"April comment", "<img src=x onerror=alert(1)>", "February other"}, total: 3},
		{name: "dates leave out the undated", q: CommentQuery{From: "2024-01-01", To: "2024-02-28"},
			want: []string{"<img src=x onerror=alert(1)>", "February other", "January comment"}, total: 3},
		{name: "second page", q: CommentQuery{Limit: 2, Offset: 2}, want: []string{"February other", "January comment"}, total: 5},
		{name: "past the end", q: CommentQuery{Limit: 2, Offset: 10}, want: []string{}, total: 5},
		{name: "a filter on a question's option", q: CommentQuery{Where: []Filter{{Field: Field{Question: qs["overall"].ID}, Options: []int{0}}}},
			want: []string{"January comment"}, total: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := s.Comments(ctx, sv.ID, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range list {
				got = append(got, c.Text)
			}
			if !slices.Equal(got, tc.want) || total != tc.total {
				t.Fatalf("Comments = %q (%d in all), want %q (%d)", got, total, tc.want, tc.total)
			}
		})
	}
}

func TestCommentFields(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, _ := commentSurvey(t, s)
	list, _, err := s.Comments(context.Background(), sv.ID, CommentQuery{Question: qs["comment"].ID, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("Comments: %v, %d comments", err, len(list))
	}
	c := list[0]
	want := time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)
	if c.Question != qs["comment"].ID || !c.Submitted.Equal(want) || !slices.Equal(c.Dimensions, []string{"south"}) || c.ResponseID == 0 {
		t.Fatalf("comment = %+v, want question %d, submitted %v, team south", c, qs["comment"].ID, want)
	}
}

func TestCommentsRefused(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, _ := commentSurvey(t, s)
	cases := []struct {
		name string
		q    CommentQuery
	}{
		{"a scale question", CommentQuery{Question: qs["overall"].ID}},
		{"an unknown question", CommentQuery{Question: 99999}},
		{"an unknown dimension", CommentQuery{Where: []Filter{{Field: Field{Dimension: 99999}, Values: []string{"x"}}}}},
		{"a text question as a filter", CommentQuery{Where: []Filter{{Field: Field{Question: qs["comment"].ID}, Options: []int{0}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if list, _, err := s.Comments(ctx, sv.ID, tc.q); err == nil {
				t.Fatalf("Comments accepted it: %v", list)
			}
		})
	}
}

func TestCommentsNoResponses(t *testing.T) {
	s, _ := newTestStore(t)
	list, total, err := s.Comments(context.Background(), 12345, CommentQuery{})
	if err != nil || len(list) != 0 || total != 0 {
		t.Fatalf("Comments of a survey without responses = %v, %d, %v", list, total, err)
	}
}

func TestResponseCounts(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, _, _ := commentSurvey(t, s)
	imports, err := s.Imports(ctx, sv.ID)
	if err != nil || len(imports) != 1 {
		t.Fatalf("Imports: %v %v", imports, err)
	}
	if n, err := s.ResponseCount(ctx, sv.ID); err != nil || n != 5 {
		t.Fatalf("ResponseCount = %d, %v, want 5", n, err)
	}
	if n, err := s.ImportResponses(ctx, imports[0].ID); err != nil || n != 5 {
		t.Fatalf("ImportResponses = %d, %v, want 5", n, err)
	}
	if _, err := s.ImportResponses(ctx, imports[0].ID+100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ImportResponses of an unknown import: %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteImport(ctx, imports[0].ID, tester()); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ResponseCount(ctx, sv.ID); err != nil || n != 0 {
		t.Fatalf("ResponseCount after the delete = %d, %v, want 0", n, err)
	}
	if n, err := s.ResponseCount(ctx, 12345); err != nil || n != 0 {
		t.Fatalf("ResponseCount of a survey without responses = %d, %v, want 0", n, err)
	}
}
