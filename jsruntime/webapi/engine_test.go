package webapi

import (
	"testing"

	"github.com/dop251/goja"
)

// engineGaps are the built-ins V8 in workerd has, whether goja has each
// (the probe below checks it on a bare goja runtime, so a goja upgrade that
// adds one shows up here), and a use of each that must work once the web
// APIs are installed.
var engineGaps = []struct {
	name     string // expression naming the built-in
	gojaHas  bool
	use, out string
}{
	{"Promise.withResolvers", false, `const r = Promise.withResolvers(); r.resolve(7); r.promise`, `7`},
	{"Promise.try", false, `Promise.try((a, b) => a + b, 2, 3)`, `5`},
	{"Object.groupBy", false, `JSON.stringify(Object.groupBy([1, 2, 3, 4], (x) => (x % 2 ? "odd" : "even")))`, `{"odd":[1,3],"even":[2,4]}`},
	{"Map.groupBy", false, `const m = Map.groupBy([1, 2, 3], (x) => x > 1); m.get(true).join() + "|" + m.get(false).join()`, `2,3|1`},
	{"Array.fromAsync", false, `Array.fromAsync([1, Promise.resolve(2)], (x) => x * 10).then((a) => a.join())`, `10,20`},
	{"Array.prototype.findLast", true, `[1, 2, 3].findLast((x) => x < 3)`, `2`},
	{"Array.prototype.findLastIndex", true, `[1, 2, 3].findLastIndex((x) => x < 3)`, `1`},
	{"Array.prototype.toSorted", true, `[3, 1, 2].toSorted().join()`, `1,2,3`},
	{"Array.prototype.toReversed", true, `[1, 2].toReversed().join()`, `2,1`},
	{"Array.prototype.toSpliced", true, `[1, 2, 3].toSpliced(1, 1).join()`, `1,3`},
	{"Array.prototype.with", true, `[1, 2].with(0, 9).join()`, `9,2`},
	{"Set.prototype.union", true, `[...new Set([1]).union(new Set([2]))].join()`, `1,2`},
	{"Set.prototype.intersection", true, `[...new Set([1, 2]).intersection(new Set([2]))].join()`, `2`},
	{"Set.prototype.difference", true, `[...new Set([1, 2]).difference(new Set([2]))].join()`, `1`},
	{"Set.prototype.symmetricDifference", true, `[...new Set([1, 2]).symmetricDifference(new Set([2, 3]))].join()`, `1,3`},
	{"Set.prototype.isSubsetOf", true, `new Set([1]).isSubsetOf(new Set([1, 2]))`, `true`},
	{"Set.prototype.isSupersetOf", true, `new Set([1, 2]).isSupersetOf(new Set([1]))`, `true`},
	{"Set.prototype.isDisjointFrom", true, `new Set([1]).isDisjointFrom(new Set([2]))`, `true`},
	{"String.prototype.isWellFormed", false, `"a\uD800".isWellFormed() + " " + "a😀".isWellFormed()`, `false true`},
	{"String.prototype.toWellFormed", false, `"a\uD800".toWellFormed().charCodeAt(1).toString(16)`, `fffd`},
	{"Error.captureStackTrace", false, `function outer() { const o = {message: "m"}; Error.captureStackTrace(o); return o.stack; } outer().split("\n")[0]`, `Error: m`},
	{"Error.stackTraceLimit", false, `Error.stackTraceLimit`, `10`},
	{"Error.isError", true, `Error.isError(new TypeError()) + " " + Error.isError({})`, `true false`},
	{"Iterator", false, `typeof Iterator + " " + ([][Symbol.iterator]() instanceof Iterator)`, `function true`},
	{"Iterator.from", false, `Iterator.from({ i: 0, next() { return { done: this.i > 2, value: this.i++ }; } }).toArray().join()`, `0,1,2`},
	{"Iterator.prototype.map", false, `[1, 2, 3].values().map((x) => x * 2).toArray().join()`, `2,4,6`},
	{"Iterator.prototype.filter", false, `[1, 2, 3].values().filter((x) => x % 2).toArray().join()`, `1,3`},
	{"Iterator.prototype.take", false, `[1, 2, 3].values().take(2).toArray().join()`, `1,2`},
	{"Iterator.prototype.drop", false, `[1, 2, 3].values().drop(2).toArray().join()`, `3`},
	{"Iterator.prototype.flatMap", false, `[1, 2].values().flatMap((x) => [x, x]).toArray().join()`, `1,1,2,2`},
	{"Iterator.prototype.reduce", false, `[1, 2, 3].values().reduce((a, b) => a + b)`, `6`},
	{"Iterator.prototype.toArray", false, `new Set([1]).values().toArray().length`, `1`},
	{"Iterator.prototype.forEach", false, `let n = 0; [1, 2].values().forEach((x) => (n += x)); n`, `3`},
	{"Iterator.prototype.some", false, `[1, 2].values().some((x) => x > 1)`, `true`},
	{"Iterator.prototype.every", false, `[1, 2].values().every((x) => x > 1)`, `false`},
	{"Iterator.prototype.find", false, `[1, 2].values().find((x) => x > 1)`, `2`},
	{"Symbol.asyncIterator", false, `typeof Symbol.asyncIterator`, `symbol`},
	{"Symbol.dispose", false, `typeof Symbol.dispose`, `symbol`},
	{"Symbol.asyncDispose", false, `typeof Symbol.asyncDispose`, `symbol`},
	{"SuppressedError", false, `const e = new SuppressedError(1, 2, "m"); e.name + " " + e.error + e.suppressed + " " + (e instanceof Error)`, `SuppressedError 12 true`},
	{"WeakRef", false, `const o = {}; new WeakRef(o).deref() === o`, `true`},
	{"FinalizationRegistry", false, `new FinalizationRegistry(() => {}).register({}, 1); "ok"`, `ok`},
	{"ArrayBuffer.prototype.transfer", false, `new Uint8Array(new Uint8Array([1, 2]).buffer.transfer(3)).join()`, `1,2,0`},
	{"ArrayBuffer.prototype.detached", false, `new ArrayBuffer(1).detached`, `false`},
	{"ArrayBuffer.prototype.resizable", false, `new ArrayBuffer(1).resizable`, `false`},
	{"RegExp.escape", false, `RegExp.escape("a.b*c")`, `\x61\.b\*c`},
	{"Math.f16round", false, `Math.f16round(5.0000001) + " " + Math.f16round(65520) + " " + Math.f16round(1.337)`, `5 Infinity 1.3369140625`},
	{"Atomics", false, `const a = new Int32Array(1); Atomics.add(a, 0, 5); Atomics.load(a, 0)`, `5`},
	{"Uint8Array.fromBase64", true, `Uint8Array.fromBase64("aGk=").join()`, `104,105`},
	{"Uint8Array.prototype.toHex", true, `new Uint8Array([255]).toHex()`, `ff`},
	{"Object.hasOwn", true, `Object.hasOwn({a: 1}, "a")`, `true`},
	{"AggregateError", true, `new AggregateError([1], "m", {cause: 2}).cause`, `2`},
	{"Promise.any", true, `Promise.any([Promise.reject(1), 2])`, `2`},
	{"JSON.rawJSON", true, `JSON.stringify({a: JSON.rawJSON("1e3")})`, `{"a":1e3}`},
}

