package importers

import (
	"math"
	"sort"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// The caps that keep ColumnStats small whatever a column holds.
const (
	// statsValueCap is how many distinct values a column keeps counts of.
	statsValueCap = 200
	// statsPartCap is how many distinct parts of separated values it keeps.
	statsPartCap = 256
)

// ColumnStats summarises one column's data cells, gathered while the file is
// first read: enough to infer the column's role and kind without a second
// pass. Read its fields; change them only through Add.
type ColumnStats struct {
	// Cells is the number of data cells seen, blank ones included.
	Cells int
	// NonEmpty counts cells that are not blank after trimming spaces.
	NonEmpty int
	// Numeric counts cells that are a plain finite number ("12", "-0.5",
	// "45314.47"); Integers those of them that are whole.
	Numeric, Integers int
	// Min and Max are the smallest and largest numbers seen.
	Min, Max float64
	// MaxLen and TotalLen are the longest and the summed byte lengths of the
	// non-blank cells.
	MaxLen, TotalLen int
	// Values counts each distinct trimmed value, up to statsValueCap of
	// them; Overflow is set when more distinct values were seen.
	Values   map[string]int
	Overflow bool
	// ISODates counts year-first dates ("2024-05-03", "2021/4/26 19:50").
	ISODates int
	// SlashDates counts dates with the year last ("03/05/2024 14:05");
	// FirstOver12 and SecondOver12 count those whose first or second field
	// is over 12, which proves day-first or month-first.
	SlashDates, FirstOver12, SecondOver12 int
	// Increasing is true while every cell is a whole number greater than
	// the one before (a row number).
	Increasing bool
	last       float64
	// Semicolon and Comma tally the parts of cells holding ";" or ",", for
	// spotting multiple-choice answers.
	Semicolon, Comma PartTally
}

// PartTally counts the parts of the cells of a column that hold one
// separator character.
type PartTally struct {
	// Cells counts cells holding the separator; Spaced those where a space
	// follows it ("a; b"); Trailing those ending with it ("a;b;").
	Cells, Spaced, Trailing int
	// Parts counts each distinct trimmed part, up to statsPartCap of them;
	// Overflow is set (and counting stops) when there are more.
	Parts    map[string]int
	Overflow bool
}

// NewColumnStats returns empty statistics for one column.
func NewColumnStats() *ColumnStats {
	return &ColumnStats{Values: make(map[string]int), Increasing: true, Min: math.Inf(1), Max: math.Inf(-1)}
}

// Add records one data cell. It is called once per cell, so it uses no
// regular expressions and allocates only when a new distinct value is kept.
func (s *ColumnStats) Add(v string) {
	s.Cells++
	t := strings.TrimSpace(v)
	if t == "" {
		return
	}
	s.NonEmpty++
	s.TotalLen += len(t)
	s.MaxLen = max(s.MaxLen, len(t))
	if !s.Overflow {
		if c, ok := s.Values[t]; ok {
			s.Values[t] = c + 1
		} else if len(s.Values) < statsValueCap {
			s.Values[strings.Clone(t)] = 1
		} else {
			s.Overflow = true
		}
	}
	s.addNumber(t)
	if t[0] >= '0' && t[0] <= '9' {
		s.addDateShape(t)
	}
	if strings.IndexByte(t, ';') >= 0 {
		s.Semicolon.add(t, ";")
	}
	if strings.IndexByte(t, ',') >= 0 {
		s.Comma.add(t, ",")
	}
}

func (s *ColumnStats) addNumber(t string) {
	f, ok := parsePlainNumber(t)
	if !ok {
		s.Increasing = false
		return
	}
	s.Numeric++
	s.Min, s.Max = math.Min(s.Min, f), math.Max(s.Max, f)
	whole := f == math.Trunc(f)
	if whole {
		s.Integers++
	}
	if !whole || (s.Numeric > 1 && f <= s.last) || s.Numeric != s.NonEmpty {
		s.Increasing = false
	}
	s.last = f
}

func (s *ColumnStats) addDateShape(t string) {
	kind, a, b := dateShape(t)
	switch kind {
	case shapeYearFirst:
		s.ISODates++
	case shapeYearLast:
		s.SlashDates++
		if a > 12 {
			s.FirstOver12++
		}
		if b > 12 {
			s.SecondOver12++
		}
	}
}

func (p *PartTally) add(t, sep string) {
	p.Cells++
	if strings.Contains(t, sep+" ") {
		p.Spaced++
	}
	if strings.HasSuffix(t, sep) {
		p.Trailing++
	}
	if p.Overflow {
		return
	}
	if p.Parts == nil {
		p.Parts = make(map[string]int)
	}
	for part := range strings.SplitSeq(t, sep) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if c, ok := p.Parts[part]; ok {
			p.Parts[part] = c + 1
			continue
		}
		if len(p.Parts) >= statsPartCap {
			p.Overflow = true
			return
		}
		p.Parts[strings.Clone(part)] = 1
	}
}

// Distinct returns the distinct trimmed values kept (all of them unless
// Overflow), most frequent first, ties in byte order.
func (s *ColumnStats) Distinct() []string {
	return byCount(s.Values)
}

// dateShapes says how a cell's leading date fields are laid out.
type dateShapeKind int

