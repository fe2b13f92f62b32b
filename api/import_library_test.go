package api

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
)

// TestImportSpreadsheetLibraryFiles imports every quirky or broken
// workbook from the spreadsheet libraries' own test suites: each is either
// imported with the responses it holds, or refused with its own message
// and nothing written. The expected counts were checked by reading each
// sheet's XML by hand: title rows above the headings are skipped, and a
// sheet with one filled row has headings but no responses.
func TestImportSpreadsheetLibraryFiles(t *testing.T) {
	dir := externalDir(t)
	tests := []struct {
		file      string
		responses int
		refusal   string // the start of the message when refused
	}{
		{"calamine-testfiles/any_sheets.xlsx", 3, ""},
		{"calamine-testfiles/column_row_ranges.xlsx", 4, ""},
		{"calamine-testfiles/date.ods", 0, "this is an OpenDocument spreadsheet (.od"},
		{"calamine-testfiles/date.xls", 0, "this is an old-style Excel file (.xls), "},
		{"calamine-testfiles/date.xlsx", 2, ""},
		{"calamine-testfiles/date_1904.xlsx", 2, ""},
		{"calamine-testfiles/date_iso.xlsx", 5, ""},
		{"calamine-testfiles/date_quoted_format.xlsx", 3, ""},
		{"calamine-testfiles/empty_s_attribute.xlsx", 0, "the workbook is laid out in an unusual w"},
		{"calamine-testfiles/empty_shared_string.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/empty_shared_string_value.xlsx", 2, ""},
		{"calamine-testfiles/empty_sheet.xlsx", 0, "the workbook is empty: none of its sheet"},
		{"calamine-testfiles/encoded_entities.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/errors.xlsx", 6, ""},
		{"calamine-testfiles/has_x000D_.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/has_x000D_inline.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/header-row.xlsx", 1, ""},
		{"calamine-testfiles/inlineStr_cdata.xlsx", 1, ""},
		{"calamine-testfiles/inlineStr_with_value.xlsx", 1, ""},
		{"calamine-testfiles/merge_cells.xlsx", 1, ""},
		{"calamine-testfiles/merged_range.xlsx", 2, ""},
		{"calamine-testfiles/minimal_package.xlsx", 193, ""},
		{"calamine-testfiles/no-header.xlsx", 1, ""},
		{"calamine-testfiles/non_monotonic_si.xlsx", 5, ""},
		{"calamine-testfiles/nonstandard-xml-ns-prefix.xlsx", 2, ""},
		{"calamine-testfiles/pass_protected.xlsx", 0, "the workbook is protected with a passwor"},
		{"calamine-testfiles/richtext-after-plain.xlsx", 1, ""},
		{"calamine-testfiles/richtext-namespaced.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/rph.xlsx", 0, "the file has column headings but no resp"},
		{"calamine-testfiles/strict_iso_paths.xlsx", 75, ""},
		{"calamine-testfiles/table-multiple.xlsx", 4, ""},
		{"calamine-testfiles/temperature.xlsx", 2, ""},
		{"calamine-testfiles/too_small.xls", 0, "this is not a CSV or Excel file; upload "},
		{"calamine-testfiles/whitespace_trim.xlsx", 2, ""},
		{"excelize-testfiles/BadWorkbook.xlsx", 0, "the file is damaged or was not saved com"},
		{"excelize-testfiles/Book1.xlsx", 2, ""},
		{"excelize-testfiles/CalcChain.xlsx", 0, "the file has column headings but no resp"},
		{"excelize-testfiles/MergeCell.xlsx", 11, ""},
		{"excelize-testfiles/OverflowNumericCell.xlsx", 0, "the file has column headings but no resp"},
		{"excelize-testfiles/SharedStrings.xlsx", 0, "the file has column headings but no resp"},
		{"excelize-testfiles/encryptAES.xlsx", 0, "the workbook is protected with a passwor"},
		{"tealeg-xlsx-testdocs/badfile_noWorkbookRels.xlsx", 0, "the file is damaged or was not saved com"},
		{"tealeg-xlsx-testdocs/badfile_noWorksheets.xlsx", 0, "the file is damaged or was not saved com"},
		{"tealeg-xlsx-testdocs/empty_cells.xlsx", 3, ""},
		{"tealeg-xlsx-testdocs/empty_rows.xlsx", 1, ""},
		{"tealeg-xlsx-testdocs/empty_rows_in_the_rest.xlsx", 0, "the file has column headings but no resp"},
		{"tealeg-xlsx-testdocs/googleDocsTest.xlsx", 1, ""},
		{"tealeg-xlsx-testdocs/inlineStrings.xlsx", 32, ""},
		{"tealeg-xlsx-testdocs/issue574.xlsx", 3, ""},
		{"tealeg-xlsx-testdocs/macExcelTest.xlsx", 0, "the file has column headings but no resp"},
		{"tealeg-xlsx-testdocs/macNumbersTest.xlsx", 0, "the file has column headings but no resp"},
		{"tealeg-xlsx-testdocs/max_sheet_name_length.xlsx", 0, "the file has column headings but no resp"},
		{"tealeg-xlsx-testdocs/merged_cells.xlsx", 6, ""},
		{"tealeg-xlsx-testdocs/merged_cells2.xlsx", 2, ""},
		{"tealeg-xlsx-testdocs/namespaced.xlsx", 1, ""},
		{"tealeg-xlsx-testdocs/noStylesAndSharedStringsTest.xlsx", 2604, ""},
		{"tealeg-xlsx-testdocs/testFileToSliceValueOnly.xlsx", 1, ""},
		{"tealeg-xlsx-testdocs/testcelltypes.xlsx", 7, ""},
		{"tealeg-xlsx-testdocs/testchartsheet.xlsx", 4, ""},
		{"tealeg-xlsx-testdocs/wpsBlankLineTest.xlsx", 2, ""},
	}
	st, _ := newStore(t)
	ctx := context.Background()
	if rep, err := ingest.ImportFile(ctx, st, fixture("smartsurvey-small.csv"), "smartsurvey-small.csv", ingest.ImportParams{Survey: "kept"}); err != nil || rep.Refused() {
		t.Fatalf("first import: %v %+v", err, rep)
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			before, err := st.Surveys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tc.file)
			rep, err := ingest.ImportFile(ctx, st, path, filepath.Base(path), ingest.ImportParams{Survey: tc.file})
			if err != nil {
				t.Fatal(err)
			}
			after, err := st.Surveys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tc.refusal == "" {
				if rep.Refused() || rep.ResponsesAdded != tc.responses {
					t.Fatalf("added %d responses, errors %v; want %d responses", rep.ResponsesAdded, rep.Errors, tc.responses)
				}
				if len(after) != len(before)+1 {
					t.Fatalf("%d surveys after the import, want %d", len(after), len(before)+1)
				}
				return
			}
			if !rep.Refused() || !strings.HasPrefix(rep.Errors[0].Message, tc.refusal) {
				t.Fatalf("errors %v; want a refusal starting %q", rep.Errors, tc.refusal)
			}
			if rep.Errors[0].File != filepath.Base(path) {
				t.Errorf("the error names file %q, want %q", rep.Errors[0].File, filepath.Base(path))
			}
			if len(after) != len(before) || after[0].Responses != before[0].Responses {
				t.Fatalf("a refused file changed what was stored: %+v -> %+v", before, after)
			}
		})
	}
}
