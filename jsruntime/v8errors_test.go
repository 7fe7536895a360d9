package jsruntime

import (
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"
)

// v8Messages lists every rewriting of goja's wording into V8's: the code
// that triggers it, goja's own message, and the message a script (catching
// it, or in a rejection handler) and the log read.
var v8Messages = []struct {
	code     string
	goja, v8 string
	uncaught bool // only seen uncaught (goja's stack overflow cannot be caught)
}{
	{`let u; u.x`, `TypeError: Cannot read property 'x' of undefined`, `TypeError: Cannot read properties of undefined (reading 'x')`, false},
	{`null.x`, `TypeError: Cannot read property 'x' of undefined`, `TypeError: Cannot read properties of null (reading 'x')`, false},
	{`const o = {}; o.a.b`, `TypeError: Cannot read property 'b' of undefined`, `TypeError: Cannot read properties of undefined (reading 'b')`, false},
	{`const o = {}; o.a.f()`, `TypeError: Cannot read property 'f' of undefined or null`, `TypeError: Cannot read properties of undefined (reading 'f')`, false},
	{`let u; u.x = 1`, `TypeError: Cannot convert undefined or null to object`, `TypeError: Cannot set properties of undefined (setting 'x')`, false},
	{`null.x = 1`, `TypeError: Cannot convert undefined or null to object`, `TypeError: Cannot set properties of null (setting 'x')`, false},
	{`let u; u["k"] = 1`, `TypeError: Cannot convert undefined or null to object`, `TypeError: Cannot set properties of undefined (setting 'k')`, false},
	{`const o = {}; o.f()`, `TypeError: Object has no member 'f'`, `TypeError: o.f is not a function`, false},
	{`const o = {a: {}}; o.a.run(1)`, `TypeError: Object has no member 'run'`, `TypeError: o.a.run is not a function`, false},
	{`const o = {}; o["k"]()`, `TypeError: Object has no member 'k'`, `TypeError: o.k is not a function`, false},
	{`const g = 1; g()`, `TypeError: Value is not an object: 1`, `TypeError: g is not a function`, false},
	{`const X = 1; new X()`, `TypeError: Value is not an object: 1`, `TypeError: X is not a constructor`, false},
	{`new (() => 1)()`, `TypeError: Value is not a constructor`, `TypeError: (intermediate value) is not a constructor`, false},
	{`const n = 5; for (const x of n) {}`, `TypeError: object is not iterable`, `TypeError: n is not iterable`, false},
	{`const n = 5; [...n]`, `TypeError: object is not iterable`, `TypeError: n is not iterable`, false},
	{`class D {}; D()`, `TypeError: Class constructor cannot be invoked without 'new'`, `TypeError: Class constructor D cannot be invoked without 'new'`, false},
	{`class B {}; class A extends B { constructor() { this.x = 1; } }; new A()`, `ReferenceError: Must call super constructor in derived class before accessing 'this'`,
		`ReferenceError: Must call super constructor in derived class before accessing 'this' or returning from derived constructor`, false},
	{`const c = 1; c = 2`, `TypeError: Assignment to constant variable.`, `TypeError: Assignment to constant variable.`, false},
	{`nope`, `ReferenceError: nope is not defined`, `ReferenceError: nope is not defined`, false},
	{`(function f() { f(); })()`, `(uncatchable *goja.StackOverflowError)`, `RangeError: Maximum call stack size exceeded`, true},
}

// loadCase loads code as a bundle with a function trigger running it, on a
// new isolate whose log lines are collected.
func loadCase(t *testing.T, code string) (*Isolate, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var logs []string
	iso, err := New(Options{LogError: func(m string) {
		mu.Lock()
		logs = append(logs, strings.SplitN(m, "\n", 2)[0])
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	// The script catches it in its own code (catch clauses of the bundle
	// are where the rewriting happens), with a plain and a destructuring
	// parameter.
	src := "function trigger() { " + code + " }\n" +
		"function caught() { try { trigger(); } catch (e) { return e.name + ': ' + e.message + ' | ' + String(e.stack).split('\\n')[0]; } return 'none'; }\n" +
		"function caughtPattern() { try { trigger(); } catch ({ name, message }) { return name + ': ' + message; } return 'none'; }\n" +
		"globalThis.__emu_exports = { trigger, caught, caughtPattern };\n"
	if err := iso.Do(func(rt *goja.Runtime) error {
		_, err := Load(rt, &Bundle{Code: src})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return iso, func() []string {
		_ = iso.Do(func(*goja.Runtime) error { return nil }) // the previous task's reports are done
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), logs...)
	}
}

func TestV8Messages(t *testing.T) {
	for _, c := range v8Messages {
		t.Run(c.v8, func(t *testing.T) {
			iso, logs := loadCase(t, c.code)
			var caught, pattern, value string
			err := iso.Do(func(rt *goja.Runtime) error {
				if c.uncaught {
					return nil
				}
				v, err := rt.RunString(`__emu_exports.caught() + "\n" + __emu_exports.caughtPattern()`)
				if err != nil {
					return err
				}
				caught, pattern, _ = strings.Cut(v.String(), "\n")
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !c.uncaught {
				if want := c.v8 + " | " + c.v8; caught != want {
					t.Errorf("caught: got %q, want %q", caught, want)
				}
				if pattern != c.v8 {
					t.Errorf("caught with a pattern: got %q, want %q", pattern, c.v8)
				}
			}
			// Uncaught: the log line and the value an error response shows.
			_ = iso.Do(func(rt *goja.Runtime) error {
				fn, _ := goja.AssertFunction(rt.Get("__emu_exports").ToObject(rt).Get("trigger"))
				_, err := fn(goja.Undefined())
				if err == nil {
					t.Errorf("%s did not throw", c.code)
					return nil
				}
				iso.ReportError(err)
				value = strings.SplitN(FormatError(err), "\n", 2)[0]
				return nil
			})
			if value != c.v8 {
				t.Errorf("response body: got %q, want %q", value, c.v8)
			}
			got := logs()
			if len(got) == 0 || got[len(got)-1] != "Uncaught "+c.v8 {
				t.Errorf("log: got %q, want %q", got, "Uncaught "+c.v8)
			}
		})
	}
}

// TestGojaWordingStillNeedsMapping checks goja's own messages are still
// those the table maps from: a goja upgrade that changes them shows here.
func TestGojaWordingStillNeedsMapping(t *testing.T) {
	for _, c := range v8Messages {
		if c.uncaught {
			continue
		}
		rt := goja.New()
		_, err := rt.RunString("(() => { " + c.code + " })()")
		ex, ok := err.(*goja.Exception)
		if !ok {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		o := ex.Value().ToObject(rt)
		if got := o.Get("name").String() + ": " + o.Get("message").String(); got != c.goja {
			t.Errorf("%s: goja now says %q, the table says %q", c.code, got, c.goja)
		}
	}
}
