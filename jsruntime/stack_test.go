package jsruntime

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// runIn runs src as the script "index.js" on a new isolate and returns its
// completion value as a string.
func runIn(t *testing.T, src string) string {
	t.Helper()
	iso := newIsolate(t, Options{})
	var out string
	err := iso.Do(func(rt *goja.Runtime) error {
		must(rt.Set("throwTypeError", func(goja.FunctionCall) goja.Value {
			Throw(rt, TypeError, "from Go")
			return nil
		}))
		v, err := rt.RunScript("index.js", src)
		if err != nil {
			return err
		}
		out = v.String()
		return nil
	})
	if err != nil {
		t.Fatal(FormatError(err))
	}
	return out
}

// Positions are goja's (a call's column is its parenthesis where V8 gives
// the callee's start); the format is V8's.
func TestErrorStackIsV8Format(t *testing.T) {
	t.Parallel()
	got := runIn(t, `function inner() { return new Error("boom"); }
function outer() { return inner(); }
outer().stack`)
	want := "Error: boom\n    at inner (index.js:1:27)\n    at outer (index.js:2:32)\n    at index.js:3:6"
	if got != want {
		t.Errorf("stack:\n%s\nwant:\n%s", got, want)
	}
}

func TestErrorStackFromGoNative(t *testing.T) {
	t.Parallel()
	got := runIn(t, `function call() { try { throwTypeError(); } catch (e) { return e.stack; } }
call()`)
	want := "TypeError: from Go\n    at call (index.js:1:39)\n    at index.js:2:5"
	if got != want {
		t.Errorf("stack:\n%s\nwant:\n%s", got, want)
	}
}

func TestErrorStackHeaderIsLazy(t *testing.T) {
	t.Parallel()
	cases := []struct{ src, want string }{
		{`class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } }
new MyError("x").stack.split("\n")[0]`, "MyError: x"},
		{`const e = new Error("a"); e.message = "b"; e.stack.split("\n")[0]`, "Error: b"},
		{`const e = new Error("a"); e.stack; e.message = "b"; e.stack.split("\n")[0]`, "Error: a"},
		{`const e = new RangeError(); e.stack.split("\n")[0]`, "RangeError"},
		{`const e = new Error("m"); e.name = ""; e.stack.split("\n")[0]`, "m"},
		{`const e = new Error("m"); e.stack = "custom"; e.stack`, "custom"},
		{`const e = new Error("m"); Object.keys(e).length + ":" + Object.getOwnPropertyDescriptor(e, "stack").enumerable`, "0:false"},
	}
	for _, tc := range cases {
		if got := runIn(t, tc.src); got != tc.want {
			t.Errorf("%s\n got %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestErrorConstructorsKeepTheirShape(t *testing.T) {
	t.Parallel()
	src := `class P extends TypeError { #secret = 7; reveal() { return this.#secret; } }
const p = new P("x");
[
	Error.prototype.constructor === Error,
	Object.getPrototypeOf(TypeError) === Error,
	new TypeError("t") instanceof Error,
	Error("no new") instanceof Error,
	Error("no new").message,
	TypeError.name, Error.length, AggregateError.length,
	Object.prototype.toString.call(new Error()),
	p.reveal(), p instanceof P, p instanceof TypeError, String(p),
	new AggregateError([1], "agg").errors.length,
	new Error("c", { cause: 1 }).cause,
	typeof Error.captureStackTrace, Error.stackTraceLimit,
].join()`
	want := "true,true,true,true,no new,TypeError,1,2,[object Error],7,true,true,TypeError: x,1,1,function,10"
	if got := runIn(t, src); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestStackTraceLimit(t *testing.T) {
	t.Parallel()
	src := `function rec(n) { return n === 0 ? new Error("deep") : rec(n - 1); }
const a = rec(20).stack.split("\n").length - 1;
Error.stackTraceLimit = 2;
const b = rec(20).stack.split("\n").length - 1;
Error.stackTraceLimit = 0;
const c = rec(20).stack;
a + "," + b + "," + c`
	if got, want := runIn(t, src), "10,2,Error: deep"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCaptureStackTrace(t *testing.T) {
	t.Parallel()
	got := runIn(t, `function make() { const o = { name: "Foo", message: "bar" }; Error.captureStackTrace(o); return o; }
function skipMe() { const o = {}; Error.captureStackTrace(o, skipMe); return o; }
function caller() { return skipMe(); }
const a = make();
const b = caller();
const c = {}; Error.captureStackTrace(c, function notOnStack() {});
[a.stack, b.stack, JSON.stringify(c.stack)].join("\n--\n")`)
	want := "Foo: bar\n    at make (index.js:1:85)\n    at index.js:4:15" +
		"\n--\nError\n    at caller (index.js:3:34)\n    at index.js:5:17" +
		"\n--\n\"Error\""
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "emu:") || strings.Contains(got, "native") {
		t.Errorf("internal frames in %q", got)
	}
}

// Error.prepareStackTrace gets V8's CallSites (libraries such as depd read
// the caller's file and line this way).
func TestPrepareStackTrace(t *testing.T) {
	t.Parallel()
	got := runIn(t, `function where() {
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = (err, sites) => sites;
  const o = {};
  Error.captureStackTrace(o, where);
  const sites = o.stack;
  Error.prepareStackTrace = prev;
  return sites.map((s) => [s.getFunctionName(), s.getFileName(), s.getLineNumber(), s.isNative(), String(s)].join("|"));
}
function caller() { return where(); }
caller().join("\n") + "\n" + (() => { Error.prepareStackTrace = (e, s) => "custom " + e.message + " " + s.length; return new Error("m").stack; })()`)
	want := "caller|index.js|10|false|caller (index.js:10:33)\n|index.js|11|false|index.js:11:7\ncustom m 2"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
