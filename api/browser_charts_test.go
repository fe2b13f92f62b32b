package api

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCharts draws heard's charts in headless Chromium at a desktop
// width (1366 x 900) and a phone's (390 x 844), on the demo survey and on
// a real Microsoft Forms export (a multiple-choice question, a number
// question and single-choice questions with many options). On every chart:
// it drew data; its legend, if any, is plain (not paged); its title and
// legend lie inside its element; its option carries the title, the source
// (the survey's name and "heard") and the date, which are therefore in the
// PNG getDataURL makes; that PNG is a real image; and a bar chart's
// intervals are one series drawn once per bar.
func TestBrowserCharts(t *testing.T) {
	exe := chromiumPath(t)
	ts, token := startHeard(t)
	b := newBrowser(t, exe, ts.URL)
	b.token = token
	b.signIn(t, browserEmail, browserPassword)
	b.open(t, "/")
	b.submit(t, `#demo-form button[type="submit"]`)
	b.chartPages(t, b.path(t), demoSurvey, "demo", map[string]bool{"scale": true})
	file := filepath.Join("..", "..", "shared", "data", "external", "msforms-phonebrandpred", "surveyEng.csv")
	if _, err := os.Stat(file); err != nil {
		t.Logf("the Microsoft Forms export is not here (%v): skipping the real export", err)
		return
	}
	b.chartPages(t, b.uploadFile(t, file, "Phones"), "Phones", "msforms",
		map[string]bool{"scale": true, "one choice": true, "several choices": true, "number": true})
}

// chartPages checks the charts of a survey's dashboard and of one question
// page of each kind wanted, at each width.
func (b *browser) chartPages(t *testing.T, dashboard, survey, name string, kinds map[string]bool) {
	t.Helper()
	b.open(t, dashboard)
	nav := b.links(t, `#survey-nav a`)
	b.open(t, nav["Questions"])
	type question struct{ Href, Kind string }
	qs := eval[[]question](t, b, `Array.from(document.querySelectorAll('#questions-list tbody tr')).map(function (tr) {
		return {href: tr.querySelector('a').getAttribute('href'), kind: tr.cells[1].innerText.trim()}; })`)
	paths := []string{dashboard}
	seen := map[string]bool{}
	for _, q := range qs {
		if kinds[q.Kind] && !seen[q.Kind] {
			seen[q.Kind] = true
			paths = append(paths, q.Href)
		}
	}
	for k := range kinds {
		if !seen[k] {
			t.Errorf("%s: no %s question to chart", name, k)
		}
	}
	made := time.Now().Format(time.DateOnly)
	for _, vp := range [][2]int64{{1366, 900}, {390, 844}} {
		run(t, b, "set the viewport", chromedp.EmulateViewport(vp[0], vp[1]))
		for i, p := range paths {
			b.open(t, p)
			where := fmt.Sprintf("%s at %d px", p, vp[0])
			if b.checkCharts(t, where) == 0 {
				t.Errorf("%s: no chart", where)
			}
			b.checkChartLayout(t, where, survey, made)
			b.screenshot(t, fmt.Sprintf("%s-%d-%d", name, i, vp[0]))
		}
	}
}

// chartLayout is what the page says of one chart with a heading.
type chartLayout struct {
	ID          string     `json:"id"`
	Width       float64    `json:"width"`
	Height      float64    `json:"height"`
	LegendTypes []string   `json:"legendTypes"`
	Title       string     `json:"title"`
	Graphic     []string   `json:"graphic"`
	Boxes       []labelBox `json:"boxes"`
	PNG         int        `json:"png"`
	Intervals   int        `json:"intervals"`
	Bars        int        `json:"bars"`
	Custom      int        `json:"custom"`
}

