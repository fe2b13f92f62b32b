package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-council/heard/analytics"
)

// pageHeader is what a page's header shows: the text of the account's
// element (#heard-account) and which of the entries that need a
// permission are on the page.
type pageHeader struct {
	account string
	entries map[string]bool
}

// headerEntries are the page's entries that need a permission: element
// ids and the admin links' addresses.
var headerEntries = []string{"nav-upload", "nav-imports", "nav-comments", "question-comments", "sign-out",
	"/admin/users", "/admin/audit", "/admin/retention"}

// readHeader parses page as a browser would and reads its header.
func readHeader(t testing.TB, page string) pageHeader {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	h := pageHeader{entries: map[string]bool{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "id" && a.Val == "heard-account":
				var text strings.Builder
				for d := range n.Descendants() {
					if d.Type == html.TextNode {
						text.WriteString(d.Data)
					}
				}
				h.account = text.String()
			case a.Key == "id" || a.Key == "href" && strings.HasPrefix(a.Val, "/admin/"):
				h.entries[a.Val] = true
			}
		}
	}
	return h
}

// textQuestion is the code of one of the demo survey's text questions.
func (m matrixFixture) textQuestion(t testing.TB) string {
	t.Helper()
	var qs SurveyQuestionsJSON
	if err := json.Unmarshal(m.do(t, "admin", "GET", "/api/v1/surveys/"+m.slug+"/questions").Body.Bytes(), &qs); err != nil {
		t.Fatal(err)
	}
	for _, q := range qs.Questions {
		if q.Kind == analytics.KindText {
			return q.Code
		}
	}
	t.Fatal("the demo survey has no text question")
	return ""
}

// TestHeaderEntriesByRole walks the pages as each role, and no role,
// and checks that every page's header has the entries the role may open
// and none other: no upload for a viewer, no imports, comments or upload
// for the board, the admin pages for admins only, and an account with
// its sign-out button for every signed-in role.
func TestHeaderEntriesByRole(t *testing.T) {
	m := newMatrixFixture(t)
	base := "/surveys/" + m.slug
	paths := []string{"/login", "/", "/upload", "/imports", "/admin/users", "/admin/audit", "/admin/retention", "/nosuch",
		base, base + "/questions", base + "/questions/" + url.PathEscape(m.textQuestion(t)), base + "/equality",
		base + "/downloads", base + "/comments", base + "?from=yesterday"}
	for _, tc := range []struct {
		role string
		// upload, imports, comments, admin: the entries the role may open.
		upload, imports, comments, admin bool
	}{
		{"none", false, false, false, false},
		{"board", false, false, false, false},
		{"viewer", false, true, true, false},
		{"analyst", true, true, true, false},
		{"admin", true, true, true, true},
	} {
		for _, path := range paths {
			t.Run(tc.role+" "+path, func(t *testing.T) {
				rec := m.do(t, tc.role, "GET", path)
				if rec.Code == http.StatusSeeOther {
					return // to the sign-in page, or away from it
				}
				h := readHeader(t, rec.Body.String())
				// The survey's own navigation and a text question's
				// link to its comments are on a survey's pages only.
				survey := rec.Code == http.StatusOK && strings.HasPrefix(path, base)
				want := map[string]bool{
					"nav-upload":        tc.upload,
					"nav-imports":       tc.imports,
					"nav-comments":      tc.comments && survey,
					"question-comments": tc.comments && survey && strings.Contains(path, "/questions/"),
					"sign-out":          tc.role != "none",
					"/admin/users":      tc.admin,
					"/admin/audit":      tc.admin,
					"/admin/retention":  tc.admin,
				}
				for _, e := range headerEntries {
					if h.entries[e] != want[e] {
						t.Errorf("%s on the page (%d): %v, want %v", e, rec.Code, h.entries[e], want[e])
					}
				}
				if wantAccount := tc.role != "none"; strings.Contains(h.account, "-matrix@example.org") != wantAccount {
					t.Errorf("the header's account %q, want an account: %v", h.account, wantAccount)
				}
			})
		}
	}
}

// TestHeaderEscapesAccount checks that an account's email and name,
// which may hold any character, are shown as text on every page: the
// header shows them as the account wrote them and never as markup.
func TestHeaderEscapesAccount(t *testing.T) {
	m := newMatrixFixture(t)
	st := m.srv.store
	by := analytics.CommandLine("test")
	for _, tc := range []struct {
		name              string
		user              analytics.User
		label, raw, notIn string
	}{
		{"an email with markup", analytics.User{Email: `<b>"eve'&co@example.org`, Role: analytics.RoleViewer},
			`<b>"eve'&co@example.org (viewer) Sign out`, `<b>"eve`, ""},
		{"a name with markup", analytics.User{Email: "bo@example.org", Name: `<script>alert("Bo")</script> & 'Bo'`,
			Role: analytics.RoleAnalyst}, `<script>alert("Bo")</script> & 'Bo' (analyst) Sign out`, `<script>alert`,
			"bo@example.org"},
	} {
		u, err := st.CreateUser(t.Context(), tc.user, "!", by)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		_, secret, err := st.CreateToken(t.Context(), u.ID, "test", by)
		if err != nil {
			t.Fatal(err)
		}
		m.tokens[tc.name] = secret
		base := "/surveys/" + m.slug
		for _, path := range []string{"/", "/upload", "/imports", "/nosuch", base, base + "/questions", base + "/comments",
			base + "/questions/" + url.PathEscape(m.code), base + "/equality", base + "/downloads", base + "?from=yesterday"} {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				rec := m.do(t, tc.name, "GET", path)
				page := rec.Body.String()
				if strings.Contains(page, tc.raw) {
					t.Errorf("the page (%d) holds the account unescaped: %q", rec.Code, tc.raw)
				}
				checkPage(t, path, page)
				h := readHeader(t, page)
				if strings.TrimSpace(h.account) != tc.label {
					t.Errorf("the header's account %q, want %q", h.account, tc.label)
				}
				if tc.notIn != "" && strings.Contains(h.account, tc.notIn) {
					t.Errorf("the header shows the email %q of an account with a name", tc.notIn)
				}
			})
		}
	}
}
