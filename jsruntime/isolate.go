// Package jsruntime is emu's JavaScript engine: an Isolate (one goja runtime
// plus the event loop that owns it, with timers and microtask checkpoints),
// module bundling with esbuild, structured clone, and the helpers that make
// JS errors with workerd's exact classes and messages. The web platform APIs
// are in package webapi beside it. It knows nothing of Cloudflare bindings;
// package bindings builds those on top of it.
//
// The ownership rule: a *goja.Runtime and every goja.Value it made are used by
// exactly one goroutine, the isolate's loop. The runtime is only ever handed
// into a function the loop runs (Do, Post, Reserve's enqueue); other
// goroutines get Go values back.
//
//	iso, _ := jsruntime.New(jsruntime.Options{})
//	defer iso.Close()
//	err := iso.Do(func(rt *goja.Runtime) error {
//		_, err := rt.RunString(`setTimeout(() => {}, 10)`)
//		return err
//	})
package jsruntime

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// ErrClosed is returned by Do when the isolate has been closed.
var ErrClosed = errors.New("isolate closed")

// ErrCPULimit is the value a handler is interrupted with when it runs longer
// than Options.CPULimit without yielding to the loop. Its text is workerd's.
//
//lint:ignore ST1005 workerd's message verbatim
var ErrCPULimit = errors.New("Worker exceeded CPU time limit.")

// Options configures an Isolate.
type Options struct {
	// CPULimit interrupts a single task that runs longer than this
	// (workerd's limits.cpu_ms). Zero means 30 s.
	CPULimit time.Duration
	// MemoryLimit interrupts a task during which emu's Go heap grows by
	// more than this many bytes, with ErrMemoryLimit. Zero means
	// DefaultMemoryLimit.
	MemoryLimit uint64
	// LogError receives uncaught exceptions, formatted with their stack.
	LogError func(msg string)
}

// Owner tags work (timers, reserved callbacks) with whoever started it, so a
// Durable Object can tell whether it has anything pending. Owners are
// compared by identity; nil is the Worker itself.
type Owner any

// Isolate is one goja runtime and the event loop that owns it.
type Isolate struct {
	rt       *goja.Runtime
	cpu      *cpuWatch // the CPU limit of the running task
	mem      *memWatch // the memory limit of the running task
	logError func(string)

	mu     sync.Mutex
	queue  []task
	wake   chan struct{}
	closed bool
	done   chan struct{}

	// Loop-goroutine state.
	owner      Owner // owner of the task running now
	pending    map[Owner]int
	total      int
	timers     map[int64]*timer
	nextTimer  int64
	idleHooks  []func()
	interrupts uint64
	rejected   []*goja.Promise            // rejected without a handler during the task
	reported   map[*goja.Promise]struct{} // reported unhandled, not handled since
	handled    []*goja.Promise            // reported, then given a handler during the task
	hooks      Hooks
	drain      goja.Callable // an empty function: calling it runs goja's job queue
	asyncCtx   goja.Value    // the current async context (asynccontext.go)
	savedCtx   goja.Value    // the context a promise reaction interrupted
}

type task struct {
	owner Owner
	fn    func(rt *goja.Runtime)
}

// New creates an isolate with the engine's globals (timers, queueMicrotask,
// performance, structuredClone) and starts its loop goroutine. The web
// platform APIs and bindings are installed on it with their packages'
// Install functions, inside Do.
func New(opts Options) (*Isolate, error) {
	if opts.CPULimit <= 0 {
		opts.CPULimit = 30 * time.Second
	}
	iso := &Isolate{
		rt:       goja.New(),
		logError: opts.LogError,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		pending:  map[Owner]int{},
		timers:   map[int64]*timer{},
		reported: map[*goja.Promise]struct{}{},
	}
	iso.rt.SetFieldNameMapper(goja.UncapFieldNameMapper())
	iso.rt.SetMaxCallStackSize(MaxCallDepth)
	iso.rt.SetPromiseRejectionTracker(iso.trackRejection)
	iso.rt.SetMaxCallStackSize(maxCallStack)
	installV8Errors(iso.rt)
	iso.rt.SetAsyncContextTracker((*contextTracker)(iso))
	InstallStructuredClone(iso.rt)
	installDisposeSymbols(iso.rt)
	iso.installTimers()
	iso.installErrorStacks()
	drain, err := iso.rt.RunString("(function () {})")
	if err != nil {
		return nil, fmt.Errorf("new isolate: %w", err)
	}
	iso.drain, _ = goja.AssertFunction(drain)
	iso.cpu = newCPUWatch(opts.CPULimit, processCPU, func() { iso.rt.Interrupt(ErrCPULimit) })
	if opts.MemoryLimit == 0 {
		opts.MemoryLimit = DefaultMemoryLimit
	}
	iso.mem = newMemWatch(opts.MemoryLimit, func() { iso.rt.Interrupt(ErrMemoryLimit) })
	go iso.loop()
	return iso, nil
}

