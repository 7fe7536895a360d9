package webapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// The tests follow the isolate's ownership rule: a runtime is only used on
// its loop, inside iso.Do. Code running there must not call t.Fatal (it
// would end the loop goroutine, not the test): it returns an error, which do
// turns into t.Fatal on the test goroutine. t.Error is safe anywhere.

// newBareIsolate returns a new isolate without the web APIs, closed when the
// test ends.
func newBareIsolate(t testing.TB) *jsruntime.Isolate {
	t.Helper()
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	return iso
}

// newIsolate returns a new isolate with the web APIs installed, closed when
// the test ends. Console output is appended to *lines as "level: line"; the
// loop writes it, so read it between calls to Do.
func newIsolate(t testing.TB) (*jsruntime.Isolate, *[]string) {
	t.Helper()
	return installOn(t, newBareIsolate(t))
}

// installOn installs the web APIs on iso, collecting console output.
func installOn(t testing.TB, iso *jsruntime.Isolate) (*jsruntime.Isolate, *[]string) {
	t.Helper()
	var lines []string
	do(t, iso, func(rt *goja.Runtime) error {
		return Install(iso, rt, Options{Console: func(level, line string) {
			lines = append(lines, level+": "+line)
		}})
	})
	return iso, &lines
}

// do runs fn on iso's loop and fails the test if it returns an error.
func do(t testing.TB, iso *jsruntime.Isolate, fn func(rt *goja.Runtime) error) {
	t.Helper()
	if err := iso.Do(fn); err != nil {
		t.Fatal(jsruntime.FormatError(err))
	}
}

// describe renders a thrown or rejected value as "Name: message".
func describe(rt *goja.Runtime, v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		name, msg := o.Get("name"), o.Get("message")
		if name != nil && !goja.IsUndefined(name) && msg != nil && !goja.IsUndefined(msg) {
			return name.String() + ": " + msg.String()
		}
	}
	return v.String()
}

// evalJS runs src on rt (on the loop) and returns its completion value as a
// string. A promise is settled first (goja runs the jobs at the end of
// RunString): "rejected: Name: message" if it rejected. A throw gives
// "throws: Name: message". A failure that is not a JS exception is an error.
func evalJS(rt *goja.Runtime, src string) (string, error) {
	v, err := rt.RunString(src)
	if err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) {
			return "throws: " + describe(rt, ex.Value()), nil
		}
		return "", fmt.Errorf("run: %v", err)
	}
	if p, ok := v.Export().(*goja.Promise); ok {
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return p.Result().String(), nil
		case goja.PromiseStateRejected:
			return "rejected: " + describe(rt, p.Result()), nil
		default:
			return "pending", nil
		}
	}
	return v.String(), nil
}

// eval runs evalJS on iso's loop; a failure that is not a JS exception
// fails the test.
func eval(t testing.TB, iso *jsruntime.Isolate, src string) string {
	t.Helper()
	var got string
	do(t, iso, func(rt *goja.Runtime) (err error) {
		got, err = evalJS(rt, src)
		return err
	})
	return got
}

// jsCase is a script and the eval result it must give.
type jsCase struct {
	name, src, want string
}

// runCases runs each case in parallel on its own new isolate.
func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	runCasesOn(t, newIsolate, cases)
}

