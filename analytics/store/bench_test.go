package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

// The benchmarks import benchRows generated responses to 25 questions (20
// five-point scales, 2 single choice, 1 multi, 1 free text, 1 number) and 3
// dimensions. Run them once: go test -run XXX -bench . -benchtime 1x

const benchRows = 100_000

func benchMapping() analytics.Mapping {
	m := analytics.Mapping{Format: "generic", HeaderRows: 1}
	for i := range 20 {
		m.Questions = append(m.Questions,
			satisfaction(fmt.Sprintf("s%d", i+1), "Very good", "Good", "Neither", "Poor", "Very poor"))
	}
	for i := range 2 {
		m.Questions = append(m.Questions, analytics.Question{Code: fmt.Sprintf("c%d", i+1), Kind: analytics.KindSingle,
			Options: []analytics.Option{{Label: "A"}, {Label: "B"}, {Label: "C"}}})
	}
	m.Questions = append(m.Questions,
		analytics.Question{Code: "m", Kind: analytics.KindMulti,
			Options: []analytics.Option{{Label: "A"}, {Label: "B"}, {Label: "C"}, {Label: "D"}}},
		analytics.Question{Code: "t", Kind: analytics.KindText},
		analytics.Question{Code: "n", Kind: analytics.KindNumber})
	m.Dimensions = []analytics.Dimension{{Code: "team", Kind: "team"}, {Code: "locality", Kind: "locality"},
		{Code: "age", Kind: "age-band"}}
	return m
}

// benchSource generates n responses to benchMapping, reusing one response
// (the store keeps nothing of it).
func benchSource(prefix string, n int) func() (analytics.Response, error) {
	teams := []string{"North team", "South team", "East team", "West team", "Hospital discharge"}
	ages := []string{"18-64", "65-74", "75-84", "85+"}
	start := time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC)
	r := analytics.Response{Answers: make([]analytics.Answer, 25), Dimensions: make([]string, 3), Complete: true}
	i := 0
	return func() (analytics.Response, error) {
		if i == n {
			return analytics.Response{}, io.EOF
		}
		r.RespondentID = prefix + fmt.Sprint(i)
		r.Row = i + 2
		r.Submitted = start.Add(time.Duration(i) * 7 * time.Minute)
		for q := range 20 {
			r.Answers[q] = analytics.Answer{Option: (i*7 + q*3) % 5}
		}
		r.Answers[20] = analytics.Answer{Option: i % 3}
		r.Answers[21] = analytics.Answer{Option: (i / 3) % 3}
		r.Answers[22] = analytics.Answer{Option: -1, Options: []int{i % 4, (i + 2) % 4}}
		r.Answers[23] = analytics.Answer{Option: -1}
		if i%4 == 0 {
			r.Answers[23].Text = "The carer was kind and came on time."
		}
		r.Answers[24] = analytics.Answer{Option: -1, Number: float64(i % 40), HasNumber: true}
		r.Dimensions[0], r.Dimensions[1], r.Dimensions[2] = teams[i%5], teams[(i/5)%5], ages[i%4]
		i++
		return r, nil
	}
}

func BenchmarkImportFile(b *testing.B) {
	s, _ := newTestStore(b)
	m := benchMapping()
	n := 0
	for b.Loop() {
		n++
		req := request("Bench", fmt.Sprintf("bench%d.csv", n), m)
		imp, err := s.ImportFile(context.Background(), req, benchSource(fmt.Sprintf("i%d-", n), benchRows), nil)
		if err != nil {
			b.Fatal(err)
		}
		if imp.Added != benchRows {
			b.Fatalf("added %d, want %d", imp.Added, benchRows)
		}
	}
	b.ReportMetric(float64(n*benchRows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRawInsert writes the same values as BenchmarkImportFile with
// database/sql alone: one transaction, a prepared 100-row INSERT, into a
// table of the same columns without constraints or indexes. It is the
// floor the store's import is measured against.
func BenchmarkRawInsert(b *testing.B) {
	db, err := sql.Open("sqlite3", dsn(filepath.Join(b.TempDir(), "raw.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m := benchMapping()
	cols := coreColumns()
	ddl := []string{"id INTEGER PRIMARY KEY", "import_id INTEGER", "respondent_id TEXT", "row_number INTEGER",
		"submitted_at TEXT", "day TEXT", "month TEXT", "complete INTEGER"}
	enc := &encoder{importID: 1, london: mustLondon(b), dims: len(m.Dimensions)}
	for i, q := range m.Questions {
		cols = append(cols, fmt.Sprintf("q%d", i))
		ddl = append(ddl, fmt.Sprintf("q%d %s", i, columnType(q.Kind)))
		enc.kinds = append(enc.kinds, q.Kind)
		var identity []int
		for j := range q.Options {
			identity = append(identity, j)
		}
		enc.optionPos = append(enc.optionPos, identity)
	}
	for i := range m.Dimensions {
		cols = append(cols, fmt.Sprintf("d%d", i))
		ddl = append(ddl, fmt.Sprintf("d%d TEXT", i))
	}
	if _, err := db.Exec("CREATE TABLE plain (" + strings.Join(ddl, ", ") + ")"); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		if err := rawInsert(db, cols, enc, benchSource(fmt.Sprintf("i%d-", n), benchRows)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*benchRows)/b.Elapsed().Seconds(), "rows/s")
}

// rawInsert inserts every response of next into the table plain in one
// transaction, 100 rows per statement.
func rawInsert(db *sql.DB, cols []string, enc *encoder, next func() (analytics.Response, error)) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(insertSQL("plain", cols, 100, false))
	if err != nil {
		return err
	}
	defer stmt.Close()
	w := len(cols)
	vals := make([]any, 100*w)
	k := 0
	for {
		r, err := next()
		if err == io.EOF {
			break
		}
		if err := enc.encode(vals[k*w:(k+1)*w], r); err != nil {
			return err
		}
		if k++; k == 100 {
			if _, err := stmt.Exec(vals...); err != nil {
				return err
			}
			k = 0
		}
	}
	if k > 0 {
		if _, err := tx.Exec(insertSQL("plain", cols, k, false),
			vals[:k*w]...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func mustLondon(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}
