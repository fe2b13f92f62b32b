package dashboards

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// The names of the assets in Assets, for <script src> and <link href>.
const (
	// EChartsAsset is Apache ECharts 6.1.0, vendored with its licence
	// (vendor/echarts/LICENSE, NOTICE, LICENSE-d3).
	EChartsAsset = "vendor/echarts/echarts.min.js"
	// ChartsAsset initialises every chart of a page from its JSON block.
	ChartsAsset = "heard-charts.js"
	// StyleAsset styles charts, their tables and download links.
	StyleAsset = "heard.css"
)

//go:embed assets templates
var embedded embed.FS

// Assets returns the static files a page with charts needs, to be served
// under /assets/: EChartsAsset, ChartsAsset and StyleAsset, and ECharts'
// licence files beside it. Load ECharts before heard-charts.js (both with
// defer, in that order).
func Assets() fs.FS {
	return sub("assets")
}

// Templates returns the html/template files that place a chart and its
// table on a page (chart.html, defining "heard-chart", "heard-chart-canvas"
// and "heard-table"); parse them with template.ParseFS(Templates(),
// "*.html").
func Templates() fs.FS {
	return sub("templates")
}

// sub returns a folder of the embedded files.
func sub(dir string) fs.FS {
	f, err := fs.Sub(embedded, dir)
	if err != nil { // only for an invalid name, which dir is not
		panic(fmt.Sprintf("dashboards: embedded folder %q: %v", dir, err))
	}
	return f
}

// AssetVersion returns a short hash of the content of every asset, to put
// in their URLs (/assets/heard-charts.js?v=VERSION) so that browsers may
// cache them for long and still fetch a new release. Compute it once at
// start-up: it reads every asset.
func AssetVersion() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(embedded, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := embedded.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash the chart assets: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
