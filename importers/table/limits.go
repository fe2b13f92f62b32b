package table

import "fmt"

// Limits bound what one upload may hold; a file over any of them is refused
// with a clear message. They keep a crafted file from costing more than a
// second or a few tens of megabytes of memory before it is refused.
type Limits struct {
	MaxFileBytes     int64 // default 200 << 20
	MaxUnzippedBytes int64 // total decompressed bytes of an xlsx; default 1 << 30
	MaxRows          int   // default 2_000_000
	MaxColumns       int   // default 5_000
	MaxCellBytes     int   // default 1 << 20
	// MaxFileFlag is how the person importing raises MaxFileBytes, named in
	// the refusal of a larger file ("--max-file-mb" for heard import); ""
	// when they cannot.
	MaxFileFlag string
}

// DefaultLimits returns the limits used when none are given: room for any
// real survey export, far below what would hurt the server.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:     200 << 20,
		MaxUnzippedBytes: 1 << 30,
		MaxRows:          2_000_000,
		MaxColumns:       5_000,
		MaxCellBytes:     1 << 20,
	}
}

// orDefaults fills each zero or negative field with its default, so a caller
// can tighten one limit without restating the others.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxUnzippedBytes <= 0 {
		l.MaxUnzippedBytes = d.MaxUnzippedBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxCellBytes <= 0 {
		l.MaxCellBytes = d.MaxCellBytes
	}
	return l
}

// byteSize writes a byte count the way a council analyst would say it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// thousands writes n with comma separators: 2000000 -> "2,000,000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
