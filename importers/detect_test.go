package importers

import (
	"strings"
	"testing"
)

// headOf returns the first rows of a real export, CSV or XLSX.
func headOf(tb testing.TB, file, sheet string) [][]string {
	tb.Helper()
	var rows [][]string
	if strings.HasSuffix(file, ".xlsx") {
		rows = readXLSXRows(tb, file, sheet)
	} else {
		rows = readCSVRows(tb, file)
	}
	return rows[:min(len(rows), 5)]
}

func TestDetectLayoutRealExports(t *testing.T) {
	tests := []struct {
		name        string
		file, sheet string
		format      Format
		headerRows  int
		headers     map[int]string
		codes       map[int]string
	}{
		{
			name: "qualtrics legacy with BOM", file: "qualtrics-qualtRics/sample_legacy.csv",
			format: FormatQualtrics, headerRows: 2,
			headers: map[int]string{0: "ResponseID", 10: "This is a multiple choice question.", 15: "Column P"},
			codes:   map[int]string{0: "V1", 10: "Q1", 12: "LocationLatitude"},
		},
		{
			name: "qualtrics legacy no basis", file: "qualtrics-qualtricstools/No_Basis_for_Evaluation_Legacy.csv",
			format: FormatQualtrics, headerRows: 2,
			headers: map[int]string{10: "Indicate how you feel about squash",
				14: "Check all statements you agree with-No basis for evaluation"},
			codes: map[int]string{9: "V10", 14: "Q2_4"},
		},
		{
			name: "qualtrics insights single-quoted ImportId", file: "qualtrics-qualtricstools/Better_Sample_Survey.csv",
			format: FormatQualtrics, headerRows: 3,
			headers: map[int]string{4: "EndDate", 20: "Please select your favorite fruit from the following options"},
			codes:   map[int]string{20: "q2_favorite"},
		},
		{
			name: "qualtrics very wide", file: "qualtrics-qualtricstools/Long_Exhaustive_Sample_Survey.csv",
			format: FormatQualtrics, headerRows: 3,
			headers: map[int]string{12: "This is a plain mcsa question. What kind of fruit do you like most?",
				13: "This is a plain mcsa question. What kind of fruit do you like most? (2)"},
			codes: map[int]string{11: "Q1", 13: "Q10"},
		},
		{
			name: "qualtrics side by side", file: "qualtrics-qualtricstools/SidebySide_Questions_Insights.csv",
			format: FormatQualtrics, headerRows: 3,
			headers: map[int]string{11: "Click to write the question text-Click to write Column 1-Click to write Statement 1"},
			codes:   map[int]string{11: "Q1#1_1"},
		},
		{
			name: "surveymonkey two header rows", file: "surveymonkey-fivethirtyeight/StarWars.csv",
			format: FormatSurveyMonkey, headerRows: 2,
			headers: map[int]string{
				0:  "RespondentID",
				1:  "Have you seen any of the 6 films in the Star Wars franchise?",
				4:  "Which of the following Star Wars films have you seen? Please select all that apply. — Star Wars: Episode II Attack of the Clones",
				15: "Please state whether you view the following characters favorably, unfavorably, or are unfamiliar with him/her. — Han Solo",
			},
			codes: map[int]string{1: ""},
		},
		{
			name: "surveymonkey with html in question", file: "surveymonkey-fivethirtyeight/steak-risk-survey.csv",
			format: FormatSurveyMonkey, headerRows: 2,
			headers: map[int]string{
				1:  "Consider the following hypothetical situations: In Lottery A, you have a 50% chance of success, with a payout of $100. In Lottery B, you have a 90% chance of success, with a payout of $20. Assuming you have $10 to bet, would you play Lottery A or Lottery B?",
				10: "Gender",
			},
		},
		{
			// Re-coded by FiveThirtyEight: no Respondent ID, no "Response"
			// row, one header row (see TestMasculinityIsGeneric).
			name: "surveymonkey re-coded", file: "surveymonkey-fivethirtyeight/masculinity-raw-responses.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{0: "Column A", 1: "StartDate", 3: "q0001"},
		},
		{
			name: "microsoft forms csv saved from excel", file: "msforms-phonebrandpred/surveyEng.csv",
			format: FormatMicrosoftForms, headerRows: 1,
			headers: map[int]string{2: "Completion time", 10: "What is the name of the your preferred phone model?"},
		},
		{
			name: "microsoft forms xlsx", file: "msforms-phonebrandpred/surveyEng.xlsx",
			format: FormatMicrosoftForms, headerRows: 1,
			headers: map[int]string{0: "ID", 3: "Email", 8: "How satisfied are you about your phone?"},
		},
		{
			name: "wenjuanxing is generic", file: "msforms-phonebrandpred/surveyCN.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{0: "序号", 1: "提交答卷时间"},
		},
		{
			name: "google forms csv", file: "googleforms-uvads-hotdog/sp25_Form_Responses_1.csv",
			format: FormatGoogleForms, headerRows: 1,
			headers: map[int]string{0: "Timestamp", 7: "Gender: How do you identify?"},
		},
		{
			name: "google forms xlsx", file: "googleforms-uvads-hotdog/fa25_Is_hotdog_a_sandwich_Responses.xlsx",
			format: FormatGoogleForms, headerRows: 1,
			headers: map[int]string{2: "Is hotdog a sandwich?"},
		},
		{
			name: "limesurvey xlsx", file: "limesurvey-artifact-survey/results-survey54231.xlsx",
			format: FormatLimeSurvey, headerRows: 1,
			headers: map[int]string{1: "submitdate", 7: "g0[CICSE_Y2011]"},
			codes:   map[int]string{0: "id", 7: "g0[CICSE_Y2011]"},
		},
		{
			name: "kobotoolbox main sheet", file: "kobotoolbox-kobocruncher/data.xlsx",
			format: FormatKoboToolbox, headerRows: 1,
			headers: map[int]string{17: "_uuid", 18: "_submission_time"},
			codes:   map[int]string{3: "profile.country"},
		},
		{
			name: "kobotoolbox repeat group sheet", file: "kobotoolbox-kobocruncher/data.xlsx", sheet: "members",
			format: FormatKoboToolbox, headerRows: 1,
			headers: map[int]string{1: "members.sex"},
		},
		{
			name: "kobotoolbox group paths only", file: "kobotoolbox-kobocruncher/data_likert.xlsx",
			format: FormatKoboToolbox, headerRows: 1,
			headers: map[int]string{0: "group_pm0cj55.return_ven"},
		},
		{
			name: "nhs fft generic", file: "nhs-fft-gp-practice/data.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{0: "time", 1: "rating", 4: "surgery"},
			codes:   map[int]string{1: ""},
		},
		{
			name: "gp patient survey generic", file: "gp-practice-patient-survey/data.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{2: "phone", 5: "overall_experience"},
		},
		{
			name: "pxtextmining generic", file: "nhs-fft-pxtextmining/v6framework_230831.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{2: "Respondent ID", 20: "Staff listening, understanding & involving patients"},
		},
		{
			name: "pxtextmining phase 1 generic", file: "nhs-fft-pxtextmining/text_data_phase1.csv",
			format: FormatGeneric, headerRows: 1,
			headers: map[int]string{7: "row_index"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := headOf(t, tt.file, tt.sheet)
			l, err := DetectLayout(head, FormatAuto)
			if err != nil {
				t.Fatalf("DetectLayout: %v", err)
			}
			if l.Format != tt.format || l.HeaderRows != tt.headerRows {
				t.Errorf("format %s with %d header rows, want %s with %d", l.Format, l.HeaderRows, tt.format, tt.headerRows)
			}
			if len(l.Headers) != len(l.Codes) || len(l.Headers) < len(head[0]) {
				t.Fatalf("%d headers and %d codes for %d columns", len(l.Headers), len(l.Codes), len(head[0]))
			}
			for j, want := range tt.headers {
				if l.Headers[j] != want {
					t.Errorf("header %d = %q, want %q", j, l.Headers[j], want)
				}
			}
			for j, want := range tt.codes {
				if l.Codes[j] != want {
					t.Errorf("code %d = %q, want %q", j, l.Codes[j], want)
				}
			}
			seen := map[string]bool{}
			for _, h := range l.Headers {
				if h == "" || seen[strings.ToLower(h)] {
					t.Errorf("header %q is blank or repeated", h)
				}
				seen[strings.ToLower(h)] = true
			}
		})
	}
}

