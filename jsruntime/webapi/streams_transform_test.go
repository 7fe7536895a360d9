package webapi

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

func TestStreamsTransform(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"identity", `(async () => { const {readable, writable} = new TransformStream(); const w = writable.getWriter(); w.write({a: 1}); w.write("b"); w.close(); return (await collect(readable)).map(JSON.stringify).join(); })()`,
			`{"a":1},"b"`},
		{"transform and flush", `(async () => { const ts = new TransformStream({transform(c, ctl) { ctl.enqueue(c.toUpperCase()); }, flush(ctl) { ctl.enqueue("!"); }}); const w = ts.writable.getWriter(); w.write("a"); w.write("b"); w.close(); return (await collect(ts.readable)).join(); })()`,
			`A,B,!`},
		{"start", `(async () => { const ts = new TransformStream({start(ctl) { ctl.enqueue("first"); }}); ts.writable.getWriter().close(); return (await collect(ts.readable)).join(); })()`,
			`first`},
		{"terminate", `(async () => { let ctl; const ts = new TransformStream({start(c) { ctl = c; }}); const w = ts.writable.getWriter(); await ticks(1); ctl.terminate(); return (await ts.readable.getReader().read()).done + " | " + await fail(w.write(1)); })()`,
			`true | TypeError: The transform stream has been terminated`},
		{"error", `(async () => { let ctl; const ts = new TransformStream({start(c) { ctl = c; }}); const w = ts.writable.getWriter(); ctl.error(new RangeError("transform broke")); return await fail(ts.readable.getReader().read()) + " | " + await fail(w.write(1)); })()`,
			`RangeError: transform broke | RangeError: transform broke`},
		{"transform throws", `(async () => { const ts = new TransformStream({transform() { throw new Error("cannot transform"); }}); const w = ts.writable.getWriter(); const p = fail(w.write(1)); const r = fail(ts.readable.getReader().read()); return await p + " | " + await r; })()`,
			`Error: cannot transform | Error: cannot transform`},
		{"flush throws", `(async () => { const ts = new TransformStream({flush() { throw new Error("cannot flush"); }}); return await fail(ts.writable.getWriter().close()) + " | " + await fail(ts.readable.getReader().read()); })()`,
			`Error: cannot flush | Error: cannot flush`},
		// workerd streams-test.js tsCancel.
		{"cancel the readable", `(async () => { let why; const ts = new TransformStream({cancel(r) { why = r; }}); await ts.readable.cancel("boom"); return why + " | " + await fail(ts.writable.getWriter().write(1)); })()`,
			`boom | value: boom`},
		{"abort the writable", `(async () => { let why; const ts = new TransformStream({async cancel(r) { await ticks(1); why = r; }}); await ts.writable.abort("boom"); return why; })()`,
			`boom`},
		{"cancel throws", `fail(new TransformStream({cancel() { throw new Error("boomy"); }}).writable.abort("boom"))`,
			`Error: boomy`},
		{"readableType", `fails(() => new TransformStream({readableType: "bytes"}))`,
			`TypeError: transformer.readableType must be undefined.`},
		{"writableType", `fails(() => new TransformStream({writableType: "bytes"}))`,
			`TypeError: transformer.writableType must be undefined.`},
		{"enqueue once the readable is gone", `(async () => { let ctl; const ts = new TransformStream({start(c) { ctl = c; }}); await ts.readable.cancel(); return fails(() => ctl.enqueue(1)); })()`,
			`TypeError: The readable side of this TransformStream is no longer readable.`},
		{"desiredSize", `let ctl; const ts = new TransformStream({start(c) { ctl = c; }}); ctl.desiredSize`, `0`},
		{"readable strategy", `let ctl; new TransformStream({start(c) { ctl = c; }}, undefined, {highWaterMark: 3}); ctl.desiredSize`, `3`},
		{"writable strategy", `new TransformStream({}, {highWaterMark: 4}).writable.getWriter().desiredSize`, `4`},
		{"controller is not constructible", `fails(() => new TransformStreamDefaultController())`, `TypeError: Illegal constructor`},
		{"tag", `String(new TransformStream())`, `[object TransformStream]`},
		{"writes wait for start", `(async () => { let go; const got = []; const ts = new TransformStream({start: () => new Promise((r) => (go = r)), transform(c) { got.push(c); }}); ts.writable.getWriter().write("x"); ts.readable.getReader().read(); await ticks(2); const before = got.length; go(); await ticks(2); return before + "," + got.join(); })()`,
			`0,x`},
		// As in the standard, writes wait for a read of the readable side.
		{"writes wait for a read", `(async () => { const got = []; const ts = new TransformStream({transform(c) { got.push(c); }}); ts.writable.getWriter().write("x"); await ticks(2); const before = got.length; ts.readable.getReader().read(); await ticks(2); return before + "," + got.join(); })()`,
			`0,x`},
	})
}

// With fixup-transform-stream-backpressure (current compatibility dates)
// a TransformStream's writes wait until its readable side is read.
func TestStreamsTransformBackpressure(t *testing.T) {
	// One read lets one write through; without the fix, the first pull
	// lifts the backpressure for good.
	src := `(async () => {
		const ts = new TransformStream();
		const w = ts.writable.getWriter();
		let done = 0;
		for (let i = 0; i < 5; i++) w.write(i).then(() => done++);
		await ticks(3);
		const before = done;
		await ts.readable.getReader().read();
		await ticks(3);
		return before + "," + done;
	})()`
	for _, tc := range []struct {
		fix  bool
		want string
	}{{true, "0,1"}, {false, "0,5"}} {
		iso := newBareIsolate(t)
		do(t, iso, func(rt *goja.Runtime) error {
			return Install(iso, rt, Options{FixupTransformStreamBackpressure: tc.fix})
		})
		if got := evalAsync(t, iso, streamHelpers+src); got != tc.want {
			t.Errorf("fixup %v: writes done before, after reading: %s, want %s", tc.fix, got, tc.want)
		}
	}
}

