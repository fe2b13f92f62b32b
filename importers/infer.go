package importers

import (
	"strconv"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// InferOptions are what the caller knows about a file beyond its cells.
type InferOptions struct {
	// DateOrder comes from --dayfirst/--monthfirst; DateAuto decides from
	// the source and the data.
	DateOrder analytics.DateOrder
	// Date1904 is set for an xlsx workbook in the 1904 date system.
	Date1904 bool
	// FromXLSX is set when values are raw xlsx cells (dates may be serial
	// numbers).
	FromXLSX bool
}

// inferCol is one column while its role is being decided.
type inferCol struct {
	index  int
	header string
	code   string
	st     *ColumnStats
	// values are the distinct values, most frequent first, and counts
	// their counts, with the format's cell fixes applied.
	values []string
	counts map[string]int
	fix    func(string) string
	role   analytics.Role
	// note says, for the import summary, why the column was read as free
	// text when that was a judgement.
	note string
}

// InferMapping decides each column's role and builds the questions and
// dimensions, with scales recognised. It returns a complete mapping: the
// format, header rows and date order decided, every column in file order
// with its index, header, role and (for questions and dimensions) code,
// and the questions and dimensions in column order. Codes are unique within
// the mapping and stable: a slug of the tool's code where it has one, else
// of the header. It never fails on odd data: an unknown set of values
// becomes a single-choice question.
//
// A partial response is told by CompleteFunc: the RoleComplete column
// (Qualtrics' Finished, SmartSurvey's status), or for LimeSurvey a blank
// submitted date.
func InferMapping(layout Layout, stats []*ColumnStats, opts InferOptions) analytics.Mapping {
	m, _ := inferMapping(layout, stats, opts)
	return m
}

// inferMapping is InferMapping, also returning notes for the import
// summary: which columns were read as free text on a judgement, and why.
func inferMapping(layout Layout, stats []*ColumnStats, opts InferOptions) (analytics.Mapping, []string) {
	var notes []string
	cols := newInferCols(layout, stats)
	assignClaims(cols, layout.Format, opts)
	m := analytics.Mapping{Format: string(layout.Format), HeaderRows: layout.HeaderRows}
	used := map[string]bool{}
	for _, c := range cols {
		col := analytics.Column{Index: c.index, Header: c.header, Role: c.role}
		if c.role == "" {
			if kind, ok := dimensionFor(c); ok {
				col.Role, col.Code = analytics.RoleDimension, uniqueSlug(c, used)
				m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: col.Code, Name: c.header, Kind: kind})
			} else {
				col.Role, col.Code = analytics.RoleQuestion, uniqueSlug(c, used)
				q := questionFor(c, opts)
				q.Code = col.Code
				m.Questions = append(m.Questions, q)
				if c.note != "" {
					notes = append(notes, c.note)
				}
			}
		}
		m.Columns = append(m.Columns, col)
	}
	m.DateOrder = decideDateOrder(layout.Format, cols, m, opts.DateOrder)
	return m, notes
}

func newInferCols(layout Layout, stats []*ColumnStats) []*inferCol {
	n := max(len(layout.Headers), len(stats))
	headers := make([]string, n)
	copy(headers, layout.Headers)
	headers = uniqueHeaders(headers)
	fix := layout.Format.CellFixer()
	cols := make([]*inferCol, n)
	for j := range n {
		c := &inferCol{index: j, header: headers[j], st: NewColumnStats()}
		if j < len(layout.Codes) {
			c.code = layout.Codes[j]
		}
		if j < len(stats) && stats[j] != nil {
			c.st = stats[j]
		}
		c.values, c.counts, c.fix = c.st.Distinct(), c.st.Values, fix
		if fix != nil {
			c.counts = make(map[string]int, len(c.st.Values))
			for v, n := range c.st.Values {
				c.counts[fix(v)] += n
			}
			c.values = byCount(c.counts)
		}
		cols[j] = c
	}
	return cols
}

