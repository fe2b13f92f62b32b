package api

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// TestThemesAndComments checks, on one survey of realistic comments
// classified by the built-in model (made once: storing the model in a new
// database takes seconds), what each role reads of the comments and their
// themes: the comments redacted for viewers, the theme and sentiment
// filters, the staff figures against the comments, the downloads against
// the JSON, the board never reaching a comment, and the themes page. None
// of them changes the survey.
func TestThemesAndComments(t *testing.T) {
	f := newThemesFixture(t)
	for _, tc := range []struct {
		name  string
		check func(*testing.T, themesFixture)
	}{
		{"viewers read comments redacted", checkCommentsRedacted},
		{"theme and sentiment filters", checkCommentThemeFilters},
		{"staff figures", checkThemesAPIStaff},
		{"downloads equal the JSON", checkThemeDownloads},
		{"the board never sees a comment", checkBoardNeverSeesComments},
		{"themes page", checkThemesPage},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, f) })
	}
}

// themesJSON reads an answer of the themes API.
func themesJSON(t testing.TB, rec *httptest.ResponseRecorder) report.ThemesJSON {
	t.Helper()
	var j report.ThemesJSON
	if rec.Code != http.StatusOK {
		t.Fatalf("the themes API: %d %s", rec.Code, firstLine(rec.Body.String()))
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
		t.Fatalf("the themes API's JSON: %v", err)
	}
	return j
}

// checkThemesAPIStaff: the staff figures are the comments' own: each
// theme's count is the number of comments the comments page lists under
// that theme, the base is every comment that says something, the groups
// add up to the whole, and each share carries its Wilson interval.
func checkThemesAPIStaff(t *testing.T, f themesFixture) {
	api := "/api/v1/surveys/" + f.slug + "/themes"
	all := themesJSON(t, f.as(t, analytics.RoleViewer, api+"?period=all", nil))
	says := 0
	for _, c := range f.comments {
		if c != "Nothing to add" {
			says++
		}
	}
	if all.Board || all.Model != "nhs-v6" || len(all.Themes) < 10 || all.Classified == nil || *all.Classified != int64(len(f.comments)) ||
		*all.Comments != int64(len(f.comments)) {
		t.Fatalf("the staff JSON: board %v, model %q, %d themes, progress %v of %v", all.Board, all.Model, len(all.Themes), all.Classified, all.Comments)
	}
	mentioned := 0
	for _, r := range all.Rows {
		if r.Period != analytics.AllPeriod || r.Group != "" || r.Suppressed {
			t.Fatalf("row %+v of period all, no breakdown, staff", r)
		}
		if *r.Base != int64(says) {
			t.Errorf("%s: base %d, want the %d comments that say something", r.Theme, *r.Base, says)
		}
		_, n, err := f.srv.store.Comments(t.Context(), f.surveyID, store.CommentQuery{Theme: r.Theme})
		if err != nil {
			t.Fatal(err)
		}
		if *r.Comments != int64(n) {
			t.Errorf("%s: %d comments in the JSON, %d listed under the theme", r.Theme, *r.Comments, n)
		}
		if n > 0 {
			mentioned++
			low, high := analytics.Wilson(int64(n), int64(says), analytics.DefaultConfidence)
			if math.Abs(*r.Share-float64(n)/float64(says)) > 1e-12 || *r.CILow != low || *r.CIHigh != high {
				t.Errorf("%s: share %v [%v, %v], want %d/%d with Wilson's [%v, %v]", r.Theme, *r.Share, *r.CILow, *r.CIHigh, n, says, low, high)
			}
		}
	}
	if mentioned < 3 {
		t.Fatalf("only %d themes are mentioned: the fixture tests little", mentioned)
	}
	byTeam := themesJSON(t, f.as(t, analytics.RoleViewer, api+"?period=month&by=team", nil))
	type cell struct{ period, theme string }
	whole, parts := map[cell]int64{}, map[cell]int64{}
	changes := 0
	for _, r := range byTeam.Rows {
		k := cell{r.Period, r.Theme}
		if r.Group == "" {
			whole[k] = *r.Comments
		} else {
			parts[k] += *r.Comments
		}
		if r.Change != "" {
			changes++
		}
	}
	if len(whole) != 3*len(byTeam.Themes) || len(byTeam.By) != 1 || byTeam.By[0] != "team" {
		t.Fatalf("by month and team: %d overall cells for %d themes, by %q", len(whole), len(byTeam.Themes), byTeam.By)
	}
	for k, n := range whole {
		if parts[k] != n {
			t.Errorf("%s, %s: the teams add up to %d of %d", k.period, k.theme, parts[k], n)
		}
	}
	if changes == 0 {
		t.Error("no row says whether it changed from the month before")
	}
	for _, q := range []string{"question=overall_satisfaction", "by=overall_satisfaction", "period=weekly", "by=team&by=team"} {
		if rec := f.as(t, analytics.RoleViewer, api+"?"+q, nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d %s", q, rec.Code, firstLine(rec.Body.String()))
		}
	}
}

