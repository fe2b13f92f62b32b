package api

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/redact"
	"github.com/heard-council/heard/api/ingest"
)

// commentCells reads the comments of a comments page: each row's text and
// the themes listed beside it.
type shownComment struct {
	id, text string
	themes   []string
	rest     string
}

var (
	commentRowRE = regexp.MustCompile(`(?s)<tr id="(c-\d+-\d+)">.*?<td class="comment">(.*?)</td>\s*<td class="comment-themes">(.*?)</td>`)
	themeItemRE  = regexp.MustCompile(`<li>(.*?)</li>`)
)

// shownComments reads the comments a comments page shows (reading, not
// editing, the page).
func shownComments(body string) []shownComment {
	var out []shownComment
	for _, m := range commentRowRE.FindAllStringSubmatch(body, -1) {
		c := shownComment{id: m[1], text: html.UnescapeString(m[2]), rest: m[3]}
		for _, li := range themeItemRE.FindAllStringSubmatch(m[3], -1) {
			c.themes = append(c.themes, html.UnescapeString(li[1]))
		}
		out = append(out, c)
	}
	return out
}

// checkCommentsRedacted: a viewer (no personal-data right) reads
// every comment redacted, with no planted detail left; an analyst and an
// admin read them as written; the board is refused.
func checkCommentsRedacted(t *testing.T, f themesFixture) {
	base := "/surveys/" + f.slug + "/comments"
	// Every planted detail is what redaction finds, so the test checks
	// the page, not the detector.
	for _, d := range plantedDetails {
		if got := redact.Text(plantIn(d, "The carer was kind.")); strings.Contains(got, d.text) || !strings.Contains(got, d.kind) {
			t.Fatalf("redaction keeps %q: the fixture plants a detail it does not find", d.text)
		}
	}
	read := func(role analytics.UserRole) map[string]string {
		texts := map[string]string{}
		for page := 1; page <= 5; page++ {
			rec := f.as(t, role, base+"?page="+string(rune('0'+page)), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s, page %d: %d %s", role, page, rec.Code, firstLine(rec.Body.String()))
			}
			body := rec.Body.String()
			checkPage(t, string(role)+" comments", body)
			if got := strings.Contains(body, `id="comments-redacted"`); got != (role == analytics.RoleViewer) {
				t.Errorf("%s: the page says comments are redacted: %v", role, got)
			}
			for _, c := range shownComments(body) {
				texts[c.id] = c.text
			}
		}
		return texts
	}
	viewer, analyst, admin := read(analytics.RoleViewer), read(analytics.RoleAnalyst), read(analytics.RoleAdmin)
	if len(viewer) != len(f.comments) || len(analyst) != len(f.comments) {
		t.Fatalf("%d comments for the viewer and %d for the analyst, want %d", len(viewer), len(analyst), len(f.comments))
	}
	planted := 0
	for id, original := range analyst {
		if !slices.Contains(f.comments, original) {
			t.Errorf("the analyst reads %q, which is not a comment of the file as written", original)
		}
		if admin[id] != original {
			t.Errorf("the admin reads %q where the analyst reads %q", admin[id], original)
		}
		if viewer[id] != redact.Text(original) {
			t.Errorf("the viewer reads %q, want it redacted: %q", viewer[id], redact.Text(original))
		}
		for _, d := range plantedDetails {
			if strings.Contains(original, d.text) {
				planted++
				if strings.Contains(viewer[id], d.text) || !strings.Contains(viewer[id], d.kind) {
					t.Errorf("the viewer reads %q: %s is not replaced by %s", viewer[id], d.text, d.kind)
				}
			}
		}
	}
	if planted < len(plantedDetails) {
		t.Fatalf("only %d planted details found in the comments", planted)
	}
	if rec := f.as(t, analytics.RoleBoard, base, nil); rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "(ref ") {
		t.Errorf("the board's request for comments: %d", rec.Code)
	}
	if rec := f.with(t, f.outsider, base, nil); rec.Code != http.StatusForbidden {
		t.Errorf("an analyst who is not a member reads the comments: %d", rec.Code)
	}
}

