package rpc

import (
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// Gate is implemented by an owner of work (jsruntime.Owner) whose calls
// must pass its input gate: a Durable Object. Calls to targets exported
// while the owner's work ran go through EnterRPC, on the loop.
type Gate interface {
	EnterRPC(rt *goja.Runtime, run func(rt *goja.Runtime) (goja.Value, error), done func(goja.Value, error))
}

// RunDirect runs a call without a gate: run, then done with its settled
// value (on the loop).
func RunDirect(rt *goja.Runtime, run func(rt *goja.Runtime) (goja.Value, error), done func(goja.Value, error)) {
	v, err := run(rt)
	if err != nil {
		done(nil, err)
		return
	}
	jsruntime.Settle(rt, v, done)
}

// local is a Target in an endpoint's isolate: an RpcTarget, a function, a
// plain object returned by a call (for pipelining) or wrapped by
// `new RpcStub`.
type local struct {
	ep            *Endpoint
	obj           *goja.Object // loop only
	allowInstance bool
	disposer      goja.Value // called when the last stub is gone; loop only
	owner         jsruntime.Owner
	refs          atomic.Int64
}

// newLocal exports obj with one reference. With ownDispose, obj's own
// Symbol.dispose method runs when the last stub is gone. Call it on the
// loop.
func (ep *Endpoint) newLocal(obj *goja.Object, allowInstance, ownDispose bool) *local {
	l := &local{ep: ep, obj: obj, allowInstance: allowInstance, owner: ep.iso.CurrentOwner()}
	l.refs.Store(1)
	if ownDispose {
		if sym, ok := ep.dispose.(*goja.Symbol); ok {
			if d := obj.GetSymbol(sym); d != nil {
				if _, ok := goja.AssertFunction(d); ok {
					l.disposer = d
				}
			}
		}
	}
	return l
}

func (l *local) Retain() { l.refs.Add(1) }

func (l *local) Release() {
	if l.refs.Add(-1) != 0 {
		return
	}
	if l.disposer == nil {
		return
	}
	l.ep.iso.Post(l.owner, func(rt *goja.Runtime) {
		fn, _ := goja.AssertFunction(l.disposer)
		if _, err := fn(l.obj); err != nil {
			l.ep.iso.ReportError(err)
		}
	})
}

// Deliver runs c on the object, in its owner's input gate.
func (l *local) Deliver(c *Call) {
	l.Retain()
	ok := l.ep.iso.Post(l.owner, func(rt *goja.Runtime) {
		run, done := l.ep.Serve(c, Rules{AllowInstance: l.allowInstance})
		finish := func(v goja.Value, err error) { done(v, err); l.Release() }
		call := func(rt *goja.Runtime) (goja.Value, error) { return run(rt, l.obj) }
		if g, ok := l.owner.(Gate); ok {
			g.EnterRPC(rt, call, finish)
			return
		}
		RunDirect(rt, call, finish)
	})
	if !ok {
		c.Args.release()
		c.Reply(&Reply{Err: errDisconnected})
		l.Release()
	}
}

// Rules say what a call may reach from the object it is delivered to.
type Rules struct {
	// AllowInstance exposes own properties (plain objects, functions and
	// object handlers); otherwise only class members below Object.prototype.
	AllowInstance bool
	// Entrypoint reserves the handler names of Durable Objects and
	// WorkerEntrypoints (fetch, connect, alarm, webSocket*), besides dup
	// and constructor.
	Entrypoint bool
	// Env and Ctx, when set, are inserted after the one argument of a
	// handler function (`export default { method(arg, env, ctx) }`).
	Env, Ctx goja.Value
}

var reservedTransient = map[string]bool{"dup": true, "constructor": true}

var reservedEntrypoint = map[string]bool{"fetch": true, "connect": true, "alarm": true, "webSocketMessage": true,
	"webSocketClose": true, "webSocketError": true, "dup": true, "constructor": true}

// Serve prepares c for the object a gate hands to run: run resolves the
// path, decodes the arguments and calls; done (with run's settled value)
// encodes the result and replies. Call both on the loop.
func (ep *Endpoint) Serve(c *Call, r Rules) (run func(rt *goja.Runtime, root *goja.Object) (goja.Value, error), done func(goja.Value, error)) {
	var params *group
	run = func(rt *goja.Runtime, root *goja.Object) (goja.Value, error) {
		v, g, err := ep.invoke(root, r, c)
		params = g
		return v, err
	}
	done = func(v goja.Value, err error) { ep.respond(c, v, err, params) }
	return run, done
}

// invoke is workerd's JsRpcTargetBase::callImpl up to the call.
func (ep *Endpoint) invoke(root *goja.Object, r Rules, c *Call) (ret goja.Value, params *group, err error) {
	rt := ep.rt
	defer func() {
		if err != nil {
			c.Args.release()
		}
	}()
	if root == nil {
		return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "The RPC receiver does not implement the method \"%s\".", c.method())
	}
	if c.Fetch {
		return ep.invokeFetch(root, r, c)
	}
	var prop goja.Value
	var this *goja.Object
	if ex := rt.Try(func() { prop, this = ep.lookup(root, r, c.Path) }); ex != nil {
		return nil, nil, ex
	}
	if c.Get {
		c.Args.release()
		return ep.thenable(prop), nil, nil
	}
	fn, ok := goja.AssertFunction(prop)
	if !ok {
		return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "\"%s\" is not a function.", c.method())
	}
	params = &group{}
	args, err := ep.args(c.Args, params)
	if err != nil {
		params.disposeAll()
		return nil, nil, err
	}
	if r.Env != nil {
		if args, err = envCtxArgs(c.method(), prop, args, r); err != nil {
			params.disposeAll()
			return nil, nil, err
		}
	}
	v, err := fn(this, args...)
	if err != nil {
		return nil, params, err
	}
	return ep.thenable(v), params, nil
}

