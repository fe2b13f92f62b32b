package dashboards

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// CSV writes CSV whose text cells cannot run as spreadsheet formulas:
// Text cells come from uploads or users and are made safe with SafeCell;
// Num cells are what heard wrote itself (numbers, true/false).
type CSV struct {
	w    *csv.Writer
	line []string
}

// NewCSV writes to w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Header writes the heading row.
func (c *CSV) Header(names ...string) { _ = c.w.Write(names) }

// Text adds cells of text from uploads or users, made safe.
func (c *CSV) Text(cells ...string) {
	for _, s := range cells {
		c.line = append(c.line, SafeCell(s))
	}
}

// Num adds cells that heard wrote itself (numbers, true/false).
func (c *CSV) Num(cells ...string) { c.line = append(c.line, cells...) }

// End writes the row made so far.
func (c *CSV) End() {
	_ = c.w.Write(c.line) // a write error sticks and is returned by flush
	c.line = c.line[:0]
}

// Flush writes what is buffered and returns the first write error.
func (c *CSV) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// IntCell writes a count, or "" for none.
func IntCell(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// FloatCell writes a number with at most places decimals, or "" for none.
func FloatCell(v *float64, places int) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(Round(*v, places), 'f', -1, 64)
}
