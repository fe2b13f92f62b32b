package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
// It keeps the counts of every such question broken down by each dimension
// alone too (breakdown "d3"), as the first report of a question by a
// dimension, and the equality page's breakdown of the headline question by
// every dimension, would otherwise count them from the responses: about
// 0.5 s (PostgreSQL) to 1 s (SQLite) a question and dimension at 1,000,000
// responses, ten times that at 10,000,000. A dimension with more than
// maxKeptValues values keeps none, and nor does any once the counts would
// take more than maxGroupCells; their reports count the responses as before.
// Breakdowns by two fields or by a question are counted at their first
// report (see countImports); once one by several dimensions has been, the
// later imports keep its counts too (see kept_counts_combos.go).
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
	// byGroup is whether the counts by each dimension are kept: false once
	// they would take more than maxGroupCells counts (cells holds how many
	// they take).
	byGroup bool
	cells   int
	// slots holds the count positions of the response being added, and
	// pos the value position of each of its dimensions (-1 for one of too
	// many values).
	slots []int
	pos   []int
	// combos are the breakdowns by several dimensions kept (see
	// keepBreakdowns), nil once dropped; comboCells is how many counts
	// they take.
	combos     []*comboBreakdown
	comboCells int
}

// maxKeptValues bounds the values of one dimension an import keeps (and
// the memory the tally takes): a dimension with more is listed from the
// responses.
const maxKeptValues = 1000

// maxGroupCells bounds the counts an import keeps by dimension (16 MB).
const maxGroupCells = 2_000_000

type tallyDimension struct {
	index int
	id    int64
	// values maps each non-blank value seen to its position in names, from
	// 1: position 0 is the blank value (no value stored).
	values map[string]int
	names  []string
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
// responses, then each question's counts; and the same for each value of
// each dimension (groups, by dimension and value position, nil until seen).
type monthTally struct {
	key       int
	responses [2]int64
	n         [2][]int64
	groups    [][]*groupTally
	// combos holds the counts of each breakdown by several dimensions, by
	// the value positions of its dimensions (see addCombos).
	combos []map[uint64]*groupTally
}

// groupTally holds a month's counts of the responses with one value of a
// dimension, as monthTally does.
type groupTally struct {
	responses [2]int64
	n         [2][]int64
}

// newImportTally prepares the tally of an import whose file has the
// questions p.questions, into a survey whose questions are p.allQuestions.
func newImportTally(p placed, london *time.Location) *importTally {
	t := &importTally{london: london, month: make(map[int]*monthTally), lastKey: -1, byGroup: true}
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
		td := tallyDimension{index: -1, id: d.ID, values: map[string]int{}, names: []string{""}}
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
			mt = &monthTally{key: key, n: [2][]int64{make([]int64, width), make([]int64, width)},
				groups: make([][]*groupTally, len(t.dims))}
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
	slots := t.slots[:0]
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
		slots = append(slots, q.offset+slot)
	}
	t.slots = slots
	if len(t.pos) != len(t.dims) {
		t.pos = make([]int, len(t.dims))
	}
	for i := range t.dims {
		d := &t.dims[i]
		if d.index < 0 || d.values == nil {
			t.pos[i] = -1
			if d.index < 0 {
				t.pos[i] = 0 // every response of the file is blank
			}
			continue
		}
		if d.index >= len(r.Dimensions) {
			t.disabled = true // the insert refuses such a row and the import fails
			return
		}
		pos := 0
		if v := r.Dimensions[d.index]; v != "" {
			var seen bool
			if pos, seen = d.values[v]; !seen {
				if len(d.values) == maxKeptValues {
					d.values, d.names = nil, nil
					for _, m := range t.months {
						if m.groups != nil {
							m.groups[i] = nil
						}
					}
					t.pos[i] = -1
					continue
				}
				pos = len(d.names)
				d.values[v] = pos
				d.names = append(d.names, v)
			}
		}
		t.pos[i] = pos
		if t.byGroup {
			t.addGroup(mt, i, pos, c, slots)
		}
	}
	if len(t.combos) > 0 {
		t.addCombos(mt, c, slots)
	}
	t.rows++
}

