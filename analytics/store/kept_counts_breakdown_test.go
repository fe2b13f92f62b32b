package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// breakdownMapping is testMapping with a second dimension, locality, when
// withLocality.
func breakdownMapping(withLocality bool) analytics.Mapping {
	m := testMapping()
	if withLocality {
		m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: "locality", Name: "Locality", Kind: "locality"})
	}
	return m
}

// breakdownResponses builds n responses with ids prefix1, prefix2...:
// partial, undated, blank and unanswered ones among them, over fourteen
// months, with a locality when withLocality.
func breakdownResponses(prefix string, n int, withLocality bool) []analytics.Response {
	list := manyResponses(prefix, n)
	teams := []string{"North", "South", "East", "", "north"}
	places := []string{"Northgate", "Southfield", "", "Central"}
	for i := range list {
		r := &list[i]
		r.Submitted = time.Date(2024, 2, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i*431/n)
		if i%11 == 5 {
			r.Submitted = time.Time{}
		}
		r.Complete = i%7 != 3
		r.Dimensions[0] = teams[(i*i+i/3)%len(teams)]
		if withLocality {
			r.Dimensions = append(r.Dimensions, places[(i/2+i*i)%len(places)])
		}
		r.Answers[0].Option = (i*5 + i/4) % 4
		if i%13 == 2 {
			r.Answers[0].Option = -1
		}
		r.Answers[1].Option = i/2%3 - 1 // -1, 0, 1
	}
	return list
}

// surveyFields maps the codes of a survey's questions and dimensions to
// the fields a CountQuery names them by.
func surveyFields(tb testing.TB, s *Store, surveyID int64) map[string]Field {
	tb.Helper()
	qs, ds, err := s.Questions(context.Background(), surveyID)
	if err != nil {
		tb.Fatal(err)
	}
	field := map[string]Field{}
	for _, d := range ds {
		field[d.Code] = Field{Dimension: d.ID}
	}
	for _, q := range qs {
		field[q.Code] = Field{Question: q.ID}
	}
	return field
}

// groupByCounts counts a query's answers with one GROUP BY over the stored
// responses, as the oracle for the kept counts.
func groupByCounts(tb testing.TB, s *Store, p countPlan, partial bool) map[countKey]int64 {
	tb.Helper()
	db, err := s.db.DB()
	if err != nil {
		tb.Fatal(err)
	}
	keys := strings.Join(append(slices.Clone(p.groups), p.question), ", ")
	query := fmt.Sprintf("SELECT COALESCE(month, ''), %s, COUNT(*) FROM %s", keys, quote(p.table))
	if !partial {
		query += " WHERE complete = 1"
	}
	query += " GROUP BY month, " + keys
	want := make(map[countKey]int64)
	err = scanCounts(context.Background(), db, query, nil, 0, 1+len(p.groups),
		func(_ []int64, texts []sql.NullString, option int, n int64) {
			want[countKey{texts[0].String, p.group(texts[1:]), option}] += n
		})
	if err != nil {
		tb.Fatal(err)
	}
	return want
}

