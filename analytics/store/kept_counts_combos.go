package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// An import keeps, besides the counts by each dimension alone, the counts
// of the breakdowns by several dimensions already in use in its survey:
// those that report_counted shows filled, for a question, for an earlier
// import. Without them the first report of such a breakdown after a new
// import counts the import's responses (about 1.2 s a question at
// 1,000,000 responses on SQLite); with them it reads kept counts. At most
// maxKeptCombos breakdowns are kept, of up to maxComboFields dimensions,
// none by a dimension with more than maxKeptValues values, and none once
// they would take more than maxComboCells counts.

// maxKeptCombos bounds the breakdowns by several dimensions an import keeps:
// the ones filled for the latest imports.
const maxKeptCombos = 4

// maxComboFields bounds the dimensions of a breakdown an import keeps: the
// value positions of each (at most maxKeptValues) pack into 16 bits of a
// group's key.
const maxComboFields = 4

// maxComboCells bounds the counts an import keeps by several dimensions
// (8 MB), besides maxGroupCells.
const maxComboCells = maxGroupCells / 2

// comboBreakdown is a breakdown by several dimensions that an import keeps.
type comboBreakdown struct {
	// name is the breakdown as report_counts keys it ("d1,d4").
	name string
	// dims are the breakdown's dimensions, indexes into importTally.dims.
	dims []int
	// questions are the questions kept for it, indexes into
	// importTally.questions, and offsets where each one's counts start in
	// a group's counts; others are questions the file lacks.
	questions []int
	offsets   []int
	others    []int64
	width     int
	// cells is how many counts the breakdown takes.
	cells int
}

// inUseBreakdown is a breakdown by several fields filled for some question
// of a survey.
type inUseBreakdown struct {
	name      string
	questions []int64
	// last is the latest import it was filled for.
	last int64
}

