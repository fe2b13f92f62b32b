package store

import (
	"context"
	"fmt"
	"time"

	"github.com/heard-council/heard/analytics"
)

// An import counts the answers of every scale and single-choice question
// as the responses go by and keeps the counts (report_counts, breakdown
// "") in its own transaction, so that the first report and the first
// dashboard after it read a few thousand kept counts instead of scanning
// the responses. Counting a row here costs a few increments; counting
// the stored responses afterwards costs a sorted GROUP BY per question,
// about 0.8 s of CPU a question at 1,000,000 responses.
//
// The responses are tallied as the caller hands them over, before the
// insert, and a response whose respondent is already stored is skipped by
// the insert, not here: the tally is exact only when the import skipped
// none. An import with duplicates keeps nothing, and its first report
// counts its stored responses through the import_id index as before.

// importTally counts one import's answers by London month, complete flag,
// question and stored option position, and collects the values of its
// dimensions (see DimensionValues).
type importTally struct {
	london *time.Location
	// questions are the scale and single-choice questions of the file:
	// their index in a response's answers, stored ID and option positions.
	questions []tallyQuestion
	// others are the survey's scale and single-choice questions the file
	// lacks: every response of the import leaves them unanswered.
	others []int64
	// months holds the counts of each month seen; month indexes months by
	// year*12+month (0 for undated), and last caches the latest lookup.
	months   []*monthTally
	month    map[int]*monthTally
	lastKey  int
	last     *monthTally
	rows     int
	disabled bool
	// dims are the survey's dimensions: the index of each in a response's
	// dimension values (-1 when the file lacks it), its stored ID and the
	// values seen, nil once there are more than maxKeptValues.
	dims []tallyDimension
}

// maxKeptValues bounds the values of one dimension an import keeps (and
// the memory the tally takes): a dimension with more is listed from the
// responses.
const maxKeptValues = 1000

type tallyDimension struct {
	index  int
	id     int64
	values map[string]struct{}
}

type tallyQuestion struct {
	index     int
	id        int64
	optionPos []int
	// slots is the number of counts a month keeps for the question: one
	// per stored position, and one (the first) for no answer.
	slots int
	// offset is where the question's counts start in a monthTally's n.
	offset int
}

// monthTally holds one month's counts: for each complete flag (0, 1), the
// responses, then each question's counts.
type monthTally struct {
	key       int
	responses [2]int64
	n         [2][]int64
}

// newImportTally prepares the tally of an import whose file has the
// questions p.questions, into a survey whose questions are p.allQuestions.
func newImportTally(p placed, london *time.Location) *importTally {
	t := &importTally{london: london, month: make(map[int]*monthTally), lastKey: -1}
	inFile := make(map[int64]bool)
	offset := 0
	for i, q := range p.questions {
		if q.Kind != analytics.KindScale && q.Kind != analytics.KindSingle {
			continue
		}
		slots := 1
		for _, pos := range p.optionPos[i] {
			slots = max(slots, pos+2)
		}
		t.questions = append(t.questions, tallyQuestion{index: i, id: q.ID, optionPos: p.optionPos[i], slots: slots, offset: offset})
		offset += slots
		inFile[q.ID] = true
	}
	for _, q := range p.allQuestions {
		if (q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle) && !inFile[q.ID] {
			t.others = append(t.others, q.ID)
		}
	}
	for _, d := range p.allDimensions {
		td := tallyDimension{index: -1, id: d.ID, values: map[string]struct{}{}}
		for i, fd := range p.dimensions {
			if fd.ID == d.ID {
				td.index = i
			}
		}
		t.dims = append(t.dims, td)
	}
	return t
}

// wrap returns next, tallying each response it returns.
func (t *importTally) wrap(next func() (analytics.Response, error)) func() (analytics.Response, error) {
	return func() (analytics.Response, error) {
		r, err := next()
		if err == nil {
			t.add(r)
		}
		return r, err
	}
}

