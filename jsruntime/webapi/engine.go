package webapi

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// engineNatives back engine.js:
//
//	captureStackTrace(obj, fn)  V8's Error.captureStackTrace: obj.stack
//	                            becomes "Name: message" and the frames
//	                            of the current call stack above fn
var engineNatives = []native{
	{"captureStackTrace", func(e *env, call goja.FunctionCall) goja.Value {
		obj, ok := call.Argument(0).(*goja.Object)
		if !ok {
			panic(e.rt.NewTypeError("Invalid argument"))
		}
		limit := 10
		if ctor, ok := e.rt.Get("Error").(*goja.Object); ok {
			if v := ctor.Get("stackTraceLimit"); v != nil && goja.IsNumber(v) {
				limit = int(v.ToInteger())
			}
		}
		frames := userFrames(e.rt.CaptureCallStack(0, nil))
		if fn, ok := call.Argument(1).(*goja.Object); ok {
			if _, callable := goja.AssertFunction(fn); callable {
				frames = framesAbove(frames, fn.Get("name").String())
			}
		}
		if limit < 0 {
			limit = 0
		}
		if len(frames) > limit {
			frames = frames[:limit]
		}
		var b strings.Builder
		b.WriteString(errorHeader(obj))
		for _, f := range frames {
			b.WriteString("\n    at ")
			b.WriteString(formatFrame(f))
		}
		mustSet(obj.DefineDataProperty("stack", e.rt.ToValue(b.String()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
		return goja.Undefined()
	}},
}

// userFrames drops the frames of natives and of emu's own JS.
func userFrames(frames []goja.StackFrame) []goja.StackFrame {
	out := frames[:0]
	for _, f := range frames {
		name := f.SrcName()
		if name == "<native>" || strings.HasPrefix(name, "emu:") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// framesAbove drops the frames from the top of the stack down to the
// topmost call of the function named name, that one included, as V8 does
// for captureStackTrace's second argument. goja frames carry function
// names, not functions, so the name is what is matched; a function not on
// the stack leaves no frame.
func framesAbove(frames []goja.StackFrame, name string) []goja.StackFrame {
	for i, f := range frames {
		if f.FuncName() == name {
			return frames[i+1:]
		}
	}
	return nil
}

// errorHeader is Error.prototype.toString of o: "Name: message".
func errorHeader(o *goja.Object) string {
	name := "Error"
	if v := o.Get("name"); v != nil && !goja.IsUndefined(v) {
		name = v.String()
	}
	msg := ""
	if v := o.Get("message"); v != nil && !goja.IsUndefined(v) {
		msg = v.String()
	}
	switch {
	case name == "":
		return msg
	case msg == "":
		return name
	}
	return name + ": " + msg
}

// formatFrame renders a frame as V8 does: "fn (file:line:col)", or
// "file:line:col" for anonymous code.
func formatFrame(f goja.StackFrame) string {
	p := f.Position()
	loc := fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
	if n := f.FuncName(); n != "" && n != "<anonymous>" {
		return n + " (" + loc + ")"
	}
	return loc
}
