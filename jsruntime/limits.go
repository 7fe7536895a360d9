package jsruntime

import (
	"errors"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// The limits a misbehaving script runs into besides the CPU limit
// (cpulimit.go): call depth and memory.

// MaxCallDepth is the deepest JS call stack a script gets; deeper recursion
// fails with workerd's RangeError rather than growing emu's memory until the
// CPU limit (goja's own default is unlimited). V8's default stack holds
// about 10,000 frames of a simple recursive function.
const MaxCallDepth = 10000

// DefaultMemoryLimit is Options.MemoryLimit when it is zero.
const DefaultMemoryLimit = 1 << 30

// ErrMemoryLimit interrupts a task during which emu's Go heap grew past
// Options.MemoryLimit (goja has no heap limit of its own, so an allocation
// bomb is caught by watching the whole process). Its text is workerd's.
//
//lint:ignore ST1005 workerd's message verbatim
var ErrMemoryLimit = errors.New("Worker exceeded memory limit.")

// stackOverflowMessage is what a script that recursed past MaxCallDepth
// ends with (V8's RangeError; goja's error cannot be caught by the script).
const stackOverflowMessage = "RangeError: Maximum call stack size exceeded"

// IsStackOverflow reports whether err is a call stack past MaxCallDepth.
func IsStackOverflow(err error) bool {
	var so *goja.StackOverflowError
	return errors.As(err, &so)
}

// InterruptCause is why a task was interrupted: ErrMemoryLimit, or
// ErrCPULimit (also for any other interrupt).
func InterruptCause(err error) error {
	if errors.Is(err, ErrMemoryLimit) {
		return ErrMemoryLimit
	}
	return ErrCPULimit
}

// memCheckEvery is how often the heap is read while a task runs.
const memCheckEvery = 5 * time.Millisecond

// memWatch interrupts the running task once the Go heap passes limit. It
// only ticks while a task runs.
type memWatch struct {
	limit     uint64
	interrupt func()
	timer     *time.Timer
	sample    []metrics.Sample

	mu      sync.Mutex
	running bool
	tripped bool
}

func newMemWatch(limit uint64, interrupt func()) *memWatch {
	w := &memWatch{limit: limit, interrupt: interrupt,
		sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
	w.timer = time.AfterFunc(time.Hour, w.check)
	w.timer.Stop()
	return w
}

// start arms the watch for a task (loop goroutine).
func (w *memWatch) start() {
	w.mu.Lock()
	w.running = true
	w.mu.Unlock()
	w.timer.Reset(memCheckEvery)
}

// stop disarms it (loop goroutine); after it returns no interrupt for the
// task can arrive. If the task was interrupted, the garbage it made is
// collected and returned to the OS now, so emu's RSS goes back down.
func (w *memWatch) stop() {
	w.mu.Lock()
	w.running = false
	tripped := w.tripped
	w.tripped = false
	w.mu.Unlock()
	w.timer.Stop()
	if tripped {
		go freeMemory()
	}
}

func freeMemory() {
	runtime.GC()
	debug.FreeOSMemory()
}

// check runs on the timer's goroutine.
func (w *memWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.running {
		return
	}
	metrics.Read(w.sample)
	if w.sample[0].Value.Kind() == metrics.KindUint64 && w.sample[0].Value.Uint64() > w.limit {
		w.tripped = true
		w.interrupt()
		return
	}
	w.timer.Reset(memCheckEvery)
}
