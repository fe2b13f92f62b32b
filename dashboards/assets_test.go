package dashboards

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func readAsset(tb testing.TB, name string) string {
	tb.Helper()
	b, err := fs.ReadFile(Assets(), name)
	if err != nil {
		tb.Fatalf("asset %s: %v", name, err)
	}
	return string(b)
}

func TestAssetsHoldECharts(t *testing.T) {
	js := readAsset(t, EChartsAsset)
	if len(js) < 500_000 || !strings.Contains(js, `version="6.1.0"`) && !strings.Contains(js, `"6.1.0"`) {
		t.Errorf("%s is %d bytes and does not name version 6.1.0", EChartsAsset, len(js))
	}
	for _, f := range []string{"vendor/echarts/LICENSE", "vendor/echarts/NOTICE", "vendor/echarts/LICENSE-d3", "vendor/echarts/README.md"} {
		if readAsset(t, f) == "" {
			t.Errorf("%s is empty", f)
		}
	}
	if !strings.Contains(readAsset(t, "vendor/echarts/LICENSE"), "Apache License") {
		t.Error("the ECharts licence is not the Apache License")
	}
}

// TestEChartsFetchesNothing lists the absolute URLs in the vendored
// ECharts: only licence comments and XML namespace names, which browsers
// never fetch, and no API that makes a request. A new version that adds
// one fails here and must be looked at.
func TestEChartsFetchesNothing(t *testing.T) {
	js := readAsset(t, EChartsAsset)
	allowed := []string{
		"http://www.apache.org/licenses/LICENSE-2.0", "https://github.com/ecomfe/zrender/blob/master/LICENSE",
		"http://www.w3.org/1999/xlink", "http://www.w3.org/2000/svg", "http://www.w3.org/2000/xmlns/",
		"http://www.w3.org/XML/1998/namespace",
	}
	for _, u := range regexp.MustCompile(`(?i)https?://[a-z0-9._/~%?#=&:-]+`).FindAllString(js, -1) {
		if !slices.Contains(allowed, u) {
			t.Errorf("echarts.min.js refers to %s", u)
		}
	}
	for _, api := range []string{"XMLHttpRequest", "fetch(", "importScripts", "sendBeacon", "WebSocket", "EventSource"} {
		if strings.Contains(js, api) {
			t.Errorf("echarts.min.js uses %s", api)
		}
	}
}

func TestOwnAssetsStayLocal(t *testing.T) {
	for _, name := range []string{ChartsAsset, StyleAsset} {
		s := readAsset(t, name)
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url(", "innerHTML", "outerHTML",
			"insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	js := readAsset(t, ChartsAsset)
	for _, want := range []string{rendererIntervalH + ":", "data-chart-ready", "data-chart-for", "textContent", "getDataURL",
		"aria", "JSON.parse"} {
		if !strings.Contains(js, want) {
			t.Errorf("%s lacks %q", ChartsAsset, want)
		}
	}
}

func TestAssetVersion(t *testing.T) {
	v, err := AssetVersion()
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(v) {
		t.Fatalf("AssetVersion() = %q, %v", v, err)
	}
	if again, _ := AssetVersion(); again != v {
		t.Errorf("AssetVersion changed from %s to %s", v, again)
	}
}
