package importers

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics"
)

func TestParseBenchmarkValue(t *testing.T) {
	for _, missing := range []string{"", " ", "[x]", "[X]", "[c]", "[z]", "[u]", "[low]", "..", ".", "*", "-", "–", "x", "c", "n/a"} {
		if v, err := ParseBenchmarkValue(missing); err != nil || v != nil {
			t.Errorf("%q: got %v, %v; want missing (nil), no error", missing, v, err)
		}
	}
	for text, want := range map[string]float64{
		"66.7": 66.7, "4.0999999999999996": 4.1, "0": 0, "490": 490, " 12 ": 12, "1,234": 1234, "1,234.5": 1234.5,
		"-3.5": -3.5, "1.5E-3": 0.0015, ".5": 0.5,
	} {
		v, err := ParseBenchmarkValue(text)
		if err != nil || v == nil || *v != want {
			t.Errorf("%q: got %v, %v; want %v", text, v, err, want)
		}
	}
	for _, bad := range []string{"12%", "n.a.", "NaN", "Inf", "-Infinity", "0x10", "1,23", "12,3456", "1 234", "=1+1", "[y]", "66.7 [p]"} {
		if v, err := ParseBenchmarkValue(bad); err == nil {
			t.Errorf("%q: got %v, want an error", bad, v)
		} else if !strings.Contains(err.Error(), strconv.Quote(bad)) {
			t.Errorf("%q: the message does not quote the cell: %v", bad, err)
		}
	}
}

func TestBenchmarkYearFromName(t *testing.T) {
	for name, want := range map[string]string{
		"meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx": "2020-21",
		"/tmp/x/meas-from-asc-of-eng-2122-open-data.csv":  "2021-22",
		"ascof-2023-24.csv":                       "2023-24",
		"ASCOF_2019_20.xlsx":                      "2019-20",
		"meas-from-asc-of-eng-2023-open-data.csv": "", // 20 and 23 are not one year apart
		"ascof.csv":                               "",
		"ascof-2021.csv":                          "", // a calendar year, or 2020-21? heard does not guess
	} {
		got, ok := BenchmarkYearFromName(name)
		if got != want || ok != (want != "") {
			t.Errorf("%s: got %q %v, want %q", name, got, ok, want)
		}
	}
}

