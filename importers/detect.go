package importers

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"
)

// headLimit is how many of a file's first rows DetectLayout looks at.
const headLimit = 5

// Layout is what the first rows of a file say about its export layout.
type Layout struct {
	Format Format
	// HeaderRows is the number of rows before the first response
	// (Qualtrics 3 or 2, SurveyMonkey 2, else 1).
	HeaderRows int
	// Headers holds, per column, the text a person reads (question text),
	// trimmed, with HTML such as <br> turned into spaces, unique (a repeat
	// gets " (2)", a blank becomes "Column C"). SurveyMonkey's question text
	// is filled forward and joined with its option row as
	// "Question — Option" where that row is not "Response".
	Headers []string
	// Codes holds, per column, the tool's short code where it has one
	// (Qualtrics row-1 names like "Q1", LimeSurvey "g0[CICSE_Y2011]",
	// KoboToolbox "group_a/q1", legacy "V1"), else "".
	Codes []string
}

// DetectLayout reads up to the first 5 rows of a table (fewer if the file
// is short). forced other than FormatAuto (or "") makes it use that
// format's layout, and it is an error if the rows plainly do not fit it
// (Qualtrics without its header rows). It never fails for auto: anything
// unrecognised is FormatGeneric with one header row.
func DetectLayout(head [][]string, forced Format) (Layout, error) {
	rows := cleanHead(head)
	format, headerRows := detectFormat(rows)
	if forced != FormatAuto && forced != "" {
		var err error
		if headerRows, err = forcedHeaderRows(rows, forced); err != nil {
			return Layout{}, err
		}
		format = forced
	}
	if len(rows) == 0 {
		return Layout{Format: format, HeaderRows: headerRows}, nil
	}
	return buildLayout(format, headerRows, rows), nil
}

// cleanHead copies at most headLimit rows, without a byte-order mark in the
// first cell.
func cleanHead(head [][]string) [][]string {
	rows := make([][]string, 0, headLimit)
	for i, r := range head {
		if i == headLimit {
			break
		}
		r = append([]string(nil), r...)
		if i == 0 && len(r) > 0 {
			r[0] = strings.TrimPrefix(r[0], "\ufeff")
		}
		rows = append(rows, r)
	}
	return rows
}

// detectFormat recognises the tool from the first rows.
func detectFormat(rows [][]string) (Format, int) {
	if len(rows) == 0 {
		return FormatGeneric, 1
	}
	if n := qualtricsHeaderRows(rows); n > 0 {
		return FormatQualtrics, n
	}
	first := headerKeys(rows[0])
	has := func(keys ...string) bool {
		for _, k := range keys {
			if !first[k] {
				return false
			}
		}
		return true
	}
	switch {
	case isSurveyMonkeyOptionRow(rows):
		// Only the two-row header is SurveyMonkey's own: a one-row file
		// that merely starts with "Respondent ID" (a council's sheet, the
		// benchmark's generated file) is read as generic, so that its
		// columns are judged by their names and values.
		return FormatSurveyMonkey, 2
	case has("lastpage", "startlanguage") || has("id", "submitdate"):
		return FormatLimeSurvey, 1
	case isKobo(rows[0]):
		return FormatKoboToolbox, 1
	case has("id", "starttime", "completiontime"):
		return FormatMicrosoftForms, 1
	case isGoogleTimestamp(squash(cellAt(rows[0], 0))):
		return FormatGoogleForms, 1
	case first["responseid"] && (has("completionstatus") || first["datestarted"] || first["dateended"] ||
		(first["started"] && (first["ended"] || first["status"]))):
		return FormatSmartSurvey, 1
	}
	return FormatGeneric, 1
}

// isGoogleTimestamp spots Google Forms' first header in the languages a
// council might meet.
func isGoogleTimestamp(k string) bool {
	switch k {
	case "timestamp", "marcatemporal", "horodateur", "zeitstempel", "carimbodedatahora",
		"informazionicronologiche", "tijdstempel":
		return true
	}
	return false
}

