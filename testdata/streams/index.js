// Streaming responses and request bodies through the Streams API, for
// emu's end-to-end tests (cmd/emu/streams_e2e_test.go).

const enc = new TextEncoder();

// /chunks writes its second chunk only once /next has set released (it
// polls with a timer: a promise resolved by another request would leave
// the isolate with nothing pending, which ends the response as a stall).
let released = false;
let streaming = false;
// Bytes /endless produced so far.
let produced = 0;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/chunks": {
        const { readable, writable } = new TransformStream();
        const writer = writable.getWriter();
        released = false;
        streaming = true;
        (async () => {
          await writer.write(enc.encode("first chunk\n"));
          while (!released) await scheduler.wait(5);
          await writer.write(enc.encode("second chunk\n"));
          await writer.close();
          streaming = false;
        })();
        return new Response(readable, { headers: { "content-type": "text/plain" } });
      }
      case "/next":
        if (!streaming) return new Response("nothing to release", { status: 409 });
        released = true;
        return new Response("released");
      case "/ticks": {
        // Chunks written from timers.
        let n = 0;
        const stream = new ReadableStream({
          pull(c) {
            return scheduler.wait(5).then(() => {
              n++;
              if (n > 5) c.close();
              else c.enqueue(enc.encode(`tick ${n}\n`));
            });
          },
        });
        return new Response(stream, { headers: { "content-type": "text/plain" } });
      }
      case "/upper":
        // The request body, decoded, upper-cased and encoded again.
        return new Response(
          request.body
            .pipeThrough(new TextDecoderStream())
            .pipeThrough(new TransformStream({ transform: (s, c) => c.enqueue(s.toUpperCase()) }))
            .pipeThrough(new TextEncoderStream()),
          { headers: { "content-type": "text/plain;charset=UTF-8" } },
        );
      case "/gzip":
        return new Response(request.body.pipeThrough(new CompressionStream("gzip")), {
          headers: { "content-type": "application/octet-stream" },
        });
      case "/gunzip":
        return new Response(request.body.pipeThrough(new DecompressionStream("gzip")), {
          headers: { "content-type": "application/octet-stream" },
        });
      case "/fixed": {
        const { readable, writable } = new FixedLengthStream(11);
        const w = writable.getWriter();
        w.write(enc.encode("hello "));
        w.write(enc.encode("world"));
        w.close();
        return new Response(readable, { headers: { "content-type": "application/octet-stream" } });
      }
      case "/endless": {
        // Produces as long as the client reads: pulls stop while it does not.
        produced = 0;
        const chunk = new Uint8Array(16 << 10);
        const stream = new ReadableStream(
          {
            pull(c) {
              produced += chunk.byteLength;
              c.enqueue(chunk);
            },
          },
          { highWaterMark: 1 },
        );
        return new Response(stream.pipeThrough(new TransformStream()), {
          headers: { "content-type": "application/octet-stream" },
        });
      }
      case "/produced":
        return new Response(String(produced));
      case "/big": {
        // size bytes in 64 KiB chunks through a TransformStream (the
        // streaming benchmark).
        let left = Number(url.searchParams.get("size") ?? 1 << 20);
        const chunk = new Uint8Array(64 << 10).fill(120);
        const stream = new ReadableStream({
          pull(c) {
            if (left <= 0) return c.close();
            const n = Math.min(left, chunk.byteLength);
            left -= n;
            c.enqueue(n === chunk.byteLength ? chunk : chunk.subarray(0, n));
          },
        });
        return new Response(stream.pipeThrough(new TransformStream()), {
          headers: { "content-type": "application/octet-stream" },
        });
      }
      case "/error": {
        // Fails after its first chunk.
        let n = 0;
        const stream = new ReadableStream({
          pull(c) {
            if (n++ === 0) return c.enqueue(enc.encode("partial"));
            throw new Error("boom in the middle");
          },
        });
        return new Response(stream, { headers: { "content-type": "application/octet-stream" } });
      }
      case "/stalled":
        // A stream nothing will ever write to.
        return new Response(new ReadableStream(), { headers: { "content-type": "application/octet-stream" } });
      case "/count": {
        // for await over the request body (lowered by the bundler).
        let n = 0;
        let chunks = 0;
        for await (const chunk of request.body) {
          n += chunk.byteLength;
          chunks++;
        }
        return new Response(`${n} bytes in ${chunks > 0 ? "some" : "no"} chunks`);
      }
      case "/generator": {
        // ReadableStream.from an async generator.
        async function* lines() {
          for (let i = 1; i <= 3; i++) {
            await scheduler.wait(1);
            yield enc.encode(`line ${i}\n`);
          }
        }
        return new Response(ReadableStream.from(lines()), { headers: { "content-type": "text/plain" } });
      }
      case "/echo":
        // The request body as a stream, and what a Worker sees of it.
        return new Response(request.body, {
          headers: {
            "x-body-type": Object.prototype.toString.call(request.body),
            "content-type": "application/octet-stream",
          },
        });
    }
    return new Response("not found", { status: 404 });
  },
};