// checkCommentThemeFilters: each comment shows its themes and sentiment;
// the theme and sentiment filters keep exactly the comments that have
// them, with the other filters; a theme or sentiment the model does not
// have is refused in plain words.
func checkCommentThemeFilters(t *testing.T, f themesFixture) {
	base := "/surveys/" + f.slug + "/comments"
	all := map[string]shownComment{}
	counts := map[string]int{}
	for page := 1; page <= 5; page++ {
		for _, c := range shownComments(f.as(t, analytics.RoleAnalyst, base+"?page="+string(rune('0'+page)), nil).Body.String()) {
			all[c.id] = c
			for _, th := range c.themes {
				counts[th]++
			}
		}
	}
	if len(all) != len(f.comments) {
		t.Fatalf("%d comments shown, want %d", len(all), len(f.comments))
	}
	var says, nothing int
	for _, c := range all {
		switch {
		case strings.HasPrefix(c.text, "Nothing to add"):
			nothing++
			if len(c.themes) != 1 || !strings.HasPrefix(c.themes[0], "No theme") {
				t.Errorf("%q shows themes %q", c.text, c.themes)
			}
		case len(c.themes) == 0 || strings.Contains(c.rest, "not worked out"):
			t.Errorf("%q shows no theme", c.text)
		default:
			says++
		}
		if !regexp.MustCompile(`class="sentiment">Sentiment: (Positive|Mixed|Negative)`).MatchString(c.rest) {
			t.Errorf("%q shows no sentiment: %s", c.text, c.rest)
		}
	}
	if says == 0 || nothing == 0 {
		t.Fatalf("%d comments with themes and %d that say nothing", says, nothing)
	}
	// The most common theme, alone and with a team.
	var top string
	for th, n := range counts {
		if !strings.HasPrefix(th, "No theme") && (top == "" || n > counts[top]) {
			top = th
		}
	}
	cases := []struct {
		name, query string
		keep        func(c shownComment) bool
	}{
		{"theme", "theme=" + url.QueryEscape(top), func(c shownComment) bool { return slices.Contains(c.themes, top) }},
		{"theme in other case", "theme=" + url.QueryEscape(strings.ToUpper(top)), func(c shownComment) bool { return slices.Contains(c.themes, top) }},
		{"sentiment", "sentiment=negative", func(c shownComment) bool { return strings.Contains(c.rest, `class="sentiment">Sentiment: Negative`) }},
		{"theme and sentiment", "theme=" + url.QueryEscape(top) + "&sentiment=positive", func(c shownComment) bool {
			return slices.Contains(c.themes, top) && strings.Contains(c.rest, `class="sentiment">Sentiment: Positive`)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := 0
			for _, c := range all {
				if tc.keep(c) {
					want++
				}
			}
			if want == 0 || want == len(all) {
				t.Fatalf("the filter would keep %d of %d comments: it tests nothing", want, len(all))
			}
			got := 0
			for page := 1; page <= 5; page++ {
				body := f.as(t, analytics.RoleViewer, base+"?"+tc.query+"&page="+string(rune('0'+page)), nil).Body.String()
				for _, c := range shownComments(body) {
					got++
					if !tc.keep(all[c.id]) {
						t.Errorf("?%s shows %q with themes %q", tc.query, c.text, c.themes)
					}
				}
			}
			if got != want {
				t.Errorf("?%s shows %d comments, want %d", tc.query, got, want)
			}
		})
	}
	for _, q := range []string{"theme=Not+a+theme", "sentiment=cheerful"} {
		rec := f.as(t, analytics.RoleViewer, base+"?"+q, nil)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "choose") {
			t.Errorf("?%s: %d %s", q, rec.Code, firstLine(rec.Body.String()))
		}
	}
}

