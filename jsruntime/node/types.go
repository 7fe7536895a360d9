package node

import (
	"reflect"

	"github.com/dop251/goja"
)

// typesNatives answer what JS cannot ask goja (types.js):
//
//	isPromise(v)   whether v is a promise
//	isProxy(v)     whether v is a Proxy
var typesNatives = []native{
	{"isPromise", func(e *env, call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		return e.rt.ToValue(ok && o.ExportType() == typePromise)
	}},
	{"isProxy", func(e *env, call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		return e.rt.ToValue(ok && o.ExportType() == typeProxy)
	}},
}

var (
	typePromise = reflect.TypeOf((*goja.Promise)(nil))
	typeProxy   = reflect.TypeOf(goja.Proxy{})
)
