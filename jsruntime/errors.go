package jsruntime

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// ErrorClass names the class of a JS error: a JS error constructor or a
// DOMException name.
type ErrorClass struct {
	ctor    string // global constructor: "TypeError", "RangeError", "Error"
	domName string // DOMException name when ctor is "DOMException"
}

// String is the class's name as a script sees it ("TypeError",
// "InvalidStateError").
func (c ErrorClass) String() string {
	if c.domName != "" {
		return c.domName
	}
	return c.ctor
}

// JS error classes, and the DOMException names workerd throws.
var (
	Error              = ErrorClass{ctor: "Error"}
	TypeError          = ErrorClass{ctor: "TypeError"}
	RangeError         = ErrorClass{ctor: "RangeError"}
	InvalidAccessError = ErrorClass{ctor: "DOMException", domName: "InvalidAccessError"}
	InvalidStateError  = ErrorClass{ctor: "DOMException", domName: "InvalidStateError"}
	DOMSyntaxError     = ErrorClass{ctor: "DOMException", domName: "SyntaxError"}
	DataCloneError     = ErrorClass{ctor: "DOMException", domName: "DataCloneError"}
	NotSupportedError  = ErrorClass{ctor: "DOMException", domName: "NotSupportedError"}
	DataError          = ErrorClass{ctor: "DOMException", domName: "DataError"}
	OperationError     = ErrorClass{ctor: "DOMException", domName: "OperationError"}
)

// ScriptError is an error a script will see as a JS exception of Class
// with Message. Go code returns it like any error; it becomes a JS error
// object only at the boundary (ErrorValue), so Go callers can still tell it
// apart with errors.As:
//
//	return jsruntime.Errorf(jsruntime.TypeError, "Can't call WebSocket send() after close().")
type ScriptError struct {
	Class   ErrorClass
	Message string
}

// Errorf returns a *ScriptError of class c with the formatted message.
func Errorf(c ErrorClass, format string, args ...any) *ScriptError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &ScriptError{Class: c, Message: msg}
}

// Error renders the error as a script's log shows it: "TypeError: message".
func (e *ScriptError) Error() string {
	if e.Message == "" {
		return e.Class.String()
	}
	return e.Class.String() + ": " + e.Message
}

// Value makes the JS error object for e in rt (loop goroutine only).
func (e *ScriptError) Value(rt *goja.Runtime) *goja.Object {
	return NewError(rt, e.Class, "%s", e.Message)
}

// NewError makes a JS error object of class c with the formatted message.
func NewError(rt *goja.Runtime, c ErrorClass, format string, args ...any) *goja.Object {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	switch c.ctor {
	case "DOMException":
		if ctor := Class(rt, "DOMException"); ctor != nil {
			if o, err := rt.New(ctor, rt.ToValue(msg), rt.ToValue(c.domName)); err == nil {
				return o
			}
		}
		e := rt.NewGoError(errors.New(msg))
		_ = e.Set("name", c.domName)
		return e
	default:
		ctor, ok := errorCtor(rt, c.ctor)
		if !ok {
			return rt.NewGoError(errors.New(msg))
		}
		o, err := rt.New(ctor, rt.ToValue(msg))
		if err != nil {
			return rt.NewGoError(errors.New(msg))
		}
		return o
	}
}

// Throw panics with a new JS error of class c; goja turns the panic into a JS
// exception at the Go/JS boundary. Call it only from Go functions invoked by
// JS on the loop goroutine. Keep the message byte-for-byte workerd's:
//
//	jsruntime.Throw(rt, jsruntime.InvalidAccessError, "Invalid WebSocket close code: %d.", code)
func Throw(rt *goja.Runtime, c ErrorClass, format string, args ...any) {
	panic(NewError(rt, c, format, args...))
}

// ErrorValue is the JS value a script sees for err, to throw or to reject a
// promise with: the thrown value a JS exception carries, the JS error of a
// *ScriptError, workerd's Error for the CPU limit, and an Error with the
// message of any other Go error. Call it on the loop goroutine.
func ErrorValue(rt *goja.Runtime, err error) goja.Value {
	if v := Thrown(err); v != nil {
		fixV8Error(rt, v)
		return v
	}
	if isStackOverflow(err) {
		return errStackOverflow.Value(rt)
	}
	var se *ScriptError
	if errors.As(err, &se) {
		return se.Value(rt)
	}
	if IsInterrupt(err) {
		err = InterruptCause(err)
	}
	if IsStackOverflow(err) {
		return NewError(rt, RangeError, "Maximum call stack size exceeded")
	}
	return NewError(rt, Error, "%s", err.Error())
}

