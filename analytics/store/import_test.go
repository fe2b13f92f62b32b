package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

func TestImportFileStoresResponses(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	list := manyResponses("r", 250)
	// Late on the last Sunday of March 2024 in UTC is already April in
	// London (BST began at 01:00 UTC that day); in January London is UTC.
	list[0].Submitted = time.Date(2024, 3, 31, 23, 30, 0, 0, time.UTC)
	list[1].Submitted = time.Date(2024, 1, 15, 23, 30, 0, 0, time.UTC)
	list[2].Submitted = time.Time{}
	list[3].Complete = false
	list[3].Answers = []analytics.Answer{analytics.NoAnswer, analytics.NoAnswer, analytics.NoAnswer,
		analytics.NoAnswer, analytics.NoAnswer, analytics.NoAnswer}
	list[3].Dimensions = []string{""}
	var progress []int
	req := request("People feedback — assessment", "march.csv", testMapping())
	req.Import.RowsRead, req.Import.Sheet = 250, "Sheet1"
	imp, err := s.ImportFile(ctx, req, from(list...), func(n int) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	if imp.ID == 0 || imp.SurveyID == 0 || imp.Added != 250 || imp.Duplicates != 0 || imp.At.IsZero() ||
		imp.File != "march.csv" || imp.RowsRead != 250 || imp.By != "analyst" {
		t.Errorf("ImportFile returned %+v", imp)
	}
	if !slices.Equal(progress, []int{250}) {
		t.Errorf("progress calls %v, want [250]", progress)
	}
	table := responseTable(imp.SurveyID)
	if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != 250 {
		t.Errorf("%d rows stored, want 250", got)
	}
	if got := count(t, s, "SELECT COUNT(*) FROM "+table+" WHERE import_id = ?", imp.ID); got != 250 {
		t.Errorf("%d rows refer to the import, want 250", got)
	}
	qs, ds, err := s.Questions(ctx, imp.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 6 || len(ds) != 1 {
		t.Fatalf("Questions: %d questions, %d dimensions, want 6 and 1", len(qs), len(ds))
	}
	cols := []string{"respondent_id", "row_number", "submitted_at", "day", "month", "complete"}
	for _, q := range qs {
		cols = append(cols, questionColumn(q.ID))
	}
	cols = append(cols, dimensionColumn(ds[0].ID))
	rowOf := func(id string) []string {
		t.Helper()
		rows, err := s.db.Raw("SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WHERE respondent_id = ?", id).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatalf("respondent %s not stored", id)
		}
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = "NULL"
			if v.Valid {
				out[i] = v.String
			}
		}
		return out
	}
	tests := []struct {
		id   string
		want []string
	}{
		{"r1", []string{"r1", "2", "2024-03-31T23:30:00Z", "2024-04-01", "2024-04", "1",
			"0", "1", ";0;2;", "Kind staff r1", "3.5", "2024-02-01T00:00:00Z", "Team 0"}},
		{"r2", []string{"r2", "3", "2024-01-15T23:30:00Z", "2024-01-15", "2024-01", "1",
			"1", "1", ";0;2;", "Kind staff r2", "3.5", "2024-02-01T00:00:00Z", "Team 1"}},
		{"r3", []string{"r3", "4", "NULL", "NULL", "NULL", "1",
			"2", "1", ";0;2;", "Kind staff r3", "3.5", "2024-02-01T00:00:00Z", "Team 2"}},
		{"r4", []string{"r4", "5", "2024-01-01T12:00:00Z", "2024-01-01", "2024-01", "0",
			"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
	}
	for _, tt := range tests {
		if got := rowOf(tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("respondent %s stored as\n%q, want\n%q", tt.id, got, tt.want)
		}
	}

	sv, err := s.SurveyBySlug(ctx, "people-feedback-assessment")
	if err != nil || sv.ID != imp.SurveyID || sv.Name != "People feedback — assessment" {
		t.Errorf("SurveyBySlug = %+v, %v", sv, err)
	}
	sums, err := s.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := analytics.SurveySummary{Survey: sv, Responses: 250, Questions: 6, Imports: 1,
		FirstDate: "2024-01-01", LastDate: "2024-04-01"}
	if len(sums) != 1 || sums[0] != want {
		t.Errorf("Surveys = %+v, want [%+v]", sums, want)
	}
	imps, err := s.Imports(ctx, imp.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 1 || imps[0] != imp {
		t.Errorf("Imports = %+v, want [%+v]", imps, imp)
	}
}

func TestSurveyMappingRoundTrip(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	m := testMapping()
	m.Questions[0].Tags = []string{"assessing-needs"}
	m.DateOrder = analytics.DayFirst
	if _, err := s.ImportFile(ctx, request("Care", "a.csv", m), from(), nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.SurveyMapping(ctx, "Care")
	if err != nil {
		t.Fatal(err)
	}
	for i := range got.Questions {
		if got.Questions[i].ID == 0 {
			t.Errorf("question %s has no ID", got.Questions[i].Code)
		}
		got.Questions[i].ID = 0
	}
	for i := range got.Dimensions {
		got.Dimensions[i].ID = 0
	}
	if fmt.Sprint(got) != fmt.Sprint(m) {
		t.Errorf("SurveyMapping =\n%+v, want\n%+v", got, m)
	}
	if _, err := s.SurveyMapping(ctx, "No such survey"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SurveyMapping of an unknown survey: %v, want ErrNotFound", err)
	}
	if _, err := s.SurveyByName(ctx, "No such survey"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SurveyByName of an unknown survey: %v, want ErrNotFound", err)
	}
}

func TestImportFileRefusesRepeatedFile(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	first, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()), from(manyResponses("r", 10)...), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, survey, file string }{
		{"same survey, same name", "Care", "march.csv"},
		{"same content, other name", "Care", "march (1).csv"},
		{"other survey", "Another survey", "march.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.survey, tt.file, testMapping())
			req.Import.SHA256 = first.SHA256
			m := testMapping()
			m.Questions = append(m.Questions, satisfaction("extra", "Yes", "No"))
			req.Mapping = m
			_, err := s.ImportFile(ctx, req, from(manyResponses("new", 5)...), nil)
			var already *AlreadyImportedError
			if !errors.As(err, &already) || !errors.Is(err, ErrAlreadyImported) {
				t.Fatalf("error %v, want an *AlreadyImportedError", err)
			}
			if already.Survey != "Care" || already.Import != first {
				t.Errorf("error carries %q, %+v; want Care, %+v", already.Survey, already.Import, first)
			}
			if !strings.Contains(err.Error(), `"march.csv"`) || !strings.Contains(err.Error(), "Care") {
				t.Errorf("message %q does not name the earlier file and survey", err)
			}
			for query, want := range map[string]int64{
				"SELECT COUNT(*) FROM surveys":                          1,
				"SELECT COUNT(*) FROM imports":                          1,
				"SELECT COUNT(*) FROM questions":                        6,
				"SELECT COUNT(*) FROM " + responseTable(first.SurveyID): 10,
			} {
				if got := count(t, s, query); got != want {
					t.Errorf("%s = %d, want %d", query, got, want)
				}
			}
		})
	}
}

func TestImportLookups(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	var imps []analytics.Import
	for i, survey := range []string{"Care", "Carers", "Care"} {
		imp, err := s.ImportFile(ctx, request(survey, fmt.Sprintf("%d.csv", i), testMapping()), from(), nil)
		if err != nil {
			t.Fatal(err)
		}
		imps = append(imps, imp)
	}
	got, survey, err := s.ImportBySHA256(ctx, imps[1].SHA256)
	if err != nil || got != imps[1] || survey != "Carers" {
		t.Errorf("ImportBySHA256 = %+v, %q, %v; want %+v, Carers", got, survey, err, imps[1])
	}
	if _, _, err := s.ImportBySHA256(ctx, sha("never imported")); !errors.Is(err, ErrNotFound) {
		t.Errorf("ImportBySHA256 of an unknown file: %v, want ErrNotFound", err)
	}
	tests := []struct {
		name     string
		surveyID int64
		want     []analytics.Import
	}{
		{"all surveys", 0, []analytics.Import{imps[2], imps[1], imps[0]}},
		{"one survey", imps[0].SurveyID, []analytics.Import{imps[2], imps[0]}},
		{"unknown survey", 99, []analytics.Import{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Imports(ctx, tt.surveyID)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Imports(%d) = %+v, %v; want %+v", tt.surveyID, got, err, tt.want)
			}
		})
	}
}