// add counts one response.
func (t *importTally) add(r analytics.Response) {
	if t.disabled {
		return
	}
	key := 0
	if !r.Submitted.IsZero() {
		y, m, _ := r.Submitted.In(t.london).Date()
		key = y*12 + int(m) - 1
	}
	mt := t.last
	if key != t.lastKey {
		mt = t.month[key]
		if mt == nil {
			width := 0
			if n := len(t.questions); n > 0 {
				width = t.questions[n-1].offset + t.questions[n-1].slots
			}
			mt = &monthTally{key: key, n: [2][]int64{make([]int64, width), make([]int64, width)}}
			t.month[key] = mt
			t.months = append(t.months, mt)
		}
		t.lastKey, t.last = key, mt
	}
	c := 0
	if r.Complete {
		c = 1
	}
	mt.responses[c]++
	n := mt.n[c]
	for _, q := range t.questions {
		if q.index >= len(r.Answers) {
			t.disabled = true // the insert refuses such a row and the import fails
			return
		}
		slot := 0
		if o := r.Answers[q.index].Option; o != -1 {
			if o < 0 || o >= len(q.optionPos) {
				t.disabled = true // likewise refused by the insert
				return
			}
			slot = q.optionPos[o] + 1
		}
		n[q.offset+slot]++
	}
	for i := range t.dims {
		d := &t.dims[i]
		if d.index < 0 || d.values == nil || d.index >= len(r.Dimensions) {
			continue
		}
		if v := r.Dimensions[d.index]; v != "" {
			if _, seen := d.values[v]; !seen {
				if len(d.values) == maxKeptValues {
					d.values = nil
					continue
				}
				d.values[v] = struct{}{}
			}
		}
	}
	t.rows++
}

// monthKey writes a month key as the response table stores it ("" when
// undated).
func monthKey(key int) string {
	if key == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", key/12, key%12+1)
}

// store keeps the tallied counts of imp, inside the import's transaction,
// when they are exact and the survey is large enough for its reports to
// read kept counts (see keepCountsFrom).
func (t *importTally) store(ctx context.Context, tx execer, imp analytics.Import, surveySize int64) error {
	if t.disabled || imp.Duplicates != 0 || t.rows != imp.Added || imp.Added == 0 || surveySize < keepCountsFrom {
		return nil
	}
	keep := func(question int64, rows []keptCount) error {
		w := &countWriter{question: question, rows: rows}
		if err := w.store(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO report_counted (import_id, question_id, breakdown) VALUES (?, ?, '')",
			imp.ID, question)
		return err
	}
	for _, q := range t.questions {
		var rows []keptCount
		for _, mt := range t.months {
			for c := range 2 {
				for slot, n := range mt.n[c][q.offset : q.offset+q.slots] {
					if n > 0 {
						rows = append(rows, keptCount{imp.ID, int64(c), monthKey(mt.key), analytics.AllGroup, slot - 1, n})
					}
				}
			}
		}
		if err := keep(q.id, rows); err != nil {
			return fmt.Errorf("keep counts: %w", err)
		}
	}
	for _, id := range t.others {
		var rows []keptCount
		for _, mt := range t.months {
			for c := range 2 {
				if n := mt.responses[c]; n > 0 {
					rows = append(rows, keptCount{imp.ID, int64(c), monthKey(mt.key), analytics.AllGroup, -1, n})
				}
			}
		}
		if err := keep(id, rows); err != nil {
			return fmt.Errorf("keep counts: %w", err)
		}
	}
	for _, d := range t.dims {
		if d.values == nil {
			continue
		}
		for v := range d.values {
			if _, err := tx.ExecContext(ctx, "INSERT INTO dimension_values (dimension_id, import_id, value) VALUES (?, ?, ?)",
				d.id, imp.ID, v); err != nil {
				return fmt.Errorf("keep dimension values: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO dimension_values_kept (dimension_id, import_id) VALUES (?, ?)",
			d.id, imp.ID); err != nil {
			return fmt.Errorf("keep dimension values: %w", err)
		}
	}
	return nil
}