// labelBox is the bounding box of a text the chart drew, in the element's
// pixels, and which component drew it.
type labelBox struct {
	Text string  `json:"text"`
	Of   string  `json:"of"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// chartLayoutJS reads every chart with a heading (not the sparklines) from
// its ECharts instance: the option's legends and texts, the boxes of the
// title's and legend's texts as drawn (from the views ECharts keeps of its
// components), the PNG it exports, and for charts with intervals the
// number of custom series and of interval groups drawn.
const chartLayoutJS = `Array.from(document.querySelectorAll('[data-chart]')).filter(function (el) {
	return !el.classList.contains('heard-chart__canvas--sparkline'); }).map(function (el) {
	var inst = echarts.getInstanceByDom(el), o = inst.getOption();
	var boxes = [];
	['title', 'legend'].forEach(function (main) {
		(o[main] || []).forEach(function (_, i) {
			var model = inst.getModel().getComponent(main, i);
			var view = model && inst.getViewOfComponentModel(model);
			if (!view) { return; }
			view.group.traverse(function (node) {
				if (node.type !== 'text' || node.ignore || node.invisible || !node.style || !node.style.text) { return; }
				var r = node.getBoundingRect().clone();
				r.applyTransform(node.getComputedTransform());
				boxes.push({text: String(node.style.text), of: main, x: r.x, y: r.y, w: r.width, h: r.height});
			});
		});
	});
	var custom = (o.series || []).filter(function (s) { return s.type === 'custom'; });
	var bars = 0, intervals = 0;
	(o.series || []).forEach(function (s, i) {
		if (s.type === 'bar' && !s.stack) { bars += (s.data || []).filter(function (d) { return d !== null && d !== undefined; }).length; }
		if (s.type === 'custom') {
			var view = inst.getViewOfSeriesModel(inst.getModel().getSeriesByIndex(i));
			view.group.eachChild(function (g) { if (g.childCount && g.childCount() > 0) { intervals++; } });
		}
	});
	var png = inst.getDataURL({type: 'png', pixelRatio: 1, backgroundColor: '#ffffff'});
	return {id: el.id, width: el.clientWidth, height: el.clientHeight,
		legendTypes: (o.legend || []).map(function (l) { return String(l.type || 'plain') + (l.show === false ? ':hidden' : ''); }),
		title: (o.title || []).map(function (t) { return String(t.text || '') + '\n' + String(t.subtext || ''); }).join('\n'),
		graphic: ((o.graphic && o.graphic[0] && o.graphic[0].elements) || []).map(function (g) { return String((g.style && g.style.text) || ''); }),
		boxes: boxes, png: png.indexOf('data:image/png;base64,') === 0 ? png.length : 0,
		intervals: intervals, bars: bars, custom: custom.length};
})`

// checkChartLayout asserts what TestBrowserCharts promises of each chart
// of the page.
func (b *browser) checkChartLayout(t *testing.T, where, survey, made string) {
	t.Helper()
	for _, c := range eval[[]chartLayout](t, b, chartLayoutJS) {
		at := where + ": chart " + c.ID
		for _, lt := range c.LegendTypes {
			if lt != "plain" {
				t.Errorf("%s: a legend of type %q, want plain (never paged)", at, lt)
			}
		}
		footer := strings.Join(c.Graphic, "\n")
		flat := strings.Join(strings.Fields(footer), " ")
		if !strings.Contains(flat, survey) || !strings.Contains(flat, "heard") || !strings.Contains(flat, made) {
			t.Errorf("%s: the drawn footer %q lacks the source %q, heard or the date %s", at, footer, survey, made)
		}
		if strings.TrimSpace(c.Title) == "" {
			t.Errorf("%s: no title in the canvas", at)
		}
		titles, legends := 0, 0
		for _, box := range c.Boxes {
			if box.Of == "title" {
				titles++
			} else {
				legends++
			}
			if box.X < -0.5 || box.Y < -0.5 || box.X+box.W > c.Width+0.5 || box.Y+box.H > c.Height+0.5 {
				t.Errorf("%s: the %s text %q at (%.0f, %.0f) size %.0f x %.0f is outside the chart (%.0f x %.0f)",
					at, box.Of, box.Text, box.X, box.Y, box.W, box.H, c.Width, c.Height)
			}
		}
		if titles == 0 || (len(c.LegendTypes) > 0 && legends == 0) {
			t.Errorf("%s: found %d title and %d legend texts drawn", at, titles, legends)
		}
		if c.PNG < 2000 {
			t.Errorf("%s: getDataURL gave a PNG data URL of %d characters", at, c.PNG)
		}
		if c.Custom > 1 {
			t.Errorf("%s: %d interval series, want one", at, c.Custom)
		}
		if c.Custom == 1 && c.Bars > 0 && c.Intervals != c.Bars {
			t.Errorf("%s: %d intervals drawn for %d bars, want one each", at, c.Intervals, c.Bars)
		}
	}
}
