package api

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// pageFuncs are the helpers the page templates call.
var pageFuncs = template.FuncMap{
	"roleLabel":    roleLabel,
	"columnDetail": columnDetail,
	"formatName":   formatName,
	"plural":       pluralOf,
	"noun":         nounOf,
	"one":          isOne,
	"count":        countText,
	"datetime":     dashboards.DateTime,
}

// countOf reads a count a view holds as a number or as the text a page
// shows ("1,204"); ok is false for anything else.
func countOf(n any) (v int64, ok bool) {
	switch n := n.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case string:
		v, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(n), ",", ""), 10, 64)
		return v, err == nil
	}
	return 0, false
}

// pluralOf writes a count with its noun, for a template: "1 response",
// "1,204 responses" (see dashboards.Plural).
func pluralOf(n any, noun string) string {
	v, ok := countOf(n)
	if !ok {
		return fmt.Sprint(n) + " " + noun + "s"
	}
	return dashboards.Thousands(v) + " " + dashboards.Noun(v, noun)
}

// nounOf is the noun for a count, for a template that writes the count
// itself: {{.Responses}} {{noun .Responses "response"}}.
func nounOf(n any, noun string) string {
	v, ok := countOf(n)
	if !ok {
		return noun + "s"
	}
	return dashboards.Noun(v, noun)
}

// countText writes a count with commas between thousands, as
// dashboards.Thousands does.
func countText(n any) string {
	if v, ok := countOf(n); ok {
		return dashboards.Thousands(v)
	}
	return fmt.Sprint(n)
}

// isOne reports whether a count is 1, for a verb that agrees with it:
// {{if one .N}}was{{else}}were{{end}}.
func isOne(n any) bool {
	v, ok := countOf(n)
	return ok && v == 1
}

// formatName names the tool an export came from as its maker does.
func formatName(f string) string {
	names := map[string]string{"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey", "smartsurvey": "SmartSurvey",
		"microsoft-forms": "Microsoft Forms", "google-forms": "Google Forms", "limesurvey": "LimeSurvey",
		"kobotoolbox": "KoboToolbox", "generic": "a spreadsheet of its own"}
	if n, ok := names[f]; ok {
		return n
	}
	return "a spreadsheet of its own"
}

// roleLabel says in plain English what a column is read as.
func roleLabel(r analytics.Role) string {
	switch r {
	case analytics.RoleRespondentID:
		return "respondent id"
	case analytics.RoleSubmitted:
		return "date submitted"
	case analytics.RoleStarted:
		return "date started"
	case analytics.RoleComplete:
		return "complete or partial"
	case analytics.RoleDimension:
		return "group (for breakdowns)"
	case analytics.RoleQuestion:
		return "question"
	case analytics.RolePersonal:
		return "personal data: not stored"
	}
	return "not used"
}

// columnDetail describes the question or dimension a column becomes.
func columnDetail(col analytics.Column, qs []analytics.Question, ds []analytics.Dimension) string {
	switch col.Role {
	case analytics.RoleQuestion:
		for _, q := range qs {
			if q.Code == col.Code {
				if q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle || q.Kind == analytics.KindMulti {
					q.Scale = "" // the scale's name is heard's own code
					return kindWords(q) + ": " + dashboards.OptionSummary(q)
				}
				return kindWords(q)
			}
		}
	case analytics.RoleDimension:
		for _, d := range ds {
			if d.Code == col.Code {
				return dimensionWords(d.Kind)
			}
		}
	}
	return ""
}

// dimensionWords says what a dimension describes, in words: "age band"
// for "age-band"; nothing for "other".
func dimensionWords(kind string) string {
	if kind == "other" {
		return ""
	}
	return strings.ReplaceAll(kind, "-", " ")
}

//go:embed templates/*.html
var templateFS embed.FS

// pages holds the parsed HTML templates.
type pages struct {
	t *template.Template
}

func loadPages() (*pages, error) {
	t, err := template.New("pages").Funcs(pageFuncs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse page templates: %w", err)
	}
	return &pages{t: t}, nil
}

// pageData is the data of every page: a view that embeds layout, whose
// header render fills in from the request's account.
type pageData interface {
	setAccount(u analytics.User, signedIn bool)
}

// render writes page name with status. It first gives the page the
// request's account, so every page's header shows the same account and
// the same entries; the page is built in full before anything is written,
// so that a template error gives a clean 500 rather than half a page.
func (s *Server) render(c *gin.Context, status int, name string, data pageData) error {
	u, signedIn := requestUser(c)
	data.setAccount(u, signedIn)
	var buf bytes.Buffer
	if err := s.pages.t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// signedInAccount is the signed-in account as the header of a page shows it,
// with its sign-out button.
type signedInAccount struct {
	// SignedIn is false on a page seen without an account, such as the
	// sign-in page; such a page's header names no account.
	SignedIn    bool
	Email, Name string
	Role        analytics.UserRole
}

// Label is how the header names the account: its name, or its email when
// it has none.
func (a signedInAccount) Label() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// can is what the request's account may open, so that a page links only
// those: each field is one analytics.Permission of its role.
type can struct {
	// Upload: the upload page (analytics.PermUpload).
	Upload bool
	// ReadStaff: the list of imports (analytics.PermReadStaff).
	ReadStaff bool
	// ReadComments: the comments pages (analytics.PermReadComments).
	ReadComments bool
	// ManageUsers: the accounts and the audit log
	// (analytics.PermManageUsers).
	ManageUsers bool
	// ManageSurveys: the retention page (analytics.PermManageSurveys).
	ManageSurveys bool
}

// canOf is what role r may open.
func canOf(r analytics.UserRole) can {
	return can{
		Upload:        r.Can(analytics.PermUpload),
		ReadStaff:     r.Can(analytics.PermReadStaff),
		ReadComments:  r.Can(analytics.PermReadComments),
		ManageUsers:   r.Can(analytics.PermManageUsers),
		ManageSurveys: r.Can(analytics.PermManageSurveys),
	}
}

// setAccount makes l show account u, or no account when signedIn is
// false; every page has it through its embedded layout.
func (l *layout) setAccount(u analytics.User, signedIn bool) {
	l.Account = signedInAccount{SignedIn: signedIn, Email: u.Email, Name: u.Name, Role: u.Role}
	l.Can = canOf(u.Role)
}
