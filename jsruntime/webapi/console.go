package webapi

import "github.com/dop251/goja"

// consoleNatives are what console.js and inspect.js need from Go:
//
//	console(level, line)   writes a formatted line to Options.Console
//	promiseState(p)        [state, result] of a promise: "pending" (result
//	                       undefined), "fulfilled" or "rejected"; a value that
//	                       is not a promise is pending
var consoleNatives = []native{
	{"console", func(e *env, call goja.FunctionCall) goja.Value {
		e.console(call.Argument(0).String(), call.Argument(1).String())
		return goja.Undefined()
	}},
	{"promiseState", func(e *env, call goja.FunctionCall) goja.Value {
		p, ok := call.Argument(0).Export().(*goja.Promise)
		if !ok {
			return e.rt.NewArray("pending", goja.Undefined())
		}
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return e.rt.NewArray("fulfilled", p.Result())
		case goja.PromiseStateRejected:
			return e.rt.NewArray("rejected", p.Result())
		}
		return e.rt.NewArray("pending", goja.Undefined())
	}},
}

// Inspect renders v as console.log prints a value nested in an object
// (strings quoted: 'a'), down to depth levels, for diagnostic views. Call
// it on the loop of a runtime the web APIs are installed on.
func Inspect(rt *goja.Runtime, v goja.Value, depth int) (string, error) {
	fn, err := entry(rt, "__inspect")
	if err != nil {
		return "", err
	}
	opts := rt.NewObject()
	if err := opts.Set("depth", depth); err != nil {
		return "", err
	}
	s, err := fn(goja.Undefined(), v, opts)
	if err != nil {
		return "", err
	}
	return s.String(), nil
}
