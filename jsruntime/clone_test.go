package jsruntime

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// cloneRuntime is a bare goja runtime with structuredClone installed and a
// small assertion helper, eq(actual, expected, what).
func cloneRuntime(t testing.TB) *goja.Runtime {
	t.Helper()
	rt := goja.New()
	InstallStructuredClone(rt)
	if _, err := rt.RunString(`
		function eq(a, b, what) {
			if (!Object.is(a, b)) throw new Error((what || "value") + ": got " + String(a) + ", want " + String(b));
		}
		function clone(v) { return structuredClone(v); }
	`); err != nil {
		t.Fatal(err)
	}
	return rt
}

func TestCloneRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		js   string // runs with eq and clone defined
	}{
		{"undefined", `eq(clone(undefined), undefined)`},
		{"null", `eq(clone(null), null)`},
		{"booleans", `eq(clone(true), true); eq(clone(false), false)`},
		{"integers", `for (const n of [0, 1, -1, 127, 128, -129, 2**31, 2**53, -(2**53), 2**53 + 2, 2**60, -(2**63)]) eq(clone(n), n, String(n))`},
		{"special numbers", `eq(clone(-0), -0, "-0"); eq(clone(NaN), NaN); eq(clone(Infinity), Infinity); eq(clone(-Infinity), -Infinity); eq(clone(1.5), 1.5); eq(clone(5e-324), 5e-324)`},
		{"bigint", `for (const n of [0n, 1n, -1n, 2n**64n, -(2n**200n) + 7n]) eq(clone(n), n, String(n))`},
		{"strings", `for (const s of ["", "a", "héllo wörld", "😀", "\u0000", "\ufffd", "日本語"]) eq(clone(s), s, s)`},
		{"lone surrogates", `
			const s = clone("a\ud800b\udc00\ud83d");
			eq(s.length, 5, "length"); eq(s.charCodeAt(1), 0xd800); eq(s.charCodeAt(3), 0xdc00); eq(s.charCodeAt(4), 0xd83d);
			eq(clone("\ud83d\ude00\ufffd"), "\ud83d\ude00\ufffd", "pair + U+FFFD")`},
		{"wrappers", `
			let b = clone(new Boolean(false)); eq(typeof b, "object"); eq(b.valueOf(), false);
			let n = clone(new Number(-0)); eq(typeof n, "object"); eq(n.valueOf(), -0);
			let s = clone(new String("a\ud800")); eq(typeof s, "object"); eq(s.valueOf(), "a\ud800");
			let z = clone(Object(12n)); eq(typeof z, "object"); eq(z.valueOf(), 12n)`},
		{"date", `
			const d = clone(new Date(1700000000123)); eq(d instanceof Date, true); eq(d.getTime(), 1700000000123);
			eq(clone(new Date(NaN)).getTime(), NaN, "invalid date")`},
		{"regexp", `
			const r = /a+(b)?/gimsuy; r.lastIndex = 3;
			const c = clone(r); eq(c instanceof RegExp, true); eq(c.source, r.source); eq(c.flags, r.flags); eq(c.lastIndex, 0)`},
		{"plain object", `
			const o = clone({b: 1, a: {c: [1, 2]}, 2: "x", 1: "y", "": null, u: undefined});
			eq(Object.keys(o).join(), "1,2,b,a,,u"); eq(o.a.c[1], 2); eq(o[1], "y"); eq("u" in o, true); eq(o.u, undefined)`},
		{"__proto__ key", `
			const o = clone(JSON.parse('{"__proto__": {"x": 1}}'));
			eq(Object.getPrototypeOf(o), Object.prototype, "proto"); eq(o.__proto__.x, 1); eq(Object.keys(o)[0], "__proto__")`},
		{"null prototype", `const o = Object.create(null); o.x = 1; eq(clone(o).x, 1)`},
		{"class instance", `
			class P { constructor() { this.x = 1; } get y() { return 2; } }
			const c = clone(new P()); eq(Object.getPrototypeOf(c), Object.prototype); eq(c.x, 1); eq(c.y, undefined)`},
		{"getters run", `let n = 0; const c = clone({get x() { n++; return 7; }}); eq(c.x, 7); eq(n, 1)`},
		{"arrays", `
			const a = clone([1, "two", [3], {four: 4}]); eq(Array.isArray(a), true); eq(a.length, 4); eq(a[2][0], 3); eq(a[3].four, 4);
			eq(clone([]).length, 0)`},
		{"sparse arrays", `
			const a = [1, , 3]; a.length = 10; a.extra = "e";
			const c = clone(a); eq(Array.isArray(c), true); eq(c.length, 10); eq(1 in c, false); eq(c[2], 3); eq(c.extra, "e");
			const big = []; big[100000] = 1; eq(clone(big).length, 100001)`},
		{"map", `
			const k = {k: 1}; const m = new Map([[k, "obj"], ["s", {v: 2}], [NaN, 3]]);
			const c = clone(m); eq(c instanceof Map, true); eq(c.size, 3);
			const keys = [...c.keys()]; eq(keys[0].k, 1); eq(c.get(keys[0]), "obj"); eq(c.get("s").v, 2); eq(c.get(NaN), 3)`},
		{"set", `
			const c = clone(new Set([1, "a", {b: 2}, 1])); eq(c instanceof Set, true); eq(c.size, 3); eq([...c][2].b, 2)`},
		{"arraybuffer", `
			const b = new Uint8Array([1, 2, 255]).buffer; const c = clone(b);
			eq(c instanceof ArrayBuffer, true); eq(c.byteLength, 3); eq(new Uint8Array(c)[2], 255); eq(c === b, false)`},
		{"typed arrays", `
			for (const T of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]) {
				const buf = new ArrayBuffer(64); const a = new T(buf, 8, 3); a[0] = 1; a[2] = 100;
				const c = clone(a); eq(c instanceof T, true, T.name); eq(c.byteOffset, 8, T.name + " offset"); eq(c.length, 3);
				eq(c.buffer.byteLength, 64); eq(c[2], 100, T.name + " value");
			}
			const bi = clone(new BigInt64Array([-5n, 7n])); eq(bi instanceof BigInt64Array, true); eq(bi[0], -5n);
			const bu = clone(new BigUint64Array([2n**64n - 1n])); eq(bu[0], 2n**64n - 1n)`},
		{"dataview", `
			const dv = new DataView(new ArrayBuffer(16), 4, 8); dv.setInt16(0, -2);
			const c = clone(dv); eq(c instanceof DataView, true); eq(c.byteOffset, 4); eq(c.byteLength, 8); eq(c.getInt16(0), -2)`},
		{"views share a buffer", `
			const buf = new ArrayBuffer(8); const o = {a: new Uint8Array(buf), b: new Uint16Array(buf, 2, 2), buf};
			const c = clone(o); eq(c.a.buffer, c.b.buffer, "shared"); eq(c.buf, c.a.buffer, "same object");
			c.b[0] = 0x0102; eq(c.a[2], 2); eq(c.a[3], 1)`},
		{"errors", `
			const e = new TypeError("bad"); const c = clone(e);
			eq(c instanceof TypeError, true); eq(c.name, "TypeError"); eq(c.message, "bad"); eq(c.stack, e.stack, "stack");
			for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, URIError]) eq(clone(new E("m")) instanceof E, true, E.name);
			class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; } }
			const m = clone(new MyErr("x")); eq(m.name, "Error"); eq(Object.getPrototypeOf(m), Error.prototype); eq(m.message, "x");
			const noMsg = clone(new Error()); eq(Object.prototype.hasOwnProperty.call(noMsg, "message"), false);
			const withCause = clone(new Error("outer", {cause: {code: 7}})); eq(withCause.cause.code, 7)`},
		{"cycles and shared references", `
			const o = {name: "o"}; o.self = o; const shared = {s: 1}; o.x = shared; o.y = [shared, shared];
			const c = clone(o); eq(c.self, c, "self"); eq(c.x, c.y[0]); eq(c.y[0], c.y[1]); eq(c === o, false);
			const a = []; a.push(a); const ca = clone(a); eq(ca[0], ca);
			const m = new Map(); m.set(m, m); const cm = clone(m); eq(cm.get(cm), cm);
			const e = new Error("e"); e.cause = e; const ce = clone(e); eq(ce.cause, ce)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := cloneRuntime(t)
			if _, err := rt.RunString(tc.js); err != nil {
				t.Fatal(FormatError(err))
			}
		})
	}
}

func TestCloneErrors(t *testing.T) {
	tests := []struct {
		js, msg string
	}{
		{`(function () {})`, "function () {} could not be cloned."},
		{`(() => 1)`, "() => 1 could not be cloned."},
		{`({f: function f(a) { return a; }})`, "function f(a) { return a; } could not be cloned."},
		{`[1, class A {}]`, "class A {} could not be cloned."},
		{`Symbol("x")`, "Symbol(x) could not be cloned."},
		{`Symbol()`, "Symbol() could not be cloned."},
		{`({s: Symbol.iterator})`, "Symbol(Symbol.iterator) could not be cloned."},
		{`Object(Symbol("y"))`, "#<Symbol> could not be cloned."},
		{`new WeakMap()`, "#<WeakMap> could not be cloned."},
		{`new WeakSet()`, "#<WeakSet> could not be cloned."},
		{`Promise.resolve(1)`, "#<Promise> could not be cloned."},
		{`new Map().entries()`, "#<Map Iterator> could not be cloned."},
		{`(function* () {})()`, "#<Generator> could not be cloned."},
		{`new Proxy({}, {})`, "#<Object> could not be cloned."},
	}
	for _, tc := range tests {
		t.Run(tc.msg, func(t *testing.T) {
			t.Parallel()
			rt := cloneRuntime(t)
			v, err := rt.RunString(tc.js)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Serialize(rt, v)
			var ex *goja.Exception
			if !errors.As(err, &ex) {
				t.Fatalf("Serialize(%s) = %v, want a JS exception", tc.js, err)
			}
			e := ex.Value().(*goja.Object)
			if got := e.Get("name").String() + ": " + e.Get("message").String(); got != "DataCloneError: "+tc.msg {
				t.Errorf("Serialize(%s) threw %q, want %q", tc.js, got, "DataCloneError: "+tc.msg)
			}
		})
	}
}

func TestCloneGlobalThrows(t *testing.T) {
	rt := cloneRuntime(t)
	_, err := rt.RunString(`
		let caught;
		try { structuredClone({a: () => {}}); } catch (e) { caught = e; }
		eq(caught.name, "DataCloneError"); eq(caught.message, "() => {} could not be cloned.");
		// Getters that throw propagate unchanged.
		try { structuredClone({get x() { throw new RangeError("boom"); }}); } catch (e) { caught = e; }
		eq(caught instanceof RangeError, true); eq(caught.message, "boom");
		eq(structuredClone(), undefined);
	`)
	if err != nil {
		t.Fatal(FormatError(err))
	}
}

func TestCloneIgnoresPatchedGlobals(t *testing.T) {
	rt := cloneRuntime(t)
	_, err := rt.RunString(`
		const m = new Map([[1, 2]]);
		Map.prototype.forEach = () => { throw new Error("patched"); };
		Map.prototype.set = () => { throw new Error("patched"); };
		globalThis.Map = function () { throw new Error("patched"); };
		eq(clone(m).get(1), 2);
	`)
	if err != nil {
		t.Fatal(FormatError(err))
	}
}

func TestCloneDepthLimit(t *testing.T) {
	rt := cloneRuntime(t)
	v, err := rt.RunString(`let deep = []; for (let i = 0; i < 5000; i++) deep = [deep]; deep`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Serialize(rt, v); err == nil || !strings.Contains(err.Error(), "Maximum call stack size exceeded") {
		t.Fatalf("Serialize(deep) = %v, want RangeError", err)
	}
	shallow, _ := rt.RunString(`let d = 1; for (let i = 0; i < 1000; i++) d = [d]; d`)
	if _, err := StructuredClone(rt, shallow); err != nil {
		t.Fatalf("StructuredClone(1000 deep) = %v", err)
	}
}

func TestDeserializeRejectsGarbage(t *testing.T) {
	rt := goja.New()
	for _, b := range [][]byte{
		nil,
		{0xEC},
		{0xEC, 2, 'u'},
		{0xEC, 1},
		{0xEC, 1, 'u', 'u'},
		{0xEC, 1, '?'},
		{0xEC, 1, 's', 5, 'a'},
		{0xEC, 1, '^', 0},
		{0xEC, 1, 'o', 1, 1, 'k', '^', 0, 'o', 0},
		{0xEC, 1, 'V', 2, 0, 1, 'i', 0},
		{0xEC, 1, 'V', 99, 0, 1, 'B', 1, 0},
		{0xEC, 1, 'a', 200},
	} {
		if v, err := Deserialize(rt, b); err == nil {
			t.Errorf("Deserialize(%q) = %v, want an error", b, v)
		}
	}
	// A typed array that does not fit its buffer is a JS RangeError.
	_, err := Deserialize(rt, []byte{0xEC, 1, 'V', 6, 0, 9, 'B', 4, 0, 0, 0, 0})
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Errorf("Deserialize(bad view) = %v, want a JS exception", err)
	}
}

// FuzzDeserialize checks that the decoder never panics on arbitrary bytes
// (storage files and RPC payloads are outside input) and that what it
// accepts encodes again to a stable form. Seeds: testdata/fuzz/FuzzDeserialize.
func FuzzDeserialize(f *testing.F) {
	rt := goja.New()
	InstallStructuredClone(rt)
	for _, js := range []string{
		`undefined`, `-0`, `123456789n`, `"a\ud800"`, `[1, , {a: [new Date(0)]}]`,
		`(() => { const o = {m: new Map([[1, new Set([2])]]), r: /x/g}; o.o = o; return o; })()`,
		`(() => { const b = new ArrayBuffer(8); return [new Uint16Array(b, 2, 1), new DataView(b), b]; })()`,
		`new TypeError("t", {cause: [Object(1), Object("s"), Object(true), Object(2n)]})`,
		`(() => { const a = []; a[5] = 1; a.x = "y"; return [a, new Float64Array([NaN, -0]), new BigInt64Array([-1n])]; })()`,
		`(() => { const s = new Set(); s.add(s); const m = new Map([[s, s]]); return [m, m, new Date(NaN), "\u00e9\ud83d\ude00"]; })()`,
		`new RangeError("r", {cause: new Error("inner")})`,
		`({["__proto__"]: 1, 0: "zero", "": null, [2 ** 32]: true})`,
	} {
		v, err := rt.RunString(js)
		if err != nil {
			f.Fatal(err)
		}
		b, err := Serialize(rt, v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Deserialize(rt, b)
		if err != nil {
			return
		}
		// Whatever decodes must encode again, and that encoding is a fixed
		// point: it decodes to a value that encodes to the same bytes.
		b2, err := Serialize(rt, v)
		if err != nil {
			t.Fatalf("re-Serialize: %v", err)
		}
		v2, err := Deserialize(rt, b2)
		if err != nil {
			t.Fatalf("Deserialize(Serialize(v)) of %q: %v", b2, err)
		}
		b3, err := Serialize(rt, v2)
		if err != nil {
			t.Fatalf("third Serialize: %v", err)
		}
		if !bytes.Equal(b2, b3) {
			t.Fatalf("encoding is not stable:\n%q\n%q", b2, b3)
		}
	})
}

func BenchmarkCloneObject(b *testing.B) {
	rt := cloneRuntime(b)
	v, _ := rt.RunString(`({id: 12345, name: "player-one", pos: [1.5, -2, 3], tags: new Set(["a", "b"]), at: new Date(0)})`)
	b.ReportAllocs()
	for b.Loop() {
		buf, err := Serialize(rt, v)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Deserialize(rt, buf); err != nil {
			b.Fatal(err)
		}
	}
}
