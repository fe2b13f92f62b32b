package api

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/synthetic"
)

// hostileCase is one input a council's penetration test would try and
// what heard must do with it.
type hostileCase struct {
	name string
	// send makes the request(s) and returns the last status and body.
	send func(t *testing.T, e *hostileEnv) (int, []byte)
	// status lists the acceptable statuses.
	status []int
	// says is a part of the message the person is shown (lower case); ""
	// checks nothing.
	says string
	// added is the responses the case stores: 0 for nothing written.
	added int64
	// access marks a case that needs the service to require sign-in.
	access bool
	// check, if not nil, checks more of the answer.
	check func(t *testing.T, e *hostileEnv, body []byte)
}

// uploadCase is a case's send that posts data as file name into a survey of
// its own.
func uploadCase(name string, data func(t testing.TB) []byte) func(t *testing.T, e *hostileEnv) (int, []byte) {
	return func(t *testing.T, e *hostileEnv) (int, []byte) {
		return e.postFile(t, name, data(t), "Hostile "+t.Name())
	}
}

func bytesOf(b []byte) func(testing.TB) []byte { return func(testing.TB) []byte { return b } }

func xlsxCase(edit func(sheet string, e []zipEntry) []zipEntry) func(testing.TB) []byte {
	return func(t testing.TB) []byte { return validXLSX(t, t.Name(), edit) }
}

// craftedXLSX is the bytes write writes.
func craftedXLSX(write func(io.Writer) error) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
}

func csvCase(f func(tag string) string) func(testing.TB) []byte {
	return func(t testing.TB) []byte { return []byte(f(t.Name())) }
}

// getQuery is a case's send that GETs path with the query q on the
// baseline survey.
func getQuery(path string, q url.Values) func(t *testing.T, e *hostileEnv) (int, []byte) {
	return func(t *testing.T, e *hostileEnv) (int, []byte) {
		return e.get(t, strings.ReplaceAll(path, "SLUG", e.slug)+"?"+q.Encode())
	}
}

