package dashboards

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// drawHarness runs heard-charts.js in Node against a fake DOM that throws
// on any use of innerHTML, then draws each option it passed to
// echarts.init with the real ECharts in server-side SVG mode. It prints,
// per chart: ready, error, height, the tooltip lines as text nodes, the
// download link, the series types and the SVG.
const drawHarness = `'use strict';
const fs = require('fs');
const vm = require('vm');
const [echartsPath, chartsPath, ...specPaths] = process.argv.slice(2);
const real = require(echartsPath);
function el(tag) {
  return {
    tagName: tag, children: [], attrs: {}, style: {}, textContent: '',
    appendChild(c) { this.children.push(c); return c; },
    setAttribute(k, v) { this.attrs[k] = String(v); },
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
    hasAttribute(k) { return k in this.attrs; },
    addEventListener() {},
    set innerHTML(v) { throw new Error('innerHTML used'); },
    set outerHTML(v) { throw new Error('outerHTML used'); },
  };
}
const blocks = specPaths.map((p, i) => { const b = el('script'); b.attrs['data-chart-for'] = 'c' + i; b.textContent = fs.readFileSync(p, 'utf8'); return b; });
const els = {};
blocks.forEach((b, i) => { const e = el('div'); e.parentNode = { insertBefore(n) { e.link = n; } }; els['c' + i] = e; });
const options = {};
const document = {
  readyState: 'complete', createElement: el, addEventListener() {},
  createTextNode(t) { return { textContent: t }; },
  querySelectorAll(sel) { return sel === 'script[type="application/json"][data-chart-for]' ? blocks : []; },
  getElementById(id) { return els[id] || null; },
};
const fake = { init(e) { return { setOption(o) { options[Object.keys(els).find(k => els[k] === e)] = o; }, resize() {}, getDataURL() { return 'data:image/png;base64,'; } }; } };
vm.runInNewContext(fs.readFileSync(chartsPath, 'utf8'), { window: { addEventListener() {} }, document, echarts: fake, console });
const out = Object.keys(els).map((id) => {
  const e = els[id], o = options[id], spec = JSON.parse(blocks[Number(id.slice(1))].textContent);
  const r = { ready: e.getAttribute('data-chart-ready'), error: e.getAttribute('data-chart-error'), height: e.style.height || '' };
  if (!o) return r;
  r.tooltips = spec.tooltips.map((_, i) => { const box = o.tooltip.formatter([{ dataIndex: i }]); return box.children.map(c => c.textContent); });
  r.link = e.link ? { download: e.link.attrs.download, text: e.link.children.map(c => c.textContent).join('') } : null;
  r.series = o.series.map(s => s.type + (typeof s.renderItem === 'function' ? ':function' : ''));
  const chart = real.init(null, null, { renderer: 'svg', ssr: true, width: 800, height: parseInt(r.height || '400', 10) });
  chart.setOption(o);
  r.svg = chart.renderToSVGString();
  chart.dispose();
  return r;
});
process.stdout.write(JSON.stringify(out));
`

// drawn is what drawHarness reports of one chart.
type drawn struct {
	Ready, Error, Height string
	Tooltips             [][]string
	Link                 *struct{ Download, Text string }
	Series               []string
	SVG                  string
}

// TestChartsDrawWithECharts runs heard-charts.js and the vendored ECharts
// on the hostile charts: each chart is drawn, marked ready, its tooltips
// are text nodes with exactly the lines of the spec, its custom series get
// their renderer, and the drawing holds the hostile texts escaped only.
func TestChartsDrawWithECharts(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: heard-charts.js is not run (the browser test covers it)")
	}
	dir := t.TempDir()
	all := hostileCharts(t, false)
	charts := append(all[:5:5], all[len(all)-2]) // one of each kind, a group's trend, and the themes
	args := []string{filepath.Join(dir, "harness.js"), mustAbs(t, filepath.Join("assets", EChartsAsset)),
		mustAbs(t, filepath.Join("assets", ChartsAsset))}
	if err := os.WriteFile(args[0], []byte(drawHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, c := range charts {
		p := filepath.Join(dir, "spec"+string(rune('0'+i))+".json")
		if err := os.WriteFile(p, []byte(c.JSON), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(node, args...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("node: %v\n%s", err, ee.Stderr)
	} else if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []drawn
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("harness output: %v", err)
	}
	for i, c := range charts {
		t.Run(string(c.Kind)+"-"+c.ID, func(t *testing.T) {
			checkDrawn(t, c, got[i])
		})
	}
}

// checkDrawn checks one chart as the harness drew it.
func checkDrawn(t *testing.T, c Chart, g drawn) {
	d := decode(t, c)
	if g.Ready != "1" || g.Error != "" || g.SVG == "" {
		t.Fatalf("not drawn: ready %q, error %q", g.Ready, g.Error)
	}
	if len(g.Tooltips) != len(d.Tooltips) {
		t.Fatalf("%d tooltips, want %d", len(g.Tooltips), len(d.Tooltips))
	}
	for i := range d.Tooltips {
		if !slices.Equal(g.Tooltips[i], d.Tooltips[i]) {
			t.Errorf("tooltip %d shows %q, want %q", i, g.Tooltips[i], d.Tooltips[i])
		}
	}
	if c.Kind == KindBreakdown && !slices.Contains(g.Series, "custom:function") {
		t.Errorf("series %q: the interval series has no renderer", g.Series)
	}
	if c.Kind == KindSparkline != (g.Link == nil) {
		t.Errorf("download link %+v", g.Link)
	} else if g.Link != nil && (g.Link.Download != d.Download || g.Link.Text != "Download chart as PNG: "+c.Title) {
		t.Errorf("download link %+v, want %q for %q", g.Link, d.Download, c.Title)
	}
	checkSVG(t, g.SVG)
	if c.Kind != KindSparkline && !strings.Contains(g.SVG, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the drawing does not show the title as escaped text")
	}
}

// checkSVG parses a drawing: it must hold only drawing elements, with no
// event handler or link attributes.
func checkSVG(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("the drawing is not well-formed: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch strings.ToLower(se.Name.Local) {
		case "script", "img", "image", "foreignobject", "iframe", "a", "use":
			t.Errorf("the drawing has a <%s> element", se.Name.Local)
		}
		for _, a := range se.Attr {
			if k := strings.ToLower(a.Name.Local); strings.HasPrefix(k, "on") || k == "href" {
				t.Errorf("<%s> has the attribute %s=%q", se.Name.Local, a.Name.Local, a.Value)
			}
		}
	}
}

func mustAbs(tb testing.TB, p string) string {
	tb.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}
