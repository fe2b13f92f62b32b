package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the same SQLite driver the store uses
	"github.com/xuri/excelize/v2"

	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/importers/synthetic"
	"github.com/heard-council/heard/importers/table"
)

func generate(csvPath, xlsxPath string, rows int) error {
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	if err := synthetic.WriteCSV(f, rows, 1); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return synthetic.WriteXLSX(xlsxPath, rows, 1)
}

// stepImport is the whole import, as `heard import` runs it.
func stepImport(ctx context.Context, file, db string) (int, error) {
	st, err := store.Open(ctx, db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	rep, err := ingest.ImportFile(ctx, st, file, file, ingest.ImportParams{Survey: "bench"})
	if err != nil {
		return 0, err
	}
	if rep.Refused() {
		return 0, fmt.Errorf("refused: %v", rep.Errors)
	}
	return rep.ResponsesAdded, nil
}

func stepReadCSV(file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	n := -1 // the header row
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

func stepReadXLSX(file string) (int, error) {
	// The same options as heard's reader, so that both keep the same
	// amount of the sheet in memory.
	f, err := excelize.OpenFile(file, excelize.Options{UnzipSizeLimit: table.DefaultLimits().MaxUnzippedBytes, UnzipXMLSizeLimit: table.XLSXInMemory})
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := -1
	for rows.Next() {
		if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Error()
}

// stepInsert inserts the generated values into a plain wide table with a
// prepared multi-row statement in one transaction: the floor for storing
// them.
func stepInsert(db string, rows int) (int, error) {
	conn, err := sql.Open("sqlite3", "file:"+db+"?_journal_mode=WAL&_foreign_keys=on&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	cols := make([]string, synthetic.Columns)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d TEXT", i)
	}
	if _, err := conn.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, " + strings.Join(cols, ", ") + ")"); err != nil {
		return 0, err
	}
	const batch = 100
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", synthetic.Columns), ",") + ")"
	full := "INSERT INTO t (" + strings.Join(names(synthetic.Columns), ",") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", batch), ",")
	tx, err := conn.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(full)
	if err != nil {
		return 0, err
	}
	args := make([]any, 0, batch*synthetic.Columns)
	n := 0
	flush := func(query string) error {
		var err error
		if query == "" {
			_, err = stmt.Exec(args...)
		} else {
			_, err = tx.Exec(query, args...)
		}
		args = args[:0]
		return err
	}
	err = synthetic.Rows(rows, 1, func(row []string) error {
		for _, v := range row {
			args = append(args, v)
		}
		n++
		if n%batch == 0 {
			return flush("")
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if rest := len(args) / synthetic.Columns; rest > 0 {
		q := "INSERT INTO t (" + strings.Join(names(synthetic.Columns), ",") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", rest), ",")
		if err := flush(q); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i)
	}
	return out
}
