package webapi

import "testing"

func TestStreamsByteController(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"zero-length chunk", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); fails(() => c.enqueue(new Uint8Array(0)))`,
			`TypeError: Cannot enqueue a zero-length ArrayBuffer.`},
		{"not bytes", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); fails(() => c.enqueue("str"))`,
			`TypeError: Failed to execute 'enqueue' on 'ReadableByteStreamController': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'.`},
		{"enqueue after close", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); c.close(); fails(() => c.enqueue(u8(1)))`,
			`TypeError: This ReadableByteStreamController is closed.`},
		{"close twice", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); c.close(); fails(() => c.close())`,
			`TypeError: This ReadableStream is closed.`},
		{"enqueue detaches the chunk", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); const a = u8(1, 2, 3); c.enqueue(a); [a.byteLength, a.buffer.byteLength].join()`,
			`0,0`},
		{"ArrayBuffer chunk", `(async () => bytes(new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(7, 8).buffer); c.close(); }})))()`,
			`7,8`},
		{"default highWaterMark is 0", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); c.desiredSize`, `0`},
		// workerd reads a byte stream into a buffer of autoAllocateChunkSize
		// (4096) bytes: queued chunks are joined.
		{"default reads join chunks", `(async () => { const r = new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(1, 2, 3)); c.enqueue(u8(4, 5)); c.close(); }}).getReader(); const a = await r.read(); const b = await r.read(); return [Array.from(a.value).join(), a.value.buffer.byteLength, b.done, b.value].join("|"); })()`,
			`1,2,3,4,5|4096|true|`},
		{"autoAllocateChunkSize splits", `(async () => (await collect(new ReadableStream({type: "bytes", autoAllocateChunkSize: 2, start(c) { c.enqueue(u8(1, 2, 3, 4, 5)); c.close(); }}))).map((x) => Array.from(x).join()).join("|"))()`,
			`1,2|3,4|5`},
		{"pending read when closed", `(async () => { let c; const r = new ReadableStream({type: "bytes", start(x) { c = x; }}).getReader(); const p = r.read(); c.close(); const x = await p; return [x.done, x.value.byteLength].join(); })()`,
			`true,0`},
		{"pending read gets the next chunk", `(async () => { let c; const r = new ReadableStream({type: "bytes", start(x) { c = x; }}).getReader(); const p = r.read(); c.enqueue(u8(9)); return Array.from((await p).value).join(); })()`,
			`9`},
	})
}

func TestStreamsBYOBReader(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"fills the view", `(async () => { const r = new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(1, 2, 3)); }}).getReader({mode: "byob"}); const x = await r.read(new Uint8Array(8)); return [Array.from(x.value).join(), x.value.buffer.byteLength, x.done].join("|"); })()`,
			`1,2,3|8|false`},
		{"keeps the view type", `(async () => { const r = new ReadableStream({type: "bytes", start(c) { c.enqueue(u8(1, 0, 2, 0)); }}).getReader({mode: "byob"}); const x = await r.read(new Uint16Array(2)); return x.value.constructor.name + ":" + Array.from(x.value).join(); })()`,
			`Uint16Array:1,2`},
		{"detaches the view", `const r = new ReadableStream({type: "bytes"}).getReader({mode: "byob"}); const v = new Uint8Array(4); r.read(v); String(v.byteLength)`,
			`0`},
		{"min waits for enough bytes", `(async () => { let c; const r = new ReadableStream({type: "bytes", start(x) { c = x; }}).getReader({mode: "byob"}); const p = r.read(new Uint8Array(10), {min: 3}); for (const b of [1, 2, 3]) { await ticks(1); c.enqueue(u8(b)); } return Array.from((await p).value).join(); })()`,
			`1,2,3`},
		{"readAtLeast", `(async () => { let c; const r = new ReadableStream({type: "bytes", start(x) { c = x; }}).getReader({mode: "byob"}); const p = r.readAtLeast(2, new Uint8Array(4)); c.enqueue(u8(5)); await ticks(1); c.enqueue(u8(6)); return Array.from((await p).value).join(); })()`,
			`5,6`},
		{"zero-length view", `fail(new ReadableStream({type: "bytes"}).getReader({mode: "byob"}).read(new Uint8Array(0)))`,
			`TypeError: You must call read() on a "byob" reader with a positive-sized TypedArray object.`},
		{"min 0", `fail(new ReadableStream({type: "bytes"}).getReader({mode: "byob"}).read(new Uint8Array(4), {min: 0}))`,
			`TypeError: Requested invalid minimum number of bytes to read (0).`},
		{"min too big", `fail(new ReadableStream({type: "bytes"}).getReader({mode: "byob"}).read(new Uint8Array(4), {min: 5}))`,
			`TypeError: Minimum bytes to read (5) exceeds size of buffer (4).`},
		{"min in elements", `fail(new ReadableStream({type: "bytes"}).getReader({mode: "byob"}).read(new Uint32Array(2), {min: 3}))`,
			`TypeError: Minimum bytes to read (12) exceeds size of buffer (8).`},
		{"not a view", `fail(new ReadableStream({type: "bytes"}).getReader({mode: "byob"}).read([1, 2]))`,
			`TypeError: Failed to execute 'read' on 'ReadableStreamBYOBReader': parameter 1 is not of type 'ArrayBufferView'.`},
		{"closed stream gives an empty view", `(async () => { const r = new ReadableStream({type: "bytes", start(c) { c.close(); }}).getReader({mode: "byob"}); const x = await r.read(new Uint8Array(4)); return [x.done, x.value.constructor.name, x.value.byteLength, x.value.buffer.byteLength].join(); })()`,
			`true,Uint8Array,0,4`},
		{"released", `const r = new ReadableStream({type: "bytes"}).getReader({mode: "byob"}); r.releaseLock(); fail(r.read(new Uint8Array(1)))`,
			`TypeError: This ReadableStream reader has been released.`},
		{"byob reader constructor", `fails(() => String(new ReadableStreamBYOBReader(new ReadableStream({type: "bytes"}))))`,
			`ok: [object ReadableStreamBYOBReader]`},
	})
}

