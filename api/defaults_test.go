package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
)

// i64p and f64p point at a value.
func i64p(v int64) *int64     { return &v }
func f64p(v float64) *float64 { return &v }

// monthRows are overall rows of consecutive months from 2025-01 with the
// bases given.
func monthRows(bases ...int64) []analytics.ReportRow {
	rows := make([]analytics.ReportRow, len(bases))
	for i, n := range bases {
		rows[i] = analytics.ReportRow{Period: fmt.Sprintf("2025-%02d", i+1), N: i64p(n), Rate: f64p(0.8)}
	}
	return rows
}

// TestChooseHeadlinePeriod: the headline is the latest complete period with
// an adequate base; a month the data stop in is not complete, a month with
// far fewer answers than the others is not adequate.
func TestChooseHeadlinePeriod(t *testing.T) {
	for _, c := range []struct {
		name    string
		kind    analytics.PeriodKind
		rows    []analytics.ReportRow
		end     string
		want    string
		noteHas string
	}{
		{"a short, small last month", analytics.PeriodMonth, monthRows(1263, 1190, 1301, 64), "2025-04-05", "2025-03",
			"the data end on 5 April 2025, so April 2025 is not over yet (64 answers so far)"},
		{"a short last month of a fair size is still not over", analytics.PeriodMonth, monthRows(300, 310, 290, 280), "2025-04-20", "2025-03",
			"April 2025 is not over yet"},
		{"data to the last day make the last month complete", analytics.PeriodMonth, monthRows(300, 310, 290, 280), "2025-04-30", "2025-04", ""},
		{"a complete month with too few answers beside the others", analytics.PeriodMonth, monthRows(300, 310, 290, 40), "2025-04-30", "2025-03",
			"April 2025 has only 40 answers, too few beside the other periods"},
		{"under the disclosure minimum", analytics.PeriodMonth, monthRows(12, 9), "2025-03-10", "2025-01", "February 2025 has only 9 answers"},
		{"the data go past the last month", analytics.PeriodMonth, monthRows(300, 310, 290, 280), "2025-06-02", "2025-04", ""},
		{"no period qualifies: the latest", analytics.PeriodMonth, monthRows(3, 4), "2025-02-10", "2025-02", ""},
		{"one period of all responses", analytics.PeriodAll, []analytics.ReportRow{{Period: analytics.AllPeriod, N: i64p(5), Rate: f64p(0.5)}},
			"", analytics.AllPeriod, ""},
		{"quarters", analytics.PeriodQuarter, []analytics.ReportRow{{Period: "2024-Q4", N: i64p(900)}, {Period: "2025-Q1", N: i64p(850)}},
			"2025-03-14", "2024-Q4", "the data end on 14 March 2025, so 2025 Q1 is not over yet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := report.JSON{Period: c.kind, Rows: c.rows}
			got := chooseHeadlinePeriod(rep, c.end, 10)
			if got.Key != c.want {
				t.Errorf("period %q, want %q (note %q)", got.Key, c.want, got.Note)
			}
			if (c.noteHas == "") != (got.Note == "") || !strings.Contains(got.Note, c.noteHas) {
				t.Errorf("note %q, want one holding %q", got.Note, c.noteHas)
			}
		})
	}
}

