package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/report"
)

// reportMapping is a small survey: a Friends and Family Test question, a
// yes/no question, a service (single choice), comments and a team.
func reportMapping() analytics.Mapping {
	fft := analytics.Question{Code: "overall", Text: "Overall, how was your experience of our service?", Kind: analytics.KindScale, Scale: "fft"}
	for i, l := range []string{"Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"} {
		pol := []analytics.Polarity{analytics.Positive, analytics.Positive, analytics.Neutral, analytics.Negative,
			analytics.Negative, analytics.Excluded}[i]
		fft.Options = append(fft.Options, analytics.Option{Label: l, Score: float64(5 - i), Polarity: pol})
	}
	return analytics.Mapping{
		Format: "generic", HeaderRows: 1,
		Columns: []analytics.Column{
			{Index: 0, Header: "Overall experience", Role: analytics.RoleQuestion, Code: "overall"},
			{Index: 1, Header: "Team name", Role: analytics.RoleDimension, Code: "team"},
		},
		Questions: []analytics.Question{fft,
			{Code: "safe", Text: "Do you feel safe?", Kind: analytics.KindScale, Scale: "yes-no", Options: []analytics.Option{
				{Label: "Yes", Score: 1, Polarity: analytics.Positive}, {Label: "No", Score: 0, Polarity: analytics.Negative}}},
			{Code: "service", Text: "Which service?", Kind: analytics.KindSingle,
				Options: []analytics.Option{{Label: "Home care"}, {Label: "Day centre"}}},
			{Code: "comment", Text: "Anything else?", Kind: analytics.KindText},
		},
		Dimensions: []analytics.Dimension{{Code: "team", Name: "Team name", Kind: "team"}},
	}
}

// reportRow is one generated response, kept to count expectations from.
type reportRow struct {
	month, team string
	overall     int // option index, -1 unanswered
	service     int
	complete    bool
}

// reportTeams are the teams and their responses per month; "Tiny" is
// small enough for disclosure control, and one team name is a formula.
var reportTeams = []struct {
	name string
	n    int
}{{"North", 40}, {"South", 30}, {`=HYPERLINK("http://x","y")`, 20}, {"Tiny", 3}}

// reportData builds the rows: January to June 2024, with February much
// worse than January so that the change is significant.
func reportData() []reportRow {
	var rows []reportRow
	for m := 1; m <= 6; m++ {
		for ti, team := range reportTeams {
			for i := range team.n {
				o := (i*3 + m + ti) % 6
				if m == 2 && i%3 != 0 {
					o = 3 + i%2 // Poor or Very poor
				}
				if i%17 == 5 {
					o = -1
				}
				rows = append(rows, reportRow{month: fmt.Sprintf("2024-%02d", m), team: team.name, overall: o,
					service: i % 2, complete: i%9 != 4})
			}
		}
	}
	return rows
}

// newReportDB stores reportData as survey "Feedback" and returns the
// database's path and the rows.
func newReportDB(t testing.TB) (string, []reportRow) {
	t.Helper()
	path := storetest.NewDB(t)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows := reportData()
	i := 0
	next := func() (analytics.Response, error) {
		if i == len(rows) {
			return analytics.Response{}, io.EOF
		}
		r := rows[i]
		i++
		day, _ := time.Parse("2006-01", r.month)
		return analytics.Response{RespondentID: fmt.Sprint("R", i), Row: i + 1, Complete: r.complete,
			Submitted:  day.Add(time.Duration(i%20)*24*time.Hour + 12*time.Hour),
			Dimensions: []string{r.team},
			Answers: []analytics.Answer{{Option: r.overall}, {Option: i % 2}, {Option: r.service},
				{Option: -1, Text: "Thank you"}},
		}, nil
	}
	sum := sha256.Sum256([]byte("feedback.csv"))
	_, err = st.ImportFile(context.Background(), store.ImportRequest{Survey: "Feedback",
		Import:  analytics.Import{File: "feedback.csv", SHA256: hex.EncodeToString(sum[:]), Format: "generic"},
		Mapping: reportMapping()}, next, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path, rows
}

// expectRate counts, from the rows, the FFT % positive base and positives
// of one month ("" for all) and team ("" for all).
func expectRate(rows []reportRow, month, team string, partial bool) (n, positive int64) {
	for _, r := range rows {
		if month != "" && r.month != month || team != "" && r.team != team || !r.complete && !partial || r.overall < 0 {
			continue
		}
		n++
		if r.overall <= 1 {
			positive++
		}
	}
	return n, positive
}

func runReportJSON(t testing.TB, args ...string) report.JSON {
	t.Helper()
	code, out, errOut := cli(t, RunReport, append(args, "--format", "json")...)
	if code != ExitOK {
		t.Fatalf("heard report %v: exit %d: %s", args, code, errOut)
	}
	var rep report.JSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not a report: %v\n%s", err, out)
	}
	return rep
}

