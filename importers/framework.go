package importers

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/table"
)

// frameworkColumns are the columns of a framework file, in the order a
// message lists them; parent is optional.
var frameworkColumns = []string{"id", "theme", "statement", "parent"}

// maxFrameworkRows bounds a framework file: frameworks have tens of
// statements, a council's own a few hundred at most.
const maxFrameworkRows = 5000

// maxFrameworkErrors is how many problems ReadFramework lists before it
// stops reading.
const maxFrameworkErrors = 20

// ReadFramework reads a framework's statements from the CSV (or Excel)
// file at path, read safely through table.Open: a heading row with the
// columns id, theme and statement, and optionally parent, in any order and
// any case, then one statement a row. name is the file's name in messages
// and framework the framework's name. A parent is FRAMEWORK:ID, a
// statement of one of known or of this file. Every problem is an
// *analytics.ImportError naming the file, row and column, or an ErrorList
// of them.
func ReadFramework(path, name, framework string, known []analytics.Framework) (analytics.Framework, error) {
	fw := analytics.Framework{Name: framework}
	if err := analytics.CheckFrameworkName(framework); err != nil {
		return fw, &analytics.ImportError{File: name, Message: err.Error()}
	}
	tab, info, err := table.Open(path, name, table.Options{Limits: table.Limits{MaxRows: maxFrameworkRows, MaxColumns: 50, MaxCellBytes: 16 << 10}})
	if err != nil {
		return fw, err
	}
	defer tab.Close()
	head, headRow, err := tab.Next()
	if errors.Is(err, io.EOF) {
		return fw, &analytics.ImportError{File: name, Sheet: info.Sheet,
			Message: "the file is empty: give a heading row with the columns id, theme and statement, then one statement a row"}
	}
	if err != nil {
		return fw, err
	}
	cols, err := frameworkHeading(name, info.Sheet, head, headRow)
	if err != nil {
		return fw, err
	}
	r := frameworkReader{name: name, sheet: info.Sheet, cols: cols, head: head, rows: map[string]int{}}
	for len(r.errs) < maxFrameworkErrors {
		cells, row, err := tab.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fw, err
		}
		if st, ok := r.statement(cells, row); ok {
			fw.Statements = append(fw.Statements, st)
		}
	}
	if len(fw.Statements) == 0 && len(r.errs) == 0 {
		return fw, &analytics.ImportError{File: name, Sheet: info.Sheet, Row: headRow,
			Message: "the file has a heading row but no statements: add one statement a row below it"}
	}
	r.checkParents(fw, known)
	slices.SortStableFunc(r.errs, func(a, b analytics.ImportError) int { return a.Row - b.Row })
	if len(r.errs) > 0 {
		return fw, r.errs
	}
	return fw, nil
}

// frameworkHeading finds the columns of a framework file in its heading
// row: each of frameworkColumns at most once (parent may be missing), and
// no other column.
func frameworkHeading(name, sheet string, head []string, row int) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range head {
		key := strings.ToLower(strings.TrimSpace(h))
		switch {
		case key == "":
			return nil, &analytics.ImportError{File: name, Sheet: sheet, Row: row, Column: columnLetters(i),
				Message: "this column has no heading: a framework file has the columns id, theme, statement and, optionally, parent"}
		case !slices.Contains(frameworkColumns, key):
			return nil, &analytics.ImportError{File: name, Sheet: sheet, Row: row, Column: h,
				Message: "heard does not read this column: a framework file has the columns id, theme, statement and, optionally, " +
					"parent; rename or remove it"}
		}
		if j, dup := cols[key]; dup {
			return nil, &analytics.ImportError{File: name, Sheet: sheet, Row: row, Column: h,
				Message: fmt.Sprintf("the file has a %s column already (column %s): keep one", key, columnLetters(j))}
		}
		cols[key] = i
	}
	for _, want := range frameworkColumns[:3] {
		if _, ok := cols[want]; !ok {
			return nil, &analytics.ImportError{File: name, Sheet: sheet, Row: row,
				Message: fmt.Sprintf("the heading row has no %s column: a framework file has the columns id, theme, statement and, "+
					"optionally, parent", want)}
		}
	}
	return cols, nil
}

// frameworkReader reads a framework file's rows, keeping each problem.
type frameworkReader struct {
	name, sheet string
	cols        map[string]int
	head        []string
	// rows is the row of each id read so far.
	rows map[string]int
	// parents are the rows of statements with a parent, checked at the end.
	parents []parentAt
	errs    ErrorList
}

// parentAt is a statement's parent and where it was read.
type parentAt struct {
	id, parent string
	row        int
}

// fail records a problem of a row's column.
func (r *frameworkReader) fail(row int, col, msg string) {
	r.errs = append(r.errs, analytics.ImportError{File: r.name, Sheet: r.sheet, Row: row, Column: r.head[r.cols[col]], Message: msg})
}

// cell is a row's value in column col, trimmed.
func (r *frameworkReader) cell(cells []string, col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// statement reads one row; ok is false when the row has a problem.
func (r *frameworkReader) statement(cells []string, row int) (analytics.Statement, bool) {
	st := analytics.Statement{ID: r.cell(cells, "id"), Theme: r.cell(cells, "theme"), Text: r.cell(cells, "statement"),
		Parent: r.cell(cells, "parent")}
	before := len(r.errs)
	switch first, seen := r.rows[st.ID]; {
	case st.ID == "":
		r.fail(row, "id", "the statement has no id: give each statement a short id of its own, such as I1")
	case analytics.CheckStatementID(st.ID) != nil:
		r.fail(row, "id", analytics.CheckStatementID(st.ID).Error())
	case seen:
		r.fail(row, "id", fmt.Sprintf("the id %q is used already on row %d: give each statement an id of its own", st.ID, first))
	default:
		r.rows[st.ID] = row
	}
	for _, c := range []struct {
		col, value, what string
		most             int
	}{{"theme", st.Theme, "the theme it belongs to", analytics.MaxThemeText}, {"statement", st.Text, "its words", analytics.MaxStatementText}} {
		switch n := utf8.RuneCountInString(c.value); {
		case n == 0:
			r.fail(row, c.col, "this is empty: give "+c.what)
		case n > c.most:
			r.fail(row, c.col, fmt.Sprintf("this is %d characters long, more than the %d heard keeps: shorten it", n, c.most))
		}
	}
	if st.Parent != "" {
		if _, err := analytics.ParseStatementRef(st.Parent); err != nil {
			r.fail(row, "parent", err.Error())
		} else {
			r.parents = append(r.parents, parentAt{id: st.ID, parent: st.Parent, row: row})
		}
	}
	return st, len(r.errs) == before
}

// checkParents checks that each parent names a statement of known, or
// another statement of fw.
func (r *frameworkReader) checkParents(fw analytics.Framework, known []analytics.Framework) {
	var all []analytics.Framework
	for _, k := range known {
		if k.Name != fw.Name {
			all = append(all, k)
		}
	}
	all = append(all, fw)
	for _, p := range r.parents {
		ref, _ := analytics.ParseStatementRef(p.parent)
		if ref == (analytics.StatementRef{Framework: fw.Name, ID: p.id}) {
			r.fail(p.row, "parent", "a statement cannot refine itself: name the statement of another framework it refines, or leave this empty")
			continue
		}
		if _, err := analytics.FindStatement(all, ref); err != nil {
			r.fail(p.row, "parent", err.Error())
		}
	}
}
