package store

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// BenchmarkReport times the reports of issue 3 the way `heard report`
// makes them (Counts, then analytics.BuildReport) on a survey of 100,000
// and of 1,000,000 responses: 25 questions, a free-text comment in one
// response of four, 5% partial responses, three years of dates, and a
// 40-value dimension. Each report is timed four ways: "first", the first
// report of its question and breakdown after the import; "later", the
// reports after it; "new-file", the first report after another file of
// 2,000 responses is imported; and "filtered", a report the kept counts
// cannot answer (a --where filter, dates within a month), which always
// counts the responses directly. From keepCountsFrom responses on, "first"
// counts the responses and keeps the counts, "later" reads them and
// "new-file" counts the new file's responses only; below it, all four count
// the responses directly. Building the 1,000,000-response
// database takes about ten seconds; run it alone:
//
//	go test ./analytics/store/ -run '^$' -bench BenchmarkReport -benchtime 5x
func BenchmarkReport(b *testing.B) {
	for _, size := range []int{100_000, 1_000_000} {
		s, _ := newTestStore(b)
		sv, qs, ds := loadReportSurvey(b, s, size)
		overall, team := qs[0], ds[3]
		m, err := analytics.DefaultMetric(overall)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			query CountQuery
		}{
			{"monthly", CountQuery{Question: overall.ID}},
			{"monthly-by-40-teams", CountQuery{Question: overall.ID, By: []Field{{Dimension: team.ID}}}},
		} {
			for _, way := range []string{"first", "later", "new-file", "filtered"} {
				b.Run(fmt.Sprintf("responses=%d/%s/%s", size, c.name, way), func(b *testing.B) {
					benchReport(b, s, sv.ID, size, overall, m, c.query, way)
				})
			}
		}
	}
}

// benchReport times one report, computed one of three ways (see
// BenchmarkReport).
func benchReport(b *testing.B, s *Store, surveyID int64, size int, q analytics.Question, m analytics.Metric, cq CountQuery, way string) {
	ctx := context.Background()
	qs, ds, err := s.Questions(ctx, surveyID)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := planCounts(surveyID, qs, ds, cq)
	if err != nil {
		b.Fatal(err)
	}
	var rows, files int
	for b.Loop() {
		if way == "new-file" {
			b.StopTimer()
			files++
			req := request("Report bench", fmt.Sprintf("new-%d-%s-%d.csv", size, plan.breakdown, files), reportMapping())
			if _, err := s.ImportFile(ctx, req, reportSource(fmt.Sprintf("N%d-%s-%d-", size, plan.breakdown, files), 2000), nil); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if way == "first" {
			b.StopTimer()
			for _, table := range []string{"report_counts", "report_counted"} {
				if err := s.db.Exec("DELETE FROM "+table+" WHERE question_id = ? AND breakdown = ?", q.ID, plan.breakdown).Error; err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
		}
		var counts []analytics.Count
		if way == "filtered" {
			counts, err = s.directCounts(ctx, plan)
		} else {
			counts, err = s.Counts(ctx, surveyID, cq)
		}
		if err != nil {
			b.Fatal(err)
		}
		rows = len(analytics.BuildReport(q, m, counts, analytics.ReportOptions{Period: analytics.PeriodMonth}).Rows)
	}
	if kept := count(b, s, "SELECT COUNT(*) FROM report_counted") > 0; way != "filtered" && kept != (size >= keepCountsFrom) {
		b.Fatalf("counts kept: %v, at %d responses", kept, size)
	}
	b.ReportMetric(float64(rows), "rows")
}

// loadReportSurvey imports n generated responses into survey "Report bench".
func loadReportSurvey(tb testing.TB, s *Store, n int) (analytics.Survey, []analytics.Question, []analytics.Dimension) {
	tb.Helper()
	req := request("Report bench", fmt.Sprintf("report-bench-%d.csv", n), reportMapping())
	imp, err := s.ImportFile(context.Background(), req, reportSource("R", n), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if imp.Added != n {
		tb.Fatalf("added %d, want %d", imp.Added, n)
	}
	sv, err := s.SurveyByName(context.Background(), "Report bench")
	if err != nil {
		tb.Fatal(err)
	}
	qs, ds, err := s.Questions(context.Background(), sv.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return sv, qs, ds
}

// reportMapping is benchMapping with a fourth dimension of 40 values.
func reportMapping() analytics.Mapping {
	m := benchMapping()
	m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: "service", Name: "Service team", Kind: "team"})
	return m
}

// reportSource generates n responses to reportMapping, with ids prefix0,
// prefix1..., spread over three years from April 2023 (a file of fewer
// than 10,000 responses: over its last month), with uneven answers from a
// fixed pseudo-random sequence.
func reportSource(prefix string, n int) func() (analytics.Response, error) {
	teams := []string{"North team", "South team", "East team", "West team", "Hospital discharge"}
	ages := []string{"18-64", "65-74", "75-84", "85+"}
	start, span := time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC), 3*365*24*time.Hour
	if n < 10_000 {
		start, span = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), 30*24*time.Hour
	}
	step := span / time.Duration(n)
	r := analytics.Response{Answers: make([]analytics.Answer, 25), Dimensions: make([]string, 4)}
	comment := "The carer was kind and came on time, but the visits were often short and I was not told who was coming."
	seed := uint64(42)
	random := func(k int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(k))
	}
	i := 0
	return func() (analytics.Response, error) {
		if i == n {
			return analytics.Response{}, io.EOF
		}
		r.RespondentID = fmt.Sprintf("%s%07d", prefix, i)
		r.Row, r.Submitted, r.Complete = i+2, start.Add(time.Duration(i)*step), random(20) != 0
		for q := range 20 {
			r.Answers[q] = analytics.Answer{Option: min(random(5), random(5))} // skewed to the positive
			if random(30) == 0 {
				r.Answers[q].Option = -1
			}
		}
		r.Answers[20] = analytics.Answer{Option: random(3)}
		r.Answers[21] = analytics.Answer{Option: random(3)}
		r.Answers[22] = analytics.Answer{Option: -1, Options: []int{random(4)}}
		r.Answers[23] = analytics.Answer{Option: -1}
		if random(4) == 0 {
			r.Answers[23].Text = comment
		}
		r.Answers[24] = analytics.Answer{Option: -1, Number: float64(random(40)), HasNumber: true}
		r.Dimensions[0], r.Dimensions[1], r.Dimensions[2] = teams[random(5)], teams[random(5)], ages[random(4)]
		r.Dimensions[3] = fmt.Sprintf("Service team %02d", random(40)+1)
		i++
		return r, nil
	}
}