func hostileCases() []hostileCase {
	unprocessable, created, ok := []int{http.StatusUnprocessableEntity}, []int{http.StatusCreated}, []int{http.StatusOK}
	handled := []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusUnprocessableEntity}
	denied := []int{http.StatusUnauthorized, http.StatusForbidden}
	sqlText := "team;DROP TABLE surveys--"
	cases := []hostileCase{
		// Uploads.
		{name: "no file part", send: func(t *testing.T, e *hostileEnv) (int, []byte) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			w.WriteField("survey", "x")
			w.Close()
			return e.request(t, "POST", "/api/v1/imports", &buf, w.FormDataContentType(), e.tokens[analytics.RoleAnalyst])
		}, status: unprocessable, says: `multipart field "file"`},
		{name: "not multipart", send: func(t *testing.T, e *hostileEnv) (int, []byte) {
			return e.request(t, "POST", "/api/v1/imports", strings.NewReader(`{"file":"x"}`), "application/json", e.tokens[analytics.RoleAnalyst])
		}, status: unprocessable, says: `multipart field "file"`},
		{name: "empty file", send: uploadCase("empty.csv", bytesOf(nil)), status: unprocessable, says: "empty"},
		{name: "oversized upload", send: sendOversized, status: []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}, says: `the file "big.csv" is larger than 200 mb`},
		{name: "too many parts", send: sendManyParts, status: unprocessable, says: `multipart field "file"`},
		{name: "path traversal file name", send: uploadCase("../../../../tmp/evil.csv", csvCase(func(tag string) string { return string(validCSV(tag)) })),
			status: created, added: 6, check: fileNamed("evil.csv")},
		{name: "windows traversal file name", send: uploadCase(`..\..\Windows\System32\evil.csv`, csvCase(func(tag string) string { return string(validCSV(tag)) })),
			status: created, added: 6, check: fileNamed("evil.csv")},
		// Go's multipart reader takes a part whose name holds control
		// characters for a plain field, not a file.
		{name: "control characters in file name", send: uploadCase("a\x07b\x1b[31m.csv", csvCase(func(tag string) string { return string(validCSV(tag)) })),
			status: unprocessable, says: `multipart field "file"`},
		{name: "nul in file name", send: uploadCase("a\x00.csv", csvCase(func(tag string) string { return string(validCSV(tag)) })),
			status: unprocessable, says: `multipart field "file"`},
		// heard reads a file by its content, not its name.
		{name: "csv named xlsx", send: uploadCase("responses.xlsx", csvCase(func(tag string) string { return string(validCSV(tag)) })),
			status: created, added: 6, check: readAs("generic", "")},
		{name: "xlsx named csv", send: uploadCase("responses.csv", xlsxCase(nil)), status: created, added: 6, check: readAs("generic", "Responses")},
		{name: "png named csv", send: uploadCase("responses.csv", bytesOf(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...))),
			status: unprocessable, says: "not a csv or excel file"},
		{name: "old xls", send: uploadCase("old.xls", bytesOf(append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...))),
			status: unprocessable, says: "old microsoft office file"},
		// Workbooks.
		{name: "zip bomb", send: uploadCase("bomb.xlsx", func(t testing.TB) []byte {
			return buildTestZip(t, append(workbookEntries(sheetOf(surveyRecords(2, "bomb")), ""),
				zipEntry{name: "xl/media/zeros.bin", deflated: zerosDeflate(t, 2048), crc: zerosCRC(2048), declared: 2048 << 20}))
		}), status: unprocessable, says: "more than 1 gb when unzipped"},
		{name: "lying zip sizes", send: uploadCase("lying.xlsx", func(t testing.TB) []byte {
			return buildTestZip(t, append(workbookEntries(sheetOf(surveyRecords(2, "lying")), ""),
				zipEntry{name: "xl/media/zeros.bin", deflated: zerosDeflate(t, 64), crc: zerosCRC(64), declared: 1024}))
		}), status: unprocessable, says: "not the size the archive says"},
		{name: "damaged crc", send: uploadCase("crc.xlsx", xlsxCase(func(_ string, e []zipEntry) []zipEntry {
			e[4].store, e[4].flipByte = true, true
			return e
		})), status: unprocessable, says: "fails its checksum"},
		{name: "truncated workbook", send: uploadCase("cut.xlsx", func(t testing.TB) []byte {
			b := validXLSX(t, t.Name(), nil)
			return b[:len(b)/2]
		}), status: unprocessable, says: "damaged or was not saved completely"},
		{name: "entity expansion bomb", send: uploadCase("laughs.xlsx", xlsxCase(func(sheet string, e []zipEntry) []zipEntry {
			return withSheet(e, `<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`,
				strings.Replace(sheet, "comment", "&c;", 1))
		})), status: unprocessable, says: "declares an xml document type"},
		{name: "external entity", send: uploadCase("xxe.xlsx", xlsxCase(func(sheet string, e []zipEntry) []zipEntry {
			return withSheet(e, `<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>`, strings.Replace(sheet, "comment", "&x;", 1))
		})), status: unprocessable, says: "declares an xml document type"},
		// Issue 8 finding 6: 1.5 GB and 18 GB of text before heard bounded them.
		{name: "cell nesting 10 million elements", send: uploadCase("nested.xlsx", craftedXLSX(func(w io.Writer) error {
			return synthetic.WriteNestedXLSX(w, synthetic.NestCell, 10_000_000)
		})), status: unprocessable, says: "cell b2 nests xml elements more than 128 deep"},
		{name: "shared strings nesting a million runs", send: uploadCase("nested-sst.xlsx", craftedXLSX(func(w io.Writer) error {
			return synthetic.WriteNestedXLSX(w, synthetic.NestSharedStrings, 1_000_000)
		})), status: unprocessable, says: `"xl/sharedstrings.xml" nests xml elements more than 128 deep`},
		{name: "900 KB shared string in 20,000 rows", send: uploadCase("repeated.xlsx", craftedXLSX(func(w io.Writer) error {
			return synthetic.WriteRepeatedTextXLSX(w, 1, 900_000, 20_000)
		})), status: unprocessable, says: "more than 1 gb when unzipped"},
		{name: "6 million empty shared strings", send: uploadCase("entries.xlsx", craftedXLSX(func(w io.Writer) error {
			return synthetic.WriteManySharedStringsXLSX(w, 6_000_000)
		})), status: unprocessable, says: "table of shared text has so many entries"},
		{name: "password-protected workbook", send: uploadCase("locked.xlsx", func(t testing.TB) []byte {
			b, err := os.ReadFile(fixture("password-protected.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}), status: unprocessable, says: "password"},
		{name: "cell far off the sheet", send: uploadCase("far.xlsx", xlsxCase(func(sheet string, e []zipEntry) []zipEntry {
			return withSheet(e, "", sheet+`<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>`)
		})), status: unprocessable, says: "more than 5,000 columns"},
		{name: "cells out of order", send: uploadCase("order.xlsx", xlsxCase(func(sheet string, e []zipEntry) []zipEntry {
			return withSheet(e, "", strings.Replace(sheet, `<c r="A2"`, `<c r="Z2" t="inlineStr"><is><t>x</t></is></c><c r="A2"`, 1))
		})), status: unprocessable, says: "comes after cell z2"},
		{name: "formula cells", send: uploadCase("formula.xlsx", xlsxCase(func(sheet string, e []zipEntry) []zipEntry {
			return withSheet(e, "", strings.ReplaceAll(sheet, `t="inlineStr"><is><t>North Team</t></is>`,
				`t="str"><f>HYPERLINK("http://evil.example","North Team")</f><v>North Team</v>`))
		})), status: created, added: 6, check: teamsAre("North Team", "South Team", "Reablement")},
		// Bidi controls stay in the text (and show as text): refusing
		// them would refuse Arabic and Hebrew answers.
		// CSV.
		{name: "byte-order mark", send: uploadCase("bom.csv", csvCase(func(tag string) string { return "\uFEFF" + string(validCSV(tag)) })), status: created, added: 6, check: encodedAs("utf-8-bom")},
		{name: "utf-16", send: uploadCase("utf16.csv", func(t testing.TB) []byte { return utf16LE(string(validCSV(t.Name()))) }), status: created, added: 6, check: encodedAs("utf-16le")},
		{name: "windows-1252", send: uploadCase("cp1252.csv", func(t testing.TB) []byte {
			return windows1252(csvOf(editRecords(t.Name(), func(_ int, r []string) []string { r[4] = "café – “good” £5 €"; return r }), ",", "\r\n"))
		}), status: created, added: 6, check: encodedAs("windows-1252")},
		{name: "semicolon csv", send: uploadCase("semi.csv", csvCase(func(tag string) string { return csvOf(surveyRecords(6, tag), ";", "\n") })), status: created, added: 6},
		{name: "lone CR line endings", send: uploadCase("cr.csv", csvCase(func(tag string) string { return csvOf(surveyRecords(6, tag), ",", "\r") })), status: created, added: 6},
		// Short rows are how spreadsheets save trailing blank cells: read
		// as blanks. A row longer than the headings has no column to go in.
		{name: "short ragged rows", send: uploadCase("ragged.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(i int, r []string) []string { return r[:2+i%3] }), ",", "\n")
		})), status: created, added: 6},
		{name: "long ragged rows", send: uploadCase("long.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(i int, r []string) []string { return append(r, "extra", "cells") }), ",", "\n")
		})), status: unprocessable, says: "the heading row has 5"},
		{name: "unterminated quote", send: uploadCase("quote.csv", csvCase(func(tag string) string { return string(validCSV(tag)) + `x,"01/01/2024,never closed` + "\n" })),
			status: unprocessable, says: "quotation mark"},
		{name: "huge field", send: uploadCase("huge.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(_ int, r []string) []string { r[4] = strings.Repeat("x", 2<<20); return r }), ",", "\n")
		})), status: unprocessable, says: "more than 1 mb of text"},
		{name: "control characters", send: uploadCase("ctl.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(_ int, r []string) []string { r[4] = "bell\x07 nul\x00 esc\x1b[2J"; return r }), ",", "\n")
		})), status: unprocessable, says: "not a csv or excel file"},
		{name: "bidi characters", send: uploadCase("bidi.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(_ int, r []string) []string { r[2] = "\u202eNorth Team\u202c"; r[4] = "\u202egnp.exe"; return r }), ",", "\n")
		})), status: created, added: 6},
		// Issue 8: a blank heading row; comments that are mostly "No".
		{name: "blank heading row", send: uploadCase("blankhead.csv", csvCase(func(tag string) string {
			return ",,,,\n" + csvOf(surveyRecords(6, tag)[1:], ",", "\n")
		})), status: unprocessable, says: "column headings should be"},
		{name: "comments mostly no", send: uploadCase("mostlyno.csv", csvCase(func(tag string) string {
			return csvOf(editRecords(tag, func(i int, r []string) []string {
				r[4] = []string{"No", "None", "N/A", "-", "nothing", "No", "None", "N/A", "-", "nothing"}[i%10]
				if i%10 == 3 {
					r[4] = fmt.Sprintf("My carer Jane Smith at %d Elm Road was kind.", i)
				}
				return r
			}), ",", "\n")
		})), status: created, added: 6, check: questionKind(comments, analytics.KindText)},
		{name: "header only", send: uploadCase("head.csv", csvCase(func(tag string) string { return csvOf(surveyRecords(0, tag), ",", "\n") })), status: unprocessable, says: "no responses"},
		{name: "binary garbage", send: uploadCase("noise.csv", func(t testing.TB) []byte {
			b := make([]byte, 4096)
			rand.Read(b)
			return b
		}), status: unprocessable, says: "not a csv or excel file"},
		// Injection.
		{name: "payloads in every text field", send: sendPayloads, status: created, added: int64(len(injections)), check: payloadsKept},
		{name: "sql in by", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"by": {sqlText}}), status: handled},
		{name: "sql in where", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"where": {"team=x' OR '1'='1'; DELETE FROM surveys;--"}}), status: handled},
		{name: "sql in sort", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"sort": {"1; DROP TABLE imports--"}}), status: ok},
		{name: "sql in question and metric", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"question": {"q1' OR 1=1--"}, "metric": {"mean); DROP TABLE users;--"}}), status: handled},
		{name: "sql in period and dates", send: getQuery("/api/v1/surveys/SLUG/trends.csv", url.Values{"period": {"month'--"}, "from": {"2024-01-01' OR 1=1--"}, "to": {"x"}}), status: handled},
		{name: "sql in slug", send: func(t *testing.T, e *hostileEnv) (int, []byte) {
			return e.get(t, "/api/v1/surveys/"+url.PathEscape("x' OR '1'='1")+"/questions")
		}, status: []int{http.StatusNotFound}, says: "not found"},
		{name: "script in query", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"by": {"<script>alert(1)</script>"}, "min_base": {"=1+1"}}), status: handled,
			check: func(t *testing.T, _ *hostileEnv, body []byte) {
				if bytes.Contains(body, []byte("<script>")) {
					t.Errorf("the answer holds the script unescaped: %s", body)
				}
			}},
		{name: "confidence NaN", send: getQuery("/api/v1/surveys/SLUG/report", url.Values{"confidence": {"NaN"}}), status: unprocessable, says: "confidence"},
		{name: "confidence -Inf", send: getQuery("/surveys/SLUG/equality", url.Values{"confidence": {"-Inf"}}), status: unprocessable},
		{name: "confidence 1e400", send: getQuery("/api/v1/surveys/SLUG/trends.csv", url.Values{"confidence": {"1e400"}}), status: unprocessable, says: "confidence"},
		{name: "10,001 query parameters", send: func(t *testing.T, e *hostileEnv) (int, []byte) {
			return e.get(t, "/api/v1/surveys/"+e.slug+"/report?"+strings.Repeat("where=team%3Dx&", 10000)+"by=team")
		}, status: []int{http.StatusBadRequest}, check: bodySays("more than 10,000 parameters")},
		{name: "10,001 form parameters", send: func(t *testing.T, e *hostileEnv) (int, []byte) {
			return e.request(t, "POST", "/login", strings.NewReader(strings.Repeat("next=%2F;", 10000)+"email=x"),
				"application/x-www-form-urlencoded", "")
		}, status: []int{http.StatusBadRequest}, check: bodySays("more than 10,000 parameters")},
		{name: "open redirect after sign-in", send: sendSignInNext("/\t/evil.example"), status: []int{http.StatusSeeOther}, check: bodySays("Location: /\n")},
		{name: "open redirect by backslash", send: sendSignInNext("/\\evil.example"), status: []int{http.StatusSeeOther}, check: bodySays("Location: /\n")},
		{name: "open redirect by dot segment", send: sendSignInNext("/.//evil.example"), status: []int{http.StatusSeeOther}, check: bodySays("Location: /\n")},
		// Access (once sign-in is required).
		{name: "no credentials", access: true, send: asRole(""), status: denied},
		{name: "viewer uploads", access: true, send: asRole(analytics.RoleViewer), status: denied},
		{name: "board uploads", access: true, send: asRole(analytics.RoleBoard), status: denied},
		{name: "cross-site post", access: true, send: sendCrossSite, status: denied},
		{name: "brute force tokens", access: true, send: sendBruteForce, status: denied},
		{name: "brute force sign-in", access: true, send: sendBruteSignIn, status: []int{http.StatusTooManyRequests}, says: ""},
	}
	return cases
}

