package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// packArticle is the pack itself, from a page: the <article> without the
// header, whose account differs from reader to reader.
func packArticle(t testing.TB, page string) string {
	t.Helper()
	i, j := strings.Index(page, `<article class="pack"`), strings.Index(page, "</article>")
	if i < 0 || j < i {
		t.Fatalf("the page has no pack:\n%s", firstLine(page))
	}
	return page[i : j+len("</article>")]
}

// chartJSON matches the charts' JSON blocks, which a test reads apart
// from the page's text.
var chartJSON = regexp.MustCompile(`(?s)<script type="application/json"[^>]*>.*?</script>`)

// TestBoardPackIsTheSameForEveryRole: an admin, an analyst, a viewer and
// a board member get the same pack, byte for byte, for the period the
// board's dashboard leads with and for a period asked for: it is the
// board's document whoever prints it.
func TestBoardPackIsTheSameForEveryRole(t *testing.T) {
	m := newMatrixFixture(t)
	for _, query := range []string{"", "?period=2024-05", "?period=2024-05&board=0&min_base=1&include_partial=1", "?period=2024-25"} {
		path := "/surveys/" + m.slug + "/board-pack" + query
		var first string
		for _, role := range []string{"board", "admin", "analyst", "viewer"} {
			rec := m.do(t, role, "GET", path)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s as %s: %d %s", path, role, rec.Code, firstLine(rec.Body.String()))
			}
			checkPage(t, path, rec.Body.String())
			article := packArticle(t, rec.Body.String())
			if first == "" {
				first = article
				continue
			}
			if article != first {
				t.Errorf("%s: the %s's pack differs from the board member's", path, role)
			}
		}
		if !strings.Contains(first, `id="pack-figures-table"`) || !strings.Contains(first, `id="pack-summary"`) {
			t.Errorf("%s: the pack has no figures or summary", path)
		}
	}
	// The analysts' dashboard and the board's both link the pack.
	for _, role := range []string{"admin", "board"} {
		page := m.do(t, role, "GET", "/surveys/"+m.slug).Body.String()
		if !strings.Contains(page, `id="board-pack-link" href="/surveys/`+m.slug+`/board-pack"`) {
			t.Errorf("the %s's survey page does not link the board pack", role)
		}
	}
}

