package importers

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
)

// spool keeps the data rows of a file between the first pass, which reads
// the upload and learns what each column holds, and the second, which
// converts and stores them. Rows go to a temporary file so memory stays
// flat however long the upload is; the file is removed from its directory
// as soon as it is created (where the system allows), so nothing is left
// behind even if the process is killed.
type spool struct {
	f      *os.File
	path   string
	w      *bufio.Writer
	cw     *csv.Writer
	rows   int
	record []string
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "heard-import-*.csv")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for the import: %w", err)
	}
	s := &spool{f: f, path: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.path = ""
	}
	s.w = bufio.NewWriterSize(f, 1<<16)
	s.cw = csv.NewWriter(s.w)
	return s, nil
}

// add stores one data row with its row number in the upload.
func (s *spool) add(row int, cells []string) error {
	s.record = append(s.record[:0], strconv.Itoa(row))
	s.record = append(s.record, cells...)
	if err := s.cw.Write(s.record); err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	s.rows++
	return nil
}

// reader flushes what was written and returns a reader of the rows from
// the start. Each call starts again from the first row.
func (s *spool) reader() (*spoolReader, error) {
	s.cw.Flush()
	if err := s.cw.Error(); err != nil {
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind temporary file: %w", err)
	}
	r := csv.NewReader(bufio.NewReaderSize(s.f, 1<<16))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &spoolReader{r: r}, nil
}

// close removes the temporary file.
func (s *spool) close() error {
	err := s.f.Close()
	if s.path != "" {
		if rmErr := os.Remove(s.path); rmErr != nil && err == nil {
			err = rmErr
		}
	}
	return err
}

// spoolReader reads a spool's rows back.
type spoolReader struct {
	r *csv.Reader
}

// next returns the next row and its row number; io.EOF after the last.
// The cells are only valid until the next call.
func (r *spoolReader) next() (int, []string, error) {
	rec, err := r.r.Read()
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		return 0, nil, fmt.Errorf("read temporary file: %w", err)
	}
	row, err := strconv.Atoi(rec[0])
	if err != nil {
		return 0, nil, fmt.Errorf("read temporary file: bad row number %q", rec[0])
	}
	return row, rec[1:], nil
}