func TestDetectLayoutSynthetic(t *testing.T) {
	tests := []struct {
		name       string
		head       [][]string
		forced     Format
		format     Format
		headerRows int
		headers    []string
		codes      []string
	}{
		{
			name:   "qualtrics current with json import ids",
			head:   [][]string{{"StartDate", "ResponseId", "Q1"}, {"Start Date", "Response ID", "How satisfied?"}, {`{"ImportId":"startDate"}`, `{"ImportId":"_recordId"}`, `{"ImportId":"QID1"}`}, {"2024-05-03 14:05:09", "R_1", "Very satisfied"}},
			format: FormatQualtrics, headerRows: 3,
			headers: []string{"Start Date", "Response ID", "How satisfied?"}, codes: []string{"StartDate", "ResponseId", "Q1"},
		},
		{
			name:   "smartsurvey underscores",
			head:   [][]string{{"Response_ID", "Date_Started", "Date_Ended", "Completion_Status", "What@SQ@s good?"}, {"1", "03/05/2024 10:00", "03/05/2024 10:05", "Completed", "Staff"}},
			format: FormatSmartSurvey, headerRows: 1,
			headers: []string{"Response_ID", "Date_Started", "Date_Ended", "Completion_Status", "What's good?"},
		},
		{
			name:   "smartsurvey spaced",
			head:   [][]string{{"Response ID", "Started", "Ended", "Status", "Q1"}},
			format: FormatSmartSurvey, headerRows: 1,
		},
		{
			name:   "limesurvey full headings",
			head:   [][]string{{"Response ID", "Date submitted", "Last page", "Start language", "Seed", "How satisfied are you?"}},
			format: FormatLimeSurvey, headerRows: 1,
			codes: []string{"", "", "", "", "Seed", ""},
		},
		{
			name:   "surveymonkey newer metadata",
			head:   [][]string{{"Respondent ID", "Collector ID", "Start Date", "End Date", "Overall, how satisfied?", "Which services?", ""}, {"", "", "", "", "Response", "Home care", "Day centre"}, {"1", "2", "5/3/2024", "5/3/2024", "Very satisfied", "Home care", ""}},
			format: FormatSurveyMonkey, headerRows: 2,
			headers: []string{"Respondent ID", "Collector ID", "Start Date", "End Date", "Overall, how satisfied?", "Which services? — Home care", "Which services? — Day centre"},
		},
		{
			// The benchmark's generated file: SurveyMonkey's column name in
			// one header row is not SurveyMonkey's layout.
			name:   "one header row starting with Respondent ID",
			head:   [][]string{{"Respondent ID", "Submitted At", "Started At", "Team", "Department", "Tenure", "I was listened to"}, {"R1-100000", "2024-05-03 14:05", "2024-05-03 14:01", "Reablement", "Adult Social Care", "1-2 years", "Agree"}},
			format: FormatGeneric, headerRows: 1,
			headers: []string{"Respondent ID", "Submitted At", "Started At", "Team", "Department", "Tenure", "I was listened to"},
		},
		{
			name:   "one header row, first respondent id blank",
			head:   [][]string{{"Respondent ID", "Team", "Comments"}, {"", "Reablement", "Fine"}, {"12", "Reablement", "Good"}},
			format: FormatGeneric, headerRows: 1,
		},
		{
			// Every question answered in several columns: no "Response"
			// cell, but option labels under the blank continuation cells.
			name:   "surveymonkey with only multi-column questions",
			head:   [][]string{{"Respondent ID", "Which services?", "", "Which days?", ""}, {"", "Home care", "Day centre", "Weekdays", "Weekends"}, {"1", "Home care", "", "", "Weekends"}},
			format: FormatSurveyMonkey, headerRows: 2,
			headers: []string{"Respondent ID", "Which services? — Home care", "Which services? — Day centre", "Which days? — Weekdays", "Which days? — Weekends"},
		},
		{
			name:   "blank, repeated and html headers",
			head:   [][]string{{"\ufeffTeam", "team", "", "Rate us<br/>today &amp; tomorrow", "Team (2)", "Age\u00a0 band "}},
			format: FormatGeneric, headerRows: 1,
			headers: []string{"Team", "team (2)", "Column C", "Rate us today & tomorrow", "Team (2) (2)", "Age band"},
		},
		{
			name:   "data wider than header",
			head:   [][]string{{"a", "b"}, {"1", "2", "3"}},
			format: FormatGeneric, headerRows: 1,
			headers: []string{"a", "b", "Column C"},
		},
		{
			name:   "google timestamp",
			head:   [][]string{{"Timestamp", "Services used [Home care]", "Services used [Day centre]"}},
			format: FormatGoogleForms, headerRows: 1,
			headers: []string{"Timestamp", "Services used [Home care]", "Services used [Day centre]"},
		},
		{
			name:   "forced generic on qualtrics",
			head:   [][]string{{"V1", "V2", "Q1"}, {"ResponseID", "ResponseSet", "Q text"}, {"R_1", "Default", "1"}},
			forced: FormatGeneric, format: FormatGeneric, headerRows: 1,
			headers: []string{"V1", "V2", "Q1"},
		},
		{
			name:   "forced surveymonkey condensed",
			head:   [][]string{{"Respondent ID", "Q1"}, {"11", "Yes"}},
			forced: FormatSurveyMonkey, format: FormatSurveyMonkey, headerRows: 1,
		},
		{
			name:   "nothing at all",
			head:   nil,
			format: FormatGeneric, headerRows: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forced := tt.forced
			if forced == "" {
				forced = FormatAuto
			}
			l, err := DetectLayout(tt.head, forced)
			if err != nil {
				t.Fatalf("DetectLayout: %v", err)
			}
			if l.Format != tt.format || l.HeaderRows != tt.headerRows {
				t.Errorf("format %s with %d header rows, want %s with %d", l.Format, l.HeaderRows, tt.format, tt.headerRows)
			}
			if tt.headers != nil && strings.Join(l.Headers, "|") != strings.Join(tt.headers, "|") {
				t.Errorf("headers\n got %q\nwant %q", l.Headers, tt.headers)
			}
			if tt.codes != nil && strings.Join(l.Codes, "|") != strings.Join(tt.codes, "|") {
				t.Errorf("codes\n got %q\nwant %q", l.Codes, tt.codes)
			}
		})
	}
}

