package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// statementCells reads the page's tables of statements: for each
// statement (FRAMEWORK:ID), each question's row (by code) as the text of
// its cells, charts left out.
func statementCells(t testing.TB, page string) map[string]map[string][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	text := func(n *html.Node) string {
		var b strings.Builder
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "script" {
				return
			}
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
	out := map[string]map[string][]string{}
	var table string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" && strings.Contains(attr(n, "class"), "statement-questions") {
			table = attr(n, "data-statement")
			out[table] = map[string][]string{}
		}
		if n.Type == html.ElementNode && n.Data == "tr" && attr(n, "data-question") != "" {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, text(c))
				}
			}
			out[table][attr(n, "data-question")] = cells
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// statementsJSON fetches a survey's results by statement as JSON.
func statementsJSON(t testing.TB, h http.Handler, path string) StatementsJSON {
	t.Helper()
	rec := get(t, h, path)
	var r StatementsJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &r); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("%s: %d %v %s", path, rec.Code, err, firstLine(rec.Body.String()))
	}
	return r
}

// checkStatementsAgree asserts that the page's tables, the CSV and the
// JSON of the same results say the same: every tagged question under its
// statement, with the same figure, interval, base and change. It returns
// the number of figures compared.
func checkStatementsAgree(t *testing.T, r StatementsJSON, page string, csvBody []byte) int {
	t.Helper()
	cells := statementCells(t, page)
	lines, err := csv.NewReader(bytes.NewReader(csvBody)).ReadAll()
	if err != nil || len(lines) < 2 {
		t.Fatalf("the CSV: %v %q", err, csvBody)
	}
	col := map[string]int{}
	for i, h := range lines[0] {
		col[h] = i
	}
	byQuestion := map[string][]string{}
	for _, l := range lines[1:] {
		if l[col["tagged"]] == "question" {
			byQuestion[l[col["statement_id"]]+" "+l[col["question"]]] = l
		}
	}
	compared := 0
	for _, st := range r.Statements {
		ref := r.Framework.Name + ":" + st.ID
		if len(st.Questions) == 0 && cells[ref] != nil {
			t.Errorf("%s: the page has a table, the JSON no question", ref)
		}
		if len(cells[ref]) != len(st.Questions) {
			t.Errorf("%s: the page has %d questions, the JSON %d", ref, len(cells[ref]), len(st.Questions))
		}
		for _, q := range st.Questions {
			row, line := cells[ref][q.Code], byQuestion[st.ID+" "+q.Code]
			if len(row) < 3 || line == nil {
				t.Errorf("%s %s: page row %q, CSV line %q", ref, q.Code, row, line)
				continue
			}
			if !strings.HasPrefix(row[0], q.Text) || row[1] != q.Metric || line[col["question_text"]] != q.Text {
				t.Errorf("%s %s: page %q, CSV %q, JSON %q", ref, q.Code, row[:2], line[col["question_text"]], q.Text)
			}
			if q.Rate == nil {
				if strings.ContainsAny(row[2], "0123456789") || line[col["rate"]] != "" || line[col["n"]] != "" ||
					line[col["suppressed"]] != strconv.FormatBool(q.Suppressed) {
					t.Errorf("%s %s: no figure in the JSON (%s), but the page says %q and the CSV %q", ref, q.Code, q.Note, row[2], line)
				}
				continue
			}
			if len(row) < 5 {
				t.Errorf("%s %s: the page's row %q has no figure, the JSON %v", ref, q.Code, row, *q.Rate)
				continue
			}
			value, interval, base := dashboards.Value(q.Measure, *q.Rate, false), dashboards.Interval(q.Measure, q.CILow, q.CIHigh), dashboards.Thousands(*q.N)
			if row[2] != value || row[3] != interval || row[4] != base {
				t.Errorf("%s %s: page %q, JSON %s %s %s", ref, q.Code, row[2:5], value, interval, base)
			}
			if len(row) > 5 && row[5] != q.Change {
				t.Errorf("%s %s: page change %q, JSON %q", ref, q.Code, row[5], q.Change)
			}
			if line[col["rate"]] != dashboards.Value(q.Measure, *q.Rate, true) || line[col["n"]] != dashboards.IntCell(q.N) ||
				line[col["change"]] != q.Change || line[col["period"]] != q.Period || line[col["suppressed"]] != "false" {
				t.Errorf("%s %s: CSV %q, JSON %+v", ref, q.Code, line, q)
			}
			compared++
		}
	}
	return compared
}

