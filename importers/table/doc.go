// Package table turns an uploaded file's bytes into rows, safely: it sniffs
// what the file is from its content (CSV, an Excel workbook, or one of the
// files heard refuses with a message of their own: .xls, .ods, a
// password-protected or damaged workbook), decodes its text (UTF-8 with or
// without a BOM, UTF-16, Windows-1252), reads CSV with its delimiter
// guessed, checks a workbook's archive and XML, then reads its sheet with a
// scanner of its own that gives what excelize's reader gives (sizes,
// nesting, shared text checked first), and holds every read within Limits. Open
// returns a Table of rows; what the rows mean is the importers' work.
package table