// Post queues fn to run on the loop goroutine; fn is the only place rt may be
// used. It is safe to call from any goroutine. The task runs as owner's work
// (see Owner). Post reports false if the isolate is closed.
func (iso *Isolate) Post(owner Owner, fn func(rt *goja.Runtime)) bool {
	iso.mu.Lock()
	if iso.closed {
		iso.mu.Unlock()
		return false
	}
	iso.queue = append(iso.queue, task{owner, fn})
	iso.mu.Unlock()
	select {
	case iso.wake <- struct{}{}:
	default:
	}
	return true
}

// errTaskPanicked is what Do returns when its function panicked (the loop
// logged the panic as an internal error).
var errTaskPanicked = errors.New("emu internal error: the task panicked")

// Do runs fn on the loop and waits for its result. It must not be called from
// the loop goroutine itself.
func (iso *Isolate) Do(fn func(rt *goja.Runtime) error) error {
	errc := make(chan error, 1)
	if !iso.Post(nil, func(rt *goja.Runtime) {
		err := errTaskPanicked // if fn panics, the loop logs it and Do still returns
		defer func() { errc <- err }()
		err = fn(rt)
	}) {
		return ErrClosed
	}
	select {
	case err := <-errc:
		return err
	case <-iso.done:
		select {
		case err := <-errc:
			return err
		default:
			return ErrClosed
		}
	}
}

// Reserve is called on the loop. It records that the current owner waits for
// Go work and returns enqueue, which is safe from any goroutine and must be
// called exactly once: it runs fn on the loop and releases the reservation.
// This is k6's RegisterCallback: the loop knows work is still in flight.
func (iso *Isolate) Reserve() (enqueue func(fn func(rt *goja.Runtime)) bool) {
	owner := iso.owner
	iso.addPending(owner, 1)
	var once sync.Once
	return func(fn func(rt *goja.Runtime)) bool {
		ok := false
		once.Do(func() {
			ok = iso.Post(owner, func(rt *goja.Runtime) {
				iso.addPending(owner, -1)
				fn(rt)
			})
		})
		return ok
	}
}

// CurrentOwner is the owner of the task running now (loop goroutine only).
func (iso *Isolate) CurrentOwner() Owner { return iso.owner }

// SetOwner changes the owner of the running task and returns the previous
// one, so work a handler starts is attributed to it (loop goroutine only).
func (iso *Isolate) SetOwner(o Owner) Owner {
	prev := iso.owner
	iso.owner = o
	return prev
}

// Pending is how many timers and reserved callbacks owner has (loop only).
func (iso *Isolate) Pending(owner Owner) int { return iso.pending[owner] }

// Interrupts counts tasks interrupted by the CPU limit so far (loop only).
func (iso *Isolate) Interrupts() uint64 { return iso.interrupts }

// OnIdle registers fn to run on the loop whenever the task queue is empty and
// nothing at all is pending: no timer, no reserved callback. Used to find
// promises that can never settle. Call it on the loop goroutine.
func (iso *Isolate) OnIdle(fn func()) { iso.idleHooks = append(iso.idleHooks, fn) }

// Done is closed when the loop has stopped (after Close): work posted
// after that never runs.
func (iso *Isolate) Done() <-chan struct{} { return iso.done }

// Close stops the loop. Queued tasks that have not run are dropped. Safe to
// call more than once and from any goroutine other than the loop.
func (iso *Isolate) Close() {
	iso.mu.Lock()
	if iso.closed {
		iso.mu.Unlock()
		return
	}
	iso.closed = true
	iso.mu.Unlock()
	iso.rt.Interrupt(ErrClosed) // a script that spins must not keep emu from exiting
	select {
	case iso.wake <- struct{}{}:
	default:
	}
	<-iso.done
}

func (iso *Isolate) addPending(o Owner, n int) {
	iso.pending[o] += n
	if iso.pending[o] <= 0 {
		delete(iso.pending, o)
	}
	iso.total += n
}

func (iso *Isolate) loop() {
	defer close(iso.done)
	defer iso.stopTimers()
	for {
		<-iso.wake
		for {
			iso.mu.Lock()
			if iso.closed {
				iso.mu.Unlock()
				return
			}
			batch := iso.queue
			iso.queue = nil
			iso.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			for i := range batch {
				iso.run(batch[i])
				batch[i] = task{}
			}
		}
		if iso.total == 0 {
			for _, h := range iso.idleHooks {
				h()
			}
		}
	}
}

// run executes one task under the CPU-limit watchdog. A Go panic that is not
// a JS exception is turned into a log line instead of killing emu.
func (iso *Isolate) run(t task) {
	iso.owner = t.owner
	iso.asyncCtx = nil // every task from Go starts in the empty async context
	iso.cpu.start()
	iso.mem.start()
	defer func() {
		iso.cpu.stop()
		iso.mem.stop()
		iso.rt.ClearInterrupt()
		resetVM(iso.rt)
		iso.owner = nil
		iso.asyncCtx = nil
		if r := recover(); r != nil {
			if ie, ok := r.(*goja.InterruptedError); ok {
				iso.interrupted(ie)
				return
			}
			// A bug in emu must not take the server down with it.
			if iso.logError != nil {
				iso.logError(fmt.Sprintf("emu internal error (please report): %v\n%s", r, debug.Stack()))
			}
		}
	}()
	t.fn(iso.rt)
	iso.checkpoint()
	iso.reportRejections()
}

