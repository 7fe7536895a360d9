package webapi

import (
	"errors"
	"reflect"

	"github.com/dop251/goja"
)

// consoleNatives are what console.js and inspect.js need from Go:
//
//	console(level, line)   writes a formatted line to Options.Console
//	promiseState(p)        [state, result] of a promise: "pending" (result
//	                       undefined), "fulfilled" or "rejected"; "none" for a
//	                       value that is not a promise
//	proxyTarget(v)         the target of a Proxy (null if revoked), else
//	                       undefined
var consoleNatives = []native{
	{"console", func(e *env, call goja.FunctionCall) goja.Value {
		e.console(call.Argument(0).String(), call.Argument(1).String())
		return goja.Undefined()
	}},
	{"promiseState", func(e *env, call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		if !ok || o.ExportType() != typePromise {
			return e.rt.NewArray("none", goja.Undefined())
		}
		p := o.Export().(*goja.Promise)
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return e.rt.NewArray("fulfilled", p.Result())
		case goja.PromiseStateRejected:
			return e.rt.NewArray("rejected", p.Result())
		}
		return e.rt.NewArray("pending", goja.Undefined())
	}},
	{"proxyTarget", func(e *env, call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		if !ok || o.ExportType() != typeProxy {
			return goja.Undefined()
		}
		if t := o.Export().(goja.Proxy).Target(); t != nil {
			return t
		}
		return goja.Null()
	}},
}

var (
	typePromise = reflect.TypeOf((*goja.Promise)(nil))
	typeProxy   = reflect.TypeOf(goja.Proxy{})
)

// InspectFunctions returns rt's util.inspect and util.formatWithOptions
// (inspect.js), for node:util. Call it on the loop, after Install.
func InspectFunctions(rt *goja.Runtime) (inspect, formatWithOptions *goja.Object, err error) {
	reg := registry(rt)
	if reg == nil {
		return nil, nil, errors.New("web APIs are not installed on this runtime")
	}
	i, ok1 := reg.Get("__inspect").(*goja.Object)
	f, ok2 := reg.Get("__formatWithOptions").(*goja.Object)
	if !ok1 || !ok2 {
		return nil, nil, errors.New("web API entry point __inspect is missing")
	}
	return i, f, nil
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
