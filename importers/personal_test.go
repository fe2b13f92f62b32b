package importers

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// personalCSV is a small export with a name, an email address, an IP
// address and a location besides two questions.
const personalCSV = `Response ID,Date submitted,Full name,Email address,IP Address,Latitude,How satisfied are you with your care?,Any other comments?
1,02/04/2024,Ann Smith,ann.smith@example.org,192.0.2.1,51.5,Very satisfied,Kind staff
2,03/04/2024,Bob Jones,bob@example.org,192.0.2.2,51.6,Quite dissatisfied,Late visits
3,04/04/2024,Cy Brown,cy@example.org,192.0.2.3,51.7,Neither satisfied nor dissatisfied,
`

// preparePersonal prepares personalCSV with the survey's choice.
func preparePersonal(tb testing.TB, saved *analytics.Mapping, keep bool) *Prepared {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "feedback.csv")
	if err := os.WriteFile(path, []byte(personalCSV), 0o600); err != nil {
		tb.Fatal(err)
	}
	p, err := Prepare(context.Background(), path, "feedback.csv", saved, Options{KeepPersonal: keep}, nil)
	if err != nil {
		tb.Fatalf("Prepare: %v", err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// roles maps each header to its column's role and code.
func roles(m analytics.Mapping) map[string]string {
	out := map[string]string{}
	for _, c := range m.Columns {
		out[c.Header] = string(c.Role) + ":" + c.Code
	}
	return out
}

// allText returns every text answer of every response.
func allText(tb testing.TB, p *Prepared) []string {
	tb.Helper()
	next, err := p.Responses()
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for {
		r, err := next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		for _, a := range r.Answers {
			out = append(out, a.Text)
		}
	}
}

func TestPreparePersonal(t *testing.T) {
	tests := []struct {
		name       string
		keep       bool
		wantRoles  map[string]string
		wantNotes  []string
		wantEmails int
	}{
		{
			name: "dropped by default",
			wantRoles: map[string]string{"Full name": "personal:", "Email address": "personal:",
				"IP Address": "personal:", "Latitude": "personal:"},
			wantNotes: []string{`column "Full name": personal data, not stored`, `column "Email address": personal data, not stored`,
				`column "IP Address": personal data, not stored`, `column "Latitude": personal data, not stored`},
		},
		{
			name: "kept when the survey opts in",
			keep: true,
			wantRoles: map[string]string{"Full name": "question:full_name", "Email address": "question:email_address",
				"IP Address": "personal:", "Latitude": "personal:"},
			wantNotes: []string{`column "Full name": personal data, stored as a text question`,
				`column "Email address": personal data, stored as a text question`, `column "IP Address": personal data, not stored`},
			wantEmails: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := preparePersonal(t, nil, tc.keep)
			got := roles(p.Mapping)
			for h, want := range tc.wantRoles {
				if got[h] != want {
					t.Errorf("column %q is %s, want %s", h, got[h], want)
				}
			}
			for _, note := range tc.wantNotes {
				if !slices.ContainsFunc(p.Changes, func(c string) bool { return strings.HasPrefix(c, note) }) {
					t.Errorf("changes %q lack %q", p.Changes, note)
				}
			}
			emails := 0
			for _, text := range allText(t, p) {
				if strings.Contains(text, "@") {
					emails++
				}
				if strings.Contains(text, "192.0.2.") {
					t.Errorf("an IP address was kept: %q", text)
				}
			}
			if emails != tc.wantEmails {
				t.Errorf("%d answers hold an email address, want %d", emails, tc.wantEmails)
			}
			for _, q := range p.Mapping.Questions {
				if (q.Code == "full_name" || q.Code == "email_address") && q.Kind != analytics.KindText {
					t.Errorf("kept question %s is %s, want text", q.Code, q.Kind)
				}
			}
		})
	}
}

func TestPreparePersonalAgainstSaved(t *testing.T) {
	kept := preparePersonal(t, nil, true).Mapping
	dropped := preparePersonal(t, nil, false).Mapping
	tests := []struct {
		name      string
		saved     analytics.Mapping
		keep      bool
		wantEmail string
	}{
		{"still keeping", kept, true, "question:email_address"},
		{"opted out after keeping", kept, false, "personal:"},
		{"opted in after dropping", dropped, true, "question:email_address"},
		{"still dropping", dropped, false, "personal:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := preparePersonal(t, &tc.saved, tc.keep)
			if got := roles(p.Mapping)["Email address"]; got != tc.wantEmail {
				t.Errorf("Email address is %s, want %s", got, tc.wantEmail)
			}
			stored := slices.ContainsFunc(p.Mapping.Questions, func(q analytics.Question) bool { return q.Code == "email_address" })
			if stored != tc.keep {
				t.Errorf("email question in the file's mapping: %v, want %v", stored, tc.keep)
			}
			if got := slices.ContainsFunc(allText(t, p), func(s string) bool { return strings.Contains(s, "@") }); got != tc.keep {
				t.Errorf("answers hold email addresses: %v, want %v", got, tc.keep)
			}
		})
	}
}