// classRegistryKey names the hidden global property holding a runtime's
// classes (see RegisterClasses). A symbol, so scripts overwriting globals
// cannot reach it by name.
var classRegistryKey = goja.NewSymbol("emu.classes")

// RegisterClasses records the constructors in registry (an object whose
// properties are constructors, possibly lazy accessors) under their
// property names, so Class finds them even after a script replaced the
// globals. Later registrations add to earlier ones. Call it on the loop.
func RegisterClasses(rt *goja.Runtime, registry *goja.Object) error {
	g := rt.GlobalObject()
	if prev, ok := g.GetSymbol(classRegistryKey).(*goja.Object); ok {
		// Chain: a name not found in the new registry is looked up in the
		// earlier one.
		registry.SetPrototype(prev)
	}
	return g.DefineDataPropertySymbol(classRegistryKey, registry, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// Class returns the constructor registered under name ("DOMException",
// "Response", "CloseEvent", ...), even if the script has since replaced the
// global, or nil for an unknown name. Call it on the loop goroutine.
func Class(rt *goja.Runtime, name string) *goja.Object {
	reg, ok := rt.GlobalObject().GetSymbol(classRegistryKey).(*goja.Object)
	if !ok {
		return nil
	}
	if o, ok := reg.Get(name).(*goja.Object); ok {
		return o
	}
	return nil
}

var gojaFrame = regexp.MustCompile(`(:\d+:\d+)\(\d+\)`)

// FormatError renders a JS exception or thrown value the way workerd logs it:
// "Error: message" followed by "    at fn (file:line:col)" lines, with
// positions mapped through the bundle's source map to the user's files.
func FormatError(err error) string {
	if v := Thrown(err); v != nil {
		return FormatValue(v)
	}
	if IsInterrupt(err) {
		return InterruptCause(err).Error()
	}
	if IsStackOverflow(err) {
		return stackOverflowMessage
	}
	if isStackOverflow(err) {
		return errStackOverflow.Error()
	}
	return err.Error()
}

// FormatValue renders a thrown JS value (an Error with its stack, or any
// other value converted to a string).
func FormatValue(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	if o, ok := v.(*goja.Object); ok {
		if st := o.Get("stack"); st != nil && !goja.IsUndefined(st) && !goja.IsNull(st) {
			s := st.String()
			if !strings.Contains(s, "\n\tat ") {
				// A V8-style stack (see stack.go): as it is.
				return strings.TrimRight(s, "\n")
			}
			// A stack goja formatted itself (an error the engine raised).
			s = strings.ReplaceAll(s, "\tat ", "    at ")
			s = gojaFrame.ReplaceAllString(s, "$1")
			s = dropInternalFrames(s)
			name, msg := o.Get("name"), o.Get("message")
			if name != nil && msg != nil {
				head := name.String()
				if m := msg.String(); m != "" {
					head += ": " + m
				}
				if i := strings.Index(s, "\n    at "); i >= 0 {
					s = head + s[i:]
				} else {
					s = head
				}
			}
			return strings.TrimRight(s, "\n")
		}
	}
	return v.String()
}

// ReportError logs err as workerd does for an uncaught exception:
// "✘ [ERROR] Uncaught Error: message" plus the mapped stack. A CPU-limit
// interrupt is counted (NoteInterrupt) instead. Call it on the loop.
func (iso *Isolate) ReportError(err error) {
	if IsInterrupt(err) {
		iso.NoteInterrupt(err)
		if iso.logError != nil {
			iso.logError(InterruptCause(err).Error())
		}
		return
	}
	if v := Thrown(err); v != nil {
		fixV8Error(iso.rt, v)
	}
	if iso.logError != nil {
		iso.logError("Uncaught " + FormatError(err))
	}
}

// dropInternalFrames removes stack frames of emu's own code (its JS
// preludes are named "emu:…", Go functions show as "(native)"), so a stack
// shows the user's frames as workerd's does.
func dropInternalFrames(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:1]
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "    at ") && (strings.Contains(l, "emu:") || strings.HasSuffix(l, "(native)")) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
