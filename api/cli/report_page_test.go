package cli

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api"
)

// TestReportTableMatchesPage checks that `heard report` and the survey's
// page write the same figure, interval and base for the same report: both
// go through dashboards' formatting, so "93.2%" and "90.2% to 95.2%" read
// the same in a terminal and on screen.
func TestReportTableMatchesPage(t *testing.T) {
	db, _ := newReportDB(t)
	code, out, errOut := cli(t, RunReport, "--db", db, "--survey", "Feedback", "--question", "overall")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The responses of each month run from its 1st to its 20th, so June,
	// the last month, is not over: the page leads with May, the latest
	// complete month.
	var latest []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "2024-05") {
			latest = regexp.MustCompile(`\s{2,}`).Split(l, -1) // PERIOD, RATE, INTERVAL, BASE, ...
		}
	}
	if len(latest) < 4 || !strings.Contains(latest[2], "% to ") {
		t.Fatalf("no May line with a figure and an interval such as \"80.1%% to 89.0%%\":\n%s", out)
	}
	value, interval, base := latest[1], latest[2], latest[3]

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); st.Close() })
	by := analytics.CommandLine("test")
	admin, err := st.CreateUser(context.Background(), analytics.User{Email: "admin@example.org", Role: analytics.RoleAdmin}, "!", by)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := st.CreateToken(context.Background(), admin.ID, "test", by)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := st.SurveyByName(context.Background(), "Feedback")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/surveys/"+sv.Slug, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("GET the survey: %d %.300s", rec.Code, rec.Body)
	}
	page := html.UnescapeString(rec.Body.String())
	row := `<tr id="row-overall">`
	i := strings.Index(page, row)
	if i < 0 {
		t.Fatalf("the page has no row for the question overall:\n%s", page)
	}
	want := `<td class="num">` + value + `</td><td class="nowrap">` + interval + `</td><td class="num">` + base + `</td>`
	if end := strings.Index(page[i:], "</tr>"); end < 0 || !strings.Contains(page[i:i+end], want) {
		t.Errorf("the page's row does not show the table's %s, %s, n = %s:\n%.600s", value, interval, base, page[i:])
	}
	if summary := value + " (n = " + base + ", 95% CI " + interval + ")"; !strings.Contains(page, summary) {
		t.Errorf("the page's headline does not read %q", summary)
	}
}