// forcedHeaderRows is the header row count of a format the user chose, or
// an error when the rows plainly do not fit it.
func forcedHeaderRows(rows [][]string, f Format) (int, error) {
	switch f {
	case FormatQualtrics:
		if n := qualtricsHeaderRows(rows); n > 0 {
			return n, nil
		}
		return 0, fmt.Errorf("the file does not start the way a Qualtrics export does (a row of question codes such as Q1, a row of question text and, in current exports, a row of {\"ImportId\": ...}); export the responses from Qualtrics again as CSV, or choose another format or auto")
	case FormatSurveyMonkey:
		return surveyMonkeyHeaderRows(rows), nil
	case FormatSmartSurvey, FormatMicrosoftForms, FormatGoogleForms, FormatLimeSurvey,
		FormatKoboToolbox, FormatGeneric:
		return 1, nil
	}
	_, err := ParseFormat(string(f))
	return 0, err
}

// qualtricsHeaderRows returns 3 for a current Qualtrics export (its third
// row is {"ImportId": ...}), 2 for a legacy one (a row of V1, V2... or of
// ResponseID, then question text) and 0 otherwise.
func qualtricsHeaderRows(rows [][]string) int {
	if len(rows) >= 3 && isImportIDRow(rows[2]) {
		return 3
	}
	if len(rows) < 2 {
		return 0
	}
	r0, r1 := rows[0], rows[1]
	if strings.TrimSpace(cellAt(r0, 0)) == "V1" && strings.TrimSpace(cellAt(r0, 1)) == "V2" {
		return 2
	}
	for j := range min(len(r0), 12) {
		if squash(cellAt(r0, j)) == "responseid" && squash(cellAt(r1, j)) == "responseid" {
			return 2
		}
	}
	return 0
}

func isImportIDRow(row []string) bool {
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		return strings.HasPrefix(c, "{") && strings.Contains(c, "ImportId")
	}
	return false
}

// isSurveyMonkeyOptionRow spots SurveyMonkey's second header row: row 1
// names Respondent ID (or Collector ID), and row 2 is blank in the first
// column and holds "Response" or "Open-Ended Response" under a question, or
// an option label under a blank row-1 cell (a question answered in several
// columns, whose text SurveyMonkey writes once). A data row would have a
// value under its first column.
func isSurveyMonkeyOptionRow(rows [][]string) bool {
	if len(rows) < 2 || strings.TrimSpace(cellAt(rows[1], 0)) != "" {
		return false
	}
	first := headerKeys(rows[0])
	if !first["respondentid"] && !first["collectorid"] {
		return false
	}
	for j, c := range rows[1] {
		if k := squash(c); k == "response" || k == "openendedresponse" {
			return true
		}
		if j > 0 && strings.TrimSpace(c) != "" && strings.TrimSpace(cellAt(rows[0], j)) == "" &&
			strings.TrimSpace(cellAt(rows[0], j-1)) != "" {
			return true
		}
	}
	return false
}

// surveyMonkeyHeaderRows is 2 when the second row is SurveyMonkey's option
// row (blank under Respondent ID), else 1 (a condensed export).
func surveyMonkeyHeaderRows(rows [][]string) int {
	if len(rows) >= 2 && strings.TrimSpace(cellAt(rows[1], 0)) == "" {
		return 2
	}
	return 1
}

// isKobo spots KoboToolbox's system columns, or headers that are mostly
// XLSForm group paths ("group_ab12cd/question", "group_ab12cd.question").
func isKobo(row []string) bool {
	paths := 0
	for _, c := range row {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "_uuid", "_submission_time", "_submission__uuid", "_parent_index":
			return true
		}
		if l := strings.ToLower(c); strings.HasPrefix(l, "group_") && strings.ContainsAny(l, "./") {
			paths++
		}
	}
	return paths >= 2 && paths*2 >= len(row)
}

