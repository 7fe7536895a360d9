package jsruntime

import (
	"sync"
	"time"
)

// cpuWatch enforces the CPU limit of the task running on the loop, one task
// at a time. A task is interrupted once it has run for the limit and the
// process has used that much CPU time since it started: workerd limits CPU
// time, not wall time, so a task that is slow only because the machine is
// busy with other processes is not interrupted. (The process's CPU time
// includes emu's other goroutines; it is only consulted once the task has
// also run for the whole limit, so it cannot cut a short task off.)
type cpuWatch struct {
	clock     func() time.Duration // the process's CPU time (processCPU)
	interrupt func()               // interrupts the runtime; safe from any goroutine
	timer     *time.Timer

	mu      sync.Mutex
	limit   time.Duration
	running bool
	wall    time.Time     // when the task started
	cpu     time.Duration // the process's CPU time then
}

func newCPUWatch(limit time.Duration, clock func() time.Duration, interrupt func()) *cpuWatch {
	w := &cpuWatch{limit: limit, clock: clock, interrupt: interrupt}
	w.timer = time.AfterFunc(time.Hour, w.check)
	w.timer.Stop()
	return w
}

// setLimit changes the limit from the next task on (any goroutine).
func (w *cpuWatch) setLimit(d time.Duration) {
	w.mu.Lock()
	w.limit = d
	w.mu.Unlock()
}

// start arms the watch for a task (loop goroutine).
func (w *cpuWatch) start() {
	w.mu.Lock()
	w.running = true
	w.wall = time.Now()
	w.cpu = w.clock()
	limit := w.limit
	w.mu.Unlock()
	w.timer.Reset(limit)
}

// stop disarms it when the task ends (loop goroutine). After stop returns no
// interrupt for the task can arrive: check holds the lock while it
// interrupts, so the caller's ClearInterrupt comes after any interrupt.
func (w *cpuWatch) stop() {
	w.mu.Lock()
	w.running = false
	w.mu.Unlock()
	w.timer.Stop()
}

// check runs on the timer's goroutine.
func (w *cpuWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.running {
		return
	}
	wall, used := time.Since(w.wall), w.clock()-w.cpu
	if wall >= w.limit && used >= w.limit {
		w.interrupt()
		return
	}
	rest := w.limit - min(wall, used)
	if rest < time.Millisecond {
		rest = time.Millisecond
	}
	w.timer.Reset(rest)
}
