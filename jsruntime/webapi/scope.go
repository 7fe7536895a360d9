package webapi

import (
	"slices"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// globalsNatives back scope.js (the global scope as an event target,
// reportError, Cloudflare):
//
//	logUncaught(v)           logs v as an uncaught exception ("Uncaught ...")
//	compatibilityFlags()     a sealed, null-prototype object of the flags in effect
var globalsNatives = []native{
	{"logUncaught", func(e *env, call goja.FunctionCall) goja.Value {
		e.iso.ReportError(&jsruntime.JSError{Value: call.Argument(0)})
		return goja.Undefined()
	}},
	{"compatibilityFlags", func(e *env, call goja.FunctionCall) goja.Value {
		o := e.rt.NewObject()
		o.SetPrototype(nil)
		names := make([]string, 0, len(e.flags))
		for k := range e.flags {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			mustSet(o.DefineDataProperty(k, e.rt.ToValue(e.flags[k]), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE))
		}
		return o
	}},
}

// installHooks turns the isolate's reports of unhandled rejections and of
// exceptions in microtasks into events on the global scope (scope.js's
// entry points __dispatchRejection and __dispatchError).
func installHooks(iso *jsruntime.Isolate, rt *goja.Runtime) error {
	rej, err := entry(rt, "__dispatchRejection")
	if err != nil {
		return err
	}
	errEv, err := entry(rt, "__dispatchError")
	if err != nil {
		return err
	}
	iso.SetHooks(jsruntime.Hooks{
		Rejection: func(p *goja.Promise, handled bool) bool {
			v, err := rej(goja.Undefined(), rt.ToValue(p), p.Result(), rt.ToValue(handled))
			if err != nil {
				iso.ReportError(err)
				return false
			}
			return v.ToBoolean()
		},
		Error: func(ev goja.Value) bool {
			v, err := errEv(goja.Undefined(), ev)
			if err != nil {
				iso.ReportError(err)
				return false
			}
			return v.ToBoolean()
		},
	})
	return nil
}