// smallMonthSurvey imports a survey whose March 2025 has 3 answers (2
// very satisfied, 1 very dissatisfied) between months of 40, each
// response with a comment, and returns its slug.
func smallMonthSurvey(t testing.TB, srv *Server) string {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("Response ID,Date submitted,Team,Overall satisfaction,Any other comments\n")
	n := 0
	row := func(month string, day int, option string) {
		n++
		fmt.Fprintf(&sb, "R%04d,%02d/%s,%s,%s,PACKSECRET comment %d: the visit on day %d was %s and the letter came late\n",
			n, day, month, boardTeams[n%3], option, n, day, strings.ToLower(option))
	}
	for _, month := range []string{"01/2025", "02/2025", "04/2025"} {
		for i := range 40 {
			row(month, 1+i%27, boardScale[i%len(boardScale)])
		}
	}
	row("03/2025", 4, "Very satisfied")
	row("03/2025", 11, "Very satisfied")
	row("03/2025", 18, "Very dissatisfied")
	path := filepath.Join(t.TempDir(), "small-month.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return importCSV(t, srv, path, "Small March")
}

// TestBoardPackHidesASmallMonth: March 2025 of a survey has 3 answers. The
// staff's own report shows them (66.7% of 3); the board pack of March
// 2025, printed by an admin, does not: the question's figure is "not
// shown", the summary speaks of no figure, and neither the share, its
// base nor its counts are anywhere on the page, its charts' data included.
// No comment is on any pack, and the pack the dashboard leads with is
// February's, as on the board's dashboard: March has too few answers and
// April is not over (the data end on 27 April), which April's own pack
// says.
func TestBoardPackHidesASmallMonth(t *testing.T) {
	srv, h := newTestServer(t)
	slug := smallMonthSurvey(t, srv)
	var staff report.JSON
	rec := get(t, h, "/api/v1/surveys/"+slug+"/report?question=overall_satisfaction")
	if err := json.Unmarshal(rec.Body.Bytes(), &staff); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	march, ok := overallRow(staff, "2025-03")
	if !ok || march.N == nil || *march.N != 3 || march.Suppressed {
		t.Fatalf("the staff's report of March 2025 is %+v, want 3 answers shown: the test proves nothing", march)
	}
	share := dashboards.Value(staff.Metric.Measure, *march.Rate, false)
	page := get(t, h, "/surveys/"+slug+"/board-pack?period=2025-03").Body.String()
	article := packArticle(t, page)
	figures := textOf(t, page, "pack-figures-table")
	if !strings.Contains(figures, "not shown: too few answers to publish") {
		t.Errorf("the pack's table does not say March's figure is not shown: %q", figures)
	}
	if got := textOf(t, page, "pack-hidden"); got != "1 question had too few answers in March 2025 to publish a figure." {
		t.Errorf("the summary says %q", got)
	}
	if strings.Contains(textOf(t, page, "pack-summary"), "March 2025 (") {
		t.Error("the summary speaks of March's figure")
	}
	for _, leak := range []string{share, strings.TrimSuffix(share, "%"), "n = 3)", "3 answers", "0.6666", "PACKSECRET", "letter came late"} {
		if strings.Contains(article, leak) {
			t.Errorf("the pack of March 2025 holds %q", leak)
		}
	}
	if strings.Contains(page, "PACKSECRET") {
		t.Error("a comment is on the pack's page")
	}
	def := get(t, h, "/surveys/"+slug+"/board-pack").Body.String()
	if got := textOf(t, def, "pack-heading"); got != "Board pack: Small March, February 2025" {
		t.Errorf("the default pack is %q, want February 2025's", got)
	}
	if got := textOf(t, def, "pack-note"); !strings.Contains(got, "April 2025 is not over yet") {
		t.Errorf("the default pack does not say why it is not April's: %q", got)
	}
	if strings.Contains(def, "PACKSECRET") {
		t.Error("a comment is on the default pack")
	}
	april := get(t, h, "/surveys/"+slug+"/board-pack?period=2025-04").Body.String()
	if got := textOf(t, april, "pack-note"); got != "The data end on 27 April 2025, so April 2025 is not over yet: its figures may change as more answers come in." {
		t.Errorf("the pack of April 2025, not over, says %q", got)
	}
}

// TestBoardPackPeriodErrors: a period the pack cannot show is refused
// with a page that says why in plain words and what to write instead
// (422), never a 500 or the address's text as markup; a period of the
// survey's publication is accepted, however it is spaced or cased.
func TestBoardPackPeriodErrors(t *testing.T) {
	f := newPagesFixture(t)
	h := f.h
	pack := "/surveys/" + f.demo + "/board-pack?period="
	refused := []struct {
		period, want string
	}{
		{"2024-13", "“2024-13” is not a period. This survey’s figures are published to its board by month, so its board pack is for one month: write it as 2024-05 (May 2024)."},
		{"May 2024", "“May 2024” is not a period."},
		{"2019-05", "The survey has no answers in May 2019: its figures run from April 2023 to March 2025."},
		{"2030-01", "The survey has no answers in January 2030"},
		{"<script>alert(1)</script>", "is not a period"},
	}
	for _, tt := range refused {
		rec := get(t, h, pack+url.QueryEscape(tt.period))
		body := rec.Body.String()
		msg := html.UnescapeString(textOf(t, body, "problem"))
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, tt.want) {
			t.Errorf("period %q: %d %q, want 422 with %q", tt.period, rec.Code, msg, tt.want)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(msg, "{") {
			t.Errorf("period %q: the message is not plain: %q", tt.period, msg)
		}
	}
	for period, heading := range map[string]string{"2024-05": "May 2024", " 2024-05 ": "May 2024"} {
		if got := textOf(t, get(t, h, pack+url.QueryEscape(period)).Body.String(), "pack-heading"); !strings.HasSuffix(got, heading) {
			t.Errorf("period %q: the pack is %q", period, got)
		}
	}
	// Published by financial year or quarter, the pack takes those keys.
	sv, err := f.srv.store.SurveyBySlug(t.Context(), f.demo)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		kind            analytics.PeriodKind
		period, heading string
	}{{analytics.PeriodFY, "2024-25", "2024-25"}, {analytics.PeriodQuarter, "2024-q2", "2024 Q2"}, {analytics.PeriodFYQuarter, "2024-25 q1", "2024-25 Q1"}} {
		pub := analytics.Publication{Policy: analytics.PolicyHeard, Period: tt.kind}
		if err := f.srv.store.SetPublication(t.Context(), sv.Name, pub, analytics.CommandLine("test")); err != nil {
			t.Fatal(err)
		}
		rec := get(t, h, pack+url.QueryEscape(tt.period))
		if got := textOf(t, rec.Body.String(), "pack-heading"); rec.Code != 200 || !strings.HasSuffix(got, ", "+tt.heading) {
			t.Errorf("published by %s, period %q: %d %q", tt.kind, tt.period, rec.Code, got)
		}
		// A calendar year is not made of whole financial years.
		if tt.kind == analytics.PeriodFY {
			rec = get(t, h, pack+"2024")
			if msg := textOf(t, rec.Body.String(), "problem"); rec.Code != 422 || !strings.Contains(msg, "“2024” is a calendar year, but this survey’s figures are published to its board by financial year") {
				t.Errorf("published by financial year, period 2024: %d %q", rec.Code, msg)
			}
		}
		rec = get(t, h, pack+"2024-05")
		if msg := textOf(t, rec.Body.String(), "problem"); rec.Code != 422 || !strings.Contains(msg, "“2024-05” is a month, but this survey’s figures are published to its board by "+dashboards.PeriodName(tt.kind)) {
			t.Errorf("published by %s, period 2024-05: %d %q", tt.kind, rec.Code, msg)
		}
	}
}

