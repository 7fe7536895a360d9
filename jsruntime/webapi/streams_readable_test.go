package webapi

import "testing"

func TestStreamsReadableConstructor(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"null source", `fails(() => new ReadableStream(null))`,
			`TypeError: Failed to construct 'ReadableStream': underlyingSource must not be null.`},
		{"bad type", `fails(() => new ReadableStream({type: "nope"}))`,
			`TypeError: "nope" is not a valid type of ReadableStream.`},
		{"empty type is a value stream", `fails(() => String(new ReadableStream({type: ""})))`, `ok: [object ReadableStream]`},
		{"zero autoAllocateChunkSize", `fails(() => new ReadableStream({type: "bytes", autoAllocateChunkSize: 0}))`,
			`TypeError: The autoAllocateChunkSize option cannot be zero.`},
		{"negative highWaterMark", `fails(() => new ReadableStream({}, {highWaterMark: -1}))`, `RangeError: Invalid highWaterMark`},
		{"size not a function", `fails(() => new ReadableStream({}, {size: 1}))`,
			`TypeError: Failed to construct 'ReadableStream': member size is not a function.`},
		{"pull not a function", `fails(() => new ReadableStream({pull: 1}))`,
			`TypeError: Failed to construct 'ReadableStream': member pull is not a function.`},
		// workerd runs start through maybeRunAlgorithm: a throw errors the
		// stream instead of the constructor.
		{"start throws", `const s = new ReadableStream({start() { throw new Error("bad start"); }}); fail(s.getReader().read())`,
			`Error: bad start`},
		{"start rejects", `fail(new ReadableStream({start: () => Promise.reject(new RangeError("later"))}).getReader().read())`,
			`RangeError: later`},
		{"tags", `[new ReadableStream(), new ReadableStream().getReader(), new ReadableStream({type: "bytes"}).getReader({mode: "byob"})].map(String).join()`,
			`[object ReadableStream],[object ReadableStreamDefaultReader],[object ReadableStreamBYOBReader]`},
		{"controller is not constructible", `fails(() => new ReadableStreamDefaultController())`, `TypeError: Illegal constructor`},
		{"byte controller is not constructible", `fails(() => new ReadableByteStreamController())`, `TypeError: Illegal constructor`},
		{"start gets the controller", `let k; new ReadableStream({start(c) { k = String(c); }}); k`, `[object ReadableStreamDefaultController]`},
		{"byte start gets the byte controller", `let k; new ReadableStream({type: "bytes", start(c) { k = String(c); }}); k`,
			`[object ReadableByteStreamController]`},
	})
}