func TestStreamsIdentityTransform(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"bytes pass through", `(async () => { const {readable, writable} = new IdentityTransformStream(); const w = writable.getWriter(); w.write(u8(1, 2)); w.write(u8(3)); w.close(); return bytes(readable); })()`,
			`1,2,3`},
		// A write resolves only once a read took its bytes (workerd
		// api/streams/README.md).
		{"writes wait for reads", `(async () => { const {readable, writable} = new IdentityTransformStream(); const w = writable.getWriter(); let written = false; w.write(u8(1)).then(() => (written = true)); await ticks(2); const before = written; await readable.getReader().read(); await ticks(1); return before + "," + written; })()`,
			`false,true`},
		{"a string", `fail(new IdentityTransformStream().writable.getWriter().write("text"))`,
			`TypeError: This TransformStream is being used as a byte stream, but received a string on its writable side. If you wish to write a string, you'll probably want to explicitly UTF-8-encode it with TextEncoder.`},
		{"not bytes", `fail(new IdentityTransformStream().writable.getWriter().write(42))`,
			`TypeError: This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.`},
		{"empty write", `fail(new IdentityTransformStream().writable.getWriter().write(new Uint8Array(0)))`, `ok: undefined`},
		{"one read at a time", `(async () => { const r = new IdentityTransformStream().readable.getReader(); r.read(); return fail(r.read()); })()`,
			`TypeError: This ReadableStream only supports a single pending read request at a time.`},
		{"releaseLock with a read pending", `const r = new IdentityTransformStream().readable.getReader(); r.read(); fails(() => r.releaseLock())`,
			`TypeError: Cannot call releaseLock() on a reader with outstanding read promises.`},
		{"byob reads", `(async () => { const {readable, writable} = new IdentityTransformStream(); writable.getWriter().write(u8(4, 5, 6)); const x = await readable.getReader({mode: "byob"}).read(new Uint8Array(2)); return Array.from(x.value).join(); })()`,
			`4,5`},
		{"is a TransformStream", `const t = new IdentityTransformStream(); [t instanceof TransformStream, String(t)].join()`, `true,[object IdentityTransformStream]`},
		{"cancel rejects the write", `(async () => { const {readable, writable} = new IdentityTransformStream(); const p = fail(writable.getWriter().write(u8(1))); await readable.cancel(new Error("not reading")); return p; })()`,
			`Error: not reading`},
		{"abort errors the readable", `(async () => { const {readable, writable} = new IdentityTransformStream(); const p = fail(readable.getReader().read()); await writable.abort(new Error("gave up")); return p; })()`,
			`Error: gave up`},
		{"highWaterMark", `(async () => { const w = new IdentityTransformStream({highWaterMark: 4}).writable.getWriter(); const a = w.desiredSize; w.write(u8(1, 2, 3)); return a + "," + w.desiredSize; })()`,
			`4,1`},
		{"no highWaterMark", `(async () => { const w = new IdentityTransformStream().writable.getWriter(); w.write(u8(1, 2, 3)); return w.desiredSize; })()`,
			`1`},
	})
}

func TestStreamsFixedLength(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"exact", `(async () => { const {readable, writable} = new FixedLengthStream(3); const w = writable.getWriter(); w.write(u8(1, 2)); w.write(u8(3)); w.close(); return bytes(readable); })()`,
			`1,2,3`},
		{"too many bytes", `(async () => { const {readable, writable} = new FixedLengthStream(2); const w = writable.getWriter(); const p = fail(w.write(u8(1, 2, 3))); return await fail(collect(readable)) + " | " + await p; })()`,
			`TypeError: Attempt to write too many bytes through a FixedLengthStream. | ok: undefined`},
		{"too few bytes", `(async () => { const {readable, writable} = new FixedLengthStream(4); const w = writable.getWriter(); w.write(u8(1)); w.close(); return fail(collect(readable)); })()`,
			`TypeError: FixedLengthStream did not see all expected bytes before close().`},
		{"negative", `fails(() => new FixedLengthStream(-1))`,
			`TypeError: FixedLengthStream requires an integer expected length less than 2^53.`},
		{"too large", `fails(() => new FixedLengthStream(2 ** 53))`,
			`TypeError: FixedLengthStream requires an integer expected length less than 2^53.`},
		{"missing", `fails(() => new FixedLengthStream())`,
			`TypeError: FixedLengthStream requires an integer expected length less than 2^53.`},
		{"zero", `(async () => { const {readable, writable} = new FixedLengthStream(0); writable.getWriter().close(); return (await readable.getReader().read()).done; })()`,
			`true`},
		{"highWaterMark capped by the length", `new FixedLengthStream(2, {highWaterMark: 10}).writable.getWriter().desiredSize`, `2`},
		{"is an IdentityTransformStream", `String(new FixedLengthStream(1) instanceof IdentityTransformStream)`, `true`},
	})
}

// Install's option comes from the Worker's compatibility flags; the webapi
// package itself defaults to the original behaviour.
func TestStreamsCompatFlagNative(t *testing.T) {
	iso := newBareIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		return Install(iso, rt, Options{FixupTransformStreamBackpressure: true})
	})
	do(t, iso, func(rt *goja.Runtime) error {
		e := envOf(rt)
		if e == nil || !e.opts.FixupTransformStreamBackpressure {
			t.Error("the env does not carry the option")
		}
		if envOf(goja.New()) != nil {
			t.Error("envOf a runtime without the web APIs is not nil")
		}
		_ = jsruntime.Class(rt, "TransformStream")
		return nil
	})
}
