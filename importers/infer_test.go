package importers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/heard-council/heard/analytics"
)

// externalFile returns the path of a real export under
// ../shared/data/external, skipping the test when the files are absent.
func externalFile(tb testing.TB, rel string) string {
	tb.Helper()
	path := filepath.Join("..", "..", "shared", "data", "external", rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("real export files are not available (%v); they live in ../shared/data/external", err)
	}
	return path
}

// readCSVRows reads a real CSV whole: BOM stripped, Mac-Roman bytes decoded
// when the file is not UTF-8 (StarWars.csv).
func readCSVRows(tb testing.TB, rel string) [][]string {
	tb.Helper()
	data, err := os.ReadFile(externalFile(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if data, err = charmap.Macintosh.NewDecoder().Bytes(data); err != nil {
			tb.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", rel, err)
	}
	return rows
}

// readXLSXRows reads a sheet of a real workbook whole with raw cell values
// (tests only: production streams).
func readXLSXRows(tb testing.TB, rel, sheet string) [][]string {
	tb.Helper()
	f, err := excelize.OpenFile(externalFile(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		tb.Fatalf("read %s sheet %s: %v", rel, sheet, err)
	}
	return rows
}

// inferRows runs detection, statistics and inference on rows the way the
// importer does.
func inferRows(tb testing.TB, rows [][]string, opts InferOptions) (Layout, analytics.Mapping) {
	tb.Helper()
	layout, err := DetectLayout(rows[:min(len(rows), 5)], FormatAuto)
	if err != nil {
		tb.Fatalf("DetectLayout: %v", err)
	}
	stats := make([]*ColumnStats, len(layout.Headers))
	for i := range stats {
		stats[i] = NewColumnStats()
	}
	for _, row := range rows[min(layout.HeaderRows, len(rows)):] {
		for j, s := range stats {
			s.Add(cellAt(row, j))
		}
	}
	return layout, InferMapping(layout, stats, opts)
}

// checkMapping asserts what every mapping promises: columns in file order
// with their headers, codes unique, and each question and dimension named
// by exactly one column of its role, in column order.
func checkMapping(tb testing.TB, l Layout, m analytics.Mapping) {
	tb.Helper()
	if m.Format != string(l.Format) || m.HeaderRows != l.HeaderRows || m.DateOrder == analytics.DateAuto {
		tb.Errorf("mapping format %q, %d header rows, order %q; layout %q, %d", m.Format, m.HeaderRows, m.DateOrder, l.Format, l.HeaderRows)
	}
	if len(m.Columns) != len(l.Headers) {
		tb.Fatalf("%d columns for %d headers", len(m.Columns), len(l.Headers))
	}
	codes := map[string]analytics.Role{}
	var qCodes, dCodes []string
	unique := map[analytics.Role]int{}
	for i, c := range m.Columns {
		if c.Index != i || c.Header != l.Headers[i] || c.Role == "" {
			tb.Errorf("column %d: %+v (header %q)", i, c, l.Headers[i])
		}
		unique[c.Role]++
		switch c.Role {
		case analytics.RoleQuestion, analytics.RoleDimension:
			if _, dup := codes[c.Code]; dup || c.Code == "" {
				tb.Errorf("column %d code %q is blank or repeated", i, c.Code)
			}
			codes[c.Code] = c.Role
			if c.Role == analytics.RoleQuestion {
				qCodes = append(qCodes, c.Code)
			} else {
				dCodes = append(dCodes, c.Code)
			}
		default:
			if c.Code != "" {
				tb.Errorf("column %d (%s) has code %q", i, c.Role, c.Code)
			}
		}
	}
	for _, r := range []analytics.Role{analytics.RoleRespondentID, analytics.RoleSubmitted, analytics.RoleStarted, analytics.RoleComplete} {
		if unique[r] > 1 {
			tb.Errorf("%d columns have role %s", unique[r], r)
		}
	}
	if len(m.Questions) != len(qCodes) || len(m.Dimensions) != len(dCodes) {
		tb.Fatalf("%d questions, %d dimensions for %d and %d columns", len(m.Questions), len(m.Dimensions), len(qCodes), len(dCodes))
	}
	for i, q := range m.Questions {
		if q.Code != qCodes[i] || q.Kind == "" {
			tb.Errorf("question %d: code %q kind %q, column order wants %q", i, q.Code, q.Kind, qCodes[i])
		}
		if (q.Kind == analytics.KindScale) != (q.Scale != "") {
			tb.Errorf("question %q: kind %s with scale %q", q.Code, q.Kind, q.Scale)
		}
	}
	for i, d := range m.Dimensions {
		if d.Code != dCodes[i] || d.Kind == "" || d.Name == "" {
			tb.Errorf("dimension %d: %+v, column order wants %q", i, d, dCodes[i])
		}
	}
}

// mappingFor reads a real export and infers its mapping, checking the
// mapping's promises on the way.
func mappingFor(tb testing.TB, file, sheet string) ([][]string, Layout, analytics.Mapping) {
	tb.Helper()
	var rows [][]string
	xlsx := filepath.Ext(file) == ".xlsx"
	if xlsx {
		rows = readXLSXRows(tb, file, sheet)
	} else {
		rows = readCSVRows(tb, file)
	}
	l, m := inferRows(tb, rows, InferOptions{FromXLSX: xlsx})
	checkMapping(tb, l, m)
	return rows, l, m
}

// column finds a column by header, failing the test when it is missing.
func column(tb testing.TB, m analytics.Mapping, header string) analytics.Column {
	tb.Helper()
	for _, c := range m.Columns {
		if c.Header == header {
			return c
		}
	}
	tb.Fatalf("no column %q", header)
	return analytics.Column{}
}

// question finds the question of a column by header.
func question(tb testing.TB, m analytics.Mapping, header string) analytics.Question {
	tb.Helper()
	c := column(tb, m, header)
	for _, q := range m.Questions {
		if q.Code == c.Code && c.Role == analytics.RoleQuestion {
			return q
		}
	}
	tb.Fatalf("column %q is %s, not a question", header, c.Role)
	return analytics.Question{}
}

// dimension finds the dimension of a column by header.
func dimension(tb testing.TB, m analytics.Mapping, header string) analytics.Dimension {
	tb.Helper()
	c := column(tb, m, header)
	for _, d := range m.Dimensions {
		if d.Code == c.Code && c.Role == analytics.RoleDimension {
			return d
		}
	}
	tb.Fatalf("column %q is %s, not a dimension", header, c.Role)
	return analytics.Dimension{}
}

// wantRoles checks the role of columns by header.
func wantRoles(tb testing.TB, m analytics.Mapping, roles map[string]analytics.Role) {
	tb.Helper()
	for h, want := range roles {
		if got := column(tb, m, h).Role; got != want {
			tb.Errorf("column %q role %s, want %s", h, got, want)
		}
	}
}

// wantAllMatch checks every non-blank cell of a choice or scale question
// matches one of its options, as the converter will require.
func wantAllMatch(tb testing.TB, rows [][]string, l Layout, m analytics.Mapping, header string) {
	tb.Helper()
	q := question(tb, m, header)
	idx := column(tb, m, header).Index
	matcher := NewOptionMatcher(&q)
	for r, row := range rows[l.HeaderRows:] {
		v := cellAt(row, idx)
		if v == "" {
			continue
		}
		if q.Kind == analytics.KindMulti {
			if _, unmatched := matcher.MatchMulti(v, q.Separator); len(unmatched) > 0 {
				tb.Fatalf("row %d: %q has parts %q that match no option", r+l.HeaderRows+1, v, unmatched)
			}
		} else if matcher.Match(v) < 0 {
			tb.Fatalf("row %d: %q matches no option of %q", r+l.HeaderRows+1, v, header)
		}
	}
}

// wantAllDates checks every non-blank cell of a column parses with the
// mapping's date order, and returns the earliest and latest.
func wantAllDates(tb testing.TB, rows [][]string, l Layout, m analytics.Mapping, header string, date1904 bool) (first, last time.Time) {
	tb.Helper()
	idx := column(tb, m, header).Index
	for r, row := range rows[l.HeaderRows:] {
		v := cellAt(row, idx)
		if v == "" {
			continue
		}
		d, err := ParseDate(v, m.DateOrder, date1904)
		if err != nil {
			tb.Fatalf("row %d, %q: %v", r+l.HeaderRows+1, header, err)
		}
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	return first, last
}

func TestInferNHSFriendsAndFamily(t *testing.T) {
	rows, l, m := mappingFor(t, "nhs-fft-gp-practice/data.csv", "")
	wantRoles(t, m, map[string]analytics.Role{"time": analytics.RoleSubmitted, "surgery": analytics.RoleDimension})
	rating := question(t, m, "rating")
	if rating.Kind != analytics.KindScale || rating.Scale != "fft-likely" {
		t.Fatalf("rating is %s %q, want the pre-2020 FFT scale", rating.Kind, rating.Scale)
	}
	s := analytics.Scale{Options: rating.Options}
	want := "Extremely likely+ Likely+ Neither likely nor unlikely= Unlikely- Extremely unlikely- Don't know x"
	if got := labels(s); got != want {
		t.Errorf("rating options\n got %s\nwant %s", got, want)
	}
	if d := dimension(t, m, "surgery"); d.Kind != "organisation" {
		t.Errorf("surgery dimension kind %q, want organisation", d.Kind)
	}
	for _, h := range []string{"free_text", "do_better"} {
		if q := question(t, m, h); q.Kind != analytics.KindText {
			t.Errorf("%s is %s, want text", h, q.Kind)
		}
	}
	if q := question(t, m, "rating_score"); q.Kind != analytics.KindNumber {
		t.Errorf("rating_score is %s, want number", q.Kind)
	}
	wantAllMatch(t, rows, l, m, "rating")
	first, last := wantAllDates(t, rows, l, m, "time", false)
	if first.Format("2006-01-02") != "2023-07-13" || last.Format("2006-01-02") != "2024-04-05" {
		t.Errorf("dates run %s to %s, want 2023-07-13 to 2024-04-05", first, last)
	}
}

func TestInferGPPatientSurvey(t *testing.T) {
	rows, l, m := mappingFor(t, "gp-practice-patient-survey/data.csv", "")
	for h, scale := range map[string]string{"phone": "easy-4", "appointment_time": "satisfied-5",
		"making_appointment": "good-poor-5", "overall_experience": "good-poor-5", "website": "good-poor-5"} {
		q := question(t, m, h)
		if q.Kind != analytics.KindScale || q.Scale != scale {
			t.Errorf("%s is %s %q, want scale %s", h, q.Kind, q.Scale, scale)
		}
		wantAllMatch(t, rows, l, m, h)
	}
	q := question(t, m, "overall_experience")
	if q.Options[0].Label != "Very good" || q.Options[1].Label != "Fairly good" || q.Options[1].Polarity != analytics.Positive {
		t.Errorf("overall_experience options start %+v, want Very good then Fairly good, positive", q.Options[:2])
	}
	if d := dimension(t, m, "surgery"); d.Kind != "organisation" {
		t.Errorf("surgery kind %q", d.Kind)
	}
}

func TestInferStarWars(t *testing.T) {
	rows, l, m := mappingFor(t, "surveymonkey-fivethirtyeight/StarWars.csv", "")
	if got := column(t, m, "RespondentID").Role; got != analytics.RoleRespondentID {
		t.Errorf("RespondentID role %s", got)
	}
	favourable := 0
	for _, c := range m.Columns {
		if !strings.Contains(c.Header, "favorably, unfavorably") {
			continue
		}
		q := question(t, m, c.Header)
		if q.Kind != analytics.KindScale || q.Scale != "favourable-5" {
			t.Errorf("%q is %s %q, want the favourability scale", c.Header, q.Kind, q.Scale)
			continue
		}
		last := q.Options[len(q.Options)-1]
		if last.Label != "Unfamiliar (N/A)" || last.Polarity != analytics.Excluded || q.Options[0].Label != "Very favorably" {
			t.Errorf("%q options run %q to %+v, want Very favorably to Unfamiliar (N/A) excluded", c.Header, q.Options[0].Label, last)
		}
		wantAllMatch(t, rows, l, m, c.Header)
		favourable++
	}
	if favourable != 14 {
		t.Errorf("%d favourability columns, want 14", favourable)
	}
	if q := question(t, m, "Have you seen any of the 6 films in the Star Wars franchise?"); q.Scale != "yes-no" {
		t.Errorf("seen any films: scale %q, want yes-no", q.Scale)
	}
	if q := question(t, m, l.Headers[9]); q.Kind != analytics.KindNumber {
		t.Errorf("ranking column is %s, want number", q.Kind)
	}
	if q := question(t, m, l.Headers[3]); q.Kind != analytics.KindSingle || len(q.Options) != 1 {
		t.Errorf("a 'select all that apply' column is %s with %d options, want single with 1", q.Kind, len(q.Options))
	}
	if d := dimension(t, m, "Gender"); d.Kind != "gender" {
		t.Errorf("Gender kind %q", d.Kind)
	}
	if d := dimension(t, m, "Age"); d.Kind != "age-band" {
		t.Errorf("Age kind %q", d.Kind)
	}
}

func TestInferMicrosoftForms(t *testing.T) {
	for _, file := range []string{"msforms-phonebrandpred/surveyEng.csv", "msforms-phonebrandpred/surveyEng.xlsx"} {
		t.Run(filepath.Ext(file), func(t *testing.T) {
			rows, l, m := mappingFor(t, file, "")
			wantRoles(t, m, map[string]analytics.Role{
				"ID": analytics.RoleRespondentID, "Start time": analytics.RoleStarted,
				"Completion time": analytics.RoleSubmitted, "Email": analytics.RolePersonal, "Name": analytics.RolePersonal,
			})
			if q := question(t, m, "How satisfied are you about your phone?"); q.Scale != "satisfied-5" {
				t.Errorf("satisfaction scale %q, want satisfied-5", q.Scale)
			}
			multi := question(t, m, "What factors are important to you whilst purchasing your phone?")
			if multi.Kind != analytics.KindMulti || multi.Separator != ";" || len(multi.Options) < 8 {
				t.Errorf("factors: %s sep %q with %d options, want multi on ; with the factors", multi.Kind, multi.Separator, len(multi.Options))
			}
			wantAllMatch(t, rows, l, m, "What factors are important to you whilst purchasing your phone?")
			if q := question(t, m, "What is the name of your mobile phone model?"); q.Kind != analytics.KindText {
				t.Errorf("model name is %s, want text", q.Kind)
			}
			first, _ := wantAllDates(t, rows, l, m, "Completion time", false)
			if first.Format("2006-01-02 15:04:05") != "2021-04-28 11:22:58" {
				t.Errorf("first completion %s, want 2021-04-28 11:22:58", first)
			}
		})
	}
}

func TestInferGoogleForms(t *testing.T) {
	rows, l, m := mappingFor(t, "googleforms-uvads-hotdog/sp25_Form_Responses_1.csv", "")
	if m.DateOrder != analytics.MonthFirst {
		t.Errorf("date order %q, want month-first", m.DateOrder)
	}
	wantRoles(t, m, map[string]analytics.Role{"Timestamp": analytics.RoleSubmitted})
	if d := dimension(t, m, "Gender: How do you identify?"); d.Kind != "gender" {
		t.Errorf("gender kind %q", d.Kind)
	}
	if q := question(t, m, "What is the rationale behind your opinion?"); q.Kind != analytics.KindText {
		t.Errorf("rationale is %s, want text", q.Kind)
	}
	// Free-typed yes/no variants ("Yesss", "Nope") are not a scale but
	// still a question every answer of which is an option.
	wantAllMatch(t, rows, l, m, "Do you believe that a hotdog falls under the category of a sandwich?")
	first, _ := wantAllDates(t, rows, l, m, "Timestamp", false)
	if first.Format("2006-01-02") != "2025-01-15" {
		t.Errorf("first timestamp %s", first)
	}

	rows, l, m = mappingFor(t, "googleforms-uvads-hotdog/fa25_Is_hotdog_a_sandwich_Responses.xlsx", "")
	first, _ = wantAllDates(t, rows, l, m, "Timestamp", false)
	if first.Year() != 2025 {
		t.Errorf("xlsx timestamps start %s, want 2025", first)
	}
}

func TestInferLimeSurvey(t *testing.T) {
	rows, l, m := mappingFor(t, "limesurvey-artifact-survey/results-survey54231.xlsx", "")
	wantRoles(t, m, map[string]analytics.Role{
		"id": analytics.RoleRespondentID, "submitdate": analytics.RoleSubmitted, "startdate": analytics.RoleStarted,
		"lastpage": analytics.RoleIgnore, "seed": analytics.RoleIgnore, "interviewtime": analytics.RoleIgnore,
		"groupTime7": analytics.RoleIgnore, "g0Time": analytics.RoleIgnore, "ae10Time": analytics.RoleIgnore,
	})
	if q := question(t, m, "g1"); q.Scale != "yes-no" || q.Options[len(q.Options)-1].Polarity != analytics.Excluded {
		t.Errorf("g1 is %q with options %+v, want yes-no with N/A excluded", q.Scale, q.Options)
	}
	complete := CompleteFunc(m)
	n := 0
	for _, row := range rows[l.HeaderRows:] {
		if complete(row) {
			n++
		}
	}
	if n != 124 {
		t.Errorf("%d complete responses, want 124 (those with a submitdate)", n)
	}
	wantAllDates(t, rows, l, m, "submitdate", false)
}

func TestInferKoboToolbox(t *testing.T) {
	_, _, m := mappingFor(t, "kobotoolbox-kobocruncher/data.xlsx", "")
	wantRoles(t, m, map[string]analytics.Role{
		"_uuid": analytics.RoleRespondentID, "_submission_time": analytics.RoleSubmitted, "start": analytics.RoleStarted,
		"_id": analytics.RoleIgnore, "_index": analytics.RoleIgnore, "_submitted_by": analytics.RolePersonal,
	})
	rows, l, m := mappingFor(t, "kobotoolbox-kobocruncher/data_likert.xlsx", "")
	for _, h := range l.Headers {
		q := question(t, m, h)
		if q.Scale != "likely-3" || q.Options[0].Code != "likely" {
			t.Errorf("%s is %q, want the likely/neutral/unlikely scale with codes", h, q.Scale)
		}
		wantAllMatch(t, rows, l, m, h)
	}
	_, _, m = mappingFor(t, "kobotoolbox-kobocruncher/data.xlsx", "members")
	if d := dimension(t, m, "members.sex"); d.Kind != "gender" {
		t.Errorf("members.sex kind %q, want gender", d.Kind)
	}
}

func TestInferQualtrics(t *testing.T) {
	rows, l, m := mappingFor(t, "qualtrics-qualtricstools/No_Basis_for_Evaluation_Legacy.csv", "")
	wantRoles(t, m, map[string]analytics.Role{
		"ResponseID": analytics.RoleRespondentID, "EndDate": analytics.RoleSubmitted, "StartDate": analytics.RoleStarted,
		"Finished": analytics.RoleComplete, "Name": analytics.RolePersonal, "EmailAddress": analytics.RolePersonal,
		"IPAddress": analytics.RolePersonal, "LocationLatitude": analytics.RolePersonal, "ResponseSet": analytics.RoleIgnore,
	})
	if c := column(t, m, "Indicate how you feel about squash"); c.Code != "q1" {
		t.Errorf("question code %q, want q1 from Qualtrics' code", c.Code)
	}
	complete := CompleteFunc(m)
	for _, row := range rows[l.HeaderRows:] {
		if !complete(row) {
			t.Errorf("response %s is partial, want every response Finished", row[0])
		}
	}
	for _, file := range []string{"qualtrics-qualtricstools/Long_Exhaustive_Sample_Survey.csv", "qualtrics-qualtricstools/SidebySide_Questions_Insights.csv", "qualtrics-qualtRics/sample_legacy.csv"} {
		_, _, m := mappingFor(t, file, "")
		wantRoles(t, m, map[string]analytics.Role{"ResponseID": analytics.RoleRespondentID, "EndDate": analytics.RoleSubmitted})
	}
}

func TestInferPxTextMining(t *testing.T) {
	rows, l, m := mappingFor(t, "nhs-fft-pxtextmining/v6framework_230831.csv", "")
	wantRoles(t, m, map[string]analytics.Role{
		"Respondent ID": analytics.RoleRespondentID, "Comment ID": analytics.RoleIgnore, "Date": analytics.RoleSubmitted,
		"Service location": analytics.RoleQuestion, "Organisation & efficiency": analytics.RoleQuestion,
	})
	if d := dimension(t, m, "Trust"); d.Kind != "organisation" {
		t.Errorf("Trust kind %q", d.Kind)
	}
	if d := dimension(t, m, "Service type 1"); d.Kind != "service" {
		t.Errorf("Service type 1 kind %q", d.Kind)
	}
	// The FFT codes 1-7 say nothing of which end is good: a single choice.
	q := question(t, m, "FFT categorical answer")
	if q.Kind != analytics.KindSingle || len(q.Options) != 7 || q.Options[0].Label != "1" || q.Options[6].Label != "7" {
		t.Errorf("FFT categorical answer is %s with %+v, want single choice 1..7", q.Kind, q.Options)
	}
	if q := question(t, m, "FFT answer"); q.Kind != analytics.KindText {
		t.Errorf("FFT answer is %s, want text", q.Kind)
	}
	// Mostly DD/MM/YYYY with some M/D/YYYY rows: the evidence conflicts, so
	// the generic day-first habit holds.
	if m.DateOrder != analytics.DayFirst {
		t.Errorf("date order %q, want day-first", m.DateOrder)
	}
	wantAllMatch(t, rows, l, m, "FFT question")
}

// TestMasculinityIsGeneric records a decision. FiveThirtyEight's
// masculinity survey was run on SurveyMonkey but published re-coded: one
// header row of short codes (q0001...), a headerless row-number column, no
// Respondent ID and no "Response" option row. Nothing of SurveyMonkey's
// layout is left to rely on, so it is read as a generic sheet; its
// StartDate/EndDate still become the started and submitted dates, and its
// US dates ("5/21/18 4:01") are read month-first because the data prove it.
func TestMasculinityIsGeneric(t *testing.T) {
	rows, l, m := mappingFor(t, "surveymonkey-fivethirtyeight/masculinity-raw-responses.csv", "")
	if l.Format != FormatGeneric || l.HeaderRows != 1 {
		t.Fatalf("format %s with %d header rows, want generic with 1", l.Format, l.HeaderRows)
	}
	if got := len(rows) - l.HeaderRows; got != 1615 {
		t.Errorf("%d responses, want 1615", got)
	}
	if m.DateOrder != analytics.MonthFirst {
		t.Errorf("date order %q, want month-first", m.DateOrder)
	}
	wantRoles(t, m, map[string]analytics.Role{"Column A": analytics.RoleRespondentID,
		"StartDate": analytics.RoleStarted, "EndDate": analytics.RoleSubmitted})
	first, last := wantAllDates(t, rows, l, m, "EndDate", false)
	if first.Format("2006-01") != "2018-05" || last.Format("2006-01") != "2018-05" {
		t.Errorf("dates run %s to %s, want May 2018", first, last)
	}
	// "Never, but open to it" holds a comma but is one answer.
	if q := question(t, m, "q0007_0001"); q.Kind != analytics.KindSingle || len(q.Options) != 6 {
		t.Errorf("q0007_0001 is %s with %d options, want single with 6", q.Kind, len(q.Options))
	}
	if q := question(t, m, "q0015"); q.Scale != "yes-no" {
		t.Errorf("q0015 scale %q, want yes-no with NA and No answer excluded", q.Scale)
	}
	if q := question(t, m, "weight"); q.Kind != analytics.KindNumber {
		t.Errorf("weight is %s, want number", q.Kind)
	}
}

// synthetic builds rows from a header and columns of values.
func synthetic(header []string, columns ...[]string) [][]string {
	rows := [][]string{header}
	for i := range columns[0] {
		row := make([]string, len(columns))
		for j, col := range columns {
			row[j] = col[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// repeat makes n cells cycling through values.
func repeat(n int, values ...string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = values[i%len(values)]
	}
	return out
}

func TestInferKinds(t *testing.T) {
	tests := []struct {
		name   string
		header string
		cells  []string
		kind   analytics.Kind
		scale  string
		sep    string
		opts   int // number of options, -1 to skip
	}{
		{"google checkboxes", "Services used", repeat(30, "Home care, Day centre", "Home care", "Day centre, Meals", "Meals, Home care, Day centre", "Meals"),
			analytics.KindMulti, "", ", ", 3},
		{"smartsurvey multi", "Which teams?", repeat(20, "North; South", "South", "North; East; South", "East"),
			analytics.KindMulti, "", "; ", 3},
		{"free text with commas", "Comments", []string{"Good, thanks", "Slow, rude, late", "Fine", "Kind staff, good food", "It was ok, I suppose", "Lovely, really", "No, nothing", "Yes, more visits", "Staff were kind, helpful", "Late again, annoyed"},
			analytics.KindText, "", "", -1},
		{"labels with a comma", "How often?", repeat(40, "Never, but open to it", "Never, and not open to it", "Often", "Sometimes"),
			analytics.KindSingle, "", "", 4},
		{"thousands in ranges", "Income", repeat(40, "$50,000 - $99,999", "$25,000 - $49,999", "$100,000 - $149,999", "$0 - $24,999"),
			analytics.KindSingle, "", "", 4},
		{"unknown set", "Favourite colour", repeat(30, "Red", "Blue", "Green"), analytics.KindSingle, "", "", 3},
		{"spellings merged", "Colour", repeat(30, "Red", "red ", "RED", "Blue"), analytics.KindSingle, "", "", 2},
		{"empty column", "Unused", repeat(10, ""), analytics.KindSingle, "", "", 0},
		{"flags", "Ticked", repeat(10, "1", "0", ""), analytics.KindSingle, "", "", 2},
		{"plain numbers", "Visits", repeat(12, "1", "2", "3", "4", "5"), analytics.KindNumber, "", "", 0},
		{"decimals", "Weight", repeat(12, "0.5", "1.25", "3"), analytics.KindNumber, "", "", 0},
		{"recommend hint", "How likely are you to recommend us?", repeat(12, "1", "4", "8", "9", "10"), analytics.KindScale, "0-10", "", 11},
		{"zero to ten", "Score", repeat(12, "0", "6", "9", "10"), analytics.KindScale, "0-10", "", 11},
		{"dates", "Date of visit", repeat(6, "03/05/2024", "2024-05-04"), analytics.KindDate, "", "", 0},
		{"satisfaction", "Overall satisfaction", repeat(12, "Very satisfied", "Fairly satisfied", "Don't know"), analytics.KindScale, "satisfied-5", "", 6},
		{"smartsurvey apostrophe code", "Know?", repeat(12, "Yes", "No", "Don@SQ@t know"), analytics.KindScale, "yes-no", "", 3},
		{"smartsurvey apostrophe in multi", "Help?", repeat(20, "Carer@SQ@s support; Meals", "Meals", "Carer@SQ@s support"), analytics.KindMulti, "", "; ", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := []string{"Response ID", "Date Started", "Completion Status", tt.header}
			rows := synthetic(head, repeat(len(tt.cells), "1"), repeat(len(tt.cells), "03/05/2024"), repeat(len(tt.cells), "Completed"), tt.cells)
			l, m := inferRows(t, rows, InferOptions{})
			checkMapping(t, l, m)
			q := question(t, m, tt.header)
			if q.Kind != tt.kind || q.Scale != tt.scale || q.Separator != tt.sep {
				t.Errorf("%s %q sep %q, want %s %q sep %q", q.Kind, q.Scale, q.Separator, tt.kind, tt.scale, tt.sep)
			}
			if tt.opts >= 0 && len(q.Options) != tt.opts {
				t.Errorf("%d options %+v, want %d", len(q.Options), q.Options, tt.opts)
			}
			if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle || q.Kind == analytics.KindMulti {
				fix := l.Format.CellFixer()
				matcher := NewOptionMatcher(&q)
				for _, v := range tt.cells {
					if fix != nil {
						v = fix(v)
					}
					if _, unmatched := matcher.MatchMulti(v, q.Separator); trimmed(v) != "" && len(unmatched) > 0 {
						t.Errorf("%q: parts %q match no option", v, unmatched)
					}
				}
			}
		})
	}
}

func TestInferRolesAndDimensions(t *testing.T) {
	header := []string{"ID", "Timestamp", "Time taken", "Team name", "Age band", "What is your age?", "Age", "Ethnic group",
		"Are you a carer?", "Client name", "Your email (optional)", "Postcode", "How satisfied are you with the service you received?",
		"Locality", "Intervention type", "Primary support reason"}
	n := 24
	rows := synthetic(header,
		repeat(n, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24"),
		repeat(n, "03/05/2024 10:00", "04/05/2024 11:00"),
		repeat(n, "49 seconds", "2 minutes"),
		repeat(n, "North", "South"),
		repeat(n, "18-64", "65+"),
		repeat(n, "18-64", "65-84", "85+"),
		repeat(n, "23", "45", "67", "81", "19", "34", "52", "73", "88", "29", "41", "60", "77", "92", "38"),
		repeat(n, "White British", "Asian", "Black"),
		repeat(n, "Yes", "No"),
		repeat(n, "A. Person", "B. Person"),
		repeat(n, "a@example.org", ""),
		repeat(n, "AB1 2CD"),
		repeat(n, "Very satisfied", "Satisfied"),
		repeat(n, "East", "West"),
		repeat(n, "Reablement", "Home care"),
		repeat(n, "Physical support", "Memory and cognition"),
	)
	l, m := inferRows(t, rows, InferOptions{})
	checkMapping(t, l, m)
	if l.Format != FormatGeneric {
		t.Fatalf("format %s", l.Format)
	}
	wantRoles(t, m, map[string]analytics.Role{
		"ID": analytics.RoleRespondentID, "Timestamp": analytics.RoleSubmitted, "Client name": analytics.RolePersonal,
		"Your email (optional)": analytics.RolePersonal, "Postcode": analytics.RolePersonal,
		"Time taken": analytics.RoleQuestion, "Age": analytics.RoleQuestion,
		"How satisfied are you with the service you received?": analytics.RoleQuestion,
	})
	for h, kind := range map[string]string{"Team name": "team", "Age band": "age-band", "What is your age?": "age-band",
		"Ethnic group": "ethnicity", "Are you a carer?": "carer", "Locality": "locality", "Intervention type": "other",
		"Primary support reason": "other"} {
		if d := dimension(t, m, h); d.Kind != kind || d.Name != h {
			t.Errorf("%q: dimension %+v, want kind %s", h, d, kind)
		}
	}
	if q := question(t, m, "Age"); q.Kind != analytics.KindNumber {
		t.Errorf("Age in years is %s, want number", q.Kind)
	}
}

func TestInferDateOrder(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		dates  []string
		forced analytics.DateOrder
		want   analytics.DateOrder
	}{
		{"generic ambiguous is day-first", []string{"Date", "Q"}, []string{"03/05/2024", "04/05/2024"}, analytics.DateAuto, analytics.DayFirst},
		{"generic proven month-first", []string{"Date", "Q"}, []string{"03/05/2024", "05/13/2024"}, analytics.DateAuto, analytics.MonthFirst},
		{"google ambiguous is month-first", []string{"Timestamp", "Q"}, []string{"3/5/2024 10:00:00", "4/5/2024 10:00:00"}, analytics.DateAuto, analytics.MonthFirst},
		{"google proven day-first", []string{"Timestamp", "Q"}, []string{"3/5/2024 10:00:00", "25/5/2024 10:00:00"}, analytics.DateAuto, analytics.DayFirst},
		{"microsoft forms ambiguous is day-first", []string{"ID", "Start time", "Completion time", "Q"}, []string{"3/5/24 10:00", "4/5/24 10:00"}, analytics.DateAuto, analytics.DayFirst},
		{"conflicting evidence keeps the habit", []string{"Date", "Q"}, []string{"25/05/2024", "05/13/2024"}, analytics.DateAuto, analytics.DayFirst},
		{"user override", []string{"Date", "Q"}, []string{"03/05/2024", "05/13/2024"}, analytics.DayFirst, analytics.DayFirst},
		{"iso has no say", []string{"Date", "Q"}, []string{"2024-05-03", "2024-05-04"}, analytics.DateAuto, analytics.DayFirst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := make([][]string, len(tt.header))
			for j := range cols {
				cols[j] = repeat(len(tt.dates), "x")
			}
			for j, h := range tt.header {
				if strings.Contains(strings.ToLower(h), "time") || h == "Date" {
					cols[j] = tt.dates
				} else if h == "ID" {
					cols[j] = repeat(len(tt.dates), "1", "2")
				}
			}
			l, m := inferRows(t, synthetic(tt.header, cols...), InferOptions{DateOrder: tt.forced})
			checkMapping(t, l, m)
			if m.DateOrder != tt.want {
				t.Errorf("date order %q, want %q", m.DateOrder, tt.want)
			}
		})
	}
}

func TestInferMappingStatsShorterThanHeaders(t *testing.T) {
	l := Layout{Format: FormatGeneric, HeaderRows: 1, Headers: []string{"a", "b", "c"}, Codes: []string{"", "", ""}}
	m := InferMapping(l, []*ColumnStats{NewColumnStats()}, InferOptions{})
	if len(m.Columns) != 3 {
		t.Fatalf("%d columns, want 3", len(m.Columns))
	}
	l.Headers = nil
	m = InferMapping(l, []*ColumnStats{NewColumnStats(), nil}, InferOptions{})
	if len(m.Columns) != 2 || m.Columns[1].Header != "Column B" {
		t.Errorf("columns %+v, want two with generated headers", m.Columns)
	}
}

func TestIsComplete(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "True": true, "Completed": true, "complete": true, "Yes": true,
		"0": false, "False": false, "Partial": false, "Incomplete": false, "": false, "maybe": false} {
		if got := IsComplete(FormatQualtrics, v); got != want {
			t.Errorf("IsComplete(%q) = %v, want %v", v, got, want)
		}
	}
	m := analytics.Mapping{Format: string(FormatGeneric), Columns: []analytics.Column{{Index: 0, Role: analytics.RoleSubmitted}}}
	if !CompleteFunc(m)([]string{""}) {
		t.Error("a generic file without a complete column has a partial response")
	}
}

func BenchmarkColumnStatsAdd(b *testing.B) {
	values := []string{"Very satisfied", "2024-05-03 14:05:09", "Pricing;Brand;Screen size;", "45314.4734606481",
		"The staff were kind, helpful and always on time, thank you", "", "3", "03/05/2024 10:00"}
	s := NewColumnStats()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Add(values[i%len(values)])
		i++
	}
}

// The generated benchmark file: one header row starting with
// Respondent ID, then the organisational unit and length of service of
// each respondent. It is a generic sheet, and those columns are dimensions.
func TestInferGeneratedBenchmarkFile(t *testing.T) {
	header := []string{"Respondent ID", "Submitted At", "Started At", "Team", "Department", "Directorate", "Service",
		"Tenure", "Length of service", "How satisfied are you with the service?", "I was listened to", "Any other comments"}
	n := 60
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint("R1-", 100000+i)
	}
	rows := synthetic(header, ids,
		repeat(n, "2024-05-03 14:05:09", "2024-06-11 09:30:00"),
		repeat(n, "2024-05-03 14:01:00", "2024-06-11 09:21:40"),
		repeat(n, "North Locality Team", "Reablement", "Mental Health Team"),
		repeat(n, "Adult Social Care", "Children's Services", "Housing", "Finance"),
		repeat(n, "People", "Place", "Resources"),
		repeat(n, "Home care", "Day centre", "Meals on wheels"),
		repeat(n, "Less than 1 year", "1-2 years", "3-5 years", "6-10 years", "More than 10 years"),
		repeat(n, "Under 6 months", "6-12 months", "1 to 5 years", "Over 5 years"),
		repeat(n, "Very satisfied", "Satisfied", "Dissatisfied"),
		repeat(n, "Strongly agree", "Agree", "Disagree"),
		repeat(n, "Kind staff, thank you", "", "The phone was never answered and I had to chase twice"),
	)
	l, m := inferRows(t, rows, InferOptions{})
	checkMapping(t, l, m)
	if l.Format != FormatGeneric || l.HeaderRows != 1 {
		t.Fatalf("format %s with %d header rows, want generic with 1", l.Format, l.HeaderRows)
	}
	wantRoles(t, m, map[string]analytics.Role{
		"Respondent ID": analytics.RoleRespondentID, "Submitted At": analytics.RoleSubmitted,
		"Started At": analytics.RoleStarted, "How satisfied are you with the service?": analytics.RoleQuestion,
		"I was listened to": analytics.RoleQuestion, "Any other comments": analytics.RoleQuestion,
	})
	for h, kind := range map[string]string{"Team": "team", "Department": "department", "Directorate": "department",
		"Service": "service", "Tenure": "length-of-service", "Length of service": "length-of-service"} {
		if d := dimension(t, m, h); d.Kind != kind {
			t.Errorf("%q: dimension of kind %q, want %q", h, d.Kind, kind)
		}
	}
	if q := question(t, m, "How satisfied are you with the service?"); q.Kind != analytics.KindScale {
		t.Errorf("satisfaction with the service is %s, want a scale", q.Kind)
	}
}

// A column is a dimension when its short name says it is an organisational
// unit or a length of service, or when its answers are names of units or
// lengths of service in years; questions that merely mention the service,
// waits, or verdicts on the service stay questions.
func TestInferUnitsAndLengthsOfService(t *testing.T) {
	tests := []struct {
		header string
		cells  []string
		kind   string // "" for a question
	}{
		{"Department", []string{"Finance", "Housing", "Legal"}, "department"},
		{"Dept.", []string{"Finance", "Housing"}, "department"},
		{"Business unit", []string{"Revenues", "Benefits"}, "department"},
		{"Division", []string{"North", "South"}, "department"},
		{"Service area", []string{"Adults", "Children"}, "service"},
		{"Department name", []string{"Finance", "Housing"}, "department"},
		{"Time in post", []string{"Less than a year", "1-3 years", "3+ years"}, "length-of-service"},
		{"Years of service", []string{"0-2", "3-5", "6-10", "11+"}, "length-of-service"},
		{"Housing tenure", []string{"Owned outright", "Council tenant", "Private rented"}, "tenure"},
		// By values: unit names under any header that is not about experience.
		{"Where do you work?", []string{"Finance Department", "Housing Department", "Legal Services", "Customer Services"}, "department"},
		{"Which team do you work in?", []string{"North Locality Team", "South Locality Team", "Hospital Discharge Team", "Mental Health Team", "Reablement"}, "team"},
		{"Base", []string{"Adult Social Care Directorate", "Place Directorate", "Chief Executive's Office"}, "department"},
		// By values: lengths of service in years.
		{"How long have you worked for the council?", []string{"Less than 1 year", "1-2 years", "2 to 5 years", "5 years or more", "Prefer not to say"}, "length-of-service"},
		{"Time with us", []string{"Under 1 yr", "1-5 yrs", "Over 5 yrs"}, "length-of-service"},
		// Questions, whatever they mention.
		{"How satisfied are you with the service?", []string{"Very satisfied", "Satisfied", "Dissatisfied"}, ""},
		{"Service quality", []string{"Very good", "Good", "Poor"}, ""},
		{"Department rating", []string{"Very good", "Good", "Poor"}, ""},
		{"Overall", []string{"Good service", "Poor service", "Excellent service"}, ""},
		{"How would you rate the team?", []string{"Very good team", "Good team", "Poor team"}, ""},
		{"Which teams helped you?", []string{"North Team; South Team", "South Team", "Reablement Team; North Team"}, ""},
		{"How long did you wait for an assessment?", []string{"Less than 1 month", "1-3 months", "Over a year"}, ""},
		{"Waiting time", []string{"Under 1 year", "1-2 years", "Over 2 years"}, ""},
		{"How long ago did you first contact us?", []string{"Less than 1 year", "1-2 years"}, ""},
		{"Visit length", []string{"Under 30 minutes", "30-60 minutes", "Over an hour"}, ""},
		{"Who did you speak to?", []string{"Social worker", "Occupational therapist", "Carer"}, ""},
		{"Any other comments", []string{"I would like to thank the team", "Thanks to the whole team", "Great work"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			n := 30
			rows := synthetic([]string{"ID", "Date", tt.header},
				repeat(n, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
					"16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30"),
				repeat(n, "03/05/2024"), repeat(n, tt.cells...))
			l, m := inferRows(t, rows, InferOptions{})
			checkMapping(t, l, m)
			if tt.kind == "" {
				question(t, m, tt.header)
				return
			}
			if d := dimension(t, m, tt.header); d.Kind != tt.kind {
				t.Errorf("dimension of kind %q, want %q", d.Kind, tt.kind)
			}
		})
	}
}