func TestEngineGapsProbe(t *testing.T) {
	bare := goja.New()
	for _, g := range engineGaps {
		v, err := bare.RunString(`(() => { try { return typeof (` + g.name + `) !== "undefined"; } catch { return false; } })()`)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.ToBoolean(); got != g.gojaHas {
			t.Errorf("goja has %s: %v, the list says %v", g.name, got, g.gojaHas)
		}
	}
	cases := make([]jsCase, 0, len(engineGaps))
	for _, g := range engineGaps {
		cases = append(cases, jsCase{g.name, g.use, g.out})
	}
	runCases(t, cases)
}

func TestEngineBuiltinShapes(t *testing.T) {
	runCases(t, []jsCase{
		{"methods not enumerable", `Object.keys(Promise).concat(Object.keys(Object), Object.keys(String.prototype), Object.keys(Error), Object.keys(Iterator.prototype)).join()`, `stackTraceLimit`},
		{"names and lengths", `[Promise.withResolvers, Object.groupBy, Array.fromAsync, Error.captureStackTrace, String.prototype.toWellFormed].map((f) => f.name + "/" + f.length).join()`,
			`withResolvers/0,groupBy/2,fromAsync/1,captureStackTrace/2,toWellFormed/0`},
		{"Iterator abstract", `new Iterator()`, `throws: TypeError: Abstract class Iterator not directly constructable`},
		{"Iterator subclass", `class I extends Iterator { next() { return {done: true}; } } new I().toArray().length`, `0`},
		{"helper toStringTag", `Object.prototype.toString.call([].values().map((x) => x))`, `[object Iterator Helper]`},
		{"helper return closes", `let closed = 0; const it = { next: () => ({done: false, value: 1}), return() { closed++; return {}; }, __proto__: Iterator.prototype }; const h = it.map((x) => x); h.next(); h.return(); closed`, `1`},
		{"take closes at limit", `let closed = 0; const it = { next: () => ({done: false, value: 1}), return() { closed++; return {}; }, __proto__: Iterator.prototype }; it.take(1).toArray().length + "," + closed`, `1,1`},
		{"take negative", `[].values().take(-1)`, `throws: RangeError: -1 must be positive`},
		{"reduce empty", `[].values().reduce((a, b) => a)`, `throws: TypeError: Reduce of empty iterator with no initial value`},
		{"captureStackTrace frames", `function inner(o) { Error.captureStackTrace(o); } function outer() { const o = {}; inner(o); return o.stack; } outer().split("\n").slice(0, 3).map((l) => l.replace(/\(.*\)|<eval>.*/, "")).join("|")`,
			`Error|    at inner |    at outer `},
		{"captureStackTrace above fn", `function inner(o) { Error.captureStackTrace(o, inner); } function outer() { const o = {}; inner(o); return o.stack; } outer().split("\n")[1].trim().split(" ")[1]`, `outer`},
		{"captureStackTrace on an Error", `class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; Error.captureStackTrace(this, MyError); } } new MyError("x").stack.split("\n")[0]`, `MyError: x`},
		{"captureStackTrace stack not enumerable", `const o = {}; Error.captureStackTrace(o); Object.keys(o).length + " " + typeof o.stack`, `0 string`},
		{"captureStackTrace limit", `Error.stackTraceLimit = 0; const o = {}; Error.captureStackTrace(o); o.stack`, `Error`},
		{"captureStackTrace non-object", `Error.captureStackTrace(1)`, `throws: TypeError: Invalid argument`},
		{"error cause", `const e = new Error("x", {cause: "why"}); e.cause + " " + Object.getOwnPropertyDescriptor(e, "cause").enumerable + " " + ("cause" in new Error("y"))`, `why false false`},
		{"Promise.try sync throw rejects", `Promise.try(() => { throw new Error("boom"); })`, `rejected: Error: boom`},
		{"groupBy not callable", `Object.groupBy([], 1)`, `throws: TypeError: 1 is not a function`},
		{"fromAsync async iterable", `Array.fromAsync({ [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({done: i > 1, value: i++}) }; } }).then((a) => a.join())`, `0,1`},
		{"for await over an async iterable", `(async () => { const out = []; const src = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({done: i > 2, value: i++}) }; } }; const it = src[Symbol.asyncIterator](); for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value); return out.join(); })()`, `0,1,2`},
		{"Atomics toStringTag", `Object.prototype.toString.call(Atomics)`, `[object Atomics]`},
		{"Atomics bad index", `Atomics.load(new Int32Array(1), 5)`, `throws: RangeError: Invalid atomic access index`},
	})
}