// checkThemeDownloads: the themes CSV and the workbook's Themes
// sheet hold the JSON's rows, for staff and for the board.
func checkThemeDownloads(t *testing.T, f themesFixture) {
	for _, role := range []analytics.UserRole{analytics.RoleAnalyst, analytics.RoleBoard} {
		// The downloads page lists them, all responses together and by
		// each group.
		page := f.as(t, role, "/surveys/"+f.slug+"/downloads", nil).Body.String()
		for _, id := range []string{"download-themes-csv", "download-themes-xlsx", "download-themes-json"} {
			m := regexp.MustCompile(`id="` + id + `" href="([^"]+)"`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("%s: the downloads page has no %s", role, id)
			}
			if rec := f.as(t, role, html.UnescapeString(m[1]), nil); rec.Code != http.StatusOK {
				t.Errorf("%s: %s answers %d", role, m[1], rec.Code)
			}
		}
		if !regexp.MustCompile(`themes\.csv\?[^"]*by=team`).MatchString(page) {
			t.Errorf("%s: the downloads page does not offer the themes by team", role)
		}
		for _, query := range []string{"period=month&by=team", "period=quarter"} {
			t.Run(string(role)+" "+query, func(t *testing.T) {
				j := themesJSON(t, f.as(t, role, "/api/v1/surveys/"+f.slug+"/themes?"+query, nil))
				if len(j.Rows) == 0 {
					t.Fatal("no rows")
				}
				rec := f.as(t, role, "/api/v1/surveys/"+f.slug+"/themes.csv?"+query, nil)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "themes.csv") {
					t.Fatalf("the CSV: %d %s", rec.Code, rec.Header())
				}
				checkCSVCells(t, "themes.csv", rec.Body.Bytes())
				recs, err := csv.NewReader(bytes.NewReader(rec.Body.Bytes())).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(recs) != len(j.Rows)+1 {
					t.Fatalf("%d CSV lines for %d rows", len(recs)-1, len(j.Rows))
				}
				pct := func(v *float64) string {
					if v == nil {
						return ""
					}
					return dashboards.Value(analytics.MeasureShare, *v, true)
				}
				for i, r := range j.Rows {
					want := []string{j.Survey, j.Question, j.Model, r.Period, dashboards.GroupLabel(r.Group), r.Theme,
						dashboards.IntCell(r.Comments), dashboards.IntCell(r.Base), pct(r.Share), pct(r.CILow), pct(r.CIHigh),
						r.Change, strconv.FormatBool(r.Suppressed)}
					if got := recs[i+1][:len(want)]; strings.Join(got, "|") != strings.Join(want, "|") {
						t.Fatalf("CSV line %d: %q, want %q", i+1, got, want)
					}
				}
				rec = f.as(t, role, "/surveys/"+f.slug+"/themes.xlsx?"+query, nil)
				if rec.Code != http.StatusOK {
					t.Fatalf("the workbook: %d %s", rec.Code, firstLine(rec.Body.String()))
				}
				checkXLSXCells(t, "themes.xlsx", rec.Body.Bytes())
				book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()), excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				rows, err := book.GetRows("Themes")
				if err != nil {
					t.Fatal(err)
				}
				start := -1
				for i, row := range rows {
					if len(row) > 2 && row[0] == "Period" && row[2] == "Theme" {
						start = i + 1
					}
				}
				if start < 0 || len(rows) < start+len(j.Rows) {
					t.Fatalf("the Themes sheet has %d rows, no header or too few for %d", len(rows), len(j.Rows))
				}
				frac := func(v *float64) string {
					if v == nil {
						return "–"
					}
					return strconv.FormatFloat(dashboards.Round(*v, 3), 'f', -1, 64)
				}
				count := func(v *int64) string {
					if v == nil {
						return "–"
					}
					return strconv.FormatInt(*v, 10)
				}
				for i, r := range j.Rows {
					want := []string{dashboards.PeriodLabel(j.Period, r.Period), dashboards.GroupLabel(r.Group), r.Theme,
						count(r.Comments), count(r.Base), frac(r.Share), frac(r.CILow), frac(r.CIHigh)}
					got := rows[start+i]
					if len(got) < len(want) || strings.Join(got[:len(want)], "|") != strings.Join(want, "|") {
						t.Fatalf("workbook row %d: %q, want %q", i, got, want)
					}
				}
			})
		}
	}
}

