package api

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
)

// pageFuncs are the helpers the page templates call.
var pageFuncs = template.FuncMap{
	"roleLabel":    roleLabel,
	"columnDetail": columnDetail,
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
					return string(q.Kind) + ": " + optionSummary(q)
				}
				return string(q.Kind)
			}
		}
	case analytics.RoleDimension:
		for _, d := range ds {
			if d.Code == col.Code {
				return d.Kind
			}
		}
	}
	return ""
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

// render writes a page; the page is built in full first so that a template
// error gives a clean 500 rather than half a page.
func (p *pages) render(c *gin.Context, name string, data any) error {
	var buf bytes.Buffer
	if err := p.t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", withAccount(c, buf.Bytes()))
	return nil
}

// accountSlot is the layout's placeholder for the signed-in account.
var accountSlot = []byte(`<span id="heard-account"></span>`)

// navEntries are the main navigation's entries that need a permission.
var navEntries = []struct {
	entry *regexp.Regexp
	need  analytics.Permission
}{
	{regexp.MustCompile(`<li id="nav-upload">.*?</li>\n?`), analytics.PermUpload},
	{regexp.MustCompile(`<li id="nav-imports">.*?</li>\n?`), analytics.PermReadStaff},
	{regexp.MustCompile(`<li id="nav-comments">.*?</li>`), analytics.PermReadComments},
	{regexp.MustCompile(`<p id="question-comments">.*?</p>\n?`), analytics.PermReadComments},
}

// withAccount fills a page's account placeholder with the signed-in
// account and its sign-out button, and drops the navigation entries the
// account's role cannot open.
func withAccount(c *gin.Context, page []byte) []byte {
	u, _ := requestUser(c)
	for _, e := range navEntries {
		if !u.Role.Can(e.need) {
			page = e.entry.ReplaceAll(page, nil)
		}
	}
	if m := accountMarkup(c); m != "" {
		return bytes.Replace(page, accountSlot, []byte(m), 1)
	}
	return page
}
