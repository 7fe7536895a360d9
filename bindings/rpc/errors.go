package rpc

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// ErrorData is an exception on its way across RPC. As in workerd, only the
// class (Error, TypeError, RangeError, SyntaxError, ReferenceError or a
// DOMException's name) and the message cross; the caller's error gets a
// fresh stack and `remote: true` when it came from the other side.
type ErrorData struct {
	Class   string // constructor name, or "DOMException"
	DOMName string // the DOMException's name
	Message string
	Remote  bool
}

// Errors of the RPC layer itself (workerd's messages).
var (
	errDisposedStub    = &ErrorData{Class: "Error", Message: "RPC stub used after being disposed."}
	errDisposedPromise = &ErrorData{Class: "Error", Message: "RPC promise used after being disposed."}
	errDisconnected    = &ErrorData{Class: "Error", Message: "Network connection lost.", Remote: true}
)

// tunneled are the classes that keep their identity across RPC.
var tunneled = []string{"TypeError", "RangeError", "SyntaxError", "ReferenceError"}

// errorData captures err, an exception thrown by the callee (or a Go error
// standing for one), as workerd tunnels it. Call it on the callee's loop.
func errorData(rt *goja.Runtime, err error) *ErrorData {
	var se *jsruntime.ScriptError
	if errors.As(err, &se) {
		d := &ErrorData{Class: se.Class.String(), Message: se.Message, Remote: true}
		if dom := jsruntime.Class(rt, "DOMException"); dom != nil && se.Class != jsruntime.Error && !isBuiltinClass(se.Class.String()) {
			d.Class, d.DOMName = "DOMException", se.Class.String()
		}
		return d
	}
	if jsruntime.IsInterrupt(err) {
		return &ErrorData{Class: "Error", Message: jsruntime.ErrCPULimit.Error(), Remote: true}
	}
	v := jsruntime.Thrown(err)
	if v == nil {
		return &ErrorData{Class: "Error", Message: err.Error(), Remote: true}
	}
	return valueError(rt, v)
}

func isBuiltinClass(name string) bool {
	if name == "Error" {
		return true
	}
	for _, t := range tunneled {
		if t == name {
			return true
		}
	}
	return false
}

// valueError describes a thrown value: the nearest standard class on its
// prototype chain and its message. A value that is not an Error crosses as
// an Error with the value's string form.
func valueError(rt *goja.Runtime, v goja.Value) *ErrorData {
	d := &ErrorData{Class: "Error", Remote: true}
	o, ok := v.(*goja.Object)
	if !ok {
		d.Message = v.String()
		return d
	}
	_ = rt.Try(func() {
		if dom := jsruntime.Class(rt, "DOMException"); dom != nil && hasProto(rt, o, dom) {
			d.Class, d.DOMName = "DOMException", o.Get("name").String()
		} else if errCtor, ok := rt.Get("Error").(*goja.Object); ok && hasProto(rt, o, errCtor) {
			for _, name := range tunneled {
				if c, ok := rt.Get(name).(*goja.Object); ok && hasProto(rt, o, c) {
					d.Class = name
					break
				}
			}
		} else {
			d.Message = o.String()
			return
		}
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
			d.Message = m.String()
		}
	})
	return d
}

// hasProto reports whether ctor.prototype is on o's prototype chain.
func hasProto(rt *goja.Runtime, o, ctor *goja.Object) bool {
	p, ok := ctor.Get("prototype").(*goja.Object)
	if !ok {
		return false
	}
	for cur, n := o.Prototype(), 0; cur != nil && n < 256; cur, n = cur.Prototype(), n+1 {
		if cur == p {
			return true
		}
	}
	return false
}

// value makes the caller's exception for d (on the caller's loop).
func (d *ErrorData) value(rt *goja.Runtime) goja.Value {
	var e *goja.Object
	switch {
	case d.Class == "DOMException":
		e = jsruntime.NewError(rt, jsruntime.DataCloneError, "%s", d.Message)
		if dom := jsruntime.Class(rt, "DOMException"); dom != nil {
			if o, err := rt.New(dom, rt.ToValue(d.Message), rt.ToValue(d.DOMName)); err == nil {
				e = o
			}
		}
	case d.Class == "TypeError":
		e = rt.NewTypeError(d.Message)
	default:
		ctor, ok := rt.Get(d.Class).(*goja.Object)
		if !ok || !isBuiltinClass(d.Class) {
			ctor = rt.Get("Error").ToObject(rt)
		}
		o, err := rt.New(ctor, rt.ToValue(d.Message))
		if err != nil {
			o = rt.NewGoError(errors.New(d.Message))
		}
		e = o
	}
	if d.Remote {
		_ = e.Set("remote", true)
	}
	return e
}
