package ingest

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// An import allocates a few small values per cell and keeps almost none of
// them: its live heap stays at a few MB while the collector, at the default
// GOGC of 100, runs every few MB of garbage (125 collections for 100,000
// rows, a fifth of the import's CPU). While imports run the collector's
// target is raised, and a memory limit of the heap in use at the start plus
// importHeapHeadroom keeps the heap from growing with it, so memory stays
// flat whatever the number of rows.

const (
	importGCPercent    = 400
	importHeapHeadroom = 16 << 20
)

var importGC struct {
	sync.Mutex
	running   int
	percent   int
	limit     int64
	limitUsed bool
}

// raiseGC raises the collector's target for an import; restore puts it
// back once the last of the imports running at once has ended.
func raiseGC() (restore func()) {
	importGC.Lock()
	defer importGC.Unlock()
	if importGC.running == 0 {
		importGC.percent = debug.SetGCPercent(importGCPercent)
		importGC.limit = debug.SetMemoryLimit(-1) // reads the limit
		// A limit set by the operator (GOMEMLIMIT) is left as it is.
		importGC.limitUsed = importGC.limit == math.MaxInt64
		if importGC.limitUsed {
			debug.SetMemoryLimit(heapInUse() + importHeapHeadroom)
		}
	}
	importGC.running++
	return func() {
		importGC.Lock()
		defer importGC.Unlock()
		importGC.running--
		if importGC.running == 0 {
			debug.SetGCPercent(importGC.percent)
			if importGC.limitUsed {
				debug.SetMemoryLimit(importGC.limit)
			}
		}
	}
}

// heapInUse is the memory the Go runtime holds now, as the memory limit
// counts it.
func heapInUse() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}