// buildLayout works out the headers and codes of the format's header rows.
func buildLayout(format Format, headerRows int, rows [][]string) Layout {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	fix := format.CellFixer()
	get := func(r, j int) string {
		if r >= len(rows) {
			return ""
		}
		v := cleanHeader(cellAt(rows[r], j))
		if fix != nil {
			v = fix(v)
		}
		return v
	}
	l := Layout{Format: format, HeaderRows: headerRows, Headers: make([]string, width), Codes: make([]string, width)}
	question := ""
	for j := range width {
		switch {
		case format == FormatQualtrics && headerRows >= 2:
			l.Codes[j], l.Headers[j] = get(0, j), get(1, j)
			if l.Headers[j] == "" {
				l.Headers[j] = l.Codes[j]
			}
		case format == FormatSurveyMonkey && headerRows == 2:
			if q := get(0, j); q != "" {
				question = q
			}
			l.Headers[j] = joinSurveyMonkey(question, get(1, j))
		default:
			l.Headers[j] = get(0, j)
			if (format == FormatLimeSurvey || format == FormatKoboToolbox) && !strings.Contains(l.Headers[j], " ") {
				l.Codes[j] = l.Headers[j]
			}
		}
	}
	l.Headers = uniqueHeaders(l.Headers)
	return l
}

// joinSurveyMonkey joins a question with its option-row cell.
func joinSurveyMonkey(question, option string) string {
	switch k := squash(option); {
	case k == "" || k == "response" || k == "openendedresponse":
		return question
	case question == "":
		return option
	}
	return question + " — " + option
}

// uniqueHeaders names blank headers after their column letter and numbers
// repeats (compared case-insensitively): "Age", "Age (2)".
func uniqueHeaders(h []string) []string {
	seen := make(map[string]int, len(h))
	for j, v := range h {
		if v == "" {
			v = "Column " + columnLetters(j)
		}
		key := strings.ToLower(v)
		seen[key]++
		if n := seen[key]; n > 1 {
			for {
				cand := v + " (" + strconv.Itoa(n) + ")"
				if seen[strings.ToLower(cand)] == 0 {
					v = cand
					seen[strings.ToLower(cand)]++
					break
				}
				n++
			}
		}
		h[j] = v
	}
	return h
}

// columnLetters is a 0-based column index as a spreadsheet letter (A, AB).
func columnLetters(j int) string {
	s := ""
	for j++; j > 0; j = (j - 1) / 26 {
		s = string(rune('A'+(j-1)%26)) + s
	}
	return s
}

// cleanHeader turns a header cell into the text a person reads: formatting
// tags such as <br> become spaces, entities are decoded, white space (including
// non-breaking spaces) is collapsed and trimmed.
func cleanHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.IndexByte(s, '<') >= 0 {
		s = stripTags(s)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b'
	}), " ")
}

// formattingTags are the HTML tags survey tools put in question text for
// layout (SurveyMonkey's <br>, Qualtrics' <span>...). Only these are
// removed from headings; any other markup is the heading's own text and is
// kept as it is, to be shown as text.
var formattingTags = map[string]bool{
	"br": true, "p": true, "div": true, "span": true, "b": true, "strong": true, "i": true, "em": true,
	"u": true, "font": true, "sup": true, "sub": true, "ul": true, "ol": true, "li": true, "hr": true,
}

// stripTags replaces formatting tags (a "<" followed by one of
// formattingTags, optionally after "/", and closed by ">" within 200
// bytes) with a space; everything else is kept.
func stripTags(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			if end := strings.IndexByte(s[i:min(len(s), i+200)], '>'); end > 0 && formattingTags[htmlTagName(s[i+1:i+end])] {
				b.WriteByte(' ')
				i += end
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// htmlTagName is the lower-cased name of the tag whose text (between < and >)
// is t: "br" for "br/", "/p" gives "p".
func htmlTagName(t string) string {
	t = strings.TrimPrefix(t, "/")
	n := 0
	for n < len(t) && isASCIILetter(t[n]) {
		n++
	}
	return strings.ToLower(t[:n])
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// headerKeys is the set of squashed headers of a row.
func headerKeys(row []string) map[string]bool {
	keys := make(map[string]bool, len(row))
	for _, c := range row {
		keys[squash(c)] = true
	}
	return keys
}

// squash is the form in which headers are looked up: letters and digits
// only, lower-cased ("Response_ID", "Response ID" and "responseid" alike).
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// cellAt is row[j], or "" past its end.
func cellAt(row []string, j int) string {
	if j < len(row) {
		return row[j]
	}
	return ""
}
