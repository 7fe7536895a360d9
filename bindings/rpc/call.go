package rpc

import (
	"runtime"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// pending is the Go side of an RPC promise: the future its pipelined calls
// go to.
type pending struct {
	fut *future
}

func (p *pending) dispose() { p.fut.Release() }

// target is where a call on the stub or promise h goes, or the error of a
// disposed stub.
func (ep *Endpoint) target(h goja.Value) (Target, *ErrorData) {
	switch x := h.Export().(type) {
	case *stubRef:
		if x.disposed.Load() {
			return nil, errDisposedStub
		}
		return x.target, nil
	case *pending:
		return x.fut, nil
	}
	jsruntime.Throw(ep.rt, jsruntime.TypeError, "Illegal invocation")
	return nil, nil
}

// nativeCall(h, path, args, get) starts a call on the stub or promise h and
// returns [promise, pending]: the result and the handle pipelined calls on
// it use.
func (ep *Endpoint) nativeCall(c goja.FunctionCall) goja.Value {
	rt := ep.rt
	var path []string
	if err := rt.ExportTo(c.Argument(1), &path); err != nil {
		jsruntime.Throw(rt, jsruntime.TypeError, "Illegal invocation")
	}
	get := c.Argument(3).ToBoolean()
	var args goja.Value
	if !get {
		if a, ok := c.Argument(2).(*goja.Object); ok && a.Get("length").ToInteger() > 0 {
			args = a
		}
	}
	p, ph := ep.start(c.Argument(0), &Call{Path: path, Get: get}, args)
	return rt.NewArray(p, ph)
}

// nativeFetch(h, request) runs the fetch handler behind the service
// binding h and returns a promise for its Response.
func (ep *Endpoint) nativeFetch(c goja.FunctionCall) goja.Value {
	p, _ := ep.start(c.Argument(0), &Call{Fetch: true}, ep.rt.NewArray(c.Argument(1)))
	return p
}

// start sends call to h's target with args (an array, or nil) and returns
// the caller's promise and pending handle. Errors before sending
// (serialization, a disposed stub) reject the promise, never throw.
func (ep *Endpoint) start(h goja.Value, call *Call, args goja.Value) (goja.Value, *pending) {
	rt := ep.rt
	promise, resolve, reject := rt.NewPromise()
	fut := newFuture()
	ph := &pending{fut: fut}
	runtime.AddCleanup(ph, func(f *future) { f.Release() }, fut)
	fail := func(v goja.Value, d *ErrorData) {
		_ = reject(v)
		fut.resolve(&Reply{Err: d})
	}
	t, derr := ep.target(h)
	if derr != nil {
		fail(derr.value(rt), derr)
		return rt.ToValue(promise), ph
	}
	var waits []bodyWait
	if args != nil {
		msg, w, err := ep.encode(args)
		if err != nil {
			d := errorData(rt, err)
			d.Remote = false
			fail(jsruntime.ErrorValue(rt, err), d)
			return rt.ToValue(promise), ph
		}
		call.Args, waits = msg, w
	}
	enqueue := ep.iso.Reserve()
	call.Reply = func(r *Reply) {
		fut.resolve(r)
		ok := enqueue(func(rt *goja.Runtime) { ep.settleReply(r, resolve, reject, fut) })
		if !ok {
			r.Value.release()
		}
	}
	ep.finish(waits, func(err error) {
		if err != nil {
			call.Args.release()
			d := errorData(rt, err)
			d.Remote = false
			fut.resolve(&Reply{Err: d})
			enqueue(func(*goja.Runtime) { _ = reject(jsruntime.ErrorValue(rt, err)) })
			return
		}
		t.Deliver(call)
	})
	return rt.ToValue(promise), ph
}

// settleReply settles the caller's promise with r (on the caller's loop).
// A result that is an object but not a stub gets a Symbol.dispose that
// disposes the stubs in it and releases the callee's side.
func (ep *Endpoint) settleReply(r *Reply, resolve, reject func(any) error, fut *future) {
	rt := ep.rt
	if r.Err != nil {
		_ = reject(r.Err.value(rt))
		return
	}
	g := &group{}
	v, err := ep.decode(r.Value, g)
	if err != nil {
		_ = reject(jsruntime.ErrorValue(rt, err))
		return
	}
	if o, ok := v.(*goja.Object); ok && ep.kind(o) != "stub" {
		if sym, ok := ep.dispose.(*goja.Symbol); ok {
			fn := rt.ToValue(func(goja.FunctionCall) goja.Value {
				g.disposeAll()
				fut.Release()
				return goja.Undefined()
			})
			_ = o.DefineDataPropertySymbol(sym, fn, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		}
	}
	_ = resolve(v)
}

// Fetch runs the fetch handler of t with req (a Request) and returns a
// promise for its Response, which crosses by value. Call it on the loop.
func (ep *Endpoint) Fetch(t Target, req goja.Value) goja.Value {
	p, _ := ep.start(ep.rt.ToValue(&stubRef{target: t}), &Call{Fetch: true}, ep.rt.NewArray(req))
	return p
}
