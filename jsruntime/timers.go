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
	due      time.Time // when it fires next
	t        *time.Timer
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
	origin := time.Now()
	perf := rt.NewObject()
	must(perf.Set("timeOrigin", float64(origin.UnixMicro())/1000))
	must(perf.Set("now", func(goja.FunctionCall) goja.Value {
		return rt.ToValue(float64(time.Since(origin).Microseconds()) / 1000)
	}))
	defineGlobal(rt, "performance", perf)
	defineGlobal(rt, "queueMicrotask", func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			Throw(rt, TypeError, "Failed to execute 'queueMicrotask' on 'WorkerGlobalScope': parameter 1 is not of type 'Function'.")
		}
		p, resolve, _ := rt.NewPromise()
		then, _ := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("then"))
		_, _ = then(rt.ToValue(p), rt.ToValue(func(goja.FunctionCall) goja.Value {
			if _, err := fn(goja.Undefined()); err != nil {
				iso.ReportError(err)
			}
			return goja.Undefined()
		}))
		_ = resolve(goja.Undefined())
		return goja.Undefined()
	})
}

func (iso *Isolate) addTimer(fn goja.Callable, args []goja.Value, d time.Duration, repeat bool) int64 {
	iso.nextTimer++
	t := &timer{id: iso.nextTimer, owner: iso.owner, fn: fn, args: args, interval: d, repeat: repeat}
	iso.timers[t.id] = t
	iso.addPending(t.owner, 1)
	iso.arm(t)
	return t.id
}

func (iso *Isolate) arm(t *timer) {
	t.due = time.Now().Add(t.interval)
	t.t = time.AfterFunc(t.interval, func() {
		iso.Post(t.owner, func(*goja.Runtime) { iso.fire(t) })
	})
}

func (iso *Isolate) fire(t *timer) {
	if iso.timers[t.id] != t {
		return // cleared after the Go timer fired
	}
	if !t.repeat {
		delete(iso.timers, t.id)
		iso.addPending(t.owner, -1)
	}
	if _, err := t.fn(goja.Undefined(), t.args...); err != nil {
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
