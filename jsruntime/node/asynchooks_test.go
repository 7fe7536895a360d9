package node

import (
	"strings"
	"testing"
)

// AsyncLocalStorage's store follows the work a run() starts: awaits, promise
// chains, microtasks, timers (set inside run, firing after it returned),
// nested runs and exit; a task from Go starts without one.
func TestAsyncLocalStorageAcrossAsyncWork(t *testing.T) {
	iso, _ := newIsolate(t, Options{})
	got := evalAsync(t, iso, `(() => {
		const { AsyncLocalStorage } = require("node:async_hooks");
		const als = new AsyncLocalStorage();
		const other = new AsyncLocalStorage();
		const log = [];
		const note = (what) => log.push(what + "=" + als.getStore() + "/" + other.getStore());
		const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
		const request = (id) => als.run(id, async () => {
			note("start " + id);
			await null;
			note("await " + id);
			await sleep(id === "A" ? 5 : 1);
			note("timer " + id);
			await Promise.resolve().then(() => note("then " + id)).then(() => sleep(1)).then(() => note("chain " + id));
			queueMicrotask(() => note("micro " + id));
			process.nextTick(() => note("tick " + id));
			other.run("inner", () => note("nested " + id));
			als.exit(() => note("exit " + id));
			await new Promise((r) => setTimeout(() => { note("cb " + id); r(); }, 1));
			return id;
		});
		note("before");
		return Promise.all([request("A"), request("B")]).then(() => { note("after"); return log.join("\n"); });
	})()`)
	for _, want := range []string{
		"before=undefined/undefined",
		"start A=A/undefined", "start B=B/undefined",
		"await A=A/undefined", "await B=B/undefined",
		"timer A=A/undefined", "timer B=B/undefined",
		"then A=A/undefined", "chain A=A/undefined", "chain B=B/undefined",
		"micro A=A/undefined", "tick B=B/undefined",
		"nested A=A/inner", "nested B=B/inner",
		"exit A=undefined/undefined",
		"cb A=A/undefined", "cb B=B/undefined",
		"after=undefined/undefined",
	} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	// A new task (a request, an event) starts without a store.
	if got := eval(t, iso, `String(new (require("async_hooks").AsyncLocalStorage)().getStore())`); got != "undefined" {
		t.Errorf("store in a new task: %s", got)
	}
}

func TestAsyncLocalStorageAPI(t *testing.T) {
	runCases(t, Options{}, []jsCase{
		{"run returns", `new (require("async_hooks").AsyncLocalStorage)().run(1, (a, b) => a + b, 2, 3)`, "5"},
		{"run restores on throw", `(() => { const als = new (require("async_hooks").AsyncLocalStorage)(); try { als.run(1, () => { throw new Error("x"); }); } catch {} return String(als.getStore()); })()`, "undefined"},
		{"enterWith", `(() => { const als = new (require("async_hooks").AsyncLocalStorage)(); als.run(0, () => {}); let v; als.run(1, () => { als.enterWith(2); v = als.getStore(); }); return v + " " + als.getStore(); })()`, "2 undefined"},
		{"snapshot", `(() => { const { AsyncLocalStorage } = require("async_hooks"); const als = new AsyncLocalStorage(); const snap = als.run("in", () => AsyncLocalStorage.snapshot()); return snap(() => als.getStore()) + " " + als.getStore(); })()`, "in undefined"},
		{"bind", `(() => { const { AsyncLocalStorage } = require("async_hooks"); const als = new AsyncLocalStorage(); const f = als.run("b", () => AsyncLocalStorage.bind(() => als.getStore())); return f(); })()`, "b"},
		{"AsyncResource", `(() => { const { AsyncLocalStorage, AsyncResource } = require("async_hooks"); const als = new AsyncLocalStorage(); const r = als.run("res", () => new AsyncResource("T")); return r.runInAsyncScope(function (x) { return als.getStore() + x + this.k; }, { k: "!" }, 1); })()`, "res1!"},
		{"disable", `(() => { const als = new (require("async_hooks").AsyncLocalStorage)(); return als.run(1, () => { als.disable(); return String(als.getStore()); }); })()`, "undefined"},
		{"run needs a function", `new (require("async_hooks").AsyncLocalStorage)().run(1, 2)`, `throws: TypeError: The "callback" argument must be of type function. Received type number (2) [ERR_INVALID_ARG_TYPE]`},
		{"createHook is not implemented", `require("async_hooks").createHook({})`, "throws: Error: The async_hooks.createHook method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
	})
}

// With nodejs_als alone, node:async_hooks is the only module.
func TestALSMode(t *testing.T) {
	iso, _ := newIsolate(t, Options{Mode: ALS})
	if got := eval(t, iso, `typeof require("async_hooks").AsyncLocalStorage`); got != "function" {
		t.Errorf("async_hooks: %s", got)
	}
	if got := eval(t, iso, `require("buffer")`); got != `throws: Error: No such module "node:buffer".` {
		t.Errorf("buffer under nodejs_als: %s", got)
	}
	if got := eval(t, iso, `typeof Buffer + typeof process`); got != "undefinedundefined" {
		t.Errorf("globals under nodejs_als: %s", got)
	}
	if m := Modules(ALS); len(m) != 1 || m["node:async_hooks"] == "" {
		t.Errorf("Modules(ALS) = %v", m)
	}
}

// A timer's callback keeps the store even when a later task from Go (a new
// request) ran in between.
func TestAsyncLocalStorageTimerAcrossTasks(t *testing.T) {
	iso, _ := newIsolate(t, Options{})
	eval(t, iso, `const { AsyncLocalStorage } = require("async_hooks");
		globalThis.als = new AsyncLocalStorage();
		globalThis.fired = new Promise((resolve) => als.run("first", () => setTimeout(() => resolve("timer sees " + als.getStore()), 30)));`)
	if got := eval(t, iso, `"second task sees " + als.getStore()`); got != "second task sees undefined" {
		t.Errorf("second task: %s", got)
	}
	if got := evalAsync(t, iso, `fired`); got != "timer sees first" {
		t.Errorf("timer: %s", got)
	}
}
