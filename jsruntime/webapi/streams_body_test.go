package webapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

func TestStreamsBodies(t *testing.T) {
	const stream = `const mk = (...parts) => new ReadableStream({start(c) { for (const p of parts) c.enqueue(te.encode(p)); c.close(); }});`
	runAsyncCases(t, []jsCase{
		{"response body is the stream", stream + `const s = mk("x"); String(new Response(s).body === s)`, `true`},
		{"stream body text", stream + `new Response(mk("hello ", "world")).text()`, `hello world`},
		{"stream body json", stream + `(async () => (await new Response(mk('{"a":', "1}")).json()).a)()`, `1`},
		{"stream body arrayBuffer", stream + `(async () => new Uint8Array(await new Response(mk("ab")).arrayBuffer()).join())()`, `97,98`},
		{"stream body bytes", stream + `(async () => { const b = await new Response(mk("ab")).bytes(); return b.constructor.name + ":" + b.join(); })()`, `Uint8Array:97,98`},
		{"text locks and disturbs", stream + `(async () => { const s = mk("x"); const r = new Response(s); const p = r.text(); const locked = s.locked; await p; return [locked, r.bodyUsed].join(); })()`,
			`true,true`},
		{"used body", stream + `(async () => { const r = new Response(mk("x")); await r.text(); return fail(r.text()); })()`,
			`TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`},
		{"locked body", stream + `(async () => { const r = new Response(mk("x")); r.body.getReader(); return [r.bodyUsed, await fail(r.text())].join(" | "); })()`,
			`false | TypeError: This ReadableStream is currently locked to a reader.`},
		{"disturbed stream", stream + `(async () => { const s = mk("x"); await s.getReader().read(); return fails(() => new Response(s)); })()`,
			`TypeError: This ReadableStream is disturbed (has already been read from), and cannot be used as a body.`},
		{"not bytes", `fail(new Response(new ReadableStream({start(c) { c.enqueue(42); c.close(); }})).text())`,
			`TypeError: This ReadableStream did not return bytes.`},
		{"errored stream", `fail(new Response(new ReadableStream({start(c) { c.error(new Error("broken body")); }})).text())`,
			`Error: broken body`},
		// workerd streams-test.js readAllTextResponseBig.
		{"big chunks from timers", `(async () => { const chunks = ["a".repeat(4097), "b".repeat(8194), "c".repeat(16388)]; const s = new ReadableStream({async pull(c) { await ticks(1); if (chunks.length === 0) return c.close(); c.enqueue(te.encode(chunks.shift())); }}); return (await new Response(s).text()).length; })()`,
			`28679`},
		{"clone tees", stream + `(async () => { const a = new Response(mk("twice")); const b = a.clone(); return (await a.text()) + "|" + (await b.text()); })()`,
			`twice|twice`},
		{"clone of a used body", stream + `(async () => { const a = new Response(mk("x")); await a.text(); return fails(() => a.clone()); })()`,
			`TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`},
		{"clone of a locked body", stream + `const a = new Response(mk("x")); a.body.getReader(); fails(() => a.clone())`,
			`TypeError: This ReadableStream is currently locked to a reader,`},
		{"buffered body as a stream", `(async () => { const r = new Response("héllo"); const rd = r.body.getReader(); const x = await rd.read(); return [td.decode(x.value), r.bodyUsed, (await rd.read()).done].join(); })()`,
			`héllo,true,true`},
		{"buffered body is a byte stream", `(async () => { const x = await new Response("abc").body.getReader({mode: "byob"}).read(new Uint8Array(2)); return td.decode(x.value); })()`,
			`ab`},
		{"body after text", `(async () => { const r = new Response("x"); await r.text(); const b = r.body; return [b.locked, r.bodyUsed, fails(() => b.getReader())].join(" | "); })()`,
			`true | true | TypeError: This ReadableStream is currently locked to a reader.`},
		{"body stays the same object", `const r = new Response("x"); String(r.body === r.body)`, `true`},
		{"null body", `String(new Response(null).body) + "," + new Response().bodyUsed`, `null,false`},
		{"request with a stream body", stream + `(async () => { const s = mk("up", "load"); const r = new Request("https://x/", {method: "POST", body: s, duplex: "half"}); return [r.body === s, await r.text()].join(); })()`,
			`true,upload`},
		{"request from a request moves the body", stream + `(async () => { const a = new Request("https://x/", {method: "POST", body: mk("moved")}); const old = a.body; const b = new Request(a); return [a.bodyUsed, old.locked, await b.text()].join(); })()`,
			`true,true,moved`},
		{"request clone", stream + `(async () => { const a = new Request("https://x/", {method: "PUT", body: mk("c")}); const b = a.clone(); return (await a.text()) + (await b.text()); })()`,
			`cc`},
		{"null-body status with a stream", stream + `fails(() => new Response(mk("x"), {status: 204}))`,
			`TypeError: Response with null body status (101, 204, 205, or 304) cannot have a body.`},
		{"pipe a body", `(async () => (await new Response(new Response("piped").body.pipeThrough(new TransformStream())).text()))()`, `piped`},
		{"body tee keeps the bytes", `(async () => { const [a, b] = new Response("tee me").body.tee(); return td.decode(new Uint8Array(await new Response(a).arrayBuffer())) + "|" + (await new Response(b).text()); })()`,
			`tee me|tee me`},
	})
}

