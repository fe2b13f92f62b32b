package ingest

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// An import allocates a few small values per cell and keeps almost none of
// them: its live heap stays at a few MB while the collector, at the default
// GOGC of 100, runs every few MB of garbage (125 collections for 100,000
// rows, a fifth of the import's CPU). While imports run the collector's
// target is raised, and a memory limit of the heap in use at the start plus
// importHeapHeadroom keeps the heap from growing with it, so memory stays
// flat whatever the number of rows.
//
// The limit follows the live heap: memory an import really keeps (a dry
// run's digests of respondent ids, 24 MB at 1,000,000 rows; a workbook's
// shared strings) raises it by as much. A fixed limit below the live heap
// set the collector running after every few allocations: 10,559
// collections for a 1,000,000-row dry run, 13% of its time.

const (
	importGCPercent    = 400
	importHeapHeadroom = 16 << 20
	// limitEvery is how often the limit is moved with the live heap.
	limitEvery = 50 * time.Millisecond
)

var importGC struct {
	sync.Mutex
	running   int
	percent   int
	limit     int64
	limitUsed bool
	// follow ends the goroutine that moves the limit; followed is closed
	// when it has.
	follow, followed chan struct{}
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
			importGC.follow, importGC.followed = make(chan struct{}), make(chan struct{})
			go followLiveHeap(heapInUse()+importHeapHeadroom, importGC.follow, importGC.followed)
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
				close(importGC.follow)
				<-importGC.followed
				debug.SetMemoryLimit(importGC.limit)
			}
		}
	}
}

// followLiveHeap sets the memory limit to start, raised by what the live
// heap has grown since, until follow is closed.
func followLiveHeap(start int64, follow <-chan struct{}, followed chan<- struct{}) {
	defer close(followed)
	live0 := liveHeap()
	debug.SetMemoryLimit(start)
	tick := time.NewTicker(limitEvery)
	defer tick.Stop()
	for {
		select {
		case <-follow:
			return
		case <-tick.C:
			debug.SetMemoryLimit(start + max(0, liveHeap()-live0))
		}
	}
}

// liveHeap is the heap the last collection found reachable.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// heapInUse is the memory the Go runtime holds now, as the memory limit
// counts it.
func heapInUse() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}
