package api

import (
	"context"
	"testing"

	"github.com/heard-council/heard/analytics/store"
)

// openSameDatabase opens a second store on the database newStore made
// (what it returned beside the store), as a second heard process would.
func openSameDatabase(t testing.TB, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
