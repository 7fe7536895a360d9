package webapi

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// notYet are Workers globals emu does not have yet. Each is defined, so a
// script gets "Error: <name> is not implemented in emu yet" from using it
// rather than a ReferenceError or "undefined is not a function".
var notYet = []string{"URLPattern", "HTMLRewriter", "EventSource", "WebSocketStream"}

// installNotYet defines the notYet globals and the caches object (whose
// every use throws), on the loop goroutine. Install calls it last.
func installNotYet(rt *goja.Runtime) {
	for _, name := range notYet {
		if v := rt.Get(name); v != nil && !goja.IsUndefined(v) {
			continue
		}
		name := name
		defineGlobal(rt, name, rt.ToValue(func(goja.ConstructorCall) *goja.Object {
			panic(jsruntime.NewError(rt, jsruntime.Error, "%s is not implemented in emu yet", name))
		}))
	}
	caches := rt.NewObject()
	open := func(goja.FunctionCall) goja.Value {
		panic(jsruntime.NewError(rt, jsruntime.Error, "caches is not implemented in emu yet"))
	}
	mustSet(caches.DefineAccessorProperty("default", rt.ToValue(open), nil, goja.FLAG_FALSE, goja.FLAG_TRUE))
	mustSet(caches.Set("open", open))
	defineGlobal(rt, "caches", caches)
}

// defineGlobal defines a global as Web IDL does: writable, configurable,
// not enumerable.
func defineGlobal(rt *goja.Runtime, name string, v goja.Value) {
	mustSet(rt.GlobalObject().DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
}

// mustSet panics on an error that can only come from a bug in emu (defining
// a property on an object emu made).
func mustSet(err error) {
	if err != nil {
		panic(err)
	}
}
