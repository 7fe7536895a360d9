package webapi

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

func TestWebAPIEvents(t *testing.T) {
	runCases(t, []jsCase{
		{"dispatch order and once",
			`const t = new EventTarget(); const o = [];
			 t.addEventListener("x", () => o.push(1)); t.addEventListener("x", () => o.push(2), {once: true});
			 t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x")); o.join()`,
			`1,2,1`},
		{"duplicate listener added once",
			`const t = new EventTarget(); let n = 0; const f = () => n++; t.addEventListener("x", f); t.addEventListener("x", f); t.dispatchEvent(new Event("x")); n`,
			`1`},
		{"remove", `const t = new EventTarget(); let n = 0; const f = () => n++; t.addEventListener("x", f); t.removeEventListener("x", f); t.dispatchEvent(new Event("x")); n`, `0`},
		{"handleEvent object", `const t = new EventTarget(); const h = {n: 0, handleEvent(e) { this.n++; }}; t.addEventListener("x", h); t.dispatchEvent(new Event("x")); h.n`, `1`},
		{"target and phase",
			`const t = new EventTarget(); let s; t.addEventListener("x", (e) => { s = [e.target === t, e.currentTarget === t, e.eventPhase, e.isTrusted].join(); }); const e = new Event("x"); t.dispatchEvent(e); s + " " + e.eventPhase`,
			`true,true,2,false 0`},
		{"preventDefault", `const t = new EventTarget(); t.addEventListener("x", (e) => e.preventDefault());
			 [t.dispatchEvent(new Event("x", {cancelable: true})), t.dispatchEvent(new Event("x"))].join()`, `false,true`},
		{"stopImmediatePropagation", `const t = new EventTarget(); let n = 0; t.addEventListener("x", (e) => { n++; e.stopImmediatePropagation(); }); t.addEventListener("x", () => n++); t.dispatchEvent(new Event("x")); n`, `1`},
		{"listener throws", `const t = new EventTarget(); t.addEventListener("x", () => { throw new Error("boom"); }); t.dispatchEvent(new Event("x"))`, `throws: Error: boom`},
		{"capture rejected", `new EventTarget().addEventListener("x", () => {}, true)`, `throws: TypeError: addEventListener(): useCapture must be false.`},
		{"dispatch non-event", `new EventTarget().dispatchEvent({type: "x"})`,
			`throws: TypeError: Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.`},
		{"signal removes listener", `const t = new EventTarget(); const c = new AbortController(); let n = 0; t.addEventListener("x", () => n++, {signal: c.signal}); c.abort(); t.dispatchEvent(new Event("x")); n`, `0`},
		{"extend EventTarget", `class W extends EventTarget { ping() { this.dispatchEvent(new MessageEvent("message", {data: "hi"})); } } const w = new W(); let d; w.addEventListener("message", (e) => d = e.data); w.ping(); d`, `hi`},
		{"CustomEvent", `new CustomEvent("c", {detail: {a: 1}}).detail.a`, `1`},
		{"MessageEvent", `const e = new MessageEvent("message", {data: 5}); e.type + e.data + (e instanceof Event)`, `message5true`},
		{"CloseEvent", `const a = new CloseEvent("close"); const b = new CloseEvent("close", {code: 1000, reason: "bye", wasClean: true});
			 [a.code, a.reason, a.wasClean, b.code, b.reason, b.wasClean].join()`, `0,,false,1000,bye,true`},
		{"ErrorEvent", `const err = new Error("x"); const e = new ErrorEvent("error", {message: "m", error: err}); e.message + (e.error === err)`, `mtrue`},
		{"Event without type", `new Event()`, `throws: TypeError: Failed to construct 'Event': 1 argument required, but only 0 present.`},
		{"abort controller",
			`const c = new AbortController(); const o = []; c.signal.onabort = (e) => o.push("on:" + e.type); c.signal.addEventListener("abort", () => o.push("listener"));
			 c.abort(); c.abort(); o.push(c.signal.aborted, c.signal.reason.name, c.signal.reason.message, c.signal.reason instanceof DOMException); o.join()`,
			`on:abort,listener,true,AbortError,The operation was aborted,true`},
		{"abort reason", `const c = new AbortController(); c.abort("why"); try { c.signal.throwIfAborted() } catch (e) { e }`, `why`},
		{"AbortSignal.abort", `const s = AbortSignal.abort(); s.aborted + " " + s.reason.name`, `true AbortError`},
		{"AbortSignal.any", `const a = new AbortController(); const s = AbortSignal.any([a.signal, new AbortController().signal]); a.abort(7); s.aborted + " " + s.reason`, `true 7`},
		{"AbortSignal illegal", `new AbortSignal()`, `throws: TypeError: Illegal constructor`},
	})
}

func TestWebAPIDOMException(t *testing.T) {
	runCases(t, []jsCase{
		{"fields", `const e = new DOMException("msg", "InvalidAccessError"); [e.name, e.message, e.code, e instanceof Error, e instanceof DOMException, String(e)].join()`,
			`InvalidAccessError,msg,15,true,true,InvalidAccessError: msg`},
		{"defaults", `const e = new DOMException(); JSON.stringify([e.name, e.message, e.code])`, `["Error","",0]`},
		{"options", `new DOMException("m", {name: "AbortError"}).code`, `20`},
		{"constants", `DOMException.ABORT_ERR + DOMException.prototype.DATA_CLONE_ERR`, `45`},
		{"stack header", `new DOMException("m", "SyntaxError").stack.split("\n")[0]`, `SyntaxError: m`},
		{"toStringTag", `Object.prototype.toString.call(new DOMException("m"))`, `[object Error]`},
	})
}

// With the isolate's timers, AbortSignal.timeout aborts its signal.
func TestWebAPIAbortSignalTimeout(t *testing.T) {
	iso, _ := newIsolate(t)
	if got := eval(t, iso, `globalThis.s = AbortSignal.timeout(1); s.aborted`); got != "false" {
		t.Fatalf("aborted at once: %s", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := eval(t, iso, `s.aborted ? s.reason.name + ": " + s.reason.message : "pending"`)
		if got == "TimeoutError: The operation was aborted due to timeout" {
			break
		}
		if got != "pending" || time.Now().After(deadline) {
			t.Fatalf("AbortSignal.timeout(1): %s", got)
		}
		time.Sleep(time.Millisecond)
	}
}

// With the web APIs installed, DataCloneError is a real DOMException.
func TestCloneErrorIsDOMException(t *testing.T) {
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Close()
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := Install(iso, rt, Options{}); err != nil {
			return err
		}
		_, err := rt.RunString(`
			let e;
			try { structuredClone(Symbol("s")); } catch (x) { e = x; }
			if (!(e instanceof DOMException)) throw new Error("not a DOMException: " + e);
			if (e.name !== "DataCloneError" || e.code !== 25 || e.message !== "Symbol(s) could not be cloned.")
				throw new Error("got " + e.name + " " + e.code + " " + e.message);
		`)
		return err
	})
	if err != nil {
		t.Fatal(jsruntime.FormatError(err))
	}
}
