package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics"
)

// xssComment is a comment that would run script if it were written as
// markup.
const xssComment = `<img src=x onerror=alert(1)>`

// commentsFixture is a server with a survey of n (8 or more, to be read
// as free text) SmartSurvey responses,
// one comment each, a day apart from 1 January 2024; the newest comment is
// xssComment, the others "Comment number I". North Locality Team gave
// the even ones.
type commentsFixture struct {
	pagesFixture
	slug, text, scale string
	tokens            map[analytics.UserRole]string
}

func newCommentsFixture(t testing.TB, n int) commentsFixture {
	t.Helper()
	f := commentsFixture{pagesFixture: newPagesFixture(t), tokens: map[analytics.UserRole]string{}}
	var b strings.Builder
	b.WriteString("Response_ID,Completion_Status,Date_Started,Date_Ended,Team,Age band," +
		"\"Overall, how satisfied are you with the support you received?\",Is there anything else you@SQ@d like to tell us?\n")
	start := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	satisfied := []string{"Very satisfied", "Quite satisfied", "Neither satisfied nor dissatisfied", "Quite dissatisfied", "Very dissatisfied"}
	for i := range n {
		day := start.AddDate(0, 0, i).Format("02/01/2006 15:04")
		team, comment := "South Locality Team", fmt.Sprintf("Comment number %d", i)
		if i%2 == 0 {
			team = "North Locality Team"
		}
		if i == n-1 {
			comment = xssComment
		}
		fmt.Fprintf(&b, "%d,Complete,%s,%s,%s,65-84,%s,%s\n", 9000+i, day, day, team, satisfied[i%len(satisfied)], comment)
	}
	path := filepath.Join(t.TempDir(), "comments.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rep, err := ingest.ImportFile(ctx, f.srv.store, path, "comments.csv", ingest.ImportParams{Survey: "Comments test"})
	if err != nil || rep.Refused() {
		t.Fatalf("import the comments: %v %+v", err, rep)
	}
	sv, err := f.srv.store.SurveyByName(ctx, "Comments test")
	if err != nil {
		t.Fatal(err)
	}
	f.slug = sv.Slug
	qs, _, err := f.srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		switch q.Kind {
		case analytics.KindText:
			f.text = q.Code
		case analytics.KindScale:
			f.scale = q.Code
		}
	}
	if f.text == "" || f.scale == "" {
		t.Fatalf("the survey's questions %+v lack a text or a scale question", qs)
	}
	for _, role := range analytics.UserRoles() {
		a := createAccount(t, f.srv.store, string(role)+"-comments@example.org", role)
		f.tokens[role] = a.token
		if role == analytics.RoleAnalyst { // analysts read the comments of their own surveys
			if err := f.srv.store.AddSurveyMember(ctx, sv.ID, a.user.ID, analytics.CommandLine("test")); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// as makes a GET request as role.
func (f commentsFixture) as(t testing.TB, role analytics.UserRole, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	return doReq(f.h, req)
}

func TestCommentsPage(t *testing.T) {
	f := newCommentsFixture(t, 120)
	base := "/surveys/" + f.slug + "/comments"
	cases := []struct {
		name   string
		query  string
		rows   int
		says   []string
		absent []string
	}{
		{name: "first page, newest first", rows: 50,
			says:   []string{"Comments 1 to 50 of 120", "&lt;img src=x onerror=alert(1)&gt;", "Comment number 118", "Comment number 70", "page=2", "may hold personal data", "Team: South Locality Team"},
			absent: []string{xssComment, "Comment number 69<", "Newer comments"}},
		{name: "second page", query: "page=2", rows: 50,
			says:   []string{"Comments 51 to 100 of 120", "Comment number 69<", "Comment number 20<", "Newer comments", "Older comments"},
			absent: []string{"Comment number 70<", "Comment number 19<"}},
		{name: "last page", query: "page=3", rows: 20,
			says:   []string{"Comments 101 to 120 of 120", "Comment number 0<", "Newer comments"},
			absent: []string{"Older comments"}},
		{name: "past the last page", query: "page=9", rows: 0, says: []string{"There are 120 comments, none on this page"}},
		{name: "one team", query: "where=Team%3DNorth+Locality+Team", rows: 50,
			says:   []string{"of 60", "Comment number 118", "Team=North Locality Team"},
			absent: []string{"Comment number 117<", xssComment}},
		{name: "dates", query: "from=2024-01-01&to=2024-01-10", rows: 10,
			says: []string{"Comments 1 to 10 of 10", "Comment number 9<", "Comment number 0<"}, absent: []string{"Comment number 10<"}},
		{name: "the text question", query: "question=" + f.text, rows: 50, says: []string{"of 120"}},
		{name: "board view asked for by staff", query: "board=1", rows: 0, says: []string{"never shows comments"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.as(t, analytics.RoleViewer, link(base, nil)+"?"+tc.query)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("GET ?%s: %d %s", tc.query, rec.Code, firstLine(body))
			}
			checkPage(t, tc.name, body)
			if got := strings.Count(body, `<td class="comment">`); got != tc.rows {
				t.Errorf("%d comments shown, want %d", got, tc.rows)
			}
			for _, s := range tc.says {
				if !strings.Contains(body, s) {
					t.Errorf("the page does not say %q", s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(body, s) {
					t.Errorf("the page says %q", s)
				}
			}
		})
	}
}

func TestCommentsPageRefused(t *testing.T) {
	f := newCommentsFixture(t, 8)
	base := "/surveys/" + f.slug + "/comments"
	cases := []struct {
		name, path string
		role       analytics.UserRole
		status     int
	}{
		{"board member", base, analytics.RoleBoard, http.StatusForbidden},
		{"a scale question", base + "?question=" + f.scale, analytics.RoleAnalyst, http.StatusUnprocessableEntity},
		{"an unknown question", base + "?question=nosuch", analytics.RoleAnalyst, http.StatusUnprocessableEntity},
		{"page 0", base + "?page=0", analytics.RoleViewer, http.StatusUnprocessableEntity},
		{"a bad date", base + "?from=yesterday", analytics.RoleViewer, http.StatusUnprocessableEntity},
		{"an unknown survey", "/surveys/nosuch/comments", analytics.RoleAdmin, http.StatusNotFound},
		{"a POST", base, analytics.RoleAdmin, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := "GET"
			if tc.name == "a POST" {
				method = "POST"
			}
			req := httptest.NewRequest(method, tc.path, nil)
			req.Header.Set("Authorization", "Bearer "+f.tokens[tc.role])
			rec := doReq(f.h, req)
			if rec.Code != tc.status {
				t.Fatalf("%s %s as %s: %d, want %d", method, tc.path, tc.role, rec.Code, tc.status)
			}
			if strings.Contains(rec.Body.String(), "Comment number") {
				t.Error("the refusal shows comments")
			}
		})
	}
}

// TestCommentsLinks checks that the survey's navigation and a text
// question's page link the comments for staff, and never for the board.
func TestCommentsLinks(t *testing.T) {
	f := newCommentsFixture(t, 8)
	pages := []string{"/surveys/" + f.slug, "/surveys/" + f.slug + "/questions/" + f.text}
	for _, role := range analytics.UserRoles() {
		for _, path := range pages {
			t.Run(string(role)+" "+path, func(t *testing.T) {
				rec := f.as(t, role, path)
				if rec.Code != http.StatusOK {
					t.Fatalf("GET %s: %d", path, rec.Code)
				}
				body := rec.Body.String()
				want := role != analytics.RoleBoard
				if got := strings.Contains(body, `id="nav-comments"`); got != want {
					t.Errorf("the survey's navigation links the comments: %v, want %v", got, want)
				}
				if strings.Contains(path, "/questions/") {
					if got := strings.Contains(body, `id="question-comments"`); got != want {
						t.Errorf("the question's page links its comments: %v, want %v", got, want)
					}
				}
			})
		}
	}
}
