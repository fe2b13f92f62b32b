package importers

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/importers/table"
)

// maxThemeName bounds a theme's name, in bytes.
const maxThemeName = 200

// CommentColumns says which columns of a file of comments hold what, by
// their headings (matched ignoring case and surrounding spaces).
type CommentColumns struct {
	// Text is the column of the comments. Required.
	Text string
	// Labels is a column of each comment's themes, separated by
	// Separator (";" when ""). LabelColumns is the other way of giving
	// themes: one column per theme, named after it, marked 1, x, yes, y
	// or true for the comments that have it (0, no, n, false or empty
	// otherwise). Both may be empty when the file is only to be
	// classified.
	Labels       string
	LabelColumns []string
	Separator    string
	// Sentiment is an optional column of positive, mixed or negative, or
	// the NHS codes 1 to 5 (1-2 positive, 3 mixed, 4-5 negative).
	Sentiment string
	// Sheet is the worksheet of an Excel file ("" the first with data).
	Sheet  string
	Limits table.Limits
}

// Labelled reports whether the columns give each comment's themes.
func (c CommentColumns) Labelled() bool { return c.Labels != "" || len(c.LabelColumns) > 0 }

// CommentRow is one data row of a file of comments.
type CommentRow struct {
	// Row counts the file's data rows from 1 (blank rows, with every cell
	// empty, are skipped); Line is the row's number in the file, as errors
	// give it.
	Row, Line int
	// Example is the row's comment with its themes and sentiment, as far
	// as the columns give them.
	Example themes.Example
}

// ReadComments reads every data row of a CSV or Excel file of comments:
// the text, and the themes and sentiment when their columns are given. A
// column the file lacks, a theme name that cannot be one, or a sentiment or
// theme mark it cannot read is an *analytics.ImportError naming the file,
// row and column, and nothing is returned. name is the file's name in
// messages.
func ReadComments(path, name string, c CommentColumns) ([]CommentRow, error) {
	t, info, err := table.Open(path, name, table.Options{Sheet: c.Sheet, Limits: c.Limits})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	fail := func(line int, column, msg string) error {
		return &analytics.ImportError{File: name, Sheet: info.Sheet, Row: line, Column: column, Message: msg}
	}
	headers, _, err := t.Next()
	if errors.Is(err, io.EOF) {
		return nil, fail(0, "", "the file has no rows: it needs a heading row and a row per comment")
	}
	if err != nil {
		return nil, err
	}
	cols, err := findCommentColumns(headers, c, func(msg string) error { return fail(0, "", msg) })
	if err != nil {
		return nil, err
	}
	sep := c.Separator
	if sep == "" {
		sep = ";"
	}
	var out []CommentRow
	for {
		cells, line, err := t.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		cell := func(i int) string {
			if i < 0 || i >= len(cells) {
				return ""
			}
			return cells[i]
		}
		r := CommentRow{Row: len(out) + 1, Line: line,
			Example: themes.Example{Text: cell(cols.text), Group: fmt.Sprintf("row %d", len(out)+1)}}
		if cols.labels >= 0 {
			for _, label := range strings.Split(cell(cols.labels), sep) {
				if label = strings.TrimSpace(label); label == "" || slices.Contains(r.Example.Themes, label) {
					continue
				}
				if msg := badThemeName(label); msg != "" {
					return nil, fail(line, headers[cols.labels], msg)
				}
				r.Example.Themes = append(r.Example.Themes, label)
			}
		}
		for i, col := range cols.themes {
			has, ok := readMark(cell(col))
			if !ok {
				return nil, fail(line, headers[col], fmt.Sprintf("%q does not say whether the comment has the theme %q: "+
					"use 1, x, yes or true for a comment that has it, and 0, no, false or nothing for one that has not",
					clipText(cell(col)), cols.themeNames[i]))
			}
			if has {
				r.Example.Themes = append(r.Example.Themes, cols.themeNames[i])
			}
		}
		if cols.sentiment >= 0 {
			if v := strings.TrimSpace(cell(cols.sentiment)); v != "" {
				s, ok := themes.ParseSentiment(v)
				if !ok {
					return nil, fail(line, headers[cols.sentiment], fmt.Sprintf("%q is not a sentiment: use positive, mixed "+
						"or negative, or the NHS codes 1 to 5 (1-2 positive, 3 mixed, 4-5 negative)", clipText(v)))
				}
				r.Example.Sentiment = s
			}
		}
		out = append(out, r)
	}
}

// commentColumns are the indexes of the columns ReadComments reads (-1 for
// none).
type commentColumns struct {
	text, labels, sentiment int
	themes                  []int
	themeNames              []string
}

// findCommentColumns finds the columns named in c among the headings.
func findCommentColumns(headers []string, c CommentColumns, fail func(string) error) (commentColumns, error) {
	find := func(flag, heading string) (int, error) {
		if heading == "" {
			return -1, nil
		}
		want := strings.TrimSpace(heading)
		for i, h := range headers {
			if strings.TrimSpace(h) == want {
				return i, nil
			}
		}
		for i, h := range headers {
			if strings.EqualFold(strings.TrimSpace(h), want) {
				return i, nil
			}
		}
		quoted := make([]string, len(headers))
		for i, h := range headers {
			quoted[i] = fmt.Sprintf("%q", clipText(h))
		}
		return -1, fail(fmt.Sprintf("there is no column %q (given by %s); the file's columns are %s",
			clipText(heading), flag, strings.Join(quoted, ", ")))
	}
	var cols commentColumns
	var err error
	if strings.TrimSpace(c.Text) == "" {
		return cols, fail("say which column holds the comments")
	}
	if cols.text, err = find("--text", c.Text); err != nil {
		return cols, err
	}
	if cols.labels, err = find("--labels", c.Labels); err != nil {
		return cols, err
	}
	if cols.sentiment, err = find("--sentiment", c.Sentiment); err != nil {
		return cols, err
	}
	for _, name := range c.LabelColumns {
		if strings.TrimSpace(name) == "" {
			continue
		}
		i, err := find("--label-columns", name)
		if err != nil {
			return cols, err
		}
		theme := strings.TrimSpace(headers[i])
		if msg := badThemeName(theme); msg != "" {
			return cols, fail(fmt.Sprintf("column %q cannot name a theme: %s", clipText(headers[i]), msg))
		}
		if !slices.Contains(cols.themes, i) {
			cols.themes, cols.themeNames = append(cols.themes, i), append(cols.themeNames, theme)
		}
	}
	return cols, nil
}

// badThemeName says what is wrong with a theme's name, "" when nothing.
func badThemeName(theme string) string {
	switch {
	case len(theme) > maxThemeName:
		return fmt.Sprintf("the theme %q is longer than %d characters: is the separator right?", clipText(theme), maxThemeName)
	case strings.ContainsFunc(theme, unicode.IsControl):
		return fmt.Sprintf("the theme %q holds a line break or another control character", clipText(theme))
	}
	return ""
}

// readMark reads a one-column-per-theme cell: whether it marks the theme,
// and whether it could be read at all.
func readMark(s string) (has, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "1.0", "x", "yes", "y", "true", "✓", "✔":
		return true, true
	case "", "0", "0.0", "no", "n", "false", "-":
		return false, true
	}
	return false, false
}

// clipText shortens a cell for a message.
func clipText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