// tableRows reads the rows of the body of the table with id in page, each
// cell's text with its spaces collapsed.
func tableRows(t testing.TB, page, id string) [][]string {
	t.Helper()
	table := findID(t, page, id)
	if table == nil {
		return nil
	}
	text := func(n *html.Node) string {
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
	var rows [][]string
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		if n.Type == html.ElementNode && n.Data == "tr" && inBody {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, text(c))
				}
			}
			rows = append(rows, cells)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody || n.Type == html.ElementNode && n.Data == "tbody")
		}
	}
	walk(table, false)
	return rows
}

// figureText is how the pack writes a row's figure: "77.6%" and its base
// "192", or "" when it is not shown.
func figureText(rep report.JSON, r analytics.ReportRow) (value, base, interval string) {
	if r.Suppressed || r.Rate == nil || r.N == nil {
		return "", "", ""
	}
	m := rep.Metric.Measure
	return dashboards.Value(m, *r.Rate, false), dashboards.Thousands(*r.N), dashboards.Interval(m, r.CILow, r.CIHigh)
}

// packFigure matches a figure with its base as the pack's sentences write
// it: "(77.6%, 192 answers)", "n = 192".
var (
	sentenceFigure = regexp.MustCompile(`\(([+−-]?[\d.,]+%?), ([\d,]+) answers?\)`)
	shareOnPage    = regexp.MustCompile(`[+−-]?\d+\.\d+%?`)
	baseOnPage     = regexp.MustCompile(`n = ([\d,]+)|([\d,]+) answers?\b`)
	// tableNote matches a table's notes, which say the disclosure rule.
	tableNote = regexp.MustCompile(`(?s)<p class="heard-table__note">.*?</p>`)
)