func TestStreamsReadableDefaultController(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"enqueue and read in order", `(async () => (await collect(new ReadableStream({start(c) { c.enqueue(1); c.enqueue("two"); c.enqueue(null); c.close(); }}))).join())()`,
			`1,two,`},
		{"enqueue after close", `let c; new ReadableStream({start(x) { c = x; }}); c.close(); fails(() => c.enqueue(1))`,
			`TypeError: Unable to enqueue`},
		{"close twice", `let c; new ReadableStream({start(x) { c = x; }}); c.close(); fails(() => c.close())`,
			`TypeError: This ReadableStream is closed.`},
		{"enqueue after error", `let c; new ReadableStream({start(x) { c = x; }}); c.error(new Error("e")); fails(() => c.enqueue(1))`,
			`TypeError: Unable to enqueue`},
		{"desiredSize", `let c; new ReadableStream({start(x) { c = x; }}, {highWaterMark: 2}); const a = c.desiredSize; c.enqueue(1); const b = c.desiredSize; c.close(); [a, b, c.desiredSize].join()`,
			`2,1,0`},
		{"desiredSize errored", `let c; new ReadableStream({start(x) { c = x; }}); c.error(); String(c.desiredSize)`, `null`},
		{"size strategy", `let c; new ReadableStream({start(x) { c = x; }}, {highWaterMark: 10, size: (ch) => ch.length}); c.enqueue("abcd"); c.desiredSize`, `6`},
		{"size throws errors the stream", `(async () => { let c; const s = new ReadableStream({start(x) { c = x; }}, {size() { throw new TypeError("no size"); }}); const r = fails(() => c.enqueue(1)); return r + " | " + await fail(s.getReader().read()); })()`,
			`ok: undefined | TypeError: no size`},
		// workerd's queue drops a chunk whose size is 0.
		{"size 0 chunk dropped", `(async () => (await collect(new ReadableStream({start(c) { c.enqueue("a"); c.enqueue("b"); c.enqueue("c"); c.close(); }}, {size: (ch) => (ch === "b" ? 0 : 1)}))).join())()`,
			`a,c`},
		{"error rejects pending reads", `(async () => { let c; const s = new ReadableStream({start(x) { c = x; }}); const r = s.getReader(); const p = r.read(); c.error(new Error("oops")); return await fail(p) + " | " + await fail(r.closed); })()`,
			`Error: oops | Error: oops`},
		{"pull on demand", `(async () => { let pulls = 0; const s = new ReadableStream({pull(c) { pulls++; c.enqueue(pulls); }}, {highWaterMark: 0}); await ticks(2); const before = pulls; const r = s.getReader(); const x = await r.read(); return before + "," + x.value; })()`,
			`0,1`},
		{"pull fills to the highWaterMark", `(async () => { let pulls = 0; new ReadableStream({pull(c) { pulls++; c.enqueue(pulls); }}, {highWaterMark: 3}); await ticks(3); return pulls; })()`,
			`3`},
		{"pull rejection errors", `fail(new ReadableStream({pull() { return Promise.reject(new Error("pull failed")); }}).getReader().read())`,
			`Error: pull failed`},
		{"read after close is done", `(async () => { const r = new ReadableStream({start(c) { c.close(); }}).getReader(); const a = await r.read(); const b = await r.read(); return [a.done, a.value, b.done].join(); })()`,
			`true,,true`},
	})
}

func TestStreamsReadableReaders(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"locked", `const s = new ReadableStream(); s.getReader(); [s.locked, fails(() => s.getReader())].join(" | ")`,
			`true | TypeError: This ReadableStream is currently locked to a reader.`},
		{"reader constructor locked", `const s = new ReadableStream(); s.getReader(); fails(() => new ReadableStreamDefaultReader(s))`,
			`TypeError: This ReadableStream is currently locked to a reader.`},
		{"reader constructor type", `fails(() => new ReadableStreamDefaultReader({}))`,
			`TypeError: Failed to construct 'ReadableStreamDefaultReader': parameter 1 is not of type 'ReadableStream'.`},
		{"bad mode", `fails(() => new ReadableStream().getReader({mode: "fast"}))`,
			`TypeError: mode must be undefined or 'byob' in call to getReader().`},
		{"byob on value stream", `fails(() => new ReadableStream().getReader({mode: "byob"}))`,
			`TypeError: This ReadableStream does not support BYOB reads.`},
		{"byob on closed value stream", `fails(() => String(new ReadableStream({start(c) { c.close(); }}).getReader({mode: "byob"})))`,
			`ok: [object ReadableStreamBYOBReader]`},
		// workerd's streams-test.js cancelReadsOnReleaseLock.
		{"releaseLock rejects pending reads", `(async () => { const s = new ReadableStream(); const r = s.getReader(); const p = r.read(); r.releaseLock(); const a = await fail(p); s.getReader(); return a + " | " + s.locked; })()`,
			`TypeError: This ReadableStream reader has been released. | true`},
		{"released reader", `(async () => { const s = new ReadableStream(); const r = s.getReader(); r.releaseLock(); return [await fail(r.read()), await fail(r.closed), await fail(r.cancel()), s.locked].join(" | "); })()`,
			`TypeError: This ReadableStream reader has been released. | TypeError: This ReadableStream reader has been released. | TypeError: This ReadableStream reader has been released. | false`},
		{"releaseLock twice", `const r = new ReadableStream().getReader(); r.releaseLock(); r.releaseLock(); "fine"`, `fine`},
		// workerd keeps a settled closed promise as it was.
		{"closed stays resolved after release", `(async () => { const r = new ReadableStream({start(c) { c.close(); }}).getReader(); await r.closed; r.releaseLock(); return fail(r.closed); })()`,
			`ok: undefined`},
		{"closed resolves on close", `(async () => { let c; const r = new ReadableStream({start(x) { c = x; }}).getReader(); const p = r.closed.then(() => "closed"); c.enqueue(1); c.close(); await r.read(); return p; })()`,
			`closed`},
		{"closed is the same promise", `const r = new ReadableStream().getReader(); String(r.closed === r.closed)`, `true`},
	})
}

