package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
)

// printedFigure matches a figure as a page or a PDF's text writes it: a
// count ("1,204"), a share ("93.1%"), a score ("+12.5", "3.45") or a year.
var printedFigure = regexp.MustCompile(`[+−-]?\d[\d,]*(?:\.\d+)?%?`)

// figureCounts counts each figure of text.
func figureCounts(text string) map[string]int {
	out := map[string]int{}
	for _, f := range printedFigure.FindAllString(text, -1) {
		out[strings.TrimRight(f, ",")]++
	}
	return out
}

// pdfTool finds a program of Debian's poppler-utils (pdftotext, pdfinfo);
// without it the test is skipped, but under CI it fails, since .ci/run
// installs it.
func pdfTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" && os.Getenv("CI") != "false" {
		t.Fatalf("%s is not installed but CI is set: .ci/run should have installed poppler-utils (%v)", name, err)
	}
	t.Skipf("%s is not installed (%v): skipping the print test; `apt-get install poppler-utils` runs it", name, err)
	return ""
}

// runTool runs a program on a file and returns what it printed.
func runTool(t testing.TB, exe string, args ...string) string {
	t.Helper()
	out, err := exec.Command(exe, args...).Output()
	if err != nil {
		t.Fatalf("%s %q: %v", filepath.Base(exe), args, err)
	}
	return string(out)
}