func TestV8WordingInWebAPIs(t *testing.T) {
	runCases(t, []jsCase{
		{"rejection handler reads V8's wording", `Promise.resolve().then(() => { const u = undefined; return u.x; }).then(null, (e) => e.message)`, `Cannot read properties of undefined (reading 'x')`},
		{"catch handler too", `Promise.resolve().then(() => { let u; return u.y; }).catch((e) => e.message)`, `Cannot read properties of undefined (reading 'y')`},
		{"JSON end of input", `JSON.parse("{")`, `throws: SyntaxError: Unexpected end of JSON input`},
		{"JSON empty", `JSON.parse("")`, `throws: SyntaxError: Unexpected end of JSON input`},
		{"JSON unexpected token", `JSON.parse("[1,]")`, `throws: SyntaxError: Unexpected token ']', "[1,]" is not valid JSON`},
		{"JSON undefined", `JSON.parse(undefined)`, `throws: SyntaxError: "undefined" is not valid JSON`},
		{"JSON object", `JSON.parse({})`, `throws: SyntaxError: "[object Object]" is not valid JSON`},
		{"JSON valid", `JSON.parse('{"a":[1]}', (k, v) => v).a[0]`, `1`},
		{"JSON.parse shape", `JSON.parse.name + JSON.parse.length + Object.keys(JSON).length`, `parse20`},
	})
}
