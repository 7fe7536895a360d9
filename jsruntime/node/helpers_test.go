package node

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// The tests follow the isolate's ownership rule: a runtime is only used on
// its loop, inside iso.Do; code there returns errors rather than calling
// t.Fatal.

// newIsolate returns an isolate with the web APIs and the Node.js modules
// installed (V2: the Buffer and process globals too), closed when the test
// ends, and a `require(name)` global for the tests. Console output is
// collected in the returned log.
func newIsolate(t testing.TB, opts Options) (*jsruntime.Isolate, *consoleLog) {
	t.Helper()
	return newIsolateEnv(t, opts, "")
}

// newIsolateEnv is newIsolate with the Worker's env made by the script
// envSrc (none if empty).
func newIsolateEnv(t testing.TB, opts Options, envSrc string) (*jsruntime.Isolate, *consoleLog) {
	t.Helper()
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	if opts.Mode == Off {
		opts.Mode = V2
	}
	log := &consoleLog{}
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{Console: log.add}); err != nil {
			return err
		}
		if envSrc != "" {
			v, err := rt.RunString(envSrc)
			if err != nil {
				return err
			}
			opts.Env = v.ToObject(rt)
		}
		if err := Install(iso, rt, opts); err != nil {
			return err
		}
		_, err := rt.RunString(`globalThis.require = (name) => globalThis.__emu_node(name.replace(/^node:/, ""));`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return iso, log
}

// consoleLog collects console output as "level: line".
type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *consoleLog) add(level, line string) {
	l.mu.Lock()
	l.lines = append(l.lines, level+": "+line)
	l.mu.Unlock()
}

func (l *consoleLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// describe renders a thrown value as "Name: message".
func describe(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		name, msg := o.Get("name"), o.Get("message")
		if name != nil && !goja.IsUndefined(name) && msg != nil && !goja.IsUndefined(msg) {
			s := name.String() + ": " + msg.String()
			if code := o.Get("code"); code != nil && !goja.IsUndefined(code) {
				s += " [" + code.String() + "]"
			}
			return s
		}
	}
	return v.String()
}

// eval runs src on iso's loop and returns its completion value as a string
// (a settled promise's result; "throws: Name: message [CODE]" or
// "rejected: ..." for errors).
func eval(t testing.TB, iso *jsruntime.Isolate, src string) string {
	t.Helper()
	var out string
	err := iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(src)
		if err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				out = "throws: " + describe(ex.Value())
				return nil
			}
			return err
		}
		if p, ok := v.Export().(*goja.Promise); ok {
			switch p.State() {
			case goja.PromiseStateFulfilled:
				out = p.Result().String()
			case goja.PromiseStateRejected:
				out = "rejected: " + describe(p.Result())
			default:
				out = "pending"
			}
			return nil
		}
		out = v.String()
		return nil
	})
	if err != nil {
		t.Fatal(jsruntime.FormatError(err))
	}
	return out
}

// jsCase is a script and the result it must give.
type jsCase struct{ name, src, want string }

// runCases runs each case on one isolate per test, in order.
func runCases(t *testing.T, opts Options, cases []jsCase) {
	t.Helper()
	iso, _ := newIsolate(t, opts)
	for _, tc := range cases {
		if got := eval(t, iso, tc.src); got != tc.want {
			t.Errorf("%s: %s\n got: %s\nwant: %s", tc.name, tc.src, got, tc.want)
		}
	}
}

// evalAsync is eval for a script whose promise settles later (timers): it
// waits up to 5 s for it.
func evalAsync(t testing.TB, iso *jsruntime.Isolate, src string) string {
	t.Helper()
	done := make(chan string, 1)
	err := iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(src)
		if err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				done <- "throws: " + describe(ex.Value())
				return nil
			}
			return err
		}
		jsruntime.Settle(rt, v, func(v goja.Value, err error) {
			if err != nil {
				if thrown := jsruntime.Thrown(err); thrown != nil {
					done <- "rejected: " + describe(thrown)
					return
				}
				done <- "rejected: " + err.Error()
				return
			}
			done <- v.String()
		})
		return nil
	})
	if err != nil {
		t.Fatal(jsruntime.FormatError(err))
	}
	select {
	case s := <-done:
		return s
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: did not settle", src)
		return ""
	}
}

var _ = fmt.Sprint