// themeBoardBodies makes every request a board member can make that
// touches the themes, and returns what each answered, workbooks as the
// text of their cells.
func themeBoardBodies(t *testing.T, f themesFixture) map[string]string {
	t.Helper()
	base, api := "/surveys/"+f.slug, "/api/v1/surveys/"+f.slug
	paths := []string{base, base + "/themes", base + "/themes?by=team", base + "/themes?period=all&from=2025-02-01&where=team%3DNorth+Locality+Team",
		base + "/themes?theme=Staff+manner+%26+personal+attributes&by=team", base + "/themes.xlsx", base + "/themes.xlsx?by=team",
		base + "/downloads", base + "/questions", base + "/questions/" + f.text, base + "/comments",
		api + "/themes", api + "/themes?by=team&period=all", api + "/themes.csv", api + "/themes.csv?by=team",
		api + "/report", api + "/questions", api + "/trends.csv", api + "/trends.zip"}
	out := map[string]string{}
	for _, p := range paths {
		rec := f.as(t, analytics.RoleBoard, p, nil)
		body := rec.Body.Bytes()
		switch {
		case strings.HasSuffix(strings.Split(p, "?")[0], ".xlsx") && rec.Code == http.StatusOK:
			out[p] = strings.Join(xlsxText(t, body), "\n")
		case strings.HasSuffix(strings.Split(p, "?")[0], ".zip") && rec.Code == http.StatusOK:
			out[p] = zipText(t, body)
		default:
			out[p] = string(body)
		}
		if p == base+"/comments" {
			if rec.Code != http.StatusForbidden {
				t.Errorf("the board's request for the comments: %d", rec.Code)
			}
		} else if rec.Code != http.StatusOK {
			t.Errorf("the board's request %s: %d %s", p, rec.Code, firstLine(string(body)))
		}
	}
	return out
}

// xlsxText is the text of every cell of a workbook.
func xlsxText(t *testing.T, body []byte) []string {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sheet := range book.GetSheetList() {
		rows, err := book.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			out = append(out, row...)
		}
	}
	return out
}