const (
	shapeNone      dateShapeKind = iota
	shapeYearFirst               // 2024-05-03, 2024/5/3
	shapeYearLast                // 03/05/2024, 5/3/24, 03.05.2024, 03-05-2024
)

// dateShape reads the three numeric fields a date starts with and returns
// the layout and the first two fields. What follows the date must be
// nothing or a space or "T" (a time), so "3-4 hours" is not a date.
func dateShape(t string) (kind dateShapeKind, a, b int) {
	a, la, i := leadingDigits(t, 0)
	if la == 0 || i >= len(t) {
		return shapeNone, 0, 0
	}
	sep := t[i]
	if sep != '/' && sep != '-' && sep != '.' {
		return shapeNone, 0, 0
	}
	b, lb, j := leadingDigits(t, i+1)
	if lb == 0 || lb > 2 || j >= len(t) || t[j] != sep {
		return shapeNone, 0, 0
	}
	_, lc, k := leadingDigits(t, j+1)
	if k < len(t) && t[k] != ' ' && t[k] != 'T' {
		return shapeNone, 0, 0
	}
	switch {
	case la == 4 && lc >= 1 && lc <= 2:
		return shapeYearFirst, a, b
	case la <= 2 && (lc == 2 || lc == 4):
		return shapeYearLast, a, b
	}
	return shapeNone, 0, 0
}

// leadingDigits reads up to 9 digits of t from index i and returns their
// value, how many there were and the index after them.
func leadingDigits(t string, i int) (n, count, next int) {
	for next = i; next < len(t) && t[next] >= '0' && t[next] <= '9' && count < 9; next++ {
		n = n*10 + int(t[next]-'0')
		count++
	}
	return n, count, next
}

// trimmed is strings.TrimSpace, named for readability where a cell is cut.
func trimmed(s string) string { return strings.TrimSpace(s) }

// multiChoice spots answers joined by a separator (";" for Microsoft Forms
// and SmartSurvey, "," for Google Forms checkboxes) and returns the
// separator as written ("; " when a space follows it) and the options in
// order of use. counts are the values' counts and fix the format's cell
// fixer (or nil), applied to the parts. Free text and labels that merely contain a comma ("Never,
// but open to it") are told apart by requiring that the parts recur across
// cells and that most of them turn up in more than one combination.
func multiChoice(st *ColumnStats, values []string, valueCounts map[string]int, fix func(string) string) (string, []string, bool) {
	for _, t := range []struct {
		tally *PartTally
		sep   string
	}{{&st.Semicolon, ";"}, {&st.Comma, ","}} {
		p := t.tally
		if p.Cells < 2 || p.Overflow || len(p.Parts) < 2 || len(p.Parts) > 60 {
			continue
		}
		parts := p.Parts
		if fix != nil {
			parts = make(map[string]int, len(p.Parts))
			for part, c := range p.Parts {
				parts[fix(part)] += c
			}
		}
		total, recurring := 0, 0
		for _, c := range parts {
			total += c
			if c >= 2 {
				recurring += c
			}
		}
		if recurring*10 < total*8 || (!st.Overflow && !partsRecombine(values, t.sep, parts, total)) {
			continue
		}
		counts := make(map[string]int, len(parts))
		for part, c := range parts {
			counts[part] += c
		}
		for _, v := range values {
			if !strings.Contains(v, t.sep) {
				counts[v] += valueCounts[v]
			}
		}
		sep := t.sep
		if p.Spaced*2 > p.Cells {
			sep += " "
		}
		return sep, byCount(counts), true
	}
	return "", nil, false
}

// partsRecombine reports whether the parts making up at least 60% of all
// part uses each occur in two or more distinct cell values.
func partsRecombine(values []string, sep string, parts map[string]int, total int) bool {
	holders := make(map[string]int, len(parts))
	for _, v := range values {
		for _, part := range SplitMulti(v, sep) {
			holders[part]++
		}
	}
	shared := 0
	for part, c := range parts {
		if holders[part] >= 2 {
			shared += c
		}
	}
	return shared*10 >= total*6
}

// choiceOptions turns distinct values into the options of a choice
// question: spellings that match alike ("Yes", "yes ", "YES") become one
// option labelled with the most used spelling; options run from the most
// used (numbers in numeric order). counts weights values (nil: values are
// already in order).
func choiceOptions(values []string, counts map[string]int) []analytics.Option {
	total := map[string]int{}
	label := map[string]string{}
	var keys []string
	for i, v := range values {
		k := optionKey(v)
		if k == "" {
			continue
		}
		if _, ok := label[k]; !ok {
			label[k] = v
			keys = append(keys, k)
		}
		if counts != nil {
			total[k] += counts[v]
		} else {
			total[k] += len(values) - i
		}
	}
	numeric := true
	for _, k := range keys {
		if _, ok := parsePlainNumber(k); !ok {
			numeric = false
			break
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if numeric {
			a, _ := parsePlainNumber(keys[i])
			b, _ := parsePlainNumber(keys[j])
			return a < b
		}
		return total[keys[i]] > total[keys[j]]
	})
	opts := make([]analytics.Option, len(keys))
	for i, k := range keys {
		opts[i] = analytics.Option{Label: label[k], Score: float64(i)}
	}
	return opts
}

// byCount returns a map's keys, most counted first, ties in byte order.
func byCount(counts map[string]int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