// checkPackAgainstAPI checks every figure of a pack page for period key
// against the board API's reports of the same survey (all): the figures
// table's value, base, interval and year-earlier figure of each question;
// the summary's sentences; the headline's; and that every share and base
// written anywhere on the pack is one the API gives for a period of the
// pack's trends. It returns how many figures it compared.
func checkPackAgainstAPI(t *testing.T, page string, all report.SurveyReports, key string) int {
	t.Helper()
	compared := 0
	rows := tableRows(t, page, "pack-figures-table")
	if len(rows) != len(all.Reports) {
		t.Fatalf("%s: the pack's table has %d rows, the API %d reports", key, len(rows), len(all.Reports))
	}
	shares, bases := map[string]bool{"95%": true}, map[string]bool{}
	sentences := map[string]bool{}
	for _, rep := range all.Reports {
		var cells []string
		for _, r := range rows {
			if strings.HasPrefix(r[0], rep.QuestionText+" ") {
				cells = r
			}
		}
		if cells == nil {
			t.Errorf("%s: the pack has no row for %q", key, rep.QuestionText)
			continue
		}
		row, ok := overallRow(rep, key)
		value, base, interval := figureText(rep, row)
		switch {
		case !ok:
			if cells[1] != "no answers" {
				t.Errorf("%s %q: %q for a period without answers", key, rep.QuestionText, cells[1])
			}
		case value == "":
			if cells[1] != "not shown: too few answers to publish" {
				t.Errorf("%s %q: the API hides the figure, the pack says %q", key, rep.QuestionText, cells[1])
			}
		default:
			compared++
			if !strings.HasPrefix(cells[1], value) || cells[2] != base || cells[3] != interval {
				t.Errorf("%s %q: the pack says %q, %q, %q; the API %q, %q, %q", key, rep.QuestionText, cells[1], cells[2], cells[3], value, base, interval)
			}
			sentences["("+value+", "+dashboards.Plural(int(*row.N), "answer")+")"] = true
		}
		if prevKey, err := analytics.YearBefore(rep.Period, key); err == nil {
			prev, ok := overallRow(rep, prevKey)
			pv, pb, _ := figureText(rep, prev)
			want := "no answers"
			switch {
			case ok && pv == "":
				want = "not shown: too few answers to publish"
			case ok:
				want = pv + " (n = " + pb + ")"
				sentences["("+pv+", "+dashboards.Plural(int(*prev.N), "answer")+")"] = true
				compared++
			}
			if got := cells[len(cells)-2]; got != want {
				t.Errorf("%s %q: a year earlier the pack says %q, the API %q", key, rep.QuestionText, got, want)
			}
		}
		// Every figure of the trends' periods may be written somewhere.
		for _, r := range upTo(rep, key).Rows {
			if v, b, _ := figureText(rep, r); v != "" {
				shares[v] = true
				bases[b] = true
				for _, bound := range []*float64{r.CILow, r.CIHigh} {
					if bound != nil {
						shares[dashboards.Value(rep.Metric.Measure, *bound, false)] = true
					}
				}
				if r.Positive != nil {
					bases[dashboards.Thousands(*r.Positive)] = true
				}
				if p, ok := overallRow(rep, mustPrevious(t, rep.Period, r.Period)); ok && !p.Suppressed && p.Rate != nil {
					shares[strings.TrimSuffix(dashboards.Difference(rep.Metric.Measure, *r.Rate-*p.Rate), " points")] = true
					bases[dashboards.Thousands(*p.N)] = true
				}
			}
		}
		var shown int64
		for _, r := range upTo(rep, key).Rows {
			if r.Group == analytics.AllGroup && !r.Suppressed && r.Rate != nil && r.N != nil {
				shown += *r.N
			}
		}
		bases[dashboards.Thousands(shown)] = true
	}
	// The summary's and the headline's sentences say the same figures.
	for _, id := range []string{"pack-summary", "pack-headline-sentence"} {
		for _, m := range sentenceFigure.FindAllString(textOf(t, page, id), -1) {
			if !sentences[m] {
				t.Errorf("%s: the pack's %s says %q, which is no figure of the API for %s or a year earlier", key, id, m, key)
			}
			compared++
		}
	}
	// Every share and base of the pack's figures (the notes after them say
	// the disclosure rule, whose numbers are no figure).
	noCharts := tableNote.ReplaceAllString(chartJSON.ReplaceAllString(page, ""), "")
	text := textOf(t, noCharts, "pack-summary") + " " + textOf(t, noCharts, "pack-headline") + " " +
		textOf(t, noCharts, "pack-figures") + " " + textOf(t, noCharts, "pack-statements")
	compared += checkPackStatements(t, page, all, key)
	for _, s := range shareOnPage.FindAllString(text, -1) {
		if !shares[s] && !shares[s+"%"] {
			t.Errorf("%s: the pack writes %q, which the API gives for no period of its trends", key, s)
		}
	}
	for _, m := range baseOnPage.FindAllStringSubmatch(text, -1) {
		if b := m[1] + m[2]; !bases[b] {
			t.Errorf("%s: the pack writes the base %q (%q), which the API gives for no period of its trends", key, b, m[0])
		}
	}
	return compared
}

// statementLine matches a tagged question's line of the results by
// statement: its words, then its figure, base and likely range.
var statementLine = regexp.MustCompile(`^(.*?)(?: \(tagged [^)]*\))? — (\S+) \(n = ([\d,]+)(?:, likely range (.*?))?\)\.`)

// checkPackStatements checks each figure of the pack's results by
// statement against the API's figure of the same question for period key,
// and returns how many it checked.
func checkPackStatements(t *testing.T, page string, all report.SurveyReports, key string) int {
	t.Helper()
	n := 0
	for i := 0; findID(t, page, fmt.Sprintf("pack-statements-%d", i)) != nil; i++ {
		for _, line := range listItems(t, page, fmt.Sprintf("pack-statements-%d", i)) {
			m := statementLine.FindStringSubmatch(line)
			if m == nil {
				if !strings.HasPrefix(line, "Comment themes: ") && !strings.Contains(line, "Not shown: too few answers to publish.") &&
					!strings.Contains(line, "No one answered it") {
					t.Errorf("%s: a line of the statements has no figure and no reason: %q", key, line)
				}
				continue
			}
			found := false
			for _, rep := range all.Reports {
				if rep.QuestionText != m[1] {
					continue
				}
				found = true
				row, _ := overallRow(rep, key)
				v, b, iv := figureText(rep, row)
				if v != m[2] || b != m[3] || iv != m[4] {
					t.Errorf("%s: the statements say %q; the API %s (n = %s, %s)", key, line, v, b, iv)
				}
				n++
			}
			if !found {
				t.Errorf("%s: the statements give a figure of %q, which has no report", key, m[1])
			}
		}
	}
	return n
}

