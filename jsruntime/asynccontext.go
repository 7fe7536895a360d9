package jsruntime

import "github.com/dop251/goja"

// The async context is the value AsyncLocalStorage (node:async_hooks) reads
// its stores from: an opaque JS value (nil when nothing is stored), current
// while a piece of JS runs and carried to the work that piece schedules, as
// workerd carries its async context frame:
//
//   - promise reactions (then, await, queueMicrotask, process.nextTick) run
//     in the context current when the reaction was registered: goja calls
//     the tracker below;
//   - timers run in the context current when they were set;
//   - every task posted from Go (a request, a WebSocket event, an alarm, a
//     callback after Go work) starts in the empty context.
//
// Only the loop goroutine reads or writes it.

// contextTracker is goja's hook for promise reactions (the Isolate itself,
// so no extra allocation per reaction).
type contextTracker Isolate

// Grab is called when a reaction is registered: it remembers the context.
func (c *contextTracker) Grab() any { return c.asyncCtx }

// Resumed is called before a reaction runs, with what Grab returned. goja
// does not nest reactions, so one saved value is enough.
func (c *contextTracker) Resumed(v any) {
	c.savedCtx = c.asyncCtx
	c.asyncCtx, _ = v.(goja.Value)
}

// Exited is called after the reaction: the context before it comes back.
func (c *contextTracker) Exited() {
	c.asyncCtx = c.savedCtx
	c.savedCtx = nil
}

// AsyncContext returns the current async context (nil if empty). Loop
// goroutine only.
func (iso *Isolate) AsyncContext() goja.Value { return iso.asyncCtx }

// SetAsyncContext makes v the current async context and returns the
// previous one, which the caller restores when the code it runs returns
// (try/finally on the JS side). Loop goroutine only.
func (iso *Isolate) SetAsyncContext(v goja.Value) (prev goja.Value) {
	prev = iso.asyncCtx
	iso.asyncCtx = v
	return prev
}