// breakdownsInUse lists the breakdowns by several fields that report_counted
// shows filled for the survey's imports, with their questions, the ones
// filled for the latest imports first.
func breakdownsInUse(ctx context.Context, db queryer, surveyID int64) ([]inUseBreakdown, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.breakdown, c.question_id, MAX(c.import_id) FROM report_counted c
		JOIN imports i ON i.id = c.import_id
		WHERE i.survey_id = ? AND c.breakdown LIKE '%,%' GROUP BY c.breakdown, c.question_id`, surveyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byName := map[string]*inUseBreakdown{}
	var list []*inUseBreakdown
	for rows.Next() {
		var name string
		var question, last int64
		if err := rows.Scan(&name, &question, &last); err != nil {
			return nil, err
		}
		b := byName[name]
		if b == nil {
			b = &inUseBreakdown{name: name}
			byName[name] = b
			list = append(list, b)
		}
		b.questions = append(b.questions, question)
		b.last = max(b.last, last)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b *inUseBreakdown) int {
		return cmp.Or(cmp.Compare(b.last, a.last), strings.Compare(a.name, b.name))
	})
	out := make([]inUseBreakdown, len(list))
	for i, b := range list {
		out[i] = *b
	}
	return out, nil
}

// keepBreakdowns sets up the tally of the breakdowns in use (see
// breakdownsInUse) that are by dimensions of the survey only, at most
// maxKeptCombos of them.
func (t *importTally) keepBreakdowns(inUse []inUseBreakdown) {
	dimAt := map[string]int{}
	for i, d := range t.dims {
		dimAt[dimensionColumn(d.id)] = i
	}
	questionAt := map[int64]int{}
	for i, q := range t.questions {
		questionAt[q.id] = i
	}
	other := map[int64]bool{}
	for _, id := range t.others {
		other[id] = true
	}
	for _, u := range inUse {
		if len(t.combos) == maxKeptCombos {
			break
		}
		parts := strings.Split(u.name, ",")
		if len(parts) < 2 || len(parts) > maxComboFields {
			continue
		}
		b := &comboBreakdown{name: u.name}
		for _, part := range parts {
			i, ok := dimAt[part]
			if !ok {
				b = nil // by a question, or a dimension gone
				break
			}
			b.dims = append(b.dims, i)
		}
		if b == nil {
			continue
		}
		slices.Sort(u.questions)
		for _, id := range u.questions {
			if i, ok := questionAt[id]; ok {
				b.questions, b.offsets = append(b.questions, i), append(b.offsets, b.width)
				b.width += t.questions[i].slots
			} else if other[id] {
				b.others = append(b.others, id)
			}
		}
		if len(b.questions) > 0 || len(b.others) > 0 {
			t.combos = append(t.combos, b)
		}
	}
}

// addCombos counts the response being added, of complete flag c and count
// positions slots, by each breakdown kept; its dimensions' value positions
// are in t.pos.
func (t *importTally) addCombos(mt *monthTally, c int, slots []int) {
	if mt.combos == nil {
		mt.combos = make([]map[uint64]*groupTally, len(t.combos))
	}
	for k, b := range t.combos {
		if b == nil {
			continue
		}
		var key uint64
		for _, i := range b.dims {
			pos := t.pos[i]
			if pos < 0 {
				t.dropCombo(k) // a dimension of too many values
				break
			}
			key = key<<16 | uint64(pos)
		}
		if t.combos[k] == nil {
			continue
		}
		groups := mt.combos[k]
		if groups == nil {
			groups = make(map[uint64]*groupTally)
			mt.combos[k] = groups
		}
		g := groups[key]
		if g == nil {
			cells := 2*(b.width+1) + 8 // and about as much for the map's entry
			if t.comboCells+cells > maxComboCells {
				t.dropCombo(k)
				continue
			}
			t.comboCells, b.cells = t.comboCells+cells, b.cells+cells
			g = &groupTally{n: [2][]int64{make([]int64, b.width), make([]int64, b.width)}}
			groups[key] = g
		}
		g.responses[c]++
		n := g.n[c]
		for j, qi := range b.questions {
			n[b.offsets[j]+slots[qi]-t.questions[qi].offset]++
		}
	}
}

// dropCombo stops keeping breakdown k and frees its counts.
func (t *importTally) dropCombo(k int) {
	t.comboCells -= t.combos[k].cells
	t.combos[k] = nil
	for _, m := range t.months {
		if m.combos != nil {
			m.combos[k] = nil
		}
	}
}

// storeCombos keeps, through keep, the counts of the breakdowns by several
// dimensions tallied, their groups named as countPlan.group names them.
// Two values named alike (a blank one and "(blank)") make one group.
func (t *importTally) storeCombos(imp analytics.Import, keep func(question int64, breakdown string, rows []keptCount) error) error {
	for k, b := range t.combos {
		if b == nil {
			continue
		}
		type named struct {
			month, group string
			g            *groupTally
		}
		var groups []named
		for _, mt := range t.months {
			if mt.combos == nil {
				continue
			}
			byName := map[string]*groupTally{}
			for key, g := range mt.combos[k] {
				parts := make([]string, len(b.dims))
				for j := len(b.dims) - 1; j >= 0; j-- {
					parts[j] = t.dims[b.dims[j]].names[key&0xffff]
					if parts[j] == "" {
						parts[j] = analytics.BlankGroup
					}
					key >>= 16
				}
				name := strings.Join(parts, GroupSeparator)
				sum := byName[name]
				if sum == nil {
					sum = &groupTally{n: [2][]int64{make([]int64, b.width), make([]int64, b.width)}}
					byName[name] = sum
					groups = append(groups, named{monthKey(mt.key), name, sum})
				}
				for c := range 2 {
					sum.responses[c] += g.responses[c]
					for s, v := range g.n[c] {
						sum.n[c][s] += v
					}
				}
			}
		}
		for j, qi := range b.questions {
			var rows []keptCount
			for _, ng := range groups {
				for c := range 2 {
					for slot, v := range ng.g.n[c][b.offsets[j] : b.offsets[j]+t.questions[qi].slots] {
						if v > 0 {
							rows = append(rows, keptCount{imp.ID, int64(c), ng.month, ng.group, slot - 1, v})
						}
					}
				}
			}
			if err := keep(t.questions[qi].id, b.name, rows); err != nil {
				return err
			}
		}
		for _, id := range b.others {
			var rows []keptCount
			for _, ng := range groups {
				for c := range 2 {
					if v := ng.g.responses[c]; v > 0 {
						rows = append(rows, keptCount{imp.ID, int64(c), ng.month, ng.group, -1, v})
					}
				}
			}
			if err := keep(id, b.name, rows); err != nil {
				return err
			}
		}
	}
	return nil
}