// assignClaims gives columns the roles their names claim, one column per
// unique role, checking that date roles hold dates. A headerless first
// column of row numbers is the respondent id when nothing else is.
func assignClaims(cols []*inferCol, f Format, opts InferOptions) {
	winner := map[analytics.Role]*inferCol{}
	claims := make([]claim, len(cols))
	for j, c := range cols {
		cl, ok := nameClaim(f, c.header, c.code)
		if !ok {
			continue
		}
		if (cl.role == rSub || cl.role == rSta) && c.st.NonEmpty > 0 && !isDateColumn(c.st, opts.FromXLSX) &&
			!badSerialDates(c, opts.FromXLSX) {
			continue
		}
		claims[j] = cl
		switch cl.role {
		case rPers, rIgn:
			c.role = cl.role
		default:
			if w := winner[cl.role]; w == nil || cl.rank < claims[w.index].rank {
				winner[cl.role] = c
			}
		}
	}
	for role, c := range winner {
		c.role = role
	}
	for j, c := range cols {
		if c.role == "" && claims[j].role != "" && claims[j].fromFormat {
			c.role = rIgn
		}
	}
	if len(cols) > 0 && winner[rID] == nil && cols[0].role == "" && headerless(cols[0]) &&
		cols[0].st.Increasing && cols[0].st.NonEmpty > 0 {
		cols[0].role = rID
	}
	for _, c := range cols {
		if c.role == "" && headerless(c) && c.st.NonEmpty == 0 {
			c.role = rIgn
		}
	}
}

// headerless reports whether a column's header is the name DetectLayout
// gives a blank one.
func headerless(c *inferCol) bool {
	return c.header == "Column "+columnLetters(c.index)
}

// isDateColumn reports whether nearly all of a column's cells are dates:
// text dates, or with serial numbers allowed, Excel serial day numbers.
func isDateColumn(st *ColumnStats, serial bool) bool {
	if st.NonEmpty == 0 {
		return false
	}
	if text := st.ISODates + st.SlashDates; text*10 >= st.NonEmpty*9 {
		return true
	}
	return serial && st.Numeric == st.NonEmpty && st.Min >= 1 && st.Max < excelMaxSerial
}

// badSerialDates reports whether a column named as a date holds numbers
// only, some of which cannot be Excel serial dates (9999999, -5, 3e10): in a
// workbook any number there, in a CSV file one out of the serial range. The
// column keeps its date role, so that the import names the first bad row
// instead of silently reading the column as a number question.
func badSerialDates(c *inferCol, fromXLSX bool) bool {
	st := c.st
	if st.NonEmpty == 0 || st.Numeric != st.NonEmpty || !headerSaysDate(c.header) {
		return false
	}
	return fromXLSX || st.Min < 1 || st.Max >= excelMaxSerial
}

// decideDateOrder settles how d/m/y dates are read: the user's choice; else
// what the data prove (a first field over 12 proves day-first, a second
// field over 12 month-first); else the source's habit: SurveyMonkey and
// Google Forms (US exports) month-first, everything else day-first.
func decideDateOrder(f Format, cols []*inferCol, m analytics.Mapping, forced analytics.DateOrder) analytics.DateOrder {
	if forced != analytics.DateAuto {
		return forced
	}
	dateQ := map[string]bool{}
	for _, q := range m.Questions {
		if q.Kind == analytics.KindDate {
			dateQ[q.Code] = true
		}
	}
	first, second := 0, 0
	for j, c := range cols {
		col := m.Columns[j]
		if col.Role == rSub || col.Role == rSta || (col.Role == analytics.RoleQuestion && dateQ[col.Code]) {
			first += c.st.FirstOver12
			second += c.st.SecondOver12
		}
	}
	switch {
	case second > 0 && first == 0:
		return analytics.MonthFirst
	case first > 0 && second == 0:
		return analytics.DayFirst
	case f == FormatSurveyMonkey || f == FormatGoogleForms:
		return analytics.MonthFirst
	}
	return analytics.DayFirst
}

