package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/importers/table"
)

// Options say how to read one upload. The zero value reads any supported
// file with automatic detection and the default limits.
type Options struct {
	// Format forces a survey tool's layout; "" or FormatAuto detects it.
	Format Format
	// SHA256 is the file's digest when the caller has it already, so that
	// the file is not read twice for it; "" has Prepare work it out.
	SHA256 string
	// Sheet names the worksheet of a workbook to read; "" takes the first
	// sheet with data.
	Sheet string
	// DateOrder settles dates such as 03/04/2024; DateAuto decides from the
	// source and the data.
	DateOrder analytics.DateOrder
	// Limits bound the upload; the zero value means table.DefaultLimits().
	Limits table.Limits
	// KeepPersonal is set when the survey keeps respondents' names and
	// email addresses (see KeepPersonal); otherwise they are not stored.
	KeepPersonal bool
	// LowPriority runs the import's goroutines at the lowest scheduling
	// priority (see LowerPriority), for an import beside the web service.
	LowPriority bool
	// Pace, if not nil, is called before each row is read. An import run
	// beside a web service pauses there while requests are being served.
	Pace func()
}

// Prepared is an upload that has been read once: its layout detected, its
// mapping decided and its rows kept aside, ready to be converted and stored.
// Close it when done.
type Prepared struct {
	// File is the upload's name as shown to people.
	File string
	// SHA256 is the hex digest of the file's bytes.
	SHA256 string
	Info   table.Info
	Layout Layout
	// Mapping is what this file's columns become: the survey's saved
	// mapping where a column's header matches it, inferred otherwise.
	Mapping analytics.Mapping
	// Changes say, in plain English, how this file's columns differ from
	// the survey's saved mapping: new, missing or possibly renamed columns
	// and new answer options; and what became of each personal column
	// (stored or not). Only the last on a survey's first import.
	Changes []string
	// RowsRead counts the data rows (responses) in the file.
	RowsRead int
	// KeepPersonal says whether Remap keeps the file's personal name and
	// email columns, as text questions; Options.KeepPersonal sets it first.
	KeepPersonal bool

	spool    *spool
	conv     *converter
	inferred analytics.Mapping
	stats    []*ColumnStats
	// titles say which title rows above the headings were skipped.
	titles []string
	// textNotes say which columns inference read as free text on a
	// judgement, and why.
	textNotes []string
}

