package node

import "github.com/dop251/goja"

// asyncNatives give async_hooks.js the isolate's async context (see
// jsruntime.Isolate.AsyncContext): the frame AsyncLocalStorage reads its
// stores from, carried across awaits, promise reactions and timers.
//
//	asyncContext()         the current frame (undefined when empty)
//	setAsyncContext(f)     makes f current; returns the previous frame
var asyncNatives = []native{
	{"asyncContext", func(e *env, call goja.FunctionCall) goja.Value {
		if v := e.iso.AsyncContext(); v != nil {
			return v
		}
		return goja.Undefined()
	}},
	{"setAsyncContext", func(e *env, call goja.FunctionCall) goja.Value {
		v := call.Argument(0)
		if goja.IsUndefined(v) {
			v = nil
		}
		if prev := e.iso.SetAsyncContext(v); prev != nil {
			return prev
		}
		return goja.Undefined()
	}},
}