// bodySays checks that the answer's text holds want.
func bodySays(want string) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, _ *hostileEnv, body []byte) {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("the answer does not say %q: %.300s", want, body)
		}
	}
}

func fileNamed(want string) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, e *hostileEnv, body []byte) {
		if got := decodeRefusal(body).File; got != want {
			t.Errorf("the import is recorded as file %q, want %q", got, want)
		}
		if hostilePathExists(filepath.Join(os.TempDir(), "evil.csv")) || hostilePathExists("/tmp/evil.csv") {
			t.Error("a file was written where the name pointed")
		}
	}
}

// teamsAre checks that the case's survey's Team values are the cached
// values of the cells, never their formulas.
func teamsAre(want ...string) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, e *hostileEnv, body []byte) {
		sv, err := e.st.SurveyByName(t.Context(), decodeRefusal(body).Survey)
		if err != nil {
			t.Fatal(err)
		}
		_, raw := e.get(t, "/api/v1/surveys/"+sv.Slug+"/report?by=team&period=all")
		for _, w := range want {
			if !bytes.Contains(raw, []byte(w)) {
				t.Errorf("questions lack team %q: %s", w, raw)
			}
		}
		if bytes.Contains(raw, []byte("HYPERLINK")) {
			t.Errorf("a formula became a value: %s", raw)
		}
	}
}