// TestImportRaceDecidedByTheConstraint: an import that passed the check
// for an earlier import of its file (as two PostgreSQL transactions can at
// once) is stopped by imports.sha256's UNIQUE constraint, and the loser is
// told the file was already imported, as if the check had seen it. On
// SQLite the check always sees it (one writer), so the losing INSERT is
// made here directly.
func TestImportRaceDecidedByTheConstraint(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	first, err := s.ImportFile(ctx, request("Care", "march.csv", testMapping()), from(manyResponses("r", 10)...), nil)
	if err != nil {
		t.Fatal(err)
	}
	req := request("Care", "march (copy).csv", testMapping())
	req.Import.SHA256 = first.SHA256
	lost := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := createImport(ctx, tx, first.SurveyID, req)
		return err
	})
	if !errors.Is(lost, gorm.ErrDuplicatedKey) {
		t.Fatalf("a second imports row for the same file: %v, want a unique violation", lost)
	}
	err = s.repeatFromConflict(ctx, fmt.Errorf("import march (copy).csv: %w", lost), first.SHA256)
	var already *AlreadyImportedError
	if !errors.As(err, &already) || already.Import != first || already.Survey != "Care" {
		t.Fatalf("the loser's error %v, want an *AlreadyImportedError naming the first import", err)
	}
	// Another unique violation (a survey created at once by two imports of
	// different files) is not a repeated file.
	other := s.db.WithContext(ctx).Exec("INSERT INTO surveys (name, slug, created_at, mapping_json) VALUES ('Care', 'care-x', '2024-01-01T00:00:00Z', '{}')").Error
	if !errors.Is(other, gorm.ErrDuplicatedKey) {
		t.Fatalf("a second survey of the same name: %v, want a unique violation", other)
	}
	if err := s.repeatFromConflict(ctx, other, sha("another file")); err != other {
		t.Errorf("another conflict became %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 1 {
		t.Errorf("%d imports, want 1", n)
	}
}
