package cli

import (
	"os"
	"testing"

	"github.com/heard-council/heard/analytics/store/storetest"
)

// The command line's tests run on SQLite, and on PostgreSQL too with
// HEARD_TEST_BACKEND=postgres (see storetest).
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
