package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/heard-council/heard/analytics"
)

// openTest opens a store on path and, at the end of the test, checks the
// database's integrity and closes it.
func openTest(tb testing.TB, path string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if got := integrity(tb, s); got != "ok" {
			tb.Errorf("integrity check = %q, want ok", got)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// newTestStore opens a store on a new database: a file in a temporary
// folder, or a schema of its own on PostgreSQL (backend_test.go). The path
// returned opens the same database again.
func newTestStore(tb testing.TB) (*Store, string) {
	tb.Helper()
	path := newTestDB(tb)
	return openTest(tb, path), path
}

// integrity runs SQLite's full integrity check. PostgreSQL has no such
// check of a live database short of the amcheck extension, and enforces
// its constraints on every write: there is nothing to run there.
func integrity(tb testing.TB, s *Store) string {
	tb.Helper()
	if s.pg {
		return "ok"
	}
	var got string
	if err := s.db.Raw("PRAGMA integrity_check").Row().Scan(&got); err != nil {
		tb.Fatalf("integrity_check: %v", err)
	}
	return got
}

// count runs a query that returns one integer.
func count(tb testing.TB, s *Store, query string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := s.db.Raw(query, args...).Row().Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// hasTable says whether the database has a table called name.
func hasTable(tb testing.TB, s *Store, name string) bool {
	tb.Helper()
	if s.pg {
		return count(tb, s, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?", name) == 1
	}
	return count(tb, s, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name) == 1
}

// sha returns a made-up sha256 for a test file name.
func sha(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// request builds an import of file into survey with mapping m.
func request(survey, file string, m analytics.Mapping) ImportRequest {
	return ImportRequest{
		Survey:  survey,
		Import:  analytics.Import{File: file, SHA256: sha(file), Format: "generic", By: "analyst"},
		Mapping: m,
	}
}

// from returns a next function that yields list then io.EOF.
func from(list ...analytics.Response) func() (analytics.Response, error) {
	i := 0
	return func() (analytics.Response, error) {
		if i == len(list) {
			return analytics.Response{}, io.EOF
		}
		i++
		return list[i-1], nil
	}
}

// satisfaction is a scale question with the options given.
func satisfaction(code string, labels ...string) analytics.Question {
	q := analytics.Question{Code: code, Text: "How satisfied are you? (" + code + ")", Kind: analytics.KindScale, Scale: "test"}
	for i, l := range labels {
		q.Options = append(q.Options, analytics.Option{Label: l, Score: float64(len(labels) - i)})
	}
	return q
}

// testMapping has one question of each kind and one dimension.
func testMapping() analytics.Mapping {
	return analytics.Mapping{
		Format: "generic", HeaderRows: 1,
		Columns: []analytics.Column{
			{Index: 0, Header: "ID", Role: analytics.RoleRespondentID},
			{Index: 1, Header: "Overall satisfaction", Role: analytics.RoleQuestion, Code: "overall"},
			{Index: 2, Header: "Team", Role: analytics.RoleDimension, Code: "team"},
		},
		Questions: []analytics.Question{
			satisfaction("overall", "Very good", "Good", "Poor", "Don't know"),
			{Code: "service", Text: "Which service?", Kind: analytics.KindSingle,
				Options: []analytics.Option{{Label: "Home care"}, {Label: "Day centre"}}},
			{Code: "helped", Text: "What helped?", Kind: analytics.KindMulti, Separator: ";",
				Options: []analytics.Option{{Label: "Staff"}, {Label: "Advice"}, {Label: "Equipment"}}},
			{Code: "comment", Text: "Any comments?", Kind: analytics.KindText},
			{Code: "visits", Text: "How many visits?", Kind: analytics.KindNumber},
			{Code: "assessed", Text: "Date assessed", Kind: analytics.KindDate},
		},
		Dimensions: []analytics.Dimension{{Code: "team", Name: "Team", Kind: "team"}},
	}
}

// response builds a response to testMapping.
func response(id string, row int, submitted time.Time, overall int, team string) analytics.Response {
	return analytics.Response{
		RespondentID: id, Row: row, Submitted: submitted, Complete: true,
		Dimensions: []string{team},
		Answers: []analytics.Answer{
			{Option: overall},
			{Option: 1},
			{Option: -1, Options: []int{2, 0}},
			{Option: -1, Text: "Kind staff " + id},
			{Option: -1, Number: 3.5, HasNumber: true},
			{Option: -1, Text: "2024-02-01T00:00:00Z"},
		},
	}
}

// manyResponses builds n responses to testMapping with ids prefix1,
// prefix2... (no ids when prefix is "").
func manyResponses(prefix string, n int) []analytics.Response {
	list := make([]analytics.Response, n)
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range list {
		id := ""
		if prefix != "" {
			id = fmt.Sprintf("%s%d", prefix, i+1)
		}
		list[i] = response(id, i+2, base.Add(time.Duration(i)*time.Hour), i%4, fmt.Sprintf("Team %d", i%3))
	}
	return list
}