// TestBrowserBoardPack signs a board member in, in headless Chromium, and
// opens the board pack of the demo survey (with something in every
// section: see startPackHeard) from its dashboard, for the
// period the dashboard leads with and for May 2024: its charts are drawn
// as SVG (no canvas) and its Print button is shown (by heard-print.js: the
// pages allow no inline script). Then it prints the pack (the DevTools
// protocol's Page.printToPDF, with the page's own @page size) to a PDF
// that must be A4 and whose text, read back with pdftotext, holds every
// figure the page shows when printed, each at least as many times as the
// page does; the charts' own labels (so they printed as vector text, not
// as a picture); no navigation; and each main section at the top of a
// page, with every section on the page and in the PDF. The PDFs and
// screenshots (one as a person without colour vision
// sees it) are kept among the artefacts.
func TestBrowserBoardPack(t *testing.T) {
	exe := chromiumPath(t)
	pdftotext, pdfinfo := pdfTool(t, "pdftotext"), pdfTool(t, "pdfinfo")
	ts, slug := startPackHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.signIn(t, boardEmail, browserPassword)
	dashboard := "/surveys/" + slug
	b.open(t, dashboard)
	pack := b.link(t, "#board-pack-link")
	if pack != dashboard+"/board-pack" {
		t.Fatalf("the dashboard links the pack as %q", pack)
	}
	for _, period := range []string{"", "2024-05"} {
		name, path := "default", pack
		if period != "" {
			name, path = period, pack+"?period="+period
		}
		t.Run(name, func(t *testing.T) {
			b.open(t, path)
			b.checkBoardPage(t, path)
			charts := b.checkCharts(t, path)
			svgs := eval[int](t, b, `Array.from(document.querySelectorAll('#board-pack [data-chart]')).filter(function (el) {
				return el.querySelector('svg') !== null; }).length`)
			canvases := eval[int](t, b, `document.querySelectorAll('#board-pack canvas').length`)
			if charts < 2 || svgs != charts || canvases > 0 {
				t.Errorf("%d charts, %d drawn as SVG, %d canvases: every chart of the pack should be SVG", charts, svgs, canvases)
			}
			if eval[bool](t, b, `document.querySelector('#print-pack').hidden`) {
				t.Error("the Print button is still hidden: heard-print.js did not run")
			}
			// What the page shows when printed, read with its print styles.
			b.emulateMedia(t, "print")
			printed := eval[string](t, b, `document.querySelector('main').innerText`)
			ranges := eval[[]string](t, b, `Array.from(document.querySelectorAll('#board-pack svg text')).map(function (e) {
				return e.textContent; }).filter(function (s) { return /^(max|min) /.test(s); })`)
			b.emulateVision(t, "achromatopsia")
			b.screenshot(t, "board-pack-"+name+"-print-greyscale")
			b.emulateVision(t, "none")
			b.emulateMedia(t, "")
			b.screenshot(t, "board-pack-"+name)

			res, err := chromedp.Call(b.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
			if err != nil {
				t.Fatalf("print to PDF: %v", err)
			}
			file := filepath.Join(b.artefacts, fileSafe(t.Name())+".pdf")
			if err := os.WriteFile(file, res.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("PDF: %s (%d bytes)", file, len(res.Data))
			if info := runTool(t, pdfinfo, file); !strings.Contains(info, "(A4)") {
				t.Errorf("the PDF is not A4:\n%s", info)
			}
			text := runTool(t, pdftotext, "-enc", "UTF-8", file, "-")
			checkPrintedPack(t, printed, text, ranges)
			// Every section is on the page and in the PDF.
			for id, heading := range map[string]string{"pack-summary": "In brief", "pack-headline": "The headline:",
				"pack-figures": "Every question’s figure", "pack-statements": "Results by statement",
				"pack-themes": "What people wrote about", "pack-actions": "You said, we did", "pack-context": "Beside England",
				"pack-about": "About these figures"} {
				if !eval[bool](t, b, `document.getElementById(`+jsString(id)+`) !== null`) || !strings.Contains(text, heading) {
					t.Errorf("the section %s (%q) is not on the page or not in the PDF", id, heading)
				}
			}
		})
	}
	b.checkRequests(t)
}

// startPackHeard serves the real handler with a board member's account
// (boardEmail) and the demo survey with something in every section of its
// pack: its comments' themes worked out (which trains the built-in theme
// model first, so that no page waits for it), an action done in March 2024
// on its headline question, and NHS Digital's figures loaded with Kirklees
// chosen. It returns the demo's slug.
func startPackHeard(t testing.TB) (*httptest.Server, string) {
	t.Helper()
	ctx := t.Context()
	st, _ := newStore(t)
	createSignIn(t, st, boardEmail, browserPassword, analytics.RoleBoard)
	admin := createAccount(t, st, "admin@example.org", analytics.RoleAdmin)
	srv, err := NewServer(st, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	demo := doReq(withToken{h: srv.Handler(), token: admin.token}, httptest.NewRequest("POST", "/demo", nil))
	if demo.Code != http.StatusSeeOther {
		t.Fatalf("load the demo: %d %s", demo.Code, demo.Body)
	}
	sv, err := st.SurveyBySlug(ctx, strings.TrimPrefix(demo.Header().Get("Location"), "/surveys/"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClassifyComments(ctx, sv.ID, nil); err != nil {
		t.Fatalf("work out the demo's comment themes: %v", err)
	}
	_, err = action.Save(ctx, st, 0, action.Params{Survey: sv.Name,
		Question: "Overall, how satisfied or dissatisfied are you with the assessment and care planning process?",
		Said:     "Nobody told us what the assessment would cover", Did: "A leaflet about the assessment is sent before the visit",
		Agreed: "2024-02-01", Done: "2024-03-15", Status: "done", Months: 2}, analytics.CommandLine("test"), time.Now())
	if err != nil {
		t.Fatalf("record an action: %v", err)
	}
	rep, err := ingest.ImportBenchmarkFile(ctx, st, ascofExcerpt, "excerpt.csv",
		ingest.BenchmarkParams{Year: "2020-21", By: analytics.CommandLine("test")})
	if err != nil || rep.Refused() {
		t.Fatalf("import the ASCOF excerpt: %v %+v", err, rep)
	}
	if _, err := report.ChooseCouncil(ctx, st, "E08000034", "", analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	return ts, sv.Slug
}

// checkPrintedPack compares the text of a printed pack (pdf, from
// pdftotext) with the page's text under its print styles (printed).
func checkPrintedPack(t *testing.T, printed, pdf string, chartLabels []string) {
	t.Helper()
	want, got := figureCounts(printed), figureCounts(pdf)
	total := 0
	for f, n := range want {
		total += n
		if got[f] < n {
			t.Errorf("the page shows %q %d times, the PDF %d times", f, n, got[f])
		}
	}
	if total < 100 || want["95%"] == 0 {
		t.Errorf("the printed page shows only %d figures: the check proves little", total)
	}
	flat := strings.Join(strings.Fields(pdf), " ")
	// The sparklines' "max 82.1%" and "min 61.2%" are drawn in the charts
	// themselves: found in the PDF's text, the charts printed as vectors.
	if len(chartLabels) < 4 {
		t.Errorf("the charts hold %d range labels: %q", len(chartLabels), chartLabels)
	}
	for _, l := range chartLabels {
		if !strings.Contains(flat, l) {
			t.Errorf("the chart label %q is not in the PDF's text: did the chart print as a picture?", l)
		}
	}
	for _, chrome := range []string{"Sign out", "Skip to main content", "Equality", "Print this pack", "Board view."} {
		if strings.Contains(flat, chrome) {
			t.Errorf("the PDF shows %q: navigation or buttons printed", chrome)
		}
	}
	// Each main section starts a page: its heading is the first line of a
	// page (pdftotext ends each page with a form feed).
	pages := strings.Split(pdf, "\f")
	for _, heading := range []string{"The headline:", "Every question’s figure"} {
		found := false
		for _, p := range pages {
			if strings.HasPrefix(strings.TrimSpace(p), heading) {
				found = true
			}
		}
		if !found {
			t.Errorf("no page of the PDF starts with %q", heading)
		}
	}
	if !strings.Contains(flat, "Board pack:") || len(pages) < 3 {
		t.Errorf("the PDF has %d pages and title %v", len(pages), strings.Contains(flat, "Board pack:"))
	}
}

// emulateMedia makes the page use the styles of a media type ("print"),
// or its own again ("").
func (b *browser) emulateMedia(t testing.TB, media string) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		t.Fatalf("emulate media %q: %v", media, err)
	}
}

// emulateVision shows the page as a person with a vision deficiency sees
// it ("achromatopsia": no colour at all), or as it is ("none").
func (b *browser) emulateVision(t testing.TB, kind emulation.SetEmulatedVisionDeficiencyType) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedVisionDeficiency, emulation.SetEmulatedVisionDeficiencyParams{Type: kind}); err != nil {
		t.Fatalf("emulate vision %q: %v", kind, err)
	}
}
