package table

import (
	"bytes"
	"io"
)

// csvGuard sits between the decoded text and encoding/csv. It turns a lone
// carriage return into a line feed (and drops the CR of a CRLF), so a file
// with old Mac line endings is not read as one record, and a CR inside a
// quoted cell stays a line break. It also follows records and fields the way
// encoding/csv will, so a record with far too many fields or a cell far too
// long is refused before encoding/csv holds it in memory.
type csvGuard struct {
	r         io.Reader
	name      string
	delim     byte
	maxFields int // fields in one record, counting empty ones
	maxRaw    int // bytes of one field as written, quotes included

	skipLF  bool // the last byte was a CR made into LF: drop an LF right after it
	state   guardState
	fields  int // fields begun in the current record
	raw     int // bytes in the current field
	line    int // line being read, 1-based
	recLine int // line on which the current record started
	err     error
}

// guardState is where the guard is inside a CSV field.
type guardState uint8

const (
	atFieldStart guardState = iota
	inUnquoted
	inQuoted
	afterQuote // a quote inside a quoted field: the end of it, or the first of ""
)

// newCSVGuard guards r, a UTF-8 stream with delimiter delim, against lim.
func newCSVGuard(r io.Reader, name string, delim byte, lim Limits) *csvGuard {
	return &csvGuard{r: r, name: name, delim: delim, maxFields: lim.MaxColumns + 1,
		maxRaw: 2*lim.MaxCellBytes + 2, fields: 1, line: 1, recLine: 1}
}

// Read fills p with normalised text, or fails with an *analytics.ImportError
// when the stream goes over a limit.
func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	for {
		n, err := g.r.Read(p)
		n = g.normalise(p[:n])
		if g.err = g.track(p[:n]); g.err != nil {
			return 0, g.err
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// normalise rewrites CR and CRLF as LF in place and returns the new length.
func (g *csvGuard) normalise(p []byte) int {
	if !g.skipLF && bytes.IndexByte(p, '\r') < 0 {
		return len(p)
	}
	w := 0
	for _, b := range p {
		if g.skipLF {
			g.skipLF = false
			if b == '\n' {
				continue
			}
		}
		if b == '\r' {
			b, g.skipLF = '\n', true
		}
		p[w] = b
		w++
	}
	return w
}

// track follows fields and records through p.
func (g *csvGuard) track(p []byte) error {
	for _, b := range p {
		if b == '\n' {
			g.line++
		}
		if g.state == inQuoted {
			if b == '"' {
				g.state = afterQuote
			}
		} else {
			switch b {
			case g.delim:
				g.fields++
				g.raw = 0
				g.state = atFieldStart
				if g.fields > g.maxFields {
					return columnLimitError(g.name, "", g.recLine, g.maxFields-1)
				}
				continue
			case '\n':
				g.fields, g.raw, g.state, g.recLine = 1, 0, atFieldStart, g.line
				continue
			case '"':
				switch g.state {
				case atFieldStart, afterQuote:
					g.state = inQuoted
				}
			default:
				g.state = inUnquoted
			}
		}
		g.raw++
		if g.raw > g.maxRaw {
			return cellLimitError(g.name, "", g.recLine, g.fields, (g.maxRaw-2)/2)
		}
	}
	return nil
}
