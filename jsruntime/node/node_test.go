package node

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"testing"
)

// Every module of Node can be imported; what emu lacks throws workerd's
// ERR_METHOD_NOT_IMPLEMENTED when called.
func TestNotImplementedModules(t *testing.T) {
	runCases(t, Options{}, []jsCase{
		{"function", `require("fs").readFileSync("/x")`, "throws: Error: The fs.readFileSync method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
		{"class", `new (require("net").Socket)()`, "throws: Error: The net.Socket method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
		{"submodule", `require("fs").promises === require("fs/promises")`, "true"},
		{"submodule function", `require("fs").promises.readFile("/x")`, "throws: Error: The fs.promises.readFile method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
		{"partly implemented", `require("crypto").createCipheriv("aes-128-cbc")`, "throws: Error: The crypto.createCipheriv method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
		{"toString", `(() => { try { require("zlib").gzipSync("x"); } catch (e) { return String(e) + " " + (e instanceof Error); } })()`, "Error [ERR_METHOD_NOT_IMPLEMENTED]: The zlib.gzipSync method is not implemented true"},
		{"names", `typeof require("http").createServer + typeof require("os").cpus + typeof require("stream").Readable`, "functionfunctionfunction"},
		{"win32", `require("path").win32.join("a")`, "throws: Error: The path.win32.join method is not implemented [ERR_METHOD_NOT_IMPLEMENTED]"},
	})
}

// workerd's process.nextTick is queueMicrotask: it runs after promise
// reactions queued before it (Node runs it first).
func TestNextTickIsAMicrotask(t *testing.T) {
	iso, _ := newIsolate(t, Options{})
	got := eval(t, iso, `(() => { const out = []; Promise.resolve().then(() => out.push("then")); process.nextTick((a, b) => out.push("tick " + a + b), 1, 2); out.push("sync"); return Promise.resolve().then(() => Promise.resolve()).then(() => out.join()); })()`)
	if got != "sync,then,tick 12" {
		t.Errorf("order: %s", got)
	}
}

// process.env, as workerd fills it under nodejs_compat_populate_process_env:
// string vars as they are, plain JSON vars as JSON, other bindings left out.
func TestProcessEnv(t *testing.T) {
	const env = `({ NAME: "emu", LIMIT: 3, ON: true, CFG: { a: [1, "x"] }, NS: new (class Namespace {})(), FN() {} })`
	iso, _ := newIsolateEnv(t, Options{PopulateEnv: true}, env)
	if got := eval(t, iso, `JSON.stringify(require("process").env)`); got != `{"NAME":"emu","LIMIT":"3","ON":"true","CFG":"{\"a\":[1,\"x\"]}"}` {
		t.Errorf("populated env: %s", got)
	}
	iso, _ = newIsolateEnv(t, Options{PopulateEnv: false}, env)
	if got := eval(t, iso, `JSON.stringify(process.env)`); got != `{}` {
		t.Errorf("env without the flag: %s", got)
	}
	runCases(t, Options{}, []jsCase{
		{"set coerces", `process.env.X = 5; typeof process.env.X + process.env.X`, "string5"},
		{"getter refused", `Object.defineProperty(process.env, "Y", { get() {}, configurable: true, enumerable: true })`, "throws: TypeError: The argument 'descriptor' process.env value must not have getter/setter. Received { get: [Function: get], configurable: true, enumerable: true } [ERR_INVALID_ARG_VALUE]"},
		{"same object", `process === require("node:process") && process.env === require("process").env`, "true"},
	})
}

// The Buffer and process globals come with nodejs_compat_v2 only.
func TestGlobalsByMode(t *testing.T) {
	iso, _ := newIsolate(t, Options{Mode: V2})
	if got := eval(t, iso, `[typeof Buffer, Buffer === require("buffer").Buffer, typeof process, process === require("process"), typeof global].join()`); got != "function,true,object,true,undefined" {
		t.Errorf("V2 globals: %s", got)
	}
	if got := eval(t, iso, `globalThis.Buffer = 1; Buffer`); got != "1" {
		t.Errorf("assigning the global: %s", got)
	}
	iso1, _ := newIsolate(t, Options{Mode: V1})
	if got := eval(t, iso1, `typeof Buffer + typeof process + typeof require("buffer").Buffer`); got != "undefinedundefinedfunction" {
		t.Errorf("V1 globals: %s", got)
	}
}

func TestModulesForMode(t *testing.T) {
	v1, v2 := Modules(V1), Modules(V2)
	if _, ok := v1["buffer"]; ok {
		t.Error("V1 resolves bare names")
	}
	if v1["node:buffer"] != `module.exports = globalThis.__emu_node("buffer");`+"\n" {
		t.Errorf("node:buffer source: %q", v1["node:buffer"])
	}
	if v2["events"] == "" || v2["node:fs/promises"] == "" || v2["fs/promises"] == "" {
		t.Errorf("V2 lacks a specifier: %d entries", len(v2))
	}
	if len(Modules(Off)) != 0 {
		t.Error("Off resolves modules")
	}
	if b := Builtins(); len(b) != len(moduleNames) || b[0] != "assert" {
		t.Errorf("Builtins() = %v", b)
	}
}

// Digests match Go's crypto packages on random data.
func TestCryptoHashesMatchGo(t *testing.T) {
	iso, _ := newIsolate(t, Options{})
	data := make([]byte, 1000)
	_, _ = rand.Read(data)
	key := []byte("secret key")
	algs := []struct {
		name string
		fn   func() hash.Hash
	}{{"md5", md5.New}, {"sha1", sha1.New}, {"sha256", sha256.New}, {"sha384", sha512.New384}, {"sha512", sha512.New}}
	for _, a := range algs {
		h := a.fn()
		h.Write(data)
		want := hex.EncodeToString(h.Sum(nil))
		m := hmac.New(a.fn, key)
		m.Write(data)
		wantMAC := hex.EncodeToString(m.Sum(nil))
		src := fmt.Sprintf(`(() => { const c = require("crypto"); const d = Buffer.from(%q, "hex");
			const h = c.createHash(%q); h.update(d.subarray(0, 300)); h.update(d.subarray(300));
			return h.digest("hex") + " " + c.createHmac(%q, %q).update(d).digest("hex"); })()`,
			hex.EncodeToString(data), a.name, a.name, string(key))
		if got := eval(t, iso, src); got != want+" "+wantMAC {
			t.Errorf("%s: got %s\nwant %s %s", a.name, got, want, wantMAC)
		}
	}
}

// console.log prints Node's objects as workerd does.
func TestConsoleLogOfNodeObjects(t *testing.T) {
	iso, log := newIsolate(t, Options{})
	eval(t, iso, `console.log(Buffer.from("hi"), [Buffer.alloc(2)]);
		try { require("fs").readFileSync("x"); } catch (e) { console.log(String(e)); }`)
	want := "log: <Buffer 68 69> [ <Buffer 00 00> ]\nlog: Error [ERR_METHOD_NOT_IMPLEMENTED]: The fs.readFileSync method is not implemented"
	if got := log.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEventsAndTimersAsync(t *testing.T) {
	iso, _ := newIsolate(t, Options{})
	cases := []jsCase{
		{"once", `(() => { const E = require("events"); const e = new E(); setTimeout(() => e.emit("go", 1, 2), 1); return E.once(e, "go").then((args) => args.join("+")); })()`, "1+2"},
		{"once error", `(() => { const E = require("events"); const e = new E(); setTimeout(() => e.emit("error", new Error("bad")), 1); return E.once(e, "go"); })()`, "rejected: Error: bad"},
		{"on", `(() => { const E = require("events"); const e = new E(); const it = E.on(e, "v"); setTimeout(() => { e.emit("v", "a"); e.emit("v", "b"); }, 1); const out = []; return it.next().then((r) => { out.push(r.value[0]); return it.next(); }).then((r) => { out.push(r.value[0]); return it.return(); }).then((r) => out.join() + " " + r.done); })()`, "a,b true"},
		{"timers/promises abort", `(() => { const ac = new AbortController(); const p = require("timers/promises").setTimeout(1000, "v", { signal: ac.signal }); ac.abort(); return p; })()`, "rejected: AbortError: The operation was aborted [ABORT_ERR]"},
		{"setImmediate", `new Promise((r) => require("timers").setImmediate((a) => r("imm " + a), 7))`, "imm 7"},
		{"clearTimeout of a Timeout", `new Promise((r) => { const t = require("timers").setTimeout(() => r("fired"), 5); require("timers").clearTimeout(t); setTimeout(() => r("cleared"), 20); })`, "cleared"},
		{"setInterval iterator", `(async () => { const it = require("timers/promises").setInterval(1, "x"); const a = await it.next(); const b = await it.next(); await it.return(); return a.value + b.value; })()`, "xx"},
		{"randomBytes callback", `new Promise((r) => require("crypto").randomBytes(4, (err, b) => r(err + " " + b.length)))`, "null 4"},
		{"pbkdf2 callback", `new Promise((r) => require("crypto").pbkdf2("p", "s", 1, 4, "sha1", (err, k) => r(k.toString("hex"))))`, "843c87e7"},
	}
	for _, tc := range cases {
		if got := evalAsync(t, iso, tc.src); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}