// listItems is the text of each li inside the element with id in page.
func listItems(t testing.TB, page, id string) []string {
	t.Helper()
	root := findID(t, page, id)
	var out []string
	var text func(n *html.Node, b *strings.Builder)
	text = func(n *html.Node, b *strings.Builder) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, b)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "li" {
			var b strings.Builder
			text(n, &b)
			out = append(out, strings.Join(strings.Fields(b.String()), " "))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if root != nil {
		walk(root)
	}
	return out
}

func mustPrevious(t testing.TB, kind analytics.PeriodKind, key string) string {
	t.Helper()
	prev, err := analytics.Previous(kind, key)
	if err != nil && kind != analytics.PeriodAll {
		t.Fatal(err)
	}
	return prev
}

// TestBoardPackFiguresAreTheBoardAPIs: for every period of the demo
// survey and of a real SmartSurvey export, published by month, and for
// the demo published by quarter and by financial year, every figure of
// the board pack (read as an admin, who would see unpublished figures
// anywhere else) is the board API's figure for that period: each
// question's value, base and interval, the same period a year earlier,
// the summary's sentences, and every share and base written anywhere on
// the pack is one the API gives.
func TestBoardPackFiguresAreTheBoardAPIs(t *testing.T) {
	b := newBoardFixture(t)
	compared, hidden := 0, 0
	check := func(slug string) {
		var all report.SurveyReports
		if err := json.Unmarshal(b.get(t, "/api/v1/surveys/"+slug+"/report").Body.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		if len(all.Reports) == 0 || !all.Reports[0].Board {
			t.Fatalf("%s: the board API gives no board report", slug)
		}
		periods := map[string]bool{}
		for _, rep := range all.Reports {
			for _, r := range rep.Rows {
				periods[r.Period] = true
				if r.Suppressed {
					hidden++
				}
			}
		}
		for key := range periods {
			rec := get(t, b.f.h, "/surveys/"+slug+"/board-pack?period="+url.QueryEscape(key))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s %s: %d %s", slug, key, rec.Code, textOf(t, rec.Body.String(), "problem"))
			}
			compared += checkPackAgainstAPI(t, rec.Body.String(), all, key)
		}
	}
	check(b.f.demo)
	check(b.f.real)
	// Longer periods than the board's months: each figure is the sum of
	// the API's monthly figures inside it.
	for _, tt := range []struct {
		kind analytics.PeriodKind
		key  string
	}{{analytics.PeriodFY, "2024-25"}, {analytics.PeriodYear, "2024"}, {analytics.PeriodQuarter, "2024-Q3"}} {
		var all report.SurveyReports
		if err := json.Unmarshal(b.get(t, "/api/v1/surveys/"+b.f.demo+"/report").Body.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		rec := get(t, b.f.h, "/surveys/"+b.f.demo+"/board-pack?period="+url.QueryEscape(tt.key))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.key, rec.Code, textOf(t, rec.Body.String(), "problem"))
		}
		summed := summedReports(t, all, tt.kind, "2023-04", "2025-03")
		shown := 0
		for _, rep := range summed.Reports {
			if r, ok := overallRow(rep, tt.key); ok && !r.Suppressed {
				shown++
			}
		}
		if shown == 0 {
			t.Errorf("%s: no question's figure is shown: the test proves nothing", tt.key)
		}
		compared += checkPackAgainstAPI(t, rec.Body.String(), summed, tt.key)
	}
	sv := mustSurvey(t, b, b.f.demo)
	for _, kind := range []analytics.PeriodKind{analytics.PeriodQuarter, analytics.PeriodFY} {
		pub := analytics.Publication{Policy: analytics.PolicyHeard, Period: kind}
		if err := b.f.srv.store.SetPublication(t.Context(), sv.Name, pub, analytics.CommandLine("test")); err != nil {
			t.Fatal(err)
		}
		check(b.f.demo)
	}
	t.Logf("%d figures compared; %d hidden rows among the reports", compared, hidden)
	if compared < 1000 || hidden == 0 {
		t.Errorf("%d figures compared, %d hidden: too few to prove anything", compared, hidden)
	}
}

