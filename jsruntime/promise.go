package jsruntime

import (
	"errors"

	"github.com/dop251/goja"
)

// JSError is a rejected promise's reason or a thrown value as a Go error.
type JSError struct{ Value goja.Value }

func (e *JSError) Error() string { return FormatValue(e.Value) }

// Thrown returns the JS value err carries (a thrown exception or a
// rejection reason), or nil for other errors.
func Thrown(err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	var je *JSError
	if errors.As(err, &je) {
		return je.Value
	}
	return nil
}

// Settle calls done once v has settled: at once for a value that is not a
// promise, else when the promise is fulfilled or rejected (a rejection is a
// *JSError). Call it on the loop goroutine.
func Settle(rt *goja.Runtime, v goja.Value, done func(goja.Value, error)) {
	p, ok := v.Export().(*goja.Promise)
	if !ok {
		done(v, nil)
		return
	}
	switch p.State() {
	case goja.PromiseStateFulfilled:
		done(p.Result(), nil)
		return
	case goja.PromiseStateRejected:
		// Attach a handler so the rejection is not reported as unhandled.
		then, _ := goja.AssertFunction(v.ToObject(rt).Get("then"))
		_, _ = then(v, goja.Undefined(), rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() }))
		done(nil, &JSError{p.Result()})
		return
	}
	then, _ := goja.AssertFunction(v.ToObject(rt).Get("then"))
	_, err := then(v,
		rt.ToValue(func(c goja.FunctionCall) goja.Value { done(c.Argument(0), nil); return goja.Undefined() }),
		rt.ToValue(func(c goja.FunctionCall) goja.Value { done(nil, &JSError{c.Argument(0)}); return goja.Undefined() }))
	if err != nil {
		done(nil, err)
	}
}