// checkpoint performs a microtask checkpoint: it runs every promise job the
// task queued, and the jobs those queue, until none is left. Every task ends
// with one, so no entry into JS (a request, a constructor run with rt.New, a
// WebSocket event, an alarm, a callback from Go) can leave promise reactions
// waiting for some later, unrelated event, as in workerd. goja runs its job
// queue when a call from Go into JS returns to an empty JS stack, so calling
// an empty function at the end of the task is the checkpoint.
func (iso *Isolate) checkpoint() {
	if _, err := iso.drain(goja.Undefined()); err != nil {
		iso.ReportError(err)
	}
}

// trackRejection follows promises rejected with no handler; one still
// unhandled when its task ends is reported as workerd does. A reported
// promise that gets a handler later is reported as handled.
func (iso *Isolate) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		iso.rejected = append(iso.rejected, p)
	case goja.PromiseRejectionHandle:
		for i, q := range iso.rejected {
			if q == p {
				iso.rejected = append(iso.rejected[:i], iso.rejected[i+1:]...)
				return
			}
		}
		if _, ok := iso.reported[p]; ok {
			delete(iso.reported, p)
			iso.handled = append(iso.handled, p)
		}
	}
}

// maxReported bounds the promises remembered as reported unhandled (for a
// later "rejectionhandled"), so a Worker that leaves many rejections
// unhandled does not grow the isolate without end.
const maxReported = 1000

// reportRejections reports, at the end of a task, the promises that are
// still rejected without a handler ("unhandledrejection": the log line
// unless a listener prevents it) and those reported earlier that got one
// since ("rejectionhandled").
func (iso *Isolate) reportRejections() {
	for len(iso.rejected) > 0 || len(iso.handled) > 0 {
		rs, hs := iso.rejected, iso.handled
		iso.rejected, iso.handled = nil, nil
		for _, p := range rs {
			fixV8Error(iso.rt, p.Result())
			if len(iso.reported) < maxReported {
				iso.reported[p] = struct{}{}
			}
			if iso.hooks.Rejection != nil && iso.callHook(func() bool { return iso.hooks.Rejection(p, false) }) {
				continue
			}
			if iso.logError != nil {
				iso.logError("Uncaught (in promise) " + FormatValue(p.Result()))
			}
		}
		for _, p := range hs {
			if iso.hooks.Rejection != nil {
				iso.callHook(func() bool { return iso.hooks.Rejection(p, true) })
			}
		}
		// Listeners may have rejected or handled promises of their own.
		iso.checkpoint()
	}
}

// callHook runs a hook that calls into JS; a Go panic that is a JS
// exception is reported as uncaught.
func (iso *Isolate) callHook(h func() bool) (prevented bool) {
	err := iso.rt.Try(func() { prevented = h() })
	if err != nil {
		iso.ReportError(err)
	}
	return prevented
}

// SetCPULimit changes the CPU time a task may use from the next task on
// (emu's own set-up of a Worker runs under a start-up limit, the Worker's
// events under limits.cpu_ms). Zero means 30 s. Safe from any goroutine.
func (iso *Isolate) SetCPULimit(d time.Duration) {
	if d <= 0 {
		d = 30 * time.Second
	}
	iso.cpu.setLimit(d)
}

// interrupted records a CPU-limit interrupt.
func (iso *Isolate) interrupted(*goja.InterruptedError) { iso.interrupts++ }

// IsInterrupt reports whether err (from a goja call) is the CPU-limit
// interrupt; callers record it with NoteInterrupt.
func IsInterrupt(err error) bool {
	var ie *goja.InterruptedError
	return errors.As(err, &ie)
}

// NoteInterrupt is called on the loop by code that caught a CPU-limit
// interrupt from a goja call, so it is counted and reported once.
//
// The interrupt is cleared and the task's limits start again, so the Go
// code that caught it can still run JS to deliver the error (reject a
// stub's promise, fire a close event); without this every later call in
// the task would be interrupted too and the caller would wait forever.
func (iso *Isolate) NoteInterrupt(err error) {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		iso.interrupted(ie)
		iso.rt.ClearInterrupt()
		iso.cpu.start()
		iso.mem.start()
	}
}

// Hooks let the web platform layer turn the isolate's error reports into
// events on the global scope. Each runs on the loop and reports whether a
// listener prevented the default (the log line).
type Hooks struct {
	// Rejection is called at the end of a task for each promise rejected
	// without a handler (handled false: "unhandledrejection") and for each
	// such promise that got a handler later (handled true:
	// "rejectionhandled"; its result is ignored).
	Rejection func(p *goja.Promise, handled bool) (prevented bool)
	// Error is called for an exception thrown by a queueMicrotask callback
	// (an "error" event), before it is logged as uncaught.
	Error func(v goja.Value) (prevented bool)
}

// SetHooks installs the hooks (loop goroutine only; webapi.Install does).
func (iso *Isolate) SetHooks(h Hooks) { iso.hooks = h }
