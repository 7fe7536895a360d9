package node

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// A native is a Go function the modules' JS calls as host.<name>, on the
// isolate's loop.
type native struct {
	name string
	fn   func(e *env, call goja.FunctionCall) goja.Value
}

// env is what natives know of the runtime they were installed on.
type env struct {
	iso  *jsruntime.Isolate
	rt   *goja.Runtime
	opts Options
}

// nativeTables are the natives of every module, by file.
var nativeTables = [][]native{bufferNatives, cryptoNatives, asyncNatives, typesNatives, inspectNatives}

// inspectNatives give the modules package webapi's util.inspect and
// util.formatWithOptions (made on first use: they are a lazy tier there).
//
//	inspectFunctions()   [inspect, formatWithOptions]
var inspectNatives = []native{
	{"inspectFunctions", func(e *env, call goja.FunctionCall) goja.Value {
		inspect, format, err := webapi.InspectFunctions(e.rt)
		if err != nil {
			panic(e.rt.NewGoError(err))
		}
		return e.rt.NewArray(inspect, format)
	}},
}

// newHost builds the host object: the natives bound to rt, and the options
// the JS side reads (mode, env, populateEnv).
func newHost(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) *goja.Object {
	e := &env{iso: iso, rt: rt, opts: opts}
	h := rt.NewObject()
	for _, table := range nativeTables {
		for _, n := range table {
			fn := n.fn
			_ = h.Set(n.name, func(call goja.FunctionCall) goja.Value { return fn(e, call) })
		}
	}
	_ = h.Set("mode", opts.Mode.String())
	env := goja.Value(goja.Undefined())
	if opts.Env != nil {
		env = opts.Env
	}
	_ = h.Set("env", env)
	_ = h.Set("populateEnv", opts.PopulateEnv)
	return h
}

// bytesArg returns the bytes of argument i (an ArrayBuffer or a typed array
// or DataView, sharing memory), or throws a TypeError.
func (e *env) bytesArg(call goja.FunctionCall, i int) []byte {
	b, ok := jsruntime.BufferSource(call.Argument(i))
	if !ok {
		jsruntime.Throw(e.rt, jsruntime.TypeError, "expected an ArrayBuffer or a typed array")
	}
	return b
}

// intArg returns argument i as an int clamped to [0, max], or def when it
// is undefined.
func intArg(call goja.FunctionCall, i, def, max int) int {
	v := call.Argument(i)
	if goja.IsUndefined(v) {
		return def
	}
	n := v.ToInteger()
	switch {
	case n < 0:
		return 0
	case n > int64(max):
		return max
	}
	return int(n)
}