// readAs checks the format and sheet the file was read as.
func readAs(format, sheet string) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, _ *hostileEnv, body []byte) {
		var r struct{ Format, Sheet string }
		json.Unmarshal(body, &r)
		if r.Format != format || r.Sheet != sheet {
			t.Errorf("read as %q, sheet %q; want %q, %q", r.Format, r.Sheet, format, sheet)
		}
	}
}

// questionKind checks the kind the column headed header was read as.
func questionKind(header string, kind analytics.Kind) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, _ *hostileEnv, body []byte) {
		var r ingest.ImportReport
		json.Unmarshal(body, &r)
		for _, q := range r.Questions {
			if q.Text == header {
				if q.Kind != kind || len(q.Options) > 0 {
					t.Errorf("%q read as %s with options %+v; want %s", header, q.Kind, q.Options, kind)
				}
				return
			}
		}
		t.Errorf("no question %q in %s", header, body)
	}
}

// encodedAs checks the text encoding the file was read in.
func encodedAs(enc string) func(t *testing.T, e *hostileEnv, body []byte) {
	return func(t *testing.T, _ *hostileEnv, body []byte) {
		if got := decodeRefusal(body).Enc; got != enc {
			t.Errorf("read as %q, want %q", got, enc)
		}
	}
}

func asRole(role analytics.UserRole) func(t *testing.T, e *hostileEnv) (int, []byte) {
	return func(t *testing.T, e *hostileEnv) (int, []byte) {
		return e.postFileAs(t, "role.csv", validCSV(t.Name()), "Hostile "+t.Name(), e.tokens[role]) // "" has none
	}
}

