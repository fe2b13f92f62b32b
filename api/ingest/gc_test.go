package ingest

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The memory limit set for an import rises with what the import keeps
// live, and is taken off again when the import ends.
func TestImportMemoryLimitFollowsTheLiveHeap(t *testing.T) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Skip("GOMEMLIMIT is set: an operator's limit is left as it is")
	}
	restore := raiseGC()
	time.Sleep(3 * limitEvery)
	before := debug.SetMemoryLimit(-1)
	if before == math.MaxInt64 {
		t.Fatal("no memory limit while an import runs")
	}
	kept := make([]*[1 << 20]byte, 64) // 64 MB held, with pointers to scan
	for i := range kept {
		kept[i] = new([1 << 20]byte)
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < before+60<<20 && time.Now().Before(deadline) {
		time.Sleep(limitEvery)
	}
	if after := debug.SetMemoryLimit(-1); after < before+60<<20 {
		t.Errorf("limit %d MB with 64 MB more live, was %d MB", after>>20, before>>20)
	}
	runtime.KeepAlive(kept)
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d after the import, want none", got)
	}
}
