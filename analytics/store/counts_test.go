package store

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// reportResponses builds n responses to testMapping with ids prefix1,
// prefix2...: every few rows partial, undated, without a team or without
// an answer to "overall", over fourteen months from February 2024.
func reportResponses(prefix string, n int) []analytics.Response {
	list := manyResponses(prefix, n)
	teams := []string{"North", "South", "East", "=HYPERLINK(\"http://x\",\"y\")", ""}
	london := time.FixedZone("", 0)
	for i := range list {
		r := &list[i]
		r.Submitted = time.Date(2024, 2, 1, 12, 0, 0, 0, london).AddDate(0, 0, i*431/n)
		if i%11 == 5 {
			r.Submitted = time.Time{}
		}
		r.Complete = i%7 != 3
		r.Dimensions[0] = teams[(i*i+i/3)%len(teams)]
		r.Answers[0].Option = (i*5 + i/4) % 4
		if i%13 == 2 {
			r.Answers[0].Option = -1
		}
		r.Answers[1].Option = i / 2 % 2
	}
	return list
}

// countKey identifies a count in the expected and actual results.
type countKey struct {
	month, group string
	option       int
}

// expectCounts counts the responses as a CountQuery q on "overall" asks, in
// Go, as an oracle for the SQL. teamIn and serviceIn filter (nil: keep all).
func expectCounts(list []analytics.Response, q CountQuery, byTeam, byService bool, teamIn []string, serviceIn []int) map[countKey]int64 {
	want := make(map[countKey]int64)
	services := []string{"Home care", "Day centre"}
	for _, r := range list {
		month, day := "", ""
		if !r.Submitted.IsZero() {
			day = r.Submitted.UTC().Format(time.DateOnly) // noon UTC is the same London day
			month = day[:7]
		}
		team, service := r.Dimensions[0], r.Answers[1].Option
		switch {
		case !r.Complete && !q.IncludePartial,
			q.From != "" && (day == "" || day < q.From), q.To != "" && (day == "" || day > q.To),
			teamIn != nil && !containsFold(teamIn, team),
			serviceIn != nil && !contains(serviceIn, service):
			continue
		}
		var parts []string
		if byTeam {
			parts = append(parts, team)
		}
		if byService {
			parts = append(parts, services[service])
		}
		if len(parts) > 1 && parts[0] == "" {
			parts[0] = analytics.BlankGroup
		}
		want[countKey{month, strings.Join(parts, GroupSeparator), r.Answers[0].Option}]++
	}
	return want
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// countMap turns counts into a map, failing on a repeated key.
func countMap(tb testing.TB, counts []analytics.Count) map[countKey]int64 {
	tb.Helper()
	got := make(map[countKey]int64, len(counts))
	for _, c := range counts {
		k := countKey{c.Month, c.Group, c.Option}
		if _, dup := got[k]; dup {
			tb.Fatalf("count %+v given twice", k)
		}
		got[k] = c.N
	}
	return got
}

// reportSurvey imports two files of reportResponses and returns the
// survey, its questions by code, its dimension and every response.
func reportSurvey(tb testing.TB, s *Store) (analytics.Survey, map[string]analytics.Question, analytics.Dimension, []analytics.Response) {
	tb.Helper()
	all := reportResponses("a", 400)
	for i, part := range [][]analytics.Response{all[:250], all[250:]} {
		if _, err := s.ImportFile(context.Background(), request("Reports", fmt.Sprintf("part%d.csv", i), testMapping()),
			from(part...), nil); err != nil {
			tb.Fatal(err)
		}
	}
	sv, err := s.SurveyByName(context.Background(), "Reports")
	if err != nil {
		tb.Fatal(err)
	}
	qs, ds, err := s.Questions(context.Background(), sv.ID)
	if err != nil {
		tb.Fatal(err)
	}
	byCode := make(map[string]analytics.Question)
	for _, q := range qs {
		byCode[q.Code] = q
	}
	return sv, byCode, ds[0], all
}

func TestCounts(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, team, all := reportSurvey(t, s)
	overall, service := qs["overall"].ID, qs["service"].ID
	byTeam := Field{Dimension: team.ID}
	byService := Field{Question: service}
	cases := []struct {
		name              string
		q                 CountQuery
		teamBy, serviceBy bool
		teamIn            []string
		serviceIn         []int
		cached            bool
	}{
		{name: "by month", q: CountQuery{}, cached: true},
		{name: "partial responses included", q: CountQuery{IncludePartial: true}, cached: true},
		{name: "by team", q: CountQuery{By: []Field{byTeam}}, teamBy: true, cached: true},
		{name: "by team and service", q: CountQuery{By: []Field{byTeam, byService}}, teamBy: true, serviceBy: true, cached: true},
		{name: "whole months", q: CountQuery{From: "2024-04-01", To: "2024-09-30"}, cached: true},
		{name: "up to a month's end", q: CountQuery{To: "2024-02-29", By: []Field{byTeam}}, teamBy: true, cached: true},
		{name: "days within months", q: CountQuery{From: "2024-04-15", To: "2024-09-14"}},
		{name: "from a day", q: CountQuery{From: "2025-01-02", IncludePartial: true}},
		{name: "team filter ignores case", q: CountQuery{Where: []Filter{{Field: byTeam, Values: []string{"north", "SOUTH"}}}},
			teamIn: []string{"North", "South"}},
		{name: "service filter by team", q: CountQuery{By: []Field{byTeam},
			Where: []Filter{{Field: byService, Options: []int{1}}}}, teamBy: true, serviceIn: []int{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Question = overall
			want := expectCounts(all, c.q, c.teamBy, c.serviceBy, c.teamIn, c.serviceIn)
			// Counted directly (a small survey), then through the kept
			// counts: filled, then read.
			for _, pass := range []string{"direct", "first kept", "second kept"} {
				c.q.keep = pass != "direct"
				counts, err := s.Counts(context.Background(), sv.ID, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := countMap(t, counts); !maps.Equal(got, want) {
					t.Fatalf("%s: counts differ from the responses:\n got %v\nwant %v", pass, got, want)
				}
			}
			kept := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE question_id = ? AND breakdown = ?",
				overall, breakdownOf(c.q.By))
			if c.cached && kept != 2 {
				t.Errorf("counts kept for %d imports, want both", kept)
			}
		})
	}
}

// breakdownOf is the report_counts key of fields.
func breakdownOf(by []Field) string {
	var keys []string
	for _, f := range by {
		if f.Dimension != 0 {
			keys = append(keys, dimensionColumn(f.Dimension))
		} else {
			keys = append(keys, questionColumn(f.Question))
		}
	}
	return strings.Join(keys, ",")
}

func TestCountsGroupNames(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, team, _ := reportSurvey(t, s)
	counts, err := s.Counts(context.Background(), sv.ID, CountQuery{Question: qs["overall"].ID,
		By: []Field{{Dimension: team.ID}, {Question: qs["service"].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	groups := make(map[string]bool)
	for _, c := range counts {
		groups[c.Group] = true
	}
	for _, g := range []string{"North / Home care", "South / Day centre", "(blank) / Home care",
		`=HYPERLINK("http://x","y") / Day centre`} {
		if !groups[g] {
			t.Errorf("no group %q in %v", g, groups)
		}
	}
}

func TestCountsNewImportExtendsKeptCounts(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, team, all := reportSurvey(t, s)
	q := CountQuery{Question: qs["overall"].ID, By: []Field{{Dimension: team.ID}}, keep: true}
	if _, err := s.Counts(context.Background(), sv.ID, q); err != nil {
		t.Fatal(err)
	}
	more := reportResponses("b", 90)
	if _, err := s.ImportFile(context.Background(), request("Reports", "part3.csv", testMapping()), from(more...), nil); err != nil {
		t.Fatal(err)
	}
	counts, err := s.Counts(context.Background(), sv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	want := expectCounts(append(all, more...), q, true, false, nil, nil)
	if got := countMap(t, counts); !maps.Equal(got, want) {
		t.Fatalf("after a third import:\n got %v\nwant %v", got, want)
	}
	// Deleting an import deletes its kept counts with its responses.
	if err := s.db.Exec("DELETE FROM imports WHERE file = ?", "part3.csv").Error; err != nil {
		t.Fatal(err)
	}
	counts, err = s.Counts(context.Background(), sv.ID, q)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countMap(t, counts), expectCounts(all, q, true, false, nil, nil); !maps.Equal(got, want) {
		t.Fatalf("after deleting the third import:\n got %v\nwant %v", got, want)
	}
}

func TestCountsWhileAnotherWriterWorks(t *testing.T) {
	s, path := newTestStore(t)
	sv, qs, _, all := reportSurvey(t, s)
	q := CountQuery{Question: qs["overall"].ID, keep: true}
	want := expectCounts(all, q, false, false, nil, nil)

	// Another goroutine of this process holds the writer.
	s.writer <- struct{}{}
	counts, err := s.Counts(context.Background(), sv.ID, q)
	s.unlockWriter()
	if err != nil {
		t.Fatal(err)
	}
	if got := countMap(t, counts); !maps.Equal(got, want) {
		t.Fatalf("with the writer busy:\n got %v\nwant %v", got, want)
	}

	// Another process is in a write transaction.
	other := openTest(t, path)
	db, err := other.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE surveys SET name = name"); err != nil {
		t.Fatal(err)
	}
	if s.pg {
		// On PostgreSQL a writer (an import) holds heard's advisory lock.
		if _, err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "heard writer"); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	counts, err = s.Counts(context.Background(), sv.ID, q)
	waited := time.Since(start)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := countMap(t, counts); !maps.Equal(got, want) {
		t.Fatalf("with another process writing:\n got %v\nwant %v", got, want)
	}
	if waited > 5*time.Second {
		t.Errorf("the report waited %v for the other writer", waited)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted"); n != 0 {
		t.Errorf("%d imports counted while another writer held the database", n)
	}
	// Once the writer is free the next report keeps its counts, and a later
	// import is not slowed by a connection left with a short busy timeout.
	if _, err := s.Counts(context.Background(), sv.ID, q); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted"); n != 2 {
		t.Errorf("%d imports counted once the writer was free, want 2", n)
	}
	if s.pg {
		for range 4 {
			var timeout string
			if err := s.db.Raw("SHOW lock_timeout").Row().Scan(&timeout); err != nil {
				t.Fatal(err)
			}
			if timeout != "1min" {
				t.Fatalf("a pooled connection has lock_timeout %s", timeout)
			}
		}
		return
	}
	var timeout int64
	for range 4 {
		if timeout = count(t, s, "PRAGMA busy_timeout"); timeout != busyTimeout.Milliseconds() {
			t.Fatalf("a pooled connection has busy_timeout %d", timeout)
		}
	}
}

func TestCountsSmallSurveyCountsDirectly(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, team, _ := reportSurvey(t, s)
	for _, by := range [][]Field{nil, {{Dimension: team.ID}}} {
		if _, err := s.Counts(context.Background(), sv.ID, CountQuery{Question: qs["overall"].ID, By: by}); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted"); n != 0 {
		t.Fatalf("a survey of 400 responses kept counts for %d imports; counting them directly is quicker", n)
	}
}

func TestCountsErrors(t *testing.T) {
	s, _ := newTestStore(t)
	sv, qs, team, _ := reportSurvey(t, s)
	overall := qs["overall"].ID
	cases := []struct {
		name string
		q    CountQuery
		want string
	}{
		{"unknown question", CountQuery{Question: 9999}, "no question 9999"},
		{"text question", CountQuery{Question: qs["comment"].ID}, "text question"},
		{"multi question as group", CountQuery{Question: overall, By: []Field{{Question: qs["helped"].ID}}}, "multi question"},
		{"unknown dimension", CountQuery{Question: overall, By: []Field{{Dimension: 777}}}, "no dimension 777"},
		{"field with both", CountQuery{Question: overall, By: []Field{{Dimension: team.ID, Question: overall}}}, "not both"},
		{"filter without values", CountQuery{Question: overall, Where: []Filter{{Field: Field{Dimension: team.ID}}}}, "at least one value"},
		{"filter on a missing option", CountQuery{Question: overall,
			Where: []Filter{{Field: Field{Question: qs["service"].ID}, Options: []int{5}}}}, "option 5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Counts(context.Background(), sv.ID, c.q)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	// A question of another survey is not this survey's.
	other, _ := newTestStore(t)
	if _, err := other.Counts(context.Background(), sv.ID+1, CountQuery{Question: overall}); err == nil {
		t.Fatal("counted a question of another survey")
	}
}

func TestCountsSurveyWithoutResponses(t *testing.T) {
	s, _ := newTestStore(t)
	counts, err := s.Counts(context.Background(), 1, CountQuery{Question: 1})
	if err == nil || len(counts) != 0 {
		t.Fatalf("counts %v, error %v: want an error for a survey without questions", counts, err)
	}
}

func TestCountsFarApartDates(t *testing.T) {
	s, _ := newTestStore(t)
	list := manyResponses("x", 6)
	for i, d := range []time.Time{time.Date(1901, 3, 4, 12, 0, 0, 0, time.UTC), time.Date(2024, 5, 6, 12, 0, 0, 0, time.UTC),
		time.Date(2024, 5, 7, 12, 0, 0, 0, time.UTC), {}, time.Date(2087, 12, 31, 9, 0, 0, 0, time.UTC),
		time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)} {
		list[i].Submitted = d
	}
	if _, err := s.ImportFile(context.Background(), request("Far", "far.csv", testMapping()), from(list...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(context.Background(), "Far")
	if err != nil {
		t.Fatal(err)
	}
	qs, _, err := s.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []CountQuery{{}, {keep: true}, {From: "1901-03-04", To: "2087-12-31"}, {From: "2024-05-07"}} {
		q.Question = qs[0].ID
		counts, err := s.Counts(context.Background(), sv.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := countMap(t, counts), expectCounts(list, q, false, false, nil, nil); !maps.Equal(got, want) {
			t.Errorf("%+v:\n got %v\nwant %v", q, got, want)
		}
	}
}
