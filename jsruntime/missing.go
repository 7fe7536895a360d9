package jsruntime

import "github.com/dop251/goja"

// notYet are Workers globals emu does not have yet. Each is defined, so a
// script gets "Error: <name> is not implemented in emu yet" from using it
// rather than a ReferenceError or "undefined is not a function".
var notYet = []string{"URLPattern", "HTMLRewriter", "EventSource", "WebSocketStream", "CompressionStream", "DecompressionStream"}

// installMissing defines notYet and the caches object (loop goroutine).
func installMissing(rt *goja.Runtime) {
	for _, name := range notYet {
		if v := rt.Get(name); v != nil && !goja.IsUndefined(v) {
			continue
		}
		name := name
		must(rt.Set(name, func(goja.ConstructorCall) *goja.Object {
			panic(NewError(rt, Error, "%s is not implemented in emu yet", name))
		}))
	}
	caches := rt.NewObject()
	open := func(goja.FunctionCall) goja.Value {
		panic(NewError(rt, Error, "caches is not implemented in emu yet"))
	}
	must(caches.DefineAccessorProperty("default", rt.ToValue(open), nil, goja.FLAG_FALSE, goja.FLAG_TRUE))
	must(caches.Set("open", open))
	must(rt.Set("caches", caches))
	// scheduler.wait(ms) is setTimeout as a promise.
	sched, err := rt.RunString(`({ wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) })`)
	if err == nil {
		must(rt.Set("scheduler", sched))
	}
}
