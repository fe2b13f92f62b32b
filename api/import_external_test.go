package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// externalDir is where the real survey exports are kept, beside the repo.
func externalDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data", "external")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the real exports are not here (%v): skipping", err)
	}
	return dir
}

func newStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := storetest.NewDB(t)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// csvRecords reads a CSV independently of the importer: its own BOM strip
// and Mac Roman fallback, encoding/csv, blank records dropped.
func csvRecords(t testing.TB, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !isUTF8(b) {
		if b, err = charmap.Macintosh.NewDecoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return dropBlank(all)
}

func isUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

func dropBlank(rows [][]string) [][]string {
	var out [][]string
	for _, r := range rows {
		if strings.TrimSpace(strings.Join(r, "")) != "" {
			out = append(out, r)
		}
	}
	return out
}

// xlsxRecords reads a sheet whole with excelize (in tests only: heard
// itself streams), blank rows dropped.
func xlsxRecords(t testing.TB, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return dropBlank(rows)
}

// distinctIn counts the distinct non-empty values of the named column.
func distinctIn(records [][]string, header string) int {
	col := -1
	for i, h := range records[0] {
		if strings.TrimSpace(h) == header {
			col = i
		}
	}
	seen := make(map[string]bool)
	for _, r := range records[1:] {
		if col < len(r) && r[col] != "" {
			seen[r[col]] = true
		}
	}
	return len(seen)
}

// TestImportRealExports imports every real survey export and checks the
// detected format and that the responses stored are exactly the ones a
// reading independent of the importer counts.
func TestImportRealExports(t *testing.T) {
	dir := externalDir(t)
	tests := []struct {
		file       string
		format     string
		headerRows int
		// want is the number of responses, as published with the file; the
		// test also counts it from the file itself.
		want int
		// idColumn, when set, is the respondent id column: responses are
		// its distinct values and the other rows are duplicates.
		idColumn string
	}{
		{file: "qualtrics-qualtRics/sample_legacy.csv", format: "qualtrics", headerRows: 2, want: 1},
		{file: "qualtrics-qualtricstools/Long_Exhaustive_Sample_Survey.csv", format: "qualtrics", headerRows: 3, want: 31},
		{file: "qualtrics-qualtricstools/SidebySide_Questions_Insights.csv", format: "qualtrics", headerRows: 3, want: 25},
		{file: "qualtrics-qualtricstools/Better_Sample_Survey.csv", format: "qualtrics", headerRows: 3, want: 10},
		{file: "qualtrics-qualtricstools/No_Basis_for_Evaluation_Legacy.csv", format: "qualtrics", headerRows: 2, want: 15},
		{file: "surveymonkey-fivethirtyeight/StarWars.csv", format: "surveymonkey", headerRows: 2, want: 1186},
		{file: "surveymonkey-fivethirtyeight/steak-risk-survey.csv", format: "surveymonkey", headerRows: 2, want: 550},
		// FiveThirtyEight re-coded this SurveyMonkey poll: one header row, no Respondent ID, so it reads as generic.
		{file: "surveymonkey-fivethirtyeight/masculinity-raw-responses.csv", format: "generic", headerRows: 1, want: 1615},
		{file: "msforms-phonebrandpred/surveyEng.xlsx", format: "microsoft-forms", headerRows: 1, want: 28},
		{file: "msforms-phonebrandpred/surveyEng.csv", format: "microsoft-forms", headerRows: 1, want: 55},
		{file: "msforms-phonebrandpred/surveyCN.csv", format: "generic", headerRows: 1, want: 21},
		{file: "googleforms-uvads-hotdog/fa25_Is_hotdog_a_sandwich_Responses.xlsx", format: "google-forms", headerRows: 1, want: 207},
		{file: "googleforms-uvads-hotdog/sp25_Form_Responses_1.csv", format: "google-forms", headerRows: 1, want: 64},
		{file: "limesurvey-artifact-survey/results-survey54231.xlsx", format: "limesurvey", headerRows: 1, want: 257},
		{file: "kobotoolbox-kobocruncher/data.xlsx", format: "kobotoolbox", headerRows: 1, want: 5},
		{file: "kobotoolbox-kobocruncher/data_likert.xlsx", format: "kobotoolbox", headerRows: 1, want: 120},
		{file: "nhs-fft-gp-practice/data.csv", format: "generic", headerRows: 1, want: 3882},
		{file: "gp-practice-patient-survey/data.csv", format: "generic", headerRows: 1, want: 2266},
		{file: "nhs-fft-pxtextmining/v6framework_230831.csv", format: "generic", headerRows: 1, want: 4466, idColumn: "Respondent ID"},
		{file: "nhs-fft-pxtextmining/text_data_phase1.csv", format: "generic", headerRows: 1, want: 10334},
		{file: "ascof-nhs-digital/meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx", format: "generic", headerRows: 1, want: 48970},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			var records [][]string
			if strings.HasSuffix(tc.file, ".xlsx") {
				records = xlsxRecords(t, path, "")
			} else {
				records = csvRecords(t, path)
			}
			rows := len(records) - tc.headerRows
			responses := rows
			if tc.idColumn != "" {
				responses = distinctIn(records, tc.idColumn)
			}
			if responses != tc.want {
				t.Fatalf("the independent count is %d responses, the published count %d", responses, tc.want)
			}
			st, _ := newStore(t)
			rep, err := ingest.ImportFile(context.Background(), st, path, filepath.Base(path), ingest.ImportParams{Survey: "S"})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Refused() {
				t.Fatalf("refused: %v", rep.Errors)
			}
			if rep.Format != tc.format {
				t.Errorf("format = %q, want %q", rep.Format, tc.format)
			}
			if rep.RowsRead != rows || rep.ResponsesAdded != responses || rep.Duplicates != rows-responses {
				t.Errorf("rows read %d, added %d, duplicates %d; want %d, %d, %d",
					rep.RowsRead, rep.ResponsesAdded, rep.Duplicates, rows, responses, rows-responses)
			}
			list, err := st.Surveys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].Responses != int64(responses) {
				t.Fatalf("stored surveys = %+v, want one with %d responses", list, responses)
			}
			again, err := ingest.ImportFile(context.Background(), st, path, filepath.Base(path), ingest.ImportParams{Survey: "S"})
			if err != nil {
				t.Fatal(err)
			}
			if !again.AlreadyImported || again.ResponsesAdded != 0 {
				t.Fatalf("the same file again: %+v", again)
			}
		})
	}
}