// TestStatementsDemo: the demo survey comes tagged with CQC and Making It
// Real statements; its results by statement list every statement of each
// framework, and the page's tables, the CSV, the workbook and the JSON
// agree figure by figure, with each question's own figure for the
// dashboard's period.
func TestStatementsDemo(t *testing.T) {
	f := newPagesFixture(t)
	ctx := t.Context()
	sv, err := f.srv.store.SurveyBySlug(ctx, f.demo)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := f.srv.store.StatementTags(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, d := range demoTags {
		want += len(d.statements)
	}
	if len(tags) != want || want < 10 {
		t.Fatalf("the demo survey has %d tags, want %d: %+v", len(tags), want, tags)
	}
	for _, fw := range []string{"cqc", "mir"} {
		t.Run(fw, func(t *testing.T) {
			base := "/surveys/" + f.demo + "/statements?framework=" + fw
			r := statementsJSON(t, f.h, "/api/v1/surveys/"+f.demo+"/statements?framework="+fw)
			frameworks, _ := f.srv.store.Frameworks(ctx)
			wantN := map[string]int{"cqc": 9, "mir": 6}[fw]
			if r.Framework.Name != fw || len(r.Statements) != wantN || r.Board || r.PeriodKey != "2025-03" || r.PeriodLabel != "March 2025" {
				t.Fatalf("%s: %+v", fw, r)
			}
			for i, st := range r.Statements {
				if want := frameworks[map[string]int{"cqc": 0, "mir": 1}[fw]].Statements[i]; st.ID != want.ID || st.Statement != want.Text || st.Theme != want.Theme {
					t.Errorf("statement %d: %+v, want %+v", i, st, want)
				}
				if st.Actions == nil || st.CommentThemes == nil || st.Questions == nil {
					t.Errorf("%s: a list is null, not []", st.ID)
				}
			}
			page := get(t, f.h, base)
			if page.Code != http.StatusOK {
				t.Fatalf("page: %d", page.Code)
			}
			checkPage(t, "statements", page.Body.String())
			csvRec := get(t, f.h, "/api/v1/surveys/"+f.demo+"/statements.csv?framework="+fw)
			if csvRec.Code != http.StatusOK || !strings.Contains(csvRec.Header().Get("Content-Disposition"), f.demo+"-statements-"+fw+".csv") {
				t.Fatalf("CSV: %d %v", csvRec.Code, csvRec.Header())
			}
			if n := checkStatementsAgree(t, r, page.Body.String(), csvRec.Body.Bytes()); n < 5 {
				t.Errorf("only %d figures compared", n)
			}
			xlsx := get(t, f.h, "/surveys/"+f.demo+"/statements.xlsx?framework="+fw)
			wb, err := excelize.OpenReader(bytes.NewReader(xlsx.Body.Bytes()))
			if xlsx.Code != http.StatusOK || err != nil {
				t.Fatalf("workbook: %d %v", xlsx.Code, err)
			}
			rows, err := wb.GetRows("By statement")
			if err != nil {
				t.Fatal(err)
			}
			lines := 0
			for _, st := range r.Statements {
				lines += max(1, len(st.Questions))
			}
			if len(rows) < lines+1 {
				t.Errorf("the workbook has %d rows, want a heading and %d", len(rows), lines)
			}
		})
	}
	// The assessment question speaks to assessing needs, with its figure.
	r := statementsJSON(t, f.h, "/api/v1/surveys/"+f.demo+"/statements?framework=cqc")
	found := false
	for _, q := range r.Statements[0].Questions {
		found = found || strings.Contains(q.Text, "assessment and care planning") && q.Rate != nil && q.N != nil && *q.N > 100 && q.Period == "2025-03"
	}
	if r.Statements[0].ID != "assessing-needs" || !found {
		t.Errorf("assessing needs: %+v", r.Statements[0])
	}
	// Another period, for another page (the board pack): each figure is that period's.
	feb, err := f.srv.statementsFor(ctx, surveyView{survey: sv, params: report.Params{Survey: sv.Name}}, "cqc", "2025-02")
	if err != nil || feb.PeriodKey != "2025-02" || feb.PeriodLabel != "February 2025" {
		t.Fatalf("February: %v %+v", err, feb)
	}
	for i, st := range feb.Statements {
		for j, q := range st.Questions {
			march := r.Statements[i].Questions[j]
			if q.Period != "2025-02" || march.Previous == nil || q.Rate == nil || *q.Rate != *march.Previous.Rate || *q.N != *march.Previous.N {
				t.Errorf("%s in February: %+v, March's previous %+v", q.Code, q, march.Previous)
			}
		}
	}
	if nav := textOf(t, get(t, f.h, "/surveys/"+f.demo).Body.String(), "survey-nav"); !strings.Contains(nav, "Statements") {
		t.Errorf("the survey's menu lacks the results by statement: %q", nav)
	}
	if rec := get(t, f.h, "/api/v1/surveys/"+f.demo+"/statements?framework=nope"); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), `framework \"nope\" is not a framework heard knows; use one of: cqc, mir`) {
		t.Errorf("an unknown framework: %d %s", rec.Code, rec.Body)
	}
}

