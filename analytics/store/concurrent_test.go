package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentImports(t *testing.T) {
	const files, rows = 20, 1500
	tests := []struct {
		name string
		// separate opens one *Store per import, as 20 processes would.
		separate bool
	}{
		{"one store, 20 goroutines", false},
		{"20 stores on one file", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := newTestDB(t)
			var shared *Store
			if !tt.separate {
				shared = openTest(t, path)
			}
			errs := make([]error, files)
			var wg sync.WaitGroup
			for i := range files {
				wg.Go(func() {
					s := shared
					if tt.separate {
						var err error
						if s, err = Open(context.Background(), path); err != nil {
							errs[i] = fmt.Errorf("open: %w", err)
							return
						}
						defer s.Close()
					}
					// Two surveys, so that survey creation races too.
					survey := fmt.Sprintf("Survey %d", i%2)
					imp, err := s.ImportFile(context.Background(), request(survey, fmt.Sprintf("file%d.csv", i), testMapping()),
						from(manyResponses(fmt.Sprintf("f%d-", i), rows)...), nil)
					if err == nil && (imp.Added != rows || imp.Duplicates != 0) {
						err = fmt.Errorf("added %d, duplicates %d", imp.Added, imp.Duplicates)
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("import %d: %v", i, err)
				}
			}
			s := shared
			if s == nil {
				s = openTest(t, path)
			}
			if got := count(t, s, "SELECT COUNT(*) FROM imports"); got != files {
				t.Errorf("%d imports, want %d", got, files)
			}
			if got := count(t, s, "SELECT COUNT(*) FROM surveys"); got != 2 {
				t.Errorf("%d surveys, want 2", got)
			}
			var total int64
			for _, id := range []int64{1, 2} {
				total += count(t, s, "SELECT COUNT(*) FROM "+responseTable(id))
			}
			if total != files*rows {
				t.Errorf("%d responses, want %d", total, files*rows)
			}
		})
	}
}