// zipText is the text of every file of a zip archive.
func zipText(t *testing.T, body []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, file := range zr.File {
		rc, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// checkBoardNeverSeesComments: nothing a board member can ask for
// holds a comment or a part of one, a link to the comments, or a
// correction form; the board's theme figures are its publication's (by
// month, every date and group), with no count from 1 to 4 and no base
// under 10, none hidden alone in its period or its cell, and nothing of
// the classifier's progress.
func checkBoardNeverSeesComments(t *testing.T, f themesFixture) {
	bodies := themeBoardBodies(t, f)
	for path, body := range bodies {
		if strings.Contains(body, "(ref ") {
			t.Errorf("the board's %s holds a comment's reference", path)
		}
		for _, c := range f.comments {
			if c != "Nothing to add" && strings.Contains(body, c) {
				t.Errorf("the board's %s holds the comment %q", path, c)
			}
		}
		for _, d := range plantedDetails {
			if strings.Contains(body, d.text) {
				t.Errorf("the board's %s holds the personal detail %q", path, d.text)
			}
		}
		if strings.Contains(body, `href="/surveys/`+f.slug+`/comments`) || strings.Contains(body, "correction-form") {
			t.Errorf("the board's %s links the comments or offers a correction", path)
		}
	}
	for _, query := range []string{"", "?by=team", "?period=all&from=2025-03-01&where=team%3DNorth+Locality+Team", "?question=" + f.text + "&board=0"} {
		j := themesJSON(t, f.as(t, analytics.RoleBoard, "/api/v1/surveys/"+f.slug+"/themes"+query, nil))
		if !j.Board || j.Period != analytics.PeriodMonth || j.From != "" || j.To != "" || len(j.Where) > 0 ||
			j.Disclosure != analytics.PolicyHeard.Disclosure().WithDefaults() || j.Classified != nil || j.Comments != nil {
			t.Fatalf("the board's themes%s: board %v, period %s, dates %q-%q, where %q, %+v, progress %v", query, j.Board, j.Period,
				j.From, j.To, j.Where, j.Disclosure, j.Classified)
		}
		if j.Question != f.text {
			t.Errorf("the board's themes are of question %q, want the text question %q", j.Question, f.text)
		}
		shown, hidden := 0, 0
		for _, r := range j.Rows {
			if r.Suppressed {
				hidden++
				if r.Comments != nil || r.Base != nil || r.Share != nil || r.ChangeP != nil {
					t.Errorf("a suppressed row shows figures: %+v", r)
				}
				continue
			}
			if *r.Base == 0 {
				continue
			}
			shown++
			if *r.Base < 10 || *r.Comments > 0 && *r.Comments < 5 || *r.Base-*r.Comments > 0 && *r.Base-*r.Comments < 5 {
				t.Errorf("the board sees %d of %d (%s, %q, %s)", *r.Comments, *r.Base, r.Period, r.Group, r.Theme)
			}
		}
		if shown == 0 || hidden == 0 {
			t.Errorf("the board's themes%s show %d rows and hide %d: the fixture tests little", query, shown, hidden)
		}
		checkThemeJSONBoardRules(t, j)
	}
}

// checkThemeJSONBoardRules checks, in a board answer, that no period hides
// one group alone under a shown total, and no cell hides one theme alone.
func checkThemeJSONBoardRules(t *testing.T, j report.ThemesJSON) {
	t.Helper()
	type key struct{ a, b string }
	hiddenGroups, parentShown := map[key]int{}, map[key]bool{}
	hiddenThemes, shownThemes := map[key]int{}, map[key]int{}
	for _, r := range j.Rows {
		if r.Group == "" {
			parentShown[key{r.Period, r.Theme}] = !r.Suppressed
		} else if r.Suppressed {
			hiddenGroups[key{r.Period, r.Theme}]++
		}
		switch {
		case r.Suppressed:
			hiddenThemes[key{r.Period, r.Group}]++
		case *r.Base > 0:
			shownThemes[key{r.Period, r.Group}]++
		}
	}
	for k, n := range hiddenGroups {
		if n == 1 && parentShown[k] {
			t.Errorf("%s, %s: one group hidden alone under a shown total", k.a, k.b)
		}
	}
	for k, n := range hiddenThemes {
		if n == 1 && shownThemes[k] > 0 {
			t.Errorf("%s %q: one theme hidden alone", k.a, k.b)
		}
	}
}

// checkThemesPage: the staff page charts every theme of the latest complete
// month (saying why it is not the latest) with its sentence and a link to its comments, follows a theme over time
// and across teams, and links its downloads; the board's page has the
// figures without a form, a comment or a link to one; choices that do not
// fit are refused in plain words.
func checkThemesPage(t *testing.T, f themesFixture) {
	base := "/surveys/" + f.slug + "/themes"
	rec := f.as(t, analytics.RoleViewer, base+"?by=team", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("the themes page: %d %s", rec.Code, firstLine(body))
	}
	checkPage(t, "themes page", body)
	j := themesJSON(t, f.as(t, analytics.RoleViewer, "/api/v1/surveys/"+f.slug+"/themes?by=team", nil))
	var top report.ThemeRowJSON
	for _, r := range j.Rows {
		if r.Period == "2025-02" && r.Group == "" && (top.Comments == nil || *r.Comments > *top.Comments) {
			top = r
		}
	}
	sentence := fmt.Sprintf("%s was mentioned in %s of %s comments (%s).", top.Theme, dashboards.Thousands(*top.Comments),
		dashboards.Thousands(*top.Base), dashboards.Value(analytics.MeasureShare, *top.Share, false))
	for _, want := range []string{`id="chart-themes"`, `id="chart-theme-trend"`, `id="chart-theme-breakdown"`, "Themes in February 2025",
		"the data end on 28 March 2025, so March 2025 is not over yet",
		escaped(sentence), "% of comments mentioning each theme, February 2025 (n = " + dashboards.Thousands(*top.Base) + " comments)",
		`id="download-themes-xlsx"`, `id="download-themes-csv"`, `>Themes</a>`} {
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&", "&amp;")) {
			t.Errorf("the staff page does not say %q", want)
		}
	}
	if march := f.as(t, analytics.RoleViewer, base+"?at=2025-03", nil).Body.String(); !strings.Contains(march, "Themes in March 2025") ||
		strings.Contains(march, "not over yet") {
		t.Error("?at=2025-03 does not show March")
	}
	if link := "/surveys/" + f.slug + "/comments?theme=" + url.QueryEscape(top.Theme); !strings.Contains(html.UnescapeString(body), `href="`+link+`"`) {
		t.Errorf("the staff page does not link %s", link)
	}
	board := f.as(t, analytics.RoleBoard, base, nil).Body.String()
	checkPage(t, "board themes page", board)
	if strings.Contains(board, "/comments") || strings.Count(board, "<form") != 1 || !strings.Contains(board, `id="chart-themes"`) {
		t.Errorf("the board's page: links comments %v, %d forms, chart %v", strings.Contains(board, "/comments"),
			strings.Count(board, "<form"), strings.Contains(board, `id="chart-themes"`))
	}
	for _, q := range []string{"at=1999-01", "theme=Not+a+theme", "question=overall_satisfaction"} {
		rec := f.as(t, analytics.RoleViewer, base+"?"+q, nil)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "choose") {
			t.Errorf("?%s: %d %s", q, rec.Code, firstLine(rec.Body.String()))
		}
	}
}

// escaped escapes s as a page writes text.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}