func TestReportCommandJSON(t *testing.T) {
	db, rows := newReportDB(t)
	code, out, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--question", "OVERALL experience",
		"--by", "team", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"survey", "question", "metric", "rows"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("the JSON lacks %q", key)
		}
	}
	first := raw["rows"].([]any)[0].(map[string]any)
	for _, key := range []string{"period", "group", "n", "positive", "rate", "ci_low", "ci_high", "suppressed", "change_p", "vs_rest_p"} {
		if _, ok := first[key]; !ok {
			t.Errorf("a row lacks %q: %v", key, first)
		}
	}
	if first["change_p"] != nil || first["vs_rest_p"] != nil {
		t.Errorf("January's overall row has p-values %v, %v; want null (no month before, no rest)", first["change_p"], first["vs_rest_p"])
	}
	rep := runReportJSON(t, "--db", db, "--survey", "Feedback", "--question", "overall", "--by", "team")
	if rep.Survey != "Feedback" || rep.Question != "overall" || rep.Metric.Preset != analytics.PresetFFTPositive {
		t.Fatalf("report of %q %q with metric %+v", rep.Survey, rep.Question, rep.Metric)
	}
	if want := 6 * (len(reportTeams) + 1); len(rep.Rows) != want {
		t.Fatalf("%d rows, want %d (6 months × (4 teams + overall))", len(rep.Rows), want)
	}
	for _, r := range rep.Rows {
		n, pos := expectRate(rows, r.Period, r.Group, false)
		if *r.N != n || *r.Positive != pos || r.Rate == nil || *r.Rate != float64(pos)/float64(n) {
			t.Errorf("%s %q: n %d positive %d rate %v, want %d and %d counted from the responses",
				r.Period, r.Group, *r.N, *r.Positive, *r.Rate, n, pos)
		}
		if lo, hi := analytics.Wilson(pos, n, 0.95); *r.CILow != lo || *r.CIHigh != hi {
			t.Errorf("%s %q: interval %v-%v, want Wilson %v-%v", r.Period, r.Group, *r.CILow, *r.CIHigh, lo, hi)
		}
	}
}

func TestReportOptionsChangeTheCounts(t *testing.T) {
	db, rows := newReportDB(t)
	base := []string{"--db", db, "--survey", "Feedback", "--question", "overall", "--period", "all"}
	cases := []struct {
		name    string
		args    []string
		partial bool
		keep    func(r reportRow) bool
	}{
		{"complete only", nil, false, func(reportRow) bool { return true }},
		{"partial too", []string{"--include-partial"}, true, func(reportRow) bool { return true }},
		{"months", []string{"--from", "2024-02", "--to", "2024-03"}, false,
			func(r reportRow) bool { return r.month == "2024-02" || r.month == "2024-03" }},
		{"team, case ignored", []string{"--where", "team name=north"}, false, func(r reportRow) bool { return r.team == "North" }},
		{"two teams and a service", []string{"--where", "team=North", "--where", "team=Tiny", "--where", "Service=day CENTRE"}, false,
			func(r reportRow) bool { return (r.team == "North" || r.team == "Tiny") && r.service == 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := runReportJSON(t, append(base, c.args...)...)
			var kept []reportRow
			for _, r := range rows {
				if c.keep(r) {
					kept = append(kept, r)
				}
			}
			n, pos := expectRate(kept, "", "", c.partial)
			if len(rep.Rows) != 1 || *rep.Rows[0].N != n || *rep.Rows[0].Positive != pos {
				t.Fatalf("rows %+v, want one with base %d and %d positive", rep.Rows, n, pos)
			}
		})
	}
}

