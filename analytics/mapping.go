package analytics

// Role says what a file's column becomes.
type Role string

// The roles a column can take.
const (
	RoleRespondentID Role = "respondent_id"
	RoleSubmitted    Role = "submitted"
	RoleStarted      Role = "started"
	RoleComplete     Role = "complete"
	RoleDimension    Role = "dimension"
	RoleQuestion     Role = "question"
	// RolePersonal marks a name or email column: it is never stored.
	RolePersonal Role = "personal"
	// RoleIgnore marks metadata that heard does not need (IP address,
	// latitude, timings...).
	RoleIgnore Role = "ignore"
)

// DateOrder says how to read an ambiguous date such as 03/04/2024.
type DateOrder string

// The date orders. DayFirst is the UK reading and the default for generic files.
const (
	DateAuto   DateOrder = ""
	DayFirst   DateOrder = "dayfirst"
	MonthFirst DateOrder = "monthfirst"
)

// Column is one column of a file and what it becomes.
type Column struct {
	// Index is the column's 0-based position in this file.
	Index int `json:"index"`
	// Header is the column's header text, the key by which later files of
	// the same survey are matched.
	Header string `json:"header"`
	Role   Role   `json:"role"`
	// Code is the question or dimension code for those roles.
	Code string `json:"code,omitempty"`
}

// Mapping is how a file's columns become a survey's questions and
// dimensions. It is inferred on a survey's first import, saved with the
// survey, and matched by header text on the next file.
type Mapping struct {
	Format     string      `json:"format"`
	HeaderRows int         `json:"header_rows"`
	DateOrder  DateOrder   `json:"date_order,omitempty"`
	Columns    []Column    `json:"columns"`
	Questions  []Question  `json:"questions"`
	Dimensions []Dimension `json:"dimensions"`
}