// args decodes the argument array.
func (ep *Endpoint) args(m *Message, g *group) ([]goja.Value, error) {
	if m == nil {
		return nil, nil
	}
	v, err := ep.decode(m, g)
	if err != nil {
		return nil, err
	}
	var list []goja.Value
	if err := ep.rt.ExportTo(v, &list); err != nil {
		return nil, err
	}
	return list, nil
}

// envCtxArgs inserts env and ctx after the client's one argument, with
// workerd's checks of the handler's declared arity.
func envCtxArgs(name string, fn goja.Value, args []goja.Value, r Rules) ([]goja.Value, error) {
	arity := fn.(*goja.Object).Get("length").ToInteger()
	if arity < 0 || arity >= 256 {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "RPC function has unreasonable length attribute: %d", arity)
	}
	if arity < 3 {
		arity = 3
	}
	if arity != 3 {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Cannot call handler function \"%s\" over RPC because it has the wrong number of arguments. "+
			"A simple function handler can only be called over RPC if it has exactly the arguments (arg, env, ctx), where only the first argument comes from the client. "+
			"To support multi-argument RPC functions, use class-based syntax (extending WorkerEntrypoint) instead.", name)
	}
	if len(args) != 1 {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Attempted to call RPC function \"%s\" with the wrong number of arguments. "+
			"When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. "+
			"In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.", name)
	}
	return []goja.Value{args[0], r.Env, r.Ctx}, nil
}

// invokeFetch runs root's fetch handler with the request in c.Args.
func (ep *Endpoint) invokeFetch(root *goja.Object, r Rules, c *Call) (goja.Value, *group, error) {
	fn, ok := goja.AssertFunction(root.Get("fetch"))
	if !ok {
		c.Args.release()
		return nil, nil, jsruntime.Errorf(jsruntime.Error, "Handler does not export a fetch() function.")
	}
	args, err := ep.args(c.Args, nil)
	if err != nil || len(args) == 0 {
		if err == nil {
			err = errBadExternal
		}
		return nil, nil, err
	}
	if r.Env != nil {
		args = []goja.Value{args[0], r.Env, r.Ctx}
	} else {
		args = args[:1]
	}
	v, err := fn(root, args...)
	return v, nil, err
}

// thenable makes a thenable that is not a native promise (an RPC promise)
// one, so the result is awaited as V8 would.
func (ep *Endpoint) thenable(v goja.Value) goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		return v
	}
	if _, isPromise := o.Export().(*goja.Promise); isPromise {
		return v
	}
	if _, ok := goja.AssertFunction(o.Get("then")); !ok {
		return v
	}
	p, err := ep.settle(goja.Undefined(), v)
	if err != nil {
		return v
	}
	return p
}

