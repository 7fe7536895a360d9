package jsruntime

import (
	"errors"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// goja words the errors its engine throws its own way; a script and its
// logs see V8's wording instead. Messages are rewritten in place on the
// error object (message, and the first line of stack) where the error
// surfaces: in the script's catch clauses (Load rewrites them to call
// __emu_v8error), in promise rejection handlers (webapi wraps
// Promise.prototype.then), and at the Go boundary (ReportError, the
// rejection report, ErrorValue, an error response). V8's wording needs the
// source text of the failing expression, which the program's sites give
// (sites.go) from the position in the error's stack.

// v8Rule rewrites a goja message matching re; fix gets the submatches and
// the site finder and returns V8's message ("" keeps goja's).
type v8Rule struct {
	re  *regexp.Regexp
	fix func(m []string, at siteLookup) string
}

// siteLookup finds the site of kind k at the error's position.
type siteLookup func(k siteKind, ok func(site) bool) (site, bool)

var v8Rules = []v8Rule{
	{regexp.MustCompile(`^Cannot read property '(.*)' of undefined( or null)?$`), func(m []string, at siteLookup) string {
		what := "undefined"
		if s, ok := at(siteMember, func(s site) bool { return s.prop == m[1] }); ok && s.null {
			what = "null"
		}
		return "Cannot read properties of " + what + " (reading '" + m[1] + "')"
	}},
	{regexp.MustCompile(`^Cannot convert undefined or null to object$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteMember, func(s site) bool { return s.assign }); ok {
			what := "undefined"
			if s.null {
				what = "null"
			}
			return "Cannot set properties of " + what + " (setting '" + s.prop + "')"
		}
		return ""
	}},
	{regexp.MustCompile(`^Object has no member '(.*)'$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteCall, nil); ok {
			return s.text + " is not a function"
		}
		return m[1] + " is not a function"
	}},
	{regexp.MustCompile(`^Value is not an object: (.*)$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteCall, nil); ok {
			return s.text + " is not a function"
		}
		if s, ok := at(siteNew, nil); ok {
			return s.text + " is not a constructor"
		}
		return ""
	}},
	{regexp.MustCompile(`^Value is not a constructor$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteNew, nil); ok {
			return s.text + " is not a constructor"
		}
		return ""
	}},
	{regexp.MustCompile(`^object is not iterable$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteIterable, nil); ok {
			return s.text + " is not iterable"
		}
		return ""
	}},
	{regexp.MustCompile(`^Must call super constructor in derived class before accessing 'this'$`), func([]string, siteLookup) string {
		return "Must call super constructor in derived class before accessing 'this' or returning from derived constructor"
	}},
	{regexp.MustCompile(`^Cannot access a variable before initialization$`), func([]string, siteLookup) string {
		return "" // V8 names the variable; goja does not say which
	}},
	{regexp.MustCompile(`^Class constructor cannot be invoked without 'new'$`), func(m []string, at siteLookup) string {
		if s, ok := at(siteCall, nil); ok {
			return "Class constructor " + s.text + " cannot be invoked without 'new'"
		}
		return ""
	}},
}

// stackPos finds "file:line:col" in the first frame of a goja stack.
var stackPos = regexp.MustCompile(`\n\s*at (?:[^\n]*\()?([^\n()]*:\d+:\d+)(?:\(\d+\))?\)?`)

// fixV8Error rewrites the message of an error goja's engine threw as V8
// words it (see v8Rules), in place; v that is not such an error is left
// alone. JSON.parse's errors are rewritten by webapi's wrapper of it.
func fixV8Error(rt *goja.Runtime, v goja.Value) {
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() != "Error" {
		return
	}
	mv := o.Get("message")
	if mv == nil || !goja.IsString(mv) {
		return
	}
	msg := mv.String()
	for _, r := range v8Rules {
		m := r.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		stack := ""
		if sv := o.Get("stack"); sv != nil && goja.IsString(sv) {
			stack = sv.String()
		}
		pos := ""
		if p := stackPos.FindStringSubmatch(stack); p != nil {
			pos = p[1]
		}
		var idx sites
		if sv := rt.GlobalObject().GetSymbol(sitesKey); sv != nil {
			idx, _ = sv.Export().(sites)
		}
		at := func(k siteKind, ok func(site) bool) (site, bool) {
			if idx == nil || pos == "" {
				return site{}, false
			}
			return idx.find(pos, k, ok)
		}
		fixed := r.fix(m, at)
		if fixed == "" || fixed == msg {
			return
		}
		_ = o.Set("message", fixed)
		if stack != "" {
			head, rest, _ := strings.Cut(stack, "\n")
			if strings.HasSuffix(head, msg) {
				head = strings.TrimSuffix(head, msg) + fixed
				_ = o.Set("stack", head+"\n"+rest)
			}
		}
		return
	}
}

// sitesKey names the hidden global property holding the sites of the
// program Load ran.
var sitesKey = goja.NewSymbol("emu.sites")

// installV8Errors defines the function the rewritten catch clauses call;
// it rewrites the caught value and returns it. It is a global (catch
// clauses are plain code) that is neither enumerable nor writable.
func installV8Errors(rt *goja.Runtime) {
	must(rt.GlobalObject().DefineDataProperty(v8ErrorFunc, rt.ToValue(func(call goja.FunctionCall) goja.Value {
		v := call.Argument(0)
		fixV8Error(rt, v)
		return v
	}), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE))
}

// maxCallStack is the call depth past which a script gets V8's RangeError
// "Maximum call stack size exceeded" (V8's default stack holds about this
// many frames of a small function).
const maxCallStack = 10000

// errStackOverflow is V8's error for too deep a recursion. goja's stack
// overflow cannot be caught by the script; it surfaces here, as the log
// line and the error response.
var errStackOverflow = Errorf(RangeError, "Maximum call stack size exceeded")

// isStackOverflow reports whether err is goja's stack overflow.
func isStackOverflow(err error) bool {
	var so *goja.StackOverflowError
	return errors.As(err, &so)
}
