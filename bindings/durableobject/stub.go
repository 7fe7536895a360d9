package durableobject

import (
	_ "embed"
	"slices"

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
	{"rpc", (*nsHandle).rpc},
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
	return nh.object(c).call(nh.v, "fetch", func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
		fetch, ok := goja.AssertFunction(inst.obj.Get("fetch"))
		if !ok {
			return nil, jsruntime.Errorf(jsruntime.TypeError, "Handler does not export a fetch() function.")
		}
		return fetch(inst.obj, req)
	}, nh.v.handOff)
}

// rpc(ns, id, name, method, args) is stub.method(...args): the arguments
// and the result are structured-cloned across, as between isolates.
func (nh *nsHandle) rpc(c goja.FunctionCall) goja.Value {
	rt := nh.v.rt
	method := c.Argument(3).String()
	args, err := jsruntime.Serialize(rt, c.Argument(4))
	if err != nil {
		panic(err)
	}
	return nh.object(c).call(nh.v, method, func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
		fn, err := rpcMethod(rt, nh.v, inst.obj, method)
		if err != nil {
			return nil, err
		}
		argv, err := jsruntime.Deserialize(rt, args)
		if err != nil {
			return nil, err
		}
		var list []goja.Value
		_ = rt.ExportTo(argv, &list)
		return fn(inst.obj, list...)
	}, cloneResult)
}

// rpcMethod finds the method an RPC call may run, or workerd's TypeError.
func rpcMethod(rt *goja.Runtime, v *Version, obj *goja.Object, method string) (goja.Callable, error) {
	if base := v.DurableObjectBase; base != nil && !instanceOf(rt, obj, base) {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "%s", msgNoRPC)
	}
	if reservedRPC[method] {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "'%s' is a reserved method and cannot be called over RPC.", method)
	}
	mv := rpcMember(rt, obj, method)
	if mv == nil {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "The RPC receiver does not implement the method \"%s\".", method)
	}
	fn, ok := goja.AssertFunction(mv)
	if !ok {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "\"%s\" is not a function.", method)
	}
	return fn, nil
}

// msgNoRPC is workerd's error for RPC to a class that does not extend
// DurableObject.
const msgNoRPC = "The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module \"cloudflare:workers\"."

// reservedRPC are the handler names RPC may not call (workerd's list).
var reservedRPC = map[string]bool{
	"fetch": true, "connect": true, "alarm": true, "webSocketMessage": true,
	"webSocketClose": true, "webSocketError": true, "dup": true, "constructor": true,
}

// rpcMember finds a method RPC may call: a member of the instance's
// prototype chain below Object.prototype (own instance properties are not
// exposed, as in workerd). It returns nil if there is none.
func rpcMember(rt *goja.Runtime, o *goja.Object, name string) goja.Value {
	objProto := rt.Get("Object").ToObject(rt).Get("prototype").ToObject(rt)
	for p := o.Prototype(); p != nil && p != objProto; p = p.Prototype() {
		if slices.Contains(p.GetOwnPropertyNames(), name) {
			return p.Get(name)
		}
	}
	return nil
}

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

// cloneResult structured-clones an RPC result, as it crosses to the caller.
func cloneResult(rt *goja.Runtime, v goja.Value) (goja.Value, error) {
	if v == nil || goja.IsUndefined(v) {
		return goja.Undefined(), nil
	}
	b, err := jsruntime.Serialize(rt, v)
	if err != nil {
		return nil, err
	}
	return jsruntime.Deserialize(rt, b)
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
