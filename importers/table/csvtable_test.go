package table

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// utf16Bytes encodes s as UTF-16, little- or big-endian, without a BOM.
func utf16Bytes(s string, bigEndian bool) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestCSVEncodings(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		encoding string
		want     [][]string
	}{
		{"utf-8", []byte("name,town\nZoë,Leeds\n"), "utf-8", [][]string{{"name", "town"}, {"Zoë", "Leeds"}}},
		{"utf-8 with BOM", []byte("\xef\xbb\xbfID,town\n1,Leeds\n"), "utf-8-bom",
			[][]string{{"ID", "town"}, {"1", "Leeds"}}},
		{"utf-16le with BOM", append([]byte{0xff, 0xfe}, utf16Bytes("name,score\r\nAnn,5\r\nZoë,4\r\n", false)...),
			"utf-16le", [][]string{{"name", "score"}, {"Ann", "5"}, {"Zoë", "4"}}},
		{"utf-16be with BOM", append([]byte{0xfe, 0xff}, utf16Bytes("name,score\nAnn,5\n", true)...),
			"utf-16be", [][]string{{"name", "score"}, {"Ann", "5"}}},
		{"utf-16le without BOM", utf16Bytes("name\tscore\nAnn\t5\n", false), "utf-16le",
			[][]string{{"name", "score"}, {"Ann", "5"}}},
		{"utf-16be without BOM", utf16Bytes("name;score\nAnn;5\n", true), "utf-16be",
			[][]string{{"name", "score"}, {"Ann", "5"}}},
		{"windows-1252 café", []byte("place,drink\ncaf\xe9,tea\n"), "windows-1252",
			[][]string{{"place", "drink"}, {"café", "tea"}}},
		{"windows-1252 quotes and dashes", []byte("q,a\nwhy,don\x92t know \x96 really\n"), "windows-1252",
			[][]string{{"q", "a"}, {"why", "don’t know – really"}}},
		{"mac roman quotes", []byte("q,a\nwhy,don\xd5t know \xd1 really\n"), "macintosh",
			[][]string{{"q", "a"}, {"why", "don’t know — really"}}},
		{"mac roman accent", []byte("place,drink\ncaf\x8e,th\x8e\n"), "macintosh",
			[][]string{{"place", "drink"}, {"café", "thé"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRead(t, writeTemp(t, "survey.csv", tt.data), Options{})
			if got.info.Container != "csv" || got.info.Encoding != tt.encoding {
				t.Errorf("info = %+v, want csv in %s", got.info, tt.encoding)
			}
			if !reflect.DeepEqual(got.cells, tt.want) {
				t.Errorf("rows = %q, want %q", got.cells, tt.want)
			}
		})
	}
}

