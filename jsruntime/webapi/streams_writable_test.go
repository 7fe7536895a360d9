package webapi

import "testing"

// sinkLog is a WritableStream sink recording its calls in log.
const sinkLog = `const log = []; const sink = {write(c) { log.push("write " + c); }, close() { log.push("close"); }, abort(r) { log.push("abort " + r); }};`

func TestStreamsWritable(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"writes in order then close", sinkLog + `(async () => { const w = new WritableStream(sink).getWriter(); w.write(1); w.write(2); await w.close(); await w.closed; return log.join(); })()`,
			`write 1,write 2,close`},
		{"sink gets the controller", `(async () => { let c; const w = new WritableStream({write(ch, ctl) { c = String(ctl); }}).getWriter(); await w.write(1); return c; })()`,
			`[object WritableStreamDefaultController]`},
		{"locked", `const s = new WritableStream(); s.getWriter(); [s.locked, fails(() => s.getWriter())].join(" | ")`,
			`true | TypeError: This WritableStream is currently locked to a writer.`},
		{"writer constructor type", `fails(() => new WritableStreamDefaultWriter({}))`,
			`TypeError: Failed to construct 'WritableStreamDefaultWriter': parameter 1 is not of type 'WritableStream'.`},
		{"abort locked", `const s = new WritableStream(); s.getWriter(); fail(s.abort())`,
			`TypeError: This WritableStream is currently locked to a writer.`},
		{"close locked", `const s = new WritableStream(); s.getWriter(); fail(s.close())`,
			`TypeError: This WritableStream is currently locked to a writer.`},
		{"write after close", `(async () => { const w = new WritableStream().getWriter(); await w.close(); return fail(w.write(1)); })()`,
			`TypeError: This WritableStream has been closed.`},
		// workerd's message for a write while the close is queued.
		{"write while closing", `const w = new WritableStream({write: () => new Promise(() => {})}).getWriter(); w.write(1); w.close(); fail(w.write(2))`,
			`TypeError: This ReadableStream is closed.`},
		{"close while closing", `const w = new WritableStream({write: () => new Promise(() => {})}).getWriter(); w.write(1); w.close(); fail(w.close())`,
			`TypeError: Cannot close a writer that is already being closed`},
		{"close after close", `(async () => { const w = new WritableStream().getWriter(); await w.close(); return fail(w.close()); })()`,
			`TypeError: This WritableStream has been closed.`},
		{"stream close", `(async () => { const s = new WritableStream(); await s.close(); return fail(s.close()); })()`,
			`TypeError: This WritableStream has been closed.`},
		{"abort", sinkLog + `(async () => { const w = new WritableStream(sink).getWriter(); await w.abort("why"); return log.join() + " | " + await fail(w.closed) + " | " + await fail(w.write(1)); })()`,
			`abort why | value: why | value: why`},
		{"abort rejects queued writes", `(async () => { let release; const w = new WritableStream({write: () => new Promise((r) => (release = r))}, {highWaterMark: 5}).getWriter(); const a = fail(w.write(1)); const b = fail(w.write(2)); await ticks(1); const ab = w.abort(new Error("stop")); release(); await ab; return await a + " | " + await b; })()`,
			`ok: undefined | Error: stop`},
		{"abort twice is one abort", `(async () => { let n = 0; const s = new WritableStream({abort() { n++; }}); await Promise.all([s.abort(1), s.abort(2)]); return n; })()`,
			`1`},
		{"abort signal", `(async () => { let sig; const s = new WritableStream({start(c) { sig = c.signal; }}); await s.abort("reason"); return [sig.aborted, sig.reason].join(); })()`,
			`true,reason`},
		{"abort a closed stream", `(async () => { const s = new WritableStream(); await s.close(); return fail(s.abort()); })()`,
			`ok: undefined`},
		{"sink abort fails", `(async () => { const s = new WritableStream({abort() { throw new Error("abort failed"); }}); return fail(s.abort()); })()`,
			`Error: abort failed`},
		{"controller error", `(async () => { let c; const w = new WritableStream({start(x) { c = x; }}).getWriter(); await ticks(1); c.error(new TypeError("sink broke")); return await fail(w.write(1)) + " | " + await fail(w.closed); })()`,
			`TypeError: sink broke | TypeError: sink broke`},
		{"write fails", `(async () => { const w = new WritableStream({write() { throw new Error("cannot write"); }}).getWriter(); return await fail(w.write(1)) + " | " + await fail(w.closed) + " | " + await fail(w.write(2)); })()`,
			`Error: cannot write | Error: cannot write | Error: cannot write`},
		{"close fails", `(async () => { const w = new WritableStream({close() { throw new Error("cannot close"); }}).getWriter(); return await fail(w.close()) + " | " + await fail(w.closed); })()`,
			`Error: cannot close | Error: cannot close`},
		{"start fails", `(async () => { const w = new WritableStream({start() { return Promise.reject(new Error("no start")); }}).getWriter(); return await fail(w.ready) + " | " + await fail(w.closed); })()`,
			`Error: no start | Error: no start`},
		{"writes wait for start", `(async () => { let go; const log = []; const w = new WritableStream({start: () => new Promise((r) => (go = r)), write(c) { log.push(c); }}).getWriter(); w.write("x"); await ticks(1); const before = log.length; go(); await ticks(1); return before + "," + log.join(); })()`,
			`0,x`},
		{"controller is not constructible", `fails(() => new WritableStreamDefaultController())`, `TypeError: Illegal constructor`},
		{"tags", `[new WritableStream(), new WritableStream().getWriter()].map(String).join()`, `[object WritableStream],[object WritableStreamDefaultWriter]`},
	})
}

