package importers

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
)

// maxErrors is how many problems a refused file reports; past that the
// reader has enough to start fixing.
const maxErrors = 50

// ErrorList is every problem found in a refused file, each with its row and
// column, up to a limit. Nothing of a refused file is stored.
type ErrorList []analytics.ImportError

// Error summarises the list: the first problem and how many there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no problems"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", l[0].Error(), len(l)-1)
}

// questionColumn is where one question's answers are in a row.
type questionColumn struct {
	col     int
	q       *analytics.Question
	matcher *OptionMatcher
}

// converter turns a spooled row into a Response following a mapping.
type converter struct {
	file, sheet string
	headers     []string
	id          int
	submitted   int
	started     int
	complete    func(row []string) bool
	dims        []int
	questions   []questionColumn
	order       analytics.DateOrder
	date1904    bool
	fix         func(string) string
	// swapped counts, per column, the dates that could only be read in the
	// other day/month order than the file's, and the first row of each.
	swapped map[int]*swap
}

// swap records dates of one column read in the other day/month order.
type swap struct {
	count, firstRow int
	example         string
}

func newConverter(p *Prepared) *converter {
	m := &p.Mapping
	c := &converter{file: p.File, sheet: p.Info.Sheet, headers: p.Layout.Headers,
		id: -1, submitted: -1, started: -1, complete: CompleteFunc(*m),
		order: m.DateOrder, date1904: p.Info.Date1904, fix: Format(m.Format).CellFixer(), swapped: map[int]*swap{}}
	dimAt := make(map[string]int, len(m.Dimensions))
	qAt := make(map[string]int, len(m.Questions))
	for _, col := range m.Columns {
		switch col.Role {
		case analytics.RoleRespondentID:
			c.id = col.Index
		case analytics.RoleSubmitted:
			c.submitted = col.Index
		case analytics.RoleStarted:
			c.started = col.Index
		case analytics.RoleDimension:
			dimAt[col.Code] = col.Index
		case analytics.RoleQuestion:
			qAt[col.Code] = col.Index
		}
	}
	for _, d := range m.Dimensions {
		c.dims = append(c.dims, dimColumn(dimAt, d.Code))
	}
	for i := range m.Questions {
		q := &m.Questions[i]
		c.questions = append(c.questions, questionColumn{col: dimColumn(qAt, q.Code), q: q, matcher: NewOptionMatcher(q)})
	}
	return c
}

func dimColumn(at map[string]int, code string) int {
	if i, ok := at[code]; ok {
		return i
	}
	return -1
}

func (c *converter) cell(cells []string, col int) string {
	if col < 0 || col >= len(cells) {
		return ""
	}
	v := strings.TrimSpace(cells[col])
	if c.fix != nil {
		v = c.fix(v)
	}
	return v
}

func (c *converter) problem(row, col int, msg string) analytics.ImportError {
	e := analytics.ImportError{File: c.file, Sheet: c.sheet, Row: row, Message: msg}
	if col >= 0 && col < len(c.headers) {
		e.Column = c.headers[col]
	}
	return e
}

// convert turns one row into a Response, or says what is wrong with it.
func (c *converter) convert(row int, cells []string) (analytics.Response, []analytics.ImportError) {
	var probs []analytics.ImportError
	r := analytics.Response{Row: row, Complete: c.complete(cells), RespondentID: c.cell(cells, c.id)}
	for _, col := range []int{c.submitted, c.started} {
		v := c.cell(cells, col)
		if v == "" {
			continue
		}
		t, err := c.date(row, col, v)
		if err != nil {
			probs = append(probs, c.problem(row, col, err.Error()))
			break
		}
		r.Submitted = t
		break
	}
	r.Dimensions = make([]string, len(c.dims))
	for i, col := range c.dims {
		r.Dimensions[i] = c.cell(cells, col)
	}
	r.Answers = make([]analytics.Answer, len(c.questions))
	for i, qc := range c.questions {
		a, msg := c.answer(row, qc, c.cell(cells, qc.col))
		if msg != "" {
			probs = append(probs, c.problem(row, qc.col, msg))
		}
		r.Answers[i] = a
	}
	return r, probs
}

// answer reads one cell as an answer to its question; msg says what is
// wrong when it cannot.
func (c *converter) answer(row int, qc questionColumn, v string) (analytics.Answer, string) {
	a := analytics.NoAnswer
	if v == "" {
		return a, ""
	}
	switch qc.q.Kind {
	case analytics.KindScale, analytics.KindSingle:
		a.Option = qc.matcher.Match(v)
		if a.Option < 0 {
			return a, fmt.Sprintf("%q is not one of the answers of this question (%s); correct the cell, or check this file belongs to this survey", v, optionList(qc.q))
		}
	case analytics.KindMulti:
		for _, part := range splitMulti(v, qc.q.Separator) {
			i := qc.matcher.Match(part)
			if i < 0 {
				return a, fmt.Sprintf("%q is not one of the answers of this question (%s)", part, optionList(qc.q))
			}
			a.Options = append(a.Options, i)
		}
	case analytics.KindNumber:
		n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil {
			return a, fmt.Sprintf("%q is not a number; this column holds numbers", v)
		}
		a.Number, a.HasNumber = n, true
	case analytics.KindDate:
		t, err := c.date(row, qc.col, v)
		if err != nil {
			return a, err.Error()
		}
		a.Text = t.UTC().Format(time.RFC3339)
	default:
		a.Text = v
	}
	return a, ""
}