// TestCommentThemesCorrection: an analyst of the survey opens a comment's
// correction form from its row, saves other themes and a sentiment, and
// the comment shows them marked as corrected, in the comments filtered by
// the new theme and in the theme counts; viewers, analysts of other
// surveys and the board cannot; themes outside the model and a missing
// sentiment are refused.
func TestCommentThemesCorrection(t *testing.T) {
	f := newThemesFixture(t)
	base := "/surveys/" + f.slug + "/comments"
	body := f.as(t, analytics.RoleAnalyst, base, nil).Body.String()
	list := shownComments(body)
	if len(list) == 0 || !strings.Contains(body, "Correct the themes") {
		t.Fatalf("the analyst's page offers no correction: %d comments", len(list))
	}
	if v := f.as(t, analytics.RoleViewer, base, nil).Body.String(); strings.Contains(v, "Correct the themes") {
		t.Error("the viewer's page offers corrections")
	}
	target := list[0]
	for _, c := range list {
		if !strings.HasPrefix(c.text, "Nothing") && len(c.themes) > 0 {
			target = c
			break
		}
	}
	key := strings.TrimPrefix(target.id, "c-")
	response, question, _ := strings.Cut(key, "-")
	form := f.as(t, analytics.RoleAnalyst, base+"?correct="+key, nil).Body.String()
	checkPage(t, "correction form", form)
	if !strings.Contains(form, `id="correction-form"`) {
		t.Fatal("?correct= does not open the form")
	}
	for _, th := range target.themes {
		if !strings.Contains(form, `value="`+html.EscapeString(th)+`" checked`) {
			t.Errorf("the form does not tick the comment's theme %q", th)
		}
	}
	model, err := f.srv.store.SurveyThemeModel(t.Context(), f.surveyID)
	if err != nil {
		t.Fatal(err)
	}
	var chosen []string
	for _, th := range model.Themes {
		if !slices.Contains(target.themes, th) && len(chosen) < 2 {
			chosen = append(chosen, th)
		}
	}
	countOf := func(theme string) int64 {
		j := themesJSON(t, f.as(t, analytics.RoleAnalyst, "/api/v1/surveys/"+f.slug+"/themes?period=all", nil))
		for _, r := range j.Rows {
			if r.Theme == theme && r.Group == "" {
				return *r.Comments
			}
		}
		t.Fatalf("no row of %q", theme)
		return 0
	}
	before := countOf(chosen[0])
	fields := url.Values{"response": {response}, "question": {question}, "theme": chosen, "sentiment": {"mixed"},
		"back": {"page=1&correct=" + key}}
	refused := []struct {
		name   string
		token  string
		fields url.Values
		status int
	}{
		{"viewer", f.tokens[analytics.RoleViewer], fields, http.StatusForbidden},
		{"board", f.tokens[analytics.RoleBoard], fields, http.StatusForbidden},
		{"analyst of another survey", f.outsider, fields, http.StatusForbidden},
		{"a theme the model lacks", f.tokens[analytics.RoleAnalyst], with(fields, "theme", "Not a theme"), http.StatusUnprocessableEntity},
		{"no sentiment", f.tokens[analytics.RoleAnalyst], with(fields, "sentiment", ""), http.StatusUnprocessableEntity},
		{"no such comment", f.tokens[analytics.RoleAnalyst], with(fields, "response", "99999"), http.StatusUnprocessableEntity},
	}
	for _, tc := range refused {
		if rec := f.with(t, tc.token, base+"/themes", tc.fields); rec.Code != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.name, rec.Code, tc.status, firstLine(rec.Body.String()))
		}
	}
	if got := countOf(chosen[0]); got != before {
		t.Fatalf("a refused correction changed the count of %q from %d to %d", chosen[0], before, got)
	}
	rec := f.as(t, analytics.RoleAnalyst, base+"/themes", fields)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base+"?page=1#"+target.id {
		t.Fatalf("the correction: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	after := f.as(t, analytics.RoleViewer, base+"?theme="+url.QueryEscape(chosen[0]), nil).Body.String()
	found := false
	for _, c := range shownComments(after) {
		if c.id == target.id {
			found = true
			if !slices.Equal(c.themes, chosen) || !strings.Contains(c.rest, "Mixed") || !strings.Contains(c.rest, "corrected by staff") {
				t.Errorf("the corrected comment shows %q, %s", c.themes, c.rest)
			}
		}
	}
	if !found {
		t.Errorf("the corrected comment is not among the comments of %q", chosen[0])
	}
	if got := countOf(chosen[0]); got != before+1 {
		t.Errorf("the count of %q is %d after the correction, want %d", chosen[0], got, before+1)
	}
}

// with returns a copy of v with key set to value.
func with(v url.Values, key, value string) url.Values {
	out := without(v)
	out.Set(key, value)
	return out
}

// TestCommentsBeforeThemes: while a survey's comments wait for their
// themes, the comments page says how many are done and each waiting
// comment says so; the themes page and its JSON say the same.
func TestCommentsBeforeThemes(t *testing.T) {
	f := newCommentsFixture(t, 12)
	body := f.as(t, analytics.RoleViewer, "/surveys/"+f.slug+"/comments").Body.String()
	for _, want := range []string{"Themes worked out for 0 of 12 comments so far.", "Themes not worked out yet"} {
		if !strings.Contains(body, want) {
			t.Errorf("the comments page does not say %q", want)
		}
	}
	themes := f.as(t, analytics.RoleViewer, "/surveys/"+f.slug+"/themes").Body.String()
	for _, want := range []string{"Themes worked out for 0 of 12 comments so far.", "No comment under these choices has had its themes worked out yet."} {
		if !strings.Contains(themes, want) {
			t.Errorf("the themes page does not say %q", want)
		}
	}
	question := f.as(t, analytics.RoleBoard, "/surveys/"+f.slug+"/questions/"+f.text).Body.String()
	if !strings.Contains(question, `id="question-themes"`) {
		t.Error("the text question's page does not link its themes")
	}
	if _, err := f.srv.store.ClassifyComments(t.Context(), mustSurveyID(t, f), nil); err != nil {
		t.Fatal(err)
	}
	body = f.as(t, analytics.RoleViewer, "/surveys/"+f.slug+"/comments").Body.String()
	if strings.Contains(body, "Themes worked out for") || strings.Contains(body, "not worked out yet") {
		t.Error("the comments page still says the themes are being worked out")
	}
}

// mustSurveyID is the stored ID of the comments fixture's survey.
func mustSurveyID(t *testing.T, f commentsFixture) int64 {
	t.Helper()
	sv, err := f.srv.store.SurveyBySlug(t.Context(), f.slug)
	if err != nil {
		t.Fatal(err)
	}
	return sv.ID
}

// TestKeptNamesWithheldFromViewers: a survey that keeps respondents' names
// and emails stores them as free-text answers; a viewer reads each withheld
// whole (a bare name is nothing redaction can find), an analyst reads it.
func TestKeptNamesWithheldFromViewers(t *testing.T) {
	srv, _ := newTestServer(t)
	var b strings.Builder
	b.WriteString("Response ID,Date submitted,Your name,Email address,Team,Any other comments\n")
	for i := range 10 {
		fmt.Fprintf(&b, "K%d,0%d/02/2025,Ada Lovelace %d,ada%d@example.org,North,The carer was kind and the visit was on time number %d\n", i, 1+i%9, i, i, i)
	}
	path := filepath.Join(t.TempDir(), "kept.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportFile(t.Context(), srv.store, path, "kept.csv", ingest.ImportParams{Survey: "Kept names",
		KeepPersonal: true, KeepPersonalBy: analytics.CommandLine("test")})
	if err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(t.Context(), "Kept names")
	if err != nil {
		t.Fatal(err)
	}
	f := themesFixture{srv: srv, tokens: map[analytics.UserRole]string{}}
	for _, role := range []analytics.UserRole{analytics.RoleViewer, analytics.RoleAdmin} {
		f.tokens[role] = createAccount(t, srv.store, string(role)+"-kept@example.org", role).token
	}
	viewer := f.as(t, analytics.RoleViewer, "/surveys/"+sv.Slug+"/comments", nil).Body.String()
	admin := f.as(t, analytics.RoleAdmin, "/surveys/"+sv.Slug+"/comments", nil).Body.String()
	if !strings.Contains(admin, "Ada Lovelace 3") || !strings.Contains(admin, "ada3@example.org") {
		t.Fatal("the admin does not read the kept names and emails: the survey did not keep them")
	}
	for _, leak := range []string{"Lovelace", "ada3@"} {
		if i := strings.Index(viewer, leak); i >= 0 {
			t.Errorf("the viewer reads a kept name or email: …%s…", viewer[max(0, i-200):i+40])
		}
	}
	if n := strings.Count(viewer, "[withheld: a name or email address]"); n != 20 {
		t.Errorf("%d answers withheld from the viewer, want the 10 names and 10 emails", n)
	}
	if !strings.Contains(viewer, "The carer was kind and the visit was on time number 3") {
		t.Error("the viewer does not read the comments without personal details")
	}
}