// lookup is workerd's tryGetProperty: the member at path and the object it
// is a member of. It throws workerd's TypeErrors.
func (ep *Endpoint) lookup(obj *goja.Object, r Rules, path []string) (goja.Value, *goja.Object) {
	rt := ep.rt
	reserved := reservedTransient
	if r.Entrypoint {
		reserved = reservedEntrypoint
	}
	allow := r.AllowInstance
	fail := func(name string) {
		jsruntime.Throw(rt, jsruntime.TypeError, "The RPC receiver does not implement the method \"%s\".", name)
	}
	get := func(name string) goja.Value {
		if reserved[name] {
			jsruntime.Throw(rt, jsruntime.TypeError, "'%s' is a reserved method and cannot be called over RPC.", name)
		}
		own := hasOwn(obj, name)
		if allow {
			if !own {
				fail(name)
			}
			return obj.Get(name)
		}
		if own {
			fail(name)
		}
		v := obj.Get(name)
		if v == nil || v.SameAs(ep.objectProto.Get(name)) || goja.IsUndefined(v) && ep.objectProto.Get(name) == nil {
			fail(name)
		}
		return v
	}
	if len(path) == 0 {
		return obj, obj
	}
	inStub := false
	for _, name := range path[:len(path)-1] {
		next, ok := get(name).(*goja.Object)
		if !ok {
			fail(name)
		}
		obj = next
		kind := ep.kind(obj)
		_, isFn := goja.AssertFunction(obj)
		switch {
		case obj.Prototype() == ep.objectProto:
			allow = true
		case ep.isTarget(obj):
			allow = false
		case kind == "stub" || inStub && kind == "property":
			allow, inStub = false, true
		case isFn && kind != "property" && kind != "promise":
			allow = true
		default:
			fail(name)
		}
	}
	return get(path[len(path)-1]), obj
}

func hasOwn(o *goja.Object, name string) bool {
	for _, k := range o.GetOwnPropertyNames() {
		if k == name {
			return true
		}
	}
	return false
}

// respond encodes the settled result of c and replies; the stubs that came
// in the arguments are disposed once the result no longer needs them.
func (ep *Endpoint) respond(c *Call, v goja.Value, err error, params *group) {
	rt := ep.rt
	if err != nil {
		params.disposeAll()
		c.Reply(&Reply{Err: errorData(rt, err)})
		return
	}
	msg, waits, pipeline, err := ep.encodeResult(v, c.Fetch)
	params.disposeAll()
	if err != nil {
		c.Reply(&Reply{Err: errorData(rt, err)})
		return
	}
	ep.finish(waits, func(err error) {
		if err != nil {
			msg.release()
			pipeline.Release()
			c.Reply(&Reply{Err: errorData(rt, err)})
			return
		}
		c.Reply(&Reply{Value: msg, Pipeline: pipeline})
	})
}

// encodeResult is workerd's serializeJsValueWithPipeline: the message and
// the Target pipelined calls on the result go to. A plain object's
// Symbol.dispose is taken off it and runs when the caller disposes the
// result.
func (ep *Endpoint) encodeResult(v goja.Value, fetch bool) (*Message, []bodyWait, Target, error) {
	obj, isObj := v.(*goja.Object)
	if fetch && (!isObj || ep.http.kindOf(obj) != "response") {
		return nil, nil, nil, jsruntime.Errorf(jsruntime.TypeError, "Incorrect type for Promise: the Promise did not resolve to 'Response'.")
	}
	var disposer goja.Value
	plain := isObj && obj.Prototype() == ep.objectProto
	if plain {
		if sym, ok := ep.dispose.(*goja.Symbol); ok {
			if d := obj.GetSymbol(sym); d != nil {
				if _, ok := goja.AssertFunction(d); ok {
					disposer = d
				}
				_ = obj.DeleteSymbol(sym)
			}
		}
	}
	msg, waits, err := ep.encode(v)
	if err != nil {
		return nil, nil, nil, err
	}
	var pipeline Target
	switch {
	case plain:
		l := ep.newLocal(obj, true, false)
		l.disposer = disposer
		pipeline = l
	case isObj && len(msg.Ext) == 1 && isSingleStub(msg):
		t := msg.Ext[0].(Target)
		t.Retain()
		pipeline = t
	default:
		pipeline = ep.newLocal(ep.rt.NewObject(), true, false)
	}
	return msg, waits, pipeline, nil
}

// isSingleStub reports whether the message is one stub and nothing else.
func isSingleStub(m *Message) bool {
	_, ok := m.Ext[0].(Target)
	return ok && len(m.Data) == 4 && m.Data[2] == 'X'
}