// TestBoardPackThemes: on a survey whose comments have their themes
// worked out, the pack of February 2025 lists each free-text question's
// most mentioned themes, most first, each with the same comments, base,
// share and interval as the board's themes API for that month, and no
// theme the API hides; an admin's pack is the board member's; and no
// comment, nor any personal detail planted in one, is on it.
func TestBoardPackThemes(t *testing.T) {
	f := newThemesFixture(t)
	const key = "2025-02"
	path := "/surveys/" + f.slug + "/board-pack?period=" + key
	page := f.as(t, analytics.RoleAdmin, path, nil).Body.String()
	board := f.as(t, analytics.RoleBoard, path, nil).Body.String()
	if packArticle(t, page) != packArticle(t, board) {
		t.Error("the admin's pack differs from the board member's")
	}
	var j report.ThemesJSON
	rec := f.as(t, analytics.RoleBoard, "/api/v1/surveys/"+f.slug+"/themes?question="+f.text, nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil || !j.Board {
		t.Fatalf("the board's themes: %v %s", err, rec.Body)
	}
	api := map[string]report.ThemeRowJSON{}
	shown := 0
	for _, r := range j.Rows {
		if r.Period == key && r.Group == "" {
			api[r.Theme] = r
			if !r.Suppressed && r.Comments != nil && *r.Comments > 0 {
				shown++
			}
		}
	}
	if got := textOf(t, page, "pack-themes-heading"); got != "What people wrote about" {
		t.Fatalf("the pack has no themes section: %q", got)
	}
	rows := tableRows(t, page, "pack-themes-0")
	if len(rows) != min(shown, packTopThemes) || len(rows) < 3 {
		t.Fatalf("the pack lists %d themes, the API shows %d: %q", len(rows), shown, rows)
	}
	last := int64(1 << 62)
	for _, r := range rows {
		a, ok := api[r[0]]
		if !ok || a.Suppressed || a.Comments == nil {
			t.Errorf("the pack lists the theme %q, which the API does not show for %s", r[0], key)
			continue
		}
		want := []string{r[0], dashboards.Thousands(*a.Comments), dashboards.Thousands(*a.Base),
			dashboards.Value(analytics.MeasureShare, *a.Share, false), dashboards.Interval(analytics.MeasureShare, a.CILow, a.CIHigh)}
		if got := r[:5]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("the pack says %q, the API %q", got, want)
		}
		if *a.Comments > last {
			t.Errorf("%q (%d comments) comes after a theme with fewer", r[0], *a.Comments)
		}
		last = *a.Comments
	}
	article := packArticle(t, page)
	for _, o := range themeOpenings {
		if strings.Contains(article, o) {
			t.Errorf("the pack holds a comment's words: %q", o)
		}
	}
	if strings.Contains(article, "(ref ") {
		t.Error("the pack holds a comment's reference")
	}
	for _, d := range plantedDetails {
		if strings.Contains(page, d.text) {
			t.Errorf("the pack holds %q", d.text)
		}
	}
}

// TestBoardPackStatementsMatchTheStatementsAPI: the pack the board's
// dashboard leads with gives each framework's statements the same figures
// as the board's results by statement (GET /api/v1/surveys/{slug}/statements),
// which choose the same period.
func TestBoardPackStatementsMatchTheStatementsAPI(t *testing.T) {
	b := newBoardFixture(t)
	page := b.get(t, "/surveys/"+b.f.demo+"/board-pack").Body.String()
	var lines []string
	for i := 0; findID(t, page, fmt.Sprintf("pack-statements-%d", i)) != nil; i++ {
		lines = append(lines, listItems(t, page, fmt.Sprintf("pack-statements-%d", i))...)
	}
	compared := 0
	for _, fw := range []string{"cqc", "mir"} {
		var j StatementsJSON
		if err := json.Unmarshal(b.get(t, "/api/v1/surveys/"+b.f.demo+"/statements?framework="+fw).Body.Bytes(), &j); err != nil || !j.Board {
			t.Fatalf("the board's statements of %s: %v", fw, err)
		}
		if !strings.HasSuffix(textOf(t, page, "pack-heading"), ", "+j.PeriodLabel) {
			t.Fatalf("the pack is %q, the statements are for %q", textOf(t, page, "pack-heading"), j.PeriodLabel)
		}
		for _, st := range j.Statements {
			for _, q := range st.Questions {
				if q.Rate == nil || q.N == nil {
					continue
				}
				want := q.Text + " — " + dashboards.Value(q.Measure, *q.Rate, false) + " (n = " + dashboards.Thousands(*q.N) +
					", likely range " + dashboards.Interval(q.Measure, q.CILow, q.CIHigh) + ")."
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want) }) {
					t.Errorf("%s %q: the pack has no line %q", fw, st.Statement, want)
				}
				compared++
			}
		}
	}
	if compared < 10 {
		t.Errorf("only %d figures compared", compared)
	}
}