// TestBreakdownCountsEqualGroupBy checks that the counts a breakdown keeps,
// whether kept by the import (by one dimension) or at the first report,
// equal one GROUP BY of the stored responses, for breakdowns by one and by
// two dimensions (either order) and by a question, complete responses only
// and all: over a survey of several imports, one of which lacks a
// dimension and one of which repeats respondents, counted at a first
// report over every import, extended by a later report, and counted again
// from nothing.
func TestBreakdownCountsEqualGroupBy(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	importFile := func(name string, withLocality bool, list []analytics.Response) analytics.Import {
		t.Helper()
		imp, err := s.ImportFile(ctx, request("S", name, breakdownMapping(withLocality)), from(list...), nil)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	importFile("first.csv", true, breakdownResponses("a", keepCountsFrom, true))
	importFile("second.csv", false, breakdownResponses("b", 700, false)) // no locality
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	// The imports keep the counts by each dimension alone: two questions,
	// two dimensions, two imports (the second lacks one dimension).
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown <> ''"); n != 8 {
		t.Fatalf("counts by a dimension kept for %d questions and imports after two imports, want 8", n)
	}
	check := func(when string) {
		t.Helper()
		qs, ds, err := s.Questions(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		field := surveyFields(t, s, sv.ID)
		for _, by := range [][]string{{"team"}, {"locality"}, {"team", "locality"}, {"locality", "team"},
			{"service"}, {"team", "service"}} {
			for _, question := range []string{"overall", "service"} {
				for _, partial := range []bool{false, true} {
					cq := CountQuery{Question: field[question].Question, IncludePartial: partial, keep: true}
					for _, f := range by {
						cq.By = append(cq.By, field[f])
					}
					plan, err := planCounts(sv.ID, qs, ds, cq)
					if err != nil {
						t.Fatal(err)
					}
					kept, err := s.Counts(ctx, sv.ID, cq)
					if err != nil {
						t.Fatal(err)
					}
					got, want := countMap(t, kept), groupByCounts(t, s, plan, partial)
					if len(want) == 0 || !maps.Equal(got, want) {
						t.Fatalf("%s, %s by %v, partial %v: kept counts differ from a GROUP BY of the responses:\n got %v\nwant %v",
							when, question, by, partial, got, want)
					}
				}
			}
		}
	}
	check("first reports after two imports")
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown <> ''"); n == 0 {
		t.Fatal("the breakdowns kept no counts")
	}

	// Repeated respondents, some with other answers: the insert skips them.
	repeat := append(breakdownResponses("a", 40, true)[20:], breakdownResponses("c", 300, true)...)
	for i := range repeat[:20] {
		repeat[i].Answers[0].Option = 3 - max(repeat[i].Answers[0].Option, 0)
	}
	if imp := importFile("third.csv", true, repeat); imp.Duplicates != 20 {
		t.Fatalf("%d duplicates, want 20", imp.Duplicates)
	}
	fourth := importFile("fourth.csv", false, breakdownResponses("d", 90, false))
	check("after two more imports, one with repeats")

	// Counted again from nothing, every import at once: the small ones in
	// one query, then each in a query of its own.
	forget := func() {
		t.Helper()
		if err := s.db.Exec("DELETE FROM report_counted WHERE breakdown <> ''").Error; err != nil {
			t.Fatal(err)
		}
		if err := s.db.Exec("DELETE FROM report_counts WHERE breakdown <> ''").Error; err != nil {
			t.Fatal(err)
		}
	}
	forget()
	check("counted again")
	forget()
	defer func(n int64) { fillBatchRows = n }(fillBatchRows)
	fillBatchRows = 1
	check("counted again, an import a query")

	// Each count is its import's: deleting one takes its counts only.
	forget()
	fillBatchRows = 1 << 40
	check("counted again, every import in one query")
	if _, err := s.DeleteImport(ctx, fourth.ID, tester()); err != nil {
		t.Fatal(err)
	}
	check("after deleting an import")
}

// TestImportKeepsNoCountsByADimensionOfManyValues: a dimension with more
// than maxKeptValues values keeps no counts by it at the import; its first
// report counts them, equal to a GROUP BY of the responses.
func TestImportKeepsNoCountsByADimensionOfManyValues(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	list := breakdownResponses("a", keepCountsFrom, false)
	for i := range list {
		list[i].Dimensions[0] = fmt.Sprintf("Team %d", i%(maxKeptValues+5))
	}
	if _, err := s.ImportFile(ctx, request("S", "a.csv", breakdownMapping(false)), from(list...), nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown <> ''"); n != 0 {
		t.Fatalf("counts by a dimension of %d values kept for %d questions", maxKeptValues+5, n)
	}
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	cq := CountQuery{Question: qs[0].ID, By: []Field{{Dimension: ds[0].ID}}, keep: true}
	plan, err := planCounts(sv.ID, qs, ds, cq)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.Counts(ctx, sv.ID, cq)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countMap(t, kept), groupByCounts(t, s, plan, false); len(want) < maxKeptValues || !maps.Equal(got, want) {
		t.Fatalf("counts by team differ from a GROUP BY of the responses: %d counts, want %d", len(got), len(want))
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown <> ''"); n != 1 {
		t.Fatalf("the report kept counts for %d questions and breakdowns, want 1", n)
	}
}

