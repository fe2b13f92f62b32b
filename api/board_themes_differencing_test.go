package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
)

// The differencing property for the themes of comments: no combination of
// the theme figures a board member can ask for (the themes JSON and CSV,
// with every parameter a board user can type) lets a theme's count of 1 to
// 4, a base of comments under 10, or a 0% or 100% on a base under 20 be
// worked out. As in TestBoardDifferencingProperty, every published number
// becomes a linear equation over the survey's cells, here month × day ×
// team × age band × whether the comment has the theme (of the comments
// that say something), one theme at a time, and exact Gaussian elimination
// asks whether a protected quantity lies in their span.
//
// The themes are checked apart from the answers' figures: a number the
// board sees of a scale question counts the same cells whether or not
// their comments have a theme (or say anything), so no combination of
// those numbers cancels the comments without the theme and leaves the
// others; they add nothing to the themes' equations.

// themeAtoms are the unknowns of one theme: each cell of boardCell but the
// option, split into the comments without the theme (0) and with it (1).
const themeAtoms = 8 * 2 * 4 * 2 * 2

// themeCellAtom numbers the atom of a comment in month m, day d, team and
// age band, with the theme or not.
func themeCellAtom(m, d, team, age int, has bool) int {
	a := (((m*len(boardDays)+d)*len(boardTeams)+team)*len(boardAges) + age) * 2
	if has {
		a++
	}
	return a
}

// themeSurvey is a generated survey with comments, classified, and what
// the board may not learn of it.
type themeSurvey struct {
	srv              *Server
	board            testAccount
	name, slug, text string
	themes           []string
	// count holds, per theme, the comments in each atom.
	count [][themeAtoms]int64
}