func TestStreamsWritableBackpressure(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"desiredSize and ready", `(async () => { let release = []; const w = new WritableStream({write: () => new Promise((r) => release.push(r))}, {highWaterMark: 2}).getWriter(); await w.ready; const s = [w.desiredSize]; w.write(1); w.write(2); s.push(w.desiredSize); w.write(3); s.push(w.desiredSize); let ready = false; w.ready.then(() => (ready = true)); await ticks(1); s.push(ready); while (release.length) { release.shift()(); await ticks(1); } s.push(ready, w.desiredSize); return s.join(); })()`,
			`2,0,-1,false,true,2`},
		{"size strategy", `(async () => { const w = new WritableStream({write: () => new Promise(() => {})}, new ByteLengthQueuingStrategy({highWaterMark: 10})).getWriter(); w.write(u8(1, 2, 3)); w.write(u8(4, 5)); return w.desiredSize; })()`,
			`5`},
		{"size throws", `(async () => { const w = new WritableStream({}, {size() { throw new Error("no size"); }}).getWriter(); return await fail(w.write(1)) + " | " + await fail(w.closed); })()`,
			`Error: no size | Error: no size`},
		{"desiredSize closed and errored", `(async () => { const a = new WritableStream().getWriter(); await a.close(); const b = new WritableStream({start(c) { c.error(); }}).getWriter(); await ticks(1); return a.desiredSize + "," + b.desiredSize; })()`,
			`0,null`},
		// workerd streams-test.js cancelWriteOnReleaseLock.
		{"releaseLock rejects queued writes", `(async () => { const s = new WritableStream({write: () => new Promise(() => {})}); const w = s.getWriter(); w.write("ignored"); const p = fail(w.write("hello")); w.releaseLock(); s.getWriter(); return await p; })()`,
			`TypeError: This WritableStream writer has been released.`},
		{"released writer", `(async () => { const w = new WritableStream().getWriter(); w.releaseLock(); return [fails(() => w.desiredSize), await fail(w.write(1)), await fail(w.close()), await fail(w.abort()), await fail(w.closed)].join(" | "); })()`,
			`TypeError: This WritableStream writer has been released. | TypeError: This WritableStream writer has been released. | TypeError: This WritableStream writer has been released. | TypeError: This WritableStream writer has been released. | TypeError: This WritableStream writer has been released.`},
	})
}

func TestStreamsQueuingStrategies(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"byte length", `const s = new ByteLengthQueuingStrategy({highWaterMark: 16}); [s.highWaterMark, s.size(u8(1, 2, 3)), s.size(new ArrayBuffer(5)), s.size({byteLength: 9}), s.size(1)].join()`,
			`16,3,5,9,`},
		{"count", `const s = new CountQueuingStrategy({highWaterMark: 4}); [s.highWaterMark, s.size("anything")].join()`, `4,1`},
		{"missing highWaterMark", `fails(() => new CountQueuingStrategy({}))`,
			`TypeError: Failed to construct 'CountQueuingStrategy': required member highWaterMark is undefined.`},
		{"shared size function", `String(new CountQueuingStrategy({highWaterMark: 1}).size === new CountQueuingStrategy({highWaterMark: 2}).size)`, `true`},
		{"in a ReadableStream", `let c; new ReadableStream({start(x) { c = x; }}, new ByteLengthQueuingStrategy({highWaterMark: 8})); c.enqueue(u8(1, 2, 3)); c.desiredSize`, `5`},
	})
}

