package rpc

import (
	_ "embed"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

//go:embed rpc.js
var rpcJS string

var rpcProgram = goja.MustCompile("emu:rpc.js", "("+rpcJS+")", true)

// Endpoint is the RPC side of one isolate: the JS classes, the natives they
// call, and the local targets it exports. Everything but iso belongs to
// the isolate's loop.
type Endpoint struct {
	iso *jsruntime.Isolate
	rt  *goja.Runtime

	// Classes are the values cloudflare:workers exports.
	Classes *goja.Object

	stub, service, durableObject goja.Callable
	classify, settle             goja.Callable
	targetProto, objectProto     *goja.Object
	dispose                      goja.Value // Symbol.dispose
	http                         *httpCodec
}

// Install defines the RPC classes on rt (on iso's loop, before the Worker's
// code runs) and returns the isolate's Endpoint.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime) (*Endpoint, error) {
	ep := &Endpoint{iso: iso, rt: rt}
	f, err := rt.RunProgram(rpcProgram)
	if err != nil {
		return nil, fmt.Errorf("rpc: %w", err)
	}
	fn, _ := goja.AssertFunction(f)
	res, err := fn(goja.Undefined(), ep.natives())
	if err != nil {
		return nil, fmt.Errorf("rpc: %w", err)
	}
	o := res.ToObject(rt)
	ep.Classes = o
	for name, dst := range map[string]*goja.Callable{"stub": &ep.stub, "service": &ep.service,
		"durableObject": &ep.durableObject, "classify": &ep.classify, "settle": &ep.settle} {
		*dst, _ = goja.AssertFunction(o.Get(name))
	}
	ep.targetProto = o.Get("RpcTarget").ToObject(rt).Get("prototype").ToObject(rt)
	ep.objectProto = rt.Get("Object").ToObject(rt).Get("prototype").ToObject(rt)
	ep.dispose = rt.Get("Symbol").ToObject(rt).Get("dispose")
	ep.http = newHTTPCodec(rt)
	jsruntime.SetCloneHosts(rt, cloneGuard{ep})
	return ep, nil
}

// Isolate is the isolate the endpoint lives in.
func (ep *Endpoint) Isolate() *jsruntime.Isolate { return ep.iso }

// stubRef is the Go side of an RpcStub, a service binding or a Durable
// Object stub: the target it calls and whether it was disposed.
type stubRef struct {
	target   Target
	disposed atomic.Bool
	owned    bool // dispose releases the target (RpcStub)
}

func (s *stubRef) drop() {
	if s.disposed.CompareAndSwap(false, true) && s.owned {
		s.target.Release()
	}
}

// newStubRef makes the handle of a stub that owns one reference to t, with
// a cleanup that releases it if the stub is garbage-collected undisposed
// (workerd drops such stubs with their request).
func newStubRef(t Target) *stubRef {
	s := &stubRef{target: t, owned: true}
	runtime.AddCleanup(s, func(t Target) { t.Release() }, t)
	return s
}

// Stub makes an RpcStub for t in this isolate; the stub owns one reference
// to t (which the caller has retained for it). Call it on the loop.
func (ep *Endpoint) Stub(t Target) goja.Value {
	return ep.stubValue(newStubRef(t), nil)
}

func (ep *Endpoint) stubValue(s *stubRef, group *group) goja.Value {
	v, err := ep.stub(goja.Undefined(), ep.rt.ToValue(s))
	if err != nil {
		panic(err)
	}
	if group != nil {
		group.add(s)
	}
	return v
}

// Service makes a service binding (a ServiceStub) calling t. Call it on
// the loop.
func (ep *Endpoint) Service(t Target) goja.Value {
	v, err := ep.service(goja.Undefined(), ep.rt.ToValue(&stubRef{target: t}))
	if err != nil {
		panic(err)
	}
	return v
}