// uniqueSlug is the column's code: a slug of the tool's code, else of the
// header, made unique within the mapping.
func uniqueSlug(c *inferCol, used map[string]bool) string {
	base := slug(c.code)
	if base == "" {
		base = slug(c.header)
	}
	if base == "" {
		base = "col_" + strings.ToLower(columnLetters(c.index))
	}
	code := base
	for n := 2; used[code]; n++ {
		code = base + "_" + strconv.Itoa(n)
	}
	used[code] = true
	return code
}

// slug lower-cases ASCII letters and digits and joins the runs between
// them with "_"; a long slug keeps its start and end ("please_state_..._han_solo").
func slug(s string) string {
	var b strings.Builder
	gap := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteByte(c)
		gap = false
	}
	out := b.String()
	if len(out) > 48 {
		out = strings.TrimRight(out[:30], "_") + "_" + strings.TrimLeft(out[len(out)-17:], "_")
	}
	return out
}

// dimensionWords maps header words and phrases to the kind of dimension
// they name; phrases of several words are tried first.
func dimensionWords() []nameRole {
	k := func(word, kind string) nameRole { return nameRole{word, analytics.Role(kind)} }
	return []nameRole{
		// Lengths of service first: "length of service" is not the service.
		k("length of service", "length-of-service"), k("years of service", "length-of-service"),
		k("service length", "length-of-service"), k("length of employment", "length-of-service"),
		k("time in post", "length-of-service"), k("years in post", "length-of-service"),
		k("time in role", "length-of-service"), k("years in role", "length-of-service"),
		k("time employed", "length-of-service"), k("years employed", "length-of-service"),
		k("business unit", "department"), k("service area", "service"),
		k("age band", "age-band"), k("age group", "age-band"), k("age range", "age-band"),
		k("client group", "other"), k("primary support reason", "other"), k("service type", "service"),
		k("ethnic group", "ethnicity"), k("ethnic origin", "ethnicity"), k("care setting", "service"),
		k("your age", "age-band"), k("your gender", "gender"), k("your sex", "gender"),
		k("your ethnicity", "ethnicity"), k("your ethnic", "ethnicity"), k("are you a carer", "carer"),
		k("team", "team"), k("service", "service"), k("setting", "service"), k("intervention", "other"),
		k("locality", "locality"), k("area", "locality"), k("ward", "locality"), k("district", "locality"),
		k("borough", "locality"), k("neighbourhood", "locality"), k("region", "locality"),
		k("age", "age-band"), k("agegroup", "age-band"), k("ageband", "age-band"),
		k("gender", "gender"), k("sex", "gender"), k("ethnicity", "ethnicity"), k("ethnic", "ethnicity"),
		k("disability", "disability"), k("disabled", "disability"), k("carer", "carer"), k("carers", "carer"),
		k("surgery", "organisation"), k("practice", "organisation"), k("organisation", "organisation"),
		k("organization", "organisation"), k("trust", "organisation"), k("site", "organisation"),
		k("provider", "organisation"),
		k("department", "department"), k("dept", "department"), k("directorate", "department"),
		k("division", "department"), k("tenure", "tenure"),
	}
}

// dimensionFor decides whether a column describes the respondent or the
// service, from its header: a short label ("Team", "Age band", "Gender: How
// do you identify?", "members/sex") naming a dimension, or a question
// asking for one ("What is your age?"). Columns whose data are dates, 0/1
// flags, many different numbers or long text are not dimensions.
func dimensionFor(c *inferCol) (string, bool) {
	kind := headerDimension(c.header)
	if kind == "" {
		kind = valueDimension(c)
	}
	if kind == "" {
		return "", false
	}
	if kind == "tenure" && durationShare(c) {
		kind = "length-of-service" // not a housing tenure
	}
	st := c.st
	switch {
	case !st.Overflow && isRatingScale(c.values):
		return "", false // "Service quality": Very good ... Very poor
	case isDateColumn(st, false):
		return "", false
	case st.NonEmpty > 0 && st.Numeric == st.NonEmpty && (len(c.values) <= 2 || len(c.values) > 12 || st.Overflow):
		return "", false // flags, or a number such as an age in years
	case st.Overflow || (st.NonEmpty > 0 && st.TotalLen/st.NonEmpty > 60):
		return "", false
	}
	return kind, true
}

