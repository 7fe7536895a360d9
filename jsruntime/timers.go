package jsruntime

import (
	"time"

	"github.com/dop251/goja"
)

// timer is one setTimeout or setInterval. It lives on the loop goroutine; the
// Go timer only posts a task.
type timer struct {
	id       int64
	owner    Owner
	fn       goja.Callable
	args     []goja.Value
	interval time.Duration
	repeat   bool
	t        *time.Timer
	ctx      goja.Value // the async context it was set in
	due      time.Time  // when it fires next
	gen      int        // which arming the Go timer's task belongs to
}

func (iso *Isolate) installTimers() {
	rt := iso.rt
	set := func(repeat bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fn, ok := goja.AssertFunction(call.Argument(0))
			if !ok {
				Throw(rt, TypeError, "Failed to execute '%s' on 'WorkerGlobalScope': parameter 1 is not of type 'Function'.", map[bool]string{false: "setTimeout", true: "setInterval"}[repeat])
			}
			ms := call.Argument(1).ToFloat()
			if !(ms > 0) { // negative, NaN or missing
				ms = 0
			}
			d := time.Duration(ms * float64(time.Millisecond))
			var args []goja.Value
			if len(call.Arguments) > 2 {
				args = append(args, call.Arguments[2:]...)
			}
			return rt.ToValue(iso.addTimer(fn, args, d, repeat))
		}
	}
	clear := func(call goja.FunctionCall) goja.Value {
		iso.clearTimer(call.Argument(0).ToInteger())
		return goja.Undefined()
	}
	defineGlobal(rt, "setTimeout", set(false))
	defineGlobal(rt, "setInterval", set(true))
	defineGlobal(rt, "clearTimeout", clear)
	defineGlobal(rt, "clearInterval", clear)
	// As workerd's: timeOrigin is 0, so performance.now() is Date.now(), in
	// whole milliseconds (workerd gives no finer time, for Spectre's sake).
	perf := rt.NewObject()
	must(perf.DefineAccessorProperty("timeOrigin", rt.ToValue(func(goja.FunctionCall) goja.Value {
		return rt.ToValue(0)
	}), nil, goja.FLAG_TRUE, goja.FLAG_TRUE))
	must(perf.Set("now", func(goja.FunctionCall) goja.Value {
		return rt.ToValue(time.Now().UnixMilli())
	}))
	defineGlobal(rt, "performance", perf)
	defineGlobal(rt, "queueMicrotask", func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			Throw(rt, TypeError, "Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.")
		}
		p, resolve, _ := rt.NewPromise()
		then, _ := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("then"))
		_, _ = then(rt.ToValue(p), rt.ToValue(func(goja.FunctionCall) goja.Value {
			if _, err := fn(goja.Undefined()); err != nil {
				iso.reportMicrotaskError(err)
			}
			return goja.Undefined()
		}))
		_ = resolve(goja.Undefined())
		return goja.Undefined()
	})
}

func (iso *Isolate) addTimer(fn goja.Callable, args []goja.Value, d time.Duration, repeat bool) int64 {
	iso.nextTimer++
	t := &timer{id: iso.nextTimer, owner: iso.owner, fn: fn, args: args, interval: d, repeat: repeat, ctx: iso.asyncCtx}
	iso.timers[t.id] = t
	iso.addPending(t.owner, 1)
	iso.arm(t)
	return t.id
}

func (iso *Isolate) arm(t *timer) {
	t.gen++
	gen := t.gen
	t.due = time.Now().Add(t.interval)
	t.t = time.AfterFunc(t.interval, func() {
		iso.Post(t.owner, func(*goja.Runtime) { iso.fire(t, gen) })
	})
}

// fire runs timer t when its Go timer's task arrives. Timers of the same
// owner that fell due before it run first, in the order of their
// deadlines: their tasks may be queued behind this one when the process is
// busy, and workerd runs timers in deadline order.
func (iso *Isolate) fire(t *timer, gen int) {
	if iso.timers[t.id] != t || t.gen != gen {
		return // cleared, or already run early, after the Go timer fired
	}
	for {
		e := iso.dueBefore(t)
		if e == nil {
			break
		}
		iso.runTimer(e)
	}
	iso.runTimer(t)
}

// dueBefore returns the timer of t's owner with the earliest deadline
// before t's that has passed, or nil.
func (iso *Isolate) dueBefore(t *timer) *timer {
	now := time.Now()
	var best *timer
	for _, o := range iso.timers {
		if o == t || o.owner != t.owner || o.due.After(now) || !o.due.Before(t.due) {
			continue
		}
		if best == nil || o.due.Before(best.due) || (o.due.Equal(best.due) && o.id < best.id) {
			best = o
		}
	}
	return best
}

// runTimer calls a timer's callback in the async context it was set in,
// and arms it again if it repeats.
func (iso *Isolate) runTimer(t *timer) {
	t.gen++ // a task its Go timer posted is stale now
	t.t.Stop()
	if !t.repeat {
		delete(iso.timers, t.id)
		iso.addPending(t.owner, -1)
	}
	prev := iso.SetAsyncContext(t.ctx)
	_, err := t.fn(goja.Undefined(), t.args...)
	iso.SetAsyncContext(prev)
	if err != nil {
		iso.ReportError(err)
	}
	if t.repeat && iso.timers[t.id] == t {
		iso.arm(t)
	}
}

func (iso *Isolate) clearTimer(id int64) {
	t, ok := iso.timers[id]
	if !ok {
		return
	}
	t.t.Stop()
	delete(iso.timers, id)
	iso.addPending(t.owner, -1)
}

// ClearTimers cancels every timer of owner (loop goroutine only). Used when a
// Durable Object is dropped.
func (iso *Isolate) ClearTimers(owner Owner) {
	for id, t := range iso.timers {
		if t.owner == owner {
			iso.clearTimer(id)
		}
	}
}

// Timers reports how many timers owner has and when the next one is due
// (loop goroutine only). It walks every timer of the isolate: it is for
// diagnostics (why a Durable Object stays in memory), not for hot paths.
func (iso *Isolate) Timers(owner Owner) (n int, next time.Time) {
	for _, t := range iso.timers {
		if t.owner != owner {
			continue
		}
		n++
		if next.IsZero() || t.due.Before(next) {
			next = t.due
		}
	}
	return n, next
}

func (iso *Isolate) stopTimers() {
	for _, t := range iso.timers {
		t.t.Stop()
	}
}

// defineGlobal defines a global as Web IDL does: writable, configurable,
// not enumerable.
func defineGlobal(rt *goja.Runtime, name string, v any) {
	must(rt.GlobalObject().DefineDataProperty(name, rt.ToValue(v), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// reportMicrotaskError reports an exception from a queueMicrotask callback:
// an "error" event on the global scope first (workerd does this), the log
// line unless a listener prevented it.
func (iso *Isolate) reportMicrotaskError(err error) {
	if v := Thrown(err); v != nil && iso.hooks.Error != nil && !IsInterrupt(err) {
		if iso.callHook(func() bool { return iso.hooks.Error(v) }) {
			return
		}
	}
	iso.ReportError(err)
}