// FileSHA256 returns the hex sha256 of the file at path, so that a file
// imported before can be recognised without reading it further. pace, if
// not nil, is called before each MB is hashed (see Options.Pace).
func FileSHA256(path string, pace func()) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	for {
		if pace != nil {
			pace()
		}
		_, err := io.CopyN(h, f, 1<<20)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read %s: %w", path, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Prepare reads the upload at path once. name is the upload's original name,
// used in messages. saved is the survey's saved mapping, or nil for a new
// survey. progress, if not nil, is called now and then with the rows read.
// Errors about the file are *analytics.ImportError or ErrorList values.
func Prepare(ctx context.Context, path, name string, saved *analytics.Mapping, opts Options, progress func(rows int)) (*Prepared, error) {
	if opts.Format == "" {
		opts.Format = FormatAuto
	}
	// The size is checked before the file is hashed, so that a file over
	// the limit is refused at once rather than after reading it whole.
	if err := table.CheckSize(path, name, opts.Limits); err != nil {
		return nil, err
	}
	sum := opts.SHA256
	if sum == "" {
		var err error
		if sum, err = FileSHA256(path, opts.Pace); err != nil {
			return nil, err
		}
	}
	tab, info, err := table.Open(path, name, table.Options{Sheet: opts.Sheet, Limits: opts.Limits})
	if err != nil {
		return nil, err
	}
	defer tab.Close()

	p := &Prepared{File: name, SHA256: sum, Info: info, KeepPersonal: opts.KeepPersonal}
	head, err := readHead(tab, 5)
	if err != nil {
		return nil, err
	}
	if len(head) == 0 {
		return nil, &analytics.ImportError{File: name, Sheet: info.Sheet,
			Message: "the file has no rows at all; export the survey's responses again and upload that file"}
	}
	above := 0 // the row just above the headings, when it is not blank
	if n := len(head); n > 0 {
		head, p.titles = skipTitleRows(head)
		if skipped := n - len(head); skipped > 0 {
			above = head[0].row - 1
		}
	}
	if err := refuseBlankHeadings(name, info.Sheet, head, above); err != nil {
		return nil, err
	}
	p.Layout, err = DetectLayout(cellsOf(head), opts.Format)
	if err != nil {
		return nil, &analytics.ImportError{File: name, Sheet: info.Sheet, Message: err.Error()}
	}
	stats, err := p.spoolRows(ctx, tab, head, progress, opts.Pace, opts.LowPriority)
	if err != nil {
		return nil, err
	}
	if p.RowsRead == 0 {
		p.Close()
		return nil, &analytics.ImportError{File: name, Sheet: info.Sheet,
			Message: "the file has column headings but no responses; check that the export includes the responses"}
	}
	p.inferred, p.textNotes = inferMapping(p.Layout, stats, InferOptions{
		DateOrder: opts.DateOrder, Date1904: info.Date1904, FromXLSX: info.Container == "xlsx"})
	p.stats = stats
	p.Remap(saved)
	return p, nil
}

// skipTitleRows drops title lines above a sheet's headings, as councils'
// own spreadsheets often have ("Feedback for April" in A1, a blank row,
// then the headings): a first row with at most one cell filled followed by
// a row with several is a title. It says which rows it skipped.
func skipTitleRows(head []headRow) ([]headRow, []string) {
	var skipped []string
	for len(head) > 1 && filled(head[0].cells) <= 1 && filled(head[1].cells) > 1 {
		skipped = append(skipped, fmt.Sprintf("row %d looks like a title above the column headings (%q) and was skipped", head[0].row, firstFilled(head[0].cells)))
		head = head[1:]
	}
	return head, skipped
}

// refuseBlankHeadings refuses a file whose heading row is blank: the
// table skips blank rows, so the first response would be read as the
// column headings. The row read as headings is taken for a response when
// blank rows stand above it (not a title) and two or more, and at least
// half, of its cells are numbers, dates, or answers that recur in the same
// column below, which headings never are. (A lone "Total:" beside a number
// under blank rows, as in excelize's Book1.xlsx, is still read.) above is the row just above the headings when it
// held a title.
func refuseBlankHeadings(file, sheet string, head []headRow, above int) error {
	if len(head) < 2 || head[0].row <= 1 || above == head[0].row-1 {
		return nil
	}
	first, like := head[0], 0
	for j, c := range first.cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, ok := parsePlainNumber(c); ok {
			like++
			continue
		}
		if kind, _, _ := dateShape(c); kind != shapeNone {
			like++
			continue
		}
		for _, h := range head[1:] {
			if j < len(h.cells) && strings.EqualFold(strings.TrimSpace(h.cells[j]), c) {
				like++
				break
			}
		}
	}
	if n := filled(first.cells); like < 2 || like*2 < n {
		return nil
	}
	blank := "this row is blank"
	if first.row > 2 {
		blank = fmt.Sprintf("rows 1 to %d are blank", first.row-1)
	}
	return &analytics.ImportError{File: file, Sheet: sheet, Row: 1, Message: fmt.Sprintf(
		"%s where the column headings should be, and row %d holds answers (numbers, dates or answers repeated "+
			"below), not headings, so heard cannot tell what the columns are: put the column headings in row 1 "+
			"(or export the responses again with their headings) and upload the file again", blank, first.row)}
}

