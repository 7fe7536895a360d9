package webapi

import (
	"github.com/dop251/goja"
)

// streamsNatives are the buffer operations the streams need and goja's JS
// lacks (ArrayBuffer transfer and detach), and the compatibility flags the
// streams read:
//
//	transferBuffer(ab)  a new ArrayBuffer with ab's bytes; ab is detached
//	aliasBuffer(ab)     a new ArrayBuffer sharing ab's bytes (a BYOB request's view)
//	detachBuffer(ab)    detaches ab
//	isDetached(ab)      whether ab is detached
//	compatFlag(name)    whether the compatibility flag name is on (see Options)
var streamsNatives = []native{
	{"transferBuffer", func(e *env, call goja.FunctionCall) goja.Value {
		ab := e.arrayBufferArg(call, 0)
		if ab.Detached() {
			panic(e.rt.NewTypeError("The provided ArrayBuffer must be detachable."))
		}
		b := ab.Bytes()
		ab.Detach()
		return e.rt.ToValue(e.rt.NewArrayBuffer(b))
	}},
	{"aliasBuffer", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(e.rt.NewArrayBuffer(e.arrayBufferArg(call, 0).Bytes()))
	}},
	{"detachBuffer", func(e *env, call goja.FunctionCall) goja.Value {
		e.arrayBufferArg(call, 0).Detach()
		return goja.Undefined()
	}},
	{"isDetached", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(e.arrayBufferArg(call, 0).Detached())
	}},
	{"compatFlag", func(e *env, call goja.FunctionCall) goja.Value {
		switch call.Argument(0).String() {
		case "fixupTransformStreamBackpressure":
			return e.rt.ToValue(e.opts.FixupTransformStreamBackpressure)
		}
		return e.rt.ToValue(false)
	}},
}

// arrayBufferArg returns argument i, which must be an ArrayBuffer.
func (e *env) arrayBufferArg(call goja.FunctionCall, i int) goja.ArrayBuffer {
	ab, ok := call.Argument(i).Export().(goja.ArrayBuffer)
	if !ok {
		panic(e.rt.NewTypeError("expected an ArrayBuffer"))
	}
	return ab
}