// newThemeSurvey writes a survey called name, of random size with small
// teams and months among large ones and a comment from most people, into
// srv, imports and classifies it, and reads back where each comment's
// themes fall. board is the board member who asks.
func newThemeSurvey(t *testing.T, srv *Server, board testAccount, name string, rng *rand.Rand) *themeSurvey {
	t.Helper()
	s := &themeSurvey{srv: srv, board: board, name: name}
	var sb strings.Builder
	sb.WriteString("Response ID,Date submitted,Team,Age band,Overall satisfaction,What could we have done better?\n")
	teamWeight := []int{1 + rng.IntN(40), 1 + rng.IntN(12), 1 + rng.IntN(4), rng.IntN(3)}
	n := 120 + rng.IntN(200)
	for i := range n {
		m, team := rng.IntN(6), pickWeighted(rng, teamWeight)
		if rng.IntN(20) == 0 {
			m = 7 // undated
		}
		day := ""
		if boardMonths[m] != "" {
			y, mon, _ := strings.Cut(boardMonths[m], "-")
			day = fmt.Sprintf("%02d/%s/%s", boardDays[rng.IntN(2)], mon, y)
		}
		comment := themeOpenings[rng.IntN(len(themeOpenings))] + themeClosings[rng.IntN(len(themeClosings))]
		switch rng.IntN(8) {
		case 0:
			comment = ""
		case 1:
			comment = "N/A"
		}
		fmt.Fprintf(&sb, "R%04d,%s,%s,%s,%s,%q\n", i, day, boardTeams[team], boardAges[rng.IntN(2)], boardScale[rng.IntN(5)], comment)
	}
	path := filepath.Join(t.TempDir(), "themes-differencing.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rep, err := ingest.ImportFile(ctx, srv.store, path, "themes-differencing.csv", ingest.ImportParams{Survey: name})
	if err != nil || rep.Refused() {
		t.Fatalf("import: %v %+v", err, rep)
	}
	sv, err := srv.store.SurveyByName(ctx, rep.Survey)
	if err != nil {
		t.Fatal(err)
	}
	s.slug = sv.Slug
	if _, err := srv.store.ClassifyComments(ctx, sv.ID, nil); err != nil {
		t.Fatal(err)
	}
	model, err := srv.store.SurveyThemeModel(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.themes = model.Themes
	s.count = make([][themeAtoms]int64, len(s.themes))
	qs, ds, err := srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Kind == analytics.KindText {
			s.text = q.Code
		}
	}
	teamAt := slices.IndexFunc(ds, func(d analytics.Dimension) bool { return d.Code == "team" })
	ageAt := slices.IndexFunc(ds, func(d analytics.Dimension) bool { return d.Code == "age_band" })
	if s.text == "" || teamAt < 0 || ageAt < 0 {
		t.Fatalf("the generated file was read as questions %+v and dimensions %+v", qs, ds)
	}
	s.readComments(t, sv.ID, teamAt, ageAt)
	return s
}

// pickWeighted draws an index with the given weights.
func pickWeighted(rng *rand.Rand, w []int) int {
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

// readComments places every classified comment that says something in its
// atoms, one per theme.
func (s *themeSurvey) readComments(t *testing.T, surveyID int64, teamAt, ageAt int) {
	t.Helper()
	london, err := analytics.LoadLondon()
	if err != nil {
		t.Fatal(err)
	}
	for offset := 0; ; offset += 500 {
		list, total, err := s.srv.store.Comments(context.Background(), surveyID, store.CommentQuery{Limit: 500, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.Themes == nil {
				t.Fatalf("comment %q was not classified", c.Text)
			}
			if len(c.Themes) == 0 {
				continue // says nothing: in no base
			}
			m, d := len(boardMonths)-1, 0
			if !c.Submitted.IsZero() {
				at := c.Submitted.In(london)
				m = slices.Index(boardMonths, at.Format("2006-01"))
				d = slices.Index(boardDays, at.Day())
			}
			team := slices.Index(boardTeams, c.Dimensions[teamAt])
			age := slices.Index(boardAges, c.Dimensions[ageAt])
			if m < 0 || d < 0 || team < 0 || age < 0 {
				t.Fatalf("comment of %v, %q, %q is in no generated cell", c.Submitted, c.Dimensions[teamAt], c.Dimensions[ageAt])
			}
			for i, th := range s.themes {
				s.count[i][themeCellAtom(m, d, team, age, slices.Contains(c.Themes, th))]++
			}
		}
		if offset+len(list) >= total {
			return
		}
	}
}

// themeSet selects the atoms of a period, a group (dim 0: all; 1: team;
// 2: age band) and the comments with the theme (withTheme) or all that
// say something.
func themeSet(kind analytics.PeriodKind, period string, dim, value int, withTheme bool) []uint64 {
	v := make([]uint64, themeAtoms)
	for m := range boardMonths {
		if p, err := analytics.PeriodOf(kind, boardMonths[m]); err != nil || p != period {
			continue
		}
		for d := range boardDays {
			for team := range boardTeams {
				for age := range boardAges {
					if dim == 1 && team != value || dim == 2 && age != value {
						continue
					}
					v[themeCellAtom(m, d, team, age, true)] = 1
					if !withTheme {
						v[themeCellAtom(m, d, team, age, false)] = 1
					}
				}
			}
		}
	}
	return v
}

// themeFact is a published number of one theme.
type themeFact struct {
	theme int
	v     []uint64
	value int64
	what  string
}

// value is the sum of the theme's atoms that v selects.
func (s *themeSurvey) value(theme int, v []uint64) int64 {
	var n int64
	for i, on := range v {
		if on != 0 {
			n += s.count[theme][i]
		}
	}
	return n
}

// check adds a published number after checking that the cells it names
// hold it.
func (s *themeSurvey) check(t *testing.T, facts *[]themeFact, theme int, v []uint64, published int64, what string) {
	t.Helper()
	if want := s.value(theme, v); want != published {
		t.Fatalf("%s: published %d, but the comments it counts are %d: the test does not model this output", what, published, want)
	}
	*facts = append(*facts, themeFact{theme: theme, v: v, value: published, what: what})
}

// rowFacts turns a published row into facts: its base and its count.
func (s *themeSurvey) rowFacts(t *testing.T, facts *[]themeFact, kind analytics.PeriodKind, period, group, theme string,
	base, comments *int64, what string) {
	t.Helper()
	i := slices.Index(s.themes, theme)
	dim, val, ok := groupOf(group)
	if i < 0 || !ok {
		t.Fatalf("%s: theme %q or group %q is not in the data", what, theme, group)
	}
	if base == nil || comments == nil {
		return
	}
	s.check(t, facts, i, themeSet(kind, period, dim, val, false), *base, what+" base")
	s.check(t, facts, i, themeSet(kind, period, dim, val, true), *comments, what+" comments")
}

// jsonFacts reads the board's themes JSON.
func (s *themeSurvey) jsonFacts(t *testing.T, query url.Values) []themeFact {
	t.Helper()
	rec := s.get(t, "/api/v1/surveys/"+s.slug+"/themes?"+query.Encode())
	if rec.Code != 200 {
		return nil
	}
	j := themesJSON(t, rec)
	if !j.Board || j.From != "" || j.To != "" || len(j.Where) > 0 {
		t.Fatalf("the board's themes %s: board %v, dates %q to %q, where %q", query.Encode(), j.Board, j.From, j.To, j.Where)
	}
	var facts []themeFact
	for _, r := range j.Rows {
		what := fmt.Sprintf("themes %s: %s %q %s", query.Encode(), r.Period, r.Group, r.Theme)
		s.rowFacts(t, &facts, j.Period, r.Period, r.Group, r.Theme, r.Base, r.Comments, what)
	}
	return facts
}

// csvFacts reads the board's themes CSV.
func (s *themeSurvey) csvFacts(t *testing.T, query url.Values) []themeFact {
	t.Helper()
	rec := s.get(t, "/api/v1/surveys/"+s.slug+"/themes.csv?"+query.Encode())
	if rec.Code != 200 {
		return nil
	}
	recs, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var facts []themeFact
	for _, r := range recs[1:] {
		group := r[4]
		if group == "All responses" {
			group = ""
		}
		var base, comments *int64
		if r[6] != "" && r[7] != "" {
			c, _ := strconv.ParseInt(r[6], 10, 64)
			b, _ := strconv.ParseInt(r[7], 10, 64)
			base, comments = &b, &c
		}
		s.rowFacts(t, &facts, kindOfKey(r[3]), r[3], group, r[5], base, comments, fmt.Sprintf("themes CSV %s: %s %q %s", query.Encode(), r[3], r[4], r[5]))
	}
	return facts
}

// get makes a GET request as the board member.
func (s *themeSurvey) get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	return themesFixture{srv: s.srv}.with(t, s.board.token, path, nil)
}

// randomThemeQuery draws what a board user might type into the address of
// the themes.
func randomThemeQuery(rng *rand.Rand, text string) url.Values {
	q := randomBoardQuery(rng, "overall_satisfaction")
	switch rng.IntN(3) {
	case 0:
		q.Set("question", text)
	case 1:
		q.Del("question")
	}
	return q
}

// protectedThemes lists, for each theme, the quantities no board output
// may let be worked out: in every period of every kind, overall and in
// each team and age band, a count of comments with the theme from 1 to 4,
// a base from 1 to 9, and a 0% or 100% on a base under 20 (as the base
// and the count both). Under the nhs-fft policy, the bases from 1 to 4.
func (s *themeSurvey) protectedThemes(theme int, policy analytics.Policy) []themeFact {
	var out []themeFact
	for _, kind := range []analytics.PeriodKind{analytics.PeriodMonth, analytics.PeriodQuarter, analytics.PeriodYear,
		analytics.PeriodFY, analytics.PeriodFYQuarter, analytics.PeriodAll} {
		periods := map[string]bool{}
		for _, m := range boardMonths {
			if p, err := analytics.PeriodOf(kind, m); err == nil {
				periods[p] = true
			}
		}
		groups := [][2]int{{0, 0}}
		for ti := range boardTeams {
			groups = append(groups, [2]int{1, ti})
		}
		for a := range boardAges {
			groups = append(groups, [2]int{2, a})
		}
		for p := range periods {
			for _, g := range groups {
				bv, cv := themeSet(kind, p, g[0], g[1], false), themeSet(kind, p, g[0], g[1], true)
				n, k := s.value(theme, bv), s.value(theme, cv)
				what := fmt.Sprintf("%s, %s %s, group %d/%d", s.themes[theme], kind, p, g[0], g[1])
				if policy == analytics.PolicyNHSFFT {
					if n >= 1 && n <= 4 {
						out = append(out, themeFact{theme: theme, v: bv, value: n, what: "base of " + what})
					}
					continue
				}
				if n >= 1 && n <= 9 {
					out = append(out, themeFact{theme: theme, v: bv, value: n, what: "base of " + what})
				}
				if k >= 1 && k <= 4 {
					out = append(out, themeFact{theme: theme, v: cv, value: k, what: "count of " + what})
				}
				if n > 0 && n < 20 && (k == 0 || k == n) {
					// Both must be worked out: the count is checked with the
					// base (see leaks).
					out = append(out, themeFact{theme: theme, v: bv, value: -k, what: fmt.Sprintf("%d of %d in %s", k, n, what)})
				}
			}
		}
	}
	return out
}

// TestBoardThemesDifferencingProperty is the property for theme counts:
// random surveys with comments, random board requests for their themes in
// several at once, and no protected quantity of any theme in the span of
// what the board was shown (a published zero pins its atoms, as in
// TestBoardDifferencingProperty).
func TestBoardThemesDifferencingProperty(t *testing.T) {
	trials := 12
	if testing.Short() {
		trials = 4
	}
	kinds := []analytics.PeriodKind{analytics.PeriodMonth, analytics.PeriodQuarter, analytics.PeriodAll,
		analytics.PeriodFY, analytics.PeriodYear, analytics.PeriodFYQuarter}
	// One database for every trial, a survey each: storing the built-in
	// model in a new database takes seconds.
	srv, _ := newTestServer(t)
	board := createAccount(t, srv.store, "board-themes@example.org", analytics.RoleBoard)
	shownTrials := 0
	for trial := range trials {
		t.Run(fmt.Sprintf("trial %d", trial), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(20261205, uint64(trial)))
			s := newThemeSurvey(t, srv, board, fmt.Sprintf("Theme differencing %d", trial), rng)
			policy := analytics.PolicyHeard
			if trial%3 == 1 {
				policy = analytics.PolicyNHSFFT
			}
			pub := analytics.Publication{Policy: policy, Period: kinds[trial%len(kinds)]}
			if err := s.srv.store.SetPublication(context.Background(), s.name, pub, analytics.CommandLine("test")); err != nil {
				t.Fatal(err)
			}
			queries := []url.Values{{}, {"by": {"team"}}, {"by": {"age_band"}}, {"period": {"all"}, "by": {"team"}},
				{"where": {"team=North"}, "from": {"2024-02-01"}}, {"question": {s.text}, "by": {"age_band"}, "board": {"0"}}}
			for range 3 + rng.IntN(4) {
				queries = append(queries, randomThemeQuery(rng, s.text))
			}
			var published []themeFact
			for i, q := range queries {
				published = append(published, s.jsonFacts(t, q)...)
				if i%2 == 0 {
					published = append(published, s.csvFacts(t, q)...)
				}
			}
			spans := make([]span, len(s.themes))
			shown := 0
			for _, f := range published {
				if f.value == 0 {
					for i, on := range f.v {
						if on != 0 {
							unit := make([]uint64, themeAtoms)
							unit[i] = 1
							spans[f.theme].addVector(unit)
						}
					}
					continue
				}
				spans[f.theme].addVector(slices.Clone(f.v))
				shown++
			}
			if shown > 0 {
				shownTrials++
			}
			targets, leaks := 0, 0
			for i := range s.themes {
				list := s.protectedThemes(i, policy)
				targets += len(list)
				for j, target := range list {
					leak := spans[i].reduce(slices.Clone(target.v)) < 0
					if target.value < 0 { // a 0% or 100%: the count too
						leak = leak && spans[i].reduce(slices.Clone(themeSetOf(list, j))) < 0
					}
					if leak {
						leaks++
						if leaks <= 5 {
							t.Errorf("the board can work out the %s", target.what)
						}
					}
				}
			}
			t.Logf("%s, %s publication, %d themes: %d published numbers, %d protected, %d leaks", policy, pub.Period,
				len(s.themes), len(published), targets, leaks)
		})
	}
	if shownTrials < trials/2 {
		t.Errorf("only %d of %d trials showed the board any theme figure: the property proves little", shownTrials, trials)
	}
}

// themeSetOf is, for the 0% or 100% target j of a theme's protected list,
// its count's atoms: the base's atoms with the theme.
func themeSetOf(list []themeFact, j int) []uint64 {
	v := slices.Clone(list[j].v)
	for i := range v {
		if i%2 == 0 {
			v[i] = 0 // atoms without the theme
		}
	}
	return v
}