func TestDetectLayoutForcedMismatch(t *testing.T) {
	tests := []struct {
		name   string
		head   [][]string
		forced Format
		want   string
	}{
		{"qualtrics without header rows", [][]string{{"time", "rating"}, {"2024-05-03", "Likely"}}, FormatQualtrics, "Qualtrics"},
		{"qualtrics on a one-row file", [][]string{{"ResponseID", "Q1"}}, FormatQualtrics, "Qualtrics"},
		{"unknown format word", [][]string{{"a"}}, Format("spss"), "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DetectLayout(tt.head, tt.forced)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDetectLayoutForcedOnRealFiles(t *testing.T) {
	l, err := DetectLayout(headOf(t, "qualtrics-qualtricstools/Better_Sample_Survey.csv", ""), FormatQualtrics)
	if err != nil || l.HeaderRows != 3 {
		t.Errorf("forced Qualtrics on a Qualtrics file: %d header rows, %v; want 3, nil", l.HeaderRows, err)
	}
	if _, err := DetectLayout(headOf(t, "nhs-fft-gp-practice/data.csv", ""), FormatQualtrics); err == nil {
		t.Error("forced Qualtrics on the NHS FFT file: no error, want one")
	}
	l, err = DetectLayout(headOf(t, "surveymonkey-fivethirtyeight/StarWars.csv", ""), FormatGeneric)
	if err != nil || l.HeaderRows != 1 || l.Headers[4] != "Column E" {
		t.Errorf("forced generic on StarWars: %d header rows, header 4 %q, %v", l.HeaderRows, l.Headers[4], err)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		err  bool
	}{
		{"", FormatAuto, false},
		{"auto", FormatAuto, false},
		{" Qualtrics ", FormatQualtrics, false},
		{"microsoft-forms", FormatMicrosoftForms, false},
		{"ms_forms", FormatMicrosoftForms, false},
		{"Google Forms", FormatGoogleForms, false},
		{"kobo", FormatKoboToolbox, false},
		{"limesurvey", FormatLimeSurvey, false},
		{"SmartSurvey", FormatSmartSurvey, false},
		{"surveymonkey", FormatSurveyMonkey, false},
		{"generic", FormatGeneric, false},
		{"spss", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), "microsoft-forms") {
				t.Errorf("error %q does not list the valid words", err)
			}
		})
	}
}

func TestCellFixer(t *testing.T) {
	fix := FormatSmartSurvey.CellFixer()
	if fix == nil || fix("Don@SQ@t know") != "Don't know" || fix("plain") != "plain" {
		t.Error("SmartSurvey's fixer does not turn @SQ@ into an apostrophe")
	}
	if FormatQualtrics.CellFixer() != nil {
		t.Error("Qualtrics has a cell fixer, want none")
	}
}
