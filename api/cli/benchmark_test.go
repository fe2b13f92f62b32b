package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"
)

// realASCOF is NHS Digital's 2020-21 ASCOF open data as a workbook, beside
// the repository (../shared/data/external/PROVENANCE.md).
var realASCOF = filepath.Join("..", "..", "..", "shared", "data", "external", "ascof-nhs-digital",
	"meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx")

// ascofExcerpt is the CSV excerpt of the same file kept in testdata.
var ascofExcerpt = fixture("meas-from-asc-of-eng-2021-open-data-excerpt.csv")

// publishedRow is one area's five values of one measure, as the file has
// them, read independently of heard.
type publishedRow struct {
	code, nhsCode, name, level string
	values                     map[string]*float64 // by measure type as the file writes it
}

// expectedValue reads a cell as the test expects heard to: a number, or
// missing (nil) for anything else the file holds ([x], [c]).
func expectedValue(t testing.TB, cell string) *float64 {
	t.Helper()
	if cell == "[x]" || cell == "[c]" {
		return nil
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		t.Fatalf("the file holds %q, which the test does not expect", cell)
	}
	return &v
}

// publishedByArea groups rows of the long file (as read independently) by
// measure, disaggregation and area.
func publishedByArea(t testing.TB, rows [][]string) map[string]*publishedRow {
	t.Helper()
	levels := map[string]string{"Council": "council", "Region": "region", "Council Type": "council-type", "England": "england"}
	out := map[string]*publishedRow{}
	for _, r := range rows {
		k := r[4] + "|" + r[5] + "|" + r[0]
		p := out[k]
		if p == nil {
			code := r[3]
			if code == "" {
				code = r[0]
			}
			p = &publishedRow{code: code, nhsCode: r[0], name: r[1], level: levels[r[2]], values: map[string]*float64{}}
			out[k] = p
		}
		if _, twice := p.values[r[6]]; twice {
			t.Fatalf("the file gives %s %s twice", k, r[6])
		}
		p.values[r[6]] = expectedValue(t, r[7])
	}
	return out
}

// readWorkbookRows reads the real workbook's data rows with excelize itself.
func readWorkbookRows(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < 10 {
			rows[i] = append(rows[i], "")
		}
	}
	return rows[1:]
}