func TestKeepPersonalColumns(t *testing.T) {
	tests := []struct {
		header string
		want   analytics.Role
	}{
		{"Name", analytics.RoleQuestion},
		{"Email", analytics.RoleQuestion},
		{"E-mail address", analytics.RoleQuestion},
		{"Surname", analytics.RoleQuestion},
		{"Client name", analytics.RoleQuestion},
		{"User name", analytics.RolePersonal},
		{"username", analytics.RolePersonal},
		{"IP Address", analytics.RolePersonal},
		{"_geolocation", analytics.RolePersonal},
		{"Postcode", analytics.RolePersonal},
		{"Telephone number", analytics.RolePersonal},
		{"NHS number", analytics.RolePersonal},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			m := analytics.Mapping{
				Columns: []analytics.Column{
					{Index: 0, Header: "How satisfied?", Role: analytics.RoleQuestion, Code: "name"},
					{Index: 1, Header: tc.header, Role: analytics.RolePersonal},
				},
				Questions: []analytics.Question{{Code: "name", Text: "How satisfied?", Kind: analytics.KindSingle}},
			}
			got := KeepPersonal(m)
			if got.Columns[1].Role != tc.want {
				t.Fatalf("role %s, want %s", got.Columns[1].Role, tc.want)
			}
			if m.Columns[1].Role != analytics.RolePersonal {
				t.Error("KeepPersonal changed its argument")
			}
			if tc.want != analytics.RoleQuestion {
				if len(got.Questions) != 1 {
					t.Errorf("questions %+v, want the one question", got.Questions)
				}
				return
			}
			code := got.Columns[1].Code
			if code == "" || code == "name" {
				t.Errorf("kept column's code %q, want a new unique code", code)
			}
			if len(got.Questions) != 2 || got.Questions[1].Code != code || got.Questions[1].Kind != analytics.KindText ||
				got.Questions[1].Text != tc.header {
				t.Errorf("questions %+v, want a text question %q after the first", got.Questions, code)
			}
			if again := KeepPersonal(m); again.Columns[1].Code != code {
				t.Errorf("code %q then %q: not stable", code, again.Columns[1].Code)
			}
		})
	}
}

func TestPersonalMicrosoftForms(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "data", "external", "msforms-phonebrandpred", "surveyEng.xlsx")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the Microsoft Forms export is not here (%v)", err)
	}
	tests := []struct {
		name             string
		keep             bool
		wantEmail, wantN string
	}{
		{"default", false, "personal:", "personal:"},
		{"survey keeps personal data", true, "question:email", "question:name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Prepare(context.Background(), path, "surveyEng.xlsx", nil, Options{KeepPersonal: tc.keep}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			got := roles(p.Mapping)
			if got["Email"] != tc.wantEmail || got["Name"] != tc.wantN {
				t.Errorf("Email is %s, Name is %s; want %s and %s", got["Email"], got["Name"], tc.wantEmail, tc.wantN)
			}
			anonymous := slices.Contains(allText(t, p), "anonymous") // the form's Email cells say "anonymous"
			if anonymous != tc.keep {
				t.Errorf("the Email column's values were stored: %v, want %v", anonymous, tc.keep)
			}
		})
	}
}