// writeBenchmarkCSV writes lines as a CSV file in a temporary folder.
func writeBenchmarkCSV(t testing.TB, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const benchmarkHeader = "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,Disaggregation Level,Measure Type,Measure Value"

// readAllBenchmarks reads a benchmark file to its end, returning the values
// and the first error other than io.EOF.
func readAllBenchmarks(t testing.TB, path string, opts BenchmarkOptions) ([]analytics.BenchmarkValue, error) {
	t.Helper()
	r, err := OpenBenchmark(path, filepath.Base(path), opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []analytics.BenchmarkValue
	for {
		v, _, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

func TestBenchmarkReader(t *testing.T) {
	path := writeBenchmarkCSV(t, "ascof-2020-21.csv", benchmarkHeader,
		"211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7",
		"211,Kirklees,Council,E08000034,3A,Total,Margin Of Error,[x]",
		"YH,Yorkshire and The Humber,Region,E12000003,3A,Total,Base,..",
		"M,Metropolitan District,Council Type,,3A,Total,Numerator,0",
		"England,England,National,E92000001,3A,Total,Denominator,*")
	got, err := readAllBenchmarks(t, path, BenchmarkOptions{})
	if err != nil || len(got) != 5 {
		t.Fatalf("got %d values, %v", len(got), err)
	}
	k := got[0]
	if k.Year != "2020-21" || k.Measure != "3A" || k.Disaggregation != "Total" || k.Type != analytics.TypeOutcome || k.Value == nil || *k.Value != 66.7 ||
		k.Area != (analytics.BenchmarkArea{Code: "211", Name: "Kirklees", Level: analytics.LevelCouncil, ONSCode: "E08000034"}) {
		t.Errorf("Kirklees: %+v", k)
	}
	if got[1].Value != nil || got[2].Value != nil || got[4].Value != nil {
		t.Errorf("missing values read as numbers: %v %v %v", got[1].Value, got[2].Value, got[4].Value)
	}
	if got[3].Value == nil || *got[3].Value != 0 || got[3].Area.Level != analytics.LevelCouncilType || got[3].Area.Key() != "M" {
		t.Errorf("a real zero must stay a zero: %+v", got[3])
	}
	if got[4].Area.Level != analytics.LevelEngland || got[2].Type != analytics.TypeBase {
		t.Errorf("levels and types: %+v %+v", got[4], got[2])
	}
	// --year decides where the name does not say.
	plain := writeBenchmarkCSV(t, "ascof.csv", benchmarkHeader, "211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7")
	if vs, err := readAllBenchmarks(t, plain, BenchmarkOptions{Year: "2022-23"}); err != nil || vs[0].Year != "2022-23" {
		t.Errorf("--year: %v %v", vs, err)
	}
}

func TestBenchmarkReaderErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		lines []string
		// want are parts of the message; row and column are where it
		// must point.
		want   []string
		row    int
		column string
	}{
		{"a value that is not a number", []string{benchmarkHeader,
			"211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7",
			"211,Kirklees,Council,E08000034,3A,Total,Base,about 490"},
			[]string{`"about 490" is neither a number nor a mark`}, 3, "Measure Value"},
		{"a percentage sign", []string{benchmarkHeader, "211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7%"},
			[]string{`"66.7%"`}, 2, "Measure Value"},
		{"an unknown measure type", []string{benchmarkHeader, "211,Kirklees,Council,E08000034,3A,Total,Median,5"},
			[]string{`"Median" is not a measure type`}, 2, "Measure Type"},
		{"an unknown level", []string{benchmarkHeader, "211,Kirklees,Ward,E08000034,3A,Total,Outcome,5"},
			[]string{`"Ward" is not a level of area`}, 2, "Geographical Level"},
		{"one code, two names", []string{benchmarkHeader,
			"211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7",
			"211,Calderdale,Council,E08000034,3A,Total,Base,490"},
			[]string{`area 211 has the name "Calderdale" here but "Kirklees" on row 2`}, 3, "Geographical Description"},
		{"an empty area code", []string{benchmarkHeader, ",Kirklees,Council,E08000034,3A,Total,Outcome,66.7"},
			[]string{"this cell is empty"}, 2, "Geographical Code"},
		{"not ASCOF at all", []string{"Name,Score", "Ann,3"},
			[]string{"not NHS Digital's ASCOF open data", "Geographical Code", "Measure Value"}, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeBenchmarkCSV(t, "ascof-2020-21.csv", c.lines...)
			_, err := readAllBenchmarks(t, path, BenchmarkOptions{})
			var ie *analytics.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an *analytics.ImportError", err)
			}
			if ie.File != "ascof-2020-21.csv" || ie.Row != c.row || ie.Column != c.column {
				t.Errorf("placed at file %q row %d column %q, want row %d column %q: %v", ie.File, ie.Row, ie.Column, c.row, c.column, ie)
			}
			for _, w := range c.want {
				if !strings.Contains(ie.Error(), w) {
					t.Errorf("message %q lacks %q", ie.Error(), w)
				}
			}
		})
	}
	t.Run("no year anywhere", func(t *testing.T) {
		path := writeBenchmarkCSV(t, "ascof.csv", benchmarkHeader, "211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7")
		_, err := readAllBenchmarks(t, path, BenchmarkOptions{})
		if err == nil || !strings.Contains(err.Error(), "--year") {
			t.Fatalf("got %v, want a message asking for --year", err)
		}
	})
	t.Run("a year column that disagrees with --year", func(t *testing.T) {
		path := writeBenchmarkCSV(t, "ascof.csv", benchmarkHeader+",Year", "211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7,2021-22")
		_, err := readAllBenchmarks(t, path, BenchmarkOptions{Year: "2020-21"})
		var ie *analytics.ImportError
		if !errors.As(err, &ie) || ie.Row != 2 || ie.Column != "Year" {
			t.Fatalf("got %v", err)
		}
	})
}

// realASCOF is the real 2020-21 ASCOF workbook beside the repository.
const realASCOF = "ascof-nhs-digital/meas-from-asc-of-eng-2021-open-data-csv_v2.xlsx"

