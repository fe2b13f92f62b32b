package api

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/ingest"
)

// plantedDetail is a personal detail written into some comments of the
// themes fixture, which only accounts with the personal-data right may
// read, and its kind as redaction writes it.
type plantedDetail struct{ text, kind string }

// plantedDetails are the fixture's personal details: every kind redaction
// finds.
var plantedDetails = []plantedDetail{
	{"Mrs Okonkwo", "[name]"},
	{"jane.doe@example.org", "[email]"},
	{"07700 900123", "[phone]"},
	{"943 476 5919", "[nhs number]"},
	{"LS1 4AP", "[postcode]"},
	{"12 Acacia Avenue", "[address]"},
	{"03/04/1941", "[date of birth]"},
}

// plantIn writes the detail d into a comment as people write such things.
func plantIn(d plantedDetail, comment string) string {
	switch d.kind {
	case "[name]":
		return "Thank you to " + d.text + ", who came every week. " + comment
	case "[date of birth]":
		return "I was born " + d.text + ". " + comment
	case "[address]", "[postcode]":
		return "I live at " + d.text + ". " + comment
	}
	return "Please contact me on " + d.text + ". " + comment
}

// themeOpenings and themeClosings make the fixture's comments: what people
// write after a care assessment, good and bad, about the staff, waiting,
// information, the care plan and the rest.
var (
	themeOpenings = []string{
		"The carer was always kind and patient with my mother",
		"I waited six weeks for the assessment and nobody rang me back",
		"Staff were rude on the phone when I called about my care plan",
		"The social worker listened to me and explained everything clearly",
		"Nobody told me what would happen next and I had to chase three times",
		"The carers often arrived late and rushed the morning visit",
		"My medication was not given on time on several days",
		"The food was cold and the room was not clean",
		"Very helpful team, thank you for all the support after hospital",
		"It was hard to get through on the phone and the letters were confusing",
		"The reablement staff helped me walk again and I feel much more confident",
		"The equipment we were promised took months to arrive",
	}
	themeClosings = []string{".", " when my needs changed.", " after I came home from hospital.",
		" during the first visit.", ", especially in the winter.", " and my daughter agrees."}
)

// themesFixture is a server with a survey of realistic comments from two
// teams over three months, some with personal details planted, classified
// by the built-in NHS model; an account and token of each role (the
// analyst a member of the survey) and an analyst who is not a member.
type themesFixture struct {
	srv      *Server
	slug     string
	surveyID int64
	text     string
	// comments are every comment of the file, as written.
	comments []string
	tokens   map[analytics.UserRole]string
	outsider string
}

func newThemesFixture(t testing.TB) themesFixture {
	t.Helper()
	srv, _ := newTestServer(t)
	f := themesFixture{srv: srv, tokens: map[analytics.UserRole]string{}}
	rng := rand.New(rand.NewPCG(11, 2025))
	var b strings.Builder
	b.WriteString("Response ID,Date submitted,Team,Overall satisfaction,What could we have done better?\n")
	months := []string{"01", "02", "03"}
	satisfied := []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	for i := range 240 {
		team := "North Locality Team"
		if i%3 == 0 {
			team = "South Locality Team"
		}
		comment := themeOpenings[rng.IntN(len(themeOpenings))] + themeClosings[rng.IntN(len(themeClosings))]
		if i%9 == 0 {
			comment = plantIn(plantedDetails[(i/9)%len(plantedDetails)], comment)
		}
		comment = fmt.Sprintf("%s (ref %d)", comment, 1000+i)
		if i%17 == 5 {
			comment = "Nothing to add"
		}
		f.comments = append(f.comments, comment)
		day := fmt.Sprintf("%02d/%s/2025", 1+i%28, months[i%3])
		fmt.Fprintf(&b, "T%04d,%s,%s,%s,%q\n", i, day, team, satisfied[rng.IntN(len(satisfied))], comment)
	}
	path := filepath.Join(t.TempDir(), "themes.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rep, err := ingest.ImportFile(ctx, srv.store, path, "themes.csv", ingest.ImportParams{Survey: "Themes test"})
	if err != nil || rep.Refused() {
		t.Fatalf("import the comments: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(ctx, "Themes test")
	if err != nil {
		t.Fatal(err)
	}
	f.slug, f.surveyID = sv.Slug, sv.ID
	qs, _, err := srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Kind == analytics.KindText {
			f.text = q.Code
		}
	}
	if f.text == "" {
		t.Fatalf("the comments column was not read as free text: %+v", qs)
	}
	if n, err := srv.store.ClassifyComments(ctx, sv.ID, nil); err != nil || n != len(f.comments) {
		t.Fatalf("classify the comments: %d of %d, %v", n, len(f.comments), err)
	}
	for _, role := range analytics.UserRoles() {
		a := createAccount(t, srv.store, string(role)+"-themes@example.org", role)
		f.tokens[role] = a.token
		if role == analytics.RoleAnalyst {
			if err := srv.store.AddSurveyMember(ctx, sv.ID, a.user.ID, analytics.CommandLine("test")); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.outsider = createAccount(t, srv.store, "outsider-themes@example.org", analytics.RoleAnalyst).token
	return f
}

// as makes a request as role: GET, or POST of form when it is not nil.
func (f themesFixture) as(t testing.TB, role analytics.UserRole, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return f.with(t, f.tokens[role], path, form)
}

// with makes a request with an API token.
func (f themesFixture) with(t testing.TB, token, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if form != nil {
		req = httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return doReq(f.srv.Handler(), req)
}