// addGroup counts a response, whose count positions are slots, in the
// month's counts of value pos of dimension i.
func (t *importTally) addGroup(mt *monthTally, i, pos, c int, slots []int) {
	groups := mt.groups[i]
	if pos >= len(groups) {
		groups = append(groups, make([]*groupTally, pos+1-len(groups))...)
		mt.groups[i] = groups
	}
	g := groups[pos]
	if g == nil {
		width := len(mt.n[0])
		if t.cells += 2 * (width + 1); t.cells > maxGroupCells {
			t.byGroup = false
			for _, m := range t.months {
				m.groups = nil
			}
			return
		}
		g = &groupTally{n: [2][]int64{make([]int64, width), make([]int64, width)}}
		groups[pos] = g
	}
	g.responses[c]++
	n := g.n[c]
	for _, s := range slots {
		n[s]++
	}
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
	var kept []*countWriter
	keep := func(question int64, breakdown string, rows []keptCount) error {
		kept = append(kept, &countWriter{question: question, breakdown: breakdown, rows: rows})
		return nil
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
		if err := keep(q.id, "", rows); err != nil {
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
		if err := keep(id, "", rows); err != nil {
			return fmt.Errorf("keep counts: %w", err)
		}
	}
	if t.byGroup {
		if err := t.storeGroups(imp, keep); err != nil {
			return fmt.Errorf("keep counts: %w", err)
		}
	}
	if err := t.storeCombos(imp, keep); err != nil {
		return fmt.Errorf("keep counts: %w", err)
	}
	if err := storeKept(ctx, tx, imp.ID, kept); err != nil {
		return fmt.Errorf("keep counts: %w", err)
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

// storeGroups keeps, through keep, the counts of every question by each
// dimension whose values were all tallied. A dimension the file lacks
// leaves every response without a value: its one group is the blank one,
// which holds the month's counts.
func (t *importTally) storeGroups(imp analytics.Import, keep func(question int64, breakdown string, rows []keptCount) error) error {
	// each calls fn with each month's counts of each value of dimension i.
	each := func(i int, fn func(month string, value string, responses [2]int64, n [2][]int64)) {
		for _, mt := range t.months {
			if t.dims[i].index < 0 {
				fn(monthKey(mt.key), "", mt.responses, mt.n)
				continue
			}
			for pos, g := range mt.groups[i] {
				if g != nil {
					fn(monthKey(mt.key), t.dims[i].names[pos], g.responses, g.n)
				}
			}
		}
	}
	for i, d := range t.dims {
		if d.index >= 0 && d.values == nil {
			continue
		}
		breakdown := dimensionColumn(d.id)
		for _, q := range t.questions {
			var rows []keptCount
			each(i, func(month, value string, _ [2]int64, n [2][]int64) {
				for c := range 2 {
					for slot, k := range n[c][q.offset : q.offset+q.slots] {
						if k > 0 {
							rows = append(rows, keptCount{imp.ID, int64(c), month, value, slot - 1, k})
						}
					}
				}
			})
			if err := keep(q.id, breakdown, rows); err != nil {
				return err
			}
		}
		for _, id := range t.others {
			var rows []keptCount
			each(i, func(month, value string, responses [2]int64, _ [2][]int64) {
				for c := range 2 {
					if k := responses[c]; k > 0 {
						rows = append(rows, keptCount{imp.ID, int64(c), month, value, -1, k})
					}
				}
			})
			if err := keep(id, breakdown, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// storeKept stores the counts of an import that each writer holds, and
// marks its question and breakdown counted. On PostgreSQL, inside the
// import's transaction, it copies them (COPY): the counts by dimension
// make about 120,000 rows at 1,000,000 responses of the generated survey,
// which took 1.7 s as INSERTs of 500 rows.
func storeKept(ctx context.Context, tx execer, importID int64, kept []*countWriter) error {
	used, err := withPgx(ctx, func(c *pgx.Conn) error {
		// One row at a time, into a slice COPY has encoded before it asks
		// for the next.
		row := make([]any, 8)
		i, j := 0, 0
		counts := pgx.CopyFromFunc(func() ([]any, error) {
			for i < len(kept) && j == len(kept[i].rows) {
				i, j = i+1, 0
			}
			if i == len(kept) {
				return nil, nil
			}
			w, r := kept[i], kept[i].rows[j]
			j++
			row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] =
				w.question, w.breakdown, r.month, r.group, int64(r.option), r.complete, r.importID, r.n
			return row, nil
		})
		if _, err := c.CopyFrom(ctx, pgx.Identifier{"report_counts"},
			[]string{"question_id", "breakdown", "month", "grp", "option_pos", "complete", "import_id", "n"}, counts); err != nil {
			return err
		}
		counted := make([][]any, len(kept))
		for k, w := range kept {
			counted[k] = []any{importID, w.question, w.breakdown}
		}
		_, err := c.CopyFrom(ctx, pgx.Identifier{"report_counted"}, []string{"import_id", "question_id", "breakdown"},
			pgx.CopyFromRows(counted))
		return err
	})
	if used || err != nil {
		return err
	}
	for _, w := range kept {
		if err := w.store(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_counted (import_id, question_id, breakdown) VALUES (?, ?, ?)",
			importID, w.question, w.breakdown); err != nil {
			return err
		}
	}
	return nil
}
