package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/heard-council/heard/api/action"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/api/report"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/dashboards"
)

// The differencing property: for board users, no figure that any
// combination of their requests gives (reports through the JSON API, the
// trend CSV, a question page's tables) lets a count of 1 to 4, or a base
// under the minimum, be worked out. Each trial generates a survey, sets
// its board publication, makes random board requests (with every
// parameter a board user can type: dates, filters, thresholds, periods,
// breakdowns, metrics) plus the known attacks, turns every published
// number into a linear equation over the survey's cells (month × team ×
// age band × answer), checks that the number is what the equation gives
// on the generated data, and then asks, by exact Gaussian elimination
// (modulo a prime), whether any protected quantity lies in the span of
// what was published: a count of some period of any kind, group and
// answer that is from 1 to 4, or a base from 1 to 9.

// boardScale is the generated question's options, in the file's words.
var boardScale = []string{"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
	"Fairly dissatisfied", "Very dissatisfied", "Don't know"}

var (
	// boardMonths are the months of the generated responses, then the
	// month of the rows that show the importer the whole scale, then ""
	// for the undated responses.
	boardMonths = []string{"2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2025-06", ""}
	boardTeams  = []string{"North", "South", "East", ""} // "" is a blank cell
	boardAges   = []string{"18-64", "65 and over"}
)

// boardDays are the days of a month responses are given, so that a date
// range can cut a month.
var boardDays = []int{10, 20}

// boardCell is one generated response's cell.
type boardCell struct{ month, day, team, age, option int }

// atom numbers a cell: the unknowns of the equations.
func (c boardCell) atom() int {
	return (((c.month*len(boardDays)+c.day)*len(boardTeams)+c.team)*len(boardAges)+c.age)*len(boardScale) + c.option
}

const boardAtoms = 8 * 2 * 4 * 2 * 6

// boardSurvey is a generated survey imported into a server.
type boardSurvey struct {
	srv   *Server
	board testAccount
	slug  string
	name  string
	cells []boardCell
	// count is the number of responses in each atom.
	count [boardAtoms]int64
	// option maps the stored option index to the generated one.
	option []int
}