// questionFor builds the question a column asks, choosing its kind from
// its values: date, scale, number, multiple choice, free text, or else
// single choice.
func questionFor(c *inferCol, opts InferOptions) analytics.Question {
	q := analytics.Question{Text: c.header, Kind: analytics.KindSingle}
	st := c.st
	switch {
	case st.NonEmpty == 0:
		return q
	case isDateColumn(st, opts.FromXLSX && headerSaysDate(c.header)):
		q.Kind = analytics.KindDate
		return q
	}
	if !st.Overflow {
		if s, ok := columnScale(c); ok {
			q.Kind, q.Scale, q.Options = analytics.KindScale, s.Name, s.Options
			return q
		}
	}
	if st.Numeric == st.NonEmpty {
		lower := strings.ToLower(c.header)
		if !isFlagColumn(c.values) && !strings.Contains(lower, "categor") && !strings.Contains(lower, "code") {
			q.Kind = analytics.KindNumber
			return q
		}
	} else if sep, parts, ok := multiChoice(st, c.values, c.counts, c.fix); ok {
		q.Kind, q.Separator, q.Options = analytics.KindMulti, sep, choiceOptions(parts, nil)
		return q
	} else if text, note := freeTextVerdict(c.header, st.Overflow, c.values, c.counts, st.NonEmpty); text {
		q.Kind, c.note = analytics.KindText, note
		return q
	}
	q.Options = choiceOptions(c.values, c.counts)
	return q
}

// columnScale recognises a known scale in a column; a header that speaks
// of recommending or a 0-10 rating lets 1-10 answers read as 0-10.
func columnScale(c *inferCol) (analytics.Scale, bool) {
	if s, ok := RecognizeScale(c.values); ok {
		return s, true
	}
	h := strings.ToLower(c.header)
	for _, hint := range []string{"recommend", "0-10", "0 to 10", "out of 10", "nps"} {
		if strings.Contains(h, hint) {
			return recognizeZeroTen(c.values, true)
		}
	}
	return analytics.Scale{}, false
}

// headerSaysDate reports whether a header names a date or time, which lets
// xlsx serial numbers in its column read as dates.
func headerSaysDate(h string) bool {
	h = strings.ToLower(h)
	for _, w := range []string{"date", "time", "when", "timestamp", "start", "end", "submitted", "completed"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// isFlagColumn reports whether every value is 0 or 1 (a ticked box).
func isFlagColumn(values []string) bool {
	for _, v := range values {
		if k := optionKey(v); k != "0" && k != "1" {
			return false
		}
	}
	return len(values) > 0
}

// headerDimension is the kind of dimension a header names, or "".
func headerDimension(header string) string {
	label := strings.ToLower(header)
	if i := strings.IndexByte(label, ':'); i > 0 && i <= 30 {
		label = label[:i]
	}
	if !strings.Contains(label, " ") {
		label = strings.TrimRight(label, ".") // "Dept."
		if i := strings.LastIndexAny(label, "./"); i >= 0 {
			label = label[i+1:]
		}
	}
	if i := strings.IndexByte(label, '('); i > 0 {
		label = label[:i]
	}
	words := strings.FieldsFunc(label, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	if len(words) == 0 {
		return ""
	}
	short := len(words) <= 5 && !strings.Contains(label, "?")
	joined := " " + strings.Join(words, " ") + " "
	for _, dw := range dimensionWords() {
		phrase := strings.Contains(dw.key, " ")
		if (short || (phrase && strings.HasPrefix(dw.key, "your ") || dw.key == "are you a carer")) &&
			strings.Contains(joined, " "+dw.key+" ") {
			return string(dw.role)
		}
	}
	return equalityQuestion(header)
}