func TestStreamsPipe(t *testing.T) {
	const src = `const source = (items, extra = {}) => new ReadableStream({start(c) { for (const i of items) c.enqueue(i); c.close(); }, ...extra});`
	runAsyncCases(t, []jsCase{
		{"pipeTo", sinkLog + src + `(async () => { await source([1, 2]).pipeTo(new WritableStream(sink)); return log.join(); })()`,
			`write 1,write 2,close`},
		{"preventClose", sinkLog + src + `(async () => { const d = new WritableStream(sink); await source([1]).pipeTo(d, {preventClose: true}); return log.join() + " | " + d.locked; })()`,
			`write 1 | false`},
		{"locks both", `const s = new ReadableStream(); const d = new WritableStream(); s.pipeTo(d); [s.locked, d.locked].join()`, `true,true`},
		{"unlocks both", src + `(async () => { const s = source([1]); const d = new WritableStream(); await s.pipeTo(d); return [s.locked, d.locked].join(); })()`, `false,false`},
		{"source error aborts the destination", sinkLog + `(async () => { const s = new ReadableStream({start(c) { c.error(new Error("source broke")); }}); return await fail(s.pipeTo(new WritableStream(sink))) + " | " + log.join(); })()`,
			`Error: source broke | abort Error: source broke`},
		{"preventAbort", sinkLog + `(async () => { const d = new WritableStream(sink); const s = new ReadableStream({start(c) { c.error(new Error("source broke")); }}); return await fail(s.pipeTo(d, {preventAbort: true})) + " | " + log.join() + " | " + d.locked; })()`,
			`Error: source broke |  | false`},
		{"destination error cancels the source", `(async () => { let why; const s = new ReadableStream({pull(c) { c.enqueue(1); }, cancel(r) { why = r.message; }}); return await fail(s.pipeTo(new WritableStream({write() { throw new Error("sink broke"); }}))) + " | " + why; })()`,
			`Error: sink broke | sink broke`},
		{"preventCancel", `(async () => { let canceled = false; const s = new ReadableStream({pull(c) { c.enqueue(1); }, cancel() { canceled = true; }}); return await fail(s.pipeTo(new WritableStream({write() { throw new Error("sink broke"); }}), {preventCancel: true})) + " | " + canceled + " | " + s.locked; })()`,
			`Error: sink broke | false | false`},
		{"signal", sinkLog + `(async () => { const ac = new AbortController(); let canceled; const s = new ReadableStream({pull(c) { return ticks(1).then(() => c.enqueue("x")); }, cancel(r) { canceled = r.name; }}); const p = fail(s.pipeTo(new WritableStream(sink), {signal: ac.signal})); await ticks(3); ac.abort(); return await p + " | " + canceled + " | " + log[log.length - 1]; })()`,
			`AbortError: The operation was aborted | AbortError | abort AbortError: The operation was aborted`},
		{"already aborted signal", `(async () => { const s = new ReadableStream(); return fail(s.pipeTo(new WritableStream(), {signal: AbortSignal.abort("early")})); })()`,
			`value: early`},
		{"bad signal", `fail(new ReadableStream().pipeTo(new WritableStream(), {signal: {}}))`,
			`TypeError: Failed to execute 'pipeTo' on 'ReadableStream': member signal is not of type 'AbortSignal'.`},
		{"source locked", `const s = new ReadableStream(); s.getReader(); fail(s.pipeTo(new WritableStream()))`,
			`TypeError: This ReadableStream is currently locked to a reader.`},
		{"destination locked", `const d = new WritableStream(); d.getWriter(); fail(new ReadableStream().pipeTo(d))`,
			`TypeError: This WritableStream is currently locked to a writer`},
		{"not a WritableStream", `fail(new ReadableStream().pipeTo({}))`,
			`TypeError: Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'.`},
		{"destination closed", src + `(async () => { let why; const d = new WritableStream(); await d.close(); const s = new ReadableStream({cancel(r) { why = r.message; }}); return await fail(s.pipeTo(d)) + " | " + why; })()`,
			`TypeError: This destination writable stream is closed. | This destination writable stream is closed.`},
		{"pipeThrough", src + `(async () => (await collect(source(["a", "b"]).pipeThrough(new TransformStream({transform(c, ctl) { ctl.enqueue(c + c); }})))).join())()`,
			`aa,bb`},
		{"pipeThrough locked", `const s = new ReadableStream(); s.getReader(); fails(() => s.pipeThrough(new TransformStream()))`,
			`TypeError: This ReadableStream is currently locked to a reader.`},
		{"pipeThrough writable locked", `const t = new TransformStream(); t.writable.getWriter(); fails(() => new ReadableStream().pipeThrough(t))`,
			`TypeError: This WritableStream is currently locked to a writer.`},
		{"pipeThrough not a pair", `fails(() => new ReadableStream().pipeThrough({}))`,
			`TypeError: Failed to execute 'pipeThrough' on 'ReadableStream': parameter 1 is not of type 'ReadableWritablePair'.`},
		{"byte source into a value sink", sinkLog + `(async () => { await new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(1, 2)); c.close(); }}).pipeTo(new WritableStream({write(c) { log.push(c.constructor.name + ":" + Array.from(c).join()); }})); return log.join(); })()`,
			`Uint8Array:1,2`},
	})
}
