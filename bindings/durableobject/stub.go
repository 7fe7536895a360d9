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

func (s *System) natives(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	h := func(v goja.Value) *nsHandle {
		nh, _ := v.Export().(*nsHandle)
		if nh == nil {
			jsruntime.Throw(rt, jsruntime.TypeError, "Illegal invocation")
		}
		return nh
	}
	_ = o.Set("idFromName", func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(h(c.Argument(0)).ns.IDFromName(c.Argument(1).String()))
	})
	_ = o.Set("newUniqueId", func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(h(c.Argument(0)).ns.NewUniqueID())
	})
	_ = o.Set("idFromString", func(c goja.FunctionCall) goja.Value {
		id, err := h(c.Argument(0)).ns.ParseID(c.Argument(1).String())
		if err != nil {
			panic(err.Value(rt))
		}
		return rt.ToValue(id)
	})
	_ = o.Set("fetch", func(c goja.FunctionCall) goja.Value {
		nh := h(c.Argument(0))
		name := ""
		if n := c.Argument(2); !goja.IsUndefined(n) {
			name = n.String()
		}
		obj := nh.ns.object(c.Argument(1).String(), name)
		req := c.Argument(3)
		return obj.call(nh.v, "fetch", func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
			fetch, ok := goja.AssertFunction(inst.obj.Get("fetch"))
			if !ok {
				return nil, jsruntime.Errorf(jsruntime.TypeError, "Handler does not export a fetch() function.")
			}
			return fetch(inst.obj, req)
		}, nh.v.handOff)
	})
	_ = o.Set("rpc", func(c goja.FunctionCall) goja.Value {
		nh := h(c.Argument(0))
		name := ""
		if n := c.Argument(2); !goja.IsUndefined(n) {
			name = n.String()
		}
		obj := nh.ns.object(c.Argument(1).String(), name)
		method := c.Argument(3).String()
		args, err := jsruntime.Serialize(rt, c.Argument(4))
		if err != nil {
			panic(err)
		}
		return obj.call(nh.v, method, func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
			if base := nh.v.DurableObjectBase; base != nil && !instanceOf(rt, inst.obj, base) {
				return nil, jsruntime.Errorf(jsruntime.TypeError, "%s", msgNoRPC)
			}
			if reservedRPC[method] {
				return nil, jsruntime.Errorf(jsruntime.TypeError, "'%s' is a reserved method and cannot be called over RPC.", method)
			}
			mv := rpcMember(rt, inst.obj, method)
			if mv == nil {
				return nil, jsruntime.Errorf(jsruntime.TypeError, "The RPC receiver does not implement the method \"%s\".", method)
			}
			fn, ok := goja.AssertFunction(mv)
			if !ok {
				return nil, jsruntime.Errorf(jsruntime.TypeError, "\"%s\" is not a function.", method)
			}
			argv, err := jsruntime.Deserialize(rt, args)
			if err != nil {
				return nil, err
			}
			var list []goja.Value
			_ = rt.ExportTo(argv, &list)
			res, err := fn(inst.obj, list...)
			if err != nil {
				return nil, err
			}
			return res, nil
		}, cloneResult)
	})
	return o
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
