package importers

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/table"
)

// BenchmarkOptions say how to read a benchmark file.
type BenchmarkOptions struct {
	// Year is the financial year the file is for ("2020-21"); "" takes it
	// from the file's year column or, failing that, its name.
	Year string
	// Sheet names the worksheet of a workbook; "" takes the first with data.
	Sheet string
	// Limits bound the file; the zero value means table.DefaultLimits().
	Limits table.Limits
}

// maxBenchmarkAreas and maxBenchmarkMeasures bound what a benchmark file
// may name, so that a crafted file cannot grow the reader's memory with
// its rows: England has about 150 councils and ASCOF about 80 measures.
const (
	maxBenchmarkAreas    = 5_000
	maxBenchmarkMeasures = 5_000
)

// benchmarkColumn is a column of NHS Digital's ASCOF open data.
type benchmarkColumn int

const (
	colCode benchmarkColumn = iota
	colName
	colLevel
	colONS
	colMeasure
	colDisaggregation
	colType
	colValue
	colGroup
	colGroupDescription
	colYear
	benchmarkColumns
)

// benchmarkHeadings are the headings each column is known by, squashed
// (lower case, no spaces, hyphens or underscores): the 2020-21 file's and
// the later files' (which write "Geographical code", "Disaggregation
// level").
var benchmarkHeadings = map[string]benchmarkColumn{
	"geographicalcode":        colCode,
	"geographicaldescription": colName,
	"geographicalname":        colName,
	"geographicallevel":       colLevel,
	"onscode":                 colONS,
	"ascofmeasurecode":        colMeasure,
	"measurecode":             colMeasure,
	"disaggregationlevel":     colDisaggregation,
	"disaggregation":          colDisaggregation,
	"measuretype":             colType,
	"measurevalue":            colValue,
	"measuregroup":            colGroup,
	"measuregroupdescription": colGroupDescription,
	"year":                    colYear,
	"financialyear":           colYear,
	"reportingperiod":         colYear,
	"reportingyear":           colYear,
}

// benchmarkRequired are the columns every benchmark file must have, with
// the headings a message names them by.
var benchmarkRequired = []struct {
	col  benchmarkColumn
	name string
}{
	{colCode, "Geographical Code"}, {colName, "Geographical Description"}, {colLevel, "Geographical Level"},
	{colMeasure, "ASCOF Measure Code"}, {colType, "Measure Type"}, {colValue, "Measure Value"},
}

// BenchmarkReader reads NHS Digital's ASCOF open data, a CSV file or an
// Excel workbook in its long layout, one value a row, through the same
// safe, bounded, streaming readers as survey exports.
type BenchmarkReader struct {
	tab  table.Table
	info table.Info
	name string
	// at is each column's index in a row, -1 when the file lacks it.
	at       [benchmarkColumns]int
	headings [benchmarkColumns]string
	year     string
	nameYear string
	areas    map[string]areaSeen
	measures map[string]struct{}
}

// areaSeen is an area as first given, and where.
type areaSeen struct {
	area analytics.BenchmarkArea
	row  int
}

// OpenBenchmark opens the benchmark file at path; name is the file's name
// as people know it, for messages and for the year its name may give.
// Problems with the file are *analytics.ImportError values naming the
// file, sheet, row and column.
func OpenBenchmark(path, name string, opts BenchmarkOptions) (*BenchmarkReader, error) {
	tab, info, err := table.Open(path, name, table.Options{Sheet: opts.Sheet, Limits: opts.Limits})
	if err != nil {
		return nil, err
	}
	r := &BenchmarkReader{tab: tab, info: info, name: name, year: opts.Year,
		areas: map[string]areaSeen{}, measures: map[string]struct{}{}}
	if err := r.readHeadings(); err != nil {
		tab.Close()
		return nil, err
	}
	r.nameYear, _ = BenchmarkYearFromName(name)
	if r.year == "" && r.at[colYear] < 0 {
		r.year = r.nameYear
	}
	if r.year == "" && r.at[colYear] < 0 {
		tab.Close()
		return nil, &analytics.ImportError{File: name, Sheet: info.Sheet,
			Message: "neither the file nor its name says which financial year it is for; say it with --year, for example --year 2020-21"}
	}
	return r, nil
}

// Info describes the file opened.
func (r *BenchmarkReader) Info() table.Info { return r.info }

// NameYear is the financial year the file's name gives, or "".
func (r *BenchmarkReader) NameYear() string { return r.nameYear }

// Close closes the file.
func (r *BenchmarkReader) Close() error { return r.tab.Close() }

