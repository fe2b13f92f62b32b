package table

import (
	"fmt"
	"os"
)

// Table reads an upload's rows one at a time.
type Table interface {
	// Next returns the next row's cells and its 1-based row number in the file: the line on which the record
	// starts for CSV, the sheet row number for XLSX. It returns io.EOF after the last row. Any other error is
	// an *analytics.ImportError naming the file, sheet, row (and column where known).
	// Blank rows (every cell empty) are skipped. Cells are returned as the file holds them, except: CSV text
	// is converted to UTF-8 with the BOM stripped; XLSX cells are raw values (RawCellValue: true), so dates are
	// Excel serial numbers and numbers are unformatted.
	//
	// Every CSV row has exactly as many cells as the heading row (the first row that is not blank): shorter
	// rows are padded with "", and a row with a value beyond the heading row's width is refused. An XLSX row
	// ends at its last cell that has a value, so rows may differ in length. A cell that holds only spaces
	// counts as empty when deciding whether a row is blank, but is returned as it is.
	// The slice returned is the caller's to keep.
	Next() (cells []string, row int, err error)
	Close() error
}

// Info describes the opened file.
type Info struct {
	Container string   // "csv" or "xlsx"
	Encoding  string   // csv: "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252", "macintosh"
	Delimiter rune     // csv: ',', ';' or '\t'
	Sheet     string   // xlsx: the sheet read
	Sheets    []string // xlsx: every worksheet name
	Date1904  bool     // xlsx: the workbook uses the 1904 date system
}

// Options says how to open a file.
type Options struct {
	Sheet  string // xlsx: read this sheet; "" = the first worksheet that has data
	Limits Limits // zero value means DefaultLimits(); a zero field takes its default
}

// Open opens the file at path. name is the file name used in error messages (an upload's original name).
// The container is found from the content, never from the extension.
//
// A file that cannot be read as a table (empty, password-protected, .xls, .ods, damaged, not a spreadsheet,
// over a limit) gives an *analytics.ImportError whose message says what the file is and what to do.
// Failing to open or stat path itself is a plain wrapped error: that is the server's problem, not the file's.
func Open(path, name string, opts Options) (Table, Info, error) {
	lim := opts.Limits.orDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, Info{}, fmt.Errorf("open upload %q: %w", name, err)
	}
	t, info, err := openTableFile(f, path, name, opts.Sheet, lim)
	if err != nil {
		f.Close()
		return nil, Info{}, err
	}
	return t, info, nil
}

// openTableFile sniffs f and hands it to the reader for its container. The
// CSV reader keeps f open; the XLSX reader opens path itself, so f is closed.
func openTableFile(f *os.File, path, name, sheet string, lim Limits) (Table, Info, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, Info{}, fmt.Errorf("stat upload %q: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, Info{}, fmt.Errorf("upload %q is not a regular file", name)
	}
	size := fi.Size()
	if size == 0 {
		return nil, Info{}, fileError(name, msgEmpty)
	}
	if err := sizeError(name, size, lim); err != nil {
		return nil, Info{}, err
	}
	kind, err := sniffContainer(f, size, name)
	if err != nil {
		return nil, Info{}, err
	}
	if kind == containerZip {
		if err := f.Close(); err != nil {
			return nil, Info{}, fmt.Errorf("close upload %q: %w", name, err)
		}
		return openXLSX(path, name, sheet, lim)
	}
	return openCSV(f, size, name, lim)
}

// CheckSize refuses a file larger than the limits allow from its size
// alone, before anything reads it: a caller that hashes or copies the whole
// file first calls this, so that a file of several hundred megabytes is
// refused at once. The error is the one Open gives for the same file; an
// error of stat itself is a plain wrapped error.
func CheckSize(path, name string, lim Limits) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat upload %q: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil // Open says what is wrong with it
	}
	return sizeError(name, fi.Size(), lim.orDefaults())
}

// sizeError is the refusal of a file of size bytes over lim.MaxFileBytes,
// or nil. It says the file's size and the limit, and the flag that raises
// the limit where there is one.
func sizeError(name string, size int64, lim Limits) error {
	if size <= lim.MaxFileBytes {
		return nil
	}
	detail := fmt.Sprintf("it is %s and at most %s can be imported", byteSize(size), byteSize(lim.MaxFileBytes))
	if lim.MaxFileFlag != "" {
		detail += fmt.Sprintf(" (%s %d or more raises the limit)", lim.MaxFileFlag, (size+1<<20-1)>>20)
	}
	return tooBigError(name, detail)
}
