package jsruntime

import (
	"errors"
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
// about 10,000 frames of a simple recursive function and fewer when natives
// are in between; goja unwinds an overflow through natives one Go panic per
// frame, in time that grows with the square of the depth, so the limit is
// lower.
const MaxCallDepth = 5000

// DefaultMemoryLimit is Options.MemoryLimit when it is zero: what one task
// may add to the Go heap.
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

// memWatch interrupts the running task once the Go heap has grown by more
// than limit since the task started: goja cannot say what one script
// holds, so what the task added to the process's heap stands for it
// (measured from the task's start, so what earlier tasks left behind, such
// as a value goja's stack still refers to, does not count against it). It
// only ticks while a task runs. The task's own garbage counts too, up to
// what the collector lets pile up (GOGC), far below the limit. One JS
// instruction (s += s) may allocate before the
// interrupt is seen, so the heap can overshoot by that much.
type memWatch struct {
	limit     uint64
	interrupt func()
	timer     *time.Timer
	sample    []metrics.Sample

	mu      sync.Mutex
	running bool
	tripped bool
	base    uint64 // the heap when the task started
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
	base := w.heap()
	w.mu.Lock()
	w.running = true
	w.base = base
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
		debug.FreeOSMemory() // collects the interrupted task's garbage first
	}
}

// heap is the bytes of heap objects now, live or not yet collected.
func (w *memWatch) heap() uint64 {
	metrics.Read(w.sample)
	if w.sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return w.sample[0].Value.Uint64()
}

// check runs on the timer's goroutine.
func (w *memWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.running {
		return
	}
	if h := w.heap(); h > w.base && h-w.base > w.limit {
		w.tripped = true
		w.interrupt()
		return
	}
	w.timer.Reset(memCheckEvery)
}

// Construct is rt.New(ctor, args...) that also returns goja's uncatchable
// errors (the CPU or memory limit's interrupt, a stack overflow) as errors:
// rt.New lets them escape as panics, which would end the whole task and
// leave whoever waits for the construction waiting forever.
func Construct(rt *goja.Runtime, ctor *goja.Object, args ...goja.Value) (obj *goja.Object, err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case *goja.InterruptedError:
			obj, err = nil, r
		case *goja.StackOverflowError:
			obj, err = nil, r
		default:
			panic(r)
		}
	}()
	return rt.New(ctor, args...)
}
