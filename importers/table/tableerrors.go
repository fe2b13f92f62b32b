package table

import (
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// Messages for a file that cannot be read at all. Each kind of problem has its
// own wording, so an analyst knows what the file is and what to do with it.
const (
	msgEmpty = "the file is empty; export the survey's responses again and upload that file"

	msgEncrypted = "the workbook is protected with a password, so it cannot be read; " +
		"open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, " +
		"then clear the password) and save it again, then upload that file"

	msgXLS = "this is an old-style Excel file (.xls), which cannot be read; open it in Excel and " +
		"save it as an Excel Workbook (.xlsx) or as CSV UTF-8, then upload that file"

	msgODS = "this is an OpenDocument spreadsheet (.ods) from LibreOffice or OpenOffice, which cannot be read; " +
		"open it and save it as an Excel Workbook (.xlsx) or as CSV, then upload that file"

	msgNotWorkbook = "this is a zip archive but not an Excel workbook; " +
		"upload the survey export itself, saved as an Excel Workbook (.xlsx) or as CSV"

	msgNotTable = "this is not a CSV or Excel file; upload the survey export itself, " +
		"saved as an Excel Workbook (.xlsx) or as CSV"

	// msgDamagedPrefix starts every message about a broken workbook or zip.
	msgDamagedPrefix = "the file is damaged or was not saved completely"
	msgDamagedAdvice = "open it in Excel (let Excel repair it if it offers to) and save it again as an " +
		"Excel Workbook (.xlsx), then upload the new file"

	// msgUnusualPrefix starts every message about a workbook that is not damaged
	// as a zip but is built in a way that could make its values read wrongly.
	msgUnusualPrefix = "the workbook is laid out in an unusual way that could make its values read wrongly"

	// msgTooBigPrefix starts every message about a file over one of the Limits.
	msgTooBigPrefix = "the file is too large to import"

	// msgMixedEncodingPrefix starts the message about a text file that mixes encodings.
	msgMixedEncodingPrefix = "the file mixes two text encodings"
)

// fileError is an *analytics.ImportError about the whole file.
func fileError(name, msg string) *analytics.ImportError {
	return &analytics.ImportError{File: name, Message: msg}
}

// damagedError explains a broken zip or workbook; detail says what is broken.
func damagedError(name, detail string) *analytics.ImportError {
	return fileError(name, msgDamagedPrefix+" ("+detail+"); "+msgDamagedAdvice)
}

// unusualError explains a workbook whose XML heard will not trust.
func unusualError(name, sheet string, row int, detail string) *analytics.ImportError {
	return &analytics.ImportError{File: name, Sheet: sheet, Row: row,
		Message: msgUnusualPrefix + " (" + detail + "); " + msgDamagedAdvice}
}

// tooBigError explains which limit a file is over.
func tooBigError(name, detail string) *analytics.ImportError {
	return fileError(name, msgTooBigPrefix+": "+detail+
		"; split it into smaller files (for example one per quarter) and upload them one at a time")
}

// columnName turns a 1-based column number into its spreadsheet letters:
// 1 -> "A", 27 -> "AA". Analysts open CSV files in Excel too, so letters are
// how they find a column.
func columnName(n int) string {
	if n < 1 {
		return ""
	}
	var b []byte
	for n > 0 {
		n--
		b = append(b, byte('A'+n%26))
		n /= 26
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// cellLimitError explains a cell over Limits.MaxCellBytes.
func cellLimitError(name, sheet string, row, col int, limit int) *analytics.ImportError {
	return &analytics.ImportError{File: name, Sheet: sheet, Row: row, Column: columnName(col),
		Message: fmt.Sprintf("%s: this cell holds more than %s of text; "+
			"check that the file was exported correctly, or shorten the cell", msgTooBigPrefix,
			byteSize(int64(limit)))}
}

// columnLimitError explains a row over Limits.MaxColumns.
func columnLimitError(name, sheet string, row, limit int) *analytics.ImportError {
	return &analytics.ImportError{File: name, Sheet: sheet, Row: row,
		Message: fmt.Sprintf("%s: this row has more than %s columns, the most that can be imported; "+
			"remove the columns you do not need and upload the file again", msgTooBigPrefix, thousands(limit))}
}

// rowLimitError explains a file over Limits.MaxRows.
func rowLimitError(name, sheet string, row, limit int) *analytics.ImportError {
	return &analytics.ImportError{File: name, Sheet: sheet, Row: row,
		Message: fmt.Sprintf("%s: it has more than %s rows; "+
			"split it into smaller files (for example one per quarter) and upload them one at a time",
			msgTooBigPrefix, thousands(limit))}
}

// sheetList quotes sheet names for a message: "Responses", "Notes".
func sheetList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