func TestStreamsBYOBRequest(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"respond", `(async () => { const r = new ReadableStream({type: "bytes", pull(c) { const v = c.byobRequest.view; v[0] = 7; v[1] = 8; c.byobRequest.respond(2); }}).getReader({mode: "byob"}); const x = await r.read(new Uint8Array(4)); return Array.from(x.value).join(); })()`,
			`7,8`},
		{"default reads have a byobRequest", `(async () => { let len; const r = new ReadableStream({type: "bytes", autoAllocateChunkSize: 16, pull(c) { len = c.byobRequest.view.byteLength; c.byobRequest.view[0] = 1; c.byobRequest.respond(1); }}).getReader(); const x = await r.read(); return len + ":" + Array.from(x.value).join(); })()`,
			`16:1`},
		{"no pending read", `let c; new ReadableStream({type: "bytes", start(x) { c = x; }}); String(c.byobRequest)`, `null`},
		{"respond 0 while open", `(async () => { let e; new ReadableStream({type: "bytes", pull(c) { e = fails(() => c.byobRequest.respond(0)); c.byobRequest.respond(1); }}).getReader({mode: "byob"}).read(new Uint8Array(2)); await ticks(1); return e; })()`,
			`TypeError: The bytesWritten must be more than zero while the stream is open.`},
		{"respond too many", `(async () => { let e; new ReadableStream({type: "bytes", pull(c) { e = fails(() => c.byobRequest.respond(9)); c.byobRequest.respond(1); }}).getReader({mode: "byob"}).read(new Uint8Array(2)); await ticks(1); return e; })()`,
			`RangeError: Too many bytes [9] in response to a BYOB read request.`},
		{"invalidated after respond", `(async () => { let e; new ReadableStream({type: "bytes", pull(c) { const b = c.byobRequest; b.respond(1); e = fails(() => b.respond(1)) + " | " + b.view; }}).getReader({mode: "byob"}).read(new Uint8Array(2)); await ticks(1); return e; })()`,
			`TypeError: This ReadableStreamBYOBRequest has been invalidated. | null`},
		{"view detached after respond", `(async () => { let v; new ReadableStream({type: "bytes", pull(c) { v = c.byobRequest.view; c.byobRequest.respond(1); }}).getReader({mode: "byob"}).read(new Uint8Array(2)); await ticks(1); return v.byteLength; })()`,
			`0`},
		{"partial respond keeps the request", `(async () => { const r = new ReadableStream({type: "bytes", pull(c) { const b = c.byobRequest; b.view[0] = 1; b.respond(1); const b2 = c.byobRequest; if (b2 !== null) { b2.view[0] = 2; b2.respond(1); } }}).getReader({mode: "byob"}); const x = await r.read(new Uint8Array(4), {min: 2}); return Array.from(x.value).join(); })()`,
			`1,2`},
		{"respondWithNewView", `(async () => { const r = new ReadableStream({type: "bytes", pull(c) { const v = c.byobRequest.view; const n = new Uint8Array(v.buffer, v.byteOffset, 1); n[0] = 42; c.byobRequest.respondWithNewView(n); }}).getReader({mode: "byob"}); return Array.from((await r.read(new Uint8Array(3))).value).join(); })()`,
			`42`},
		{"respondWithNewView bad offset", `(async () => { let e; new ReadableStream({type: "bytes", pull(c) { const v = c.byobRequest.view; e = fails(() => c.byobRequest.respondWithNewView(new Uint8Array(v.buffer, 1, 1))); c.byobRequest.respond(1); }}).getReader({mode: "byob"}).read(new Uint8Array(3)); await ticks(1); return e; })()`,
			`RangeError: The given view has an invalid byte offset.`},
		{"respondWithNewView not a view", `(async () => { let e; new ReadableStream({type: "bytes", pull(c) { e = fails(() => c.byobRequest.respondWithNewView(1)); c.byobRequest.respond(1); }}).getReader({mode: "byob"}).read(new Uint8Array(3)); await ticks(1); return e; })()`,
			`TypeError: Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest': parameter 1 is not of type 'ArrayBufferView'.`},
		{"close with a partial element", `(async () => { let e; const r = new ReadableStream({type: "bytes", pull(c) { if (e !== undefined) return; c.byobRequest.respond(1); e = fails(() => c.close()); }}).getReader({mode: "byob"}); r.read(new Uint16Array(2)); await ticks(1); return e; })()`,
			`TypeError: This ReadableStream was closed with a partial read pending.`},
		{"enqueue invalidates the request", `(async () => { let b; const r = new ReadableStream({type: "bytes", pull(c) { b = c.byobRequest; c.enqueue(u8(3)); }}).getReader({mode: "byob"}); const x = await r.read(new Uint8Array(2)); return Array.from(x.value).join() + " | " + fails(() => b.respond(1)); })()`,
			`3 | TypeError: This ReadableStreamBYOBRequest has been invalidated.`},
		{"respond 0 after close", `(async () => { let b, c; const r = new ReadableStream({type: "bytes", pull(x) { c = x; b = x.byobRequest; }}).getReader({mode: "byob"}); const p = r.read(new Uint8Array(2)); await ticks(1); c.close(); return fails(() => b.respond(1)) + " | " + fails(() => b.respond(0)) + " | " + (await p).done; })()`,
			`TypeError: The bytesWritten must be zero after the stream is closed. | ok: undefined | true`},
	})
}