// runCasesOn is runCases with isolates from newIso.
func runCasesOn(t *testing.T, newIso func(testing.TB) (*jsruntime.Isolate, *[]string), cases []jsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			iso, _ := newIso(t)
			if got := eval(t, iso, tc.src); got != tc.want {
				t.Errorf("%s\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}

func TestWebAPIClass(t *testing.T) {
	iso, _ := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		if _, err := rt.RunString(`globalThis.EventTarget = null; MessageEvent = undefined; DOMException = 1`); err != nil {
			return err
		}
		for _, name := range []string{"EventTarget", "MessageEvent", "CloseEvent", "ErrorEvent", "DOMException", "Request", "Response", "Headers", "URL"} {
			c := jsruntime.Class(rt, name)
			if c == nil {
				return fmt.Errorf("jsruntime.Class(%q) = nil", name)
			}
			if got := c.Get("name").String(); got != name {
				t.Errorf("jsruntime.Class(%q).name = %q", name, got)
			}
		}
		if c := jsruntime.Class(rt, "NoSuchClass"); c != nil {
			t.Errorf("jsruntime.Class(NoSuchClass) = %v, want nil", c)
		}

		// The WebSocket binding builds events from Go with a map as init.
		ev, err := rt.New(jsruntime.Class(rt, "CloseEvent"), rt.ToValue("close"), rt.ToValue(map[string]any{"code": 1006, "reason": "gone", "wasClean": false}))
		if err != nil {
			return err
		}
		if got := ev.Get("code").String() + " " + ev.Get("reason").String(); got != "1006 gone" {
			t.Errorf("CloseEvent from Go: %s", got)
		}
		ex, err := rt.New(jsruntime.Class(rt, "DOMException"), rt.ToValue("Invalid WebSocket close code: 1005."), rt.ToValue("InvalidAccessError"))
		if err != nil {
			return err
		}
		if got := describe(rt, ex); got != "InvalidAccessError: Invalid WebSocket close code: 1005." {
			t.Errorf("DOMException from Go: %s", got)
		}
		if err := Install(iso, rt, Options{}); err == nil {
			t.Error("second Install succeeded")
		}
		return nil
	})

	// An isolate without the web APIs has no classes.
	bare := newBareIsolate(t)
	do(t, bare, func(rt *goja.Runtime) error {
		if c := jsruntime.Class(rt, "EventTarget"); c != nil {
			t.Errorf("Class on a bare runtime = %v, want nil", c)
		}
		return nil
	})
}

func TestWebAPIInstallNeedsIsolate(t *testing.T) {
	iso := newBareIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		if err := Install(nil, rt, Options{}); err == nil {
			t.Error("Install with a nil isolate succeeded")
		}
		// Nothing was installed: Install works with the isolate.
		return Install(iso, rt, Options{})
	})
}