// TestStatementsBoard: a board member's results by statement follow the
// survey's disclosure policy, through the same reports as the board's
// pages: a question whose month has a negative count of 2 is shown to
// staff and hidden from the board on the page, the CSV and the JSON.
func TestStatementsBoard(t *testing.T) {
	b := newBoardFixture(t)
	ctx := t.Context()
	sv, err := b.f.srv.store.SurveyBySlug(ctx, b.f.real)
	if err != nil {
		t.Fatal(err)
	}
	by := analytics.CommandLine("test")
	const involved, overall = "were_you_involved_in_decisions_about_your_care", "overall_how_satisfied_are_you_port_you_received"
	for _, code := range []string{involved, overall} {
		if _, err := b.f.srv.store.Tag(ctx, sv.ID, analytics.StatementTag{Question: code,
			Statement: analytics.StatementRef{Framework: "cqc", ID: "assessing-needs"}}, by); err != nil {
			t.Fatal(err)
		}
	}
	path := "/statements?framework=cqc"
	staff := statementsJSON(t, b.f.h, "/api/v1/surveys/"+b.f.real+path)
	q := staff.Statements[0].Questions
	if len(q) != 2 || q[1].Code != involved || q[1].N == nil || *q[1].N != 12 || q[1].Rate == nil || *q[1].Positive != 10 || staff.PeriodKey != "2024-05" {
		t.Fatalf("staff see %+v for %s", q, staff.PeriodKey)
	}
	staffValue := dashboards.Value(q[1].Measure, *q[1].Rate, false)

	rec := b.get(t, "/api/v1/surveys/"+b.f.real+path+"&min_base=1&board=0")
	var board StatementsJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &board); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("board JSON: %d %v", rec.Code, err)
	}
	bq := board.Statements[0].Questions
	if !board.Board || board.Disclosure == nil || len(bq) != 2 || !bq[1].Suppressed || bq[1].N != nil || bq[1].Rate != nil ||
		bq[1].Positive != nil || bq[1].CILow != nil || bq[1].Previous != nil || bq[1].ChangeP != nil {
		t.Fatalf("the board sees %+v", bq)
	}
	if bq[0].Suppressed || bq[0].Rate == nil || *bq[0].N < 10 {
		t.Errorf("the board sees no figure at all, so the check proves nothing: %+v", bq[0])
	}
	page := b.get(t, "/surveys/"+b.f.real+path)
	body := page.Body.String()
	cells := statementCells(t, body)["cqc:assessing-needs"][involved]
	if page.Code != http.StatusOK || len(cells) < 3 || cells[2] != "not shown: too few answers to publish" {
		t.Errorf("the board's page row: %d %q", page.Code, cells)
	}
	if _, forms := pageLinks(t, body); len(forms) != 1 || forms[0] != "/logout" {
		t.Errorf("the board's page has forms %q", forms)
	}
	csvRec := b.get(t, "/api/v1/surveys/"+b.f.real+"/statements.csv?framework=cqc")
	checkStatementsAgree(t, board, body, csvRec.Body.Bytes())
	if strings.Contains(csvRec.Body.String(), strings.TrimSuffix(staffValue, "%")) || strings.Contains(body, staffValue) {
		t.Errorf("the board's downloads or page hold the hidden figure %s", staffValue)
	}
}

