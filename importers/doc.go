// Package importers turns the files councils upload — CSV and Excel exports
// from SmartSurvey, Microsoft Forms, Google Forms, Qualtrics, SurveyMonkey,
// LimeSurvey, KoboToolbox or a hand-made sheet — into heard's domain values.
//
// An import reads a file twice. Prepare opens it safely (table.Open, in
// importers/table, sniffs the content, decodes the text, checks an Excel
// archive before excelize reads it), detects the tool's layout (DetectLayout), keeps the data rows
// aside in an unlinked temporary file while gathering each column's
// statistics, and infers the mapping (InferMapping) or matches the survey's
// saved one by header text. Responses then converts every row by that
// mapping, collecting each problem with its row and column, for the store
// to insert in one transaction.
//
// Every problem with a file is an *analytics.ImportError, or an ErrorList
// of them, in plain English: the file, sheet, row and column, and what to
// do.
package importers
