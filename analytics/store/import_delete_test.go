package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// tableDigest describes the rows of a query in one string, to compare
// before and after.
func tableDigest(tb testing.TB, s *Store, query string, args ...any) string {
	tb.Helper()
	rows, err := s.db.Raw(query, args...).Rows()
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func TestDeleteImport(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sv, qs, team, all := reportSurvey(t, s)
	if err := s.SaveMetric(ctx, sv.ID, analytics.Metric{Name: "Very good", Question: "overall", Positive: []int{0}}, "analyst"); err != nil {
		t.Fatal(err)
	}
	q := CountQuery{Question: qs["overall"].ID, By: []Field{{Dimension: team.ID}}}
	checkCounts(t, s, sv.ID, q, all)
	// Kept counts of a second question too.
	if _, err := s.Counts(ctx, sv.ID, CountQuery{Question: qs["service"].ID, keep: true}); err != nil {
		t.Fatal(err)
	}
	imports, err := s.Imports(ctx, sv.ID)
	if err != nil || len(imports) != 2 {
		t.Fatalf("Imports = %v, %v", imports, err)
	}
	second, first := imports[0], imports[1]
	if n := count(t, s, "SELECT COUNT(*) FROM report_counts WHERE import_id = ?", second.ID); n == 0 {
		t.Fatal("no counts kept for the second import: the test would prove nothing")
	}
	untouched := []string{
		"SELECT * FROM surveys", "SELECT * FROM questions", "SELECT * FROM options", "SELECT * FROM dimensions",
		"SELECT * FROM metrics", "SELECT * FROM imports WHERE id <> " + fmt.Sprint(second.ID),
		"SELECT * FROM report_counts WHERE import_id <> " + fmt.Sprint(second.ID) + " ORDER BY 1, 2, 3, 4, 5, 6, 7",
		"SELECT * FROM report_counted WHERE import_id <> " + fmt.Sprint(second.ID) + " ORDER BY 1, 2, 3",
		"SELECT * FROM " + responseTable(sv.ID) + " WHERE import_id <> " + fmt.Sprint(second.ID) + " ORDER BY id",
	}
	before := make([]string, len(untouched))
	for i, query := range untouched {
		before[i] = tableDigest(t, s, query)
	}

	del, err := s.DeleteImport(ctx, second.ID, tester())
	if err != nil {
		t.Fatal(err)
	}
	if del.Import.ID != second.ID || del.Import.File != "part1.csv" || del.Survey != "Reports" || del.Responses != int64(len(all)-250) {
		t.Fatalf("DeleteImport = %+v", del)
	}
	e := lastEvent(t, s)
	checkEvent(t, e, analytics.AuditImportDelete, `"part1.csv"`)
	if e.Detail != "150 responses deleted" {
		t.Errorf("event detail %q", e.Detail)
	}
	for i, query := range untouched {
		if got := tableDigest(t, s, query); got != before[i] {
			t.Errorf("deleting import %d changed %s", second.ID, query)
		}
	}
	for _, query := range []string{"SELECT COUNT(*) FROM imports WHERE id = ?", "SELECT COUNT(*) FROM report_counts WHERE import_id = ?",
		"SELECT COUNT(*) FROM report_counted WHERE import_id = ?", "SELECT COUNT(*) FROM " + responseTable(sv.ID) + " WHERE import_id = ?"} {
		if n := count(t, s, query, second.ID); n != 0 {
			t.Errorf("%s: %d left", query, n)
		}
	}
	checkCounts(t, s, sv.ID, q, all[:250])

	if _, err := s.DeleteImport(ctx, second.ID, tester()); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	// The file can be imported again, and counts follow.
	if _, err := s.ImportFile(ctx, request("Reports", "part1.csv", testMapping()), from(all[250:]...), nil); err != nil {
		t.Fatalf("importing the deleted file again: %v", err)
	}
	checkCounts(t, s, sv.ID, q, all)
	if _, err := s.DeleteImport(ctx, first.ID, tester()); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, sv.ID, q, all[250:])
}