// DurableObjectStub makes a Durable Object stub calling t, with its id and
// name, whose fetch is fetch. Call it on the loop.
func (ep *Endpoint) DurableObjectStub(t Target, id, name, fetch goja.Value) goja.Value {
	v, err := ep.durableObject(goja.Undefined(), ep.rt.ToValue(&stubRef{target: t}), id, name, fetch)
	if err != nil {
		panic(err)
	}
	return v
}

// group is the stubs that arrived in one message: parameters are disposed
// when the call returns, a result's by its Symbol.dispose.
type group struct {
	mu    sync.Mutex
	stubs []*stubRef
}

func (g *group) add(s *stubRef) {
	g.mu.Lock()
	g.stubs = append(g.stubs, s)
	g.mu.Unlock()
}

func (g *group) disposeAll() {
	if g == nil {
		return
	}
	g.mu.Lock()
	s := g.stubs
	g.stubs = nil
	g.mu.Unlock()
	for _, st := range s {
		st.drop()
	}
}

// natives are the Go functions rpc.js calls.
func (ep *Endpoint) natives() *goja.Object {
	rt := ep.rt
	o := rt.NewObject()
	set := func(name string, fn func(c goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) }
	set("call", ep.nativeCall)
	set("fetch", ep.nativeFetch)
	set("wrap", func(c goja.FunctionCall) goja.Value {
		obj, _ := c.Argument(0).(*goja.Object)
		allow, ok := ep.stubType(obj)
		if !ok {
			jsruntime.Throw(rt, jsruntime.TypeError, "RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.")
		}
		return rt.ToValue(newStubRef(ep.newLocal(obj, allow, true)))
	})
	set("dup", func(c goja.FunctionCall) goja.Value {
		s := ep.ref(c.Argument(0))
		if s.disposed.Load() {
			return rt.ToValue(newStubRef(broken{errDisposedStub}))
		}
		s.target.Retain()
		return rt.ToValue(newStubRef(s.target))
	})
	set("dispose", func(c goja.FunctionCall) goja.Value {
		ep.ref(c.Argument(0)).drop()
		return goja.Undefined()
	})
	set("disposePromise", func(c goja.FunctionCall) goja.Value {
		if p, ok := c.Argument(0).Export().(*pending); ok {
			p.dispose()
		}
		return goja.Undefined()
	})
	return o
}

func (ep *Endpoint) ref(v goja.Value) *stubRef {
	s, ok := v.Export().(*stubRef)
	if !ok {
		jsruntime.Throw(ep.rt, jsruntime.TypeError, "Illegal invocation")
	}
	return s
}

// stubType is workerd's checkStubType: what `new RpcStub(v)` (and a Proxy
// over RPC) may wrap, and whether the stub exposes the object's own
// properties (plain objects and functions) or only its class's (RpcTarget).
func (ep *Endpoint) stubType(o *goja.Object) (allowInstance, ok bool) {
	if o == nil {
		return false, false
	}
	if o.Prototype() == ep.objectProto {
		return true, true
	}
	if ep.isTarget(o) {
		return false, true
	}
	if _, fn := goja.AssertFunction(o); fn && ep.kind(o) != "property" && ep.kind(o) != "promise" {
		return true, true
	}
	return false, false
}

// isTarget reports whether RpcTarget.prototype is on o's prototype chain.
func (ep *Endpoint) isTarget(o *goja.Object) bool {
	for p, n := o.Prototype(), 0; p != nil && n < 256; p, n = p.Prototype(), n+1 {
		if p == ep.targetProto {
			return true
		}
	}
	return false
}

// kind is "stub", "service", "promise" or "property" for the RPC objects of
// rpc.js, else "".
func (ep *Endpoint) kind(o *goja.Object) string {
	k, _ := ep.classifyObj(o)
	return k
}

func (ep *Endpoint) classifyObj(o *goja.Object) (string, goja.Value) {
	v, err := ep.classify(goja.Undefined(), o)
	if err != nil || goja.IsUndefined(v) {
		return "", nil
	}
	arr := v.ToObject(ep.rt)
	return arr.Get("0").String(), arr.Get("1")
}