// source concatenates the areas in order, wraps each tier in its function
// and rejects a list that does not match the files.
func TestWebAPISource(t *testing.T) {
	fsys := fstest.MapFS{
		"a.js": {Data: []byte("A")},
		"b.js": {Data: []byte("B")},
		"c.js": {Data: []byte("C")},
		"d.js": {Data: []byte("D")},
	}
	nat := func(names ...string) []native {
		var ns []native
		for _, n := range names {
			ns = append(ns, native{name: n})
		}
		return ns
	}
	src, err := source(fsys, []area{
		{js: []string{"a.js"}, natives: nat("x")},
		{js: []string{"b.js"}, tier: "t", natives: nat("y")},
		{js: []string{"c.js"}, tier: "t"},
		{js: []string{"d.js"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "(function (host) {\n\"use strict\";\nA\nfunction __tier_t() {\nB\nC\n}\nD\nreturn registry;\n})"
	if src != want {
		t.Errorf("source:\n%s\nwant:\n%s", src, want)
	}
	for _, tc := range []struct {
		name  string
		areas []area
		err   string
	}{
		{"file in no area", []area{{js: []string{"a.js", "b.js", "c.js"}}}, "d.js is in no area"},
		{"missing file", []area{{js: []string{"a.js", "b.js", "c.js", "d.js", "e.js"}}}, "e.js"},
		{"file twice", []area{{js: []string{"a.js", "b.js", "c.js", "d.js"}}, {js: []string{"a.js"}}}, "a.js is listed twice"},
		{"tier split", []area{{js: []string{"a.js"}, tier: "t"}, {js: []string{"b.js"}}, {js: []string{"c.js", "d.js"}, tier: "t"}},
			"the areas of tier t are not listed together"},
		{"native twice", []area{{js: []string{"a.js", "b.js"}, natives: nat("x")}, {js: []string{"c.js", "d.js"}, natives: nat("x")}},
			"native x is defined twice"},
	} {
		if _, err := source(fsys, tc.areas); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.err)
		}
	}
	// The package's own list is complete.
	if _, err := compile(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkWebAPIInstall(b *testing.B) {
	if _, err := compile(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		iso, err := jsruntime.New(jsruntime.Options{})
		if err != nil {
			b.Fatal(err)
		}
		err = iso.Do(func(rt *goja.Runtime) error { return Install(iso, rt, Options{}) })
		iso.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWebAPIIsolateOnly is a new isolate without the web APIs: the part
// of BenchmarkWebAPIInstall and BenchmarkWebAPIFirstRequest that is not
// theirs.
func BenchmarkWebAPIIsolateOnly(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		iso, err := jsruntime.New(jsruntime.Options{})
		if err != nil {
			b.Fatal(err)
		}
		err = iso.Do(func(rt *goja.Runtime) error { return nil })
		iso.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWebAPIFirstRequest is a new runtime answering its first request:
// install, NewRequest, a handler, ReadResponse (this loads the lazy APIs).
func BenchmarkWebAPIFirstRequest(b *testing.B) {
	prog := goja.MustCompile("handler", `(req) => new Response("hello " + new URL(req.url).pathname)`, false)
	h := http.Header{"Accept": {"*/*"}, "User-Agent": {"bench"}}
	b.ReportAllocs()
	for b.Loop() {
		iso, err := jsruntime.New(jsruntime.Options{})
		if err != nil {
			b.Fatal(err)
		}
		err = iso.Do(func(rt *goja.Runtime) error {
			if err := Install(iso, rt, Options{}); err != nil {
				return err
			}
			f, _ := rt.RunProgram(prog)
			fn, _ := goja.AssertFunction(f)
			req, err := NewRequest(rt, "GET", "http://127.0.0.1/x", h, nil)
			if err != nil {
				return err
			}
			res, err := fn(goja.Undefined(), req)
			if err != nil {
				return err
			}
			_, err = ReadResponse(rt, res)
			return err
		})
		iso.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// newBenchIsolate is newIsolate for a benchmark whose whole loop runs in
// one task: without a CPU limit that a long -benchtime would hit.
func newBenchIsolate(b *testing.B) *jsruntime.Isolate {
	iso, err := jsruntime.New(jsruntime.Options{CPULimit: 24 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(iso.Close)
	return iso
}

// BenchmarkWebAPIRequest is one request on a warm runtime. The loop runs on
// the isolate's loop goroutine, in one Do.
func BenchmarkWebAPIRequest(b *testing.B) {
	iso := newBenchIsolate(b)
	do(b, iso, func(rt *goja.Runtime) error {
		if err := Install(iso, rt, Options{}); err != nil {
			return err
		}
		f, err := rt.RunString(`(req) => new Response("hello " + new URL(req.url).pathname)`)
		if err != nil {
			return err
		}
		fn, _ := goja.AssertFunction(f)
		h := http.Header{"Accept": {"*/*"}, "User-Agent": {"bench"}, "Host": {"127.0.0.1:8787"}}
		b.ReportAllocs()
		for b.Loop() {
			req, err := NewRequest(rt, "GET", "http://127.0.0.1:8787/x?y=1", h, nil)
			if err != nil {
				return err
			}
			res, err := fn(goja.Undefined(), req)
			if err != nil {
				return err
			}
			if _, err := ReadResponse(rt, res); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkWebAPIMessageEvent is the WebSocket message path: a MessageEvent
// made from Go and dispatched to one listener. The loop runs on the
// isolate's loop goroutine, in one Do.
func BenchmarkWebAPIMessageEvent(b *testing.B) {
	iso := newBenchIsolate(b)
	do(b, iso, func(rt *goja.Runtime) error {
		if err := Install(iso, rt, Options{}); err != nil {
			return err
		}
		target, err := rt.RunString(`const t = new EventTarget(); let n = 0; t.addEventListener("message", (e) => { n += e.data.length; }); t`)
		if err != nil {
			return err
		}
		dispatch, _ := goja.AssertFunction(target.ToObject(rt).Get("dispatchEvent"))
		ctor := jsruntime.Class(rt, "MessageEvent")
		typ := rt.ToValue("message")
		b.ReportAllocs()
		for b.Loop() {
			init := rt.NewObject()
			_ = init.Set("data", "hello")
			ev, err := rt.New(ctor, typ, init)
			if err != nil {
				return err
			}
			if _, err := dispatch(target, ev); err != nil {
				return err
			}
		}
		return nil
	})
}
