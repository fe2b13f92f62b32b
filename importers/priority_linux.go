package importers

import (
	"runtime"
	"syscall"
)

// LowerPriority runs the calling goroutine, from now until it ends, on an
// operating-system thread of its own at the lowest scheduling priority
// (nice 19), so that an import's goroutines give way to the web service's
// requests on a busy machine: Go has no goroutine priorities, but Linux
// schedules each thread by its own nice value. The goroutine must end
// when its work is done: its thread is then discarded with its priority,
// never handed to another goroutine.
func LowerPriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
