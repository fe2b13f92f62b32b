package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

func TestSaveMetric(t *testing.T) {
	s, _ := newTestStore(t)
	sv, _, _, _ := reportSurvey(t, s)
	ctx := context.Background()
	veryGood := analytics.Metric{Name: "Very  good only", Question: "overall", Positive: []int{0}, Excluded: []int{3}}
	if err := s.SaveMetric(ctx, sv.ID, veryGood, "analyst"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Metric(ctx, sv.ID, "VERY GOOD ONLY")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Very good only" || got.Question != "overall" || !slices.Equal(got.Positive, []int{0}) ||
		!slices.Equal(got.Excluded, []int{3}) {
		t.Fatalf("saved metric read back as %+v", got)
	}

	// Saving under the same name replaces it.
	veryGood.Name, veryGood.Positive = "very good ONLY", []int{0, 1}
	if err := s.SaveMetric(ctx, sv.ID, veryGood, "someone else"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMetric(ctx, sv.ID, analytics.Metric{Name: "Home care share", Question: "service", Positive: []int{0}}, ""); err != nil {
		t.Fatal(err)
	}
	list, err := s.Metrics(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "Home care share" || list[1].Name != "very good ONLY" || !slices.Equal(list[1].Positive, []int{0, 1}) {
		t.Fatalf("metrics = %+v", list)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM metrics WHERE created_by = 'analyst'"); n != 1 {
		t.Errorf("replacing a metric changed who created it")
	}

	if err := s.DeleteMetric(ctx, sv.ID, "Home Care Share"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Metric(ctx, sv.ID, "home care share"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted metric: error %v, want ErrNotFound", err)
	}
	if err := s.DeleteMetric(ctx, sv.ID, "Home care share"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting twice: error %v, want ErrNotFound", err)
	}
}

func TestSaveMetricRefuses(t *testing.T) {
	s, _ := newTestStore(t)
	sv, _, _, _ := reportSurvey(t, s)
	cases := []struct {
		name   string
		metric analytics.Metric
		want   string
	}{
		{"no name", analytics.Metric{Name: "  ", Question: "overall", Positive: []int{0}}, "give the metric a name"},
		{"a preset's name", analytics.Metric{Name: "Top-Box", Question: "overall", Positive: []int{0}}, "preset"},
		{"too long a name", analytics.Metric{Name: strings.Repeat("x", 101), Question: "overall", Positive: []int{0}}, "longer than"},
		{"unknown question", analytics.Metric{Name: "A", Question: "nope", Positive: []int{0}}, `no question "nope"`},
		{"text question", analytics.Metric{Name: "A", Question: "comment", Positive: []int{0}}, "text question"},
		{"option out of range", analytics.Metric{Name: "A", Question: "overall", Positive: []int{7}}, "option 7"},
		{"nothing positive", analytics.Metric{Name: "A", Question: "overall", Excluded: []int{3}}, "no positive options"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.SaveMetric(context.Background(), sv.ID, c.metric, "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	if n := count(t, s, "SELECT COUNT(*) FROM metrics"); n != 0 {
		t.Fatalf("%d refused metrics were stored", n)
	}
}