func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func firstFilled(cells []string) string {
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

// Remap decides the file's mapping again against a survey's saved mapping
// (nil for a new survey), setting Mapping and Changes, and keeps or drops
// the personal columns as KeepPersonal says. Call Responses after it: the
// rows are converted by the mapping as it was then.
func (p *Prepared) Remap(saved *analytics.Mapping) {
	var changes []string
	if saved == nil {
		p.Mapping = p.inferred
	} else {
		p.Mapping, changes = mergeMapping(*saved, p.inferred, p.stats)
	}
	var notes []string
	p.Mapping, notes = settlePersonal(p.Mapping, p.inferred, p.KeepPersonal)
	p.Changes = append(append(append([]string(nil), p.titles...), changes...), notes...)
}

// headRow is one of the first rows of a table, kept with its row number.
type headRow struct {
	row   int
	cells []string
}

func readHead(t table.Table, n int) ([]headRow, error) {
	var head []headRow
	for len(head) < n {
		cells, row, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		head = append(head, headRow{row: row, cells: append([]string(nil), cells...)})
	}
	return head, nil
}

func cellsOf(head []headRow) [][]string {
	out := make([][]string, len(head))
	for i, h := range head {
		out[i] = h.cells
	}
	return out
}

// spoolRows keeps every data row aside and gathers each column's
// statistics. The table is read on this goroutine while another gathers the
// statistics and writes the spool, a batch of rows at a time, so that the
// two halves use both cores.
func (p *Prepared) spoolRows(ctx context.Context, t table.Table, head []headRow, progress func(int), pace func(), lowPriority bool) ([]*ColumnStats, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	p.spool = sp
	width := len(p.Layout.Headers)
	stats := make([]*ColumnStats, width)
	for i := range stats {
		stats[i] = NewColumnStats()
	}
	batches := make(chan rowBatch, 4)
	failed := make(chan struct{})
	var werr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if lowPriority {
			LowerPriority()
		}
		for b := range batches {
			if werr != nil {
				continue
			}
			if pace != nil {
				pace()
			}
			if werr = b.store(sp, stats); werr != nil {
				close(failed)
			}
		}
	}()
	rerr := p.readRows(ctx, t, head, width, batches, failed, progress, pace)
	close(batches)
	wg.Wait()
	if err := errors.Join(rerr, werr); err != nil {
		p.Close()
		return nil, err
	}
	if progress != nil {
		progress(p.RowsRead)
	}
	return stats, nil
}

// rowBatch is a run of data rows, padded to the headings' width.
type rowBatch struct {
	rows  []int
	cells [][]string
	bytes int // of text in cells
}

// maxBatchBytes ends a batch early when its rows hold this much text, so
// that a file of long cells (1 MB comments) keeps a few MB in flight
// between the reader and the statistics, not a few hundred, and the
// reader's pauses (Options.Pace) hold the statistics back too.
const maxBatchBytes = 1 << 20

func (b rowBatch) store(sp *spool, stats []*ColumnStats) error {
	for i, cells := range b.cells {
		for c, v := range cells {
			stats[c].Add(v)
		}
		if err := sp.add(b.rows[i], cells); err != nil {
			return err
		}
	}
	return nil
}

// readRows reads the data rows in batches and hands them on, until the end
// of the table, an error, or the batch consumer's failure.
func (p *Prepared) readRows(ctx context.Context, t table.Table, head []headRow, width int, out chan<- rowBatch, failed <-chan struct{},
	progress func(int), pace func()) error {
	const size = 256
	b := rowBatch{}
	add := func(row int, cells []string) {
		padded := make([]string, width)
		copy(padded, cells)
		b.rows, b.cells = append(b.rows, row), append(b.cells, padded)
		for _, c := range padded {
			b.bytes += len(c)
		}
		p.RowsRead++
		if progress != nil && p.RowsRead%1000 == 0 {
			progress(p.RowsRead)
		}
	}
	send := func() bool {
		select {
		case out <- b:
			b = rowBatch{rows: make([]int, 0, size), cells: make([][]string, 0, size)}
			return true
		case <-failed:
			return false
		}
	}
	for _, h := range head[min(p.Layout.HeaderRows, len(head)):] {
		add(h.row, h.cells)
	}
	for {
		if len(b.rows) >= size || b.bytes >= maxBatchBytes {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !send() {
				return nil
			}
		}
		if pace != nil {
			pace()
		}
		cells, row, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		add(row, cells)
	}
	if len(b.rows) > 0 {
		send()
	}
	return nil
}

// Close releases the rows kept aside.
func (p *Prepared) Close() error {
	if p.spool == nil {
		return nil
	}
	err := p.spool.close()
	p.spool = nil
	return err
}

// Sample returns copies of the file's first n data rows, as read, for a
// preview. Call it before Responses.
func (p *Prepared) Sample(n int) ([][]string, error) {
	if p.spool == nil {
		return nil, errors.New("prepared import is closed")
	}
	rd, err := p.spool.reader()
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for len(rows) < n {
		_, cells, err := rd.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, append([]string(nil), cells...))
	}
	return rows, nil
}
