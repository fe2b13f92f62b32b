package api

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/heard-council/heard/dashboards"
)

func TestAssetCaching(t *testing.T) {
	srv, h := newTestServer(t)
	for _, c := range []struct {
		name, url, cache string
	}{
		{"current version", "/assets/heard.css?v=" + srv.assetVersion, "public, max-age=31536000, immutable"},
		{"old version", "/assets/heard.css?v=0000", "no-cache"},
		{"no version", "/assets/heard-charts.js", "no-cache"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.url)
			if rec.Code != 200 || rec.Header().Get("Cache-Control") != c.cache {
				t.Errorf("%d, Cache-Control %q; want 200, %q", rec.Code, rec.Header().Get("Cache-Control"), c.cache)
			}
		})
	}
	for _, bad := range []string{"/assets/", "/assets/../server.go", "/assets/vendor/echarts", "/assets/nope.css"} {
		if rec := get(t, h, bad); rec.Code != 404 && rec.Code != 301 {
			t.Errorf("GET %s: %d", bad, rec.Code)
		}
	}
}

// TestOwnAssetsNameNoHost checks that heard's own chart script and style
// load nothing from another host. (ECharts itself holds namespace URIs such
// as the SVG one, which name no resource to fetch; the browser test records
// every request a page sends.)
func TestOwnAssetsNameNoHost(t *testing.T) {
	for _, name := range []string{dashboards.ChartsAsset, dashboards.StyleAsset} {
		b, err := fs.ReadFile(dashboards.Assets(), name)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url(http", "url(//"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}
