package api

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
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
// opens the board pack of the demo survey from its dashboard, for the
// period the dashboard leads with and for May 2024: its charts are drawn
// as SVG (no canvas) and its Print button is shown (by heard-print.js: the
// pages allow no inline script). Then it prints the pack (the DevTools
// protocol's Page.printToPDF, with the page's own @page size) to a PDF
// that must be A4 and whose text, read back with pdftotext, holds every
// figure the page shows when printed, each at least as many times as the
// page does; the charts' own labels (so they printed as vector text, not
// as a picture); no navigation; and each main section at the top of a
// page. The PDFs and screenshots (one as a person without colour vision
// sees it) are kept among the artefacts.
func TestBrowserBoardPack(t *testing.T) {
	exe := chromiumPath(t)
	pdftotext, pdfinfo := pdfTool(t, "pdftotext"), pdfTool(t, "pdfinfo")
	ts, slugs := startBoardHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.signIn(t, boardEmail, browserPassword)
	dashboard := "/surveys/" + slugs[0]
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
		})
	}
	b.checkRequests(t)
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