// readHeadings reads the heading row and finds the columns.
func (r *BenchmarkReader) readHeadings() error {
	for i := range r.at {
		r.at[i] = -1
	}
	cells, row, err := r.tab.Next()
	if errors.Is(err, io.EOF) {
		return &analytics.ImportError{File: r.name, Sheet: r.info.Sheet,
			Message: "the file has no rows at all; download NHS Digital's ASCOF open data file again"}
	}
	if err != nil {
		return err
	}
	for i, cell := range cells {
		col, ok := benchmarkHeadings[squashHeading(cell)]
		if !ok {
			continue
		}
		if r.at[col] >= 0 {
			return &analytics.ImportError{File: r.name, Sheet: r.info.Sheet, Row: row, Column: strings.TrimSpace(cell),
				Message: fmt.Sprintf("two columns are headed %q; keep one of them and import the file again", r.headings[col])}
		}
		r.at[col], r.headings[col] = i, strings.TrimSpace(cell)
	}
	var missing []string
	for _, req := range benchmarkRequired {
		if r.at[req.col] < 0 {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		return &analytics.ImportError{File: r.name, Sheet: r.info.Sheet, Row: row,
			Message: "this is not NHS Digital's ASCOF open data in its long layout: the first row should head the columns " +
				"Geographical Code, Geographical Description, Geographical Level, ONS Code, ASCOF Measure Code, " +
				"Disaggregation Level, Measure Type and Measure Value, and it lacks " + strings.Join(missing, ", ") +
				"; download the CSV of the measures from NHS Digital again"}
	}
	return nil
}

// squashHeading is a heading lower-cased without spaces, hyphens,
// underscores or a byte-order mark.
func squashHeading(s string) string {
	return strings.Map(func(c rune) rune {
		switch c {
		case ' ', '-', '_', '\t', '\u00a0', '\ufeff':
			return -1
		}
		return c
	}, strings.ToLower(strings.TrimSpace(s)))
}

// Next returns the next value of the file with its row number, or io.EOF
// after the last. A row that cannot be read is an *analytics.ImportError
// naming the file, sheet, row and column.
func (r *BenchmarkReader) Next() (analytics.BenchmarkValue, int, error) {
	cells, row, err := r.tab.Next()
	if err != nil {
		return analytics.BenchmarkValue{}, row, err
	}
	cell := func(c benchmarkColumn) string {
		if i := r.at[c]; i >= 0 && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	bad := func(c benchmarkColumn, format string, args ...any) (analytics.BenchmarkValue, int, error) {
		return analytics.BenchmarkValue{}, row, &analytics.ImportError{File: r.name, Sheet: r.info.Sheet, Row: row,
			Column: r.headings[c], Message: fmt.Sprintf(format, args...)}
	}
	v := analytics.BenchmarkValue{Year: r.year, Measure: strings.ToUpper(cell(colMeasure)), Disaggregation: cell(colDisaggregation),
		Group: cell(colGroup), GroupDescription: cell(colGroupDescription),
		Area: analytics.BenchmarkArea{Code: cell(colCode), Name: cell(colName), ONSCode: strings.ToUpper(cell(colONS))}}
	for _, c := range []benchmarkColumn{colCode, colName, colMeasure} {
		if cell(c) == "" {
			return bad(c, "this cell is empty, and every row needs its area and measure; check the row, or download the file again")
		}
	}
	if r.at[colDisaggregation] < 0 {
		v.Disaggregation = analytics.BenchmarkTotal
	} else if v.Disaggregation == "" {
		return bad(colDisaggregation, "this cell is empty: write Total for a measure's figure for everyone")
	}
	if v.Area.Level, err = analytics.ParseBenchmarkLevel(cell(colLevel)); err != nil {
		return bad(colLevel, "%v", err)
	}
	if v.Type, err = analytics.ParseBenchmarkType(cell(colType)); err != nil {
		return bad(colType, "%v", err)
	}
	if v.Value, err = ParseBenchmarkValue(cell(colValue)); err != nil {
		return bad(colValue, "%v", err)
	}
	if r.at[colYear] >= 0 {
		y, err := analytics.ParseFinancialYear(cell(colYear))
		switch {
		case err != nil:
			return bad(colYear, "%v", err)
		case r.year != "" && y != r.year:
			return bad(colYear, "this row is for %s, but the import is for %s; import each year's file on its own", y, r.year)
		}
		v.Year = y
	}
	if err := r.checkArea(v.Area, row); err != nil {
		return analytics.BenchmarkValue{}, row, err
	}
	if _, ok := r.measures[v.Measure]; !ok {
		if len(r.measures) >= maxBenchmarkMeasures {
			return bad(colMeasure, "the file names more than %d measures, which no ASCOF file does; check that this is NHS Digital's ASCOF open data", maxBenchmarkMeasures)
		}
		r.measures[v.Measure] = struct{}{}
	}
	return v, row, nil
}

// checkArea checks that an area's code names the same area on every row.
func (r *BenchmarkReader) checkArea(a analytics.BenchmarkArea, row int) error {
	seen, ok := r.areas[a.Code]
	if !ok {
		if len(r.areas) >= maxBenchmarkAreas {
			return &analytics.ImportError{File: r.name, Sheet: r.info.Sheet, Row: row, Column: r.headings[colCode],
				Message: fmt.Sprintf("the file names more than %d areas, which no ASCOF file does; check that this is NHS Digital's ASCOF open data", maxBenchmarkAreas)}
		}
		r.areas[a.Code] = areaSeen{area: a, row: row}
		return nil
	}
	if seen.area == a {
		return nil
	}
	col, what, was, is := colName, "name", seen.area.Name, a.Name
	switch {
	case seen.area.Level != a.Level:
		col, what, was, is = colLevel, "level", string(seen.area.Level), string(a.Level)
	case seen.area.ONSCode != a.ONSCode:
		col, what, was, is = colONS, "ONS code", seen.area.ONSCode, a.ONSCode
	}
	return &analytics.ImportError{File: r.name, Sheet: r.info.Sheet, Row: row, Column: r.headings[col],
		Message: fmt.Sprintf("area %s has the %s %q here but %q on row %d; one code must name one area throughout the file",
			a.Code, what, is, was, seen.row)}
}

// benchmarkMissing are the cells that mark a value as not published: the
// Government Statistical Service's shorthand ([x] not available, [c]
// confidential, [z] not applicable, [u] low reliability, [w] and [low]
// rounding to zero, [k]) with or without brackets, and the older marks
// (.., ., :, *, -, –, n/a). They are kept as missing, never as zero.
var benchmarkMissing = map[string]bool{
	"": true, "[x]": true, "[c]": true, "[z]": true, "[u]": true, "[w]": true, "[k]": true, "[low]": true,
	"x": true, "c": true, "z": true, "..": true, ".": true, ":": true, "*": true, "-": true, "–": true, "—": true,
	"n/a": true, "na": true,
}

// grouped is a number written with commas between thousands: "12,345.6".
var grouped = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// plainNumber is a decimal number, with an optional exponent.
var plainNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// ParseBenchmarkValue reads a published value: a decimal number ("66.7",
// "4.0999999999999996", "1,234", "1.5E-3"), or nil for a mark of a value
// not published (see benchmarkMissing). Anything else is an error that
// says what the cell holds.
func ParseBenchmarkValue(s string) (*float64, error) {
	t := strings.TrimSpace(s)
	if benchmarkMissing[strings.ToLower(t)] {
		return nil, nil
	}
	if grouped.MatchString(t) {
		t = strings.ReplaceAll(t, ",", "")
	}
	if plainNumber.MatchString(t) {
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			return &v, nil
		}
	}
	return nil, fmt.Errorf("%q is neither a number nor a mark of a value not published ([x], [c], [z], .., * or an empty cell); "+
		"correct the cell, or download NHS Digital's file again", s)
}

// benchmarkNameYear finds the year in NHS Digital's file names:
// meas-from-asc-of-eng-2021-open-data-csv.csv is for 2020-21 (the years'
// last two digits, run together); a name with 2020-21 or 2020_21 in it is
// for that year.
var (
	benchmarkNameYear = regexp.MustCompile(`(?i)asc-?of-eng-(\d{2})(\d{2})(?:\D|$)`)
	benchmarkYearText = regexp.MustCompile(`(?:^|\D)(\d{4})[-_](\d{2})(?:\D|$)`)
)

// BenchmarkYearFromName returns the financial year a benchmark file's name
// gives ("2020-21"), and whether it gives one.
func BenchmarkYearFromName(name string) (string, bool) {
	base := filepath.Base(name)
	if m := benchmarkNameYear.FindStringSubmatch(base); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if (a+1)%100 == b {
			return fmt.Sprintf("20%02d-%02d", a, b), true
		}
	}
	if m := benchmarkYearText.FindStringSubmatch(base); m != nil {
		if y, err := analytics.ParseFinancialYear(m[1] + "-" + m[2]); err == nil {
			return y, true
		}
	}
	return "", false
}
