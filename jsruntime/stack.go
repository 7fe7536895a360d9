package jsruntime

import (
	"math"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// Error stacks as a script sees them. goja formats `error.stack` its own way
// ("\tat fn (file:1:2(34))", Go functions as "(native)", emu's own JS as
// "emu:…" frames). V8, and so workerd, gives "    at fn (file:1:2)", at
// most Error.stackTraceLimit (10) frames, and a header computed on first
// read of the property (a class that sets this.name after super() shows
// its name). New wraps the error constructors so every error made with
// `new Error()` (or a subclass, or by emu's Go code through NewError) gets
// such a stack, and defines V8's Error.captureStackTrace and
// Error.stackTraceLimit. Errors goja raises by itself (a TypeError for
// reading a property of undefined) keep goja's format; emu's logs clean
// those when they print them (FormatValue).

// errorClasses are the constructors wrapped, the base class first.
var errorClasses = []string{"Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"}

// defaultStackTraceLimit is V8's default Error.stackTraceLimit.
const defaultStackTraceLimit = 10

// errorCtorsKey names the hidden global holding the wrapped constructors,
// so NewError finds them even if a script replaced the globals.
var errorCtorsKey = goja.NewSymbol("emu.errors")

// errorsProgram wraps the error constructors. The wrappers are JS
// functions (not Go ones) so that a subclass's private fields land on the
// error object the base constructor returns.
var errorsProgram = goja.MustCompile("emu:errors.js", `(function (adopt, names) {
	const construct = Reflect.construct;
	const out = {};
	for (const name of names) {
		const Orig = globalThis[name];
		const W = ({ [name]: function (...args) {
			const e = construct(Orig, args, new.target === undefined ? W : new.target);
			adopt(e);
			return e;
		} })[name];
		Object.defineProperty(W, "length", { value: Orig.length, configurable: true });
		Object.defineProperty(W, "prototype", { value: Orig.prototype, writable: false, enumerable: false, configurable: false });
		Object.defineProperty(Orig.prototype, "constructor", { value: W, writable: true, enumerable: false, configurable: true });
		// Static members (Error.isError, ...) stay reachable on the wrapper.
		for (const k of Reflect.ownKeys(Orig)) {
			if (k !== "length" && k !== "name" && k !== "prototype") Object.defineProperty(W, k, Object.getOwnPropertyDescriptor(Orig, k));
		}
		if (name !== names[0]) Object.setPrototypeOf(W, out[names[0]]);
		Object.defineProperty(globalThis, name, { value: W, writable: true, enumerable: false, configurable: true });
		out[name] = W;
	}
	return out;
})`, true)

// installErrorStacks replaces the global error constructors with wrappers
// that give their errors V8-style stacks.
func (iso *Isolate) installErrorStacks() {
	rt := iso.rt
	f, err := rt.RunProgram(errorsProgram)
	if err != nil {
		panic(err)
	}
	fn, _ := goja.AssertFunction(f)
	var base *goja.Object
	adopt := func(c goja.FunctionCall) goja.Value {
		if o, ok := c.Argument(0).(*goja.Object); ok {
			adoptStack(rt, o, base, rt.CaptureCallStack(0, nil), "")
		}
		return goja.Undefined()
	}
	names := make([]any, len(errorClasses))
	for i, n := range errorClasses {
		names[i] = n
	}
	v, err := fn(goja.Undefined(), rt.ToValue(adopt), rt.NewArray(names...))
	if err != nil {
		panic(err)
	}
	ctors := v.ToObject(rt)
	base = ctors.Get("Error").ToObject(rt)
	must(base.DefineDataProperty("stackTraceLimit", rt.ToValue(defaultStackTraceLimit), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE))
	must(base.DefineDataProperty("captureStackTrace", rt.ToValue(iso.captureStackTrace()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	must(rt.GlobalObject().DefineDataPropertySymbol(errorCtorsKey, ctors, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE))
}

// captureStackTrace is V8's Error.captureStackTrace(target, fn): it gives
// target a `stack` of the current call stack, without the frames above the
// topmost call of fn (matched by name) and fn's own.
func (iso *Isolate) captureStackTrace() func(goja.FunctionCall) goja.Value {
	rt := iso.rt
	return func(call goja.FunctionCall) goja.Value {
		target, ok := call.Argument(0).(*goja.Object)
		if !ok {
			Throw(rt, TypeError, "Invalid argument")
		}
		skip := ""
		if fn, ok := call.Argument(1).(*goja.Object); ok {
			if _, isFn := goja.AssertFunction(fn); isFn {
				if skip = fn.Get("name").String(); skip == "" {
					skip = "<anonymous>"
				}
			}
		}
		base, _ := errorCtor(rt, "Error")
		adoptStack(rt, target, base, rt.CaptureCallStack(0, nil), skip)
		return goja.Undefined()
	}
}

// callSite is one frame of a script's stack.
type callSite struct {
	fn, file  string // fn is "" for an anonymous function or the top level
	line, col int
}

// String is the frame as V8 prints it after "at ".
func (c callSite) String() string {
	loc := c.file + ":" + strconv.Itoa(c.line) + ":" + strconv.Itoa(c.col)
	if c.fn == "" {
		return loc
	}
	return c.fn + " (" + loc + ")"
}

// userFrames keeps the frames of a script's own code, dropping emu's (its
// JS is named "emu:…") and Go functions. With skip, the frames down to the
// topmost one of the function named skip are dropped too (all are if it is
// not on the stack).
func userFrames(frames []goja.StackFrame, skip string) []callSite {
	if skip != "" {
		found := false
		for i := range frames {
			if frames[i].FuncName() == skip {
				frames, found = frames[i+1:], true
				break
			}
		}
		if !found {
			return nil
		}
	}
	out := make([]callSite, 0, len(frames))
	for i := range frames {
		f := &frames[i]
		src := f.SrcName()
		if src == "<native>" || strings.HasPrefix(src, "emu:") {
			continue
		}
		pos := f.Position()
		c := callSite{file: pos.Filename, line: pos.Line, col: pos.Column}
		if c.file == "" {
			c.file = "<anonymous>"
		}
		if name := f.FuncName(); name != "<anonymous>" {
			c.fn = name
		}
		out = append(out, c)
	}
	return out
}

// adoptStack gives o a V8-style `stack`: an accessor that, on first read,
// makes the header from o's name and message as they are then (as V8 does)
// and replaces itself with a data property; assigning it sets the value.
// When Error.prepareStackTrace is a function, the value is what it returns
// for (o, callSites), as in V8.
func adoptStack(rt *goja.Runtime, o, errorCtor *goja.Object, stack []goja.StackFrame, skip string) {
	frames := userFrames(stack, skip)
	if errorCtor != nil {
		if lim := errorCtor.Get("stackTraceLimit"); lim != nil && goja.IsNumber(lim) {
			frames = limitFrames(frames, lim.ToFloat())
		}
	}
	set := func(v goja.Value) {
		_ = o.DefineDataProperty("stack", v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	get := rt.ToValue(func(goja.FunctionCall) goja.Value {
		if errorCtor != nil {
			if prepare, ok := goja.AssertFunction(errorCtor.Get("prepareStackTrace")); ok {
				sites := make([]any, len(frames))
				for i, f := range frames {
					sites[i] = callSiteObject(rt, f)
				}
				v, err := prepare(errorCtor, o, rt.NewArray(sites...))
				if err != nil {
					panic(err)
				}
				set(v)
				return v
			}
		}
		var b strings.Builder
		b.WriteString(errorHeader(o))
		for _, f := range frames {
			b.WriteString("\n    at ")
			b.WriteString(f.String())
		}
		v := rt.ToValue(b.String())
		set(v)
		return v
	})
	setter := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		set(c.Argument(0))
		return goja.Undefined()
	})
	// This fails when o's name or message getter throws (goja formats its
	// own stack from them first): o then keeps goja's stack.
	_ = o.DefineAccessorProperty("stack", get, setter, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// callSiteObject is V8's CallSite for Error.prepareStackTrace.
func callSiteObject(rt *goja.Runtime, c callSite) *goja.Object {
	o := rt.NewObject()
	method := func(name string, v any) {
		val := rt.ToValue(v)
		_ = o.Set(name, func(goja.FunctionCall) goja.Value { return val })
	}
	fn := goja.Value(goja.Null())
	if c.fn != "" {
		fn = rt.ToValue(c.fn)
	}
	method("getFileName", c.file)
	method("getScriptNameOrSourceURL", c.file)
	method("getLineNumber", c.line)
	method("getColumnNumber", c.col)
	method("getFunctionName", fn)
	method("getMethodName", goja.Null())
	method("getTypeName", goja.Null())
	method("getThis", goja.Undefined())
	method("getFunction", goja.Undefined())
	method("getEvalOrigin", goja.Undefined())
	method("isNative", false)
	method("isToplevel", c.fn == "")
	method("isEval", false)
	method("isConstructor", false)
	method("isAsync", false)
	method("isPromiseAll", false)
	method("getPromiseIndex", goja.Null())
	method("toString", c.String())
	return o
}

func limitFrames(frames []callSite, n float64) []callSite {
	if math.IsNaN(n) || n < 0 {
		n = 0
	}
	if n < float64(len(frames)) {
		return frames[:int(n)]
	}
	return frames
}

// errorHeader is V8's first stack line: ErrorUtils::ToString of o.
func errorHeader(o *goja.Object) string {
	name, msg := "Error", ""
	if v := o.Get("name"); v != nil && !goja.IsUndefined(v) {
		name = v.String()
	}
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

// errorCtor returns the wrapped error constructor name of rt (see
// installErrorStacks), or the global of that name on a runtime made without
// an Isolate.
func errorCtor(rt *goja.Runtime, name string) (*goja.Object, bool) {
	if cs, ok := rt.GlobalObject().GetSymbol(errorCtorsKey).(*goja.Object); ok {
		if c, ok := cs.Get(name).(*goja.Object); ok {
			return c, true
		}
	}
	c, ok := rt.Get(name).(*goja.Object)
	return c, ok
}