func TestCSVShapes(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		delim rune
		want  [][]string
		rows  []int
	}{
		{"CR-only line endings", "a,b\r1,2\r3,4\r", ',', [][]string{{"a", "b"}, {"1", "2"}, {"3", "4"}}, []int{1, 2, 3}},
		{"CRLF line endings", "a,b\r\n1,2\r\n", ',', [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}},
		{"no final newline", "a,b\n1,2", ',', [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}},
		{"semicolons with decimal commas", "name;score\nAnn;5,5\nBob;4,0\n", ';',
			[][]string{{"name", "score"}, {"Ann", "5,5"}, {"Bob", "4,0"}}, []int{1, 2, 3}},
		{"tabs", "name\tscore\nAnn\t5\n", '\t', [][]string{{"name", "score"}, {"Ann", "5"}}, []int{1, 2}},
		{"commas with semicolons inside cells", "id,choices\n1,a;b;\n2,c;\n", ',',
			[][]string{{"id", "choices"}, {"1", "a;b;"}, {"2", "c;"}}, []int{1, 2, 3}},
		{"delimiter inside quotes ignored", "\"a;b\",c\n\"1;2\",3\n", ',',
			[][]string{{"a;b", "c"}, {"1;2", "3"}}, []int{1, 2}},
		{"single column", "comment\nfine\ngood\n", ',', [][]string{{"comment"}, {"fine"}, {"good"}}, []int{1, 2, 3}},
		{"embedded newline", "a,b\n1,\"line one\nline two\"\n2,x\n", ',',
			[][]string{{"a", "b"}, {"1", "line one\nline two"}, {"2", "x"}}, []int{1, 2, 4}},
		{"embedded CRLF", "a,b\r\n1,\"line one\r\nline two\"\r\n", ',',
			[][]string{{"a", "b"}, {"1", "line one\nline two"}}, []int{1, 2}},
		{"embedded CR in a CR file", "a,b\r1,\"x\ry\"\r2,z\r", ',',
			[][]string{{"a", "b"}, {"1", "x\ny"}, {"2", "z"}}, []int{1, 2, 4}},
		{"doubled quotes", "a,b\n1,\"say \"\"hi\"\"\"\n", ',', [][]string{{"a", "b"}, {"1", "say \"hi\""}}, []int{1, 2}},
		{"blank rows skipped", "\na,b\n\n,\n , \n1,2\n", ',', [][]string{{"a", "b"}, {"1", "2"}}, []int{2, 6}},
		{"trailing commas everywhere (Qualtrics legacy)", "V1,V2,\nR1,5,\nR2,4,,,\n", ',',
			[][]string{{"V1", "V2", ""}, {"R1", "5", ""}, {"R2", "4", ""}}, []int{1, 2, 3}},
		{"heading with an empty last cell keeps its width", "V1,V2,\n1,2,3\n", ',',
			[][]string{{"V1", "V2", ""}, {"1", "2", "3"}}, []int{1, 2}},
		{"short rows padded", "a,b,c\n1\n1,2\n", ',', [][]string{{"a", "b", "c"}, {"1", "", ""}, {"1", "2", ""}},
			[]int{1, 2, 3}},
		{"cells kept as written", "a,b\n  spaced  ,\"\"\n", ',', [][]string{{"a", "b"}, {"  spaced  ", ""}}, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRead(t, writeTemp(t, "survey.csv", []byte(tt.data)), Options{})
			if got.info.Delimiter != tt.delim {
				t.Errorf("delimiter %q, want %q", got.info.Delimiter, tt.delim)
			}
			if !reflect.DeepEqual(got.cells, tt.want) {
				t.Errorf("rows = %q, want %q", got.cells, tt.want)
			}
			if !reflect.DeepEqual(got.rows, tt.rows) {
				t.Errorf("row numbers = %v, want %v", got.rows, tt.rows)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		lim     Limits
		row     int
		column  string
		message string // a part of the message
	}{
		{"unterminated quote", "a,b\n1,2\n3,\"open\n4,5\n6,7\n", Limits{}, 3, "", "never closed"},
		{"bare quote", "a,b\n1,x\"y\n", Limits{}, 2, "", "quotation mark"},
		{"text after closing quote", "a,b\n1,\"x\"y\n", Limits{}, 2, "", "quotation mark"},
		{"ragged row", "a,b,c,d,e,f,g,h,i,j\n" + strings.Repeat("1,2,3,4,5,6,7,8,9,10\n", 12) +
			"1,2,3,4,5,6,7,8,9,10,11,12\n", Limits{}, 14, "",
			"this row has 12 cells but the heading row has 10"},
		{"ragged row after trailing comma heading", "V1,V2,\n1,2,3,4\n", Limits{}, 2, "",
			"this row has 4 cells but the heading row has 3"},
		{"too many rows", "a\n1\n2\n3\n4\n", Limits{MaxRows: 3}, 4, "", "more than 3 rows"},
		{"too many columns in heading", "a,b,c,d,e,f\n1,2,3,4,5,6\n", Limits{MaxColumns: 5}, 1, "", "more than 5 columns"},
		{"far too many columns", "a\n1" + strings.Repeat(",", 100) + "\n", Limits{MaxColumns: 10}, 2, "",
			"more than 10 columns"},
		{"cell too long", "a,b\n1," + strings.Repeat("x", 1500) + "\n", Limits{MaxCellBytes: 1000}, 2, "B",
			"more than 1000 bytes"},
		{"cell far too long", "a,b\n1,\"" + strings.Repeat("y", 5000) + "\"\n", Limits{MaxCellBytes: 1000}, 2, "B",
			"more than 1000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTable(t, writeTemp(t, "survey.csv", []byte(tt.data)), Options{Limits: tt.lim})
			ie := importError(t, err)
			if ie.Row != tt.row || ie.Column != tt.column || !strings.Contains(ie.Message, tt.message) {
				t.Errorf("got row %d column %q %q; want row %d column %q and a message with %q",
					ie.Row, ie.Column, ie.Message, tt.row, tt.column, tt.message)
			}
			if ie.File != "survey.csv" {
				t.Errorf("File = %q", ie.File)
			}
		})
	}
}

