package analytics

import (
	"fmt"
	"strings"
	"time"
)

// Import is one uploaded file and what became of it.
type Import struct {
	ID         int64
	SurveyID   int64
	File       string
	SHA256     string
	Format     string
	Sheet      string
	RowsRead   int
	Added      int
	Duplicates int
	// Changed counts the duplicates whose answers differ from the ones
	// stored first, which are kept. It is counted while importing and not
	// kept with the import's record.
	Changed  int
	Rejected int
	By       string
	At       time.Time
}

// ImportError is a problem with an uploaded file, placed as exactly as it
// can be: the file, the sheet, the row and the column. Message says what is
// wrong and what to do, in plain English.
type ImportError struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// Error reads as "survey.csv, sheet "Responses", row 14, column
// "Overall satisfaction": message".
func (e *ImportError) Error() string {
	var parts []string
	if e.File != "" {
		parts = append(parts, e.File)
	}
	if e.Sheet != "" {
		parts = append(parts, fmt.Sprintf("sheet %q", e.Sheet))
	}
	if e.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", e.Row))
	}
	if e.Column != "" {
		parts = append(parts, fmt.Sprintf("column %q", e.Column))
	}
	if len(parts) == 0 {
		return e.Message
	}
	return strings.Join(parts, ", ") + ": " + e.Message
}