func TestStreamsReadableCancel(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"cancel locked", `const s = new ReadableStream(); s.getReader(); fail(s.cancel())`,
			`TypeError: This ReadableStream is currently locked to a reader.`},
		{"cancel calls the source", `(async () => { let got; const s = new ReadableStream({cancel(r) { got = r; }}); await s.cancel("why"); return got; })()`,
			`why`},
		{"cancel rejects with the source's error", `fail(new ReadableStream({cancel() { throw new Error("cannot cancel"); }}).cancel())`,
			`Error: cannot cancel`},
		{"reader cancel ends pending reads and closed", `(async () => { const r = new ReadableStream().getReader(); const p = r.read(); await r.cancel(); const x = await p; await r.closed; return [x.done, x.value, (await r.read()).done].join(); })()`,
			`true,,true`},
		{"cancel drops queued chunks", `(async () => { const s = new ReadableStream({start(c) { c.enqueue(1); }}); await s.cancel(); return (await s.getReader().read()).done; })()`,
			`true`},
		{"cancel errored", `(async () => { const s = new ReadableStream({start(c) { c.error(new Error("was errored")); }}); return fail(s.cancel()); })()`,
			`Error: was errored`},
		{"cancel disturbs", `(async () => { const s = new ReadableStream(); await s.cancel(); return fails(() => new Response(s)); })()`,
			`TypeError: This ReadableStream is disturbed (has already been read from), and cannot be used as a body.`},
	})
}

func TestStreamsReadableTee(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"locked", `const s = new ReadableStream(); s.getReader(); fails(() => s.tee())`,
			`TypeError: This ReadableStream is currently locked to a reader,`},
		{"both branches", `(async () => { const [a, b] = new ReadableStream({start(c) { c.enqueue(1); c.enqueue(2); c.close(); }}).tee(); return (await collect(a)).join() + "|" + (await collect(b)).join(); })()`,
			`1,2|1,2`},
		{"leaves the stream locked", `const s = new ReadableStream(); s.tee(); String(s.locked)`, `true`},
		{"branches share chunks", `(async () => { const o = {}; const [a, b] = new ReadableStream({start(c) { c.enqueue(o); c.close(); }}).tee(); return String((await a.getReader().read()).value === (await b.getReader().read()).value); })()`,
			`true`},
		{"cancel one branch", `(async () => { let canceled = 0; const [a, b] = new ReadableStream({start(c) { c.enqueue(1); c.close(); }, cancel() { canceled++; }}).tee(); await a.cancel(); return canceled + "|" + (await collect(b)).join(); })()`,
			`0|1`},
		{"cancel both branches", `(async () => { let reason; const [a, b] = new ReadableStream({cancel(r) { reason = r; }}).tee(); await a.cancel("first"); await b.cancel("second"); return reason; })()`,
			`second`},
		{"errored", `(async () => { const [a, b] = new ReadableStream({start(c) { c.error(new Error("before tee")); }}).tee(); return await fail(a.getReader().read()) + " | " + await fail(b.getReader().read()); })()`,
			`Error: before tee | Error: before tee`},
		{"error after tee", `(async () => { let c; const [a, b] = new ReadableStream({start(x) { c = x; }}).tee(); const pa = fail(a.getReader().read()); c.error(new Error("later")); return await pa + " | " + await fail(b.getReader().read()); })()`,
			`Error: later | Error: later`},
		{"closed", `(async () => { const [a, b] = new ReadableStream({start(c) { c.close(); }}).tee(); return [(await a.getReader().read()).done, (await b.getReader().read()).done].join(); })()`,
			`true,true`},
		{"byte stream", `(async () => { const [a, b] = new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(1, 2)); c.close(); }}).tee(); return await bytes(a) + "|" + await bytes(b); })()`,
			`1,2|1,2`},
	})
}

