package importers

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// spool keeps the data rows of a file between the first pass, which reads
// the upload and learns what each column holds, and the second, which
// converts and stores them. Rows go to a temporary file so memory stays
// flat however long the upload is; the file is removed from its directory
// as soon as it is created (where the system allows), so nothing is left
// behind even if the process is killed.
//
// Each row is written as length-prefixed bytes: the row number, the number
// of cells and each cell's length as unsigned varints, then the cells' bytes.
// The spool is only ever read back by this process, so it needs no quoting;
// writing and parsing CSV here cost about a third of the import's own work.
type spool struct {
	f     *os.File
	path  string
	w     *bufio.Writer
	rows  int
	head  []byte   // the row's varints, reused
	fixed []string // a row's cells with CR LF made LF, reused
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "heard-import-*.spool")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for the import: %w", err)
	}
	s := &spool{f: f, path: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.path = ""
	}
	s.w = bufio.NewWriterSize(f, 1<<16)
	return s, nil
}

// add stores one data row with its row number in the upload.
//
// A line break written as CR LF inside a cell is stored as LF alone: the
// spool was CSV before, and reading CSV back turned every CR LF into LF,
// so the second pass has always seen cells that way; this keeps it so.
func (s *spool) add(row int, cells []string) error {
	h := binary.AppendUvarint(s.head[:0], uint64(row))
	h = binary.AppendUvarint(h, uint64(len(cells)))
	out := cells
	for i, c := range cells {
		if strings.IndexByte(c, '\r') >= 0 && strings.Contains(c, "\r\n") {
			if &out[0] == &cells[0] {
				s.fixed = append(s.fixed[:0], cells...)
				out = s.fixed
			}
			c = strings.ReplaceAll(c, "\r\n", "\n")
			out[i] = c
		}
		h = binary.AppendUvarint(h, uint64(len(c)))
	}
	s.head = h
	if _, err := s.w.Write(h); err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	for _, c := range out {
		if _, err := s.w.WriteString(c); err != nil {
			return fmt.Errorf("write temporary file: %w", err)
		}
	}
	s.rows++
	return nil
}

// reader flushes what was written and returns a reader of the rows from
// the start. Each call starts again from the first row.
func (s *spool) reader() (*spoolReader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind temporary file: %w", err)
	}
	return &spoolReader{r: bufio.NewReaderSize(s.f, 1<<16)}, nil
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
	r     *bufio.Reader
	lens  []int
	buf   []byte
	cells []string
}

// next returns the next row and its row number; io.EOF after the last.
// The cells are only valid until the next call. (They are sliced from one
// string made per row, so a cell kept by the caller stays intact.)
func (r *spoolReader) next() (int, []string, error) {
	row, err := binary.ReadUvarint(r.r)
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		return 0, nil, fmt.Errorf("read temporary file: %w", err)
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return 0, nil, fmt.Errorf("read temporary file: %w", unexpected(err))
	}
	r.lens = r.lens[:0]
	total := 0
	for range n {
		l, err := binary.ReadUvarint(r.r)
		if err != nil {
			return 0, nil, fmt.Errorf("read temporary file: %w", unexpected(err))
		}
		r.lens = append(r.lens, int(l))
		total += int(l)
	}
	if cap(r.buf) < total {
		r.buf = make([]byte, total)
	}
	r.buf = r.buf[:total]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return 0, nil, fmt.Errorf("read temporary file: %w", unexpected(err))
	}
	text := string(r.buf)
	r.cells = r.cells[:0]
	for _, l := range r.lens {
		r.cells = append(r.cells, text[:l])
		text = text[l:]
	}
	return int(row), r.cells, nil
}

// unexpected reports an end of file in the middle of a row as such.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
