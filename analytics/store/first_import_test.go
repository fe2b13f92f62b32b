package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// A survey's first import appends its rows to a table without indexes and
// removes repeated respondents afterwards (indexNewTable); a later import
// skips them row by row. Both must keep the same rows and count the same
// duplicates and changed duplicates.
func TestFirstImportRepeatsAsLaterImport(t *testing.T) {
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	list := manyResponses("r", 450) // more than one batch of 100
	same := list[3]
	same.Row, same.Submitted = 500, at.Add(time.Hour) // the same answers: a duplicate, not changed
	answer := list[7]
	answer.Answers = slices.Clone(answer.Answers)
	answer.Answers[0] = analytics.Answer{Option: (list[7].Answers[0].Option + 1) % 4}
	dimension := list[420]
	dimension.Dimensions = []string{"Another team"}
	number := list[0]
	number.Answers = slices.Clone(number.Answers)
	number.Answers[4] = analytics.Answer{Option: -1}
	text := list[449]
	text.Answers = slices.Clone(text.Answers)
	text.Answers[3] = analytics.Answer{Option: -1, Text: "Kind staff r450 "}
	noID := list[8]
	noID.RespondentID = ""
	list = append(list, same, answer, noID, dimension, answer, number, text, noID)

	ctx := context.Background()
	first, _ := newTestStore(t)
	impFirst, err := first.ImportFile(ctx, request("Care", "first.csv", testMapping()), from(list...), nil)
	if err != nil {
		t.Fatal(err)
	}
	later, _ := newTestStore(t)
	if _, err := later.ImportFile(ctx, request("Care", "before.csv", testMapping()),
		from(response("someone else", 2, at, 0, "Team 0")), nil); err != nil {
		t.Fatal(err)
	}
	impLater, err := later.ImportFile(ctx, request("Care", "later.csv", testMapping()), from(list...), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 452 rows added (450 + two without an id); 6 repeats, of which the
	// answer (twice), dimension, number and text ones differ.
	for name, imp := range map[string]analytics.Import{"first": impFirst, "later": impLater} {
		if imp.Added != 452 || imp.Duplicates != 6 || imp.Changed != 5 {
			t.Errorf("%s import: added %d, duplicates %d, changed %d; want 452, 6, 5", name, imp.Added, imp.Duplicates, imp.Changed)
		}
		if got := count(t, first, "SELECT added FROM imports WHERE id = ?", impFirst.ID); got != 452 {
			t.Errorf("imports.added = %d, want 452", got)
		}
	}
	rows := func(s *Store, imp analytics.Import) string {
		t.Helper()
		m := mustMapping(t, s, "Care")
		cols, _ := wantedColumns(m.Questions, m.Dimensions)
		var b strings.Builder
		q := fmt.Sprintf(`SELECT respondent_id, row_number, submitted_at, day, month, complete, %s FROM %s WHERE import_id = ? ORDER BY id`,
			strings.Join(cols, ", "), responseTable(imp.SurveyID))
		res, err := s.db.Raw(q, imp.ID).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Close()
		n, _ := res.Columns()
		for res.Next() {
			vals := make([]any, len(n))
			ptrs := make([]any, len(n))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := res.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%T:%v|", v, textOfAny(v))
			}
			b.WriteByte('\n')
		}
		return b.String()
	}
	if a, b := rows(first, impFirst), rows(later, impLater); a != b {
		t.Errorf("the first import kept other rows than a later one:\nfirst:\n%.2000s\nlater:\n%.2000s", a, b)
	}
	// The first import's table has the same indexes as before the change:
	// respondent ids unique, and import_id, day and month indexed.
	indexes := func(s *Store, surveyID int64) []string {
		t.Helper()
		var list []string
		query := `SELECT il."unique", ii.name FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii ORDER BY ii.name`
		if s.pg {
			// PostgreSQL's catalogue; its primary key has an index of its
			// own, which SQLite's INTEGER PRIMARY KEY does not list.
			query = `SELECT ix.indisunique::int, a.attname::text FROM pg_index ix
				JOIN pg_class t ON t.oid = ix.indrelid
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
				WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace AND NOT ix.indisprimary
				ORDER BY a.attname`
		}
		res, err := s.db.Raw(query, responseTable(surveyID)).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Close()
		for res.Next() {
			var unique int
			var col string
			if err := res.Scan(&unique, &col); err != nil {
				t.Fatal(err)
			}
			list = append(list, fmt.Sprintf("%s unique=%d", col, unique))
		}
		return list
	}
	want := []string{"day unique=0", "import_id unique=0", "month unique=0", "respondent_id unique=1"}
	if got := indexes(first, impFirst.SurveyID); !slices.Equal(got, want) {
		t.Errorf("indexes %v, want %v", got, want)
	}
	// And later imports into it still skip the respondents it holds.
	again, err := first.ImportFile(ctx, request("Care", "again.csv", testMapping()), from(append(list[:10:10], noID)...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Added != 1 || again.Duplicates != 10 {
		t.Errorf("import into the indexed table: added %d, duplicates %d; want 1 (no id) and 10", again.Added, again.Duplicates)
	}
}

func textOfAny(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

func mustMapping(tb testing.TB, s *Store, survey string) analytics.Mapping {
	tb.Helper()
	m, err := s.SurveyMapping(context.Background(), survey)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// A first import's table has its keys once the import is in, on both
// backends (PostgreSQL adds them after the load, see responseKeyColumns):
// ids are unique, a row must belong to an import, and deleting the import
// takes its rows with it.
func TestFirstImportTableHasItsKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	imp, err := s.ImportFile(ctx, request("Care", "first.csv", testMapping()), from(manyResponses("r", 20)...), nil)
	if err != nil {
		t.Fatal(err)
	}
	table := quote(responseTable(imp.SurveyID))
	if err := s.db.Exec("INSERT INTO "+table+" (id, import_id, complete) VALUES ((SELECT MIN(id) FROM "+table+"), ?, 1)", imp.ID).Error; err == nil {
		t.Error("a second row with a stored id was taken: no primary key")
	}
	if err := s.db.Exec("INSERT INTO "+table+" (import_id, complete) VALUES (?, 1)", imp.ID+1000).Error; err == nil {
		t.Error("a row of an import that does not exist was taken: no foreign key")
	}
	if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != 20 {
		t.Fatalf("%d rows, want 20", got)
	}
	// The rows go with their import through the foreign key's cascade.
	if err := s.db.Exec("DELETE FROM imports WHERE id = ?", imp.ID).Error; err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != 0 {
		t.Errorf("%d rows left after their import was deleted, want 0", got)
	}
}