// writeSurveyCSV writes a generic export: a satisfaction question, an ease
// question, a team and the disability question, one row per answer
// given by rows (date, team, disability, satisfaction, ease); an empty date
// leaves the date column out.
func writeSurveyCSV(t testing.TB, rows [][5]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "survey.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	dated := rows[0][0] != ""
	header := []string{"Response ID", "Submitted", "Team", "Do you consider yourself to have a disability?",
		"How easy was it to contact us?", "Overall, how satisfied are you with the care and support you receive?"}
	if !dated {
		header = append(header[:1], header[2:]...)
	}
	_ = w.Write(header)
	for i, r := range rows {
		rec := []string{fmt.Sprint(1000 + i), r[0], r[1], r[2], r[4], r[3]}
		if !dated {
			rec = append(rec[:1], rec[2:]...)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := firstError(w.Error(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return path
}

func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var (
	satisfied5 = []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	easy5      = []string{"Very easy", "Fairly easy", "Neither easy nor difficult", "Fairly difficult", "Very difficult"}
)

// shortLastMonthRows are January to March 2025, 120 answers a month, mostly
// satisfied, then 6 answers from 1 to 5 April, all very dissatisfied.
func shortLastMonthRows() [][5]string {
	var rows [][5]string
	teams, disabled := []string{"North", "South", "East"}, []string{"Yes", "No", "No", "Prefer not to say"}
	for m := 1; m <= 3; m++ {
		for i := range 120 {
			day := fmt.Sprintf("2025-%02d-%02d 10:%02d:00", m, 1+i%28, i%60)
			rows = append(rows, [5]string{day, teams[i%3], disabled[i%4], satisfied5[(i*7+m)%5%3], easy5[(i+m)%5]})
		}
	}
	for i := range 6 {
		rows = append(rows, [5]string{fmt.Sprintf("2025-04-%02d 09:00:00", 1+i%5), teams[i%3], disabled[i%4], satisfied5[4], easy5[0]})
	}
	return rows
}

// importCSV imports path as survey name and returns its slug.
func importCSV(t testing.TB, srv *Server, path, name string) string {
	t.Helper()
	rep, err := ingest.ImportFile(context.Background(), srv.store, path, filepath.Base(path), ingest.ImportParams{Survey: name})
	if err != nil || rep.Refused() {
		t.Fatalf("import %s: %v %+v", name, err, rep)
	}
	sv, err := srv.store.SurveyByName(context.Background(), rep.Survey)
	if err != nil {
		t.Fatal(err)
	}
	return sv.Slug
}

// findID returns the element with id in page, or nil.
func findID(t testing.TB, page, id string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id && found == nil {
				found = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// textOf is the text of the element with id in page, spaces collapsed; ""
// when there is none.
func textOf(t testing.TB, page, id string) string {
	t.Helper()
	n := findID(t, page, id)
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// options are the options of the select with id in page: value, label and
// whether it is selected.
type option struct {
	Value, Label string
	Selected     bool
}

func optionsOf(t testing.TB, page, id string) []option {
	t.Helper()
	n := findID(t, page, id)
	if n == nil {
		t.Fatalf("no element %s", id)
	}
	var out []option
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.Data != "option" {
			continue
		}
		o := option{}
		for _, a := range c.Attr {
			switch a.Key {
			case "value":
				o.Value = a.Val
			case "selected":
				o.Selected = true
			}
		}
		if c.FirstChild != nil {
			o.Label = c.FirstChild.Data
		}
		out = append(out, o)
	}
	return out
}

// TestDashboardDefaults: a survey whose last month has 6 answers from 1 to
// 5 April beside months of 120 leads with March and says why; it leads
// with its overall satisfaction question; the disability question is a
// dimension (a list of the filters, a table of the equality page), not a
// figure.
func TestDashboardDefaults(t *testing.T) {
	srv, h := newTestServer(t)
	slug := importCSV(t, srv, writeSurveyCSV(t, shortLastMonthRows()), "Short last month")
	page := get(t, h, "/surveys/"+slug).Body.String()
	checkPage(t, "dashboard", page)
	if got := textOf(t, page, "headline-heading"); got != "Overall, how satisfied are you with the care and support you receive?" {
		t.Errorf("headline question %q, want the overall satisfaction question", got)
	}
	if got := textOf(t, page, "headline-detail"); !strings.HasPrefix(got, "March 2025: ") || !strings.Contains(got, "n = 120") {
		t.Errorf("headline %q, want March 2025 on 120 answers", got)
	}
	if got := textOf(t, page, "period-note"); !strings.Contains(got, "the data end on 5 April 2025, so April 2025 is not over yet (6 answers so far)") {
		t.Errorf("period note %q", got)
	}
	if strings.Contains(page, "Do you consider yourself to have a disability?</a>") {
		t.Error("the disability question is a question with a figure on the dashboard")
	}
	found := false
	for i := range 5 {
		if n := findID(t, page, fmt.Sprintf("f-dim-%d", i)); n != nil && strings.Contains(page, "Do you consider yourself to have a disability?</label>") {
			found = true
		}
	}
	if !found {
		t.Error("the disability question is not a list of the filters")
	}
	// The list of surveys gives the same month.
	home := get(t, h, "/").Body.String()
	if !strings.Contains(home, ", March 2025<br>") || strings.Contains(home, ", April 2025<br>") {
		t.Error("the list of surveys does not give March 2025 as the headline's month")
	}
	eq := get(t, h, "/surveys/"+slug+"/equality").Body.String()
	if !strings.Contains(eq, "Do you consider yourself to have a disability?") {
		t.Error("the equality page has no breakdown by disability")
	}
	// A month asked for explicitly is shown, complete or not.
	page = get(t, h, "/surveys/"+slug+"?from=2025-04-01").Body.String()
	if got := textOf(t, page, "headline-detail"); !strings.HasPrefix(got, "April 2025") && !strings.Contains(textOf(t, page, "headline-figure"), "April 2025") {
		t.Errorf("from April: headline %q, want April 2025", got)
	}
}

// TestUndatedSurveyOpensOnAllResponses: a survey without dates opens on
// every response together and says why in a sentence.
func TestUndatedSurveyOpensOnAllResponses(t *testing.T) {
	srv, h := newTestServer(t)
	rows := shortLastMonthRows()
	for i := range rows {
		rows[i][0] = ""
	}
	slug := importCSV(t, srv, writeSurveyCSV(t, rows), "Undated")
	page := get(t, h, "/surveys/"+slug).Body.String()
	if got := textOf(t, page, "period-note"); !strings.Contains(got, "have no dates, so the figures cover all responses together") {
		t.Errorf("period note %q", got)
	}
	if got := textOf(t, page, "headline-detail"); !strings.Contains(got, "n = 366") {
		t.Errorf("headline %q, want all 366 answers", got)
	}
	if home := get(t, h, "/").Body.String(); !strings.Contains(home, ">366</td>") {
		t.Error("the list of surveys does not give the figure of all 366 answers")
	}
	for _, o := range optionsOf(t, page, "f-period") {
		if o.Selected != (o.Value == "all") {
			t.Errorf("period option %+v: want all responses chosen", o)
		}
	}
}

// TestHeadlineQuestionRemembered: an analyst chooses the question the
// dashboard leads with; it is stored, leads the dashboard and the equality
// page for everyone, is audited, and can be given back to heard's choice;
// a question that is not a scale question is refused and changes nothing;
// an analyst who is not a member of the survey is refused.
func TestHeadlineQuestionRemembered(t *testing.T) {
	srv, h := newTestServer(t)
	slug := importCSV(t, srv, writeSurveyCSV(t, shortLastMonthRows()), "Remembered")
	ctx := context.Background()
	sv, _ := srv.store.SurveyBySlug(ctx, slug)
	qs, _, err := srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ease string
	for _, q := range qs {
		if strings.HasPrefix(q.Text, "How easy") {
			ease = q.Code
		}
	}
	post := func(h http.Handler, code string) int {
		return do(t, h, "POST", "/surveys/"+slug+"/headline", strings.NewReader(url.Values{"question": {code}}.Encode()),
			"application/x-www-form-urlencoded").Code
	}
	page := get(t, h, "/surveys/"+slug).Body.String()
	if n := findID(t, page, "headline-form"); n == nil {
		t.Fatal("no headline form for an admin")
	}
	if code := post(h, ease); code != 303 {
		t.Fatalf("POST headline: %d", code)
	}
	if got, _ := srv.store.HeadlineQuestion(ctx, sv.ID); got != ease {
		t.Errorf("stored headline %q, want %q", got, ease)
	}
	viewer := createAccount(t, srv.store, "viewer@example.org", analytics.RoleViewer)
	vh := withToken{h: srv.Handler(), token: viewer.token}
	page = get(t, vh, "/surveys/"+slug).Body.String()
	if got := textOf(t, page, "headline-heading"); got != "How easy was it to contact us?" {
		t.Errorf("headline after choosing %q", got)
	}
	if findID(t, page, "headline-form") != nil {
		t.Error("a viewer is offered the headline form")
	}
	board := createAccount(t, srv.store, "board@example.org", analytics.RoleBoard)
	bpage := get(t, withToken{h: srv.Handler(), token: board.token}, "/surveys/"+slug).Body.String()
	if got := textOf(t, bpage, "headline-heading"); got != "How easy was it to contact us?" {
		t.Errorf("the board's headline after choosing: %q", got)
	}
	if findID(t, bpage, "headline-form") != nil || strings.Contains(bpage, `action="/surveys/`+slug+`/headline"`) {
		t.Error("a board member is offered the headline form")
	}
	for _, o := range optionsOf(t, get(t, vh, "/surveys/"+slug+"/equality").Body.String(), "f-question") {
		if o.Selected != (o.Value == ease) {
			t.Errorf("equality page question %+v: want the chosen question %s", o, ease)
		}
	}
	// The address still wins over the remembered choice.
	sat := ""
	for _, o := range optionsOf(t, page, "f-question") {
		if strings.HasPrefix(o.Label, "Overall") {
			sat = o.Value
		}
	}
	if got := textOf(t, get(t, vh, "/surveys/"+slug+"?question="+sat).Body.String(), "headline-heading"); !strings.HasPrefix(got, "Overall") {
		t.Errorf("question=%s: headline %q", sat, got)
	}
	events, err := srv.store.AuditEvents(ctx, store.AuditQuery{Action: store.AuditSurveySetting})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range events {
		audited = audited || strings.Contains(e.Detail, "dashboard headline: question "+ease)
	}
	if !audited {
		t.Error("the choice is not in the audit log")
	}
	var disability string
	_, ds, _ := srv.store.Questions(ctx, sv.ID)
	for _, d := range ds {
		if strings.Contains(d.Name, "disability") {
			disability = d.Code
		}
	}
	for _, bad := range []string{disability, "no_such_question"} {
		if code := post(h, bad); code != 422 {
			t.Errorf("POST headline %q: %d, want 422", bad, code)
		}
	}
	if got, _ := srv.store.HeadlineQuestion(ctx, sv.ID); got != ease {
		t.Errorf("a refused choice changed the headline to %q", got)
	}
	analyst := createAccount(t, srv.store, "analyst@example.org", analytics.RoleAnalyst)
	if code := post(withToken{h: srv.Handler(), token: analyst.token}, ""); code != 403 {
		t.Errorf("a non-member analyst: %d, want 403", code)
	}
	if code := post(h, ""); code != 303 {
		t.Fatalf("POST headline back to heard's choice: %d", code)
	}
	if got := textOf(t, get(t, vh, "/surveys/"+slug).Body.String(), "headline-heading"); !strings.HasPrefix(got, "Overall") {
		t.Errorf("back to heard's choice: headline %q", got)
	}
}

// TestBoardDashboardLatestCompletePeriod: the board's dashboard leads with
// the same complete period as the analysts' (March 2025, not the five days
// of April), from its published figures, and says why.
func TestBoardDashboardLatestCompletePeriod(t *testing.T) {
	srv, _ := newTestServer(t)
	slug := importCSV(t, srv, writeSurveyCSV(t, shortLastMonthRows()), "Short last month")
	board := createAccount(t, srv.store, "board-period@example.org", analytics.RoleBoard)
	resp := getAs(srv.Handler(), "/surveys/"+slug, board.token)
	if resp.Code != http.StatusOK {
		t.Fatalf("board dashboard: HTTP %d", resp.Code)
	}
	page := resp.Body.String()
	if got := textOf(t, page, "headline-sentence"); !strings.Contains(got, "March 2025") {
		t.Errorf("the board's headline %q, want March 2025", got)
	}
	if got := textOf(t, page, "period-note"); !strings.Contains(got, "April 2025 is not over yet") {
		t.Errorf("the board's period note %q", got)
	}
	if strings.Contains(page, "<form") && strings.Count(page, "<form") > 1 {
		t.Error("the board's dashboard has a form besides signing out")
	}
}
