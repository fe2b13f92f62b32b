package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

func TestImportFileDuplicates(t *testing.T) {
	tests := []struct {
		name         string
		files        [][]string // respondent ids of each file
		added, dupes []int
		wantRows     int64
	}{
		{"across files", [][]string{{"a", "b", "c"}, {"b", "c", "d", "e"}}, []int{3, 2}, []int{0, 2}, 5},
		{"within a file", [][]string{{"a", "b", "a", "c", "b", "a"}}, []int{3}, []int{3}, 3},
		{"adjacent in one batch", [][]string{{"x", "x"}}, []int{1}, []int{1}, 1},
		{"no ids are all added", [][]string{{"", "", ""}, {"", ""}}, []int{3, 2}, []int{0, 0}, 5},
		{"mixed", [][]string{{"", "a", ""}, {"a", "", "b"}}, []int{3, 2}, []int{0, 1}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			var surveyID int64
			for i, ids := range tt.files {
				var list []analytics.Response
				for j, id := range ids {
					// Identical rows apart from the id: nothing else may make them duplicates.
					list = append(list, response(id, j+2, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), 0, "A"))
				}
				imp, err := s.ImportFile(context.Background(), request("Care", fmt.Sprintf("file%d.csv", i), testMapping()),
					from(list...), nil)
				if err != nil {
					t.Fatal(err)
				}
				if imp.Added != tt.added[i] || imp.Duplicates != tt.dupes[i] {
					t.Errorf("file %d: added %d, duplicates %d, want %d and %d", i, imp.Added, imp.Duplicates, tt.added[i], tt.dupes[i])
				}
				if got := count(t, s, "SELECT added FROM imports WHERE id = ?", imp.ID); got != int64(tt.added[i]) {
					t.Errorf("file %d: imports.added = %d, want %d", i, got, tt.added[i])
				}
				surveyID = imp.SurveyID
			}
			if got := count(t, s, "SELECT COUNT(*) FROM "+responseTable(surveyID)); got != tt.wantRows {
				t.Errorf("%d rows stored, want %d", got, tt.wantRows)
			}
		})
	}
}

func TestImportFileDuplicatesAcrossBatches(t *testing.T) {
	s, _ := newTestStore(t)
	list := manyResponses("r", 1050)
	// Repeat some respondents from far earlier batches and the last one.
	list = append(list, list[5], list[999], list[1049])
	var progress []int
	imp, err := s.ImportFile(context.Background(), request("Care", "a.csv", testMapping()), from(list...),
		func(n int) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 1050 || imp.Duplicates != 3 {
		t.Errorf("added %d, duplicates %d, want 1050 and 3", imp.Added, imp.Duplicates)
	}
	if want := []int{1000, 1053}; !slices.Equal(progress, want) {
		t.Errorf("progress calls %v, want %v", progress, want)
	}
}

// failAfter yields list's first n responses, then err.
func failAfter(list []analytics.Response, n int, err error) func() (analytics.Response, error) {
	i := 0
	return func() (analytics.Response, error) {
		if i == n {
			return analytics.Response{}, err
		}
		i++
		return list[i-1], nil
	}
}

func TestImportFileFailureLeavesNothing(t *testing.T) {
	bad := &analytics.ImportError{File: "april.csv", Row: 752, Column: "Overall satisfaction",
		Message: "'Very satisfied ' is not an option of this scale"}
	m2 := testMapping()
	m2.Questions = append(m2.Questions, satisfaction("new", "Yes", "No"))
	m2.Questions[0].Options = append(m2.Questions[0].Options, analytics.Option{Label: "Excellent"})
	m2.Dimensions = append(m2.Dimensions, analytics.Dimension{Code: "age", Name: "Age band", Kind: "age-band"})
	tests := []struct {
		name  string
		first bool // import a good file into the survey before
	}{
		{"first import of a survey", false},
		{"later import of a survey", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			ctx := context.Background()
			if tt.first {
				if _, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()), from(manyResponses("m", 300)...), nil); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, s)
			list := manyResponses("a", 2000)
			_, err := s.ImportFile(ctx, request("Care", "april.csv", m2), failAfter(extend(list), 750, bad), nil)
			var got *analytics.ImportError
			if !errors.As(err, &got) || got != bad {
				t.Fatalf("error %v, want the *analytics.ImportError from next", err)
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("database changed by a failed import:\nbefore %s\nafter  %s", before, after)
			}
			if !tt.first && hasTable(t, s, "responses_1") {
				t.Error("response table left behind")
			}
		})
	}
}

// extend adapts responses to testMapping for the mapping with one more
// question and one more dimension used by the failure test.
func extend(list []analytics.Response) []analytics.Response {
	out := make([]analytics.Response, len(list))
	for i, r := range list {
		r.Answers = append(slices.Clone(r.Answers), analytics.Answer{Option: 0})
		r.Dimensions = append(slices.Clone(r.Dimensions), "18-64")
		out[i] = r
	}
	return out
}

// snapshot describes everything a failed import could have changed.
func snapshot(tb testing.TB, s *Store) string {
	tb.Helper()
	var b strings.Builder
	schema := []string{"SELECT COUNT(*) FROM sqlite_master", "SELECT COALESCE(SUM(LENGTH(sql)), 0) FROM sqlite_master"}
	if s.pg {
		schema = []string{"SELECT COUNT(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace",
			"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()"}
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM surveys", "SELECT COUNT(*) FROM questions", "SELECT COUNT(*) FROM options",
		"SELECT COUNT(*) FROM dimensions", "SELECT COUNT(*) FROM imports",
		schema[0], schema[1],
		"SELECT COALESCE(SUM(LENGTH(mapping_json)), 0) FROM surveys",
	} {
		fmt.Fprintf(&b, "%d ", count(tb, s, q))
	}
	if hasTable(tb, s, "responses_1") {
		fmt.Fprintf(&b, "rows=%d", count(tb, s, "SELECT COUNT(*) FROM responses_1"))
	}
	return b.String()
}

func TestImportFileCancelled(t *testing.T) {
	s, _ := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	list := manyResponses("r", 5000)
	i := 0
	next := func() (analytics.Response, error) {
		if i == 1500 {
			cancel()
		}
		if i == len(list) {
			return analytics.Response{}, io.EOF
		}
		i++
		return list[i-1], nil
	}
	_, err := s.ImportFile(ctx, request("Care", "a.csv", testMapping()), next, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got := count(t, s, "SELECT COUNT(*) FROM surveys"); got != 0 {
		t.Errorf("%d surveys after a cancelled import, want 0", got)
	}
}
