package api

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// boardFixture is the demo survey and a real export, and a board account.
type boardFixture struct {
	f     pagesFixture
	h     http.Handler
	board testAccount
}

func newBoardFixture(t testing.TB) boardFixture {
	t.Helper()
	f := newPagesFixture(t)
	return boardFixture{f: f, h: f.srv.Handler(), board: createAccount(t, f.srv.store, "board-page@example.org", analytics.RoleBoard)}
}

// get fetches path as the board account.
func (b boardFixture) get(t testing.TB, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+b.board.token)
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// pageLinks reads a page's links (href of a and link elements) and the
// action of each of its forms.
func pageLinks(t testing.TB, page string) (hrefs, forms []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case (n.Data == "a" || n.Data == "link") && a.Key == "href":
					hrefs = append(hrefs, a.Val)
				case n.Data == "script" && a.Key == "src":
					hrefs = append(hrefs, a.Val)
				case n.Data == "form" && a.Key == "action":
					forms = append(forms, a.Val)
				}
			}
			if n.Data == "form" && !slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == "action" }) {
				forms = append(forms, "(no action)")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return hrefs, forms
}

// TestBoardPagesOfferNothingTheBoardCannotUse walks every page a board
// account can reach from the list of surveys, following every link on
// every page: each answers (none with 403, none with an error), and no
// page has a form but signing out, nor a checkbox, nor a question's code
// shown as words.
func TestBoardPagesOfferNothingTheBoardCannotUse(t *testing.T) {
	b := newBoardFixture(t)
	qs, _, err := b.f.srv.store.Questions(t.Context(), mustSurvey(t, b, b.f.demo).ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{"/": true}
	queue := []string{"/", "/surveys/" + b.f.real}
	seen[queue[1]] = true
	pages, downloads := 0, 0
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		rec := b.get(t, path)
		if rec.Code != http.StatusOK {
			t.Errorf("%s answers %d to a board account", path, rec.Code)
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			downloads++
			continue
		}
		pages++
		page := rec.Body.String()
		hrefs, forms := pageLinks(t, page)
		for _, action := range forms {
			if action != "/logout" {
				t.Errorf("%s has a form for %q: the board's pages have none but signing out", path, action)
			}
		}
		if len(forms) != 1 {
			t.Errorf("%s has %d forms, want the sign-out form alone", path, len(forms))
		}
		if strings.Contains(page, `type="checkbox"`) || strings.Contains(page, "<select") || strings.Contains(page, "<input") {
			t.Errorf("%s offers a board member a field to fill in", path)
		}
		for _, q := range qs {
			if strings.Contains(page, ">"+q.Code+"<") || strings.Contains(page, "("+q.Code+")") {
				t.Errorf("%s shows the code %q of the question %q", path, q.Code, q.Text)
			}
		}
		for _, href := range hrefs {
			u, err := url.Parse(href)
			if err != nil {
				t.Errorf("%s links %q: %v", path, href, err)
				continue
			}
			if u.Host != "" || u.Scheme != "" || u.Path == "" {
				continue // another site, or a place on the same page
			}
			next := (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
			if !seen[next] && len(seen) < 400 {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	t.Logf("the walk reached %d pages and %d downloads", pages, downloads)
	if pages < 10 || downloads < 4 {
		t.Errorf("the walk reached %d pages and %d downloads: too few to prove anything", pages, downloads)
	}
	for _, want := range []string{"/surveys/" + b.f.demo + "/equality", "/surveys/" + b.f.demo + "/downloads",
		"/api/v1/surveys/" + b.f.demo + "/trends.zip"} {
		if !slices.ContainsFunc(mapKeys(seen), func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("the walk never reached %s", want)
		}
	}
}

func mapKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mustSurvey(t testing.TB, b boardFixture, slug string) analytics.Survey {
	t.Helper()
	sv, err := b.f.srv.store.SurveyBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// headlineSentence matches the board's headline sentence of a share.
var headlineSentence = regexp.MustCompile(`(About \d+ in 10|\d+ in 10|About \d+ in 100|\d+ in 100|All [\d,]+|None of the [\d,]+|Almost all|Fewer than 1 in 100) people \((\d+\.\d)%, ([\d,]+) answers?\) ([^<]+) in ([A-Z][a-z]+ \d{4})\.`)

// TestBoardDashboardSaysTheHeadlineInWords: the board's dashboard says
// its headline figure in a sentence with a natural frequency, whose
// numbers are the published figure's, and explains the confidence interval
// and significance; an analyst still gets the analysts' dashboard.
func TestBoardDashboardSaysTheHeadlineInWords(t *testing.T) {
	b := newBoardFixture(t)
	for _, slug := range []string{b.f.demo, b.f.real} {
		page := b.get(t, "/surveys/"+slug).Body.String()
		m := headlineSentence.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: the board's dashboard has no headline sentence:\n%s", slug, between(page, `id="headline"`, "</section>"))
		}
		if !strings.Contains(page, `id="headline-sentence"`) || !strings.Contains(page, `id="board-words"`) {
			t.Errorf("%s: the sentence or the words' explanation is not where the page puts them", slug)
		}
		for _, want := range []string{"Confidence interval", "Significant", "larger than chance alone would explain", `id="board-rule"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the board's dashboard lacks %q", slug, want)
			}
		}
		// The sentence's figure is the published one.
		var all report.SurveyReports
		if err := json.Unmarshal(b.get(t, "/api/v1/surveys/"+slug+"/report").Body.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rep := range all.Reports {
			for _, latest := range rep.Rows { // the headline's period is the latest complete one with a base
				if latest.Group != analytics.AllGroup || latest.Suppressed || latest.Rate == nil {
					continue
				}
				if dashboards.Value(rep.Metric.Measure, *latest.Rate, true) == m[2] && dashboards.Thousands(*latest.N) == m[3] &&
					dashboards.PeriodLabel(rep.Period, latest.Period) == m[5] {
					found = true
					if want := dashboards.NaturalFrequency(*latest.Rate); !strings.EqualFold(want, m[1]) && !strings.HasPrefix(m[1], "All") && !strings.HasPrefix(m[1], "None") {
						t.Errorf("%s: %q for %s%%, want %q", slug, m[1], m[2], want)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: the sentence %q is not a figure of any published question", slug, m[0])
		}
		if share, _ := strconv.ParseFloat(m[2], 64); share <= 0 || share > 100 {
			t.Errorf("%s: share %q", slug, m[2])
		}
	}
	staff := get(t, b.f.h, "/surveys/"+b.f.demo).Body.String()
	if !strings.Contains(staff, `id="filters"`) || strings.Contains(staff, `id="headline-sentence"`) {
		t.Error("an admin does not get the analysts' dashboard with its filters")
	}
}

// between is the part of s from the first start to the next end after it.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

// TestBoardTrendsZip: the zip holds the trend CSV, byte for byte the
// CSV the board downloads alone, with the question's words in a column,
// and a README.txt that says what each column is, the disclosure rule and
// when it was made.
func TestBoardTrendsZip(t *testing.T) {
	b := newBoardFixture(t)
	path := "/api/v1/surveys/" + b.f.demo + "/trends"
	rec := b.get(t, path+".zip?by=team")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/zip" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), b.f.demo+"-trends.zip") {
		t.Fatalf("trends.zip: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var names []string
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		files[f.Name] = string(data)
		names = append(names, f.Name)
	}
	csvName := b.f.demo + "-trends.csv"
	if !slices.Equal(names, []string{csvName, "README.txt"}) {
		t.Fatalf("the zip holds %q, want the CSV and README.txt", names)
	}
	alone := b.get(t, path+".csv?by=team").Body.String()
	if files[csvName] != alone {
		t.Error("the zip's CSV differs from trends.csv")
	}
	recs := readCSV(t, alone)
	if recs[0][len(recs[0])-1] != "question_text" {
		t.Fatalf("the trend CSV's header is %q", recs[0])
	}
	qs, _, _ := b.f.srv.store.Questions(t.Context(), mustSurvey(t, b, b.f.demo).ID)
	text := map[string]string{}
	for _, q := range qs {
		text[q.Code] = q.Text
	}
	for _, r := range recs[1:] {
		if r[len(r)-1] == "" || r[len(r)-1] != dashboards.SafeCell(text[r[2]]) {
			t.Fatalf("question %q has the words %q in the CSV, want %q", r[2], r[len(r)-1], text[r[2]])
		}
	}
	readme := files["README.txt"]
	rule := analytics.PolicyHeard.Disclosure().Rule
	for _, want := range append([]string{"Made by heard on " + time.Now().UTC().Format("2006-01-02"), rule, csvName,
		"by month", "each group of Team", "suppressed: true when"}, recs[0]...) {
		if !strings.Contains(readme, want) {
			t.Errorf("README.txt lacks %q:\n%s", want, readme)
		}
	}
	for code, words := range text {
		if strings.Contains(alone, ","+code+",") && !strings.Contains(readme, dashboards.OneLine(words, 200)) {
			t.Errorf("README.txt does not list the question %q", words)
		}
	}
	// trends.csv alone still works as before, for staff too.
	if rec := get(t, b.f.h, path+".csv"); rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "survey,metric,question,") {
		t.Errorf("trends.csv for staff: %d", rec.Code)
	}
	if rec := b.get(t, path+".zip?by=team&by=age_band"); rec.Code == 200 && rec.Header().Get("Content-Type") == "application/zip" {
		zr, _ := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
		if zr == nil || len(zr.File) != 2 {
			t.Error("a board zip of two breakdowns is not one breakdown's zip")
		}
	}
}

// TestBoardWorkbookNotes: the board's workbook names questions by their
// words, ends with a notes sheet that says when it was made and what was
// left out under which policy, and names heard as its creator with the
// date; a staff workbook says it left nothing out.
func TestBoardWorkbookNotes(t *testing.T) {
	b := newBoardFixture(t)
	before := time.Now().UTC().Add(-time.Second)
	rec := b.get(t, "/surveys/"+b.f.demo+"/dashboard.xlsx")
	if rec.Code != 200 {
		t.Fatalf("dashboard.xlsx: %d %s", rec.Code, rec.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheets[len(sheets)-1] != dashboards.NotesSheet {
		t.Fatalf("sheets %q: the notes are not last", sheets)
	}
	rows, _ := f.GetRows("Questions")
	if len(rows) < 3 || slices.Contains(rows[1], "Code") {
		t.Fatalf("the board's questions sheet: %q", rows)
	}
	qs, _, _ := b.f.srv.store.Questions(t.Context(), mustSurvey(t, b, b.f.demo).ID)
	for _, r := range rows[2:] {
		if len(r) == 0 || !slices.ContainsFunc(qs, func(q analytics.Question) bool { return q.Text == r[0] }) {
			continue
		}
		for _, c := range r[1:] {
			if slices.ContainsFunc(qs, func(q analytics.Question) bool { return q.Code == c }) {
				t.Errorf("the board's workbook shows the code %q", c)
			}
		}
	}
	notes, _ := f.GetRows(dashboards.NotesSheet)
	detail := map[string]string{}
	for _, r := range notes {
		if len(r) == 2 {
			detail[r[0]] = r[1]
		}
	}
	if !strings.Contains(detail["What was left out"], "under the heard policy: "+analytics.PolicyHeard.Disclosure().Rule) ||
		!strings.Contains(detail["What the figures cover"], "published to its board: by month") ||
		detail["Made by"] != "heard" || !strings.HasPrefix(detail["Made on"], time.Now().UTC().Format("2006-01-02")) {
		t.Errorf("the board workbook's notes: %q", detail)
	}
	if _, ok := detail["Sheet “Questions”"]; !ok {
		t.Errorf("the notes do not say what the Questions sheet holds: %q", detail)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	created, err := time.Parse(time.RFC3339, props.Created)
	if props.Creator != "heard" || err != nil || created.Before(before.Truncate(time.Second)) || created.After(time.Now().Add(time.Minute)) {
		t.Errorf("document properties: creator %q, created %q", props.Creator, props.Created)
	}

	// A question page's workbook and a staff workbook have notes too.
	staff := get(t, b.f.h, "/surveys/"+b.f.demo+"/equality.xlsx")
	sf, err := excelize.OpenReader(bytes.NewReader(staff.Body.Bytes()))
	if err != nil {
		t.Fatalf("the staff equality workbook: %d %v", staff.Code, err)
	}
	defer sf.Close()
	srows, _ := sf.GetRows(dashboards.NotesSheet)
	if !slices.ContainsFunc(srows, func(r []string) bool {
		return len(r) == 2 && strings.HasPrefix(r[1], "Nothing: this is the staff view")
	}) {
		t.Errorf("the staff workbook's notes: %q", srows)
	}
}