// referenceCSV reads path independently of csvTable: decode the whole file,
// drop a BOM, read it with encoding/csv and keep the records with a value,
// each without its trailing empty cells.
func referenceCSV(tb testing.TB, path string, cm *charmap.Charmap) [][]string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if cm != nil {
		if b, err = cm.NewDecoder().Bytes(b); err != nil {
			tb.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("reference read of %s: %v", path, err)
	}
	var out [][]string
	for _, rec := range recs {
		if lastValue(rec) > 0 {
			out = append(out, rec[:lastNonEmpty(rec)])
		}
	}
	return out
}

func TestRealCSVFiles(t *testing.T) {
	dir := externalDir(t)
	tests := []struct {
		file     string
		charmap  *charmap.Charmap // for the reference reading
		encoding string
		rows     int // from PROVENANCE.md: heading rows + responses
		width    int
		r, c     int // a cell to check
		value    string
	}{
		{"qualtrics-qualtRics/sample_legacy.csv", nil, "utf-8-bom", 3, 16, 0, 0, "V1"},
		{"qualtrics-qualtricstools/Long_Exhaustive_Sample_Survey.csv", nil, "utf-8", 3 + 31, 367, 0, 0, "ResponseID"},
		{"qualtrics-qualtricstools/SidebySide_Questions_Insights.csv", nil, "utf-8", 3 + 25, 71, 0, 0, "ResponseID"},
		{"qualtrics-qualtricstools/Better_Sample_Survey.csv", nil, "utf-8", 3 + 10, 59, 0, 0, "ResponseID"},
		{"qualtrics-qualtricstools/No_Basis_for_Evaluation_Legacy.csv", nil, "utf-8-bom", 17, 0, 0, 0, "V1"},
		{"surveymonkey-fivethirtyeight/StarWars.csv", charmap.Macintosh, "macintosh", 2 + 1186, 38, 0, 0, "RespondentID"},
		{"surveymonkey-fivethirtyeight/steak-risk-survey.csv", nil, "utf-8", 2 + 550, 15, 0, 0, "RespondentID"},
		{"surveymonkey-fivethirtyeight/masculinity-raw-responses.csv", nil, "utf-8", 1 + 1615, 98, 0, 1, "StartDate"},
		{"msforms-phonebrandpred/surveyEng.csv", nil, "utf-8-bom", 1 + 55, 14, 0, 0, "ID"},
		{"msforms-phonebrandpred/surveyCN.csv", nil, "utf-8-bom", 1 + 21, 24, 0, 0, "序号"},
		{"googleforms-uvads-hotdog/sp25_Form_Responses_1.csv", nil, "utf-8", 65, 9, 0, 0, "Timestamp"},
		{"nhs-fft-gp-practice/data.csv", nil, "utf-8", 1 + 3882, 14, 3882, 1, "Extremely likely"},
		{"gp-practice-patient-survey/data.csv", nil, "utf-8", 1 + 2266, 19, 0, 0, "time"},
		{"nhs-fft-pxtextmining/v6framework_230831.csv", nil, "utf-8", 1 + 7908, 61, 0, 0, "Comment ID"},
		{"nhs-fft-pxtextmining/text_data_phase1.csv", nil, "utf-8", 1 + 10334, 8, 0, 0, "code"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			got := mustRead(t, path, Options{})
			if got.info.Encoding != tt.encoding || got.info.Delimiter != ',' {
				t.Errorf("info = %+v, want %s, comma", got.info, tt.encoding)
			}
			if len(got.cells) != tt.rows {
				t.Errorf("%d rows, want %d", len(got.cells), tt.rows)
			}
			if tt.width > 0 && len(got.cells[0]) != tt.width {
				t.Errorf("heading row has %d cells, want %d", len(got.cells[0]), tt.width)
			}
			if v := got.cell(tt.r, tt.c); v != tt.value {
				t.Errorf("row %d cell %d = %q, want %q", tt.r, tt.c, v, tt.value)
			}
			ref := referenceCSV(t, path, tt.charmap)
			if len(ref) != len(got.cells) {
				t.Fatalf("%d rows, the reference reading has %d", len(got.cells), len(ref))
			}
			for i, rec := range ref {
				if mine := got.cells[i][:lastNonEmpty(got.cells[i])]; !reflect.DeepEqual(mine, rec) {
					t.Fatalf("row %d (line %d) = %q, the reference reading has %q", i, got.rows[i], mine, rec)
				}
			}
		})
	}
}