// TestBoardPackActions: an action done on 15 February 2024 is in the
// packs of February and March 2024 as the board reads it (what people
// said, redacted, what was done and when, and the effect sentence of the
// board's actions API, whose figures are hidden here), marked on the headline's
// trend; it is not in January's pack, which ends before it was agreed. No
// pack, though an admin opens it, shows the action's quote, its personal
// details or its owner, nor the staff's effect figures.
func TestBoardPackActions(t *testing.T) {
	f := newActionsFixture(t)
	board, _ := f.list(t, analytics.RoleBoard, "")
	staff, _ := f.list(t, analytics.RoleAdmin, "")
	if board[0].EffectSentence == "" || board[0].EffectSentence == staff[0].EffectSentence || board[0].Said == staff[0].Said {
		t.Fatalf("the board's effect %q and said %q, the staff's %q and %q: the test proves nothing", board[0].EffectSentence,
			board[0].Said, staff[0].EffectSentence, staff[0].Said)
	}
	for _, key := range []string{"2024-02", "2024-03"} {
		page := f.as(t, analytics.RoleAdmin, f.base+"/board-pack?period="+key).Body.String()
		got := textOf(t, page, "pack-action-0")
		want := "We did: " + board[0].Did + " You said " + board[0].Said + " Question " + board[0].QuestionText +
			" Status done, done on 2024-02-15 Effect " + board[0].EffectSentence
		if got != want {
			t.Errorf("%s: the pack's action reads\n%q\nwant\n%q", key, got, want)
		}
		if !strings.Contains(page, `Action: A duty worker rings back the same day`) {
			t.Errorf("%s: the headline's trend does not mark the action", key)
		}
		for _, leak := range []string{actionOwner, "Julie", "07700 900123", "jo.bloggs@example.com", "Nobody rang back", staff[0].EffectSentence, staff[0].Said} {
			if strings.Contains(page, leak) {
				t.Errorf("%s: the pack holds %q", key, leak)
			}
		}
	}
	jan := f.as(t, analytics.RoleAdmin, f.base+"/board-pack?period=2024-01").Body.String()
	if findID(t, jan, "pack-actions") != nil || strings.Contains(jan, "rings back the same day") {
		t.Error("January's pack shows an action agreed and done after it")
	}
}

// TestBoardPackBesideEngland: once NHS Digital's figures are loaded and
// the council chosen, the pack puts the headline of its own period beside
// the council's, the region's and England's published ASCOF 3A, with the
// note that they are context; before that it has no such section. Every
// role gets the same.
func TestBoardPackBesideEngland(t *testing.T) {
	m := newMatrixFixture(t)
	path := "/surveys/" + m.slug + "/board-pack?period=2024-05"
	if findID(t, m.do(t, "admin", "GET", path).Body.String(), "pack-context") != nil {
		t.Fatal("the pack puts national figures beside a survey with none loaded")
	}
	m.loadBenchmarks(t)
	m.choose(t, "E08000034")
	page := m.do(t, "board", "GET", path).Body.String()
	if packArticle(t, page) != packArticle(t, m.do(t, "viewer", "GET", path).Body.String()) {
		t.Error("the viewer's pack differs from the board member's")
	}
	own := textOf(t, page, "beside-own")
	detail := textOf(t, page, "pack-headline-detail")
	value := strings.Fields(detail)[2] // "May 2024: 77.6% ..."
	if !strings.Contains(own, "May 2024") || !strings.Contains(own, value) || !strings.Contains(detail, "May 2024: "+value) {
		t.Errorf("the own row %q is not the pack's headline %q", own, detail)
	}
	for _, want := range []string{"Kirklees", "66.7%", "490", "±4.1 points"} {
		if !strings.Contains(textOf(t, page, "beside-council"), want) {
			t.Errorf("the council's row lacks %q: %q", want, textOf(t, page, "beside-council"))
		}
	}
	if textOf(t, page, "beside-note") != besideNote {
		t.Errorf("the note is %q", textOf(t, page, "beside-note"))
	}
}