// TestSetColumnKindForgetsCountsByTheColumn: when a dimension becomes a
// question, the counts kept by it (by the import, alone, and by a report,
// with another field) go, as a dimension made later may be given its ID.
func TestSetColumnKindForgetsCountsByTheColumn(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	if _, err := s.ImportFile(ctx, request("S", "a.csv", breakdownMapping(true)),
		from(breakdownResponses("a", keepCountsFrom, true)...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	locality, ok := dimensionByCode(ds, "locality")
	if !ok {
		t.Fatalf("dimensions %+v, want locality", ds)
	}
	team, _ := dimensionByCode(ds, "team")
	overall, _ := questionByCode(qs, "overall")
	for _, by := range [][]Field{{{Dimension: team.ID}, {Dimension: locality.ID}}, {{Dimension: locality.ID}, {Dimension: team.ID}}} {
		if _, err := s.Counts(ctx, sv.ID, CountQuery{Question: overall.ID, By: by, keep: true}); err != nil {
			t.Fatal(err)
		}
	}
	name := dimensionColumn(locality.ID)
	byLocality := "SELECT COUNT(*) FROM %s WHERE breakdown = ? OR breakdown LIKE ? OR breakdown LIKE ?"
	for _, table := range []string{"report_counts", "report_counted"} {
		if n := count(t, s, fmt.Sprintf(byLocality, table), name, name+",%", "%,"+name); n < 4 {
			t.Fatalf("%d rows of %s by locality before the change, want at least 4", n, table)
		}
	}
	byTeam := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown = ?", dimensionColumn(team.ID))
	if err := s.SetColumnKind(ctx, sv.ID, "locality", ColumnQuestion, tester()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"report_counts", "report_counted"} {
		if n := count(t, s, fmt.Sprintf(byLocality, table), name, name+",%", "%,"+name); n != 0 {
			t.Errorf("%d rows of %s by locality left after it became a question", n, table)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE breakdown = ?", dimensionColumn(team.ID)); n != byTeam || n == 0 {
		t.Errorf("%d counts by team kept after the change, want the %d before", n, byTeam)
	}
}

// TestImportKeepsBreakdownsInUse: once a breakdown by two or three
// dimensions has been reported, later imports keep its counts, for the
// questions reported, in their own transaction: report_counted marks them
// right after the import, the counts equal a GROUP BY of the responses and
// are the very rows the first report would have counted. A breakdown by a
// dimension with more than maxKeptValues values in the file is not kept by
// that import, and a file lacking dimensions keeps its blank groups.
func TestImportKeepsBreakdownsInUse(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	mapping := func(dims ...string) analytics.Mapping {
		m := testMapping()
		m.Dimensions = nil
		for _, d := range dims {
			m.Dimensions = append(m.Dimensions, analytics.Dimension{Code: d, Name: d, Kind: d})
		}
		return m
	}
	// responses have a team, then when full a locality, a gender and a
	// reference of refs values.
	responses := func(prefix string, n int, full bool, refs int) []analytics.Response {
		list := breakdownResponses(prefix, n, full)
		genders := []string{"F", "M", "", "X"}
		for i := range list {
			if full {
				list[i].Dimensions = append(list[i].Dimensions, genders[(i*7+i/5)%len(genders)], fmt.Sprintf("R%d", i%refs))
			}
		}
		return list
	}
	importFile := func(name string, list []analytics.Response, dims ...string) analytics.Import {
		t.Helper()
		imp, err := s.ImportFile(ctx, request("S", name, mapping(dims...)), from(list...), nil)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	all := []string{"team", "locality", "gender", "ref"}
	first := importFile("first.csv", responses("a", keepCountsFrom, true, 10), all...)
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	qs, ds, err := s.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	field := surveyFields(t, s, sv.ID)
	type use struct {
		question string
		by       []string
	}
	uses := []use{{"overall", []string{"team", "locality"}}, {"service", []string{"locality", "team"}},
		{"service", []string{"team", "locality", "gender"}}, {"overall", []string{"team", "ref"}}}
	plan := func(u use, partial bool) (CountQuery, countPlan) {
		t.Helper()
		cq := CountQuery{Question: field[u.question].Question, IncludePartial: partial, keep: true}
		for _, f := range u.by {
			cq.By = append(cq.By, field[f])
		}
		p, err := planCounts(sv.ID, qs, ds, cq)
		if err != nil {
			t.Fatal(err)
		}
		return cq, p
	}
	check := func(when string) {
		t.Helper()
		for _, u := range uses {
			for _, partial := range []bool{false, true} {
				cq, p := plan(u, partial)
				kept, err := s.Counts(ctx, sv.ID, cq)
				if err != nil {
					t.Fatal(err)
				}
				got, want := countMap(t, kept), groupByCounts(t, s, p, partial)
				if len(want) == 0 || !maps.Equal(got, want) {
					t.Fatalf("%s, %s by %v, partial %v: kept counts differ from a GROUP BY of the responses:\n got %v\nwant %v",
						when, u.question, u.by, partial, got, want)
				}
			}
		}
	}
	marked := func(imp analytics.Import, u use) bool {
		t.Helper()
		_, p := plan(u, false)
		return count(t, s, "SELECT COUNT(*) FROM report_counted WHERE import_id = ? AND question_id = ? AND breakdown = ?",
			imp.ID, p.questionID, p.breakdown) == 1
	}
	for _, u := range uses {
		if marked(first, u) {
			t.Fatalf("%s by %v kept by the first import, before any report", u.question, u.by)
		}
	}
	check("first reports")
	// Neither unreported questions nor breakdowns are kept by the next imports.
	unused := []use{{"service", []string{"team", "ref"}}, {"overall", []string{"gender", "team"}}}

	second := importFile("second.csv", responses("b", 3000, true, maxKeptValues+5), all...)
	for i, u := range append(uses[:3:3], unused...) {
		if want := i < 3; marked(second, u) != want {
			t.Errorf("second import: %s by %v kept %v, want %v", u.question, u.by, !want, want)
		}
	}
	if marked(second, uses[3]) {
		t.Errorf("second import kept counts by team and a reference of %d values", maxKeptValues+5)
	}
	third := importFile("third.csv", responses("c", 900, false, 1), "team") // no locality, gender, reference
	for _, u := range uses {
		if !marked(third, u) {
			t.Errorf("third import: %s by %v not kept", u.question, u.by)
		}
	}
	var none []use
	for _, u := range unused {
		if marked(third, u) {
			none = append(none, u)
		}
	}
	if len(none) > 0 {
		t.Errorf("third import kept breakdowns never reported: %v", none)
	}
	check("after two more imports")

	// The rows kept by the imports are those the first report counts.
	rows := func() []string {
		t.Helper()
		db, err := s.db.DB()
		if err != nil {
			t.Fatal(err)
		}
		r, err := db.QueryContext(ctx, `SELECT question_id, breakdown, month, grp, option_pos, complete, import_id, n
			FROM report_counts WHERE breakdown LIKE '%,%' ORDER BY question_id, breakdown, month, grp, option_pos, complete, import_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var list []string
		for r.Next() {
			var q, opt, c, imp, n int64
			var b, m, g string
			if err := r.Scan(&q, &b, &m, &g, &opt, &c, &imp, &n); err != nil {
				t.Fatal(err)
			}
			list = append(list, fmt.Sprintf("%d %s %q %q %d %d %d %d", q, b, m, g, opt, c, imp, n))
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return list
	}
	kept := rows()
	for _, table := range []string{"report_counts", "report_counted"} {
		if err := s.db.Exec("DELETE FROM " + table + " WHERE breakdown LIKE '%,%'").Error; err != nil {
			t.Fatal(err)
		}
	}
	check("counted again")
	if filled := rows(); !slices.Equal(kept, filled) {
		t.Fatalf("the imports kept %d rows of counts, the reports %d, not the same", len(kept), len(filled))
	}
}

// Values whose group names collide in a breakdown by two dimensions (a
// team called "(blank)" beside blank teams; "A / B" with "C" beside "A"
// with "B / C") are counted under their one name, the same kept or counted
// directly: the fill used to store two rows under one key and the report
// failed.
func TestBreakdownGroupNamesThatCollide(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	list := breakdownResponses("a", keepCountsFrom, true)
	for i := range list {
		switch i % 5 {
		case 0:
			list[i].Dimensions[0], list[i].Dimensions[1] = "", "Central"
		case 1:
			list[i].Dimensions[0], list[i].Dimensions[1] = analytics.BlankGroup, "Central"
		case 2:
			list[i].Dimensions[0], list[i].Dimensions[1] = "A"+GroupSeparator+"B", "C"
		case 3:
			list[i].Dimensions[0], list[i].Dimensions[1] = "A", "B"+GroupSeparator+"C"
		}
	}
	if _, err := s.ImportFile(ctx, request("S", "first.csv", breakdownMapping(true)), from(list...), nil); err != nil {
		t.Fatal(err)
	}
	sv, err := s.SurveyByName(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	field := surveyFields(t, s, sv.ID)
	by := []Field{field["team"], field["locality"]}
	question := field["overall"].Question
	direct, err := s.Counts(ctx, sv.ID, CountQuery{Question: question, By: by, IncludePartial: true})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.Counts(ctx, sv.ID, CountQuery{Question: question, By: by, IncludePartial: true, keep: true})
	if err != nil {
		t.Fatalf("kept counts by team and locality: %v", err)
	}
	if got, want := countMap(t, kept), countMap(t, direct); !maps.Equal(got, want) {
		t.Errorf("kept counts differ from the direct ones:\n got %v\nwant %v", got, want)
	}
	var total int64
	for _, c := range kept {
		if c.Group == "A"+GroupSeparator+"B"+GroupSeparator+"C" {
			total += c.N
		}
	}
	if want := int64(2 * keepCountsFrom / 5); total != want {
		t.Errorf("the colliding group counts %d responses, want %d", total, want)
	}
	// A later import keeps the breakdown now in use as its rows go by: the
	// same names, counted together there too.
	later := slices.Clone(list[:500])
	for i := range later {
		later[i].RespondentID = "later-" + later[i].RespondentID
	}
	imp, err := s.ImportFile(ctx, request("S", "later.csv", breakdownMapping(true)), from(later...), nil)
	if err != nil {
		t.Fatal(err)
	}
	breakdown := dimensionColumn(by[0].Dimension) + "," + dimensionColumn(by[1].Dimension)
	if n := count(t, s, "SELECT COUNT(*) FROM report_counted WHERE import_id = ? AND breakdown = ?", imp.ID, breakdown); n == 0 {
		t.Errorf("the later import kept no counts by %s", breakdown)
	}
	direct, err = s.Counts(ctx, sv.ID, CountQuery{Question: question, By: by, IncludePartial: true})
	if err != nil {
		t.Fatal(err)
	}
	kept, err = s.Counts(ctx, sv.ID, CountQuery{Question: question, By: by, IncludePartial: true, keep: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countMap(t, kept), countMap(t, direct); !maps.Equal(got, want) {
		t.Errorf("after the later import, kept counts differ from the direct ones:\n got %v\nwant %v", got, want)
	}
}