func TestStarWarsIsMacRoman(t *testing.T) {
	got := mustRead(t, filepath.Join(externalDir(t), "surveymonkey-fivethirtyeight", "StarWars.csv"), Options{})
	// The only bytes above 0x7F are 0x8C 0xE6 after this heading. As Mac Roman they are two letters
	// ("åÊ"); as Windows-1252 they would be "Œæ". Neither is a dash or quote: the bytes are stray, and
	// Mac Roman is the better fit (Excel for Mac saves CSV in Mac Roman).
	const want = "Do you consider yourself to be a fan of the Expanded Universe?åÊ"
	found := false
	for _, c := range got.cells[0] {
		found = found || c == want
	}
	if !found {
		t.Errorf("heading row %q lacks %q", got.cells[0], want)
	}
}

func TestMicrosoftFormsCSVKeepsNewlinesAndNBSP(t *testing.T) {
	got := mustRead(t, filepath.Join(externalDir(t), "msforms-phonebrandpred", "surveyEng.csv"), Options{})
	if !strings.Contains(strings.Join(got.cells[0], "|"), "What is the name of the\u00a0your preferred\u00a0phone model?") {
		t.Errorf("heading with no-break spaces not found in %q", got.cells[0])
	}
	want := "Battery;Screen size;Screen refresh rate;Memory;Pricing;Storage;Operating system;Brand;Publicity\n;Screen resolution;"
	found := false
	for _, c := range got.cells[7] {
		found = found || c == want
	}
	if !found {
		t.Errorf("row 8 %q lacks the multi-line cell %q", got.cells[7], want)
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		truncated bool
		want      byte
	}{
		{"empty", "", false, ','},
		{"no delimiter", "just one column\nand another\n", false, ','},
		{"semicolon beats unquoted commas", "a;b;c\n1,5;2;3\n2;3,25;4\n", false, ';'},
		{"tab", "a\tb\tc,d\n1\t2\t3\n", false, '\t'},
		{"only a partial first record", "a;b;c;d", true, ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectDelimiter([]byte(tt.text), tt.truncated); got != tt.want {
				t.Errorf("detectDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestEncodingDetectionReadsWholeFile(t *testing.T) {
	// The only non-ASCII byte is far past the sniffed prefix: the file must still be read as Windows-1252.
	data := []byte("name,comment\n" + strings.Repeat("Ann,fine\n", 20000) + "Zoe,caf\xe9\n")
	got := mustRead(t, writeTemp(t, "late.csv", data), Options{})
	if got.info.Encoding != "windows-1252" || got.cells[len(got.cells)-1][1] != "café" {
		t.Errorf("encoding %q, last row %q; want windows-1252 and café", got.info.Encoding, got.cells[len(got.cells)-1])
	}
}
