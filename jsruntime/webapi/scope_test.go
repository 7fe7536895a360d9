package webapi

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// scopeIsolate is an isolate with the web APIs and the given compatibility
// flags whose uncaught-error log lines are collected.
type scopeIsolate struct {
	iso  *jsruntime.Isolate
	mu   sync.Mutex
	logs []string
}

func newScopeIsolate(t *testing.T, flags map[string]bool) *scopeIsolate {
	t.Helper()
	s := &scopeIsolate{}
	iso, err := jsruntime.New(jsruntime.Options{LogError: func(msg string) {
		s.mu.Lock()
		s.logs = append(s.logs, msg)
		s.mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	s.iso = iso
	do(t, iso, func(rt *goja.Runtime) error {
		return Install(iso, rt, Options{CompatibilityFlags: flags})
	})
	return s
}

// log is the first line of each log entry (the message; the stack
// follows).
func (s *scopeIsolate) log(t *testing.T) string {
	t.Helper()
	// The rejection report of a task comes after Do returned; a task run
	// after it sees it done.
	do(t, s.iso, func(*goja.Runtime) error { return nil })
	s.mu.Lock()
	defer s.mu.Unlock()
	heads := make([]string, len(s.logs))
	for i, l := range s.logs {
		heads[i], _, _ = strings.Cut(l, "\n")
	}
	return strings.Join(heads, "\n")
}

// run evaluates src in one task; the rejection reports come at its end.
func (s *scopeIsolate) run(t *testing.T, src string) string {
	t.Helper()
	return eval(t, s.iso, src)
}

func TestUnhandledRejectionEvent(t *testing.T) {
	s := newScopeIsolate(t, nil)
	s.run(t, `globalThis.seen = []; addEventListener("unhandledrejection", (e) => {
		seen.push([e.type, e instanceof PromiseRejectionEvent, e.reason.message, e.promise instanceof Promise, e.target === globalThis, e.cancelable].join());
		if (e.reason.message === "quiet") e.preventDefault();
	}); addEventListener("rejectionhandled", (e) => seen.push(e.type + "," + e.reason.message));
	globalThis.p1 = Promise.reject(new Error("quiet")); globalThis.p2 = Promise.reject(new Error("loud")); "ok"`)
	if got, want := s.run(t, `seen.join("|")`), "unhandledrejection,true,quiet,true,true,true|unhandledrejection,true,loud,true,true,true"; got != want {
		t.Errorf("events: got %s, want %s", got, want)
	}
	if got := s.log(t); got != "Uncaught (in promise) Error: loud" {
		t.Errorf("log: %q", got)
	}
	// A handler attached in a later task: "rejectionhandled".
	s.run(t, `p2.catch(() => {}); "ok"`)
	if got, want := s.run(t, `seen[2]`), "rejectionhandled,loud"; got != want {
		t.Errorf("rejectionhandled: got %s, want %s", got, want)
	}
}

func TestRejectionWithoutListenersLogs(t *testing.T) {
	s := newScopeIsolate(t, nil)
	s.run(t, `Promise.reject(new TypeError("x")); "ok"`)
	if got := s.log(t); got != "Uncaught (in promise) TypeError: x" {
		t.Errorf("log: %q", got)
	}
}

func TestReportError(t *testing.T) {
	s := newScopeIsolate(t, nil)
	got := s.run(t, `const seen = []; const l = (e) => { seen.push([e.type, e.constructor.name, e.message, e.error.message, e.target === globalThis].join()); if (e.error.message === "handled") e.preventDefault(); };
		addEventListener("error", l); reportError(new Error("handled")); reportError(new Error("logged")); removeEventListener("error", l); reportError("plain"); seen.join("|")`)
	if want := "error,ErrorEvent,handled,handled,true|error,ErrorEvent,logged,logged,true"; got != want {
		t.Errorf("events: got %s, want %s", got, want)
	}
	if got := s.log(t); got != "Uncaught Error: logged\nUncaught plain" {
		t.Errorf("log: %q", got)
	}
	if got := s.run(t, `reportError()`); got != "throws: TypeError: Failed to execute 'reportError' on 'ServiceWorkerGlobalScope': 1 argument required, but only 0 present." {
		t.Errorf("no argument: %s", got)
	}
}

func TestQueueMicrotaskErrorEvent(t *testing.T) {
	s := newScopeIsolate(t, nil)
	s.run(t, `addEventListener("error", (e) => { globalThis.caught = e.error.message; return e.error.message === "mine"; });
		queueMicrotask(() => { throw new Error("mine"); }); queueMicrotask(() => { throw new Error("other"); }); "ok"`)
	if got := s.run(t, `caught`); got != "other" {
		t.Errorf("caught: %s", got)
	}
	if got := s.log(t); got != "Uncaught Error: other" {
		t.Errorf("log: %q", got)
	}
}

func TestGlobalScope(t *testing.T) {
	flags := map[string]bool{"nodejs_compat": true, "web_socket_auto_reply_to_close": false}
	s := newScopeIsolate(t, flags)
	for _, c := range []jsCase{
		{"navigator", `[navigator.userAgent, navigator.language, navigator.hardwareConcurrency, "sendBeacon" in navigator, Object.prototype.toString.call(navigator)].join()`,
			`Cloudflare-Workers,en,1,false,[object Navigator]`},
		{"compatibilityFlags", `const f = Cloudflare.compatibilityFlags; [JSON.stringify(f), Object.getPrototypeOf(f), Object.isSealed(f), f === Cloudflare.compatibilityFlags].join()`,
			`{"nodejs_compat":true,"web_socket_auto_reply_to_close":false},,true,true`},
		{"compatibilityFlags read-only", `"use strict"; try { Cloudflare.compatibilityFlags.nodejs_compat = false } catch (e) { e.name }`, `TypeError`},
		{"performance", `const a = performance.now(), d = Date.now(); [performance.timeOrigin, Number.isInteger(a), Math.abs(d - a) < 1000].join()`, `0,true,true`},
		{"queueMicrotask message", `queueMicrotask(1)`, `throws: TypeError: Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.`},
		{"dispatchEvent on the global scope", `let t; addEventListener("x", function (e) { t = [e.target === globalThis, this === globalThis, e.isTrusted].join(); }); [dispatchEvent(new Event("x")), t].join()`, `true,true,true,false`},
		{"dispatchEvent non-event", `dispatchEvent({type: "x"})`, `throws: TypeError: Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.`},
		{"PromiseRejectionEvent not constructible", `new PromiseRejectionEvent("unhandledrejection", {promise: Promise.resolve()})`, `throws: TypeError: Illegal constructor`},
		{"scheduler.wait", `scheduler.wait(1).then((v) => "done " + v)`, `pending`},
		{"scheduler.wait aborted", `scheduler.wait(10, {signal: AbortSignal.abort()})`, `rejected: AbortError: The operation was aborted`},
		{"scheduler.wait bad signal", `scheduler.wait(1, {signal: 1})`, `rejected: TypeError: Failed to execute 'wait' on 'Scheduler': parameter 2 is not of type 'WaitOptions'.`},
	} {
		if got := s.run(t, c.src); got != c.want {
			t.Errorf("%s: %s\n got: %s\nwant: %s", c.name, c.src, got, c.want)
		}
	}
}

func TestSchedulerWaitAbortLater(t *testing.T) {
	s := newScopeIsolate(t, nil)
	s.run(t, `const c = new AbortController(); globalThis.r = "pending"; scheduler.wait(60000, {signal: c.signal}).then(() => r = "resolved", (e) => r = e.name + ": " + e.message); c.abort(new Error("stop")); "ok"`)
	if got := s.run(t, `r`); got != "Error: stop" {
		t.Errorf("got %s", got)
	}
	// The timer was cleared: nothing is pending on the isolate.
	var pending int
	do(t, s.iso, func(*goja.Runtime) error { pending = s.iso.Pending(nil); return nil })
	if pending != 0 {
		t.Errorf("pending after abort: %d", pending)
	}
	waited := make(chan struct{})
	do(t, s.iso, func(rt *goja.Runtime) error {
		return rt.Set("notify", func() { close(waited) })
	})
	s.run(t, `scheduler.wait(5).then(notify); "ok"`)
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("scheduler.wait(5) never resolved")
	}
}