func TestReportTable(t *testing.T) {
	db, _ := newReportDB(t)
	code, out, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--question", "overall")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	var table []string
	for _, l := range lines {
		if strings.HasPrefix(l, "PERIOD") || strings.HasPrefix(l, "2024-") {
			table = append(table, l)
		}
	}
	if len(table) != 7 {
		t.Fatalf("want a heading and 6 months:\n%s", out)
	}
	// Right-aligned columns end at the same place on every line.
	end := len([]rune(table[0][:strings.Index(table[0], "BASE")])) + len("BASE")
	for _, l := range table[1:] {
		if r := []rune(l); r[end-1] == ' ' || r[end] != ' ' {
			t.Errorf("BASE is not aligned:\n%s\n%s", table[0], l)
		}
		if !strings.Contains(l, "%") || strings.Count(strings.Fields(l)[1], ".") != 1 {
			t.Errorf("the rate is not a percentage with one decimal: %s", l)
		}
	}
	if !strings.Contains(table[2], "▼ down") || strings.Contains(table[1], "▼") {
		t.Errorf("February's fall is not marked, or January is:\n%s", out)
	}
	if !strings.Contains(out, "FFT % positive") || !strings.Contains(out, "complete responses only") {
		t.Errorf("the table does not say what it shows:\n%s", out)
	}
}

func TestReportBoard(t *testing.T) {
	db, _ := newReportDB(t)
	rep := runReportJSON(t, "--db", db, "--survey", "Feedback", "--question", "overall", "--by", "team", "--board")
	if !rep.Board || rep.Undated != 0 {
		t.Fatalf("board %v undated %d", rep.Board, rep.Undated)
	}
	for _, r := range rep.Rows {
		if r.Group == "Tiny" && (!r.Suppressed || r.N != nil || r.Rate != nil || r.Positive != nil) {
			t.Errorf("a team of 3 is shown to the board: %+v", r)
		}
		if !r.Suppressed && *r.N < 10 {
			t.Errorf("a base of %d is shown to the board: %+v", *r.N, r)
		}
	}
	staff := runReportJSON(t, "--db", db, "--survey", "Feedback", "--question", "overall", "--by", "team")
	for _, r := range staff.Rows {
		if r.Suppressed {
			t.Errorf("staff report suppresses %+v", r)
		}
	}
}

func TestReportWholeSurvey(t *testing.T) {
	db, _ := newReportDB(t)
	code, out, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--period", "fyq", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var all report.SurveyReports
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Reports) != 2 || all.Reports[0].Question != "overall" || all.Reports[1].Question != "safe" ||
		all.Reports[1].Metric.Preset != analytics.PresetYes {
		t.Fatalf("reports of the survey's scale questions: %+v", all.Reports)
	}
	if got := all.Reports[0].Rows[0].Period; got != "2023-24 Q4" {
		t.Errorf("January 2024 is in financial-year quarter %q, want 2023-24 Q4", got)
	}
	code, out, _ = cli(t, RunReport, "--db", db, "--survey", "Feedback", "--metric", "agree", "--format", "json")
	all = report.SurveyReports{}
	if err := json.Unmarshal([]byte(out), &all); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if len(all.Reports) != 0 || len(all.Skipped) != 2 || !strings.Contains(all.Skipped[0].Reason, "Strongly agree") {
		t.Fatalf("a metric that fits no question: %+v", all)
	}
}