// sendPayloads imports a file whose file name, survey name, headers,
// teams and comments are the injection payloads.
func sendPayloads(t *testing.T, e *hostileEnv) (int, []byte) {
	recs := [][]string{{"Response ID", "Date submitted", "Team " + injections[0], scaleQ + injections[1], injections[2]}}
	for i, p := range injections {
		recs = append(recs, []string{fmt.Sprintf("P%d", i), fmt.Sprintf("%02d/05/2024", i+1), p, "Very satisfied", p})
	}
	return e.postFile(t, injections[5]+injections[0]+".csv", []byte(csvOf(recs, ",", "\n")), injections[6]+injections[2])
}

// payloadsKept checks that the payloads are stored as the text they were,
// and that the trend download does not start a cell with a formula.
func payloadsKept(t *testing.T, e *hostileEnv, body []byte) {
	name := decodeRefusal(body).Survey
	if name != injections[6]+injections[2] {
		t.Fatalf("the survey is named %q", name)
	}
	sv, err := e.st.SurveyByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	code, csvBody := e.get(t, "/api/v1/surveys/"+url.PathEscape(sv.Slug)+"/trends.csv?by="+url.QueryEscape("Team "+injections[0]))
	if code != http.StatusOK {
		t.Fatalf("trends.csv: %d %s", code, csvBody)
	}
	for _, cell := range flatten(readCSV(t, string(csvBody))) {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) && !hostileNumber(cell) {
			t.Errorf("trends.csv cell %q would run as a formula", cell)
		}
	}
}

