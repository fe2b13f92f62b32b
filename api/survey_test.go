package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
)

// payloads are the hostile texts of issue 4: markup that would run if a
// page, a chart or a tooltip treated uploaded text as HTML or script, and
// a formula that would run in a spreadsheet.
var payloads = []string{
	`</script><script>alert(1)</script>`,
	`__f__alert(1)__f__`,
	`<img src=x onerror=alert(1)>`,
	`=HYPERLINK("http://x","y")`,
}

// writePayloadCSV writes a generic export of 80 responses over four months
// whose question texts (four satisfaction scales), single-choice options,
// team values and comments are the payloads.
func writePayloadCSV(t testing.TB) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := append([]string{"Response ID", "Date submitted", "Team"}, payloads...)
	w.Write(append(head, "Which best describes your support?", "Any other comments"))
	scale := []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"}
	for i := range 80 {
		rec := []string{"P" + strconv.Itoa(i), fmt.Sprintf("%02d/%02d/2024", 1+i%28, 4+i%4), payloads[i%4]}
		for k := range 4 {
			rec = append(rec, scale[(i*(k+2)/3)%5])
		}
		w.Write(append(rec, payloads[(i/4)%4], payloads[(i+1)%4]+" said person "+strconv.Itoa(i)))
	}
	w.Flush()
	path := filepath.Join(t.TempDir(), "payloads.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkPayloadPage asserts that a page shows the payloads only as text:
// none of their markup is in the page's markup (checkPage), and no other
// host is named anywhere but in the payload's own text.
func checkPayloadPage(t testing.TB, name, page string) {
	t.Helper()
	checkPage(t, name, page)
	for _, raw := range []string{"<script>alert", "<img src=x", "<img"} {
		if strings.Contains(page, raw) {
			t.Errorf("%s holds %q unescaped", name, raw)
		}
	}
	if rest := strings.ReplaceAll(page, "http://x", ""); strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
		t.Errorf("%s names a host", name)
	}
}

// TestPayloadsStayText imports a file of hostile texts, then asserts that
// every page, chart block, download and API answer shows them as text.
func TestPayloadsStayText(t *testing.T) {
	srv, h := newTestServer(t)
	rep, err := ingest.ImportFile(context.Background(), srv.store, writePayloadCSV(t), "payloads.csv", ingest.ImportParams{Survey: "Payloads"})
	if err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(context.Background(), "Payloads")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := srv.store.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[string(q.Kind)]++
	}
	if kinds["scale"] != 4 || kinds["single"] != 1 || kinds["text"] != 1 || len(ds) != 1 {
		t.Fatalf("the file was read as %v with %d dimensions, not 4 scales, 1 single choice, 1 text and a team", kinds, len(ds))
	}
	base := "/surveys/" + sv.Slug
	pages := []string{"/", "/imports", base, base + "?board=1", base + "?period=all", base + "/questions", base + "/equality",
		base + "/equality?board=1", base + "/downloads", base + "/questions?board=1"}
	for _, q := range qs {
		pages = append(pages, base+"/questions/"+q.Code, base+"/questions/"+q.Code+"?board=1&by=team")
	}
	shown := map[string]bool{}
	for _, p := range pages {
		rec := get(t, h, p)
		if rec.Code != 200 {
			t.Errorf("GET %s: %d %.300s", p, rec.Code, rec.Body)
			continue
		}
		page := rec.Body.String()
		checkPayloadPage(t, p, page)
		for _, s := range []string{"&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "__f__alert(1)__f__",
			"&lt;img src=x onerror=alert(1)&gt;", "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)", `\u003cimg src=x onerror=alert(1)\u003e`} {
			shown[s] = shown[s] || strings.Contains(page, s)
		}
		if strings.Contains(page, "said person") {
			t.Errorf("%s shows a free-text comment", p)
		}
	}
	for s, ok := range shown {
		if !ok {
			t.Errorf("no page shows %q: the payloads were not shown as text", s)
		}
	}
	checkPayloadDownloads(t, h, sv.Slug, qs[0].Code)
}

// checkPayloadDownloads asserts that every download of the payload survey
// is safe: JSON without '<', CSV and workbook cells that cannot run, and
// the payloads kept as text in them.
func checkPayloadDownloads(t *testing.T, h http.Handler, slug, code string) {
	api := "/api/v1/surveys/" + slug
	for _, u := range []string{"/api/v1/surveys", api + "/questions", api + "/report", api + "/report?question=" + code + "&by=team",
		api + "/report?question=" + code + "&by=team&board=1"} {
		rec := get(t, h, u)
		if rec.Code != 200 || strings.Contains(rec.Body.String(), "<") || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("GET %s: %d, '<' or invalid JSON: %.300s", u, rec.Code, rec.Body)
		}
	}
	rec := get(t, h, api+"/trends.csv?by=team&min_base=1")
	if rec.Code != 200 {
		t.Fatalf("trends.csv: %d %s", rec.Code, rec.Body)
	}
	csvText := strings.Join(flatten(readSafeCSV(t, rec.Body.Bytes())), "\n")
	if !strings.Contains(csvText, `'=HYPERLINK("http://x","y")`) || !strings.Contains(csvText, payloads[0]) {
		t.Errorf("the trend CSV does not keep the team payloads as text:\n%s", csvText)
	}
	base := "/surveys/" + slug
	var texts []string
	for _, u := range []string{base + "/dashboard.xlsx", base + "/equality.xlsx", base + "/questions/" + code + "/tables.xlsx?by=team"} {
		rec := get(t, h, u)
		if rec.Code != 200 {
			t.Errorf("GET %s: %d %.300s", u, rec.Code, rec.Body)
			continue
		}
		texts = append(texts, readWorkbook(t, rec.Body.Bytes()).texts...)
	}
	all := strings.Join(texts, "\n")
	for _, p := range payloads[:3] {
		if !strings.Contains(all, p) {
			t.Errorf("no workbook cell holds %q as text", p)
		}
	}
	if !strings.Contains(all, "'"+payloads[3]) {
		t.Errorf("no workbook cell holds %q made safe", payloads[3])
	}
}

func flatten(recs [][]string) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r...)
	}
	return out
}