// newBoardSurvey writes and imports a survey of random size, with small
// teams and months among large ones.
// With crafted set, May 2024 holds only 10 "Very satisfied" and 12 "Don't
// know": answer shares a board may see (every count 10 or more, 22 answers)
// beside a figure it may not (100% of 10).
func newBoardSurvey(t *testing.T, rng *rand.Rand, crafted bool) *boardSurvey {
	t.Helper()
	srv, _ := newTestServer(t)
	b := &boardSurvey{srv: srv, name: "Differencing"}
	b.board = createAccount(t, srv.store, "board-diff@example.org", analytics.RoleBoard)
	var sb strings.Builder
	sb.WriteString("Response ID,Date submitted,Team,Age band,Overall satisfaction\n")
	teamWeight := []int{1 + rng.IntN(40), 1 + rng.IntN(12), 1 + rng.IntN(4), rng.IntN(3)}
	optWeight := []int{20 + rng.IntN(40), 5 + rng.IntN(30), rng.IntN(8), rng.IntN(5), rng.IntN(4), rng.IntN(3 + 20*rng.IntN(2))}
	n := 80 + rng.IntN(220)
	pick := func(w []int) int {
		total := 0
		for _, x := range w {
			total += x
		}
		r := rng.IntN(max(total, 1))
		for i, x := range w {
			if r < x {
				return i
			}
			r -= x
		}
		return 0
	}
	months := 6
	if crafted {
		months = 5
		for i := range 22 {
			o := 0
			if i >= 10 {
				o = 5
			}
			c := boardCell{month: 5, day: i % 2, team: i % 3, age: i % 2, option: o}
			b.count[c.atom()]++
			fmt.Fprintf(&sb, "C%04d,%02d/05/2024,%s,%s,%s\n", i+1, boardDays[c.day], boardTeams[c.team], boardAges[c.age], boardScale[o])
		}
	}
	for i := range n {
		c := boardCell{month: rng.IntN(months), day: rng.IntN(2), team: pick(teamWeight), age: rng.IntN(2), option: pick(optWeight)}
		b.cells = append(b.cells, c)
		b.count[c.atom()]++
		y, m, _ := strings.Cut(boardMonths[c.month], "-")
		fmt.Fprintf(&sb, "R%04d,%02d/%s/%s,%s,%s,%s\n", i+1, boardDays[c.day], m, y, boardTeams[c.team], boardAges[c.age], boardScale[c.option])
	}
	// Every option appears once in a month the checks do not read, so the
	// importer knows the whole scale; and a few undated responses.
	for i, o := range boardScale {
		fmt.Fprintf(&sb, "X%d,10/06/2025,North,18-64,%s\n", i, o)
		b.count[boardCell{6, 0, 0, 0, i}.atom()]++
	}
	fmt.Fprintf(&sb, "U1,,North,18-64,Very satisfied\nU2,,South,65 and over,Very dissatisfied\n")
	b.count[boardCell{7, 0, 0, 0, 0}.atom()]++
	b.count[boardCell{7, 0, 1, 1, 4}.atom()]++
	path := filepath.Join(t.TempDir(), "differencing.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportFile(context.Background(), srv.store, path, "differencing.csv", ingest.ImportParams{Survey: b.name})
	if err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(context.Background(), b.name)
	if err != nil {
		t.Fatal(err)
	}
	b.slug = sv.Slug
	qs, ds, err := srv.store.Questions(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || len(qs) != 1 || qs[0].Kind != analytics.KindScale {
		t.Fatalf("the generated file was read as questions %+v and dimensions %+v", qs, ds)
	}
	for _, o := range qs[0].Options {
		i := slices.Index(boardScale, o.Label)
		if i < 0 {
			t.Fatalf("option %q was not in the file", o.Label)
		}
		b.option = append(b.option, i)
	}
	return b
}

// publish sets the survey's board publication.
func (b *boardSurvey) publish(t *testing.T, pub analytics.Publication) {
	t.Helper()
	if err := b.srv.store.SetPublication(context.Background(), b.name, pub, analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
}

// fact is a published number: the sum of the atoms set in f.
type fact struct {
	f     [boardAtoms]bool
	value int64
	what  string
	// also, when set, is a second quantity that must be worked out too
	// for the fact to be given away (a 0% or 100% needs its base and its
	// positive count).
	also *[boardAtoms]bool
}

// cellSet selects atoms: the months of a period, one group (or all), and
// a set of options.
type cellSet struct {
	kind       analytics.PeriodKind
	period     string
	dim, value int // dim 0: none, 1: team, 2: age band; value the index
	options    []int
	filter     boardFilter
}

// boardFilter is the date range and filters an output declares.
type boardFilter struct {
	from, to    string // London dates, "" for none
	teams, ages []int  // nil for every one
}

// keeps reports whether the filter keeps a response of month m, day d,
// team and age band.
func (f boardFilter) keeps(m, d, team, age int) bool {
	if f.from != "" || f.to != "" {
		if boardMonths[m] == "" {
			return false
		}
		date := fmt.Sprintf("%s-%02d", boardMonths[m], boardDays[d])
		if f.from != "" && date < f.from || f.to != "" && date > f.to {
			return false
		}
	}
	return (f.teams == nil || slices.Contains(f.teams, team)) && (f.ages == nil || slices.Contains(f.ages, age))
}

// filterOf reads a declared date range and filters.
func filterOf(t *testing.T, from, to string, where []string) boardFilter {
	t.Helper()
	var f boardFilter
	var err error
	if f.from, err = report.ParseDay("from", from, false); err != nil {
		t.Fatal(err)
	}
	if f.to, err = report.ParseDay("to", to, true); err != nil {
		t.Fatal(err)
	}
	for _, w := range where {
		col, val, _ := strings.Cut(w, "=")
		switch col {
		case "team":
			f.teams = append(f.teams, slices.Index(boardTeams, val))
		case "age_band":
			f.ages = append(f.ages, slices.Index(boardAges, val))
		default:
			t.Fatalf("filter %q is not modelled", w)
		}
	}
	return f
}

// kindOfKey tells the period kind from a period's key.
func kindOfKey(key string) analytics.PeriodKind {
	for _, k := range []analytics.PeriodKind{analytics.PeriodMonth, analytics.PeriodQuarter, analytics.PeriodYear,
		analytics.PeriodFY, analytics.PeriodFYQuarter, analytics.PeriodAll} {
		for _, m := range boardMonths {
			if p, err := analytics.PeriodOf(k, m); err == nil && p == key {
				return k
			}
		}
	}
	return ""
}

func (s cellSet) vector() [boardAtoms]bool {
	var v [boardAtoms]bool
	for m := range boardMonths {
		if p, err := analytics.PeriodOf(s.kind, boardMonths[m]); err != nil || p != s.period {
			continue
		}
		for d := range boardDays {
			for t := range boardTeams {
				if s.dim == 1 && t != s.value {
					continue
				}
				for a := range boardAges {
					if s.dim == 2 && a != s.value || !s.filter.keeps(m, d, t, a) {
						continue
					}
					for _, o := range s.options {
						v[boardCell{m, d, t, a, o}.atom()] = true
					}
				}
			}
		}
	}
	return v
}

// value is the sum of the atoms of v in the generated data.
func (b *boardSurvey) value(v [boardAtoms]bool) int64 {
	var n int64
	for i, on := range v {
		if on {
			n += b.count[i]
		}
	}
	return n
}

// groupOf finds the dimension and value a published group name means.
func groupOf(name string) (dim, value int, ok bool) {
	if name == "" {
		return 0, 0, true
	}
	if name == analytics.BlankGroup {
		return 1, 3, true
	}
	if i := slices.Index(boardTeams, name); i >= 0 {
		return 1, i, true
	}
	if i := slices.Index(boardAges, name); i >= 0 {
		return 2, i, true
	}
	return 0, 0, false
}

// labelsToOptions maps option labels to generated option indexes.
func labelsToOptions(t *testing.T, labels []string) []int {
	t.Helper()
	var out []int
	for _, l := range labels {
		i := slices.Index(boardScale, l)
		if i < 0 {
			t.Fatalf("unknown option label %q", l)
		}
		out = append(out, i)
	}
	return out
}

// otherOptions is every option not in any of the lists.
func otherOptions(lists ...[]int) []int {
	var out []int
	for o := range boardScale {
		if !slices.ContainsFunc(lists, func(l []int) bool { return slices.Contains(l, o) }) {
			out = append(out, o)
		}
	}
	return out
}

// boardGet makes a request as the board member.
func (b *boardSurvey) boardGet(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+b.board.token)
	rec := httptest.NewRecorder()
	b.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// check adds a published number as a fact, after checking that it is what
// its cells hold in the generated data.
func (b *boardSurvey) check(t *testing.T, facts *[]fact, s cellSet, published int64, what string) {
	t.Helper()
	v := s.vector()
	if want := b.value(v); want != published {
		t.Fatalf("%s: published %d, but the cells it names hold %d: the test does not model this output", what, published, want)
	}
	*facts = append(*facts, fact{f: v, value: published, what: what})
}

// reportFacts reads a board report from the JSON API.
func (b *boardSurvey) reportFacts(t *testing.T, query url.Values) []fact {
	t.Helper()
	rec := b.boardGet(t, "/api/v1/surveys/"+b.slug+"/report?"+query.Encode())
	if rec.Code != 200 {
		return nil // a refused request publishes nothing
	}
	var reps []report.JSON
	if query.Get("question") == "" {
		var all report.SurveyReports
		if err := json.Unmarshal(rec.Body.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		reps = all.Reports
	} else {
		var rep report.JSON
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	var facts []fact
	for _, rep := range reps {
		facts = append(facts, b.oneReportFacts(t, query, rep)...)
	}
	return facts
}

// oneReportFacts reads one question's board report.
func (b *boardSurvey) oneReportFacts(t *testing.T, query url.Values, rep report.JSON) []fact {
	t.Helper()
	if !rep.Board {
		t.Fatalf("a board member's report is not a board report: %s", query.Encode())
	}
	filter := filterOf(t, rep.From, rep.To, rep.Where)
	pos := labelsToOptions(t, rep.Metric.Positive)
	neg := labelsToOptions(t, rep.Metric.Negative)
	base := otherOptions(labelsToOptions(t, rep.Metric.Excluded))
	var facts []fact
	for _, r := range rep.Rows {
		dim, val, ok := groupOf(r.Group)
		if !ok {
			t.Fatalf("group %q is not in the data", r.Group)
		}
		if r.Suppressed || r.N == nil {
			continue
		}
		what := fmt.Sprintf("report %s: %s %q", query.Encode(), r.Period, r.Group)
		s := cellSet{kind: rep.Period, period: r.Period, dim: dim, value: val, options: base, filter: filter}
		b.check(t, &facts, s, *r.N, what+" n")
		if r.Positive != nil {
			s.options = pos
			b.check(t, &facts, s, *r.Positive, what+" positive")
		}
		if r.Negative != nil {
			s.options = neg
			b.check(t, &facts, s, *r.Negative, what+" negative")
		}
	}
	return facts
}

// trendFacts reads the board's trend CSV.
func (b *boardSurvey) trendFacts(t *testing.T, query url.Values, metric report.MetricJSON) []fact {
	t.Helper()
	rec := b.boardGet(t, "/api/v1/surveys/"+b.slug+"/trends.csv?"+query.Encode())
	if rec.Code != 200 {
		return nil
	}
	recs, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pos := labelsToOptions(t, metric.Positive)
	base := otherOptions(labelsToOptions(t, metric.Excluded))
	var facts []fact
	for _, r := range recs[1:] {
		group := r[4]
		if group == "All responses" {
			group = ""
		}
		dim, val, ok := groupOf(group)
		if !ok {
			t.Fatalf("trend CSV group %q is not in the data", r[4])
		}
		if r[10] == "true" || r[6] == "" {
			continue
		}
		what := fmt.Sprintf("trend CSV %s: %s %q", query.Encode(), r[3], r[4])
		s := cellSet{kind: kindOfKey(r[3]), period: r[3], dim: dim, value: val, options: base}
		n, _ := strconv.ParseInt(r[6], 10, 64)
		b.check(t, &facts, s, n, what+" n")
		if r[5] != "" {
			p, _ := strconv.ParseInt(r[5], 10, 64)
			s.options = pos
			b.check(t, &facts, s, p, what+" positive")
		}
	}
	return facts
}

// pageFacts reads the tables of the question's page as the board sees
// it: the answer shares beside the trend and the breakdown.
func (b *boardSurvey) pageFacts(t *testing.T, query url.Values, code string) []fact {
	t.Helper()
	query.Set("board", "1")
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/surveys/"+b.slug+"/questions/"+code+"?"+query.Encode(), nil)
	c.Params = gin.Params{{Key: "slug", Value: b.slug}, {Key: "code", Value: code}}
	v, err := b.srv.loadSurveyView(c)
	if err != nil {
		return nil
	}
	qv, err := b.srv.buildQuestion(c.Request.Context(), v, code)
	if err != nil {
		return nil
	}
	kind, err := analytics.ParsePeriodKind(v.params.Period)
	if err != nil {
		kind = analytics.PeriodMonth
	}
	filter := filterOf(t, v.params.From, v.params.To, v.params.Where)
	labels := map[string]string{}
	for _, m := range boardMonths {
		if key, err := analytics.PeriodOf(kind, m); err == nil {
			labels[dashboards.PeriodLabel(kind, key)] = key
		}
	}
	var facts []fact
	for _, tab := range qv.tables {
		if tab.Name != "Answers" {
			continue
		}
		nCol := slices.Index(tab.Columns, "Answers (n)")
		for _, row := range tab.Rows {
			key, ok := labels[row[0].Text]
			if !ok || row[nCol].Value == nil {
				continue
			}
			n := int64(*row[nCol].Value)
			what := fmt.Sprintf("answer shares %s: %s", query.Encode(), key)
			all := cellSet{kind: kind, period: key, options: otherOptions(), filter: filter}
			b.check(t, &facts, all, n, what+" n")
			for i, col := range tab.Columns[1:nCol] {
				cell := row[1+i]
				if cell.Value == nil {
					continue
				}
				s := cellSet{kind: kind, period: key, options: labelsToOptions(t, []string{col}), filter: filter}
				b.check(t, &facts, s, int64(math.Round(*cell.Value*float64(n))), what+" "+col)
			}
		}
	}
	return facts
}

// addActions records a few "you said, we did" actions on the question, as
// staff do, done on random days with random windows: their effects are
// figures over date ranges the board did not choose.
func (b *boardSurvey) addActions(t *testing.T, rng *rand.Rand, code string) {
	t.Helper()
	sv, err := b.srv.store.SurveyBySlug(context.Background(), b.slug)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 + rng.IntN(4) {
		done := fmt.Sprintf("%s-%02d", boardMonths[rng.IntN(6)], 1+rng.IntN(28))
		a := analytics.Action{SurveyID: sv.ID, Question: code, Said: fmt.Sprintf("said %d", i), Did: "did",
			Done: done, Months: 1 + rng.IntN(6)}
		if _, err := b.srv.store.SaveAction(context.Background(), a, analytics.CommandLine("test")); err != nil {
			t.Fatal(err)
		}
	}
}

// actionFacts reads the effects of the actions as the board sees them:
// each window's base and positive answers.
func (b *boardSurvey) actionFacts(t *testing.T, metric report.MetricJSON) []fact {
	t.Helper()
	rec := b.boardGet(t, "/api/v1/surveys/"+b.slug+"/actions")
	var list []action.JSON
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
		t.Fatalf("the board's actions: %d %s", rec.Code, rec.Body)
	}
	pos := labelsToOptions(t, metric.Positive)
	base := otherOptions(labelsToOptions(t, metric.Excluded))
	var facts []fact
	for _, a := range list {
		for _, w := range []*action.WindowJSON{a.Before, a.After} {
			if w == nil || w.N == nil {
				continue
			}
			what := fmt.Sprintf("action %d, %s to %s", a.ID, w.From, w.To)
			s := cellSet{kind: analytics.PeriodAll, period: analytics.AllPeriod, options: base, filter: boardFilter{from: w.From, to: w.To}}
			b.check(t, &facts, s, *w.N, what+" n")
			s.options = pos
			b.check(t, &facts, s, *w.Positive, what+" positive")
		}
	}
	return facts
}

// randomBoardQuery draws what a board user might type into an address.
func randomBoardQuery(rng *rand.Rand, code string) url.Values {
	q := url.Values{}
	if rng.IntN(4) > 0 {
		q.Set("question", code)
	}
	kinds := []string{"month", "quarter", "year", "fy", "fyq", "all", ""}
	q.Set("period", kinds[rng.IntN(len(kinds))])
	switch rng.IntN(5) {
	case 0:
		q.Add("by", "team")
	case 1:
		q.Add("by", "age_band")
	case 2:
		q.Add("by", "team")
		q.Add("by", "age_band")
	case 3:
		q.Add("by", "overall_satisfaction")
	}
	if rng.IntN(2) == 0 {
		q.Set("from", boardMonths[rng.IntN(6)]+"-"+fmt.Sprintf("%02d", 1+rng.IntN(28)))
	}
	if rng.IntN(2) == 0 {
		q.Set("to", boardMonths[rng.IntN(6)])
	}
	for range rng.IntN(3) {
		if rng.IntN(2) == 0 {
			q.Add("where", "team="+[]string{"North", "South", "East"}[rng.IntN(3)])
		} else {
			q.Add("where", "age_band="+boardAges[rng.IntN(2)])
		}
	}
	if rng.IntN(2) == 0 {
		q.Set("min_base", strconv.Itoa(rng.IntN(3)))
	}
	if rng.IntN(3) == 0 {
		q.Set("metric", []string{"top-box", "positive", "fft-positive", "mean", "nps", "agree"}[rng.IntN(6)])
	}
	if rng.IntN(3) == 0 {
		q.Set("include_partial", "1")
	}
	if rng.IntN(3) == 0 {
		q.Set("board", "0")
	}
	return q
}

// knownAttacks are the subtractions the issue reported: all teams against
// the other teams, a date range moved by a day, months against the year.
func knownAttacks(code string) []url.Values {
	mk := func(kv ...string) url.Values {
		q := url.Values{"question": {code}}
		for i := 0; i < len(kv); i += 2 {
			q.Add(kv[i], kv[i+1])
		}
		return q
	}
	return []url.Values{
		mk("period", "all"),
		mk("period", "all", "where", "team=North", "where", "team=South"),
		mk("period", "all", "from", "2024-01-10", "to", "2024-03-31"),
		mk("period", "all", "from", "2024-01-11", "to", "2024-03-31"),
		mk("period", "all", "from", "2024-02-20", "to", "2024-02-20"),
		mk("period", "month", "by", "team", "min_base", "1"),
		mk("period", "year", "by", "team"),
		mk("period", "fy", "by", "age_band"),
	}
}

// protected lists the quantities no board output may let be worked out,
// with their true values: for every period of every kind, the overall
// cell and each team and age band, the base, the positive and the other
// answers of the default metric, every option's count and all answers.
//
// Under the nhs-fft policy, which publishes counts on 5 responses or more
// whatever they are, the protected quantities are the bases from 1 to 4.
func (b *boardSurvey) protected(metric report.MetricJSON, policy analytics.Policy) []fact {
	pos := labelsToOptionsNoT(metric.Positive)
	excl := labelsToOptionsNoT(metric.Excluded)
	base := otherOptions(excl)
	sets := map[string][]int{"base": base, "positive": pos, "not positive": otherOptions(pos, excl), "all answers": otherOptions()}
	for o, label := range boardScale {
		sets[label] = []int{o}
	}
	var out []fact
	for _, kind := range []analytics.PeriodKind{analytics.PeriodMonth, analytics.PeriodQuarter, analytics.PeriodYear,
		analytics.PeriodFY, analytics.PeriodFYQuarter, analytics.PeriodAll} {
		periods := map[string]bool{}
		for _, m := range boardMonths {
			if p, err := analytics.PeriodOf(kind, m); err == nil {
				periods[p] = true
			}
		}
		for p := range periods {
			groups := [][2]int{{0, 0}}
			for ti := range boardTeams {
				groups = append(groups, [2]int{1, ti})
			}
			for a := range boardAges {
				groups = append(groups, [2]int{2, a})
			}
			for _, g := range groups {
				for name, opts := range sets {
					s := cellSet{kind: kind, period: p, dim: g[0], value: g[1], options: opts}
					v := s.vector()
					n := b.value(v)
					limit := int64(4)
					if name == "base" || name == "all answers" {
						limit = 9
					}
					if policy == analytics.PolicyNHSFFT {
						if name != "base" && name != "all answers" {
							continue
						}
						limit = 4
					}
					if n >= 1 && n <= limit {
						out = append(out, fact{f: v, value: n,
							what: fmt.Sprintf("%s of %s %s, group %d/%d", name, kind, p, g[0], g[1])})
					}
				}
				// 0% or 100% on a base under 20: "all 12 people said...".
				if policy == analytics.PolicyNHSFFT {
					continue
				}
				bs := cellSet{kind: kind, period: p, dim: g[0], value: g[1], options: base}
				ps := cellSet{kind: kind, period: p, dim: g[0], value: g[1], options: pos}
				bv, pv := bs.vector(), ps.vector()
				if n, k := b.value(bv), b.value(pv); n > 0 && n < 20 && (k == 0 || k == n) {
					out = append(out, fact{f: bv, also: &pv, value: k,
						what: fmt.Sprintf("%d positive of %d in %s %s, group %d/%d", k, n, kind, p, g[0], g[1])})
				}
			}
		}
	}
	return out
}

func labelsToOptionsNoT(labels []string) []int {
	var out []int
	for _, l := range labels {
		if i := slices.Index(boardScale, l); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// span is a row-reduced basis of published equations, modulo a prime.
type span struct {
	rows   [][]uint64
	pivots []int
}

const spanPrime = 2147483647

func toVector(f [boardAtoms]bool) []uint64 {
	v := make([]uint64, boardAtoms)
	for i, on := range f {
		if on {
			v[i] = 1
		}
	}
	return v
}

// reduce eliminates the basis from v, in place, and returns the first
// column left non-zero (-1 when v is in the span).
func (s *span) reduce(v []uint64) int {
	for k, row := range s.rows {
		p := s.pivots[k]
		if c := v[p]; c != 0 {
			for j := range v {
				if row[j] != 0 {
					v[j] = (v[j] + (spanPrime-c)*row[j]) % spanPrime
				}
			}
		}
	}
	for j, x := range v {
		if x != 0 {
			return j
		}
	}
	return -1
}

// add puts a published equation in the span.
func (s *span) add(f [boardAtoms]bool) { s.addVector(toVector(f)) }

// addVector puts a published equation over any atoms in the span (every
// equation of one span has the same atoms); v is changed.
func (s *span) addVector(v []uint64) {
	p := s.reduce(v)
	if p < 0 {
		return
	}
	inv := modInverse(v[p])
	for j := range v {
		v[j] = v[j] * inv % spanPrime
	}
	// Keep the basis fully reduced: clear column p from the other rows.
	for _, row := range s.rows {
		if c := row[p]; c != 0 {
			for j := range row {
				if v[j] != 0 {
					row[j] = (row[j] + (spanPrime-c)*v[j]) % spanPrime
				}
			}
		}
	}
	s.rows, s.pivots = append(s.rows, v), append(s.pivots, p)
}

// determined reports whether f is a linear combination of the published
// equations: then its value can be worked out.
func (s *span) determined(f [boardAtoms]bool) bool { return s.reduce(toVector(f)) < 0 }

func modInverse(a uint64) uint64 {
	result, base, e := uint64(1), a%spanPrime, uint64(spanPrime-2)
	for e > 0 {
		if e&1 == 1 {
			result = result * base % spanPrime
		}
		base = base * base % spanPrime
		e >>= 1
	}
	return result
}

// TestBoardDifferencingProperty is the property: random surveys, random
// board requests in pairs, triples and more, the known attacks, the
// effects of actions done on random days, and no
// protected count in the span of what the board was shown. Atoms known to
// be 0 (a published 0) are added as equations of their own, since a
// published zero pins every cell in it.
func TestBoardDifferencingProperty(t *testing.T) {
	trials := 16
	if testing.Short() {
		trials = 6
	}
	kinds := []analytics.PeriodKind{analytics.PeriodMonth, analytics.PeriodQuarter, analytics.PeriodYear,
		analytics.PeriodFY, analytics.PeriodFYQuarter, analytics.PeriodAll}
	var showing atomic.Int64
	defer func() {
		if showing.Load() < int64(trials)/2 {
			t.Errorf("only %d of %d trials showed the board any figure: the property proves little", showing.Load(), trials)
		}
	}()
	for trial := range trials {
		t.Run(fmt.Sprintf("trial %d", trial), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(20261204, uint64(trial)))
			b := newBoardSurvey(t, rng, trial%6 == 0)
			kind := kinds[trial%len(kinds)]
			policy := analytics.PolicyHeard
			if trial%4 == 1 {
				policy = analytics.PolicyNHSFFT
			}
			b.publish(t, analytics.Publication{Policy: policy, Period: kind})
			code := "overall_satisfaction"
			// The board's metric, as its report names it.
			var first report.JSON
			rec := b.boardGet(t, "/api/v1/surveys/"+b.slug+"/report?question="+code)
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &first) != nil {
				t.Fatalf("the board's report: %d %s", rec.Code, rec.Body)
			}
			if first.Disclosure != policy.Disclosure().WithDefaults() {
				t.Fatalf("the board's report is under %+v, not the %s policy", first.Disclosure, policy)
			}
			b.addActions(t, rng, code)
			published := b.actionFacts(t, first.Metric)
			fromActions := len(published)
			queries := knownAttacks(code)
			for range 2 + rng.IntN(4) {
				queries = append(queries, randomBoardQuery(rng, code))
			}
			for i, q := range queries {
				published = append(published, b.reportFacts(t, q)...)
				if i%2 == 0 {
					published = append(published, b.trendFacts(t, q, first.Metric)...)
				}
				if i%3 == 0 {
					published = append(published, b.pageFacts(t, q, code)...)
				}
			}
			var s span
			shown := 0
			for _, f := range published {
				if f.value == 0 {
					for i, on := range f.f {
						if on {
							var unit [boardAtoms]bool
							unit[i] = true
							s.add(unit)
						}
					}
					continue
				}
				s.add(f.f)
				shown++
			}
			if shown > 0 {
				showing.Add(1)
			}
			targets := b.protected(first.Metric, policy)
			leaks := 0
			for _, target := range targets {
				if s.determined(target.f) && (target.also == nil || s.determined(*target.also)) {
					leaks++
					if leaks <= 5 {
						t.Errorf("the board can work out %s = %d", target.what, target.value)
					}
				}
			}
			t.Logf("%s, %s publication: %d published numbers (%d from actions' effects), %d protected counts, %d leaks", policy, kind,
				len(published), fromActions, len(targets), leaks)
		})
	}
}
