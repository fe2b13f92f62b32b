package analytics

import (
	"errors"
	"regexp"
	"strings"
)

// The errors every layer shares: the store returns them, the command line
// turns them into exit codes and the HTTP service into statuses.
var (
	// ErrNotFound is a survey, question, account or other object that
	// does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists is an object that exists already.
	ErrExists = errors.New("already exists")
	// ErrNotMember is an analyst changing a survey they are not a member
	// of.
	ErrNotMember = errors.New("not a member of the survey")
)

// ParamError is a parameter of a request that does not fit: a period that
// is not one, a filter on a column the survey lacks. Msg names parameters
// as {name} ("{from} 2024-05-01 is after {to} 2024-03-31"); the command
// line writes them as its flags (--from) and HTTP as its query parameters
// (from), so that neither front end speaks the other's syntax. Param is
// the parameter at fault, "" when the message names none.
type ParamError struct {
	Param string
	Msg   string
}

// paramName is a parameter named in a message.
var paramName = regexp.MustCompile(`\{([a-z][a-z0-9-]*)\}`)

// ParamErrorf is a *ParamError whose message is msg (already formatted);
// its Param is the first parameter msg names.
func ParamErrorf(msg string) *ParamError {
	e := &ParamError{Msg: msg}
	if m := paramName.FindStringSubmatch(msg); m != nil {
		e.Param = m[1]
	}
	return e
}

// Flags writes the message with parameters as command-line flags:
// "--min-base".
func (e *ParamError) Flags() string {
	return paramName.ReplaceAllString(e.Msg, "--$1")
}

// Query writes the message with parameters as query parameters:
// "min_base".
func (e *ParamError) Query() string {
	return paramName.ReplaceAllStringFunc(e.Msg, func(s string) string {
		return strings.ReplaceAll(strings.Trim(s, "{}"), "-", "_")
	})
}

// QueryParam is Param as a query parameter.
func (e *ParamError) QueryParam() string { return strings.ReplaceAll(e.Param, "-", "_") }

// Error is the command line's form, for logs.
func (e *ParamError) Error() string { return e.Flags() }

// notFound is an ErrNotFound with a message saying what was not found.
type notFound struct{ msg string }

func (e *notFound) Error() string { return e.msg }
func (e *notFound) Unwrap() error { return ErrNotFound }

// NotFound is an error that says what was not found and is ErrNotFound.
func NotFound(msg string) error { return &notFound{msg: msg} }