// An incoming request's body is a ReadableStream over the bytes emu read.
func TestStreamsIncomingRequestBody(t *testing.T) {
	iso, _ := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		req, err := NewRequest(rt, "POST", "http://127.0.0.1/", http.Header{"Content-Length": {"5"}}, []byte("hello"))
		if err != nil {
			return err
		}
		rt.Set("req", req)
		return nil
	})
	got := evalAsync(t, iso, streamHelpers+`(async () => { const b = req.body; const x = await b.getReader().read(); return [Object.prototype.toString.call(b), td.decode(x.value), req.bodyUsed].join(); })()`)
	if got != "[object ReadableStream],hello,true" {
		t.Errorf("request body: %s", got)
	}
}

// readStream reads every chunk of a BodyStream off the loop.
func readStream(t *testing.T, s *BodyStream) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var chunks []string
	for {
		b, err := s.Next(ctx)
		if errors.Is(err, io.EOF) {
			return chunks, nil
		}
		if err != nil {
			return chunks, err
		}
		chunks = append(chunks, string(b))
	}
}

// streamResponse runs src (a Response expression) on iso and reads it back.
func streamResponse(t *testing.T, iso *jsruntime.Isolate, src string) *ResponseData {
	t.Helper()
	var d *ResponseData
	do(t, iso, func(rt *goja.Runtime) error {
		v, err := rt.RunString(src)
		if err != nil {
			return err
		}
		d, err = ReadResponse(rt, v)
		return err
	})
	return d
}

func TestStreamsBodyStream(t *testing.T) {
	t.Run("chunks in order", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `let n = 0; new Response(new ReadableStream({pull(c) { return new Promise((r) => setTimeout(r, 1)).then(() => { if (++n > 3) c.close(); else c.enqueue(new TextEncoder().encode("c" + n)); }); }}))`)
		chunks, err := readStream(t, d.Stream)
		if err != nil || strings.Join(chunks, "|") != "c1|c2|c3" {
			t.Errorf("chunks %q, %v", chunks, err)
		}
		if _, err := d.Stream.Next(context.Background()); !errors.Is(err, io.EOF) {
			t.Errorf("after the end: %v", err)
		}
	})
	t.Run("empty chunks skipped", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `new Response(new ReadableStream({start(c) { c.enqueue(new Uint8Array(0)); c.enqueue(new Uint8Array([65])); c.close(); }}))`)
		if chunks, err := readStream(t, d.Stream); err != nil || strings.Join(chunks, "|") != "A" {
			t.Errorf("chunks %q, %v", chunks, err)
		}
	})
	t.Run("error", func(t *testing.T) {
		var mu sync.Mutex
		var logged []string
		iso, err := jsruntime.New(jsruntime.Options{LogError: func(msg string) {
			mu.Lock()
			logged = append(logged, msg)
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(iso.Close)
		installOn(t, iso)
		d := streamResponse(t, iso, `let k = 0; new Response(new ReadableStream({pull(c) { if (k++ === 0) c.enqueue(new Uint8Array([1])); else throw new RangeError("mid-stream"); }}))`)
		chunks, err := readStream(t, d.Stream)
		if len(chunks) != 1 || err == nil || !strings.Contains(err.Error(), "RangeError: mid-stream") {
			t.Errorf("chunks %q, %v", chunks, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(logged) != 1 || !strings.Contains(logged[0], "RangeError: mid-stream") {
			t.Errorf("logged %q", logged)
		}
	})
	t.Run("not bytes", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `new Response(new ReadableStream({start(c) { c.enqueue("text"); }}))`)
		if _, err := readStream(t, d.Stream); err == nil || !strings.Contains(err.Error(), "TypeError: This ReadableStream did not return bytes.") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("stalled", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `new Response(new ReadableStream())`)
		if _, err := readStream(t, d.Stream); !errors.Is(err, ErrBodyStalled) {
			t.Errorf("error %v, want ErrBodyStalled", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `globalThis.why = "not canceled"; new Response(new ReadableStream({pull(c) { c.enqueue(new Uint8Array([1])); }, cancel(r) { why = r.name + ": " + r.message; }}))`)
		if _, err := d.Stream.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		d.Stream.Cancel()
		d.Stream.Cancel()
		if got := eval(t, iso, `why`); got != "Error: Network connection lost." {
			t.Errorf("cancel reason %q", got)
		}
	})
	t.Run("context", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `globalThis.why = ""; new Response(new ReadableStream({pull() { return new Promise((r) => setTimeout(r, 60000)); }, cancel() { why = "canceled"; }}))`)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.Stream.Next(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v", err)
		}
		if got := eval(t, iso, `why`); got != "canceled" {
			t.Errorf("stream %q after the context ended", got)
		}
	})
	t.Run("closed isolate", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `new Response(new ReadableStream({pull() { return new Promise((r) => setTimeout(r, 60000)); }}))`)
		iso.Close()
		if _, err := d.Stream.Next(context.Background()); !errors.Is(err, ErrBodyClosed) {
			t.Errorf("error %v, want ErrBodyClosed", err)
		}
	})
	// Backpressure: the Go side reads one chunk ahead; the source is pulled
	// only as far as its highWaterMark beyond that.
	t.Run("backpressure", func(t *testing.T) {
		iso, _ := newIsolate(t)
		d := streamResponse(t, iso, `globalThis.pulls = 0; new Response(new ReadableStream({pull(c) { pulls++; c.enqueue(new Uint8Array(1024)); }}, {highWaterMark: 2}))`)
		for i := 0; i < 3; i++ {
			if _, err := d.Stream.Next(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		// Let the loop run what it would run.
		evalAsync(t, iso, `new Promise((r) => setTimeout(r, 5))`)
		// 3 read, 1 read ahead, 1 queued: workerd pulls when a read waits
		// or a chunk comes in below the highWaterMark, not when a read takes
		// a queued chunk.
		if got := eval(t, iso, `pulls`); got != "5" {
			t.Errorf("%s pulls after reading 3 chunks", got)
		}
	})
}