func TestReportCommandErrors(t *testing.T) {
	db, _ := newReportDB(t)
	cases := []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"no survey named", []string{}, ExitUsage, "--survey"},
		{"unknown survey", []string{"--survey", "Nope"}, ExitRefused, `no survey called "Nope"`},
		{"unknown question", []string{"--survey", "Feedback", "--question", "overal"}, ExitUsage, "overall (Overall, how was"},
		{"text question", []string{"--survey", "Feedback", "--question", "comment"}, ExitUsage, "text question"},
		{"unknown column", []string{"--survey", "Feedback", "--question", "overall", "--by", "teams"}, ExitUsage,
			"use one of: team (Team name), overall"},
		{"breakdown by text", []string{"--survey", "Feedback", "--question", "overall", "--by", "comment"}, ExitUsage, "use one of"},
		{"unknown period", []string{"--survey", "Feedback", "--question", "overall", "--period", "week"}, ExitUsage, "financial year"},
		{"misfit metric", []string{"--survey", "Feedback", "--question", "overall", "--metric", "nps"}, ExitUsage, "0-10 scale"},
		{"unknown metric", []string{"--survey", "Feedback", "--question", "overall", "--metric", "happy"}, ExitUsage, "neither a preset"},
		{"bad date", []string{"--survey", "Feedback", "--question", "overall", "--to", "31/03/2025"}, ExitUsage, "not a date"},
		{"dates reversed", []string{"--survey", "Feedback", "--question", "overall", "--from", "2024-05", "--to", "2024-04"}, ExitUsage, "after"},
		{"bad where", []string{"--survey", "Feedback", "--question", "overall", "--where", "team"}, ExitUsage, "COLUMN=VALUE"},
		{"unknown option", []string{"--survey", "Feedback", "--question", "overall", "--where", "service=Lunch club"}, ExitUsage,
			`"Home care", "Day centre"`},
		{"bad confidence", []string{"--survey", "Feedback", "--question", "overall", "--confidence", "1.5"}, ExitUsage, "0.95"},
		{"bad format", []string{"--survey", "Feedback", "--format", "xml"}, ExitUsage, "table, csv or json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := cli(t, RunReport, append([]string{"--db", db}, c.args...)...)
			if code != c.exit || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want %d; message %q should contain %q", code, c.exit, errOut, c.want)
			}
		})
	}
}

func TestMetricCommand(t *testing.T) {
	db, rows := newReportDB(t)
	code, out, errOut := cli(t, RunMetric, "save", "--db", db, "--survey", "Feedback", "--name", "Very good only",
		"--question", "overall experience", "--positive", "very good", "--excluded", "Don't know,Neither good nor poor")
	if code != ExitOK {
		t.Fatalf("save: exit %d: %s %s", code, out, errOut)
	}
	rep := runReportJSON(t, "--db", db, "--survey", "Feedback", "--metric", "VERY GOOD ONLY", "--period", "all")
	var n, pos int64
	for _, r := range rows {
		if r.complete && r.overall >= 0 && r.overall != 2 && r.overall != 5 {
			n++
			if r.overall == 0 {
				pos++
			}
		}
	}
	if rep.Question != "overall" || !rep.Metric.Saved || *rep.Rows[0].N != n || *rep.Rows[0].Positive != pos {
		t.Fatalf("report with the saved metric: %+v %+v, want base %d, %d positive", rep.Metric, rep.Rows[0], n, pos)
	}
	if code, out, _ := cli(t, RunMetric, "list", "--db", db, "--survey", "Feedback"); code != ExitOK || !strings.Contains(out, "Very good only") {
		t.Fatalf("list: exit %d: %s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--positive", "Excellent"}, `"Excellent" is not an option`},
		{[]string{"--positive", "Good", "--excluded", "good"}, "both"},
		{[]string{"--name", "top-box", "--positive", "Good"}, "preset"},
	} {
		args := append([]string{"save", "--db", db, "--survey", "Feedback", "--name", "Other", "--question", "overall"}, c.args...)
		if code, _, errOut := cli(t, RunMetric, args...); code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("save %v: exit %d %q, want a usage error saying %q", c.args, code, errOut, c.want)
		}
	}
	if code, _, _ := cli(t, RunMetric, "delete", "--db", db, "--survey", "Feedback", "--name", "very good only"); code != ExitOK {
		t.Fatalf("delete: exit %d", code)
	}
	if code, _, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--metric", "Very good only"); code != ExitUsage {
		t.Fatalf("report with a deleted metric: exit %d %s", code, errOut)
	}
}

func TestTerminalSafe(t *testing.T) {
	cases := []struct{ in, want string }{
		{"North team", "North team"},
		{"two\nlines", "two\nlines"},
		{"\x1b[2J\x1b[31mred", "?[2J?[31mred"},
		{"over\rwrite", "over?write"},
		{"tab\there", "tab?here"},
		{"\u202eevil\u202c", "?evil?"},
		{"\u2067isolate\u2069", "?isolate?"},
		{"\u0085next line", "?next line"},
		{"Emperor’s Gate – ok", "Emperor’s Gate – ok"},
	}
	for _, c := range cases {
		if got := terminalSafe(c.in); got != c.want {
			t.Errorf("terminalSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
