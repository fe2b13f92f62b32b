package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
)

// themeBenchComments is how many comments the theme benchmarks classify.
const themeBenchComments = 10_000

// themeBenchSurvey stores a survey of themeBenchComments responses whose
// comments are the NHS file's, in turn, and trains (or reuses) the
// built-in model it is classified with.
func themeBenchSurvey(b *testing.B) (*Store, analytics.Survey) {
	b.Helper()
	ctx := context.Background()
	examples, err := themes.NHSExamples()
	if err != nil {
		b.Fatal(err)
	}
	s, _ := newTestStore(b)
	if _, _, err := s.ThemeModel(ctx, themes.BuiltInName); err != nil {
		b.Fatal(err)
	}
	list := make([]analytics.Response, themeBenchComments)
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range list {
		list[i] = response(fmt.Sprint("r", i), i+2, start.Add(time.Duration(i)*time.Hour), i%4, fmt.Sprint("Team ", i%5))
		list[i].Answers[3].Text = examples[i%len(examples)].Text
	}
	if _, err := s.ImportFile(ctx, request("Bench", "bench.csv", testMapping()), from(list...), nil); err != nil {
		b.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	return s, sv
}

// BenchmarkClassifyComments classifies and stores the themes of 10,000
// comments with the built-in model, as the command line does after an
// import and the theme worker does after a model changes:
// go test -run XXX -bench ClassifyComments -benchtime 3x ./analytics/store/
func BenchmarkClassifyComments(b *testing.B) {
	s, sv := themeBenchSurvey(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		if err := s.db.Exec("DELETE FROM comment_themes").Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := s.ClassifyComments(ctx, sv.ID, nil)
		if err != nil || n != themeBenchComments {
			b.Fatalf("ClassifyComments = %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(themeBenchComments*b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkWriteThemesBatch stores one batch of classified comments: how
// long the classifier holds the database's writer at a time.
func BenchmarkWriteThemesBatch(b *testing.B) {
	s, sv := themeBenchSurvey(b)
	ctx := context.Background()
	m, info, err := s.surveyModel(ctx, sv.ID)
	if err != nil {
		b.Fatal(err)
	}
	qs, _, err := s.Questions(ctx, sv.ID)
	if err != nil {
		b.Fatal(err)
	}
	q, _ := questionByCode(qs, "comment")
	batch, err := s.pendingComments(ctx, sv.ID, q.ID, info, 0, classifyBatch)
	if err != nil || len(batch) != classifyBatch {
		b.Fatalf("pendingComments = %d, %v", len(batch), err)
	}
	results := classify(m, batch)
	for b.Loop() {
		if err := s.writeThemes(ctx, sv.ID, info, batch, results); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThemeCounts counts the themes of 10,000 classified comments by
// month and team, as a theme chart does.
func BenchmarkThemeCounts(b *testing.B) {
	s, sv := themeBenchSurvey(b)
	ctx := context.Background()
	if _, err := s.ClassifyComments(ctx, sv.ID, nil); err != nil {
		b.Fatal(err)
	}
	_, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		counts, err := s.ThemeCounts(ctx, sv.ID, ThemeCountQuery{Period: analytics.PeriodMonth, By: ds[0].ID})
		if err != nil || len(counts) == 0 {
			b.Fatalf("ThemeCounts = %d, %v", len(counts), err)
		}
	}
}
