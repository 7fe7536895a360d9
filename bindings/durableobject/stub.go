package durableobject

import (
	_ "embed"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// nsHandle is what the JS namespace binding holds: a namespace in a version.
type nsHandle struct {
	ns *Namespace
	v  *Version
}

// native is a Go function durableobject.js calls with a namespace handle
// (*nsHandle) as its first argument.
type native struct {
	name string
	fn   func(nh *nsHandle, c goja.FunctionCall) goja.Value
}

// natives are the Go side of namespaces and stubs.
var natives = []native{
	{"idFromName", (*nsHandle).idFromName},
	{"newUniqueId", (*nsHandle).newUniqueID},
	{"idFromString", (*nsHandle).idFromString},
	{"fetch", (*nsHandle).fetch},
	{"stub", (*nsHandle).stub},
}

// nativesObject builds the object durableobject.js receives.
func nativesObject(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	for _, n := range natives {
		n := n
		_ = o.Set(n.name, func(c goja.FunctionCall) goja.Value {
			nh, _ := c.Argument(0).Export().(*nsHandle)
			if nh == nil {
				jsruntime.Throw(rt, jsruntime.TypeError, "Illegal invocation")
			}
			return n.fn(nh, c)
		})
	}
	return o
}

// idFromName(ns, name) is namespace.idFromName.
func (nh *nsHandle) idFromName(c goja.FunctionCall) goja.Value {
	return nh.v.rt.ToValue(nh.ns.IDFromName(c.Argument(1).String()))
}

// newUniqueID(ns) is namespace.newUniqueId.
func (nh *nsHandle) newUniqueID(goja.FunctionCall) goja.Value {
	return nh.v.rt.ToValue(nh.ns.NewUniqueID())
}

// idFromString(ns, s) is namespace.idFromString: workerd's TypeErrors for a
// malformed id or one of another namespace.
func (nh *nsHandle) idFromString(c goja.FunctionCall) goja.Value {
	id, err := nh.ns.ParseID(c.Argument(1).String())
	if err != nil {
		panic(err.Value(nh.v.rt))
	}
	return nh.v.rt.ToValue(id)
}

// object is the Object a stub call (ns, id, name, ...) addresses.
func (nh *nsHandle) object(c goja.FunctionCall) *Object {
	name := ""
	if n := c.Argument(2); !goja.IsUndefined(n) {
		name = n.String()
	}
	return nh.ns.object(c.Argument(1).String(), name)
}

// fetch(ns, id, name, request) is stub.fetch: the object's fetch handler
// runs as an event, and its Response is the caller's.
func (nh *nsHandle) fetch(c goja.FunctionCall) goja.Value {
	req := c.Argument(3)
	if cur := nh.ns.sys.Current(); cur == nil || cur.Iso != nh.v.Iso {
		// Another Worker's object (script_name): the request and the
		// response cross by value.
		name := ""
		if n := c.Argument(2); !goja.IsUndefined(n) {
			name = n.String()
		}
		return nh.v.RPC.Fetch(&target{ns: nh.ns, id: c.Argument(1).String(), name: name}, req)
	}
	return nh.object(c).call(nh.v, "fetch", func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
		fetch, ok := goja.AssertFunction(inst.obj.Get("fetch"))
		if !ok {
			return nil, jsruntime.Errorf(jsruntime.TypeError, "Handler does not export a fetch() function.")
		}
		return fetch(inst.obj, req)
	}, nh.v.handOff)
}

// stub(ns, id, name, idObject, fetch) makes the stub namespace.get returns:
// RPC calls go to the object through the rpc layer, fetch is fetch.
func (nh *nsHandle) stub(c goja.FunctionCall) goja.Value {
	name := ""
	if n := c.Argument(2); !goja.IsUndefined(n) {
		name = n.String()
	}
	t := &target{ns: nh.ns, id: c.Argument(1).String(), name: name}
	return nh.v.RPC.DurableObjectStub(t, c.Argument(3), c.Argument(2), c.Argument(4))
}

// msgNoRPC is workerd's error for RPC to a class that does not extend
// DurableObject.
const msgNoRPC = "The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module \"cloudflare:workers\"."

// handOff marks the WebSocket of a Response that an object's fetch returned
// as on its way to a client, in the same task as the event ends, so an
// eviction before the caller sends the 101 keeps the socket.
func (v *Version) handOff(rt *goja.Runtime, val goja.Value) (goja.Value, error) {
	res, ok := val.(*goja.Object)
	if !ok {
		return val, nil
	}
	if cls := jsruntime.Class(rt, "Response"); cls == nil || !instanceOf(rt, res, cls) {
		return val, nil
	}
	if ws := res.Get("webSocket"); ws != nil && !goja.IsNull(ws) && !goja.IsUndefined(ws) {
		v.WS.HandOff(ws)
	}
	return val, nil
}

func instanceOf(rt *goja.Runtime, o, ctor *goja.Object) bool {
	proto := ctor.Get("prototype")
	if proto == nil {
		return false
	}
	p := proto.ToObject(rt)
	for cur := o.Prototype(); cur != nil; cur = cur.Prototype() {
		if cur == p {
			return true
		}
	}
	return false
}

// call runs an event on the object for a caller in v and returns a promise
// for its (optionally transformed) settled result. Call it on v's loop.
func (o *Object) call(v *Version, what string, fn func(rt *goja.Runtime, inst *instance) (goja.Value, error), transform ...func(*goja.Runtime, goja.Value) (goja.Value, error)) goja.Value {
	rt := v.rt
	p, resolve, reject := rt.NewPromise()
	enqueue := v.Iso.Reserve()
	o.post(v, func(rt *goja.Runtime) {
		o.event(v, what, fn, func(val goja.Value, err error) {
			if err == nil && len(transform) > 0 {
				val, err = transform[0](rt, val)
			}
			enqueue(func(rt *goja.Runtime) {
				if err != nil {
					_ = reject(jsruntime.ErrorValue(rt, err))
					return
				}
				_ = resolve(val)
			})
		})
	})
	return rt.ToValue(p)
}