func TestStreamsReadableIteration(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"async iterator", `(async () => { const it = new ReadableStream({start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); }})[Symbol.for("Symbol.asyncIterator")](); const out = []; for (;;) { const r = await it.next(); if (r.done) break; out.push(r.value); } return out.join(); })()`,
			`a,b`},
		{"iterator locks and releases", `(async () => { const s = new ReadableStream({start(c) { c.close(); }}); const it = s.values(); const locked = s.locked; await it.next(); return locked + "," + s.locked; })()`,
			`true,false`},
		{"next after done", `(async () => { const it = new ReadableStream({start(c) { c.close(); }}).values(); await it.next(); const r = await it.next(); return [r.done, r.value].join(); })()`,
			`true,`},
		{"return cancels", `(async () => { let why = "not canceled"; const s = new ReadableStream({cancel(r) { why = String(r); }}); const it = s.values(); const r = await it.return("stop"); return [why, r.done, r.value, s.locked].join(); })()`,
			`stop,true,stop,false`},
		{"preventCancel", `(async () => { let canceled = false; const s = new ReadableStream({start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { canceled = true; }}); const it = s.values({preventCancel: true}); await it.next(); await it.return(); return canceled + "," + s.locked + "," + (await s.getReader().read()).value; })()`,
			`false,false,2`},
		{"error", `(async () => { const it = new ReadableStream({start(c) { c.error(new TypeError("bad")); }}).values(); return fail(it.next()); })()`,
			`TypeError: bad`},
		{"iterator of itself", `const it = new ReadableStream().values(); String(it[Symbol.for("Symbol.asyncIterator")]() === it)`, `true`},
		{"locked stream", `const s = new ReadableStream(); s.getReader(); fails(() => s.values())`,
			`TypeError: This ReadableStream is currently locked to a reader.`},
		{"concurrent next calls are served in order", `(async () => { let n = 0; const it = new ReadableStream({pull(c) { return ticks(1).then(() => c.enqueue(++n)); }}).values(); const [a, b] = await Promise.all([it.next(), it.next()]); return a.value + "," + b.value; })()`,
			`1,2`},
	})
}

func TestStreamsReadableFrom(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"array", `(async () => (await collect(ReadableStream.from(["a", "b"]))).join())()`, `a,b`},
		{"sync generator", `(async () => (await collect(ReadableStream.from((function* () { yield 1; yield 2; })()))).join())()`, `1,2`},
		{"promises in a sync iterable", `(async () => (await collect(ReadableStream.from([Promise.resolve("x"), "y"]))).join())()`, `x,y`},
		{"async iterable", `(async () => { const src = {[Symbol.for("Symbol.asyncIterator")]() { let i = 0; return {next: () => Promise.resolve(i < 2 ? {value: ++i, done: false} : {done: true})}; }}; return (await collect(ReadableStream.from(src))).join(); })()`,
			`1,2`},
		{"not iterable", `fails(() => ReadableStream.from(42))`,
			`TypeError: Failed to execute 'from' on 'ReadableStream': parameter 1 is not iterable.`},
		{"iterator error", `fail(ReadableStream.from({[Symbol.iterator]() { return {next() { throw new Error("no next"); }}; }}).getReader().read())`,
			`Error: no next`},
		{"cancel calls return", `(async () => { let why; const s = ReadableStream.from({[Symbol.iterator]() { return {next: () => ({value: 1, done: false}), return(r) { why = r; return {done: true}; }}; }}); await s.getReader().cancel("enough"); return why; })()`,
			`enough`},
		{"pulls lazily", `(async () => { let nexts = 0; const s = ReadableStream.from({[Symbol.iterator]() { return {next: () => ({value: ++nexts, done: false})}; }}); await ticks(2); const before = nexts; await s.getReader().read(); return before + "," + nexts; })()`,
			`0,1`},
	})
}