// TestRegionsAddUp checks heard's lookup of councils to regions
// (analytics.RegionOf) against the real 2020-21 file, read with excelize
// directly: every council in the file has a region, and for every
// measure, disaggregation and region whose councils all publish a
// numerator, the region's published numerator is the sum of its councils'.
// Putting any council in the wrong region breaks some sum.
func TestRegionsAddUp(t *testing.T) {
	rows := realASCOFRows(t, externalFile(t, realASCOF))
	type key struct{ measure, disagg string }
	councils := map[key]map[string]string{} // numerators by council ONS code
	regions := map[key]map[string]string{}  // numerators by region ONS code
	known := map[string]bool{}
	for _, r := range rows {
		level, ons, measure, disagg, kind, value := r[2], r[3], r[4], r[5], r[6], r[7]
		if level == "Council" {
			if _, ok := analytics.RegionOf(ons); !ok {
				t.Errorf("%s (%s) has no region", r[1], ons)
			}
			known[ons] = true
		}
		if kind != "Numerator" {
			continue
		}
		k := key{measure, disagg}
		switch level {
		case "Council":
			if councils[k] == nil {
				councils[k] = map[string]string{}
			}
			councils[k][ons] = value
		case "Region":
			if regions[k] == nil {
				regions[k] = map[string]string{}
			}
			regions[k][ons] = value
		}
	}
	checked := 0
	for k, byRegion := range regions {
		sums, complete := map[string]float64{}, map[string]bool{}
		for ons := range byRegion {
			complete[ons] = true
		}
		for ons, text := range councils[k] {
			region, _ := analytics.RegionOf(ons)
			v, err := strconv.ParseFloat(text, 64)
			if err != nil {
				complete[region] = false
				continue
			}
			sums[region] += v
		}
		for region, text := range byRegion {
			want, err := strconv.ParseFloat(text, 64)
			if err != nil || !complete[region] {
				continue
			}
			if math.Abs(sums[region]-want) > 0.5 {
				t.Errorf("%s %s, region %s: the councils' numerators add up to %v, the region's is %v", k.measure, k.disagg, region, sums[region], want)
			}
			checked++
		}
	}
	if len(known) != 151 || checked < 250 {
		t.Fatalf("checked %d regional sums over %d councils; want 151 councils and hundreds of sums", checked, len(known))
	}
	t.Logf("%d regional numerators equal the sums of their councils' over %d councils", checked, len(known))
}

// realASCOFRows reads the data rows of the real workbook with excelize
// itself (not heard's readers): raw cell values, header row dropped.
func realASCOFRows(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for len(cells) < 10 {
			cells = append(cells, "")
		}
		out = append(out, cells)
	}
	if len(out) != 48_971 || out[0][7] != "Measure Value" {
		t.Fatalf("the real file has %d rows (want 48,971 with the header), header %q", len(out), out[0])
	}
	return out[1:]
}

// FuzzBenchmarkReader reads any CSV as a benchmark file: it returns values
// or an *analytics.ImportError placed on a row of the file, never panics,
// and a value it returns is a finite number or missing.
func FuzzBenchmarkReader(f *testing.F) {
	f.Add(benchmarkHeader + "\n211,Kirklees,Council,E08000034,3A,Total,Outcome,66.7\n")
	f.Add(benchmarkHeader + "\n211,Kirklees,Council,E08000034,3A,Total,Base,[x]\nYH,Yorkshire,Region,E12000003,3A,Total,Margin Of Error,1e308\n")
	f.Add(benchmarkHeader + ",Year\nEngland,England,England,E92000001,3A,Total,Numerator,1,234,2020/21\n")
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(t.TempDir(), "ascof-2020-21.csv")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		values, err := readAllBenchmarks(t, path, BenchmarkOptions{})
		var ie *analytics.ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("%v is not an *analytics.ImportError", err)
		}
		for _, v := range values {
			if v.Value != nil && (math.IsNaN(*v.Value) || math.IsInf(*v.Value, 0)) {
				t.Fatalf("value %v read from %q", *v.Value, text)
			}
			if v.Year == "" || v.Area.Code == "" || v.Measure == "" || v.Type == "" || v.Area.Level == "" {
				t.Fatalf("an incomplete value %+v", v)
			}
		}
	})
}