// readCSVFileRows reads a CSV file's data rows with encoding/csv.
func readCSVFileRows(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// listJSON runs `heard benchmark list --json` and decodes its lines.
func listJSON(t testing.TB, db string, args ...string) []report.BenchmarkJSON {
	t.Helper()
	code, out, errOut := cli(t, RunBenchmark, append([]string{"list", "--db", db, "--json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("benchmark list %v: exit %d: %s", args, code, errOut)
	}
	var list []report.BenchmarkJSON
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var b report.BenchmarkJSON
		if err := json.Unmarshal([]byte(line), &b); err != nil {
			t.Fatalf("not one JSON object a line: %q: %v", line, err)
		}
		list = append(list, b)
	}
	return list
}

// sameValue reports whether heard's value is the file's: both missing, or
// the same number exactly.
func sameValue(got, want *float64) bool {
	return got == nil && want == nil || got != nil && want != nil && *got == *want
}

// checkListed compares every listed row with the file's values.
func checkListed(t testing.TB, list []report.BenchmarkJSON, want map[string]*publishedRow) {
	t.Helper()
	for _, b := range list {
		p := want[b.Measure+"|"+b.Disaggregation+"|"+b.NHSCode]
		if p == nil {
			t.Errorf("heard lists %s %s %s, which the file lacks", b.Measure, b.Disaggregation, b.NHSCode)
			continue
		}
		if b.Code != p.code || b.Name != p.name || b.Level != p.level {
			t.Errorf("%s: code %q name %q level %q, want %q %q %q", p.nhsCode, b.Code, b.Name, b.Level, p.code, p.name, p.level)
		}
		for kind, got := range map[string]*float64{"Outcome": b.Outcome, "Base": b.Base, "Margin Of Error": b.MarginOfError,
			"Numerator": b.Numerator, "Denominator": b.Denominator} {
			if w, ok := p.values[kind]; !ok && got != nil || !sameValue(got, w) {
				t.Errorf("%s %s %s (%s) %s: heard has %v, the file %v", b.Measure, b.Disaggregation, b.Name, b.Level, kind, deref(got), deref(w))
			}
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return "missing"
	}
	return *v
}

// TestBenchmarkImportRealASCOF imports NHS Digital's real 2020-21 workbook
// and checks that heard gives back every published 3A value (outcome,
// base, margin of error, numerator, denominator) of every council,
// region, council type and England exactly, and as missing where the file
// suppresses it; then every value of every other measure too. The
// expected values are read from the workbook with excelize directly.
func TestBenchmarkImportRealASCOF(t *testing.T) {
	if _, err := os.Stat(realASCOF); err != nil {
		t.Skipf("the real ASCOF file is not here (%v); it lives in ../shared/data/external/ascof-nhs-digital", err)
	}
	rows := readWorkbookRows(t, realASCOF)
	want := publishedByArea(t, rows)
	missing := 0
	for _, r := range rows {
		if _, err := strconv.ParseFloat(r[7], 64); err != nil {
			missing++
		}
	}
	db := storetest.NewDB(t)
	code, out, errOut := cli(t, RunBenchmark, "import", "--db", db, "--json", realASCOF)
	if code != ExitOK {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	var rep ingest.BenchmarkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Format != "xlsx" || len(rep.Years) != 1 || rep.Years[0] != (ingest.BenchmarkYearReport{Year: "2020-21", Rows: len(rows), Missing: missing}) {
		t.Fatalf("report %+v; want 2020-21 (from the file's name) with %d values, %d missing", rep, len(rows), missing)
	}

	list := listJSON(t, db, "--measure", "3A")
	levels := map[string]int{}
	published := 0
	for _, b := range list {
		levels[b.Level]++
		if b.Outcome != nil {
			published++
		}
	}
	if len(list) != 166 || !reflect.DeepEqual(levels, map[string]int{"council": 151, "region": 9, "council-type": 5, "england": 1}) || published != 18 {
		t.Fatalf("3A: %d rows by level %v, %d with an outcome; want 151 councils, 9 regions, 5 council types and England, 18 published", len(list), levels, published)
	}
	checkListed(t, list, want)
	for _, b := range list {
		if b.NHSCode == "211" && (b.Outcome == nil || *b.Outcome != 66.7 || *b.Base != 490 || *b.MarginOfError != 4.1 || b.Code != "E08000034") {
			t.Errorf("Kirklees: %+v; the file says outcome 66.7, base 490, margin of error 4.1", b)
		}
	}

	// Every other value of the file, measure by measure.
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	measures, err := st.BenchmarkMeasures(t.Context(), "2020-21")
	if err != nil || len(measures) != 79 {
		t.Fatalf("measures: %v %v", measures, err)
	}
	seen := 0
	for _, m := range measures {
		all, err := report.Benchmarks(t.Context(), st, report.BenchmarkParams{Measure: m})
		if err != nil {
			t.Fatal(err)
		}
		checkListed(t, all, want)
		seen += len(all)
	}
	if seen != len(want) {
		t.Errorf("heard lists %d area figures across all measures, the file has %d", seen, len(want))
	}
}

// TestBenchmarkImportCSV imports the CSV excerpt: the year comes from its
// name, [x] and [c] are missing, a second import of the year replaces the
// first, and with the real workbook here, the CSV gives the same figures.
func TestBenchmarkImportCSV(t *testing.T) {
	db := storetest.NewDB(t)
	code, out, errOut := cli(t, RunBenchmark, "import", "--db", db, ascofExcerpt)
	if code != ExitOK || !strings.Contains(out, "imported the ASCOF figures of 2020-21") || !strings.Contains(out, "161 values stored") {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	want := publishedByArea(t, readCSVFileRows(t, ascofExcerpt))
	list := listJSON(t, db, "--measure", "3a", "--level", "region")
	if len(list) != 9 {
		t.Fatalf("regions: %d rows", len(list))
	}
	checkListed(t, list, want)
	kirklees := listJSON(t, db, "--measure", "3A", "--level", "council")
	checkListed(t, kirklees, want)
	if len(kirklees) != 15 {
		t.Errorf("Yorkshire and The Humber councils: %d rows, want 15", len(kirklees))
	}
	c := listJSON(t, db, "--measure", "1EF")
	if len(c) != 1 || c[0].Numerator != nil || c[0].Disaggregation != "Female" {
		t.Errorf("[c] must be missing: %+v", c)
	}

	code, out, _ = cli(t, RunBenchmark, "import", "--db", db, "--json", ascofExcerpt)
	var rep ingest.BenchmarkReport
	if json.Unmarshal([]byte(out), &rep); code != ExitOK || len(rep.Years) != 1 || rep.Years[0].Replaced != 161 || rep.Years[0].Rows != 161 {
		t.Fatalf("second import: exit %d, %+v", code, rep)
	}
	if again := listJSON(t, db, "--measure", "3A"); len(again) != 30 {
		t.Errorf("after the second import 3A has %d areas, want 30 (nothing doubled)", len(again))
	}

	if _, err := os.Stat(realASCOF); err != nil {
		t.Logf("the real workbook is not here, so the CSV is not compared with it: %v", err)
		return
	}
	checkListed(t, listJSON(t, db, "--measure", "3A"), publishedByArea(t, readWorkbookRows(t, realASCOF)))
}

// TestBenchmarkImportRefused checks that a bad value is refused with its
// file, row and column, and that nothing of the file is stored: the year
// imported before stays as it was.
func TestBenchmarkImportRefused(t *testing.T) {
	db := storetest.NewDB(t)
	if code, _, errOut := cli(t, RunBenchmark, "import", "--db", db, ascofExcerpt); code != ExitOK {
		t.Fatalf("import: %s", errOut)
	}
	before := listJSON(t, db, "--measure", "3A")
	lines := readCSVFileRows(t, ascofExcerpt)
	bad := filepath.Join(t.TempDir(), "ascof-2020-21.csv")
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Geographical Code", "Geographical Description", "Geographical Level", "ONS Code", "ASCOF Measure Code",
		"Disaggregation Level", "Measure Type", "Measure Value"})
	for i, r := range lines[:40] {
		r = slices.Clone(r[:8])
		r[7] = "[x]" // every value of the year would change...
		if i == 30 {
			r[7] = "sixty" // ...but row 32 is not a number
		}
		w.Write(r)
	}
	w.Flush()
	if err := os.WriteFile(bad, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := cli(t, RunBenchmark, "import", "--db", db, bad)
	if code != ExitRefused || !strings.Contains(out, "refused, nothing was stored") ||
		!strings.Contains(out, `ascof-2020-21.csv, row 32, column "Measure Value": "sixty" is neither a number`) {
		t.Fatalf("exit %d: %s", code, out)
	}
	if after := listJSON(t, db, "--measure", "3A"); !reflect.DeepEqual(after, before) {
		t.Errorf("a refused file changed the stored figures")
	}
	code, _, errOut := cli(t, RunBenchmark, "import", "--db", db, "--year", "2020", ascofExcerpt)
	if code != ExitUsage || !strings.Contains(errOut, "not a financial year") {
		t.Errorf("--year 2020: exit %d: %s", code, errOut)
	}
	code, _, errOut = cli(t, RunBenchmark, "list", "--db", db, "--measure", "9Z")
	if code != ExitUsage || !strings.Contains(errOut, "--measure 9Z is not in the ASCOF figures loaded (2020-21: 1A, 1EF, 3A, 3A65OV)") {
		t.Errorf("unknown measure: exit %d: %s", code, errOut)
	}
}

// TestBenchmarkListJSONShape checks the JSON a row prints: every key
// present, a suppressed value null rather than left out or 0.
func TestBenchmarkListJSONShape(t *testing.T) {
	db := storetest.NewDB(t)
	if code, _, errOut := cli(t, RunBenchmark, "import", "--db", db, ascofExcerpt); code != ExitOK {
		t.Fatalf("import: %s", errOut)
	}
	code, out, _ := cli(t, RunBenchmark, "list", "--db", db, "--measure", "3A", "--level", "england", "--json")
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	want := map[string]any{"year": "2020-21", "measure": "3A", "disaggregation": "Total", "code": "E92000001", "nhs_code": "England",
		"name": "England", "level": "england", "outcome": nil, "base": nil, "margin_of_error": nil, "numerator": nil, "denominator": nil}
	if !reflect.DeepEqual(raw, want) {
		t.Errorf("England: %v\nwant %v", raw, want)
	}
	code, out, _ = cli(t, RunBenchmark, "list", "--db", db, "--measure", "3A", "--level", "council", "--json")
	kirklees := map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		if m["code"] == "E08000034" {
			kirklees = m
		}
	}
	if kirklees["outcome"] != 66.7 || kirklees["base"] != 490.0 || kirklees["margin_of_error"] != 4.1 || kirklees["name"] != "Kirklees" {
		t.Errorf("Kirklees: %v", kirklees)
	}
	code, out, _ = cli(t, RunBenchmark, "list", "--db", db, "--measure", "3A", "--level", "council")
	if code != ExitOK || !strings.Contains(out, "E08000034  Kirklees") || !strings.Contains(out, "66.7") || !strings.Contains(out, "not published") {
		t.Errorf("table: exit %d:\n%s", code, out)
	}
}

// TestBenchmarkCouncilCommand chooses the council: its region from heard's
// lookup, or as given; a council not in the figures is refused.
func TestBenchmarkCouncilCommand(t *testing.T) {
	db := storetest.NewDB(t)
	code, _, errOut := cli(t, RunBenchmark, "council", "--db", db, "--code", "E08000034")
	if code != ExitUsage || !strings.Contains(errOut, "no ASCOF figures are loaded yet") {
		t.Fatalf("before any import: exit %d: %s", code, errOut)
	}
	if code, _, errOut := cli(t, RunBenchmark, "import", "--db", db, ascofExcerpt); code != ExitOK {
		t.Fatalf("import: %s", errOut)
	}
	code, out, errOut := cli(t, RunBenchmark, "council", "--db", db, "--code", "e08000034")
	if code != ExitOK || !strings.Contains(out, "Kirklees (E08000034) with Yorkshire and The Humber (heard's lookup") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	code, out, _ = cli(t, RunBenchmark, "council", "--db", db, "--json")
	var got struct {
		Council, Region struct{ Code, Name string }
		RegionChosen    bool `json:"region_chosen"`
	}
	if json.Unmarshal([]byte(out), &got); code != ExitOK || got.Council.Code != "E08000034" || got.Region.Code != "E12000003" || got.RegionChosen {
		t.Errorf("--json: exit %d: %s", code, out)
	}
	code, out, _ = cli(t, RunBenchmark, "council", "--db", db, "--code", "211", "--region", "north east")
	if code != ExitOK || !strings.Contains(out, "with North East (chosen by an admin") {
		t.Errorf("--region: exit %d: %s", code, out)
	}
	code, _, errOut = cli(t, RunBenchmark, "council", "--db", db, "--code", "E09000002")
	if code != ExitUsage || !strings.Contains(errOut, `--code "E09000002" is not a council in the ASCOF figures loaded`) {
		t.Errorf("a council the excerpt lacks: exit %d: %s", code, errOut)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	set, ok, err := st.BenchmarkCouncil(t.Context())
	st.Close()
	if err != nil || !ok || set.Council != "E08000034" || set.Region != "E12000001" {
		t.Errorf("a refused choice changed the council: %+v %v %v", set, ok, err)
	}
	code, out, _ = cli(t, RunBenchmark, "council", "--db", db, "--clear")
	if code != ExitOK || !strings.Contains(out, "No council is chosen now") {
		t.Errorf("--clear: exit %d: %s", code, out)
	}
	if _, ok := analytics.RegionOf("E08000034"); !ok {
		t.Error("Kirklees has no region in heard's lookup")
	}
}
