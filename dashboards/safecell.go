package dashboards

import (
	"strings"
	"unicode"
)

// formulaStarts are the characters with which a spreadsheet cell is read
// as a formula (OWASP, "CSV injection"): = + - @, tab and carriage return,
// their full-width and small forms, and line feed, which some programs
// treat like a carriage return.
const formulaStarts = "=+-@\t\r\n＝＋－＠﹦﹢﹣﹫"

// SafeCell returns s as a spreadsheet text cell that cannot run as a
// formula: s with a single quote in front when it begins with one of
// = + - @ (or their full-width forms ＝＋－＠, or small forms), a tab, a
// carriage return or a line feed — also after leading spaces or invisible
// characters, since some programs trim those before reading a formula.
// Other text is returned unchanged. The quote shows the text as it is and
// runs nothing; CSV downloads and WriteWorkbook use it for every text cell.
func SafeCell(s string) string {
	for _, r := range s {
		switch {
		case strings.ContainsRune(formulaStarts, r):
			return "'" + s
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r): // spaces, NBSP, BOM, zero-width
			continue
		}
		return s
	}
	return s
}
