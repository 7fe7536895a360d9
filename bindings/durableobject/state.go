package durableobject

import (
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/jsruntime"
)

// state is the Go side of one instance's `ctx` (DurableObjectState). Its
// methods live on one prototype per version (newStateProto) and find the
// state through the ctx object they are called on, as workerd's methods do
// (a method called without its ctx throws "Illegal invocation").
type state struct {
	o       *Object
	v       *Version
	inst    *instance
	id      goja.Value   // ctx.id, a DurableObjectId
	storage *goja.Object // ctx.storage, made on first access
}

// stateKey holds a ctx object's *state.
var stateKey = goja.NewSymbol("emu.state")

// stateMethod is a method of ctx: the JS name and the Go function.
type stateMethod struct {
	name string
	fn   func(st *state, c goja.FunctionCall) goja.Value
}

// stateMethods are ctx's methods: the core ones here, the Hibernation API's
// in hibernation.go.
var stateMethods = append([]stateMethod{
	{"waitUntil", (*state).waitUntil},
	{"blockConcurrencyWhile", (*state).blockConcurrencyWhile},
	{"abort", (*state).abort},
}, hibernationMethods...)

// newStateProto builds the prototype every ctx of v shares (on v's loop).
func (v *Version) newStateProto() *goja.Object {
	rt := v.rt
	proto := rt.NewObject()
	for _, m := range stateMethods {
		m := m
		fn := func(c goja.FunctionCall) goja.Value { return m.fn(v.stateOf(c.This), c) }
		_ = proto.DefineDataProperty(m.name, rt.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	getter := func(name string, get func(st *state) goja.Value) {
		fn := func(c goja.FunctionCall) goja.Value { return get(v.stateOf(c.This)) }
		_ = proto.DefineAccessorProperty(name, rt.ToValue(fn), nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	getter("id", func(st *state) goja.Value { return st.id })
	getter("storage", (*state).storageObject)
	if v.CtxExports != nil {
		getter("exports", func(*state) goja.Value { return v.CtxExports })
	}
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("DurableObjectState"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return proto
}

// stateOf returns the state of a ctx object, or throws workerd's TypeError
// for a method called on anything else.
func (v *Version) stateOf(this goja.Value) *state {
	if o, ok := this.(*goja.Object); ok {
		if st, ok := o.GetSymbol(stateKey).Export().(*state); ok {
			return st
		}
	}
	jsruntime.Throw(v.rt, jsruntime.TypeError, "Illegal invocation")
	return nil
}

// newState builds the `ctx` an instance is constructed with (on v's loop).
func (o *Object) newState(v *Version, inst *instance) *goja.Object {
	rt := v.rt
	var name goja.Value = goja.Undefined()
	if o.name != "" {
		name = rt.ToValue(o.name)
	}
	id, _ := v.js.id(goja.Undefined(), rt.ToValue(o.id), name, rt.ToValue(&nsHandle{o.ns, v}))
	st := &state{o: o, v: v, inst: inst, id: id}
	ctx := rt.CreateObject(v.ctxProto)
	_ = ctx.DefineDataPropertySymbol(stateKey, rt.ToValue(st), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return ctx
}

// storageObject is ctx.storage: the object's storage, opened on first use.
func (st *state) storageObject() goja.Value {
	if st.storage == nil {
		s, err := st.o.openStore(st.v)
		if err != nil {
			jsruntime.Throw(st.v.rt, jsruntime.Error, "%s", err.Error())
		}
		st.storage = s.Object(st.v.rt, st.storageHooks())
	}
	return st.storage
}

func (st *state) storageHooks() storage.Hooks {
	o, v, inst := st.o, st.v, st.inst
	return storage.Hooks{
		AlarmChanged: func(time.Time, bool) { o.alarmChanged(v) },
		HasAlarmHandler: func() bool {
			if inst.obj == nil {
				return true
			}
			_, ok := goja.AssertFunction(inst.obj.Get("alarm"))
			return ok
		},
		InConstructor: func() bool { return inst.constructing },
	}
}

// waitUntil keeps the object in memory until the promise settles.
func (st *state) waitUntil(c goja.FunctionCall) goja.Value {
	st.inst.inflight++
	st.inst.waitUntil++
	jsruntime.Settle(st.v.rt, c.Argument(0), func(goja.Value, error) {
		st.inst.inflight--
		st.inst.waitUntil--
		st.o.touch(st.v, "")
	})
	return goja.Undefined()
}

// blockConcurrencyWhile runs the callback with the input gate closed: events
// that arrive meanwhile wait until its promise settles.
func (st *state) blockConcurrencyWhile(c goja.FunctionCall) goja.Value {
	rt, inst := st.v.rt, st.inst
	fn, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		jsruntime.Throw(rt, jsruntime.TypeError, "Failed to execute 'blockConcurrencyWhile' on 'DurableObjectState': parameter 1 is not of type 'Function'.")
	}
	p, resolve, reject := rt.NewPromise()
	inst.blocked++
	finish := func(val goja.Value, err error) {
		inst.blocked--
		if err != nil {
			_ = reject(jsruntime.ErrorValue(rt, err))
		} else {
			_ = resolve(val)
		}
		if inst.blocked == 0 {
			waiting := inst.waiting
			inst.waiting = nil
			for _, w := range waiting {
				w()
			}
		}
		st.o.touch(st.v, "")
	}
	if res, err := fn(goja.Undefined()); err != nil {
		finish(nil, err)
	} else {
		jsruntime.Settle(rt, res, finish)
	}
	return rt.ToValue(p)
}

// msgAbort is workerd's message for ctx.abort() without a reason.
const msgAbort = "Application called abort() to reset Durable Object."

// abort resets the object: the instance is dropped and the caller throws.
func (st *state) abort(c goja.FunctionCall) goja.Value {
	msg := msgAbort
	if r := c.Argument(0); !goja.IsUndefined(r) {
		msg = r.String()
	}
	o := st.o
	o.mu.Lock()
	if o.inst == st.inst {
		o.inst = nil
		o.evicted = true
	}
	o.mu.Unlock()
	jsruntime.Throw(st.v.rt, jsruntime.Error, "%s", msg)
	return nil
}