func hostileNumber(s string) bool { _, err := fmt.Sscanf(s, "%g", new(float64)); return err == nil }

// TestHostileCorpus sends every hostile input to one service and checks
// each time: the status and message, nothing stored (unless the input is
// one heard reads), no temporary file left, and the service still up.
func TestHostileCorpus(t *testing.T) {
	e := newHostileEnv(t)
	cases := hostileCases()
	if len(cases) < 40 {
		t.Fatalf("%d cases; the corpus needs at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.access && !e.auth {
				t.Skip("the service does not require sign-in yet (GET /api/v1/surveys answers without credentials)")
			}
			before, files := e.counts(t), e.tempFiles(t)
			code, body := tc.send(t, e)
			if !slices.Contains(tc.status, code) {
				t.Errorf("status %d, want one of %v: %.300s", code, tc.status, body)
			}
			if msg := strings.ToLower(decodeRefusal(body).message()); tc.says != "" && !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
			after := e.counts(t)
			switch {
			case tc.added == 0 && after != before:
				t.Errorf("something was written: hostileCounts %+v, then %+v", before, after)
			case tc.added > 0 && (after.Responses-before.Responses != tc.added || after.Imports != before.Imports+1 ||
				after.Users != before.Users || after.Tokens != before.Tokens || after.Schema < before.Schema):
				t.Errorf("want %d responses in one import: hostileCounts %+v, then %+v", tc.added, before, after)
			}
			e.sameTempFiles(t, files)
			e.healthy(t)
			if tc.check != nil && !t.Failed() {
				tc.check(t, e, body)
			}
			t.Logf("%d %.200s", code, decodeRefusal(body).message())
		})
	}
}