// date reads a date cell in the file's day/month order. A date that can
// only be read the other way round (5/13/2021 in a day-first file) is read
// that way and counted, so that the import can say so: some exports mix the
// two orders.
func (c *converter) date(row, col int, v string) (time.Time, error) {
	t, err := ParseDate(v, c.order, c.date1904)
	if err == nil {
		return t, nil
	}
	other := analytics.MonthFirst
	if c.order == analytics.MonthFirst {
		other = analytics.DayFirst
	}
	t, err2 := ParseDate(v, other, c.date1904)
	if err2 != nil {
		return time.Time{}, err
	}
	sw := c.swapped[col]
	if sw == nil {
		sw = &swap{firstRow: row, example: v}
		c.swapped[col] = sw
	}
	sw.count++
	return t, nil
}

// warnings say what the conversion did that a person should check.
func (c *converter) warnings() []string {
	var out []string
	order, other := "day first", "month first"
	if c.order == analytics.MonthFirst {
		order, other = other, order
	}
	cols := slices.Sorted(maps.Keys(c.swapped))
	for _, col := range cols {
		sw := c.swapped[col]
		name := ""
		if col >= 0 && col < len(c.headers) {
			name = c.headers[col]
		}
		out = append(out, fmt.Sprintf("column %q: %d dates could only be read %s (the first at row %d: %q) although the file's dates are read %s; "+
			"the file mixes the two orders, so check its dates, or export them as YYYY-MM-DD", name, sw.count, other, sw.firstRow, sw.example, order))
	}
	return out
}

// splitMulti splits a multiple-choice cell into its chosen answers.
func splitMulti(v, sep string) []string {
	if sep == "" {
		return []string{v}
	}
	var out []string
	for _, part := range strings.Split(v, strings.TrimSpace(sep)) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func optionList(q *analytics.Question) string {
	labels := make([]string, 0, len(q.Options))
	for _, o := range q.Options {
		labels = append(labels, fmt.Sprintf("%q", o.Label))
	}
	if len(labels) > 8 {
		labels = append(labels[:8], "...")
	}
	return "expected " + strings.Join(labels, ", ")
}

// Responses returns an iterator over the file's responses, converted by the
// mapping. It returns io.EOF after the last; if any row could not be
// converted it keeps reading to collect up to 50 problems and then returns
// them as an ErrorList instead of io.EOF, so that a caller storing the rows
// in one transaction rolls it back. Each call starts from the first row.
func (p *Prepared) Responses() (func() (analytics.Response, error), error) {
	if p.spool == nil {
		return nil, errors.New("prepared import is closed")
	}
	rd, err := p.spool.reader()
	if err != nil {
		return nil, err
	}
	c := newConverter(p)
	p.conv = c
	var probs ErrorList
	return func() (analytics.Response, error) {
		for {
			row, cells, err := rd.next()
			if errors.Is(err, io.EOF) {
				if len(probs) > 0 {
					return analytics.Response{}, probs
				}
				return analytics.Response{}, io.EOF
			}
			if err != nil {
				return analytics.Response{}, err
			}
			r, rowProbs := c.convert(row, cells)
			if len(rowProbs) == 0 {
				if len(probs) > 0 {
					continue
				}
				return r, nil
			}
			probs = append(probs, rowProbs[:min(len(rowProbs), maxErrors-len(probs))]...)
			if len(probs) >= maxErrors {
				return analytics.Response{}, probs
			}
		}
	}, nil
}

// Warnings say what reading the rows did that a person should check, such
// as dates read in the other day/month order. They are complete once the
// iterator from Responses has returned io.EOF.
func (p *Prepared) Warnings() []string {
	out := p.freeTextNotes()
	if p.conv != nil {
		out = append(out, p.conv.warnings()...)
	}
	return out
}

// freeTextNotes are the notes of inference on columns it read as free text
// on a judgement, for those the mapping still reads as free text.
func (p *Prepared) freeTextNotes() []string {
	if len(p.textNotes) == 0 {
		return nil
	}
	text := map[string]bool{}
	for _, q := range p.Mapping.Questions {
		if q.Kind == analytics.KindText {
			text[q.Code] = true
		}
	}
	var out []string
	for _, col := range p.Mapping.Columns {
		if col.Role != analytics.RoleQuestion || !text[col.Code] {
			continue
		}
		prefix := fmt.Sprintf("column %q was read as free text", col.Header)
		for _, n := range p.textNotes {
			if strings.HasPrefix(n, prefix) {
				out = append(out, n)
			}
		}
	}
	return out
}