// summedReports is the board API's monthly reports all made by kind, as
// the board could add them up itself: each period's base and positive
// answers the sums of its months', shown only when every month in it is
// shown, lies between the months from and to (the data's), and the figure
// is a share; its interval Wilson's from the sums.
func summedReports(t testing.TB, all report.SurveyReports, kind analytics.PeriodKind, from, to string) report.SurveyReports {
	t.Helper()
	out := all
	out.Reports = nil
	for _, rep := range all.Reports {
		type sum struct {
			n, pos int64
			hidden bool
			months int
		}
		sums := map[string]*sum{}
		var order []string
		for _, r := range rep.Rows {
			if r.Group != analytics.AllGroup {
				continue
			}
			key, err := analytics.PeriodOf(kind, r.Period)
			if err != nil {
				t.Fatal(err)
			}
			if sums[key] == nil {
				sums[key] = &sum{}
				order = append(order, key)
			}
			s := sums[key]
			s.months++
			if r.Suppressed || r.N == nil || r.Positive == nil {
				s.hidden = true
				continue
			}
			s.n, s.pos = s.n+*r.N, s.pos+*r.Positive
		}
		share := rep.Metric.Measure == "" || rep.Metric.Measure == analytics.MeasureShare
		var rows []analytics.ReportRow
		for _, key := range order {
			s := sums[key]
			w, err := analytics.PeriodWindow(kind, key)
			if err != nil {
				t.Fatal(err)
			}
			row := analytics.ReportRow{Period: key, Suppressed: true}
			if !s.hidden && share && w.From[:7] >= from && w.To[:7] <= to && s.n >= rep.Disclosure.WithDefaults().MinBase {
				rate := float64(s.pos) / float64(s.n)
				lo, hi := analytics.Wilson(s.pos, s.n, rep.Confidence)
				row = analytics.ReportRow{Period: key, N: &s.n, Positive: &s.pos, Rate: &rate, CILow: &lo, CIHigh: &hi}
			}
			rows = append(rows, row)
		}
		rep.Period, rep.Rows = kind, rows
		out.Reports = append(out.Reports, rep)
	}
	return out
}

// TestBoardPackLongerPeriodHidesASmallMonth: the first quarter of 2025
// holds March 2025, whose 3 answers the board is not shown, so the pack of
// 2025-Q1 shows no figure for it: the sum of January to March, taken with
// January and February's published figures, would give March away. Its
// months' sum is nowhere on the page. The second quarter reaches past the
// data (they end in April), so it has no figure either; each pack says
// why in plain words.
func TestBoardPackLongerPeriodHidesASmallMonth(t *testing.T) {
	srv, h := newTestServer(t)
	slug := smallMonthSurvey(t, srv)
	var staff report.JSON
	if err := json.Unmarshal(get(t, h, "/api/v1/surveys/"+slug+"/report?question=overall_satisfaction").Body.Bytes(), &staff); err != nil {
		t.Fatal(err)
	}
	var q1 int64 // the base of January to March, from the staff's months
	for _, m := range []string{"2025-01", "2025-02", "2025-03"} {
		r, ok := overallRow(staff, m)
		if !ok || r.N == nil {
			t.Fatalf("the staff's report has no %s", m)
		}
		q1 += *r.N
	}
	for _, key := range []string{"2025-Q1", "2025-Q2", "2024-25"} {
		rec := get(t, h, "/surveys/"+slug+"/board-pack?period="+url.QueryEscape(key))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", key, rec.Code, textOf(t, rec.Body.String(), "problem"))
		}
		page := rec.Body.String()
		figures := textOf(t, page, "pack-figures-table")
		if !strings.Contains(figures, "not shown") {
			t.Errorf("%s: the pack's table does not say the figure is not shown: %q", key, figures)
		}
		if got := textOf(t, page, "pack-sums"); !strings.Contains(got, "is the sum of its published monthly figures") ||
			!strings.Contains(got, "A figure is not shown when one of those monthly figures is not shown") {
			t.Errorf("%s: the pack does not say how its figures are made: %q", key, got)
		}
		for _, leak := range []string{fmt.Sprintf("n = %d", q1), fmt.Sprintf("%d answers", q1), "PACKSECRET"} {
			if strings.Contains(page, leak) {
				t.Errorf("%s: the pack holds %q", key, leak)
			}
		}
	}
}