// TestQuestionTags: an analyst who may change the survey sees the
// question's statements and a form to tag it; tagging and removing a tag
// through the form change the tags; a viewer sees the statements but no
// form, and an analyst who is not a member cannot post it.
func TestQuestionTags(t *testing.T) {
	m := newMatrixFixture(t)
	ctx := t.Context()
	page := "/surveys/" + m.slug + "/questions/" + m.code
	action := page + "/statements"
	analystPage := m.do(t, "analyst", "GET", page).Body.String()
	if !strings.Contains(analystPage, `id="tag-form"`) || !strings.Contains(analystPage, `action="`+action+`"`) {
		t.Fatalf("the analyst's question page has no tag form:\n%s", textOf(t, analystPage, "statements"))
	}
	sv, _ := m.srv.store.SurveyBySlug(ctx, m.slug)
	before, _ := m.srv.store.StatementTags(ctx, sv.ID)
	post := func(role string, form url.Values) *http.Response {
		req := httptest.NewRequest("POST", action, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if role != "" {
			req.Header.Set("Authorization", "Bearer "+m.tokens[role])
		}
		return doReq(m.h, req).Result()
	}
	if res := post("analyst", url.Values{"statement": {"cqc:learning"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"#statements" {
		t.Fatalf("tag: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	after, _ := m.srv.store.StatementTags(ctx, sv.ID)
	if len(after) != len(before)+1 {
		t.Fatalf("tags %d, then %d", len(before), len(after))
	}
	analystPage = m.do(t, "analyst", "GET", page).Body.String()
	if s := textOf(t, analystPage, "question-statements"); !strings.Contains(s, "Learning, improvement and innovation") || !strings.Contains(s, "Remove") {
		t.Errorf("the statements listed: %q", s)
	}
	viewerPage := m.do(t, "viewer", "GET", page).Body.String()
	if s := textOf(t, viewerPage, "question-statements"); !strings.Contains(s, "Learning, improvement and innovation") ||
		strings.Contains(viewerPage, `id="tag-form"`) || strings.Contains(s, "Remove") {
		t.Errorf("the viewer's statements: %q", s)
	}
	if res := post("viewer", url.Values{"statement": {"cqc:equity"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer tagging: %d", res.StatusCode)
	}
	outsider := createAccount(t, m.srv.store, "outsider@example.org", analytics.RoleAnalyst)
	m.tokens["outsider"] = outsider.token
	if res := post("outsider", url.Values{"statement": {"cqc:equity"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst who is not a member tagging: %d", res.StatusCode)
	}
	if s := m.do(t, "outsider", "GET", page).Body.String(); strings.Contains(s, `id="tag-form"`) {
		t.Error("an analyst who is not a member is offered the tag form")
	}
	for form, want := range map[string]string{"cqc:nope": `Framework &#34;cqc&#34; has no statement &#34;nope&#34;`, "nope": "does not name a statement"} {
		rec := postForm(t, m.h, action, url.Values{"statement": {form}}, m.tokens["admin"])
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("statement %q: %d %s", form, rec.Code, textOf(t, rec.Body.String(), "main"))
		}
	}
	if res := post("analyst", url.Values{"statement": {"cqc:learning"}, "remove": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if final, _ := m.srv.store.StatementTags(ctx, sv.ID); len(final) != len(before) {
		t.Errorf("tags after removing: %d, want %d", len(final), len(before))
	}
}

// TestStatementsHostileText: a framework's words and a comment theme's
// name are data everywhere: escaped on the pages, never a formula in the
// CSV or the workbook.
func TestStatementsHostileText(t *testing.T) {
	f := newPagesFixture(t)
	ctx := t.Context()
	by := analytics.CommandLine("test")
	fw := analytics.Framework{Name: "hostile", Title: hostileTexts[2], Statements: []analytics.Statement{
		{ID: "h1", Theme: hostileTexts[0], Text: hostileTexts[3], Parent: "cqc:equity"},
		{ID: "h2", Theme: hostileTexts[1], Text: hostileTexts[2]},
	}}
	if _, err := f.srv.store.ImportFramework(ctx, fw, "hostile.csv", by); err != nil {
		t.Fatal(err)
	}
	sv, _ := f.srv.store.SurveyBySlug(ctx, f.demo)
	for _, tag := range []analytics.StatementTag{
		{Question: "i_was_listened_to", Statement: analytics.StatementRef{Framework: "hostile", ID: "h1"}},
		{ThemeModel: "nhs", Theme: hostileTexts[3], Statement: analytics.StatementRef{Framework: "hostile", ID: "h2"}},
	} {
		if _, err := f.srv.store.Tag(ctx, sv.ID, tag, by); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"/surveys/" + f.demo + "/statements?framework=hostile", "/surveys/" + f.demo + "/statements?framework=cqc",
		"/surveys/" + f.demo + "/questions/i_was_listened_to"} {
		page := get(t, f.h, path).Body.String()
		checkPage(t, path, page)
		if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the framework's words as text", path)
		}
	}
	body := get(t, f.h, "/api/v1/surveys/"+f.demo+"/statements.csv?framework=hostile").Body.Bytes()
	cells := strings.Join(checkCSVCells(t, "statements.csv", body), "\n")
	xlsx := get(t, f.h, "/surveys/"+f.demo+"/statements.xlsx?framework=hostile").Body.Bytes()
	texts := strings.Join(checkXLSXCells(t, "statements.xlsx", xlsx), "\n")
	for _, h := range hostileTexts {
		if !strings.Contains(cells, strings.TrimLeft(h, "=")) || !strings.Contains(texts, strings.TrimLeft(h, "=")) {
			t.Errorf("the downloads lose %q", h)
		}
	}
}
